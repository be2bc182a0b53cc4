/**
 * The MIS export layouts the register import understands, and how to recognise each one from its
 * header row. Fixtures and a description of each are in test/fixtures/register/ (LAYOUTS.md).
 */
import type { IsoDate } from '../types';
import { headerKey } from '../tracker/columns';

export type LayoutId = 'sims-wide' | 'arbor-long' | 'powerschool-daily' | 'generic-long';

export type DateFormat = 'dd/MM/yyyy' | 'MM/dd/yyyy' | 'yyyy-MM-dd';

export interface RegisterLayout {
  id: LayoutId;
  /** What staff would call the export. */
  label: string;
  /** long: one row per mark. wide: one row per student, one column per session. */
  form: 'long' | 'wide';
  dateFormat: DateFormat;
  /** Headers that identify the layout (matched ignoring case, spaces and punctuation). */
  requiredHeaders: readonly string[];
  /** Student ID columns in order of preference (SIMS has both UPN and admission number). */
  studentIdHeaders: readonly string[];
  dateHeader?: string;
  /** No session column means one mark a day (session DAY). */
  sessionHeader?: string;
  codeHeader?: string;
}

export const REGISTER_LAYOUTS: readonly RegisterLayout[] = [
  {
    id: 'sims-wide',
    label: 'SIMS "Attendance marks" export (one column per session, e.g. "Mon 02/09/2024 AM")',
    form: 'wide',
    dateFormat: 'dd/MM/yyyy',
    requiredHeaders: ['UPN or Adno', 'session columns like "Mon 02/09/2024 AM"'],
    studentIdHeaders: ['UPN', 'Adno'],
  },
  {
    id: 'arbor-long',
    label: 'Arbor attendance marks export (Student ID, Student Name, Date, Session, Mark)',
    form: 'long',
    dateFormat: 'dd/MM/yyyy',
    requiredHeaders: ['Student ID', 'Date', 'Session', 'Mark'],
    studentIdHeaders: ['Student ID'],
    dateHeader: 'Date',
    sessionHeader: 'Session',
    codeHeader: 'Mark',
  },
  {
    id: 'powerschool-daily',
    label: 'PowerSchool daily attendance export (Student_Number, LastFirst, Att_Date, Att_Code)',
    form: 'long',
    dateFormat: 'MM/dd/yyyy',
    requiredHeaders: ['Student_Number', 'Att_Date', 'Att_Code'],
    studentIdHeaders: ['Student_Number'],
    dateHeader: 'Att_Date',
    codeHeader: 'Att_Code',
  },
  {
    id: 'generic-long',
    label: 'Generic long form (student_id, date, session, code; dates yyyy-MM-dd)',
    form: 'long',
    dateFormat: 'yyyy-MM-dd',
    requiredHeaders: ['student_id', 'date', 'session', 'code'],
    studentIdHeaders: ['student_id'],
    dateHeader: 'date',
    sessionHeader: 'session',
    codeHeader: 'code',
  },
];

export function registerLayout(id: LayoutId): RegisterLayout {
  const layout = REGISTER_LAYOUTS.find((l) => l.id === id);
  if (!layout) throw new Error(`Unknown register layout "${String(id)}": expected one of ${REGISTER_LAYOUTS.map((l) => l.id).join(', ')}`);
  return layout;
}

export interface SessionColumnHeader {
  weekday: string;
  dateText: string;
  session: 'AM' | 'PM';
}

const SIMS_SESSION_HEADER = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+(\d{1,2}\/\d{1,2}\/\d{4})\s+(am|pm)$/i;

/** 'Mon 02/09/2024 AM' → its parts, or null when the header is not a session column. */
export function parseSessionHeader(header: string): SessionColumnHeader | null {
  const m = SIMS_SESSION_HEADER.exec(header.trim());
  if (!m) return null;
  return { weekday: m[1].slice(0, 1).toUpperCase() + m[1].slice(1, 3).toLowerCase(), dateText: m[2], session: m[3].toUpperCase() as 'AM' | 'PM' };
}

/** A header that carries a date but is not a well-formed session column: worth reporting. */
export function looksLikeDateHeader(header: string): boolean {
  return /\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/.test(header);
}

/** Index of each header by its normalised key (first occurrence wins). */
export function headerIndex(headers: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  headers.forEach((h, col) => {
    const key = headerKey(h);
    if (key !== '' && !index.has(key)) index.set(key, col);
  });
  return index;
}

/** True when the header row has everything the layout needs. */
export function headersFitLayout(headers: readonly string[], layout: RegisterLayout): boolean {
  const index = headerIndex(headers);
  if (layout.form === 'wide') {
    return layout.studentIdHeaders.some((h) => index.has(headerKey(h))) && headers.some((h) => parseSessionHeader(h) !== null);
  }
  const needed = [layout.studentIdHeaders[0], layout.dateHeader, layout.sessionHeader, layout.codeHeader].filter(
    (h): h is string => h !== undefined,
  );
  return needed.every((h) => index.has(headerKey(h)));
}

/** The layout a header row belongs to, most specific first; null when none fits. */
export function detectLayout(headers: string[]): LayoutId | null {
  for (const layout of REGISTER_LAYOUTS) {
    if (headersFitLayout(headers, layout)) return layout.id;
  }
  return null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export type DateParse = { ok: true; date: IsoDate } | { ok: false; reason: string };

/**
 * A date written in the layout's format → ISO. Single-digit day/month are accepted (Excel drops
 * the zero); a trailing midnight time ('09/03/2024 0:00') is ignored. 31/02/2024 is rejected as
 * not a real date.
 */
export function parseLayoutDate(text: string, format: DateFormat): DateParse {
  const trimmed = text.trim().replace(/\s+\d{1,2}:\d{2}(:\d{2})?(\s*[ap]m)?$/i, '');
  let year: number;
  let month: number;
  let day: number;
  if (format === 'yyyy-MM-dd') {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
    if (!m) return { ok: false, reason: `is not a date in the form yyyy-MM-dd (e.g. 2024-09-02)` };
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
    if (!m) return { ok: false, reason: `is not a date in the form ${format} (e.g. ${format === 'dd/MM/yyyy' ? '02/09/2024' : '09/02/2024'})` };
    const a = Number(m[1]);
    const b = Number(m[2]);
    year = Number(m[3]);
    [day, month] = format === 'dd/MM/yyyy' ? [a, b] : [b, a];
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: `is not a real date (read as ${format})` };
  }
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { ok: true, date: iso };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Three-letter weekday of an ISO date (proleptic Gregorian, no time zone involved). */
export function weekdayOf(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}
