/**
 * Issue 10 (E, preview walk as staff): once a step's review date has come, staff are told what the
 * review found from the register — or that it waits for the marks up to its date — never asked to
 * "record the review outcome" (nothing in the Log or the sidebar records one).
 */
import type { SchoolCalendar } from '../../src/core/calendar';
import { schoolDaysInRange } from '../../src/core/calendar';
import { DFE_2024 } from '../../src/core/codes';
import { schoolDatesIn } from '../../src/core/format';
import { evaluateStudent, letterKey } from '../../src/core/policy/evaluate';
import { getPreset } from '../../src/core/policy/presets';
import { REVIEW_HELD, reviewNextAction } from '../../src/core/policy/reviewWords';
import { computeStats } from '../../src/core/stats';
import { CONTACT_OUTCOMES, type InterventionRecord, type IsoDate, type MarkOnDay } from '../../src/core/types';
import { LOG_OUTCOME_CHOICES } from '../../src/core/setupPlan';

const uk = getPreset('uk-secondary-sol');
const CAL: SchoolCalendar = {
  terms: [
    { name: 'Summer', start: '2026-04-13', end: '2026-07-17' },
    { name: 'Autumn', start: '2026-09-01', end: '2026-12-18' },
  ],
  closures: [],
};
const days = schoolDaysInRange(CAL, '2026-04-13', '2026-12-18');
const index = new Map(days.map((d, i) => [d, i]));
/** One AM absence every 8th school day until the letter (93.75 %, Step 4); after it, as `after` says. */
function marksTo(to: IsoDate, after: (i: number) => boolean = () => false): MarkOnDay[] {
  const marks: MarkOnDay[] = [];
  for (const date of schoolDaysInRange(CAL, '2026-04-13', to)) {
    const i = index.get(date)!;
    const absent = date <= '2026-09-14' ? i % 8 === 0 : after(i);
    marks.push({ date, session: 'AM', code: absent ? 'O' : '/' }, { date, session: 'PM', code: '\\' });
  }
  return marks;
}
const letter1: InterventionRecord = {
  date: '2026-09-14', studentId: 'S1', step: 4, method: 'Letter', outcome: 'Letter sent', by: 'al@school.example',
  letterKey: letterKey('S1', 'letter1', 'Autumn 2026'),
};
const place = (marks: MarkOnDay[], today: IsoDate, history: InterventionRecord[] = [letter1]) =>
  evaluateStudent(uk, { studentId: 'S1', stats: computeStats(marks, DFE_2024), marks, history, today, calendar: CAL, table: DFE_2024 });

describe('the review, judged from the register', () => {
  test('improved since the letter: says so with both figures, in the school\'s date format', () => {
    const p = place(marksTo('2026-10-02'), '2026-10-02');
    expect(p.step).toBe(4);
    expect(p.nextAction).toBe('Review on 2026-09-28: attendance improved (100.0% since the letter, 93.8% before): keep monitoring');
    expect(schoolDatesIn(p.nextAction, 'dd/MM/yyyy')).toBe('Review on 28/09/2026: attendance improved (100.0% since the letter, 93.8% before): keep monitoring');
    expect(p.nextAction).not.toMatch(/record the review outcome/);
  });

  test('the register does not reach the review date yet: the review waits for those marks', () => {
    // Marks imported up to 25 Sep; today is after the review date (28 Sep).
    const p = place(marksTo('2026-09-25'), '2026-09-30');
    expect(p.step).toBe(4);
    expect(p.nextAction).toBe('Review due 2026-09-28 waits for marks up to that date (the register has marks up to 2026-09-25): it is judged on attendance since the letter once they are imported');
  });

  test('no marks at all since the letter', () => {
    const p = place(marksTo('2026-09-14'), '2026-09-30');
    expect(p.nextAction).toBe('Review due 2026-09-28 waits for marks up to that date (no marks since the letter are imported yet): it is judged on attendance since the letter once they are imported');
  });

  test('a review meeting staff held (Log outcome "Review held") is named', () => {
    const review: InterventionRecord = { date: '2026-09-29', studentId: 'S1', step: 4, method: 'Meeting', outcome: REVIEW_HELD, by: 'hoy@school.example' };
    const p = place(marksTo('2026-10-02'), '2026-10-02', [letter1, review]);
    expect(p.nextAction).toBe('Review on 2026-09-28 (review held 2026-09-29): attendance improved (100.0% since the letter, 93.8% before): keep monitoring');
  });

  test('not improved and not escalated (the ladder\'s call): says so, never asks for an outcome', () => {
    const marks = marksTo('2026-10-02', (i) => i % 4 === 0);
    const words = reviewNextAction({ step: 4, reviewDue: '2026-09-28', entryDate: '2026-09-14', actionDone: true, marks, table: DFE_2024, history: [letter1], today: '2026-10-02' });
    expect(words).toMatch(/^Review on 2026-09-28: attendance not improved \(\d+\.\d% since the letter, 93\.8% before\): keep monitoring; the next step follows when its conditions are met$/);
  });

  test('a step reached without its action done counts from when it began', () => {
    const words = reviewNextAction({ step: 6, reviewDue: '2026-09-28', entryDate: '2026-09-14', actionDone: false, marks: marksTo('2026-10-02'), table: DFE_2024, history: [], today: '2026-10-02' });
    expect(words).toBe('Review on 2026-09-28: attendance improved (100.0% since Step 6 began, 93.8% before): keep monitoring');
  });
});

test('"Review held" is an outcome staff can choose (the sidebar\'s Log a contact, the Log\'s dropdown)', () => {
  expect(CONTACT_OUTCOMES).toContain(REVIEW_HELD);
  expect(LOG_OUTCOME_CHOICES).toContain(REVIEW_HELD);
});
