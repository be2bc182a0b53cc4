/**
 * S9.2 — custom-function cells recalculate only when an argument's VALUE changes (or the formula is
 * edited); "the custom function doesn't recalculate until you edit the function, or you change the
 * value of a referenced cell" (https://developers.google.com/apps-script/guides/sheets/functions).
 * Data the function reads through SpreadsheetApp is no dependency: its result goes stale.
 */
import { emulatorWith } from './helpers';

const CODE = `
function LOOKUP(id, stamp) {
  var data = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Data').getRange('B1').getValue();
  return data + ':' + id;
}
function COLUMN_OF(values) { return values.map(function (r) { return [r[0] * 2]; }); }
function FAILS(x) { throw new Error('no student with ID "' + x + '"'); }
function helper_(x) { return x; }
`;

function setup() {
  const emu = emulatorWith(CODE);
  emu.direct(() => {
    const ss = emu.spreadsheet;
    ss.insertSheet('Data').getRange('A1:B1').setValues([['stamp', 'old']]);
    const main = ss.getSheetByName('Sheet1')!;
    main.getRange('A1').setValue('S1');
    main.getRange('B1').setFormula('=LOOKUP(A1)');
    ss.setNamedRange('STAMP', ss.getSheetByName('Data')!.getRange('A1'));
    main.getRange('C1').setFormula('=LOOKUP(A1, STAMP)');
  });
  return emu;
}

const value = (emu: ReturnType<typeof setup>, a1: string) => emu.direct(() => emu.spreadsheet.getRange(a1).getValue());

describe('S9.2 custom-function recalculation', () => {
  test('a cell keeps its cached result when only data read inside the function changes (it goes stale)', () => {
    const emu = setup();
    expect(emu.recalculateCustomFunctions().map((c) => [c.cell, c.ran])).toEqual([['Sheet1!B1', true], ['Sheet1!C1', true]]);
    expect(value(emu, 'Sheet1!B1')).toBe('old:S1');
    emu.direct(() => emu.spreadsheet.getRange('Data!B1').setValue('new'));
    expect(emu.recalculateCustomFunctions().every((c) => !c.ran)).toBe(true);
    expect(value(emu, 'Sheet1!B1')).toBe('old:S1'); // stale, as on Google
  });

  test('a changed argument value, a changed named-range value or an edited formula re-runs it', () => {
    const emu = setup();
    emu.recalculateCustomFunctions();
    emu.direct(() => emu.spreadsheet.getRange('Data!B1').setValue('new'));
    emu.direct(() => emu.spreadsheet.getRange('Data!A1').setValue('stamp 2')); // the named range's value
    expect(emu.recalculateCustomFunctions().map((c) => [c.cell, c.ran])).toEqual([['Sheet1!B1', false], ['Sheet1!C1', true]]);
    expect(value(emu, 'Sheet1!C1')).toBe('new:S1');
    expect(value(emu, 'Sheet1!B1')).toBe('old:S1');
    emu.direct(() => emu.spreadsheet.getRange('Sheet1!B1').setFormula('=LOOKUP(A1, "x")'));
    expect(emu.recalculateCustomFunctions().find((c) => c.cell === 'Sheet1!B1')?.ran).toBe(true);
    expect(value(emu, 'Sheet1!B1')).toBe('new:S1');
  });

  test('a range argument passes a 2-D array and the result spills; a blocked spill is #REF!; a throw is #ERROR!', () => {
    const emu = setup();
    emu.direct(() => {
      const s = emu.spreadsheet.getSheetByName('Sheet1')!;
      s.getRange('E1:E3').setValues([[1], [2], [3]]);
      s.getRange('F1').setFormula('=COLUMN_OF(E1:E3)');
      s.getRange('G1').setFormula('=COLUMN_OF(E1:E3)');
      s.getRange('G2').setValue('in the way');
      s.getRange('H1').setFormula('=FAILS(A1)');
      s.getRange('I1').setFormula('=helper_(A1)');
    });
    emu.recalculateCustomFunctions();
    expect(emu.direct(() => emu.spreadsheet.getRange('Sheet1!F1:F3').getValues())).toEqual([[2], [4], [6]]);
    expect(value(emu, 'Sheet1!G1')).toBe('#REF!');
    expect(value(emu, 'Sheet1!H1')).toBe('#ERROR!');
    expect(emu.customFunctionError('Sheet1', 'H1')).toBe('no student with ID "S1"');
    expect(value(emu, 'Sheet1!I1')).toBe('#NAME?'); // S9.1: a private function is no custom function
  });
});
