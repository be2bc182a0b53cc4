/**
 * The SOL Tracker sheet contract. The tracker is the school's own sheet: its columns are found by
 * header name (with the names schools actually use), never by position, so staff can reorder,
 * rename within the aliases, and add their own columns freely (DESIGN.md §2).
 */
import { cleanCell } from '../sanitise';

export type FieldKey =
  | 'studentId'
  | 'studentName'
  | 'firstName'
  | 'lastName'
  | 'yearGroup'
  | 'tutorGroup'
  | 'parentName'
  | 'parentEmail'
  | 'parentPhone'
  | 'secondParentName'
  | 'secondParentEmail'
  | 'secondParentPhone'
  | 'language'
  | 'rtc'
  | 'ropc'
  | 'comments'
  | 'attendancePercent'
  | 'possibleSessions'
  | 'unauthorisedSessions'
  | 'paFlag'
  | 'severeFlag'
  | 'ladderStep'
  | 'stepReason'
  | 'reviewDue'
  | 'lastContact'
  | 'contactDue'
  | 'letterStatus';

export interface TrackerField {
  key: FieldKey;
  /** The header the add-on writes when it creates the column. */
  header: string;
  /** Other headers schools use for the same thing. */
  aliases: readonly string[];
  /** The tracker cannot be used without it (student name may come from Forename + Surname). */
  required: boolean;
  /** The add-on writes this column; every other column belongs to staff and is only read. */
  ownedByAddon: boolean;
}

function staff(key: FieldKey, header: string, aliases: string[], required = false): TrackerField {
  return { key, header, aliases, required, ownedByAddon: false };
}
function owned(key: FieldKey, header: string, aliases: string[]): TrackerField {
  return { key, header, aliases, required: false, ownedByAddon: true };
}

