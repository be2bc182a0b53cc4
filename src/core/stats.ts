/**
 * Attendance statistics of one student's register marks (attendance-rules.md §1.4, §6.2–6.4).
 * Classification is on integers (absent * 10 >= possible), never on rounded percentages.
 * Hot path: the whole school (2,000 students × 380 sessions) is evaluated in one execution, so the
 * loop allocates nothing per mark and code lookups use a Map built once per table.
 */
import { codeIndex as codeMap, normaliseCode, UnknownCodeError } from './codes';
import { addCalendarDays, countUpTo, schoolDaysOf, weekStartMonday, type SchoolCalendar } from './calendar';
import { formatFraction } from './format/percent';
import type { AttendanceCode, AttendanceStats, CodeTable, IsoDate, MarkOnDay, SessionName } from './types';

/** Rank of a session within its day (AM < PM < DAY); an unexpected name sorts last. */
function sessionRank(session: SessionName): number {
  return session === 'AM' ? 0 : session === 'PM' ? 1 : session === 'DAY' ? 2 : 3;
}

/**
 * The table entry for a mark, undefined for a blank mark (no mark yet).
 * Exact match first (the common case); only unusual spellings (' l ') pay for normalising.
 */
function entryOf(map: Map<string, AttendanceCode>, mark: MarkOnDay): AttendanceCode | undefined {
  const exact = map.get(mark.code);
  if (exact !== undefined) return exact;
  const code = normaliseCode(mark.code);
  if (code === '') return undefined;
  const entry = map.get(code);
  if (entry === undefined) {
    throw new UnknownCodeError(code, `on ${mark.date} (${mark.session} session)`);
  }
  return entry;
}

function compareMarks(a: MarkOnDay, b: MarkOnDay): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return sessionRank(a.session) - sessionRank(b.session);
}

/** Marks in date then session order; the input itself when it already is (the usual case). */
function inRegisterOrder(marks: readonly MarkOnDay[]): readonly MarkOnDay[] {
  for (let i = 1; i < marks.length; i++) {
    if (compareMarks(marks[i - 1]!, marks[i]!) > 0) return [...marks].sort(compareMarks);
  }
  return marks;
}

// A code's statistical treatment packed in one small integer, so the hot loop does a single Map
// lookup and integer tests per mark.
const PRESENT = 0;
const AEA = 1;
const AUTHORISED = 2;
const UNAUTHORISED = 3;
const NOT_POSSIBLE = 4;
const CATEGORY_MASK = 7;
const UNVERIFIED = 8;
const UNEXCUSED = 16;
const LATE_BEFORE_CLOSE = 32;
const LATE_AFTER_CLOSE = 64;
const CATEGORY_BITS = { present: PRESENT, aea: AEA, authorised: AUTHORISED, unauthorised: UNAUTHORISED, notPossible: NOT_POSSIBLE };

const packedTables = new WeakMap<CodeTable, Map<string, number>>();
function packedCodes(table: CodeTable): Map<string, number> {
  let packed = packedTables.get(table);
  if (!packed) {
    packed = new Map();
    for (const entry of table.codes) {
      let bits = CATEGORY_BITS[entry.category];
      if (bits === undefined) throw new Error(`Code table "${table.id}": code "${entry.code}" has unknown category "${String(entry.category)}"`);
      if (entry.unverified) bits |= UNVERIFIED;
      if (entry.unexcused) bits |= UNEXCUSED;
      if (entry.late === 'beforeClose') bits |= LATE_BEFORE_CLOSE;
      if (entry.late === 'afterClose') bits |= LATE_AFTER_CLOSE;
      packed.set(entry.code, bits);
    }
    packedTables.set(table, packed);
  }
  return packed;
}

/** Packed treatment of a mark, -1 for a blank mark; throws for an unknown code. */
function packedOf(packed: Map<string, number>, mark: MarkOnDay): number {
  const exact = packed.get(mark.code);
  if (exact !== undefined) return exact;
  const code = normaliseCode(mark.code);
  if (code === '') return -1;
  const bits = packed.get(code);
  if (bits === undefined) throw new UnknownCodeError(code, `on ${mark.date} (${mark.session} session)`);
  return bits;
}

/**
 * One pass over the marks. Counts do not depend on order, runs do: the pass checks the order as
 * it goes and, only if the marks turn out unsorted, starts again on a sorted copy.
 */
