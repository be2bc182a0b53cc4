/**
 * The school calendar: terms, closures and weekends, all on ISO date strings ('yyyy-MM-dd').
 * date-fns does the day arithmetic on local-midnight Dates built from the string parts and turned
 * straight back into strings, so no time zone ever shifts a school day.
 */
import { addDays, getDay, lightFormat, startOfISOWeek } from 'date-fns';
import type { IsoDate } from './types';

export interface SchoolTerm {
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
 * An approximate English academic year starting in September of academicYearStart: three terms,
 * one-week half-terms (from the last Monday of October, mid-February, late May), the early-May bank holiday and five
 * INSET days as closures, with the summer term ending on the 190th school day (DfE: 380 sessions).
 * Real dates vary by local authority: schools enter their own calendar in Settings.
 */
export function defaultUkCalendar(academicYearStart: number): SchoolCalendar {
  const y = academicYearStart;
  const autumnStart = firstWeekdayFrom(toIsoDate(y, 9, 1));
  const springStart = firstWeekdayFrom(toIsoDate(y + 1, 1, 4));
  const summerStart = onOrAfter(toIsoDate(y + 1, 4, 14), 1);
  const lastMondayOfMay = onOrAfter(toIsoDate(y + 1, 5, 25), 1);
  const closures = [
    autumnStart, plusDays(autumnStart, 1), // INSET
    springStart, // INSET
    summerStart, // INSET
    ...weekdaysOfWeek(onOrAfter(toIsoDate(y, 10, 25), 1)), // autumn half-term: last Monday of October
    ...weekdaysOfWeek(toIsoDate(y + 1, 2, 17)), // spring half-term
    onOrAfter(toIsoDate(y + 1, 5, 1), 1), // early May bank holiday
    ...weekdaysOfWeek(lastMondayOfMay), // summer half-term (incl. spring bank holiday)
  ];
  const cal: SchoolCalendar = {
    terms: [
      { name: 'Autumn', start: autumnStart, end: toIsoDate(y, 12, 19) },
      { name: 'Spring', start: springStart, end: toIsoDate(y + 1, 3, 28) },
      { name: 'Summer', start: summerStart, end: toIsoDate(y + 1, 7, 18) },
    ],
    closures: [...new Set(closures)].sort(),
  };
  return fitLastTermTo(cal, 190);
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
