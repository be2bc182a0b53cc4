/**
 * The Register tab stores marks in wide form: one row per student, one column per session,
 * headed in words — 'Mon 2 Sep 2024 AM' / 'Mon 2 Sep 2024 PM' (or 'Mon 2 Sep 2024' for daily
 * registers), oldest first: people read the tab, and a month in words is the same in every
 * school's date format (a header is never misread when a school changes its preset). Headers
 * written before ('2024-09-02 AM') are still read.
 * 2,000 students × 380 sessions is 760k cells: one getValues and one setValues (DESIGN.md §5).
 */
import type { IsoDate, MarkOnDay, RegisterMark, SessionName } from '../types';

export const REGISTER_ID_HEADER = 'Student ID';
const SESSION_ORDER: Record<SessionName, number> = { AM: 0, PM: 1, DAY: 2 };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2024-09-02', 'AM' → 'Mon 2 Sep 2024 AM'. */
export function sessionHeader(date: IsoDate, session: SessionName): string {
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  const words = `${weekday} ${d} ${MONTHS[m - 1]} ${y}`;
  return session === 'DAY' ? words : `${words} ${session}`;
}

/** A Register header back to its session: 'Mon 2 Sep 2024 AM' (or the older '2024-09-02 AM'); null when it is not one. */
export function parseSessionHeader(header: string): { date: IsoDate; session: SessionName } | null {
  const text = String(header).trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:\s+(AM|PM))?$/.exec(text);
  if (iso) return { date: iso[1]!, session: (iso[2] as SessionName | undefined) ?? 'DAY' };
  const m = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})(?:\s+(AM|PM))?$/.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!) + 1;
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (month < 1 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { date, session: (m[4] as SessionName | undefined) ?? 'DAY' };
}

export function compareSessions(a: { date: IsoDate; session: SessionName }, b: { date: IsoDate; session: SessionName }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : SESSION_ORDER[a.session] - SESSION_ORDER[b.session];
}

export interface RegisterProblem {
  row: number;
  column: number;
  message: string;
}

/** Reads the Register tab's values (header row included) into marks per student. */
export function readRegisterSheet(values: readonly (readonly unknown[])[]): { marksByStudent: Map<string, MarkOnDay[]>; sessions: { date: IsoDate; session: SessionName }[]; problems: RegisterProblem[] } {
  const marksByStudent = new Map<string, MarkOnDay[]>();
  const problems: RegisterProblem[] = [];
  if (values.length === 0) return { marksByStudent, sessions: [], problems };
  const header = values[0];
  const sessions: ({ date: IsoDate; session: SessionName } | null)[] = header.map((h, c) => {
    if (c === 0) return null;
    if (String(h ?? '').trim() === '') return null;
    const s = parseSessionHeader(String(h));
    if (!s) problems.push({ row: 1, column: c + 1, message: `Register header "${String(h)}" is not a session (a date and AM/PM, such as "Mon 2 Sep 2024 AM")` });
    return s;
  });
  for (let r = 1; r < values.length; r++) {
    const row = values[r];
    const id = String(row[0] ?? '').trim();
    if (!id) continue;
    const marks: MarkOnDay[] = [];
    for (let c = 1; c < row.length; c++) {
      const s = sessions[c];
      if (!s) continue;
      const v = row[c];
      if (v === '' || v === null || v === undefined) continue;
      marks.push({ date: s.date, session: s.session, code: String(v).trim() });
    }
    marksByStudent.set(id, marks);
  }
  return { marksByStudent, sessions: sessions.filter((s): s is { date: IsoDate; session: SessionName } => s !== null), problems };
}

/** Writes marks as the Register tab's values (header row first), sessions sorted, students in the given order. */
export function registerSheetValues(marks: readonly RegisterMark[], studentOrder: readonly string[] = []): string[][] {
  const sessionKeys = new Map<string, { date: IsoDate; session: SessionName }>();
  const byStudent = new Map<string, Map<string, string>>();
  for (const m of marks) {
    const key = sessionHeader(m.date, m.session);
    if (!sessionKeys.has(key)) sessionKeys.set(key, { date: m.date, session: m.session });
    let row = byStudent.get(m.studentId);
    if (!row) byStudent.set(m.studentId, (row = new Map()));
    row.set(key, m.code);
  }
  const sessions = [...sessionKeys.entries()].sort((a, b) => compareSessions(a[1], b[1])).map(([k]) => k);
  const ids = [...studentOrder.filter((id) => byStudent.has(id)), ...[...byStudent.keys()].filter((id) => !studentOrder.includes(id)).sort()];
  const out: string[][] = [[REGISTER_ID_HEADER, ...sessions]];
  for (const id of ids) {
    const row = byStudent.get(id)!;
    out.push([id, ...sessions.map((s) => row.get(s) ?? '')]);
  }
  return out;
}

/** Flattens per-student marks back to register marks (for merging an import). */
export function flattenMarks(marksByStudent: ReadonlyMap<string, readonly MarkOnDay[]>): RegisterMark[] {
  const out: RegisterMark[] = [];
  for (const [studentId, marks] of marksByStudent) for (const m of marks) out.push({ studentId, date: m.date, session: m.session, code: m.code });
  return out;
}
