/**
 * Recording contacts on the built bundle (1,000 students): RTC/ROPC typed on the tracker (onEdit,
 * LIMITED mode), the sidebar's logContact with the tutor-group check, and today's calls.
 */
import { sessionHeader } from '../../src/core/register/registerSheet';
import { formatSchoolDate } from '../../src/core/format';
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { addCalendarDays } from '../../src/core/calendar';
import { COLOURS } from '../../src/core/tracker/colours';
import { loadBuiltProject as loadProject } from '../helpers/project';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');

function snapshot(emu: Emulator): unknown {
  return emu.direct(() => emu.spreadsheet.getSheets().map((s) => ({ name: s.getName(), values: s.getDataRange().getValues(), backgrounds: s.getDataRange().getBackgrounds() })));
}

const col = (header: string) => DEFAULT_TRACKER_HEADERS.indexOf(header);
const letter = (header: string) => String.fromCharCode(65 + col(header));
/** Names that would be formulas if written as typed (CSV/formula injection). */
const HOSTILE = ['=SUM(1,2) Evil', '+44 Plus', '-Minus Name', '@At Name'];

/** Today's date in the spreadsheet's zone, as the add-on writes it. */
function todayInSchoolZone(emu: Emulator): string {
  const d = emu.clock.now();
  return new Intl.DateTimeFormat('en-CA', { timeZone: emu.spreadsheet.getSpreadsheetTimeZone() }).format(d);
}

