/**
 * What an Interventions Log row means for the ladder, the tracker and the reports: ONE set of
 * predicates, so "a letter was sent", "a parent was contacted" and "the step's action was done"
 * are decided the same way everywhere (issue 10: a left-out letter was counted as sent by the
 * Letters column, Last contact, the weekly report and the ladder).
 *
 * A row is one of:
 * - a note about letters (left out / included again): never a contact, never a letter, never a step;
 * - a letter that went (the add-on's own, with a letter key; or one staff logged by hand);
 * - a contact (conversation, call, email, meeting, home visit, referral);
 * - adopted history (written by setup from the school's own columns): counts as what it records.
 */
import type { InterventionRecord } from './types';

/** Outcome of the Log row written when the Attendance Lead leaves a letter out. */
export const LETTER_LEFT_OUT = 'Letter left out';
/** Outcome of the Log row written when a left-out letter is included again. */
export const LETTER_INCLUDED_AGAIN = 'Letter included again';
/** Outcome of a Log row recording that a posted letter's print pack was printed (the letter went). */
export const LETTER_PRINTED = 'Letter printed for post';
/** Outcome of the Log note written when staff set (or clear) a pupil's review date (reviewDate.ts). */
export const REVIEW_DATE_SET = 'Review date set';
/** Notes prefix of rows setup writes for history the school recorded before the add-on. */
export const ADOPTED_NOTE = 'Adopted history:';
/**
 * Words in an adopted row's notes when the school's sheet gave no date (a ticked letter column, or
 * the letter of the step the sheet records): the row carries the day of adoption, not a real date.
 */
export const ADOPTED_NO_DATE = '(recorded as today)';

const outcomeOf = (r: InterventionRecord) => String(r.outcome ?? '').trim().toLowerCase();

/**
 * A note about a letter decision, not an action. Also recognises the rows earlier versions wrote
 * for a leave-out (method Letter, outcome Other, no letter key, "Letter not sent: left out…").
 */
export function isLetterNote(r: InterventionRecord): boolean {
  const outcome = outcomeOf(r);
  if (outcome === LETTER_LEFT_OUT.toLowerCase() || outcome === LETTER_INCLUDED_AGAIN.toLowerCase()) return true;
  if (r.method === 'Letter' && !r.letterKey && outcome === 'other') {
    const notes = String(r.notes ?? '').trim();
    return /^letter (not sent|included again)/i.test(notes);
  }
  return false;
}

/** A letter that really went to the family (emailed, printed for post, or logged by hand). */
export function isLetterSent(r: InterventionRecord): boolean {
  return r.method === 'Letter' && !isLetterNote(r);
}

/** A note (method "Note", or a review date set): a record for staff, never a contact, letter or step. */
export function isNote(r: InterventionRecord): boolean {
  if (outcomeOf(r) === REVIEW_DATE_SET.toLowerCase()) return true;
  // An adopted current step (setup, adoption.ts) is a Note that holds the pupil at that step.
  return String(r.method) === 'Note' && !isAdopted(r);
}

/** A row setup wrote from the school's own columns (adoption.ts). */
export function isAdopted(r: InterventionRecord): boolean {
  return String(r.notes ?? '').startsWith(ADOPTED_NOTE);
}

/** Adopted history with no date in the school's sheet: its date is the day of adoption, not when it happened. */
export function isAdoptedWithoutDate(r: InterventionRecord): boolean {
  return isAdopted(r) && String(r.notes ?? '').includes(ADOPTED_NO_DATE);
}

/** A row that records something done for the pupil (a contact, a meeting, a letter that went). */
export function isAction(r: InterventionRecord): boolean {
  return !isLetterNote(r) && !isNote(r);
}

/** A contact for "Last contact" and "overdue": an action that reached someone (not "No answer"). */
export function isContact(r: InterventionRecord): boolean {
  return isAction(r) && String(r.method) !== 'Note' && outcomeOf(r) !== 'no answer';
}

/** A meeting that took place (the parent came). */
export function isMeetingHeld(r: InterventionRecord): boolean {
  return r.method === 'Meeting' && outcomeOf(r) !== 'parent did not attend';
}

/** The letter id a sent letter row records ('letter2'), or null (hand-logged letters have none). */
export function letterIdOf(r: InterventionRecord): string | null {
  if (!r.letterKey) return null;
  return r.letterKey.split('|')[1] ?? null;
}
