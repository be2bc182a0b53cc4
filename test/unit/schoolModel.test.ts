import { isoDateOfCell } from '../../src/core/calendar';
import { buildSchoolModel, calendarFor, DEFAULT_CONTACT_SCHOOL_DAYS, stepFromLabel, type SchoolModelInput } from '../../src/core/schoolModel';
import { computeStats } from '../../src/core/stats';
import { evaluateStudent } from '../../src/core/policy/evaluate';
import { resolveActivePolicy } from '../../src/core/activePolicy';
import { LOG_HEADERS, logRow } from '../../src/core/interventionsLog';
import { registerSheetValues } from '../../src/core/register/registerSheet';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { mapColumns } from '../../src/core/tracker/columns';
import { generateSchool } from '../../src/core/sample/school';
import type { InterventionRecord, MarkOnDay, RegisterMark } from '../../src/core/types';

const TODAY = '2024-10-10';
const SETTINGS: Settings = { ...DEFAULT_SETTINGS, calendar: [{ kind: 'Term', name: 'Autumn 2024', start: '2024-09-02', end: '2024-12-20' }, { kind: 'Half-term', name: 'Autumn half-term', start: '2024-10-28', end: '2024-11-01' }] };
const HEADERS = ['Student ID', 'Student Name', 'Year Group', 'Tutor Group', 'RTC', 'ROPC', 'Comments', 'Attendance %', 'Possible', 'Unauthorised', 'PA', 'Severe', 'Step', 'Why', 'Review due', 'Last contact', 'Contact due', 'Letters'];

/** Weekdays from 2024-09-02 up to the day before TODAY. */
function schoolDays(): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(2024, 8, 2); ; t += 86400000) {
    const d = new Date(t);
    const iso = d.toISOString().slice(0, 10);
    if (iso >= TODAY) break;
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(iso);
  }
  return days;
}
const DAYS = schoolDays(); // 28 days = 56 sessions

/** Marks with `absent` whole days of `code` at the start, present otherwise. */
function marksFor(studentId: string, absentDays: number, code = 'O'): RegisterMark[] {
  return DAYS.flatMap((date, i) => [
    { studentId, date, session: 'AM' as const, code: i < absentDays ? code : '/' },
    { studentId, date, session: 'PM' as const, code: i < absentDays ? code : '\\' },
  ]);
}

function trackerRow(id: string, name: string, extra: Partial<Record<string, string>> = {}): string[] {
  return HEADERS.map((h) => ({ 'Student ID': id, 'Student Name': name, 'Year Group': '9', 'Tutor Group': '9A', ...extra })[h] ?? '');
}

function input(over: Partial<SchoolModelInput> & { tracker?: string[][]; marks?: RegisterMark[]; log?: InterventionRecord[] } = {}): SchoolModelInput {
  const tracker = over.tracker ?? [
    HEADERS,
    trackerRow('S1', 'Ada Present'),
    trackerRow('S2', 'Ben Ninetyfour'),
    trackerRow('S3', 'Cal Unknown'),
    trackerRow('S4', 'Dee Severe'),
    trackerRow('', 'No Id'),
    HEADERS.map(() => ''),
  ];
  // S2: 2 of 28 days absent... → 52/56 = 92.9 %: below 93 → Step 5. Use 1.5 days: AM+PM+AM.
  const s2 = marksFor('S2', 0);
  s2[0]!.code = 'O';
  s2[1]!.code = 'O';
  s2[2]!.code = 'O'; // 53/56 = 94.6 % → Step 4 (below 95, not below 93)
  const s3 = marksFor('S3', 0);
  s3[7]!.code = 'Q9';
  const marks = over.marks ?? [...marksFor('S1', 0), ...s2, ...s3, ...marksFor('S4', 15, 'G')];
  const logValues = [[...LOG_HEADERS], ...(over.log ?? []).map((r) => logRow(r, '2024-10-01T09:00:00', r.studentId))];
  return {
    trackerValues: tracker,
    columns: mapColumns(tracker[0]!),
    registerValues: registerSheetValues(marks, ['S1', 'S2', 'S3', 'S4']),
    logValues,
    settings: SETTINGS,
    today: TODAY,
    ...over,
  };
}

