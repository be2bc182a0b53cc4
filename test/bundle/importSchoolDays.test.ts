/**
 * Import refuses marks on days that are not school days (issue 11 point 1): a Saturday in the
 * export is named by row, column and why, nothing is written, and the days are offered for
 * confirmation; once confirmed the marks are imported and the day becomes an "Extra school day".
 */
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { dmy } from '../helpers/registerCsv';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

interface ImportResponse { ok: boolean; added: number; errors: { row: number; column: string; value: string; reason: string }[]; message: string; nonSchoolDays?: { date: string; why: string; rows: number }[] }

function snapshot(emu: Emulator): unknown {
  return emu.direct(() => emu.spreadsheet.getSheets().map((s) => ({ name: s.getName(), values: s.getDataRange().getValues() })));
}

test('marks on a Saturday are refused with row, column and why, and imported once the day is confirmed', async () => {
  const school = generateSchool(sampleOptions({ students: 30, schoolDays: 10 }));
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const emu = createEmulator({ users: [ao], now: schoolDayNoon(school.schoolDays[9]!) });
  putSampleSchool(emu, { school, omit: ['register'] });
  loadBuiltProject(emu);
  const [a, b] = school.students;
  const day = school.schoolDays[0]!;
  const saturday = '2024-09-07';
  const csv = [
    'Student ID,Student Name,Date,Session,Mark',
    `${a!.studentId},A,${dmy(day)},AM,/`,
    `${a!.studentId},A,${dmy(saturday)},AM,O`,
    `${b!.studentId},B,${dmy(saturday)},AM,O`,
  ].join('\n');
  const before = snapshot(emu);
  const refused = (await emu.rpc('importRegister', [{ fileName: 'arbor.csv', csvText: csv, onlyValidRows: false }], ao)) as ImportResponse;
  expect(refused.ok).toBe(false);
  expect(refused.errors).toEqual([
    { row: 3, column: 'Date', value: dmy(saturday), reason: expect.stringMatching(/^07\/09\/2024 is not a school day \(a Saturday, as Settings ▸ Academic year stands\).*confirm it as a school day/) },
    { row: 4, column: 'Date', value: dmy(saturday), reason: expect.stringMatching(/not a school day/) },
  ]);
  expect(refused.nonSchoolDays).toEqual([{ date: saturday, why: 'a Saturday', rows: 2 }]);
  expect(refused.message).toMatch(/One day is not a school day in Settings ▸ Academic year \(07\/09\/2024: a Saturday\)/);
  expect(snapshot(emu)).toEqual(before);

  const confirmed = (await emu.rpc('importRegister', [{ fileName: 'arbor.csv', csvText: csv, onlyValidRows: false, confirmSchoolDays: [saturday] }], ao)) as ImportResponse;
  expect(confirmed).toMatchObject({ ok: true, added: 3, errors: [] });
  expect(confirmed.message).toMatch(/07\/09\/2024 is now an extra school day in Settings ▸ Academic year/); // the school's date format
  const settings = tabValues(emu, 'Settings');
  expect(settings.find((r) => r[0] === 'Extra school day')!.slice(0, 4)).toEqual(['Extra school day', 'Confirmed at import', '07/09/2024', '']); // text in the school's format
  // The Saturday counts: A has 2 possible sessions (AM of the first day and of the Saturday).
  const tracker = tabValues(emu, 'SOL Tracker');
  const header = tracker[0]!.map(String);
  const rowA = tracker.find((r) => r[header.indexOf('Student ID')] === a!.studentId)!;
  expect(Number(rowA[header.indexOf('Possible')])).toBe(2);
});
