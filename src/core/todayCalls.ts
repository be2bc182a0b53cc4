/**
 * First-day absence calls (seed 003: "1st day absence phone calls are made to inform parents of
 * their child's unexplained absence for that day"; seed 001: contact within 1–2 school days).
 * Who to call today: a student with a session actually marked absent without a reason (a code the
 * table marks unverified — UK `N`, US unverified codes). A session with no mark is not an absence:
 * it may simply not be imported yet, and the list says when today's marks are missing instead.
 * A family already called today (a phone call, email, meeting or home visit logged for the pupil
 * today) stays on the list marked done, so the caller sees the round is finished. Sorted by year
 * group (7 before 10), then tutor group, then name. Pure: the gas layer reads today's register
 * columns, today's log entries and the clock, and says who the user may see.
 */
import { lookupCode } from './codes';
import type { CodeTable, IsoDate, SessionName } from './types';

/** The register closes at 09:30 by default (seed 003: registers at 9 am, sent to the office by 9.15). */
export const DEFAULT_REGISTER_CLOSES = '09:30';

/** The code shown for a student with no mark after the register closed (not a register code). */
export const NO_MARK = '';

export interface CallCandidate {
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
  parents: { name: string; phone: string }[];
}

export interface TodayCallRow {
  studentId: string;
  name: string;
  tutorGroup: string;
  parentName: string;
  phone: string;
  yearGroup: string;
  /** The unexplained code (e.g. N). */
  code: string;
  /** Called today already: who logged it and how it went ("Sam Lead: Spoke to parent"), else null. */
  calledToday: string | null;
}

/** A contact logged today for a pupil (from the Interventions Log). */
export interface ContactToday {
  studentId: string;
  method: string;
  outcome: string;
  by: string;
}

export interface TodayCallsInput {
  today: IsoDate;
  /** Is today a school day (calendar and closures)? No calls on other days. */
  schoolDay: boolean;
  /** Has the morning (or daily) register closed? Before it, a missing mark means nothing yet. */
  registerClosed: boolean;
  /** Today's marks per student: session → code. Students with no mark today are absent from the map. */
  marksToday: ReadonlyMap<string, Partial<Record<SessionName, string>>>;
  students: readonly CallCandidate[];
  table: CodeTable;
  /** Role filter: a tutor sees their group, a HOY their year. */
  mayView: (s: CallCandidate) => boolean;
  /** Contacts logged today (any member of staff): those families show as called. */
  contactsToday?: readonly ContactToday[];
}

/** Contact methods that reach the family (a letter does not answer today's absence). */
const CALL_METHODS = new Set(['phone call', 'email', 'meeting', 'home visit', 'conversation']);

/** "HH:mm" → minutes after midnight; throws on anything else. */
export function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`"${hhmm}" is not a time written HH:mm`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function unexplained(table: CodeTable, code: string): boolean {
  return lookupCode(table, code)?.unverified === true;
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });

/** The calls to make today: pupils marked absent with no reason, by year group, tutor group, then name. */
export function selectTodayCalls(input: TodayCallsInput): TodayCallRow[] {
  if (!input.schoolDay) return [];
  const sessions: SessionName[] = input.table.sessionsPerDay === 1 ? ['DAY'] : ['AM', 'PM'];
  const called = new Map<string, string>();
  for (const c of input.contactsToday ?? []) {
    if (CALL_METHODS.has(c.method.trim().toLowerCase())) called.set(c.studentId, `${c.by}${c.outcome ? `: ${c.outcome}` : ''}`);
  }
  const rows: TodayCallRow[] = [];
  for (const s of input.students) {
    if (!input.mayView(s)) continue;
    const marks = input.marksToday.get(s.studentId) ?? {};
    let code: string | null = null;
    for (const session of sessions) {
      const c = (marks[session] ?? '').trim();
      if (c !== '' && unexplained(input.table, c)) {
        code = c.toUpperCase();
        break;
      }
    }
    if (code === null) continue;
    const parent = s.parents.find((p) => p.phone.trim() !== '') ?? s.parents[0] ?? { name: '', phone: '' };
    rows.push({ studentId: s.studentId, name: s.name, yearGroup: s.yearGroup, tutorGroup: s.tutorGroup, parentName: parent.name, phone: parent.phone, code, calledToday: called.get(s.studentId) ?? null });
  }
  rows.sort((a, b) => naturalOrder(a.yearGroup, b.yearGroup) || naturalOrder(a.tutorGroup, b.tutorGroup) || naturalOrder(a.name, b.name) || a.studentId.localeCompare(b.studentId));
  return rows;
}

/**
 * Whether today's marks are in: true when any pupil has a mark today. When not, Today says so
 * (with the last import time) instead of an empty "no calls" that would look like good news.
 */
export function todaysMarksImported(marksToday: ReadonlyMap<string, Partial<Record<SessionName, string>>>): boolean {
  for (const m of marksToday.values()) for (const code of Object.values(m)) if ((code ?? '').trim() !== '') return true;
  return false;
}