describe('buildSchoolModel', () => {
  test('places hand-made students as the core evaluation does, with flags', () => {
    const model = buildSchoolModel(input());
    expect(model.byId.get('S1')!.placement.step).toBe(0);
    expect(model.byId.get('S1')!.placement.label).toBe('No step');
    const s2 = model.byId.get('S2')!;
    expect(s2.stats.possible).toBe(56);
    expect(s2.stats.attended).toBe(53);
    expect(s2.placement.label).toBe('Step 4 – Letter 1');
    expect(s2.placement.explanation).toContain('below 95%');
    expect(s2.stats.persistentAbsence).toBe(false);
    const s4 = model.byId.get('S4')!;
    expect(s4.stats.attendanceFraction).toBeCloseTo(13 / 28, 10);
    expect(s4.stats.persistentAbsence).toBe(true);
    expect(s4.stats.severeAbsence).toBe(true);
    expect(s4.placement.step).toBe(6);
    expect(s4.penalty.reached).toBe(true);
    // The same answer the core gives on its own.
    const { policy, table } = resolveActivePolicy(SETTINGS);
    const marks: MarkOnDay[] = s4.marks;
    const stats = computeStats(marks, table);
    expect(evaluateStudent(policy, { studentId: 'S4', stats, marks, history: [], today: TODAY, calendar: model.calendar, table }).label).toBe(s4.placement.label);
  });

  test('a student with an unknown code is reported with the Register cell and not evaluated', () => {
    const model = buildSchoolModel(input());
    expect(model.byId.has('S3')).toBe(false);
    const un = model.unevaluated.get('S3')!;
    // S3 is the 3rd student: Register row 4; the 8th mark (index 7) is day 4 PM → column 1 + 8 = I.
    expect(un.problem).toMatch(/^Register row 4, column I \(05\/09\/2024 PM\): "Q9" is not a code/);
    expect(un.problem).toContain('S3 (Cal Unknown, tracker row 4)');
    expect(model.problems).toContain(un.problem);
    const row = model.rows.find((r) => r.row === 4)!;
    expect(row.kind).toBe('unevaluated');
  });

  test('rows: one outcome per data row, invalid rows named, blank rows blank', () => {
    const model = buildSchoolModel(input());
    expect(model.rows.map((r) => r.kind)).toEqual(['student', 'student', 'unevaluated', 'student', 'invalid', 'blank']);
    const invalid = model.rows[4]!;
    expect(invalid.kind === 'invalid' && invalid.problem).toMatch(/^Tracker row 6, column A \(Student ID\): Student ID is blank/);
  });

  test('contact due: a newly placed step is due 2 school days on, not overdue', () => {
    const s2 = buildSchoolModel(input()).byId.get('S2')!;
    expect(DEFAULT_CONTACT_SCHOOL_DAYS).toBe(2);
    expect(s2.contactDue).toBe('2024-10-14'); // Thu 10 → Fri 11, Mon 14
    expect(s2.overdue).toBe(false);
  });

  test('contact due carries over from the last Recalculate and becomes overdue with no contact logged', () => {
    const tracker = input().trackerValues as string[][];
    const stepCol = HEADERS.indexOf('Step');
    const dueCol = HEADERS.indexOf('Contact due');
    tracker[2]![stepCol] = 'Step 4 – Letter 1';
    tracker[2]![dueCol] = '2024-10-08';
    const s2 = buildSchoolModel(input({ tracker })).byId.get('S2')!;
    expect(s2.contactDue).toBe('2024-10-08');
    expect(s2.overdue).toBe(true);
    // A phone call logged after the step was entered (2024-10-04) clears it; "No answer" does not.
    const call = (outcome: string, date: string): InterventionRecord => ({ date, studentId: 'S2', step: 0, method: 'Phone call', outcome, by: 'ao@school.example' });
    expect(buildSchoolModel(input({ tracker, log: [call('No answer', '2024-10-07')] })).byId.get('S2')!.overdue).toBe(true);
    const contacted = buildSchoolModel(input({ tracker, log: [call('Spoke to parent/carer', '2024-10-07')] })).byId.get('S2')!;
    expect(contacted.overdue).toBe(false);
    expect(contacted.lastContact).toBe('2024-10-07');
    // A different step last time: the due date starts again from today.
    tracker[2]![stepCol] = 'Step 3 – Parent contact & 2-week monitoring';
    expect(buildSchoolModel(input({ tracker })).byId.get('S2')!.contactDue).toBe('2024-10-14');
  });

  test('history comes from the log and keeps a student at the step reached', () => {
    // Letter 1 sent 2024-10-03: its review (10 school days) is not due yet, so the student stays.
    const log: InterventionRecord[] = [{ date: '2024-10-03', studentId: 'S1', step: 4, method: 'Letter', outcome: 'Letter sent', by: 'ao@school.example', letterKey: 'S1|letter1|Autumn 2024' }];
    const s1 = buildSchoolModel(input({ log })).byId.get('S1')!;
    expect(s1.history).toHaveLength(1);
    expect(s1.placement.step).toBe(4);
    expect(s1.placement.explanation).toContain('remains at Step 4');
    expect(s1.contactDue).toBe('2024-10-07');
    expect(s1.overdue).toBe(false); // the letter of 2024-10-03 is the contact
  });

  test('`only` evaluates just the selected students', () => {
    const model = buildSchoolModel(input({ only: (s) => s.studentId === 'S2' }));
    expect([...model.byId.keys()]).toEqual(['S2']);
    expect(model.unevaluated.size).toBe(0);
  });

  test('calendar: the Settings term when entered, else the default for the code table', () => {
    const { table } = resolveActivePolicy(SETTINGS);
    expect(calendarFor(SETTINGS, table, TODAY).terms).toEqual([{ name: 'Autumn 2024', start: '2024-09-02', end: '2024-12-20' }]);
    expect(calendarFor(SETTINGS, table, TODAY).closures).toEqual(['2024-10-28', '2024-10-29', '2024-10-30', '2024-10-31', '2024-11-01']);
    const dflt = calendarFor(DEFAULT_SETTINGS, table, TODAY);
    expect(dflt.terms.map((t) => t.name)).toEqual(['Autumn term', 'Spring term', 'Summer term']);
    expect(dflt.terms[0]!.start.startsWith('2024-09')).toBe(true);
  });

  test('cell readers', () => {
    expect(isoDateOfCell("'2024-10-08 – overdue")).toBe('2024-10-08');
    expect(isoDateOfCell(new Date(2024, 9, 8))).toBe('2024-10-08');
    expect(isoDateOfCell('soon')).toBeNull();
    expect(stepFromLabel('Step 10 – Referral for prosecution')).toBe(10);
    expect(stepFromLabel('No step')).toBe(0);
    expect(stepFromLabel('Not evaluated')).toBeNull();
  });

  test('a whole school of 2,000 students × 380 sessions is evaluated (speed: npm run bench)', () => {
    const school = generateSchool({ seed: 7, students: 2000, startDate: '2024-09-02', schoolDays: 190, preset: 'uk' });
    const tracker = [['Student ID', 'Student Name', 'Year Group', 'Tutor Group', 'Step', 'Contact due'], ...school.students.map((s) => [s.studentId, s.name, s.yearGroup, s.tutorGroup, '', ''])];
    const today = school.schoolDays[school.schoolDays.length - 1]!;
    const base = { trackerValues: tracker, columns: mapColumns(tracker[0]!), registerValues: registerSheetValues(school.marks), logValues: [[...LOG_HEADERS]], settings: DEFAULT_SETTINGS, today };
    const model = buildSchoolModel(base);
    expect(model.byId.size).toBe(2000);
    expect(model.unevaluated.size).toBe(0);
    // Every student placed by the same rule the core uses one by one.
    const pa = [...model.byId.values()].filter((r) => r.stats.persistentAbsence).length;
    expect(pa / 2000).toBeGreaterThan(0.1);
    expect(pa / 2000).toBeLessThan(0.35);
  });
});
