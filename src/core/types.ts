/**
 * Shared vocabulary of the pure core. Every layer (gas adapters, emulator tests, sidebar RPC
 * payloads) speaks in these types. Dates are ISO calendar dates ('yyyy-MM-dd') in the school's
 * time zone: the core never sees a JS Date for a school day, so no time-zone drift can creep in.
 */

/** A school calendar date, 'yyyy-MM-dd', in the school's own time zone. */
export type IsoDate = string;

/** Register session. UK schools have two a day (AM/PM); many US schools record one (DAY). */
export type SessionName = 'AM' | 'PM' | 'DAY';

/**
 * Statistical bucket of a register code (attendance-rules.md §1.2 and §6.1):
 * present and AEA count as attendance; authorised and unauthorised as absence;
 * notPossible sessions are left out of the denominator.
 */
export type CodeCategory = 'present' | 'aea' | 'authorised' | 'unauthorised' | 'notPossible';

export interface AttendanceCode {
  code: string;
  category: CodeCategory;
  meaning: string;
  /** L = late before the register closed (present); U = after it closed (unauthorised). */
  late?: 'beforeClose' | 'afterClose';
  /** The reason is not yet known (UK `N`, US unverified codes). Counts in its category as well. */
  unverified?: boolean;
  /** Absent without valid cause in the US sense (Illinois "unexcused"). */
  unexcused?: boolean;
}

export interface CodeTable {
  id: string;
  label: string;
  /** 2 for UK AM/PM registers, 1 for US daily attendance. */
  sessionsPerDay: 1 | 2;
  codes: AttendanceCode[];
}

/** One register mark of one student. */
export interface RegisterMark {
  studentId: string;
  date: IsoDate;
  session: SessionName;
  code: string;
}

/** A student's marks, in date then session order (AM before PM). */
export interface MarkOnDay {
  date: IsoDate;
  session: SessionName;
  code: string;
}

/** Per-student attendance statistics; every count is in sessions. */
export interface AttendanceStats {
  /** Possible sessions: every marked session except notPossible codes. */
  possible: number;
  present: number;
  aea: number;
  authorised: number;
  unauthorised: number;
  /** Sessions coded with an unverified code (a subset of their category). */
  unverified: number;
  /** Sessions coded with an unexcused code (US; subset of unauthorised). */
  unexcused: number;
  lateBeforeClose: number;
  lateAfterClose: number;
  notPossible: number;
  /** present + aea */
  attended: number;
  /** authorised + unauthorised */
  absent: number;
  /** attended / possible; 1 when possible is 0 (no possible session yet). For display and sorting. */
  attendanceFraction: number;
  /** absent * 10 >= possible (and possible > 0) — DfE "exact" rule. */
  persistentAbsence: boolean;
  /** absent * 2 >= possible (and possible > 0). */
  severeAbsence: boolean;
  /** Longest run of consecutive unauthorised sessions (not-possible sessions neither break nor extend it). */
  longestUnauthorisedRun: number;
  /** Run of unauthorised sessions ending at the latest mark. */
  currentUnauthorisedRun: number;
  /** Date of the latest mark counted, or null when there are none. */
  lastMarkDate: IsoDate | null;
}

/** Methods of contact, as staff choose them in the log (seed 002, seed 001). */
/** 'Note': a record for staff that is not a contact (a review date set): history.ts isNote. */
export const CONTACT_METHODS = ['Conversation', 'Phone call', 'Email', 'Letter', 'Meeting', 'Home visit', 'Referral', 'Note'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CONTACT_OUTCOMES = [
  'Spoke to parent/carer',
  'Spoke to student',
  'No answer',
  'Left message',
  'Letter sent',
  'Meeting held',
  /** A review meeting or conversation staff held at the step's review (issue 10; reviewWords.ts). */
  'Review held',
  'Parent did not attend',
  'Referred',
  'Other',
] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** One row of the Interventions Log: append-only history of contacts, letters, meetings. */
export interface InterventionRecord {
  /** When it happened (school date). */
  date: IsoDate;
  studentId: string;
  /** Ladder step the action belongs to (1-based), or 0 for none. */
  step: number;
  method: ContactMethod;
  outcome: ContactOutcome | string;
  nextAction?: string;
  /** Staff email (or name) who recorded it. */
  by: string;
  /** Attendance fraction when this was recorded: the baseline for "no improvement". */
  attendanceAtTime?: number;
  /** Letter key for letters: `${studentId}|${letterId}|${window}`. */
  letterKey?: string;
  documentUrl?: string;
  notes?: string;
}

/** Staff roles (seed 000 §3.5; seed 002 abbreviations). */
export const STAFF_ROLES = ['Tutor', 'HOY', 'AO', 'AL', 'Admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
