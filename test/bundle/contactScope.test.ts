/**
 * Issue 10 (J, preview walk as staff): an RTC/ROPC typed into the tracker is recorded only by
 * someone whose role covers that pupil — a Tutor their own tutor group, a Head of Year their year,
 * the attendance team anyone — as the sidebar's Log a contact already is. A refused entry is put
 * back as the cell was, nothing is logged, and the person is told why (naming the groups).
 *
 * The editor's identity reaches onEdit (a simple trigger) only where Google gives it: a script of
 * the school's own Workspace domain (semantics U1.1). The emulator models that with
 * `developerDomain`; elsewhere the entry is logged as "not known" (test/bundle/contacts.test.ts).
 */
import { createEmulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject as loadProject } from '../helpers/project';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const col = (header: string) => DEFAULT_TRACKER_HEADERS.indexOf(header);
const letter = (header: string) => String.fromCharCode(65 + col(header));

describe('RTC/ROPC typed in the tracker: only for the pupils your role covers', () => {
  const school = generateSchool(sampleOptions({ students: 240, schoolDays: 30 }));
  const today = school.schoolDays[school.schoolDays.length - 1];
  const tutor = school.staff.find((s) => s.role === 'Tutor')!;
  const own = school.students.findIndex((s) => s.tutorGroup === tutor.tutorGroup);
  const otherGroup = school.students.findIndex((s) => s.yearGroup === tutor.yearGroup && s.tutorGroup !== tutor.tutorGroup);
  const otherYear = school.students.findIndex((s) => s.yearGroup !== tutor.yearGroup);
  const hoy = school.staff.find((s) => s.role === 'HOY' && s.yearGroup === tutor.yearGroup)!;
  const ao = school.staff.find((s) => s.role === 'AO')!;
  const stranger = 'visitor@school.example';
  const emu = createEmulator({
    account: 'workspace',
    developerDomain: 'school.example',
    users: ['owner@school.example', tutor.email, hoy.email, ao.email, stranger],
    now: schoolDayNoon(today),
  });
  putSampleSchool(emu, { school });
  loadProject(emu);
  const logRows = () => tabValues(emu, 'Interventions Log');
  const cell = (row: number, header: string) => tabValues(emu, 'SOL Tracker')[row - 1][col(header)];
  const toastsAfter = (n: number) => emu.ui.toasts.slice(n).map((t) => t.msg).join(' ');
  const rowOf = (index: number) => index + 2;

  test('the sample has what the test needs', () => {
    expect([own, otherGroup, otherYear].every((i) => i >= 0)).toBe(true);
    expect(school.students[otherGroup].tutorGroup).not.toBe(tutor.tutorGroup);
  });

  test('a Tutor typing RTC into another tutor group\'s row: nothing logged, the cell put back, told why naming both groups', () => {
    const row = rowOf(otherGroup);
    const before = logRows().length;
    const toasts = emu.ui.toasts.length;
    emu.userEdit('SOL Tracker', `${letter('RTC')}${row}`, 'Yes', tutor.email);
    expect(logRows()).toHaveLength(before);
    expect(cell(row, 'RTC')).toBe('');
    const told = toastsAfter(toasts);
    expect(told).toContain(`tutor group ${tutor.tutorGroup}`);
    expect(told).toContain(`tutor group ${school.students[otherGroup].tutorGroup}`);
    expect(told).toMatch(/RTC entry on row \d+ was not recorded/);
    expect(told).toContain('Nothing was logged and the cell was put back as it was.');
    // Nothing left for Recalculate to log later as "found in the tracker".
    emu.run('recalculate', [], { user: ao.email });
    expect(logRows().filter((r) => r[2] === school.students[otherGroup].studentId && r[5] === 'Conversation')).toHaveLength(0);
  });

  test('a cell that already held an entry is put back to that entry (ROPC)', () => {
    const row = rowOf(otherGroup);
    emu.userEdit('SOL Tracker', `${letter('ROPC')}${row}`, 'mum rang back', ao.email);
    const before = logRows().length;
    emu.userEdit('SOL Tracker', `${letter('ROPC')}${row}`, 'Yes', tutor.email);
    expect(logRows()).toHaveLength(before);
    expect(cell(row, 'ROPC')).toBe('mum rang back');
  });

  test('the Tutor\'s own pupil is logged, by the tutor', () => {
    const row = rowOf(own);
    emu.userEdit('SOL Tracker', `${letter('RTC')}${row}`, 'Yes', tutor.email);
    const last = logRows().at(-1)!;
    expect(last[2]).toBe(school.students[own].studentId);
    expect(last[8]).toBe(tutor.email);
    expect(cell(row, 'RTC')).toBe('Yes');
  });

  test('a Head of Year records any pupil of their year, not another year\'s', () => {
    const mine = rowOf(otherGroup);
    let before = logRows().length;
    emu.userEdit('SOL Tracker', `${letter('RTC')}${mine}`, 'Yes', hoy.email);
    expect(logRows()).toHaveLength(before + 1);
    expect(logRows().at(-1)![8]).toBe(hoy.email);

    const theirs = rowOf(otherYear);
    before = logRows().length;
    const toasts = emu.ui.toasts.length;
    emu.userEdit('SOL Tracker', `${letter('RTC')}${theirs}`, 'Yes', hoy.email);
    expect(logRows()).toHaveLength(before);
    expect(cell(theirs, 'RTC')).toBe('');
    expect(toastsAfter(toasts)).toContain(`as Head of Year you record RTC/ROPC for pupils of your year (year ${hoy.yearGroup}), and this pupil is in year ${school.students[otherYear].yearGroup}`);
  });

  test('the attendance team records any pupil', () => {
    const row = rowOf(otherYear);
    const before = logRows().length;
    emu.userEdit('SOL Tracker', `${letter('RTC')}${row}`, 'Yes', ao.email);
    expect(logRows()).toHaveLength(before + 1);
    expect(logRows().at(-1)![8]).toBe(ao.email);
  });

  test('someone not in Settings → Staff records nobody', () => {
    const row = rowOf(own) + 1;
    const before = logRows().length;
    const toasts = emu.ui.toasts.length;
    emu.userEdit('SOL Tracker', `${letter('RTC')}${row}`, 'Yes', stranger);
    expect(logRows()).toHaveLength(before);
    expect(cell(row, 'RTC')).toBe('');
    expect(toastsAfter(toasts)).toContain(`${stranger} is not in the Settings → Staff table`);
  });

  test('a pasted block: the tutor\'s own rows are logged, the other group\'s rows put back', () => {
    // Four consecutive rows that mix the tutor's group with another.
    const start = school.students.findIndex((s, i) => s.tutorGroup === tutor.tutorGroup && school.students[i + 1]?.tutorGroup !== tutor.tutorGroup) - 1;
    expect(start).toBeGreaterThan(own + 1);
    const first = rowOf(start);
    const block = [0, 1, 2, 3].map(() => ['Yes, spoke today']);
    const old = [0, 1, 2, 3].map((k) => cell(first + k, 'RTC'));
    const before = logRows().length;
    const toasts = emu.ui.toasts.length;
    emu.userEdit('SOL Tracker', `${letter('RTC')}${first}:${letter('RTC')}${first + 3}`, block, tutor.email);
    const ownRows = [0, 1, 2, 3].filter((k) => school.students[first - 2 + k].tutorGroup === tutor.tutorGroup);
    const logged = logRows().slice(before);
    expect(logged.map((r) => r[2]).sort()).toEqual(ownRows.map((k) => school.students[first - 2 + k].studentId).sort());
    for (let k = 0; k < 4; k++) {
      const mine = school.students[first - 2 + k].tutorGroup === tutor.tutorGroup;
      expect(cell(first + k, 'RTC')).toBe(mine ? 'Yes, spoke today' : old[k]);
    }
    expect(toastsAfter(toasts)).toContain(`tutor group ${tutor.tutorGroup}`);
  });
});
