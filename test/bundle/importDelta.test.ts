/**
 * A daily import writes only the sessions that changed (issue 13), keeps the Register Amendments
 * audit exact, and does not recalculate again when a re-import brings nothing new. The Register ends
 * exactly as a whole rewrite would leave it. (At 2,000 pupils in July: npm run bench -- import.)
 */
import { createEmulator } from '../../emulator';
import { generateSchool, type SampleSchool } from '../../src/core/sample/school';
import { registerSheetValues } from '../../src/core/register/registerSheet';
import { loadBuiltProject } from '../helpers/project';
import { simsCsv } from '../helpers/registerCsv';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const school = generateSchool(sampleOptions({ students: 200, schoolDays: 40, seed: 9 }));
const days = school.schoolDays;
const today = days[days.length - 1]!;
const ao = school.staff.find((s) => s.role === 'AO')!.email;

interface Res { ok: boolean; added: number; amended: number; message: string }

test("a day's import writes its two sessions and the corrected cells, not the Register", async () => {
  const emu = createEmulator({ users: [ao], now: schoolDayNoon(today) });
  putSampleSchool(emu, { school: { ...school, marks: school.marks.filter((m) => m.date < today) } as SampleSchool });
  loadBuiltProject(emu);
  await emu.rpc('recalculate', [], ao);
  const fixedDay = days[10]!;
  const pupil = school.students[17]!.studentId;
  const marks = school.marks.map((m) => (m.studentId === pupil && m.date === fixedDay && m.session === 'PM' ? { ...m, code: m.code === 'O' ? 'M' : 'O' } : m));
  const old = school.marks.find((m) => m.studentId === pupil && m.date === fixedDay && m.session === 'PM')!.code;
  const csv = simsCsv({ ...school, marks } as SampleSchool, [fixedDay, today]);

  // What the recalculation alone writes (the import runs one): the Register's share is the rest.
  emu.calls.reset();
  await emu.rpc('recalculate', [], ao);
  const recalcCells = emu.calls.cellsWritten();

  emu.calls.reset();
  const res = (await emu.rpc('importRegister', [{ fileName: 'sims.csv', csvText: csv, onlyValidRows: false }], ao)) as Res;
  expect(res).toMatchObject({ ok: true, added: 400, amended: 1 });
  const registerCells = emu.calls.cellsWritten() - recalcCells;
  const amendmentCells = 16; // the new audit tab's header row and its one row
  expect(registerCells - amendmentCells).toBe((school.students.length + 1) * 2 + 1); // two new columns + the corrected cell
  // The Register is exactly the whole rewrite's, and the correction is audited once.
  const expected = registerSheetValues(marks, school.students.map((s) => s.studentId));
  expect(tabValues(emu, 'Register').map((r) => r.map(String))).toEqual(expected);
  const audit = tabValues(emu, 'Register Amendments').slice(1).map((r) => r.slice(1, 6).map(String));
  // The Amendments tab shows the day in the school's format (UK preset: dd/mm/yyyy).
  expect(audit).toEqual([[pupil, fixedDay.split('-').reverse().join('/'), 'PM', old, old === 'O' ? 'M' : 'O']]);

  // The same file again brings nothing new: nothing written, and the tracker is not recalculated again.
  emu.calls.reset();
  const again = (await emu.rpc('importRegister', [{ fileName: 'sims.csv', csvText: csv, onlyValidRows: false }], ao)) as Res;
  expect(again.message).toMatch(/nothing new .* The tracker was already recalculated after the last import today\./);
  expect(emu.calls.cellsWritten()).toBe(0);
  expect(emu.calls.get('SpreadsheetApp.Range.setBackgrounds')).toBe(0);
}, 120_000);