export const TRACKER_FIELDS: readonly TrackerField[] = [
  staff('studentId', 'Student ID', ['UPN', 'ID', 'Pupil ID', 'Student Number', 'Adno', 'Admission No', 'Admission Number'], true),
  staff('studentName', 'Student Name', ['Name', 'Student', 'Pupil', 'Pupil Name', 'Legal Name', 'Full Name', 'LastFirst'], true),
  // A split name is the alternative to a single name column (SIMS exports Forename / Surname).
  staff('firstName', 'First Name', ['Forename', 'Legal Forename', 'Preferred Forename', 'Given Name']),
  staff('lastName', 'Last Name', ['Surname', 'Legal Surname', 'Family Name']),
  staff('yearGroup', 'Year Group', ['Year', 'Grade', 'NC Year', 'Yr', 'Grade Level'], true),
  staff('tutorGroup', 'Tutor Group', ['Form', 'Reg Group', 'Registration Group', 'Homeroom', 'Class', 'Form Group', 'Registration Form', 'Home Room']),
  // The MIS's own contact headers map without renaming (issue 11; fixtures in test/fixtures/contacts/):
  // SIMS "Contact 1 Name / Email / Telephone", Arbor "Primary / Secondary Contact …", US SIS
  // guardian columns (PowerSchool, Infinite Campus "Guardian 1 …"), "Parent/Guardian email".
  staff('parentName', 'Parent/Guardian Name', ['Parent', 'Parent Name', 'Guardian', 'Contact Name', 'Primary Contact', 'Parent/Carer', 'Parent/Carer Name',
    'Contact 1 Name', 'Contact 1', 'Primary Contact Name', 'Guardian Name', 'Guardian 1 Name', 'Guardian 1', 'Parent 1 Name', 'Parent 1', 'Primary Guardian', 'Primary Guardian Name']),
  staff('parentEmail', 'Parent Email', ['Contact Email', 'Email', 'Parent/Carer Email', 'Guardian Email', 'Primary Contact Email',
    'Contact 1 Email', 'Contact 1 Email Address', 'Primary Contact Email Address', 'Parent/Guardian Email', 'Parent Email Address', 'Guardian 1 Email', 'Guardian Email Address', 'Parent 1 Email', 'Primary Guardian Email']),
  staff('parentPhone', 'Parent Phone', ['Phone', 'Contact Phone', 'Telephone', 'Parent/Carer Phone', 'Guardian Phone', 'Primary Contact Phone', 'Mobile',
    'Contact 1 Telephone', 'Contact 1 Phone', 'Contact 1 Mobile', 'Primary Contact Mobile', 'Primary Contact Telephone', 'Parent/Guardian Phone', 'Guardian 1 Phone', 'Guardian Cell Phone', 'Guardian Home Phone', 'Parent 1 Phone', 'Primary Guardian Phone']),
  staff('secondParentName', 'Second Parent Name', ['Parent 2', 'Parent 2 Name', 'Second Contact', 'Contact 2 Name', 'Secondary Contact', 'Contact 2', 'Secondary Contact Name', 'Guardian 2 Name', 'Guardian 2', 'Secondary Guardian Name']),
  staff('secondParentEmail', 'Second Parent Email', ['Parent 2 Email', 'Second Contact Email', 'Contact 2 Email', 'Secondary Contact Email', 'Contact 2 Email Address', 'Secondary Contact Email Address', 'Guardian 2 Email', 'Secondary Guardian Email']),
  staff('secondParentPhone', 'Second Parent Phone', ['Parent 2 Phone', 'Second Contact Phone', 'Contact 2 Phone', 'Secondary Contact Phone', 'Contact 2 Telephone', 'Contact 2 Mobile', 'Secondary Contact Mobile', 'Secondary Contact Telephone', 'Guardian 2 Phone', 'Secondary Guardian Phone']),
  staff('language', 'Language', ['Home Language', 'Preferred Language', 'Parent Language']),
  // Seed 002: RTC = Record of Tutor Conversation, ROPC = Record of Phone Call (marked on the sheet).
  staff('rtc', 'RTC', ['Record of Tutor Conversation']),
  staff('ropc', 'ROPC', ['Record of Phone Call']),
  staff('comments', 'Comments', ['Notes', 'Comment']),
  owned('attendancePercent', 'Attendance %', ['Attendance', 'Attendance Percent', 'Attendance Percentage', 'Att %']),
  owned('possibleSessions', 'Possible', ['Possible Sessions']),
  owned('unauthorisedSessions', 'Unauthorised', ['Unauthorised Sessions', 'Unauthorized', 'Unauthorized Sessions']),
  owned('paFlag', 'PA', ['Persistent Absence', 'Persistently Absent']),
  owned('severeFlag', 'Severe', ['Severe Absence', 'Severely Absent']),
  owned('ladderStep', 'Step', ['Ladder Step', 'Intervention Step', 'SOL Step']),
  owned('stepReason', 'Why', ['Step Reason', 'Why This Step']),
  owned('reviewDue', 'Review due', ['Review Date', 'Next Review']),
  owned('lastContact', 'Last contact', ['Last Contact Date']),
  owned('contactDue', 'Contact due', ['Next Contact', 'Contact Due Date']),
  owned('letterStatus', 'Letters', ['Letter Status', 'Letters Sent']),
];

const FIELD_BY_KEY = new Map<FieldKey, TrackerField>(TRACKER_FIELDS.map((f) => [f.key, f]));

export function trackerField(key: FieldKey): TrackerField {
  const field = FIELD_BY_KEY.get(key);
  if (!field) throw new Error(`Unknown tracker field "${key}"`);
  return field;
}

/**
 * Header text reduced to what identifies it: case, spaces, punctuation and accents do not matter,
 * so "Student ID", "student_id" and "STUDENT-ID" are the same header.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

interface HeaderMatch {
  field: FieldKey;
  canonical: boolean;
}

/** headerKey → field, built once. Aliases must not be shared between fields (a test pins it). */
const HEADER_INDEX: Map<string, HeaderMatch> = (() => {
  const index = new Map<string, HeaderMatch>();
  for (const field of TRACKER_FIELDS) {
    index.set(headerKey(field.header), { field: field.key, canonical: true });
  }
  for (const field of TRACKER_FIELDS) {
    for (const alias of field.aliases) {
      const key = headerKey(alias);
      if (!index.has(key)) index.set(key, { field: field.key, canonical: false });
    }
  }
  return index;
})();

