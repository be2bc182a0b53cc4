/**
 * What staff are told once a step's review date has come (issue 10 E, preview walk as staff).
 *
 * A review is judged from the register, not recorded by hand: once the marks reach the review date
 * the placement either escalates ("no improvement", evaluate.ts) or the pupil has improved — and
 * then the words say what happened, with the two figures they were judged on. Before the marks
 * reach the review date the review waits for them. Staff may still record a review they held (the
 * Log outcome "Review held"), and the words then name it. Never "record the review outcome": there
 * is no such thing to record.
 *
 * Pure; dates are ISO here and turned into the school's format where placements are shown
 * (schoolModel.ts, schoolDatesIn). Figures under the one percent rule (format/percent.ts);
 * "improved" on exact integers, exactly as the ladder's "no improvement" decides it.
 */
import { attendanceImproved, computeStats, statsBetween } from '../stats';
import { formatPercentOf } from '../format/percent';
import { isLetterSent, isMeetingHeld } from '../history';
import type { CodeTable, InterventionRecord, IsoDate, MarkOnDay } from '../types';

/** Log outcome staff choose for a review meeting or conversation they held. */
export const REVIEW_HELD = 'Review held';

export interface ReviewInput {
  /** The pupil's current step (1-based). */
  step: number;
  /** The step's review date (staff-set or counted in school days), already passed or today. */
  reviewDue: IsoDate;
  /** When the step's own action was done (or, when it was not, when the step was reached). */
  entryDate: IsoDate;
  /** True when entryDate is the step's own action (a letter sent, a meeting held, a contact). */
  actionDone: boolean;
  marks: readonly MarkOnDay[];
  table: CodeTable;
  /** The pupil's Log records (actions; other pupils' are ignored by the caller). */
  history: readonly InterventionRecord[];
  today: IsoDate;
}

/** "the letter", "the meeting", "the contact" — what the review period counts from. */
function actionWords(i: ReviewInput): string {
  if (!i.actionDone) return `Step ${i.step} began`;
  const onEntry = i.history.filter((r) => r.step === i.step && r.date === i.entryDate);
  if (onEntry.some(isLetterSent)) return 'the letter';
  if (onEntry.some(isMeetingHeld)) return 'the meeting';
  return 'the contact';
}

function isReviewHeld(r: InterventionRecord): boolean {
  return String(r.outcome ?? '').trim().toLowerCase() === REVIEW_HELD.toLowerCase();
}

/**
 * The next action once the review date has come: what the review found, from the register, or
 * that it waits for the marks up to its date.
 */
export function reviewNextAction(i: ReviewInput): string {
  const since = actionWords(i);
  const after = computeStats(i.marks.filter((m) => m.date > i.entryDate && m.date <= i.today), i.table);
  const held = [...i.history].reverse().find((r) => r.step === i.step && r.date >= i.entryDate && isReviewHeld(r));
  const heldWords = held ? ` (review held ${held.date})` : '';
  if (after.possible === 0 || after.lastMarkDate === null || after.lastMarkDate < i.reviewDue) {
    const reach = after.lastMarkDate === null ? `no marks since ${since} are imported yet` : `the register has marks up to ${after.lastMarkDate}`;
    return `Review due ${i.reviewDue}${heldWords} waits for marks up to that date (${reach}): it is judged on attendance since ${since} once they are imported`;
  }
  const before = statsBetween(i.marks, i.table, '0000-01-01', i.entryDate);
  const afterText = formatPercentOf(after.attended, after.possible);
  const beforeText = before.possible === 0 ? 'no marks before' : `${formatPercentOf(before.attended, before.possible)} before`;
  const sinceText = since === `Step ${i.step} began` ? `since Step ${i.step} began` : `since ${since}`;
  // The ladder's own test (evaluate.ts, noImprovementSinceStep).
  const improved = attendanceImproved(after, before);
  if (improved) return `Review on ${i.reviewDue}${heldWords}: attendance improved (${afterText} ${sinceText}, ${beforeText}): keep monitoring`;
  if (before.possible === 0) return `Review on ${i.reviewDue}${heldWords}: attendance ${afterText} ${sinceText} (${beforeText} to compare): keep monitoring`;
  return `Review on ${i.reviewDue}${heldWords}: attendance not improved (${afterText} ${sinceText}, ${beforeText}): keep monitoring; the next step follows when its conditions are met`;
}
