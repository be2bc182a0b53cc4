/**
 * Issue 10 leftover: a sheet set up by an earlier version has Interventions Log dropdowns without
 * the values the add-on writes now — "Note" in Method (the review date's row), "Letter left out",
 * "Letter included again", "Letter printed for post", "Review date set" in Outcome — so staff see the
 * add-on's own rows marked invalid and cannot pick those values. Recalculate (which every import
 * and the weekly job run too) and Set up… bring the dropdowns up to date, keeping the values the
 * school added of its own; Recalculate's check costs one property read once done.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { LETTER_INCLUDED_AGAIN, LETTER_LEFT_OUT, LETTER_PRINTED, REVIEW_DATE_SET } from '../../src/core/history';
import { CONTACT_METHODS, CONTACT_OUTCOMES } from '../../src/core/types';
import type { SetupResult } from '../../src/rpcTypes';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, schoolDayNoon } from '../helpers/sampleSpreadsheet';

jest.setTimeout(120_000);

const LOG = 'Interventions Log';
const METHOD = LOG_HEADERS.indexOf('Method') + 1;
const OUTCOME = LOG_HEADERS.indexOf('Outcome') + 1;
const letter = (c: number) => String.fromCharCode(64 + c);
/** The lists an earlier version set, each with a value the school added of its own. */
const OLD_METHODS = [...CONTACT_METHODS.filter((m) => m !== 'Note'), 'Text message'];
const OLD_OUTCOMES = [...CONTACT_OUTCOMES, 'Governor letter'];

async function oldSheet() {
  const emu = createEmulator({ account: 'workspace', now: new Date('2024-09-02T12:00:00Z') });
  const sample = putSampleSchool(emu, { students: 40, seed: 3, schoolDays: 20, omit: ['log'] });
  emu.clock.set(schoolDayNoon(sample.today));
  loadBuiltProject(emu);
  const admin = sample.staffOf('Admin').email;
  await emu.rpc('runSetup', [], admin);
  // The Log as an earlier version left it: the old lists (row 2 to the last row), extended by the school.
  emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName(LOG)!;
    const rows = sheet.getMaxRows() - 1;
    const rule = (values: string[], allowInvalid: boolean) => SpreadsheetAppOf(emu).newDataValidation().requireValueInList(values, true).setAllowInvalid(allowInvalid).build();
    sheet.getRange(2, METHOD, rows, 1).setDataValidation(rule(OLD_METHODS, false));
    sheet.getRange(2, OUTCOME, rows, 1).setDataValidation(rule(OLD_OUTCOMES, true));
  });
  return { emu, sample, admin, al: sample.staffOf('AL').email };
}

function SpreadsheetAppOf(emu: Emulator): GoogleAppsScript.Spreadsheet.SpreadsheetApp {
  return emu.services.SpreadsheetApp as unknown as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
}

/** The list of the rule on a Log cell (row, column), or null. */
function listAt(emu: Emulator, row: number, column: number): string[] | null {
  return emu.direct(() => {
    const rule = emu.spreadsheet.getSheetByName(LOG)!.getRange(row, column).getDataValidation();
    return rule && String(rule.getCriteriaType()) === 'VALUE_IN_LIST' ? (rule.getCriteriaValues()[0] as string[]).map(String) : null;
  });
}

const lastRow = (emu: Emulator) => emu.direct(() => emu.spreadsheet.getSheetByName(LOG)!.getMaxRows());
const ADDON_OUTCOMES = [LETTER_LEFT_OUT, LETTER_INCLUDED_AGAIN, LETTER_PRINTED, REVIEW_DATE_SET];