/** Which field, if any, a header names. */
export function matchHeader(header: string): HeaderMatch | undefined {
  return HEADER_INDEX.get(headerKey(header));
}

export type ColumnMapping = Partial<Record<FieldKey, number>>;

export interface ColumnMappingResult {
  /** Field → 0-based column. */
  mapping: ColumnMapping;
  /** Required fields with no column (student name counts as present when Forename + Surname are). */
  missingRequired: FieldKey[];
  /** Add-on columns not yet in the sheet: the add-on appends them. */
  missingOwned: FieldKey[];
  /** Staff's own columns: kept, never written. */
  unknownHeaders: string[];
  /** Fields claimed by more than one column at the same strength. */
  ambiguous: { field: FieldKey; columns: number[] }[];
  /** The header row as read (trimmed text), for messages. */
  headers: string[];
  /** Fields mapped to a column the person picked in setup (not recognised by name). */
  chosen: FieldKey[];
}

/**
 * Contact columns a person may pick in setup when the add-on does not recognise the school's
 * header (issue 11): the choice is the header's text, kept in a document property only the
 * add-on writes (never an editable cell), and applies while that header is on the tracker.
 */
export const PICKABLE_FIELDS = ['parentEmail', 'parentPhone'] as const;
export type PickableField = (typeof PICKABLE_FIELDS)[number];
export type ColumnChoices = Partial<Record<PickableField, string>>;

/** Stored choices, read fail-closed: anything that is not { parentEmail?: text, parentPhone?: text } counts as none. */
export function parseColumnChoices(json: string | null | undefined): ColumnChoices {
  if (!json) return {};
  try {
    const raw = JSON.parse(json) as unknown;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: ColumnChoices = {};
    for (const f of PICKABLE_FIELDS) {
      const v = (raw as Record<string, unknown>)[f];
      if (typeof v === 'string' && v.trim() !== '' && v.length <= 200) out[f] = v.trim();
    }
    return out;
  } catch {
    return {};
  }
}