function accumulate(
  marks: readonly MarkOnDay[],
  table: CodeTable,
  from: IsoDate | null,
  to: IsoDate | null,
  knownSorted = false,
): AttendanceStats {
  const packed = packedCodes(table);
  let present = 0;
  let aea = 0;
  let authorised = 0;
  let unauthorised = 0;
  let unverified = 0;
  let unexcused = 0;
  let lateBeforeClose = 0;
  let lateAfterClose = 0;
  let notPossible = 0;
  let run = 0;
  let longestRun = 0;
  let lastMarkDate: IsoDate | null = null;
  let previousDate = '';
  let previousRank = -1;

  for (let i = 0; i < marks.length; i++) {
    const mark = marks[i]!;
    const date = mark.date;
    if (!knownSorted) {
      if (date === previousDate) {
        const rank = sessionRank(mark.session);
        if (rank < previousRank) return accumulate([...marks].sort(compareMarks), table, from, to, true);
        previousRank = rank;
      } else if (date > previousDate) {
        previousDate = date;
        previousRank = sessionRank(mark.session);
      } else {
        return accumulate([...marks].sort(compareMarks), table, from, to, true);
      }
    }
    if ((from !== null && date < from) || (to !== null && date > to)) continue;
    const bits = packedOf(packed, mark);
    if (bits < 0) continue; // blank: no mark yet
    lastMarkDate = date;
    if (bits > CATEGORY_MASK) {
      if (bits & UNVERIFIED) unverified++;
      if (bits & UNEXCUSED) unexcused++;
      if (bits & LATE_BEFORE_CLOSE) lateBeforeClose++;
      if (bits & LATE_AFTER_CLOSE) lateAfterClose++;
    }
    switch (bits & CATEGORY_MASK) {
      case PRESENT:
        present++;
        run = 0;
        break;
      case AEA:
        aea++;
        run = 0;
        break;
      case AUTHORISED:
        authorised++;
        run = 0;
        break;
      case UNAUTHORISED:
        unauthorised++;
        run++;
        if (run > longestRun) longestRun = run;
        break;
      default:
        // Not possible: outside the denominator; neither breaks nor extends an unauthorised run.
        notPossible++;
        break;
    }
  }

  const attended = present + aea;
  const absent = authorised + unauthorised;
  const possible = attended + absent;
  return {
    possible,
    present,
    aea,
    authorised,
    unauthorised,
    unverified,
    unexcused,
    lateBeforeClose,
    lateAfterClose,
    notPossible,
    attended,
    absent,
    attendanceFraction: possible === 0 ? 1 : attended / possible,
    // §1.4 / §6.3: ≥10 % and ≥50 % of the pupil's own possible sessions, exact integer tests.
    persistentAbsence: possible > 0 && absent * 10 >= possible,
    severeAbsence: possible > 0 && absent * 2 >= possible,
    longestUnauthorisedRun: longestRun,
    currentUnauthorisedRun: run,
    lastMarkDate,
  };
}

/** Statistics of all of a student's marks. Blank codes are ignored; unknown codes throw. */
export function computeStats(marks: readonly MarkOnDay[], table: CodeTable): AttendanceStats {
  return accumulate(marks, table, null, null);
}

/**
 * Whether attendance after an action improved on attendance before it, on exact session counts:
 * better than before, or full since (which cannot get better, whatever it was before). The ladder's
 * "no improvement" (policy/evaluate.ts) and the review's words (policy/reviewWords.ts) judge by it.
 */
export function attendanceImproved(after: { attended: number; possible: number }, before: { attended: number; possible: number }): boolean {
  if (after.attended === after.possible) return true;
  return before.possible > 0 && after.attended * before.possible > before.attended * after.possible;
}

/** Statistics of the marks dated from..to inclusive. */
export function statsBetween(marks: readonly MarkOnDay[], table: CodeTable, from: IsoDate, to: IsoDate): AttendanceStats {
  return accumulate(marks, table, from, to);
}

/** Number of marks dated from..to inclusive whose code satisfies predicate. */
export function countInWindow(
  marks: readonly MarkOnDay[],
  table: CodeTable,
  from: IsoDate,
  to: IsoDate,
  predicate: (code: AttendanceCode) => boolean,
): number {
  const map = codeMap(table);
  let count = 0;
  for (let i = 0; i < marks.length; i++) {
    const mark = marks[i]!;
    if (mark.date < from || mark.date > to) continue;
    const entry = entryOf(map, mark);
    if (entry !== undefined && predicate(entry)) count++;
  }
  return count;
}

export interface PenaltyNoticeCheck {
  reached: boolean;
  /** Most unauthorised sessions found in any window of 10 school weeks. */
  maxInWindow: number;
  /** Monday of the window's first school week. */
  windowStart: IsoDate | null;
  /** Sunday of the window's last school week. */
  windowEnd: IsoDate | null;
}

/** DfE 2024 national threshold (attendance-rules.md §1.6, §6.4). */
export const PENALTY_NOTICE_SESSIONS = 10;
export const PENALTY_NOTICE_SCHOOL_WEEKS = 10;

/** Week starts are asked for the same few hundred dates once per student: remember them. */
const weekStartCache = new Map<IsoDate, IsoDate>();
function cachedWeekStart(date: IsoDate): IsoDate {
  let monday = weekStartCache.get(date);
  if (monday === undefined) {
    if (weekStartCache.size > 50000) weekStartCache.clear();
    monday = weekStartMonday(date);
    weekStartCache.set(date, monday);
  }
  return monday;
}

/**
 * National penalty-notice threshold: 10 or more unauthorised sessions (any unauthorised code,
 * U included) within any rolling 10 school weeks. A school week is a Monday–Sunday week in which
 * the pupil has at least one possible session (a week of holiday, or only not-possible marks such
 * as '#' closures, is skipped), so windows stretch over holidays and across terms and years.
 * With the school's calendar, every week with a school day in it is a school week too (§1.6: "any
 * week with at least one school session"), even one where this pupil has no possible mark (e.g.
 * a week of Y codes), up to the pupil's last mark.
 * Returns the first window that reaches the threshold, otherwise the window with the most.
 */
