/** Conformance: SpreadsheetApp sheets, ranges, values, formats (apps-script-semantics.md §1). */
import { createEmulator } from '../../emulator';
import { emulatorWith, thrown } from './helpers';

function sheetOf(emu = createEmulator()) {
  return { emu, sheet: emu.direct(() => emu.spreadsheet.getSheets()[0]) };
}

describe('S2 sheets', () => {
  test('S2.1 getSheetByName returns null when absent; lookup falls back to case-insensitive (INF)', () => {
    const { emu } = sheetOf();
    emu.direct(() => {
      expect(emu.spreadsheet.getSheetByName('Nope')).toBeNull();
      emu.spreadsheet.insertSheet('Register');
      expect(emu.spreadsheet.getSheetByName('register')!.getName()).toBe('Register');
    });
  });

  test('S2.3 insertSheet with an existing name throws the exact text (also case-insensitive; INF for insertSheet)', () => {
    const { emu } = sheetOf();
    emu.direct(() => emu.spreadsheet.insertSheet('Settings'));
    const e = thrown(() => emu.direct(() => emu.spreadsheet.insertSheet('Settings')));
    expect(e.name).toBe('Exception');
    expect(e.message).toBe('A sheet with the name "Settings" already exists. Please enter another name.');
    expect(thrown(() => emu.direct(() => emu.spreadsheet.insertSheet('SETTINGS'))).message).toContain('already exists');
  });

  test('S2.3 setName to an existing name throws the same text', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => emu.spreadsheet.insertSheet('Log'));
    expect(thrown(() => emu.direct(() => sheet.setName('Log'))).message).toBe('A sheet with the name "Log" already exists. Please enter another name.');
  });

  test('S1.4/S2.2 insertSheet makes the new sheet active; default grid is 1000 × 26', () => {
    const { emu } = sheetOf();
    emu.direct(() => {
      const s = emu.spreadsheet.insertSheet('New');
      expect(emu.spreadsheet.getActiveSheet().getName()).toBe('New');
      expect([s.getMaxRows(), s.getMaxColumns()]).toEqual([1000, 26]);
    });
  });

  test('S2.4/S2.5 an empty sheet: getLastRow/getLastColumn 0, getDataRange is A1 with [[""]]', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      expect(sheet.getLastRow()).toBe(0);
      expect(sheet.getLastColumn()).toBe(0);
      expect(sheet.getDataRange().getA1Notation()).toBe('A1');
      expect(sheet.getDataRange().getValues()).toEqual([['']]);
    });
  });

  test('S2.4 format-only cells and notes are not content (INF)', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.getRange('C5').setBackground('red').setNote('n');
      expect(sheet.getLastRow()).toBe(0);
      sheet.getRange('B3').setValue('x');
      expect([sheet.getLastRow(), sheet.getLastColumn()]).toEqual([3, 2]);
    });
  });

  test('S2.6 appendRow writes at getLastRow()+1 from column 1, parses formulas, grows the grid', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.appendRow(['a', 1, '=1+2']);
      expect(sheet.getLastRow()).toBe(1);
      expect(sheet.getRange(1, 1, 1, 3).getValues()).toEqual([['a', 1, 3]]);
      expect(sheet.getRange('C1').getFormula()).toBe('=1+2');
      sheet.getRange(1000, 1).setValue('last');
      sheet.appendRow(['beyond']);
      expect(sheet.getMaxRows()).toBe(1001);
      expect(sheet.getRange(1001, 1).getValue()).toBe('beyond');
    });
  });

  test('S2.7 clear keeps notes and validation; clearContents keeps formats; clearFormats keeps values; clearNotes only notes', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const setup = () => {
        const r = sheet.getRange('A1');
        r.setValue(5).setBackground('#00ff00').setNote('note');
        r.setDataValidation(SpreadsheetAppBuilder(emu).requireValueInList(['5']).build());
        return r;
      };
      let r = setup();
      sheet.clear();
      expect([r.getValue(), r.getBackground(), r.getNote(), r.getDataValidation() !== null]).toEqual(['', '#ffffff', 'note', true]);
      r = setup();
      sheet.clearContents();
      expect([r.getValue(), r.getBackground(), r.getNote()]).toEqual(['', '#00ff00', 'note']);
      r = setup();
      sheet.clearFormats();
      expect([r.getValue(), r.getBackground(), r.getNote()]).toEqual([5, '#ffffff', 'note']);
      sheet.clearNotes();
      expect([r.getValue(), r.getNote()]).toEqual([5, '']);
    });
  });

  test('S2.8 Sheet.protect returns the existing protection; Range.protect always creates a new one', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const p1 = sheet.protect().setDescription('locked');
      const p2 = sheet.protect();
      expect(p2.getDescription()).toBe('locked');
      sheet.getRange('A1').protect();
      sheet.getRange('A1').protect();
      expect(sheet.getProtections(emu.services.SpreadsheetApp.ProtectionType.SHEET)).toHaveLength(1);
      expect(sheet.getProtections(emu.services.SpreadsheetApp.ProtectionType.RANGE)).toHaveLength(2);
      p1.setWarningOnly(true);
      expect(p2.isWarningOnly()).toBe(true);
      p1.remove();
      expect(sheet.getProtections(emu.services.SpreadsheetApp.ProtectionType.SHEET)).toHaveLength(0);
    });
  });

  test('S2.8 a script run by a non-editor cannot write a protected range; the owner can; warning-only never blocks', () => {
    const emu = emulatorWith(`function write(){ SpreadsheetApp.getActive().getSheets()[0].getRange('A1').setValue('x'); return 'ok'; }`, {
      users: ['owner@s.example', 'tutor@s.example'],
    });
    const p = emu.direct(() => emu.spreadsheet.getSheets()[0].getRange('A1:B2').protect());
    emu.direct(() => p.removeEditors(p.getEditors()));
    expect(thrown(() => emu.run('write', [], { user: 'tutor@s.example' })).message).toBe(
      'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
    );
    expect(emu.run('write', [], { user: 'owner@s.example' })).toBe('ok');
    emu.direct(() => p.setWarningOnly(true));
    expect(emu.run('write', [], { user: 'tutor@s.example' })).toBe('ok');
  });
});