describe('recording contacts', () => {
  const school = generateSchool(sampleOptions({ students: 1000, schoolDays: 60 }));
  const today = school.schoolDays[school.schoolDays.length - 1];
  school.students.slice(0, 4).forEach((s, i) => (s.name = HOSTILE[i]));
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const tutorOf = (group: string) => school.staff.find((s) => s.role === 'Tutor' && s.tutorGroup === group)!.email;
  const first = school.students[0];
  const other = school.students.find((s) => s.tutorGroup !== first.tutorGroup)!;
  const emu = createEmulator({ users: ['owner@school.example', ao, tutorOf(first.tutorGroup)], now: schoolDayNoon(today) });
  // Names are put in as text (the leading apostrophe), as a school's sheet would hold them.
  putSampleSchool(emu, { school, cell: (h, f, s) => (f === 'studentName' && HOSTILE.includes(s.name) ? `'${s.name}` : undefined) });
  loadProject(emu);
  const logRows = () => tabValues(emu, 'Interventions Log');
  const rowBackgrounds = (row: number) => emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(row, 1, 1, DEFAULT_TRACKER_HEADERS.length).getBackgrounds()[0]);

  test('typing Yes in RTC appends a log row (a conversation at the row step) and colours the row', () => {
    emu.userEdit('SOL Tracker', `${letter('RTC')}2`, 'Yes', tutorOf(first.tutorGroup));
    const log = logRows();
    expect(log).toHaveLength(2);
    expect(log[1].slice(1, 10)).toEqual([expect.anything(), first.studentId, HOSTILE[0], 0, 'Conversation', 'Spoke to student', '', 'not known (typed in the tracker)', '']);
    expect(emu.direct(() => emu.spreadsheet.getSheetByName('Interventions Log')!.getRange(2, 1, 1, 13).getFormulas()[0].every((f) => f === ''))).toBe(true);
    const bg = rowBackgrounds(2);
    expect(bg[col('RTC')]).toBe(COLOURS.rtc);
    const lastContact = emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(2, col('Last contact') + 1).getValue());
    expect(String(lastContact)).toBe(formatSchoolDate(today, 'dd/MM/yyyy'));
  });

  test('a comment typed in ROPC is a phone call with the comment as its note', () => {
    emu.userEdit('SOL Tracker', `${letter('ROPC')}3`, '=HYPERLINK("http://evil","x") mum called back', ao);
    const row = logRows()[2];
    expect(row.slice(5, 7)).toEqual(['Phone call', 'Spoke to parent/carer']);
    // What was typed (kept as text), then the cell's own value (a formula's result) for Recalculate's check.
    expect(row[12]).toBe('=HYPERLINK("http://evil","x") mum called back — ROPC cell: "#NAME?"');
    expect(emu.direct(() => emu.spreadsheet.getSheetByName('Interventions Log')!.getRange(3, 1, 1, 13).getFormulas()[0].every((f) => f === ''))).toBe(true);
    expect(rowBackgrounds(3)[col('ROPC')]).toBe(COLOURS.ropc);
  });

  test('edits anywhere else do nothing: another column, the header row, another tab, a cleared cell', () => {
    const before = snapshot(emu);
    const logLength = logRows().length;
    emu.userEdit('SOL Tracker', `${letter('Comments')}4`, 'Yes', ao);
    emu.userEdit('SOL Tracker', `${letter('RTC')}1`, 'RTC', ao);
    emu.userEdit('Settings', 'C1', 'Yes', ao);
    emu.userEdit('SOL Tracker', `${letter('RTC')}5`, '', ao);
    expect(logRows()).toHaveLength(logLength);
    const after = snapshot(emu) as { name: string; backgrounds: string[][] }[];
    expect(after.map((s) => s.backgrounds)).toEqual((before as typeof after).map((s) => s.backgrounds));
  });

  test('a Tutor logging for another tutor group is refused without learning anything about that pupil, and nothing is written', async () => {
    const before = snapshot(emu);
    const message = await emu
      .rpc('logContact', [{ studentId: other.studentId, method: 'Phone call', outcome: 'No answer', nextAction: '', notes: '' }], tutorOf(first.tutorGroup))
      .then(() => '', (e: Error) => e.message);
    expect(message).toBe(`Log contact: no student with ID "${other.studentId}" among the students you may log contacts for (as a Tutor: tutor group ${first.tutorGroup}). Nothing was recorded.`);
    expect(message).not.toContain(other.tutorGroup);
    expect(snapshot(emu)).toEqual(before);
  });

  test('a bad method is refused by name; nothing is written', async () => {
    const before = snapshot(emu);
    await expect(emu.rpc('logContact', [{ studentId: first.studentId, method: 'Pigeon', outcome: 'No answer', nextAction: '', notes: '' }], ao)).rejects.toThrow(/Method "Pigeon" must be one of/);
    expect(snapshot(emu)).toEqual(before);
  });

  test('the tutor logs for their own student: log row with attendance and step, Last contact set, row coloured, the student returned', async () => {
    const student = school.students[3];
    const res = (await emu.rpc(
      'logContact',
      [{ studentId: student.studentId, method: 'Phone call', outcome: 'Left message', nextAction: 'Call again tomorrow', notes: '=HYPERLINK("http://evil","x")' }],
      tutorOf(student.tutorGroup) === tutorOf(first.tutorGroup) ? tutorOf(first.tutorGroup) : ao,
    )) as { logged: boolean; student: { studentId: string; history: { outcome: string }[] }; rowColour: string };
    expect(res.logged).toBe(true);
    expect(res.student.studentId).toBe(student.studentId);
    expect(res.student.history[0].outcome).toBe('Left message');
    expect(res.rowColour).toMatch(/^#[0-9a-f]{6}$/);
    const row = logRows().at(-1)!;
    expect(row[2]).toBe(student.studentId);
    expect(row[3]).toBe(HOSTILE[3]);
    expect(typeof row[9]).toBe('number');
    expect(row[12]).toBe('=HYPERLINK("http://evil","x")');
    const formulas = emu.direct(() => {
      const log = emu.spreadsheet.getSheetByName('Interventions Log')!;
      return log.getRange(log.getLastRow(), 1, 1, 13).getFormulas()[0];
    });
    expect(formulas.every((f) => f === '')).toBe(true);
    expect(rowBackgrounds(5)[0]).toBe(res.rowColour);
  });

  test('logging a contact for an overdue student clears "overdue" on the tracker at once (no Recalculate needed)', async () => {
    const header = emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(1, 1, 1, emu.spreadsheet.getSheetByName('SOL Tracker')!.getLastColumn()).getValues()[0]) as string[];
    const dueCol = header.indexOf('Contact due');
    const lastCol = header.indexOf('Last contact');
    const idCol = header.indexOf(DEFAULT_TRACKER_HEADERS[0]);
    emu.run('recalculate', [], { user: ao });
    emu.clock.advance(7 * 24 * 3600 * 1000); // a week on: contact due dates set last week have passed
    emu.run('recalculate', [], { user: ao });
    const rows = tabValues(emu, 'SOL Tracker');
    const r = rows.findIndex((row, i) => i > 4 && String(row[dueCol]).includes('overdue'));
    expect(r).toBeGreaterThan(0);
    const studentId = String(rows[r][idCol]);
    await emu.rpc('logContact', [{ studentId, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: '', notes: '' }], ao);
    const after = tabValues(emu, 'SOL Tracker')[r];
    expect(String(after[dueCol])).not.toContain('overdue');
    expect(String(after[lastCol])).toBe(formatSchoolDate(todayInSchoolZone(emu), 'dd/MM/yyyy'));
    emu.clock.set(schoolDayNoon(today)); // later tests in this file run on the register's last day
  });

  test("today's calls list an N-coded student with the parent's phone, limited to what the user may see", async () => {
    const target = school.students.find((s) => s.parents.some((p) => p.phone) && s.tutorGroup === first.tutorGroup)!;
    emu.direct(() => {
      const reg = emu.spreadsheet.getSheetByName('Register')!;
      const values = reg.getDataRange().getValues();
      const c = values[0].map(String).indexOf(sessionHeader(today, "AM"));
      const r = values.findIndex((row) => row[0] === target.studentId);
      reg.getRange(r + 1, c + 1).setValue('N');
    });
    const all = (await emu.rpc('getTodayCalls', [], ao)) as { date: string; students: { studentId: string; phone: string; code: string; parentName: string }[] };
    expect(all.date).toBe(today);
    const call = all.students.find((s) => s.studentId === target.studentId)!;
    expect(call.code).toBe('N');
    const parent = target.parents.find((p) => p.phone)!;
    expect(call).toMatchObject({ phone: parent.phone, parentName: parent.name });
    const mine = (await emu.rpc('getTodayCalls', [], tutorOf(first.tutorGroup))) as typeof all;
    expect(mine.students.map((s) => s.studentId)).toContain(target.studentId);
    const groups = new Set(school.students.filter((s) => mine.students.some((m) => m.studentId === s.studentId)).map((s) => s.tutorGroup));
    expect([...groups]).toEqual([first.tutorGroup]);

    // Issue 11: once the family is called it shows as done; only marked absences count.
    await emu.rpc('logContact', [{ studentId: target.studentId, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: '', notes: '' }], ao);
    const after = (await emu.rpc('getTodayCalls', [], ao)) as { students: { studentId: string; calledToday: string | null; code: string }[]; marksImported: boolean };
    expect(after.marksImported).toBe(true);
    expect(after.students.find((s) => s.studentId === target.studentId)!.calledToday).toMatch(/Spoke to parent\/carer/);
    expect(after.students.every((s) => s.code !== '')).toBe(true);
  });

  test("Today says when today's marks are not imported yet, with the last import time, instead of listing everyone", async () => {
    emu.clock.set(schoolDayNoon(addCalendarDays(today, 3))); // the next school day (Monday): no marks for it yet
    const res = (await emu.rpc('getTodayCalls', [], ao)) as { students: unknown[]; marksImported: boolean; schoolDay: boolean; lastImported: string | null };
    expect(res).toMatchObject({ students: [], marksImported: false, schoolDay: true });
    emu.clock.set(schoolDayNoon(today));
  });

  test("RTC typed on a row whose Step cell was sorted out of line is logged at that pupil's own step, found by ID (issue 10)", async () => {
    const target = school.students[10];
    const row = 12;
    const own = (await emu.rpc('getStudent', [{ studentId: target.studentId }], ao)) as { step: number };
    const wrong = own.step === 6 ? 'Step 1 – Tutor conversation' : 'Step 6 – Letter 3, AIM 2';
    emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(row, col('Step') + 1).setValue(wrong));
    const before = logRows().length;
    emu.userEdit('SOL Tracker', `${letter('RTC')}${row}`, 'Yes', ao);
    const log = logRows();
    expect(log).toHaveLength(before + 1);
    expect(log[before][2]).toBe(target.studentId);
    expect(log[before][4]).toBe(own.step);
  });
});
