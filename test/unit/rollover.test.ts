/** The new academic year as a plan (issue 11 point 5): a preview of every change, nothing lost. */
import { calendarFromEntries, englandPattern } from '../../src/core/calendar';
import { describeRollover, moveTutorGroup, parseYearGroup, planRollover, planToken, readNewYearExport, rolloverTiming } from '../../src/core/rollover';
import { mapColumns } from '../../src/core/tracker/columns';

const HEADERS = ['Student ID', 'Student Name', 'Year Group', 'Tutor Group', 'RTC', 'Comments', 'Attendance %', 'Step', 'Parent Email'];
const tracker = [
  HEADERS,
  ['S1', 'Ava', 'Year 7', '7A', 'Yes', 'keeps this', '96.0%', 'Step 1', 'a@x.example'],
  ['S2', 'Ben', 'Year 11', '11C', '', '', '88.0%', 'Step 5', ''],
  ['S3', 'Cal', 'Y10', 'Kestrel', '', '', '', '', ''],
  ['S4', 'Dee', 'Sixth Form', '12X', '', '', '', '', ''],
];
const TABS = [{ name: 'SOL Tracker', rows: 5 }, { name: 'Register', rows: 901 }, { name: 'Interventions Log', rows: 120 }, { name: 'Letters Ledger', rows: 40 }];
const base = { trackerValues: tracker, mapping: mapColumns(HEADERS).mapping, closingYear: 2025, tabs: TABS };

test('year groups move up as written; tutor groups that start with the year move with it', () => {
  expect(parseYearGroup('Year 7')!.write(8)).toBe('Year 8');
  expect(parseYearGroup('Y10')!.write(11)).toBe('Y11');
  expect(parseYearGroup('Sixth Form')).toBeNull();
  expect(moveTutorGroup('7A', 7, 8)).toBe('8A');
  expect(moveTutorGroup('Kestrel', 10, 11)).toBe('Kestrel');
});

test('without an export: archives every tab, moves up, the top year leaves (kept on the archive), the ladder resets; nothing is lost', () => {
  const plan = planRollover(base);
  expect(plan.archives.map((a) => a.to)).toEqual(['SOL Tracker 2025–26', 'Register 2025–26', 'Interventions Log 2025–26', 'Letters Ledger 2025–26']);
  expect(plan.moves.map((m) => [m.studentId, m.toYear, m.toGroup])).toEqual([['S1', 'Year 8', '8A'], ['S3', 'Y11', 'Kestrel']]);
  expect(plan.leavers).toEqual([{ row: 3, studentId: 'S2', name: 'Ben', yearGroup: 'Year 11', why: 'the top year (Year 11)' }]);
  expect(plan.unchanged).toEqual([{ row: 5, studentId: 'S4', yearGroup: 'Sixth Form', why: '"Sixth Form" is not a numbered year group' }]);
  expect(plan.newTracker).toEqual([
    HEADERS,
    ['S1', 'Ava', 'Year 8', '8A', '', 'keeps this', '', '', 'a@x.example'],
    ['S3', 'Cal', 'Y11', 'Kestrel', '', '', '', '', ''],
    ['S4', 'Dee', 'Sixth Form', '12X', '', '', '', '', ''],
  ]);
  expect(plan.newTracker.length - 1 + plan.leavers.length).toBe(tracker.length - 1);
  const preview = describeRollover(plan, { nextStart: '2026-09-03' }).join('\n');
  expect(preview).toMatch(/"Register" \(900 rows\) is copied to a new tab "Register 2025–26"/);
  expect(preview).toMatch(/"Register", "Interventions Log", "Letters Ledger" start afresh .* 2026–27 \(2026-09-03\)/);
  expect(preview).toMatch(/2 pupils move up a year \(e\.g\. Ava: Year 7 7A → Year 8 8A\); 1 pupil change tutor group/);
  expect(preview).toMatch(/1 leaver leave the tracker \(the top year \(Year 11\)\); they stay on "SOL Tracker 2025–26"/);
  expect(preview).toMatch(/Row 5 \(S4\): left as it is/);
  expect(planRollover({ ...base, leavingYearGroup: '10' }).leavers.map((l) => l.studentId)).toEqual(['S3']);
});

test('with the MIS export: leavers are the pupils it no longer lists, years and tutor groups come from it, new pupils join', () => {
  const csv = 'UPN,Legal Surname,Legal Forename,NC Year,Reg Group,Contact 1 Email\nS1,Ava,A,8,8K,\nS3,Cal,C,11,11B,\nS9,New,Nia,7,7R,nia.parent@x.example\n';
  const exp = readNewYearExport(csv, 'next.csv');
  expect(exp.problems).toEqual([]);
  const plan = planRollover({ ...base, newExport: exp.pupils });
  expect(plan.moves.map((m) => [m.studentId, m.toYear, m.toGroup])).toEqual([['S1', 'Year 8', '8K'], ['S3', 'Y11', '11B']]);
  expect(plan.leavers.map((l) => [l.studentId, l.why])).toEqual([['S2', 'not in the new export'], ['S4', 'not in the new export']]);
  expect(plan.joiners).toEqual([{ studentId: 'S9', name: 'Nia New', yearGroup: 'Year 7', tutorGroup: '7R' }]);
  expect(plan.newTracker[3]).toEqual(['S9', 'Nia New', 'Year 7', '7R', '', '', '', '', 'nia.parent@x.example']);
  expect(describeRollover(plan).join('\n')).toMatch(/1 pupil from the new export join the tracker \(e\.g\. Nia New, Year 7 7R\)/);
});

test('a bad export is refused with the row and column of each problem', () => {
  expect(readNewYearExport('Name,Form\nA,7A\n', 'x.csv').problems[0]).toMatch(/x\.csv, row 1: it needs a Student ID .* Year column/);
  const p = readNewYearExport('UPN,Year\nA1,8\n,9\nA1,9\nB2,\n', 'x.csv').problems;
  expect(p).toEqual([
    'x.csv, row 3, column A: the Student ID is blank.',
    'x.csv, row 4, column A: Student ID A1 is also on row 2.',
    'x.csv, row 5, column B: the year group of B2 is blank.',
  ]);
});

test('the token changes with what would be written, and not otherwise', () => {
  expect(planToken(planRollover(base))).toBe(planToken(planRollover(base)));
  expect(planToken(planRollover({ ...base, leavingYearGroup: '10' }))).not.toBe(planToken(planRollover(base)));
});

describe('when the year may close', () => {
  const cal = calendarFromEntries([...englandPattern(2025), ...englandPattern(2026)]);
  const thisYearOnly = calendarFromEntries(englandPattern(2025));
  test('it needs next year’s terms, the closing year over (its last school day counts), and the school’s own calendar', () => {
    expect(rolloverTiming(cal, false, '2026-07-25')).toEqual({ problem: expect.stringMatching(/Enter the academic year first/) });
    expect(rolloverTiming(thisYearOnly, true, '2026-07-25')).toEqual({ problem: expect.stringMatching(/Enter next year’s terms first .* 2026–27/) });
    expect(rolloverTiming(cal, true, '2026-03-02')).toEqual({ problem: expect.stringMatching(/2025–26 year still has school days/) });
    const timing = rolloverTiming(cal, true, '2026-08-10');
    expect(timing).toMatchObject({ closingYear: 2025 });
    const last = (timing as { lastDay: string }).lastDay;
    expect(rolloverTiming(cal, true, last)).toMatchObject({ closingYear: 2025, lastDay: last });
    expect((timing as { nextStart: string }).nextStart > '2026-08-31').toBe(true);
  });
});