export function penaltyNoticeCheck(marks: readonly MarkOnDay[], table: CodeTable, calendar?: SchoolCalendar): PenaltyNoticeCheck {
  const map = codeMap(table);
  const ordered = inRegisterOrder(marks);
  const weekStarts: IsoDate[] = [];
  const weekUnauthorised: number[] = [];
  let lastDate = '';
  let lastWeek = '';
  for (let i = 0; i < ordered.length; i++) {
    const mark = ordered[i]!;
    const entry = entryOf(map, mark);
    if (entry === undefined || entry.category === 'notPossible') continue;
    if (mark.date !== lastDate) {
      lastDate = mark.date;
      lastWeek = cachedWeekStart(mark.date);
    }
    if (weekStarts[weekStarts.length - 1] !== lastWeek) {
      weekStarts.push(lastWeek);
      weekUnauthorised.push(0);
    }
    if (entry.category === 'unauthorised') weekUnauthorised[weekUnauthorised.length - 1]!++;
  }
  if (calendar && weekStarts.length > 0) mergeCalendarWeeks(calendar, weekStarts, weekUnauthorised, ordered[ordered.length - 1]!.date);

  let best = -1;
  let bestStart = 0;
  let bestEnd = 0;
  let inWindow = 0;
  for (let end = 0; end < weekStarts.length; end++) {
    inWindow += weekUnauthorised[end]!;
    const start = Math.max(0, end - PENALTY_NOTICE_SCHOOL_WEEKS + 1);
    if (end - PENALTY_NOTICE_SCHOOL_WEEKS >= 0) inWindow -= weekUnauthorised[end - PENALTY_NOTICE_SCHOOL_WEEKS]!;
    if (inWindow > best) {
      best = inWindow;
      bestStart = start;
      bestEnd = end;
      if (inWindow >= PENALTY_NOTICE_SESSIONS) break; // first window that reaches it
    }
  }
  if (best < 0) return { reached: false, maxInWindow: 0, windowStart: null, windowEnd: null };
  return {
    reached: best >= PENALTY_NOTICE_SESSIONS,
    maxInWindow: best,
    windowStart: weekStarts[bestStart]!,
    windowEnd: addCalendarDays(weekStarts[bestEnd]!, 6),
  };
}

/** Adds the calendar's school weeks from the first counted week to lastDate (with 0 unauthorised), in order. */
function mergeCalendarWeeks(calendar: SchoolCalendar, weekStarts: IsoDate[], weekUnauthorised: number[], lastDate: IsoDate): void {
  const days = schoolDaysOf(calendar);
  const first = weekStarts[0]!;
  const byWeek = new Map<IsoDate, number>();
  weekStarts.forEach((w, i) => byWeek.set(w, weekUnauthorised[i]!));
  for (let i = countUpTo(days, addCalendarDays(first, -1)); i < days.length && days[i]! <= lastDate; i++) {
    const monday = cachedWeekStart(days[i]!);
    if (!byWeek.has(monday)) byWeek.set(monday, 0);
  }
  if (byWeek.size === weekStarts.length) return;
  const merged = [...byWeek.keys()].sort();
  weekStarts.length = 0;
  weekUnauthorised.length = 0;
  for (const w of merged) {
    weekStarts.push(w);
    weekUnauthorised.push(byWeek.get(w)!);
  }
}

/**
 * "Change since last week": statistics before `since` against statistics now, and the change in
 * attendance in percentage points (0 when either side has no possible session yet).
 */
export function attendanceChange(
  marks: readonly MarkOnDay[],
  table: CodeTable,
  since: IsoDate,
): { before: AttendanceStats; now: AttendanceStats; changePoints: number } {
  const now = accumulate(marks, table, null, null);
  // Dates are ISO strings, so "before since" is the day-granular bound below.
  const before = accumulateBefore(marks, table, since);
  const changePoints = now.possible === 0 || before.possible === 0 ? 0 : (now.attendanceFraction - before.attendanceFraction) * 100;
  return { before, now, changePoints };
}

function accumulateBefore(marks: readonly MarkOnDay[], table: CodeTable, since: IsoDate): AttendanceStats {
  // Every ISO date strictly before `since` sorts below it; '' sorts below every date.
  const earlier = marks.filter((mark) => mark.date < since);
  return accumulate(earlier, table, null, null);
}

/**
 * Display only: "90.0%". Never classify on this text: 341/379 attendance (38 of 379 missed) shows
 * "90.0%" yet is persistent absence (89.97 %).
 */
export function formatPercent(fraction: number, decimals = 1): string {
  if (!Number.isFinite(fraction)) throw new Error(`formatPercent: fraction must be a finite number, got ${fraction}`);
  // One decimal is THE display rule (format/percent.ts); other precisions are for tests and analysis.
  if (decimals === 1) return formatFraction(fraction);
  return `${(fraction * 100).toFixed(decimals)}%`;
}
