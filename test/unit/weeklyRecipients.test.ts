/** Who gets which weekly report (issue 11 point 2): year groups match however they are written. */
import { calendarFromEntries, englandPattern } from '../../src/core/calendar';
import { headsOfYearWithoutReport, recipientsFor, reportWeekFor, yearGroupKey } from '../../src/core/report/recipients';
import type { StaffMember } from '../../src/core/settings';

const hoy = (email: string, yearGroup: string): StaffMember => ({ email, name: email.split('@')[0]!, role: 'HOY', yearGroup, tutorGroup: '' });

test.each([['7', '7'], ['Year 7', '7'], ['Y7', '7'], ['yr 07', '7'], ['year7', '7'], ['Grade 3', '3'], ['3rd grade', '3'], ['Reception', 'r'], ['Sixth Form', 'sixth form']])('yearGroupKey(%p) = %p', (typed, key) => {
  expect(yearGroupKey(typed)).toBe(key);
});

test('a Head of Year saved as "Year 7" gets the tracker\'s "7" (and "Y8" gets "Year 8"); AO and AL get the school', () => {
  const staff: StaffMember[] = [hoy('a@s.example', 'Year 7'), hoy('b@s.example', 'Y8'), { email: 'ao@s.example', name: 'AO', role: 'AO', yearGroup: '', tutorGroup: '' }];
  const { recipients, problems } = recipientsFor(staff, ['7', 'Year 8', '9']);
  expect(problems).toEqual([]);
  expect(recipients).toEqual([
    { key: 'a@s.example|7', email: 'a@s.example', scope: { yearGroup: '7' } },
    { key: 'b@s.example|Year 8', email: 'b@s.example', scope: { yearGroup: 'Year 8' } },
    { key: 'ao@s.example|school', email: 'ao@s.example', scope: 'school' },
  ]);
});

test('a Head of Year who would get no report is flagged, naming the year groups the tracker has', () => {
  const flagged = headsOfYearWithoutReport([hoy('a@s.example', 'Year 7'), hoy('c@s.example', 'Year 12'), hoy('d@s.example', '')], ['7', '8']);
  expect(flagged).toEqual([
    'Head of Year c: no student on the tracker is in year group "Year 12" (the tracker has "7", "8"), so they would get no weekly report for it.',
    'Head of Year d has no year group, so would get no weekly report.',
  ]);
});

test('the week a run covers is the last school week that has ended; in half-term, the week before it', () => {
  const cal = calendarFromEntries(englandPattern(2026));
  expect(reportWeekFor(cal, '2026-11-23')).toEqual({ start: '2026-11-16', end: '2026-11-22', label: '2026-W47' });
  expect(reportWeekFor(cal, '2026-10-28')!.start).toBe('2026-10-19'); // half-term week
  expect(reportWeekFor(cal, '2026-11-02')!.start).toBe('2026-10-19'); // Monday after half-term
  expect(reportWeekFor(cal, '2026-11-07')!.start).toBe('2026-11-02'); // Saturday: the week just finished
});