/** Column letter(s) of a 0-based column index: 0 → A, 25 → Z, 26 → AA, 701 → ZZ, 702 → AAA. */
export function columnLetter(index0: number): string {
  if (!Number.isInteger(index0) || index0 < 0) {
    throw new Error(`Column index must be a whole number ≥ 0, got ${String(index0)}`);
  }
  let n = index0 + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * Finds each field's column in the header row. A header equal to a field's own name beats an
 * alias (so "Student ID" wins over "ID"); two columns claiming a field at the same strength are
 * ambiguous and the field is left unmapped until staff rename one.
 */
export function mapColumns(headers: unknown[], choices: ColumnChoices = {}): ColumnMappingResult {
  const texts = headers.map(cleanCell);
  const canonicalCols = new Map<FieldKey, number[]>();
  const aliasCols = new Map<FieldKey, number[]>();
  const unknownHeaders: string[] = [];

  texts.forEach((text, col) => {
    if (text === '') return;
    const match = matchHeader(text);
    if (!match) {
      unknownHeaders.push(text);
      return;
    }
    const bucket = match.canonical ? canonicalCols : aliasCols;
    const cols = bucket.get(match.field) ?? [];
    cols.push(col);
    bucket.set(match.field, cols);
  });

  const mapping: ColumnMapping = {};
  const ambiguous: { field: FieldKey; columns: number[] }[] = [];
  for (const field of TRACKER_FIELDS) {
    const cols = canonicalCols.get(field.key) ?? aliasCols.get(field.key) ?? [];
    if (cols.length === 1) mapping[field.key] = cols[0];
    else if (cols.length > 1) ambiguous.push({ field: field.key, columns: cols });
  }

  // A picked column counts only when the add-on found none by name and the header is one of the
  // school's own columns, there exactly once (a header renamed since is simply not found).
  const chosen: FieldKey[] = [];
  for (const field of PICKABLE_FIELDS) {
    const header = choices[field];
    if (header === undefined || mapping[field] !== undefined || ambiguous.some((a) => a.field === field)) continue;
    const key = headerKey(header);
    const cols = texts.map((t, c) => (t !== '' && headerKey(t) === key && !matchHeader(t) ? c : -1)).filter((c) => c >= 0);
    if (cols.length !== 1) continue;
    mapping[field] = cols[0];
    chosen.push(field);
    const at = unknownHeaders.indexOf(texts[cols[0]!]!);
    if (at >= 0) unknownHeaders.splice(at, 1);
  }

  const ambiguousKeys = new Set(ambiguous.map((a) => a.field));
  const hasSplitName = mapping.firstName !== undefined && mapping.lastName !== undefined;
  const missingRequired = TRACKER_FIELDS.filter((f) => f.required && mapping[f.key] === undefined && !ambiguousKeys.has(f.key))
    .map((f) => f.key)
    .filter((key) => !(key === 'studentName' && hasSplitName));
  const missingOwned = TRACKER_FIELDS.filter((f) => f.ownedByAddon && mapping[f.key] === undefined && !ambiguousKeys.has(f.key)).map(
    (f) => f.key,
  );

  return { mapping, missingRequired, missingOwned, unknownHeaders, ambiguous, headers: texts, chosen };
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function columnLabel(headers: readonly string[], col: number): string {
  return `column ${columnLetter(col)} "${headers[col] ?? ''}"`;
}

/** What stops the tracker being used, in words staff can act on. Empty when the mapping is usable. */
export function mappingProblems(result: ColumnMappingResult): string[] {
  const problems: string[] = [];
  for (const key of result.missingRequired) {
    const field = trackerField(key);
    let message = `No "${field.header}" column found. Name a header "${field.header}" (or one of ${quoteList(field.aliases)})`;
    if (key === 'studentName') {
      message += `, or use two columns "First Name"/"Forename" and "Last Name"/"Surname"`;
      if (result.mapping.firstName !== undefined) message += ` (found ${columnLabel(result.headers, result.mapping.firstName)} but no surname column)`;
      if (result.mapping.lastName !== undefined) message += ` (found ${columnLabel(result.headers, result.mapping.lastName)} but no first name column)`;
    }
    problems.push(`${message}.`);
  }
  for (const { field, columns } of result.ambiguous) {
    const where = columns.map((c) => columnLabel(result.headers, c)).join(' and ');
    problems.push(
      `"${trackerField(field).header}" is claimed by more than one column: ${where}. Rename all but one so the add-on knows which to use.`,
    );
  }
  return problems;
}

/** The mapping in words, for staff to confirm: `Student ID ← column C "UPN"`. */
export function describeMapping(result: ColumnMappingResult, headers: unknown[]): string[] {
  const texts = headers.map(cleanCell);
  const lines: string[] = [];
  const { mapping } = result;
  for (const field of TRACKER_FIELDS) {
    const col = mapping[field.key];
    if (field.key === 'firstName' || field.key === 'lastName') continue;
    if (field.key === 'studentName' && col === undefined && mapping.firstName !== undefined && mapping.lastName !== undefined) {
      lines.push(`${field.header} ← ${columnLabel(texts, mapping.firstName)} + ${columnLabel(texts, mapping.lastName)}`);
      continue;
    }
    if (col !== undefined) {
      lines.push(`${field.header} ← ${columnLabel(texts, col)}${result.chosen?.includes(field.key) ? ' (picked in setup)' : ''}`);
    } else if (field.ownedByAddon && result.missingOwned.includes(field.key)) {
      lines.push(`${field.header} — not found: the add-on will add this column`);
    }
  }
  for (const header of result.unknownHeaders) {
    lines.push(`"${header}" — your column: kept as it is, never written`);
  }
  return lines;
}

/**
 * Plain warnings when the tracker has no parent/carer email or phone column the add-on recognises
 * (issue 11): what it means, and which of the school's own columns might be it (to pick in setup,
 * or rename). [] when both are found.
 */
export function contactColumnWarnings(columns: ColumnMappingResult, headers: readonly string[]): string[] {
  const out: string[] = [];
  const m = columns.mapping;
  const unknown = columns.unknownHeaders;
  const like = (re: RegExp) => unknown.filter((h) => re.test(h)).map((h) => `"${h}"`);
  if (m.parentEmail === undefined && m.secondParentEmail === undefined) {
    const maybe = like(EMAIL_LIKE);
    out.push(
      'No parent/carer email column was found, so no letter can go by email: every letter would have to be printed and posted. ' +
        (maybe.length ? `Your column ${maybe.join(' or ')} may be it: pick it below, or rename it "Parent Email". ` : unknown.length ? 'If one of your columns holds the parents\' email addresses, pick it below. ' : '') +
        'Recognised names include Parent Email, Contact 1 Email (SIMS), Primary Contact Email (Arbor), Guardian 1 Email and Parent/Guardian email.',
    );
  }
  if (m.parentPhone === undefined && m.secondParentPhone === undefined) {
    const maybe = like(PHONE_LIKE);
    out.push(
      "No parent/carer phone column was found, so Today's first-day calls will show no number to ring. " +
        (maybe.length ? `Your column ${maybe.join(' or ')} may be it: pick it below, or rename it "Parent Phone". ` : unknown.length ? "If one of your columns holds the parents' phone numbers, pick it below. " : '') +
        'Recognised names include Parent Phone, Contact 1 Telephone (SIMS), Primary Contact Mobile (Arbor) and Guardian 1 Phone.',
    );
  }
  void headers;
  return out;
}

const EMAIL_LIKE = /e-?mail/i;
const PHONE_LIKE = /phone|mobile|tel\b|telephone|cell/i;

/** A contact column the person can pick in setup: the school's own headers, likely ones first. */
export interface ColumnPick {
  field: PickableField;
  /** What the column is, in words ("Parent/carer email"). */
  label: string;
  /** What is lost without it. */
  meaning: string;
  /** The tracker's own headers (not recognised as anything), the likely ones first. */
  options: string[];
  /** The header picked earlier and in force, else null. */
  current: string | null;
  /** The most likely header, else null. */
  suggested: string | null;
}

/**
 * The contact columns setup lets the person pick: parent email and phone when no column was
 * recognised (or one was picked earlier, so it can be changed back). Options are the school's own
 * columns, never the add-on's or a recognised one.
 */
export function contactColumnPicks(columns: ColumnMappingResult): ColumnPick[] {
  const picks: ColumnPick[] = [];
  const spec: Record<PickableField, { label: string; meaning: string; like: RegExp; other: FieldKey }> = {
    parentEmail: { label: 'Parent/carer email', meaning: 'Without it no letter goes by email: every letter is printed and posted.', like: EMAIL_LIKE, other: 'secondParentEmail' },
    parentPhone: { label: 'Parent/carer phone', meaning: "Without it Today's first-day calls show no number to ring.", like: PHONE_LIKE, other: 'secondParentPhone' },
  };
  for (const field of PICKABLE_FIELDS) {
    const s = spec[field];
    const picked = columns.chosen.includes(field);
    if (!picked && (columns.mapping[field] !== undefined || columns.mapping[s.other] !== undefined)) continue;
    const current = picked ? columns.headers[columns.mapping[field]!] ?? null : null;
    const own = [...(current ? [current] : []), ...columns.unknownHeaders];
    const likely = own.filter((h) => s.like.test(h));
    const options = [...new Set([...likely, ...own])];
    if (options.length === 0) continue;
    picks.push({ field, label: s.label, meaning: s.meaning, options, current, suggested: current ?? likely[0] ?? null });
  }
  return picks;
}
