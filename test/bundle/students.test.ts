/** Student look-ups for the sidebar on the built bundle: getStudent, getSelectedStudent, searchStudents. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { LOG_HEADERS, logRow } from '../../src/core/interventionsLog';
import type { StudentSummary, StudentView } from '../../src/rpcTypes';
import { putSampleSchool, schoolDayNoon, TAB, writeTab, type SampleSpreadsheet } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');
beforeAll(() => {
  const code = path.join(root, 'dist/Code.js');
  if (!fs.existsSync(code) || !fs.readFileSync(code, 'utf8').includes('searchStudents')) execFileSync('node', ['build.mjs'], { cwd: root, stdio: 'pipe' });
});

let emu: Emulator;
let s: SampleSpreadsheet;
let admin: string;
let tutor: { email: string; name: string; tutorGroup: string };

beforeAll(() => {
  const probe = putSampleSchool(createEmulator(), { students: 200 });
  admin = probe.staffOf('Admin').email;
  tutor = probe.staffOf('Tutor');
  emu = createEmulator({ now: schoolDayNoon(probe.today), users: [admin, tutor.email] });
  s = putSampleSchool(emu, { students: 200, school: probe.school });
  const first = s.school.students[0]!;
  // Dates as text ('yyyy-mm-dd): a date cell would come back as a Date, which the log reader turns
  // into a day with the host's time zone, not the script's (reported: interventionsLog isoOf).
  const asText = (row: (string | number)[]) => row.map((v, c) => (c === 1 ? `'${v}` : v));
  writeTab(emu, TAB.log, [
    [...LOG_HEADERS],
    asText(logRow({ date: '2024-10-01', studentId: first.studentId, step: 1, method: 'Conversation', outcome: 'Spoke to student', nextAction: 'Monitor', by: tutor.email }, '2024-10-01T09:00:00', first.name)),
    asText(logRow({ date: '2024-10-08', studentId: first.studentId, step: 2, method: 'Phone call', outcome: 'No answer', by: admin }, '2024-10-08T09:00:00', first.name)),
  ]);
  emu.loadProject();
});

test('getStudent: the view with figures, step, explanation and history newest first (named staff)', async () => {
  const first = s.school.students[0]!;
  const view = (await emu.rpc('getStudent', [{ studentId: first.studentId }], admin)) as StudentView;
  expect(view.studentId).toBe(first.studentId);
  expect(view.name).toBe(first.name);
  expect(view.attendancePercent).toMatch(/^\d+\.\d%$/);
  expect(view.stepLabel.startsWith(`Step ${view.step}`) || view.stepLabel === 'No step').toBe(true);
  expect(view.explanation.length).toBeGreaterThan(10);
  expect(view.history.map((h) => [h.date, h.method, h.outcome])).toEqual([
    ['2024-10-08', 'Phone call', 'No answer'],
    ['2024-10-01', 'Conversation', 'Spoke to student'],
  ]);
  expect(view.history[1]!.by).toBe(tutor.name);
  expect(view.step).toBeGreaterThanOrEqual(2); // the log holds Step 2
});

test('getStudent: an unknown ID is a clear error', async () => {
  await expect(emu.rpc('getStudent', [{ studentId: 'NOPE' }], admin)).rejects.toThrow('No student with ID "NOPE" among the students you may see.');
});

test('a tutor sees their own group; another group\'s pupil reads exactly like an unknown ID (nothing revealed)', async () => {
  const own = s.school.students.find((st) => st.tutorGroup === tutor.tutorGroup)!;
  const other = s.school.students.find((st) => st.tutorGroup !== tutor.tutorGroup)!;
  const view = (await emu.rpc('getStudent', [{ studentId: own.studentId }], tutor.email)) as StudentView;
  expect(view.tutorGroup).toBe(tutor.tutorGroup);
  const refusal = await emu.rpc('getStudent', [{ studentId: other.studentId }], tutor.email).then(() => '', (e: Error) => e.message);
  expect(refusal).toBe(`No student with ID "${other.studentId}" among the students you may see (as a Tutor: tutor group ${tutor.tutorGroup}).`);
  for (const secret of [other.name, `year ${other.yearGroup}`, other.tutorGroup]) expect(refusal).not.toContain(secret);
  const unknown = await emu.rpc('getStudent', [{ studentId: 'NOPE' }], tutor.email).then(() => '', (e: Error) => e.message);
  expect(unknown.replace('NOPE', other.studentId)).toBe(refusal);
});

test('searchStudents: by part of a name, accent-insensitive, at most 20, a tutor only their group', async () => {
  const all = (await emu.rpc('searchStudents', [{ query: 'a' }], admin)) as StudentSummary[];
  expect(all).toHaveLength(20);
  const target = s.school.students[7]!;
  const byId = (await emu.rpc('searchStudents', [{ query: target.studentId.slice(2, 9).toLowerCase() }], admin)) as StudentSummary[];
  expect(byId.map((r) => r.studentId)).toContain(target.studentId);
  const plainName = target.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  const byName = (await emu.rpc('searchStudents', [{ query: plainName }], admin)) as StudentSummary[];
  expect(byName.map((r) => r.studentId)).toContain(target.studentId);
  const mine = (await emu.rpc('searchStudents', [{ query: 'a' }], tutor.email)) as StudentSummary[];
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.every((r) => r.tutorGroup === tutor.tutorGroup)).toBe(true);
  expect(await emu.rpc('searchStudents', [{ query: '   ' }], admin)).toEqual([]);
});

test('getSelectedStudent: the row under the cursor on the tracker, null elsewhere', async () => {
  const third = s.school.students[2]!;
  emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName(TAB.tracker)!;
    sheet.activate();
    sheet.getRange(4, 2).activate();
  });
  const view = (await emu.rpc('getSelectedStudent', [], admin)) as StudentView | null;
  expect(view?.studentId).toBe(third.studentId);
  emu.direct(() => emu.spreadsheet.getSheetByName(TAB.tracker)!.getRange(1, 1).activate());
  expect(await emu.rpc('getSelectedStudent', [], admin)).toBeNull();
  emu.direct(() => {
    const reg = emu.spreadsheet.getSheetByName(TAB.register)!;
    reg.activate();
    reg.getRange(4, 2).activate();
  });
  expect(await emu.rpc('getSelectedStudent', [], admin)).toBeNull();
});

test('a single look-up reads only that student\'s Register row, not the whole register', async () => {
  emu.calls.reset();
  await emu.rpc('getStudent', [{ studentId: s.school.students[3]!.studentId }], admin);
  const cellsRead = emu.calls.get('SpreadsheetApp.Range.getValues');
  expect(cellsRead).toBeLessThanOrEqual(8);
  expect(emu.calls.get('SpreadsheetApp.Sheet.getDataRange')).toBe(3); // settings, tracker and log — never the whole Register
});
