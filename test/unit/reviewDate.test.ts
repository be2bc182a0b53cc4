/**
 * A review date set by staff (issue 10: letters said "fill it in on the tracker", which did
 * nothing): checked against the school's calendar, kept as a Log note, and used by the ladder's
 * review and by the letter's {{Review date}}.
 */
import { calendarFromEntries } from '../../src/core/calendar';
import { REVIEW_DATE_SET, isAction, isContact } from '../../src/core/history';
import { evaluateStudent } from '../../src/core/policy/evaluate';
import { getPreset } from '../../src/core/policy/presets';
import { checkReviewDate, reviewNoteText, staffReviewOf } from '../../src/core/reviewDate';
import type { InterventionRecord } from '../../src/core/types';
import { computeStats } from '../../src/core/stats';
import { DFE_2024 } from '../../src/core/codes';
import type { MarkOnDay } from '../../src/core/types';

const calendar = calendarFromEntries([
  { kind: 'Term', name: 'Autumn', start: '2025-09-03', end: '2025-12-19' },
  { kind: 'Half-term', name: 'Autumn half-term', start: '2025-10-27', end: '2025-10-31' },
  { kind: 'Term', name: 'Spring', start: '2026-01-06', end: '2026-03-27' },
] as never);

describe('checkReviewDate', () => {
  const today = '2025-12-10';
  test('a school day after today, within about a term, is accepted; blank clears', () => {
    expect(checkReviewDate('2025-12-17', today, calendar)).toEqual({ ok: true, date: '2025-12-17' });
    expect(checkReviewDate('2026-01-14', today, calendar)).toEqual({ ok: true, date: '2026-01-14' }); // across the holiday
    expect(checkReviewDate('', today, calendar)).toEqual({ ok: true, date: null });
    expect(checkReviewDate(null, today, calendar)).toEqual({ ok: true, date: null });
  });
  test('each refusal is a sentence saying why', () => {
    const msg = (v: unknown) => {
      const r = checkReviewDate(v, today, calendar);
      return r.ok ? 'accepted' : r.message;
    };
    expect(msg('next week')).toBe('Review date: "next week" is not a date. Choose a day in the date picker.');
    expect(msg('2025-02-30')).toMatch(/is not a date/);
    expect(msg('2025-12-10')).toBe('Review date: 10 Dec 2025 is today. Choose a later school day.');
    expect(msg('2025-11-01')).toMatch(/is in the past/);
    expect(msg('2025-12-13')).toBe('Review date: 13 Dec 2025 is not a school day (a Saturday). Choose a school day.');
    expect(msg('2025-12-24')).toMatch(/24 Dec 2025 is not a school day/);
    expect(msg('2026-04-20')).toMatch(/after the last school day in Settings ▸ Academic year \(27 Mar 2026\)/);
    expect(msg('2026-03-27')).toMatch(/school days away; a review is at most 65 school days/);
  });
});

const note = (date: string, step: number, nextAction: string): InterventionRecord => ({ date, studentId: 'S1', step, method: 'Note' as never, outcome: REVIEW_DATE_SET, by: 'ao@school.example', nextAction });

describe('the Log note', () => {
  test('is a note: never an action or a contact', () => {
    const r = note('2025-12-10', 5, reviewNoteText('2025-12-17', 'dd/MM/yyyy'));
    expect(isAction(r)).toBe(false);
    expect(isContact(r)).toBe(false);
  });
  test('the latest note gives the date (school format or ISO) and its step; a cleared one gives null', () => {
    expect(reviewNoteText('2025-12-17', 'dd/MM/yyyy')).toBe('Review attendance on 17/12/2025');
    expect(staffReviewOf([note('2025-12-01', 4, 'Review attendance on 2025-12-05'), note('2025-12-10', 5, 'Review attendance on 17/12/2025')], 'dd/MM/yyyy')).toEqual({ date: '2025-12-17', step: 5 });
    expect(staffReviewOf([note('2025-12-10', 5, 'Review attendance on 12/17/2025')], 'MM/dd/yyyy')).toEqual({ date: '2025-12-17', step: 5 });
    expect(staffReviewOf([note('2025-12-10', 5, reviewNoteText(null, 'dd/MM/yyyy'))], 'dd/MM/yyyy')).toEqual({ date: null, step: 5 });
    expect(staffReviewOf([], 'dd/MM/yyyy')).toBeNull();
  });
});

describe('the ladder uses the staff date for the step it was set at', () => {
  const uk = getPreset('uk-secondary-sol')!;
  // 88% attendance: Step 6 (Letter 3) from no history.
  const marks: MarkOnDay[] = [];
  for (const d of ['2025-12-01', '2025-12-02', '2025-12-03', '2025-12-04', '2025-12-05', '2025-12-08', '2025-12-09']) {
    marks.push({ date: d, session: 'AM', code: '/' }, { date: d, session: 'PM', code: d === '2025-12-08' ? 'O' : '/' });
  }
  const ctx = (staff: { date: string | null; step: number } | null) => ({
    studentId: 'S1', stats: computeStats(marks, DFE_2024), marks, history: [], today: '2025-12-10', calendar, table: DFE_2024,
    staffReviewDate: staff?.date ?? null, staffReviewStep: staff?.step,
  });
  test('a date set at the newly entered step is its review date (the letter says it)', () => {
    const plain = evaluateStudent(uk, ctx(null));
    expect(plain.step).toBeGreaterThan(0);
    const set = evaluateStudent(uk, ctx({ date: '2026-01-14', step: plain.step }));
    expect(set.reviewDue).toBe('2026-01-14');
    const otherStep = evaluateStudent(uk, ctx({ date: '2026-01-14', step: plain.step - 1 }));
    expect(otherStep.reviewDue).toBe(plain.reviewDue);
  });
});
