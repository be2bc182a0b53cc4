/** The new academic year as a plan (issue 11 point 5): a preview of every change, nothing lost. */
import { describeRollover, moveTutorGroup, parseYearGroup, planRollover } from '../../src/core/rollover';
import { mapColumns } from '../../src/core/tracker/columns';

const HEADERS = ['Student ID', 'Student Name', 'Year Group', 'Tutor Group', 'RTC', 'Comments', 'Attendance %', 'Step'];
const tracker = [
  HEADERS,
  ['S1', 'Ava', 'Year 7', '7A', 'Yes', 'keeps this', '96.0%', 'Step 1'],
  ['S2', 'Ben', '11', '11C', '', '', '88.0%', 'Step 5'],
  ['S3', 'Cal', 'Y10', 'Kestrel', '', '', '', ''],
  ['S4', 'Dee', 'Sixth Form', '12X', '', '', '', ''],
];

test('year groups move up as written; tutor groups that start with the year move with it', () => {
  expect(parseYearGroup('Year 7')!.write(8)).toBe('Year 8');
  expect(parseYearGroup('Y10')!.write(11)).toBe('Y11');
  expect(parseYearGroup('Sixth Form')).toBeNull();
  expect(moveTutorGroup('7A', 7, 8)).toBe('8A');
  expect(moveTutorGroup('Kestrel', 10, 11)).toBe('Kestrel');
});

test('the plan archives, moves up, removes leavers to their own tab and resets the ladder columns; nothing is lost', () => {
  const plan = planRollover({ trackerValues: tracker, mapping: mapColumns(HEADERS).mapping, closingYear: 2025, leavingYearGroup: '11', registerRows: 901, logRows: 120, registerTab: 'Register', logTab: 'Interventions Log' });
  expect(plan.archives).toEqual([{ from: 'Register', to: 'Register 2025–26', rows: 901 }, { from: 'Interventions Log', to: 'Interventions Log 2025–26', rows: 120 }]);
  expect(plan.moves.map((m) => [m.studentId, m.toYear, m.toGroup])).toEqual([['S1', 'Year 8', '8A'], ['S3', 'Y11', 'Kestrel']]);
  expect(plan.leavers).toEqual([{ row: 3, studentId: 'S2', name: 'Ben', yearGroup: '11' }]);
  expect(plan.unchanged).toEqual([{ row: 5, studentId: 'S4', yearGroup: 'Sixth Form', why: '"Sixth Form" is not a numbered year group' }]);
  expect(plan.newTracker).toEqual([
    HEADERS,
    ['S1', 'Ava', 'Year 8', '8A', '', 'keeps this', '', ''],
    ['S3', 'Cal', 'Y11', 'Kestrel', '', '', '', ''],
    ['S4', 'Dee', 'Sixth Form', '12X', '', '', '', ''],
  ]);
  // Every pupil is either on the new tracker or on the leavers' tab.
  expect(plan.newTracker.length - 1 + plan.leavers.length).toBe(tracker.length - 1);
  const preview = describeRollover(plan).join('\n');
  expect(preview).toMatch(/"Register" \(901 rows\) is copied to a new tab "Register 2025–26"/);
  expect(preview).toMatch(/2 pupils move up a year \(e\.g\. Ava: Year 7 7A → Year 8 8A\)/);
  expect(preview).toMatch(/1 leavers .* "Leavers 2025–26"/);
  expect(preview).toMatch(/Row 5 \(S4\): left as it is/);
});
