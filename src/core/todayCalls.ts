/**
 * First-day absence calls (seed 003: "1st day absence phone calls are made to inform parents of
 * their child's unexplained absence for that day"; seed 001: contact within 1–2 school days).
 * Who to call today: a student whose mark today is unexplained (a code the table marks unverified —
 * UK `N`, US unverified codes), or who has no morning mark once the register has closed while the
 * rest of the school has been marked. Pure: the gas layer reads today's register columns and the
 * clock, and says who the user may see.
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
  /** The unexplained code, or '' (NO_MARK) when the morning register has no mark for them. */
  code: string;
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
}

/** "HH:mm" → minutes after midnight; throws on anything else. */
export function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`"${hhmm}" is not a time written HH:mm`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function unexplained(table: CodeTable, code: string): boolean {
  return lookupCode(table, code)?.unverified === true;
}

/**
 * The calls to make today, by tutor group then name. "No mark" only counts once the register
 * closed and today's register has been imported for someone (otherwise every student would be
 * listed on a day the MIS export has not come in yet).
 */
export function selectTodayCalls(input: TodayCallsInput): TodayCallRow[] {
  if (!input.schoolDay) return [];
  const firstSession: SessionName = input.table.sessionsPerDay === 1 ? 'DAY' : 'AM';
  const registerTaken = [...input.marksToday.values()].some((m) => (m[firstSession] ?? '').trim() !== '');
  const rows: TodayCallRow[] = [];
  for (const s of input.students) {
    if (!input.mayView(s)) continue;
    const marks = input.marksToday.get(s.studentId) ?? {};
    const sessions: SessionName[] = input.table.sessionsPerDay === 1 ? ['DAY'] : ['AM', 'PM'];
    let code: string | null = null;
    for (const session of sessions) {
      const c = (marks[session] ?? '').trim();
      if (c !== '' && unexplained(input.table, c)) {
        code = c.toUpperCase();
        break;
      }
    }
    if (code === null && input.registerClosed && registerTaken && (marks[firstSession] ?? '').trim() === '') code = NO_MARK;
    if (code === null) continue;
    const parent = s.parents.find((p) => p.phone.trim() !== '') ?? s.parents[0] ?? { name: '', phone: '' };
    rows.push({ studentId: s.studentId, name: s.name, tutorGroup: s.tutorGroup, parentName: parent.name, phone: parent.phone, code });
  }
  rows.sort((a, b) => a.tutorGroup.localeCompare(b.tutorGroup) || a.name.localeCompare(b.name) || a.studentId.localeCompare(b.studentId));
  return rows;
}