test('Recalculate brings an older Log\'s dropdowns up to date, keeps the school\'s values, and then checks with one property read', async () => {
  const { emu, al } = await oldSheet();
  // Before: staff cannot pick "Note" (the rule rejects it).
  expect(() => emu.userEdit(LOG, `${letter(METHOD)}2`, 'Note', al)).toThrow(/violates the data validation rules/);

  const result = (await emu.rpc('recalculate', [], al)) as { message: string };
  expect(result.message).toMatch(/The Interventions Log's Method and Outcome dropdowns now offer every value the add-on writes \(your own values kept\)\./);
  for (const row of [2, lastRow(emu)]) {
    expect(listAt(emu, row, METHOD)).toEqual([...CONTACT_METHODS, 'Text message']);
    expect(listAt(emu, row, OUTCOME)).toEqual([...CONTACT_OUTCOMES, ...ADDON_OUTCOMES, 'Governor letter']);
  }
  emu.userEdit(LOG, `${letter(METHOD)}2`, 'Note', al); // now accepted
  emu.userEdit(LOG, `${letter(METHOD)}3`, 'Text message', al); // the school's own value still is
  emu.direct(() => emu.spreadsheet.getSheetByName(LOG)!.getRange(2, 1, 2, LOG_HEADERS.length).clearContent());

  // Once up to date, Recalculate does not look at the rules again.
  emu.calls.reset();
  const again = (await emu.rpc('recalculate', [], al)) as { message: string };
  expect(again.message).not.toMatch(/dropdown/);
  expect(emu.calls.get('SpreadsheetApp.Range.getDataValidation') ?? 0).toBe(0);
  expect(emu.calls.get('SpreadsheetApp.Range.setDataValidation') ?? 0).toBe(0);
});

test('Set up… on an older sheet adds the missing values, keeps the school\'s, and a second run has nothing to do', async () => {
  const { emu, admin } = await oldSheet();
  const first = (await emu.rpc('runSetup', [], admin)) as SetupResult;
  expect(first.created).toEqual(expect.arrayContaining([
    `Dropdown on "${LOG}" column F (Method): adds "Note", the school's own values kept`,
    `Dropdown on "${LOG}" column G (Outcome): adds ${ADDON_OUTCOMES.map((v) => `"${v}"`).join(', ')}, the school's own values kept`,
  ]));
  expect(listAt(emu, lastRow(emu), METHOD)).toEqual([...CONTACT_METHODS, 'Text message']);
  expect(listAt(emu, 2, OUTCOME)).toEqual([...CONTACT_OUTCOMES, ...ADDON_OUTCOMES, 'Governor letter']);
  const second = (await emu.rpc('runSetup', [], admin)) as SetupResult;
  expect(second.message).toMatch(/nothing to do/);
});

test('a Log whose dropdown the school removed is left without one by Recalculate', async () => {
  const { emu, al } = await oldSheet();
  emu.direct(() => emu.spreadsheet.getSheetByName(LOG)!.getRange(2, METHOD, lastRow(emu) - 1, 1).clearDataValidations());
  await emu.rpc('recalculate', [], al);
  expect(listAt(emu, 2, METHOD)).toBeNull();
  expect(listAt(emu, 2, OUTCOME)).toContain('Review date set');
});

/**
 * Issue 10 (D, preview walk as staff): the check looked only at row 2's rule. A Log that grew past
 * the rows setup validated (a school year writes thousands of rows; appended and inserted rows carry
 * no rule), or whose lower rows an older version set up, kept rows with an old list or none.
 */
describe('every row of the Log, not only the first validated area', () => {
  const setRows = (emu: Emulator, from: number, count: number, column: number, values: string[] | null) => emu.direct(() => {
    const range = emu.spreadsheet.getSheetByName(LOG)!.getRange(from, column, count, 1);
    if (values === null) range.clearDataValidations();
    else range.setDataValidation(SpreadsheetAppOf(emu).newDataValidation().requireValueInList(values, true).setAllowInvalid(column !== METHOD).build());
  });
  const grow = (emu: Emulator, rows: number) => emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName(LOG)!;
    sheet.insertRowsAfter(sheet.getMaxRows(), rows);
  });

  test('rows the Log grew into after the check get the dropdowns at the next Recalculate, in two reads and two writes whatever the size', async () => {
    const { emu, al } = await oldSheet();
    await emu.rpc('recalculate', [], al); // brings the first 1,000 rows up to date
    const before = lastRow(emu);
    grow(emu, 4000); // the year's Log grows past the rows setup validated
    expect(listAt(emu, lastRow(emu), METHOD)).toBeNull();
    emu.calls.reset();
    const result = (await emu.rpc('recalculate', [], al)) as { message: string };
    for (const row of [2, before, before + 1, lastRow(emu)]) {
      expect(listAt(emu, row, METHOD)).toEqual([...CONTACT_METHODS, 'Text message']);
      expect(listAt(emu, row, OUTCOME)).toEqual([...CONTACT_OUTCOMES, ...ADDON_OUTCOMES, 'Governor letter']);
    }
    expect(result.message).toMatch(/Method and Outcome dropdowns now offer every value/);
    expect(emu.calls.get('SpreadsheetApp.Range.getDataValidations') ?? 0).toBe(2);
    expect((emu.calls.get('SpreadsheetApp.Range.setDataValidations') ?? 0) + (emu.calls.get('SpreadsheetApp.Range.setDataValidation') ?? 0)).toBe(2);
    emu.userEdit(LOG, `${letter(METHOD)}${lastRow(emu)}`, 'Note', al);
    expect(() => emu.userEdit(LOG, `${letter(METHOD)}${lastRow(emu) - 1}`, 'Pigeon', al)).toThrow(/violates the data validation rules/);
    // Up to date again: no rule is read.
    emu.calls.reset();
    await emu.rpc('recalculate', [], al);
    expect(emu.calls.get('SpreadsheetApp.Range.getDataValidations') ?? 0).toBe(0);
  });

  test('lower rows an older version set up (row 2 already current): brought up to date, every part\'s own values kept', async () => {
    const { emu, al } = await oldSheet();
    const last = lastRow(emu);
    // Rows 2–600 as this version sets them (with a value of the school's); rows 601 on as an older version left them.
    setRows(emu, 2, 599, METHOD, [...CONTACT_METHODS, 'Text message']);
    setRows(emu, 2, 599, OUTCOME, [...CONTACT_OUTCOMES, ...ADDON_OUTCOMES, 'Governor letter']);
    setRows(emu, 601, last - 600, METHOD, [...CONTACT_METHODS.filter((m) => m !== 'Note'), 'Home visit', 'Form tutor chat']);
    setRows(emu, 601, last - 600, OUTCOME, [...CONTACT_OUTCOMES]);
    expect(() => emu.userEdit(LOG, `${letter(METHOD)}${last}`, 'Note', al)).toThrow(/violates the data validation rules/);
    await emu.rpc('recalculate', [], al);
    for (const row of [2, 600, 601, last]) {
      expect(listAt(emu, row, METHOD)).toEqual([...CONTACT_METHODS, 'Text message', 'Form tutor chat']);
      expect(listAt(emu, row, OUTCOME)).toEqual([...CONTACT_OUTCOMES, ...ADDON_OUTCOMES, 'Governor letter']);
    }
    emu.userEdit(LOG, `${letter(METHOD)}${last}`, 'Note', al);
  });
  test('Set up… keeps a value the school added only in lower rows (it read row 2 alone and wrote its list over every row)', async () => {
    const { emu, admin } = await oldSheet();
    const last = lastRow(emu);
    setRows(emu, 601, last - 600, METHOD, [...CONTACT_METHODS.filter((m) => m !== 'Note'), 'Form tutor chat']);
    await emu.rpc('runSetup', [], admin);
    for (const row of [2, 601, last]) expect(listAt(emu, row, METHOD)).toEqual([...CONTACT_METHODS, 'Text message', 'Form tutor chat']);
  });
});
