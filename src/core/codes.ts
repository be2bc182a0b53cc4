/**
 * Register code tables: which bucket each mark falls into for statistics.
 * DfE 2024 codes follow attendance-rules.md §1.2/§1.3; the US table follows seed 004 (Illinois
 * elementary SOP). US code sets are district-specific: a school adjusts its table in Settings.
 */
import type { AttendanceCode, CodeCategory, CodeTable } from './types';

const CODE_CATEGORIES: readonly CodeCategory[] = ['present', 'aea', 'authorised', 'unauthorised', 'notPossible'];

/** A register mark whose code is not in the school's code table. */
export class UnknownCodeError extends Error {
  readonly code: string;
  readonly position?: string;
  constructor(code: string, position?: string, message?: string) {
    super(message ?? `Unknown attendance code "${code}"${position ? ` ${position}` : ''}`);
    this.name = 'UnknownCodeError';
    this.code = code;
    this.position = position;
  }
}

/** DfE codes in force from 19 August 2024 (SI 2024/208 reg 10; attendance-rules.md §1.2). */
export const DFE_2024: CodeTable = {
  id: 'dfe-2024',
  label: 'England: DfE attendance codes (from 19 August 2024)',
  sessionsPerDay: 2,
  codes: [
    { code: '/', category: 'present', meaning: 'Present (morning session)' },
    { code: '\\', category: 'present', meaning: 'Present (afternoon session)' },
    // §1.3: L arrived before the register closed and counts as present.
    { code: 'L', category: 'present', meaning: 'Late: arrived before the register closed', late: 'beforeClose' },
    { code: 'K', category: 'aea', meaning: 'Attending education provision arranged by the local authority' },
    { code: 'V', category: 'aea', meaning: 'Attending an educational visit or trip' },
    { code: 'P', category: 'aea', meaning: 'Participating in a sporting activity' },
    { code: 'W', category: 'aea', meaning: 'Attending work experience' },
    { code: 'B', category: 'aea', meaning: 'Attending any other approved educational activity' },
    { code: 'C', category: 'authorised', meaning: 'Leave of absence for exceptional circumstances' },
    { code: 'C1', category: 'authorised', meaning: 'Leave of absence for a regulated performance or regulated employment abroad' },
    { code: 'C2', category: 'authorised', meaning: 'Leave of absence for a temporary reduced timetable' },
    { code: 'M', category: 'authorised', meaning: 'Leave of absence for a medical or dental appointment' },
    { code: 'J1', category: 'authorised', meaning: 'Leave of absence for an interview for employment or further education' },
    { code: 'S', category: 'authorised', meaning: 'Leave of absence for study leave' },
    { code: 'T', category: 'authorised', meaning: 'Parent travelling for occupational purposes (mobile child)' },
    { code: 'R', category: 'authorised', meaning: 'Religious observance' },
    { code: 'I', category: 'authorised', meaning: 'Illness (not medical or dental appointment)' },
    { code: 'E', category: 'authorised', meaning: 'Suspended or permanently excluded, no alternative provision made' },
    { code: 'G', category: 'unauthorised', meaning: 'Holiday not granted by the school' },
    { code: 'N', category: 'unauthorised', meaning: 'Reason for absence not yet provided', unverified: true },
    { code: 'O', category: 'unauthorised', meaning: 'Absent in other or unknown circumstances' },
    // §1.3: U is unauthorised absence for the whole session although the pupil is in school.
    { code: 'U', category: 'unauthorised', meaning: 'Arrived in school after the register closed', late: 'afterClose' },
    { code: 'D', category: 'notPossible', meaning: 'Dual registered: attending the other school' },
    { code: 'X', category: 'notPossible', meaning: 'Non-compulsory school age pupil not required to attend' },
    { code: 'Z', category: 'notPossible', meaning: 'Prospective pupil not on the admission register' },
    { code: '#', category: 'notPossible', meaning: 'Planned whole or partial school closure' },
    // Q and Y1–Y7: "not possible" is UNCONFIRMED for 2024 (§1.2 notes, §7); overridable in Settings
    // through withCategoryOverrides.
    { code: 'Q', category: 'notPossible', meaning: 'Unable to attend: lack of access arrangements' },
    { code: 'Y1', category: 'notPossible', meaning: 'Unable to attend: transport normally provided not available' },
    { code: 'Y2', category: 'notPossible', meaning: 'Unable to attend: widespread disruption to travel' },
    { code: 'Y3', category: 'notPossible', meaning: 'Unable to attend: part of the school premises closed' },
    { code: 'Y4', category: 'notPossible', meaning: 'Unable to attend: whole school site unexpectedly closed' },
    { code: 'Y5', category: 'notPossible', meaning: 'Unable to attend: in criminal justice detention' },
    { code: 'Y6', category: 'notPossible', meaning: 'Unable to attend: public health guidance or law' },
    { code: 'Y7', category: 'notPossible', meaning: 'Unable to attend: any other unavoidable cause' },
  ],
};

