/**
 * A review date staff set for a pupil (issue 10: "staff can set a review date for a pupil, and that
 * date is what the plan and the letter use"). Pure.
 *
 * The date is kept in the Interventions Log, as a note row (method "Note", outcome "Review date
 * set"; history.ts: a note is never a contact, a letter or a step), so who set it and when is on
 * record and nothing else has to be stored. The latest such row for the pupil's current step is
 * the review date of that step (evaluate.ts reviewDate); a note with no date puts the policy's
 * own review period back.
 */
import { isSchoolDay, schoolDaysOf, whyNotSchoolDay, countUpTo, type SchoolCalendar } from './calendar';
import { REVIEW_DATE_SET } from './history';
import { dateWords, formatSchoolDate, isoOfSchoolDate, type SchoolDateFormat } from './format/dates';
import type { InterventionRecord, IsoDate } from './types';

/** At most this many school days ahead (about a term): a review further away is not a review. */
export const MAX_REVIEW_SCHOOL_DAYS = 65;

/** The Next action text of the Log row: it carries the date, in the school's format ('Review attendance on 14/01/2026'). */
export function reviewNoteText(date: IsoDate | null, format: SchoolDateFormat): string {
  return date ? `Review attendance on ${formatSchoolDate(date, format)}` : "Review date cleared: the policy's review period applies";
}

/** The latest review date set for this pupil (null date: cleared), with the step it was set at; null when none. */
export function staffReviewOf(history: readonly InterventionRecord[], format: SchoolDateFormat): { date: IsoDate | null; step: number } | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i]!;
    if (String(r.outcome ?? '').trim().toLowerCase() !== REVIEW_DATE_SET.toLowerCase()) continue;
    const written = /(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})/.exec(String(r.nextAction ?? ''))?.[1];
    const date = written ? isoOfSchoolDate(written, format) : null;
    return { date, step: r.step };
  }
  return null;
}

export type ReviewDateCheck = { ok: true; date: IsoDate | null } | { ok: false; message: string };

/**
 * Checks a review date typed by staff: a real date, a school day of the academic year in Settings,
 * after today, and at most MAX_REVIEW_SCHOOL_DAYS school days away. null / '' clears it.
 */
export function checkReviewDate(value: unknown, today: IsoDate, calendar: SchoolCalendar): ReviewDateCheck {
  if (value === null || value === undefined || String(value).trim() === '') return { ok: true, date: null };
  const text = String(value).trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const real = m && (() => {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  })();
  if (!m || !real) return { ok: false, message: `Review date: "${text.slice(0, 40)}" is not a date. Choose a day in the date picker.` };
  const date = text as IsoDate;
  const words = dateWords(date);
  if (date <= today) return { ok: false, message: `Review date: ${words} is ${date === today ? 'today' : 'in the past'}. Choose a later school day.` };
  const days = schoolDaysOf(calendar);
  const last = days[days.length - 1];
  if (last === undefined || date > last) {
    return { ok: false, message: `Review date: ${words} is after the last school day in Settings ▸ Academic year${last ? ` (${dateWords(last)})` : ''}. Choose an earlier day, or add the next year's terms first.` };
  }
  if (!isSchoolDay(calendar, date)) {
    const why = whyNotSchoolDay(calendar, date);
    return { ok: false, message: `Review date: ${words} is not a school day${why ? ` (${why})` : ''}. Choose a school day.` };
  }
  const ahead = countUpTo(days, date) - countUpTo(days, today);
  if (ahead > MAX_REVIEW_SCHOOL_DAYS) {
    return { ok: false, message: `Review date: ${words} is ${ahead} school days away; a review is at most ${MAX_REVIEW_SCHOOL_DAYS} school days (about a term) ahead. Choose an earlier day.` };
  }
  return { ok: true, date };
}
