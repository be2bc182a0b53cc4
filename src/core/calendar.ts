/**
 * The school calendar: terms, closures and weekends, all on ISO date strings ('yyyy-MM-dd').
 * date-fns does the day arithmetic on local-midnight Dates built from the string parts and turned
 * straight back into strings, so no time zone ever shifts a school day.
 */
import { addDays, getDay, isValid, lightFormat, parse as parseWithPattern, startOfISOWeek } from 'date-fns';
import type { IsoDate } from './types';

export interface SchoolTerm {
  name: string;
  start: IsoDate;
  end: IsoDate;
}

/** A named stretch of days with no school inside the year (half-term, INSET, bank holiday, closure). */
export interface SchoolBreak {
  kind: 'holiday' | 'half-term' | 'inset' | 'bank holiday' | 'closure';
  name: string;
  start: IsoDate;
  end: IsoDate;
}

export interface SchoolCalendar {
  terms: SchoolTerm[];
  /** Weekdays inside a term when the school is shut (INSET, half-term, bank holidays). */
  closures: IsoDate[];
  /** Days of the week (0 = Sunday … 6 = Saturday) with no school; default [0, 6]. */
  weekendDays?: number[];
  /** The named breaks the closures came from, so a day off can be explained ("Autumn half-term"). */
  breaks?: SchoolBreak[];
  /** Days confirmed as school days though a weekend or closure would say otherwise (e.g. a Saturday catch-up). */
  extraDays?: IsoDate[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a 'yyyy-MM-dd' string that names a real calendar date, and returns it. */
export function parseIsoDate(s: string): IsoDate {
  if (typeof s !== 'string') throw new Error(`Invalid date ${JSON.stringify(s)}: expected text in the form yyyy-MM-dd`);
  const match = ISO_DATE.exec(s);
  if (!match) throw new Error(`Invalid date "${s}": expected the form yyyy-MM-dd (e.g. 2024-09-04)`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12) throw new Error(`Invalid date "${s}": month ${m} is not between 1 and 12`);
  const last = new Date(y, m, 0).getDate();
  if (d < 1 || d > last) throw new Error(`Invalid date "${s}": day ${d} does not exist in ${match[1]}-${match[2]} (which has ${last} days)`);
  return s;
}

/** ISO date of year y, month m (1–12), day d; throws when that date does not exist. */
export function toIsoDate(y: number, m: number, d: number): IsoDate {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1 || y > 9999) {
    throw new Error(`Invalid date parts year=${y}, month=${m}, day=${d}: expected whole numbers`);
  }
  return parseIsoDate(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

function toLocalDate(iso: IsoDate): Date {
  const match = ISO_DATE.exec(parseIsoDate(iso))!;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function fromLocalDate(date: Date): IsoDate {
  return lightFormat(date, 'yyyy-MM-dd');
}

function plusDays(iso: IsoDate, n: number): IsoDate {
  return fromLocalDate(addDays(toLocalDate(iso), n));
}

function dayOfWeek(iso: IsoDate): number {
  return getDay(toLocalDate(iso));
}

/** The date n calendar days after date (n may be negative). */
export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new Error(`addCalendarDays: n must be a whole number, got ${n}`);
  return plusDays(date, n);
}

/** Monday of the Monday–Sunday week containing date (the DfE "school week" grouping). */
export function weekStartMonday(date: IsoDate): IsoDate {
  return fromLocalDate(startOfISOWeek(toLocalDate(date)));
}

/** Closures as a Set, built once per calendar object. */
const closureSets = new WeakMap<SchoolCalendar, Set<IsoDate>>();
function closureSet(cal: SchoolCalendar): Set<IsoDate> {
  let set = closureSets.get(cal);
  if (!set) {
    set = new Set(cal.closures);
    closureSets.set(cal, set);
  }
  return set;
}

export function termOf(cal: SchoolCalendar, date: IsoDate): SchoolTerm | null {
  parseIsoDate(date);
  // ISO strings compare in calendar order.
  return cal.terms.find((term) => term.start <= date && date <= term.end) ?? null;
}

export function isSchoolDay(cal: SchoolCalendar, date: IsoDate): boolean {
  if (cal.extraDays && cal.extraDays.includes(date)) return true;
  const weekend = cal.weekendDays ?? [0, 6];
  if (weekend.includes(dayOfWeek(date))) return false;
  if (closureSet(cal).has(date)) return false;
  return termOf(cal, date) !== null;
}

function lastTermEnd(cal: SchoolCalendar): IsoDate | null {
  let last: IsoDate | null = null;
  for (const term of cal.terms) if (last === null || term.end > last) last = term.end;
  return last;
}

/** The n-th school day after date (n = 0 gives date itself). Throws past the calendar's last term. */
export function addSchoolDays(cal: SchoolCalendar, date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new Error(`addSchoolDays: n must be a whole number 0 or more, got ${n}`);
  parseIsoDate(date);
  const end = lastTermEnd(cal);
  let current = date;
  let remaining = n;
  while (remaining > 0) {
    if (end === null || current >= end) {
      throw new Error(`addSchoolDays: ${n} school days after ${date} is beyond the calendar's last term (ends ${end ?? 'no terms'})`);
    }
    current = plusDays(current, 1);
    if (isSchoolDay(cal, current)) remaining--;
  }
  return current;
}

/** School days in [from, to], in order. */
export function schoolDaysInRange(cal: SchoolCalendar, from: IsoDate, to: IsoDate): IsoDate[] {
  parseIsoDate(from);
  parseIsoDate(to);
  const days: IsoDate[] = [];
  for (let day = from; day <= to; day = plusDays(day, 1)) {
    if (isSchoolDay(cal, day)) days.push(day);
  }
  return days;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Why date is not a school day, in words for staff ("a Saturday", "in Autumn half-term",
 * "an INSET day", "outside the terms in Settings"); null when it is a school day.
 */
export function whyNotSchoolDay(cal: SchoolCalendar, date: IsoDate): string | null {
  if (isSchoolDay(cal, date)) return null;
  const weekday = dayOfWeek(date);
  if ((cal.weekendDays ?? [0, 6]).includes(weekday)) return `a ${WEEKDAY_NAMES[weekday]}`;
  const named = (cal.breaks ?? []).find((b) => b.start <= date && date <= b.end);
  if (named) {
    switch (named.kind) {
      case 'inset': return `an INSET day (${named.name})`;
      case 'bank holiday': return `a bank holiday (${named.name})`;
      case 'closure': return `a closure day (${named.name})`;
      default: return `in ${named.name}`;
    }
  }
  if (closureSet(cal).has(date)) return 'a closure day';
  return 'outside the terms of the school year';
}

/** One Monday–Sunday week with at least one school day: the weekly report's and the penalty window's unit. */
export interface SchoolWeek {
  monday: IsoDate;
  /** Its school days, in order (1–5 normally; fewer in a half-term or INSET week). */
  days: IsoDate[];
}

/** The school weeks that touch [from, to], oldest first; a holiday week (no school day) is not one. */
export function schoolWeeks(cal: SchoolCalendar, from: IsoDate, to: IsoDate): SchoolWeek[] {
  const weeks: SchoolWeek[] = [];
  for (const day of schoolDaysInRange(cal, weekStartMonday(from), plusDays(weekStartMonday(to), 6))) {
    const monday = weekStartMonday(day);
    const last = weeks[weeks.length - 1];
    if (last && last.monday === monday) last.days.push(day);
    else weeks.push({ monday, days: [day] });
  }
  return weeks;
}

/**
 * The latest school week that has ended before `today` (all its school days are before today;
 * with includeToday, on or before today): the week a report sent on `today` covers. A holiday
 * week is skipped, so a report sent in half-term covers the last week taught. null when no
 * school week has ended yet.
 */
export function latestSchoolWeek(cal: SchoolCalendar, today: IsoDate, opts: { includeToday?: boolean } = {}): SchoolWeek | null {
  const cutoff = opts.includeToday ? today : plusDays(today, -1);
  const days = schoolDaysOf(cal);
  let k = countUpTo(days, cutoff);
  while (k > 0) {
    const monday = weekStartMonday(days[k - 1]!);
    const first = countUpTo(days, plusDays(monday, -1));
    const after = countUpTo(days, plusDays(monday, 6));
    // A week with school days still to come is not over: look at the one before.
    if (days[after - 1]! <= cutoff) return { monday, days: days.slice(first, after) };
    k = first;
  }
  return null;
}

/**
 * The half-terms of the year: each term split at the half-term breaks inside it (England's six
 * half-terms from three terms); a term with no half-term break is one half-term.
 */
export function halfTermsOf(cal: SchoolCalendar): SchoolTerm[] {
  const days = schoolDaysOf(cal);
  const result: SchoolTerm[] = [];
  for (const term of [...cal.terms].sort((a, b) => (a.start < b.start ? -1 : 1))) {
    const base = term.name.replace(/\s+term$/i, '');
    const breaks = (cal.breaks ?? [])
      .filter((b) => b.kind === 'half-term' && b.start > term.start && b.end < term.end)
      .sort((a, b) => (a.start < b.start ? -1 : 1));
    let start = term.start;
    breaks.forEach((b, i) => {
      // From the term's (or last break's) next day to the last school day before the break.
      result.push({ name: `${base} ${i + 1}`, start, end: days[countUpTo(days, plusDays(b.start, -1)) - 1] ?? plusDays(b.start, -1) });
      start = days[countUpTo(days, b.end)] ?? plusDays(b.end, 1);
    });
    result.push({ name: breaks.length ? `${base} ${breaks.length + 1}` : term.name, start, end: term.end });
  }
  return result;
}

/** Number of school days in (from, to]: 0 when to is on or before from. */
export function schoolDaysBetween(cal: SchoolCalendar, from: IsoDate, to: IsoDate): number {
  parseIsoDate(from);
  parseIsoDate(to);
  if (to <= from) return 0;
  return schoolDaysInRange(cal, plusDays(from, 1), to).length;
}

/** First date on or after date that falls on the given weekday (0 = Sunday). */
function onOrAfter(date: IsoDate, weekday: number): IsoDate {
  return plusDays(date, (weekday - dayOfWeek(date) + 7) % 7);
}

/** date itself when it is Monday–Friday, otherwise the next Monday. */
function firstWeekdayFrom(date: IsoDate): IsoDate {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6 ? onOrAfter(date, 1) : date;
}

/** Monday–Friday of the week containing date. */
function weekdaysOfWeek(date: IsoDate): IsoDate[] {
  const monday = weekStartMonday(date);
  return [0, 1, 2, 3, 4].map((i) => plusDays(monday, i));
}

/** Moves the end of the last term so the year has exactly `target` school days. */
function fitLastTermTo(cal: SchoolCalendar, target: number): SchoolCalendar {
  const terms = cal.terms.map((term) => ({ ...term }));
  const last = terms[terms.length - 1]!;
  const counted = { ...cal, terms: terms.slice(0, -1) };
  let days = 0;
  for (const term of counted.terms) days += schoolDaysInRange(counted, term.start, term.end).length;
  const lastCal: SchoolCalendar = { ...cal, terms };
  let day = last.start;
  let inLast = isSchoolDay(lastCal, day) ? 1 : 0;
  while (days + inLast < target) {
    day = plusDays(day, 1);
    last.end = day;
    if (isSchoolDay(lastCal, day)) inLast++;
  }
  last.end = day;
  return { ...cal, terms };
}

/**
 * An approximate English academic year starting in September of academicYearStart (the
 * calendar of englandPattern): three terms, six half-terms, five INSET days and the bank holidays
 * that fall in term, 190 school days (DfE: 380 sessions). Real dates vary by local authority:
 * schools enter their own calendar in Settings ▸ Academic year.
 */
export function defaultUkCalendar(academicYearStart: number): SchoolCalendar {
  return calendarFromEntries(englandPattern(academicYearStart));
}

/**
 * An approximate US school year starting in August of `year`: two semesters, federal holidays
 * (Labor Day, Thanksgiving Wednesday–Friday, MLK Day, Presidents' Day, Memorial Day) and a spring
 * break as closures, with the second semester ending on the 180th day. Districts set their own.
 */
export function defaultUsCalendar(year: number): SchoolCalendar {
  const y = year;
  const fall = onOrAfter(toIsoDate(y, 8, 19), 3); // a Wednesday start is common
  const thanksgiving = plusDays(onOrAfter(toIsoDate(y, 11, 1), 4), 21); // 4th Thursday
  const closures = [
    onOrAfter(toIsoDate(y, 9, 1), 1), // Labor Day
    plusDays(thanksgiving, -1), thanksgiving, plusDays(thanksgiving, 1),
    plusDays(onOrAfter(toIsoDate(y + 1, 1, 1), 1), 14), // MLK Day, 3rd Monday of January
    plusDays(onOrAfter(toIsoDate(y + 1, 2, 1), 1), 14), // Presidents' Day, 3rd Monday of February
    ...weekdaysOfWeek(toIsoDate(y + 1, 3, 24)), // spring break
    onOrAfter(toIsoDate(y + 1, 5, 25), 1), // Memorial Day, last Monday of May
  ];
  const cal: SchoolCalendar = {
    terms: [
      { name: 'Semester 1', start: fall, end: toIsoDate(y, 12, 20) },
      { name: 'Semester 2', start: firstWeekdayFrom(toIsoDate(y + 1, 1, 3)), end: toIsoDate(y + 1, 6, 10) },
    ],
    closures: closures.sort(),
  };
  return fitLastTermTo(cal, 180);
}

// ---------------------------------------------------------------------------------------------
// School-day lists: one sorted list per calendar object, so stepping N school days is an index
// move (the policy and the school model step thousands of times per recalculation).

const schoolDayLists = new WeakMap<SchoolCalendar, IsoDate[]>();

/** Every school day of the calendar's terms, sorted; cached per calendar object. */
export function schoolDaysOf(cal: SchoolCalendar): IsoDate[] {
  let days = schoolDayLists.get(cal);
  if (!days) {
    const all = new Set<IsoDate>();
    for (const term of cal.terms) for (const day of schoolDaysInRange(cal, term.start, term.end)) all.add(day);
    for (const day of cal.extraDays ?? []) all.add(day);
    days = [...all].sort();
    schoolDayLists.set(cal, days);
  }
  return days;
}

/** Number of school days on or before date (binary search of a schoolDaysOf list). */
export function countUpTo(days: readonly IsoDate[], date: IsoDate): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]! <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The n-th school day after date (n = 0: date itself); null past the calendar's end. */
export function schoolDaysAfter(days: readonly IsoDate[], date: IsoDate, n: number): IsoDate | null {
  if (n === 0) return date;
  return days[countUpTo(days, date) + n - 1] ?? null;
}

/**
 * 'yyyy-mm-dd' from a cell: a Date read from the sheet (its local calendar date — script and
 * spreadsheet share the school's zone, semantics V1.7/S4.3), or ISO text, possibly with the force-
 * text apostrophe or followed by words ("2026-11-23 – overdue"). null when neither.
 */
export function isoDateOfCell(value: unknown): IsoDate | null {
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const d = value as Date;
    if (Number.isNaN(d.getTime())) return null;
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }
  const m = /^\s*'?(\d{4}-\d{2}-\d{2})/.exec(String(value ?? ''));
  return m ? m[1]! : null;
}

// ---------------------------------------------------------------------------------------------
// The academic year as the school enters it (Settings ▸ Academic year): one row per term or break.

/** What a row of the academic year is. Every kind but Term and Extra school day is a day off. */
export const CALENDAR_KINDS = ['Term', 'Half-term', 'Holiday', 'INSET', 'Bank holiday', 'Closure', 'Extra school day'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

export interface CalendarEntry {
  kind: CalendarKind;
  name: string;
  start: IsoDate;
  /** Last day, inclusive (= start for a single day). */
  end: IsoDate;
}

const BREAK_KIND: Record<string, SchoolBreak['kind']> = {
  'Half-term': 'half-term',
  Holiday: 'holiday',
  INSET: 'inset',
  'Bank holiday': 'bank holiday',
  Closure: 'closure',
};

/** The kind a person typed ("inset", "half term", "bank holiday"), or null. */
export function calendarKindOf(text: unknown): CalendarKind | null {
  const key = String(text ?? '').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (!key) return null;
  const aliases: Record<string, CalendarKind> = { 'half term': 'Half-term', 'inset day': 'INSET', 'training day': 'INSET', 'teacher workday': 'INSET', semester: 'Term', quarter: 'Term', trimester: 'Term', 'school day': 'Extra school day', 'closure day': 'Closure', break: 'Holiday', vacation: 'Holiday', 'federal holiday': 'Bank holiday', 'public holiday': 'Bank holiday' };
  return CALENDAR_KINDS.find((k) => k.toLowerCase().replace(/-/g, ' ') === key) ?? aliases[key] ?? null;
}

/** The calendar the rows describe: terms, every weekday of every break as a closure, extra days. */
export function calendarFromEntries(entries: readonly CalendarEntry[]): SchoolCalendar {
  const terms: SchoolTerm[] = [];
  const breaks: SchoolBreak[] = [];
  const closures = new Set<IsoDate>();
  const extraDays: IsoDate[] = [];
  for (const entry of entries) {
    if (entry.kind === 'Term') terms.push({ name: entry.name, start: entry.start, end: entry.end });
    else if (entry.kind === 'Extra school day') {
      for (let d = entry.start; d <= entry.end; d = plusDays(d, 1)) extraDays.push(d);
    } else {
      breaks.push({ kind: BREAK_KIND[entry.kind]!, name: entry.name, start: entry.start, end: entry.end });
      for (let d = entry.start; d <= entry.end; d = plusDays(d, 1)) {
        const weekday = dayOfWeek(d);
        if (weekday !== 0 && weekday !== 6) closures.add(d);
      }
    }
  }
  terms.sort((a, b) => (a.start < b.start ? -1 : 1));
  const cal: SchoolCalendar = { terms, closures: [...closures].sort(), breaks };
  if (extraDays.length) cal.extraDays = extraDays.sort();
  return cal;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date a person entered in a cell, strictly: a date cell, or text written yyyy-mm-dd that names
 * a real day (date-fns parses, and the result must print back the same, so 2024-02-30 is not
 * quietly 1 March). The error is a sentence about the value, for a message naming the cell.
 */
export function parseDateCell(value: unknown): { date: IsoDate } | { error: string } {
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const iso = isoDateOfCell(value);
    return iso ? { date: iso } : { error: 'is not a valid date' };
  }
  if (typeof value === 'number') return { error: `${value} is a number, not a date: write it yyyy-mm-dd` };
  const text = String(value ?? '').trim().replace(/^'/, '');
  const match = ISO_DATE.exec(text);
  if (!match) return { error: `"${text}" is not written yyyy-mm-dd (for example 2026-09-03)` };
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = parseWithPattern(text, 'yyyy-MM-dd', new Date(2000, 0, 1));
  if (!isValid(parsed) || lightFormat(parsed, 'yyyy-MM-dd') !== text) {
    if (m < 1 || m > 12) return { error: `"${text}" is not a date: there is no month ${m}` };
    const days = new Date(y, m, 0).getDate();
    return { error: `"${text}" is not a date: ${MONTH_NAMES[m - 1]} ${y} has ${days} days` };
  }
  return { date: text };
}

/** Easter Sunday of year (the Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toIsoDate(year, month, day);
}

/**
 * England's usual pattern for the year starting September `y`, as Settings rows to start from:
 * autumn from the first weekday of September, a half-term week at the end of October, Christmas
 * off, spring from the first weekday after 4 January with a half-term week in mid-February, the
 * two Easter weeks (Good Friday's and Easter Monday's) off, summer with the early-May bank holiday
 * and the late-May half-term, five INSET days (two at the start of autumn, one at the start of
 * spring and of summer, one on the last day of summer) and 190 school days. Every local authority
 * sets its own dates: the school checks and edits these rows.
 */
export function englandPattern(y: number): CalendarEntry[] {
  const autumnStart = firstWeekdayFrom(toIsoDate(y, 9, 1));
  const autumnHalfTerm = onOrAfter(toIsoDate(y, 10, 25), 1); // the last Monday of October
  const springStart = firstWeekdayFrom(toIsoDate(y + 1, 1, 4));
  const springHalfTerm = weekStartMonday(toIsoDate(y + 1, 2, 17));
  const goodFriday = plusDays(easterSunday(y + 1), -2);
  const easterWeek1 = weekStartMonday(goodFriday);
  const springEnd = plusDays(easterWeek1, -3);
  const summerStart = plusDays(easterWeek1, 14);
  const mayBankHoliday = onOrAfter(toIsoDate(y + 1, 5, 1), 1);
  const summerHalfTerm = onOrAfter(toIsoDate(y + 1, 5, 25), 1); // the spring bank holiday's week
  const rows: CalendarEntry[] = [
    { kind: 'Term', name: 'Autumn term', start: autumnStart, end: plusDays(weekStartMonday(toIsoDate(y, 12, 19)), 4) },
    { kind: 'INSET', name: 'INSET days', start: autumnStart, end: plusDays(autumnStart, 1) },
    { kind: 'Half-term', name: 'Autumn half-term', start: autumnHalfTerm, end: plusDays(autumnHalfTerm, 4) },
    { kind: 'Term', name: 'Spring term', start: springStart, end: springEnd },
    { kind: 'INSET', name: 'INSET day', start: springStart, end: springStart },
    { kind: 'Half-term', name: 'Spring half-term', start: springHalfTerm, end: plusDays(springHalfTerm, 4) },
    { kind: 'Term', name: 'Summer term', start: summerStart, end: toIsoDate(y + 1, 7, 31) },
    { kind: 'INSET', name: 'INSET day', start: summerStart, end: summerStart },
    { kind: 'Bank holiday', name: 'Early May bank holiday', start: mayBankHoliday, end: mayBankHoliday },
    { kind: 'Half-term', name: 'Summer half-term', start: summerHalfTerm, end: plusDays(summerHalfTerm, 4) },
  ];
  // The autumn term's last day must not be a weekend (19 December on a Saturday: the Friday before).
  // The summer term ends on the 190th school day; the last day of term is the fifth INSET day.
  const withoutEnd = calendarFromEntries(rows);
  const days = schoolDaysOf(withoutEnd).filter((d) => d < summerStart);
  let count = days.length;
  let day = plusDays(summerStart, -1);
  while (count < 191) {
    day = plusDays(day, 1);
    if (isSchoolDay(withoutEnd, day)) count++;
  }
  rows[6] = { ...rows[6]!, end: day };
  rows.push({ kind: 'INSET', name: 'INSET day', start: day, end: day });
  return rows;
}