/**
 * US daily codes (one session a day) from the Illinois elementary SOP, seed 004. Every US district
 * names its codes differently; this is a starting point the school edits in Settings.
 */
export const US_ILLINOIS: CodeTable = {
  id: 'us-illinois',
  label: 'US (Illinois district): daily attendance codes',
  sessionsPerDay: 1,
  codes: [
    { code: 'P', category: 'present', meaning: 'Present' },
    { code: 'T', category: 'present', meaning: 'Tardy (arrived late, counted present)', late: 'beforeClose' },
    { code: 'EXC', category: 'authorised', meaning: 'Excused absence (verified)' },
    { code: 'MED', category: 'authorised', meaning: 'Medical absence (verified)' },
    // 105 ILCS 5/26-18: chronic absence counts out-of-school suspensions as absence.
    { code: 'OSS', category: 'authorised', meaning: 'Out-of-school suspension' },
    // Seed 004: unverified absences beyond 10 days are treated (and may be re-coded) as unexcused.
    { code: 'ECE', category: 'authorised', meaning: 'Excused, pending verification', unverified: true },
    { code: 'VAC', category: 'authorised', meaning: 'Vacation, reason not verified', unverified: true },
    { code: 'UNX', category: 'unauthorised', meaning: 'Unexcused absence', unexcused: true },
    { code: 'VACU', category: 'unauthorised', meaning: 'Vacation, unexcused', unexcused: true },
    { code: 'NS', category: 'notPossible', meaning: 'Not scheduled' },
  ],
};

export const CODE_TABLES: Record<string, CodeTable> = {
  [DFE_2024.id]: DFE_2024,
  [US_ILLINOIS.id]: US_ILLINOIS,
};

/** Cell value → code as stored in a table: trimmed, letters upper-cased, '' for a blank cell. */
export function normaliseCode(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  return String(raw).trim().toUpperCase();
}

const codeIndexes = new WeakMap<CodeTable, Map<string, AttendanceCode>>();

/** code → entry, built once per table object (tables are treated as immutable). */
export function codeIndex(table: CodeTable): Map<string, AttendanceCode> {
  let index = codeIndexes.get(table);
  if (!index) {
    index = new Map(table.codes.map((entry) => [entry.code, entry]));
    codeIndexes.set(table, index);
  }
  return index;
}

/** The table entry for a code; a raw cell spelling (' l ') is normalised first. */
export function lookupCode(table: CodeTable, code: string): AttendanceCode | undefined {
  const index = codeIndex(table);
  return index.get(code) ?? index.get(normaliseCode(code));
}

/**
 * A copy of the table with some codes moved to another category (the Settings choice for Q and
 * Y1–Y7, whose 2024 classification is unconfirmed). The original table is left untouched.
 */
export function withCategoryOverrides(table: CodeTable, overrides: Record<string, CodeCategory>): CodeTable {
  const known = new Set(table.codes.map((entry) => entry.code));
  for (const [rawCode, category] of Object.entries(overrides)) {
    const code = normaliseCode(rawCode);
    if (!known.has(code)) {
      throw new UnknownCodeError(code, undefined, `Cannot override category of unknown attendance code "${rawCode}": it is not in the code table "${table.id}"`);
    }
    if (!CODE_CATEGORIES.includes(category)) {
      throw new Error(`Invalid category "${String(category)}" for attendance code "${code}": expected one of ${CODE_CATEGORIES.join(', ')}`);
    }
  }
  const normalised = new Map(Object.entries(overrides).map(([code, category]) => [normaliseCode(code), category]));
  return {
    ...table,
    codes: table.codes.map((entry) => {
      const category = normalised.get(entry.code);
      return category === undefined ? { ...entry } : { ...entry, category };
    }),
  };
}