function SpreadsheetAppBuilder(emu: ReturnType<typeof createEmulator>) {
  return emu.services.SpreadsheetApp.newDataValidation();
}

describe('S3 range addressing', () => {
  const cases: Array<[string, unknown[], string]> = [
    ['row < 1', [0, 1], 'The starting row of the range is too small.'],
    ['column < 1', [1, 0], 'The starting column of the range is too small.'],
    ['numRows < 1 (getLastRow()-1 on an empty sheet)', [2, 1, 0], 'The number of rows in the range must be at least 1.'],
    ['numColumns < 1', [1, 1, 1, 0], 'The number of columns in the range must be at least 1.'],
    ['beyond the grid', [1000, 1, 2, 1], 'The coordinates of the range are outside the dimensions of the sheet.'],
    ['beyond the columns', [1, 26, 1, 2], 'The coordinates of the range are outside the dimensions of the sheet.'],
  ];
  test.each(cases)('S3.2 getRange %s → exact message', (_label, args, message) => {
    const { emu, sheet } = sheetOf();
    const e = thrown(() => emu.direct(() => (sheet.getRange as (...a: unknown[]) => unknown)(...args)));
    expect(e.name).toBe('Exception');
    expect(e.message).toBe(message);
  });

  test('S3.2 check order is row before column before sizes (INF)', () => {
    const { emu, sheet } = sheetOf();
    expect(thrown(() => emu.direct(() => sheet.getRange(0, 0, 0, 0))).message).toBe('The starting row of the range is too small.');
    expect(thrown(() => emu.direct(() => sheet.getRange(1, 0, 0, 0))).message).toBe('The starting column of the range is too small.');
  });

  test('S3.2 unparsable A1 and unknown sheet → "Range not found"; non-numbers → signature error (E0.2)', () => {
    const { emu, sheet } = sheetOf();
    expect(thrown(() => emu.direct(() => sheet.getRange('A1:'))).message).toBe('Range not found');
    expect(thrown(() => emu.direct(() => emu.spreadsheet.getRange('Nope!A1'))).message).toBe('Range not found');
    expect(thrown(() => emu.direct(() => (sheet.getRange as (...a: unknown[]) => unknown)('1', 2))).message).toMatch(/don't match the method signature for SpreadsheetApp\.Sheet\.getRange\.$/);
  });

  test('S3.1 overloads and Spreadsheet.getRange with a sheet prefix; S3.4 A1 notation', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      expect(sheet.getRange(2, 3).getA1Notation()).toBe('C2');
      expect(sheet.getRange(2, 3, 4).getA1Notation()).toBe('C2:C5');
      expect(sheet.getRange(2, 3, 4, 2).getA1Notation()).toBe('C2:D5');
      expect(sheet.getRange('b2:c3').getA1Notation()).toBe('B2:C3');
      const other = emu.spreadsheet.insertSheet("Kid's Log");
      other.getRange('A1').setValue('here');
      expect(emu.spreadsheet.getRange("'Kid's Log'!A1".replace("'s", "''s")).getValue()).toBe('here');
      expect(emu.spreadsheet.getRange('Sheet1!A1:B2').getNumColumns()).toBe(2);
      const whole = sheet.getRange('A:B');
      expect([whole.getNumRows(), whole.getNumColumns()]).toEqual([1000, 2]);
    });
  });

  test('S3.3 offset keeps the size unless given; zero size → "must be at least 1"', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const r = sheet.getRange('B2:C3');
      expect(r.offset(1, 1).getA1Notation()).toBe('C3:D4');
      expect(r.offset(0, 0, 1).getA1Notation()).toBe('B2:C2');
      expect(thrown(() => r.offset(0, 0, 0)).message).toBe('The number of rows in the range must be at least 1.');
      expect(thrown(() => r.offset(-5, 0)).message).toBe('The starting row of the range is too small.');
    });
  });
});

