/**
 * The Register tab stores marks in wide form: one row per student, one column per session,
 * headed 'yyyy-MM-dd AM' / 'yyyy-MM-dd PM' (or 'yyyy-MM-dd' for daily registers), oldest first.
 * 2,000 students × 380 sessions is 760k cells: one getValues and one setValues (DESIGN.md §5).
 */
import type { IsoDate, MarkOnDay, RegisterMark, SessionName } from '../types';

export const REGISTER_ID_HEADER = 'Student ID';
const SESSION_ORDER: Record<SessionName, number> = { AM: 0, PM: 1, DAY: 2 };

export function sessionHeader(date: IsoDate, session: SessionName): string {
  return session === 'DAY' ? date : `${date} ${session}`;
}

export function parseSessionHeader(header: string): { date: IsoDate; session: SessionName } | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s+(AM|PM))?$/.exec(String(header).trim());
  if (!m) return null;
  return { date: m[1], session: (m[2] as SessionName | undefined) ?? 'DAY' };
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
    if (!s) problems.push({ row: 1, column: c + 1, message: `Register header "${String(h)}" is not a session (yyyy-mm-dd AM/PM)` });
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