describe('S4 values', () => {
  test('S4.1/S4.3 getValues is always 2-D; blanks "", numbers, booleans, Date, percent as fraction', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.getRange('A1:E1').setValues([[12, true, '2026-09-07', '10%', 'text']]);
      const [row] = sheet.getRange('A1:F1').getValues();
      expect(row[0]).toBe(12);
      expect(row[1]).toBe(true);
      expect(row[2]).toBeInstanceOf(Date);
      expect((row[2] as Date).toISOString()).toBe('2026-09-06T23:00:00.000Z'); // midnight in the spreadsheet zone (BST)
      expect(row[3]).toBe(0.1);
      expect(row[4]).toBe('text');
      expect(row[5]).toBe('');
      expect(sheet.getRange('A1').getValues()).toEqual([[12]]);
      expect(sheet.getRange('Z99').getValue()).toBe('');
    });
  });

  test('S4.3 getValues returns copies: mutating a returned Date does not change the cell', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.getRange('A1').setValue(new Date('2026-01-05T00:00:00Z'));
      (sheet.getRange('A1').getValue() as Date).setFullYear(1999);
      expect((sheet.getRange('A1').getValue() as Date).getUTCFullYear()).toBe(2026);
    });
  });

  test('S4.6 USER_ENTERED coercion: numbers, percent, booleans, ISO and US dates, leading zeros lost, apostrophe keeps text', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.getRange('A1:H1').setValues([['123', '12.5%', 'TRUE', 'false', '1/31/2024', '007', "'007", 'hello']]);
      const [v] = sheet.getRange('A1:H1').getValues();
      expect(v.slice(0, 4)).toEqual([123, 0.125, true, false]);
      expect(v[4]).toBeInstanceOf(Date);
      expect(v[5]).toBe(7);
      expect(v[6]).toBe('007');
      expect(v[7]).toBe('hello');
      expect(sheet.getRange('G1').getFormula()).toBe('');
    });
  });

  test('S4.6 a cell formatted as plain text (@) keeps strings', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.getRange('A1').setNumberFormat('@').setValue('007');
      expect(sheet.getRange('A1').getValue()).toBe('007');
    });
  });

  test('S4.6 strings starting with "=" are formulas (recorded by getFormulas); values are evaluated only when trivial', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.getRange('A1:D1').setValues([['=1+2*3', '=SUM(B2:B3)', '=HYPERLINK("https://x.example","Letter")', "'=not a formula"]]);
      expect(sheet.getRange('A1:D1').getFormulas()).toEqual([['=1+2*3', '=SUM(B2:B3)', '=HYPERLINK("https://x.example","Letter")', '']]);
      expect(sheet.getRange('A1:D1').getValues()).toEqual([[7, '#NAME?', 'Letter', '=not a formula']]);
      sheet.getRange('A1').setValue('plain');
      expect(sheet.getRange('A1').getFormula()).toBe('');
    });
  });

  test('S4.6 null and undefined clear cells; setValue returns the Range', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const r = sheet.getRange('A1:B1');
      expect(r.setValues([['x', 'y']])).toBe(r);
      r.setValues([[null, undefined]]);
      expect(r.getValues()).toEqual([['', '']]);
      expect(sheet.getLastRow()).toBe(0);
    });
  });

  test('S4.7 setValues row-count mismatch message', () => {
    const { emu, sheet } = sheetOf();
    const e = thrown(() => emu.direct(() => sheet.getRange('A1:B3').setValues([[1, 2], [3, 4]])));
    expect(e.message).toBe('The number of rows in the data does not match the number of rows in the range. The data has 2 but the range has 3.');
  });

  test('S4.7 setValues column-count mismatch reports the first offending row', () => {
    const { emu, sheet } = sheetOf();
    const e = thrown(() => emu.direct(() => sheet.getRange('A1:B2').setValues([[1, 2], [3]])));
    expect(e.message).toBe('The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.');
  });

  test('S4.7 a 1-D array is a signature error; the same dimension rules apply to setBackgrounds', () => {
    const { emu, sheet } = sheetOf();
    expect(thrown(() => emu.direct(() => sheet.getRange('A1:C1').setValues([1, 2, 3] as never))).message).toMatch(/don't match the method signature for SpreadsheetApp\.Range\.setValues\.$/);
    expect(thrown(() => emu.direct(() => sheet.getRange('A1:B1').setBackgrounds([['red']]))).message).toContain('The data has 1 but the range has 2.');
  });

  test('S4.7 writes are all-or-nothing: a failing row leaves the sheet unchanged', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => sheet.getRange('A1:B2').setValues([['keep', 'keep'], ['keep', 'keep']]));
    thrown(() => emu.direct(() => sheet.getRange('A1:B2').setValues([['new', 'new'], ['new']])));
    thrown(() => emu.direct(() => sheet.getRange('A1:B2').setValues([['new', 'new'], ['new', 'x'.repeat(50001)]])));
    expect(emu.direct(() => sheet.getRange('A1:B2').getValues())).toEqual([['keep', 'keep'], ['keep', 'keep']]);
  });

  test('S4.4 getDisplayValues: strings; percent "10%"; booleans TRUE/FALSE; en_US dates; blanks ""', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      sheet.getRange('A1:F1').setValues([[1.5, '10%', true, '1/31/2024', '2024-01-31', '']]);
      expect(sheet.getRange('A1:F1').getDisplayValues()).toEqual([['1.5', '10%', 'TRUE', '1/31/2024', '2024-01-31', '']]);
      sheet.getRange('A2').setValue(0.9123).setNumberFormat('0.0%');
      expect(sheet.getRange('A2').getDisplayValue()).toBe('91.2%');
    });
  });
});

describe('S5 formats and notes', () => {
  test('S5.1/S5.2 colours read as lowercase hex; CSS names and #rgb accepted; null resets to #ffffff', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const r = sheet.getRange('A1:C1');
      expect(r.getBackground()).toBe('#ffffff');
      r.setBackgrounds([['red', '#ABCDEF', '#0f0']]);
      expect(r.getBackgrounds()).toEqual([['#ff0000', '#abcdef', '#00ff00']]);
      r.setBackground(null);
      expect(r.getBackgrounds()).toEqual([['#ffffff', '#ffffff', '#ffffff']]);
    });
  });

  test('S5.3 font colour defaults to #000000 (INF) and normalises like backgrounds; font weight default "normal"', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const r = sheet.getRange('A1');
      expect(r.getFontColor()).toBe('#000000');
      r.setFontColor('White').setFontWeight('bold');
      expect([r.getFontColors(), r.getFontWeights()]).toEqual([[['#ffffff']], [['bold']]]);
    });
  });

  test('S5.4 notes: none reads ""; null clears; setNote(25) → "25" but setNotes([[25]]) → "25.0" (XT quirk)', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const r = sheet.getRange('A1');
      expect(r.getNote()).toBe('');
      r.setNote(25 as never);
      expect(r.getNote()).toBe('25');
      r.setNotes([[25 as never]]);
      expect(r.getNote()).toBe('25.0');
      r.setNote(null as never);
      expect(r.getNote()).toBe('');
    });
  });

  test('S5.5 Range.clear() clears contents and formats; clear({contentsOnly}) keeps formats', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const r = sheet.getRange('A1');
      r.setValue(1).setBackground('blue');
      r.clear({ contentsOnly: true });
      expect([r.getValue(), r.getBackground()]).toEqual(['', '#0000ff']);
      r.setValue(1);
      r.clear();
      expect([r.getValue(), r.getBackground()]).toEqual(['', '#ffffff']);
    });
  });

  test('data validation: requireValueInList builder round-trips through setDataValidation(s)', () => {
    const { emu, sheet } = sheetOf();
    emu.direct(() => {
      const rule = emu.services.SpreadsheetApp.newDataValidation().requireValueInList(['RTC', 'ROPC'], true).setAllowInvalid(false).setHelpText('Pick one').build();
      sheet.getRange('A1:A2').setDataValidation(rule);
      const back = sheet.getRange('A2').getDataValidation()!;
      expect(back.getCriteriaType()).toBe('VALUE_IN_LIST');
      expect(back.getCriteriaValues()).toEqual([['RTC', 'ROPC'], true]);
      expect([back.getAllowInvalid(), back.getHelpText()]).toEqual([false, 'Pick one']);
      expect(sheet.getRange('B1').getDataValidation()).toBeNull();
    });
  });
});

describe('bulk reads and writes (timing: npm run bench → emulator)', () => {
  test('5,000 × 26 setValues then getValues round-trips every cell, counted as one call each', () => {
    const { emu, sheet } = sheetOf();
    const data = Array.from({ length: 5000 }, (_, r) => Array.from({ length: 26 }, (_, c) => (c === 0 ? `Student ${r}` : c % 3 === 0 ? r * c : c % 3 === 1 ? 'P' : '')));
    emu.direct(() => sheet.insertRowsAfter(1000, 4000));
    emu.direct(() => sheet.getRange(1, 1, 5000, 26).setValues(data));
    const back = emu.direct(() => sheet.getRange(1, 1, 5000, 26).getValues()) as unknown[][];
    expect(back).toEqual(data);
  });
});
