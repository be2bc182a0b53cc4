/**
 * Setup as a plan: from what the spreadsheet holds now (read once by src/gas/setup.ts) to the list
 * of writes that make it a working SOL Tracker. Pure, so the rules — adopt the school's tracker by
 * header name, create only what is missing, never duplicate a tab, column, rule or protection — are
 * unit-tested without a spreadsheet. Running the plan and planning again gives no actions.
 *
 * Choices (documented here because staff see them):
 * - RTC / ROPC are staff columns (seed 002: "RTC marked green", "ROPC to be marked on Google Sheet").
 *   When the tracker has none, setup appends them (unprotected) so the contact-recording trigger
 *   has somewhere to listen. Their dropdown offers 'Yes' and the contact outcomes; anything else
 *   (a date, a comment) is still accepted — the rule only warns — and is logged as a note.
 * - Protection is WARNING-ONLY everywhere: staff who really need to edit an add-on column or the
 *   log can, after a warning. Hard protection would block the school's own admins.
 * - An existing protection with the add-on's description is left as it is, even if a school has
 *   hardened it (no longer warning-only): setup does not weaken what staff chose.
 */
import { CONTACT_METHODS, CONTACT_OUTCOMES } from './types';
import { LETTER_INCLUDED_AGAIN, LETTER_LEFT_OUT, LETTER_PRINTED, REVIEW_DATE_SET } from './history';
import { DEFAULT_SETTINGS, parseSettingsSheet, settingsToSheet, type Settings } from './settings';
import { LOG_HEADERS } from './interventionsLog';
import { LEDGER_HEADER } from './letters/ledger';
import { REGISTER_ID_HEADER } from './register/registerSheet';
import {
  TRACKER_FIELDS,
  type ColumnChoices,
  type ColumnMapping,
  type FieldKey,
  columnLetter,
  describeMapping,
  mapColumns,
  mappingProblems,
  trackerField,
} from './tracker/columns';

/** The 'Register Amendments' tab: the audit trail an amended register must keep (attendance-rules §1.1). */
export const AMENDMENT_HEADERS = ['Amended at', 'Student ID', 'Date', 'Session', 'Original mark', 'Amended mark', 'Reason', 'Amended by'] as const;

export const WEEKLY_REPORT_HEADERS = ['Weekly report — written by SOL Tracker each week, one block per year group'] as const;

/** Prefix of every protection description the add-on creates: how setup recognises its own. */
export const PROTECTION_PREFIX = 'SOL Tracker:';

/** Step numbers in the log: 0 = no step, 1–10 = the ladder (the longest preset has 10). */
export const LOG_STEP_MAX = 10;

/** What staff may type in RTC / ROPC: 'Yes', or the outcome of the conversation or call. */
export const CONTACT_CELL_CHOICES: readonly string[] = ['Yes', ...CONTACT_OUTCOMES];

export type TabKey = 'register' | 'log' | 'settings' | 'weekly' | 'ledger' | 'amendments';

export type TabNames = Record<TabKey, string>;

export type ValidationRule =
  | { type: 'list'; values: readonly string[]; allowInvalid: boolean; helpText: string }
  | { type: 'numberBetween'; min: number; max: number; allowInvalid: boolean; helpText: string };

/**
 * A rule reduced to what makes it the same rule: its criteria type and values. The gas layer
 * computes the same signature from an existing DataValidation (getCriteriaType/getCriteriaValues).
 */
export function validationSignature(criteria: string, values: readonly unknown[]): string {
  const flat = values.length > 0 && Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  return `${criteria}:${flat.map((v) => String(v)).join('|')}`;
}

export function ruleSignature(rule: ValidationRule): string {
  return rule.type === 'list' ? validationSignature('VALUE_IN_LIST', [rule.values]) : validationSignature('NUMBER_BETWEEN', [rule.min, rule.max]);
}

export interface ProtectionState {
  description: string;
  warningOnly: boolean;
}

export interface TabState {
  exists: boolean;
  /** Row 1 as read (trimmed text); [] when the tab is empty or missing. */
  headers: string[];
  frozenRows: number;
  /** Signature of the data-validation rule in row 2 of each column (1-based), null when none. */
  validations: Record<number, string | null>;
  /**
   * The values of a dropdown (a list rule) in row 2 of each column read, null when the rule is not a
   * list: an older sheet's list is brought up to date keeping the school's own values.
   */
  lists?: Record<number, string[] | null>;
  protections: ProtectionState[];
  /** Whole Settings tab values (only for the Settings tab, so the Staff table can be checked). */
  values?: unknown[][];
}

export interface TrackerState {
  name: string;
  headers: string[];
  frozenRows: number;
  validations: Record<number, string | null>;
  lists?: Record<number, string[] | null>;
  protections: ProtectionState[];
}

export interface SetupState {
  /** The tab adopted as the tracker, or null when no tab has any content. */
  tracker: TrackerState | null;
  tabs: Record<TabKey, TabState>;
  names: TabNames;
  storedTrackerSheet: string | null;
  storedMapping: string | null;
  /** Contact columns the person picked in setup (stored by the add-on), applied to the mapping. */
  columnChoices?: ColumnChoices;
  /** The signed-in user; '' when unknown. Becomes Admin of an empty Staff table. */
  currentUser: string;
  knownPresetIds: readonly string[];
}

export type SetupAction =
  | { kind: 'appendTrackerColumns'; sheet: string; startColumn: number; headers: string[] }
  | { kind: 'createSheet'; sheet: string; values: string[][] }
  | { kind: 'writeValues'; sheet: string; values: string[][] }
  | { kind: 'freezeHeader'; sheet: string }
  | { kind: 'setValidation'; sheet: string; column: number; rule: ValidationRule }
  | { kind: 'protectColumns'; sheet: string; column: number; numColumns: number; description: string }
  | { kind: 'protectSheet'; sheet: string; description: string }
  | { kind: 'storeMapping'; trackerSheet: string; mapping: string };

export interface SetupPlan {
  ok: boolean;
  /** Why setup cannot proceed (nothing is written when there is any). */
  problems: string[];
  /** Required columns not found, by their header name. */
  missing: string[];
  /** The mapping in words (describeMapping), for staff to confirm. */
  mapping: string[];
  /** Every change, in words, one per action. */
  willCreate: string[];
  actions: SetupAction[];
  /** Tracker mapping once the planned columns exist (0-based columns). */
  finalMapping: ColumnMapping;
}

/** The mapping as stored in the document property: stable key order, so equal mappings are equal strings. */
export function mappingJson(mapping: ColumnMapping): string {
  const ordered: Record<string, number> = {};
  for (const f of TRACKER_FIELDS) if (mapping[f.key] !== undefined) ordered[f.key] = mapping[f.key] as number;
  return JSON.stringify(ordered);
}

function blankRow(headers: readonly string[]): boolean {
  return headers.every((h) => String(h ?? '').trim() === '');
}

function sameHeaders(found: readonly string[], expected: readonly string[]): boolean {
  return expected.every((h, i) => String(found[i] ?? '').trim() === h);
}

/** Settings tab values for a new school: defaults, with the person running setup as Admin. */
export function initialSettingsValues(currentUser: string): string[][] {
  const settings: Settings = { ...DEFAULT_SETTINGS, staff: [] };
  if (currentUser) settings.staff = [{ email: currentUser.toLowerCase(), name: '', role: 'Admin', yearGroup: '', tutorGroup: '' }];
  return settingsToSheet(settings);
}

const PROTECT_LOG = `${PROTECTION_PREFIX} the Interventions Log is an append-only record (seeds 001/002). Add entries from the sidebar or the RTC/ROPC columns.`;
const PROTECT_AMENDMENTS = `${PROTECTION_PREFIX} the register amendments audit trail (original mark, new mark, reason, who, when).`;

function protectColumnsDescription(headers: readonly string[]): string {
  return `${PROTECTION_PREFIX} written by the add-on — ${headers.join(', ')}`;
}

const CONTACT_CELL_RULE: ValidationRule = {
  type: 'list',
  values: CONTACT_CELL_CHOICES,
  allowInvalid: true,
  helpText: 'Type Yes or the outcome (a date or a comment is fine too): the add-on records it in the Interventions Log and colours the row.',
};

/**
 * Every outcome the add-on itself writes in the Log, besides the contact outcomes staff pick: a
 * dropdown without them marks the add-on's own rows invalid (a red triangle) and staff cannot pick
 * them. A value added here reaches older sheets through Set up… and Recalculate (logColumnBroughtUpToDate).
 */
export const LOG_OUTCOME_CHOICES: readonly string[] = [...CONTACT_OUTCOMES, LETTER_LEFT_OUT, LETTER_INCLUDED_AGAIN, LETTER_PRINTED, REVIEW_DATE_SET];

export const LOG_RULES: { header: (typeof LOG_HEADERS)[number]; rule: ValidationRule }[] = [
  { header: 'Step', rule: { type: 'numberBetween', min: 0, max: LOG_STEP_MAX, allowInvalid: false, helpText: `Ladder step 0–${LOG_STEP_MAX} (0 = none).` } },
  { header: 'Method', rule: { type: 'list', values: CONTACT_METHODS, allowInvalid: false, helpText: 'How the contact was made.' } },
  { header: 'Outcome', rule: { type: 'list', values: LOG_OUTCOME_CHOICES, allowInvalid: true, helpText: 'What came of it.' } },
];

/** The Log's dropdown columns (1-based) with their rules. */
export const LOG_LIST_RULES: { column: number; header: string; rule: Extract<ValidationRule, { type: 'list' }> }[] = LOG_RULES.flatMap(({ header, rule }) =>
  rule.type === 'list' ? [{ column: LOG_HEADERS.indexOf(header) + 1, header, rule }] : [],
);

/**
 * An existing dropdown brought up to date: the add-on's values first (in its order), then every
 * value the school added of its own, in the school's order; null when none of the add-on's values
 * is missing (the school's list is then left exactly as it is). Values are compared exactly (only
 * trimmed): the add-on writes its values exactly so, and a cell must match a list value to be valid.
 */
export function listBroughtUpToDate(existing: readonly string[], ours: readonly string[]): string[] | null {
  const norm = (v: string) => String(v ?? '').trim();
  const have = new Set(existing.map(norm));
  if (ours.every((v) => have.has(norm(v)))) return null;
  const oursSet = new Set(ours.map(norm));
  const seen = new Set<string>();
  const schools = existing.filter((v) => {
    const k = norm(v);
    if (k === '' || oursSet.has(k) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return [...ours, ...schools];
}

/**
 * The rule to write for one of the add-on's dropdowns, given what row 2 holds (its signature and,
 * for a list, its values), or null when it is already right. A list of an older version (or one
 * the school extended) keeps the school's values and gains the add-on's missing ones; anything else
 * (no rule, another kind of rule) gets the add-on's rule.
 */
export function dropdownToWrite(rule: ValidationRule, signature: string | null | undefined, list: readonly string[] | null | undefined): { rule: ValidationRule; added: string[] } | null {
  if (signature === ruleSignature(rule)) return null;
  if (rule.type === 'list' && list) {
    const merged = listBroughtUpToDate(list, rule.values);
    if (!merged) return null;
    const have = new Set(list.map((v) => v.trim()));
    return { rule: { ...rule, values: merged }, added: rule.values.filter((v) => !have.has(v)) };
  }
  return { rule, added: [] };
}

/** One cell's rule in a Log column, as Recalculate reads it: a dropdown's values, no rule, or another kind. */
export type LogCellRule = readonly string[] | null | 'other';

/**
 * A whole Log column brought up to date (issue 10 D): every row that exists, not only row 2's area —
 * a Log grown past the rows setup validated, or set up in parts by different versions, has rows with
 * an older list or none. When the column has a dropdown anywhere, the list to use is the add-on's
 * values then every value the school added in any part (first seen first); rows with another kind of
 * rule keep it. null when nothing would change (every row already has exactly that list), or when
 * the column has no dropdown at all (the school removed it: Set up… puts it back).
 */
export function logColumnBroughtUpToDate(rule: Extract<ValidationRule, { type: 'list' }>, cells: readonly LogCellRule[]): { values: string[]; added: string[]; keep: boolean[] } | null {
  const lists = cells.filter((c): c is readonly string[] => Array.isArray(c));
  if (lists.length === 0) return null;
  const norm = (v: string) => String(v ?? '').trim();
  const union: string[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const v of list) {
      const k = norm(v);
      if (k === '' || seen.has(k)) continue;
      seen.add(k);
      union.push(v);
    }
  }
  // Every part already offers the add-on's values: the school's order stays; else ours first.
  const complete = lists.every((l) => listBroughtUpToDate(l, rule.values) === null);
  const values = complete ? union : listBroughtUpToDate(union.filter((v) => !rule.values.some((o) => norm(o) === norm(v))), rule.values) ?? union;
  const signature = values.map(norm).join('\u0001');
  const keep = cells.map((c) => c === 'other' || (Array.isArray(c) && c.map(norm).join('\u0001') === signature));
  if (keep.every(Boolean)) return null;
  return { values, added: rule.values.filter((v) => !lists.every((l) => l.some((x) => norm(x) === norm(v)))), keep };
}

/**
 * What the Log's dropdowns are in this version, in a few characters: Recalculate keeps it in a
 * document property and looks at the sheet's rules only when it differs (once after an update).
 */
export function logDropdownsVersion(): string {
  let h = 0x811c9dc5;
  for (const ch of LOG_LIST_RULES.map((r) => `${r.column}:${r.rule.values.join('|')}`).join('#')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `v1-${h.toString(16).padStart(8, '0')}`;
}

/**
 * The plan. When the tracker lacks a required column (or a column is ambiguous, or a tab the
 * add-on owns has someone else's headers) the plan has problems and no actions.
 */
export function planSetup(state: SetupState): SetupPlan {
  const empty = (problems: string[], missing: string[] = [], mapping: string[] = []): SetupPlan => ({
    ok: false,
    problems,
    missing,
    mapping,
    willCreate: [],
    actions: [],
    finalMapping: {},
  });

  if (!state.tracker) {
    return empty([
      `No tracker tab found: no tab has a header row. Put the student list on a tab with a header row (Student ID, Student Name, Year Group…) and run Set up… again.`,
    ]);
  }
  const tracker = state.tracker;
  const columns = mapColumns(tracker.headers, state.columnChoices ?? {});
  const mapping = describeMapping(columns, tracker.headers);
  const problems = mappingProblems(columns);
  const missing = columns.missingRequired.map((k) => trackerField(k).header);
  if (problems.length > 0) {
    const found = columns.headers.filter((h) => h !== '');
    problems.push(`Headers found on "${tracker.name}" row 1: ${found.length ? found.map((h) => `"${h}"`).join(', ') : '(none)'}. Nothing was created.`);
    return empty(problems, missing, mapping);
  }

  // A tab the add-on would own already exists with other headers: refuse rather than guess.
  const expectHeaders: [TabKey, readonly string[]][] = [
    ['log', LOG_HEADERS],
    ['ledger', LEDGER_HEADER],
    ['amendments', AMENDMENT_HEADERS],
    ['register', [REGISTER_ID_HEADER]],
  ];
  for (const [key, headers] of expectHeaders) {
    const tab = state.tabs[key];
    if (tab.exists && !blankRow(tab.headers) && !sameHeaders(tab.headers, headers)) {
      problems.push(
        `The tab "${state.names[key]}" already exists but its row 1 is ${tab.headers.filter(Boolean).map((h) => `"${h}"`).join(', ')}; the add-on expects ${headers.map((h) => `"${h}"`).join(', ')}. Rename that tab (or fix its headers) and run Set up… again. Nothing was created.`,
      );
    }
  }
  if (problems.length > 0) return empty(problems, missing, mapping);

  const actions: SetupAction[] = [];
  const willCreate: string[] = [];
  const add = (action: SetupAction, words: string) => {
    actions.push(action);
    willCreate.push(words);
  };

  // ---- tracker columns: owned ones the add-on writes, and RTC/ROPC when the school has none.
  const finalMapping: ColumnMapping = { ...columns.mapping };
  const lastUsed = tracker.headers.reduce((last, h, i) => (String(h ?? '').trim() !== '' ? i : last), -1);
  const toAppend: FieldKey[] = [
    ...(['rtc', 'ropc'] as FieldKey[]).filter((k) => finalMapping[k] === undefined),
    ...columns.missingOwned,
  ];
  if (toAppend.length > 0) {
    const startColumn = lastUsed + 2; // 1-based, right after the last header
    const headers = toAppend.map((k) => trackerField(k).header);
    toAppend.forEach((k, i) => (finalMapping[k] = lastUsed + 1 + i));
    add(
      { kind: 'appendTrackerColumns', sheet: tracker.name, startColumn, headers },
      `Columns on "${tracker.name}" from ${columnLetter(startColumn - 1)}: ${headers.join(', ')}`,
    );
  }
  if (tracker.frozenRows < 1) add({ kind: 'freezeHeader', sheet: tracker.name }, `Freeze the header row of "${tracker.name}"`);

  for (const key of ['rtc', 'ropc'] as FieldKey[]) {
    const col = (finalMapping[key] as number) + 1;
    const write = dropdownToWrite(CONTACT_CELL_RULE, tracker.validations[col], tracker.lists?.[col]);
    if (write) {
      add(
        { kind: 'setValidation', sheet: tracker.name, column: col, rule: write.rule },
        `Dropdown on "${tracker.name}" column ${columnLetter(col - 1)} (${trackerField(key).header}): ${write.added.length ? `adds ${write.added.map((v) => `"${v}"`).join(', ')}, the school's own values kept` : 'Yes or an outcome'}`,
      );
    }
  }

  // Owned columns, protected in runs of adjacent columns (one protection per run).
  const ownedCols = TRACKER_FIELDS.filter((f) => f.ownedByAddon && finalMapping[f.key] !== undefined)
    .map((f) => ({ col: finalMapping[f.key] as number, header: f.key }))
    .sort((a, b) => a.col - b.col);
  const headerAt = (col: number): string => {
    if (col < tracker.headers.length && String(tracker.headers[col] ?? '').trim() !== '') return String(tracker.headers[col]).trim();
    const field = TRACKER_FIELDS.find((f) => finalMapping[f.key] === col);
    return field ? field.header : columnLetter(col);
  };
  const runs: { start: number; count: number }[] = [];
  for (const { col } of ownedCols) {
    const run = runs[runs.length - 1];
    if (run && run.start + run.count === col) run.count++;
    else runs.push({ start: col, count: 1 });
  }
  const existing = new Set(tracker.protections.map((p) => p.description));
  for (const run of runs) {
    const headers = Array.from({ length: run.count }, (_, i) => headerAt(run.start + i));
    const description = protectColumnsDescription(headers);
    if (existing.has(description)) continue;
    add(
      { kind: 'protectColumns', sheet: tracker.name, column: run.start + 1, numColumns: run.count, description },
      `Warning-only protection of "${tracker.name}" ${columnLetter(run.start)}${run.count > 1 ? `:${columnLetter(run.start + run.count - 1)}` : ''} (${headers.join(', ')})`,
    );
  }

  // ---- the tabs the add-on owns.
  const tabValues: Record<TabKey, string[][]> = {
    register: [[REGISTER_ID_HEADER]],
    log: [[...LOG_HEADERS]],
    settings: initialSettingsValues(state.currentUser),
    weekly: [[...WEEKLY_REPORT_HEADERS]],
    ledger: [[...LEDGER_HEADER]],
    amendments: [[...AMENDMENT_HEADERS]],
  };
  const order: TabKey[] = ['register', 'log', 'settings', 'weekly', 'ledger', 'amendments'];
  for (const key of order) {
    const name = state.names[key];
    const tab = state.tabs[key];
    if (!tab.exists) {
      add({ kind: 'createSheet', sheet: name, values: tabValues[key] }, `Tab "${name}" with its header row`);
    } else if (blankRow(tab.headers)) {
      add({ kind: 'writeValues', sheet: name, values: tabValues[key] }, `Header row of the empty tab "${name}"`);
    } else if (key === 'settings') {
      const settingsRewrite = planSettingsAdmin(tab.values ?? [], state);
      if (settingsRewrite) add({ kind: 'writeValues', sheet: name, values: settingsRewrite }, `${state.currentUser} as Admin in the "${name}" Staff table (it was empty)`);
    }
    if (!tab.exists || tab.frozenRows < 1) add({ kind: 'freezeHeader', sheet: name }, `Freeze the header row of "${name}"`);
  }

  const log = state.tabs.log;
  for (const { header, rule } of LOG_RULES) {
    const col = LOG_HEADERS.indexOf(header) + 1;
    const write = log.exists ? dropdownToWrite(rule, log.validations[col], log.lists?.[col]) : { rule, added: [] };
    if (write) {
      const words = write.added.length ? `: adds ${write.added.map((v) => `"${v}"`).join(', ')}, the school's own values kept` : '';
      add({ kind: 'setValidation', sheet: state.names.log, column: col, rule: write.rule }, `Dropdown on "${state.names.log}" column ${columnLetter(col - 1)} (${header})${words}`);
    }
  }
  const protectTab = (key: TabKey, description: string) => {
    const tab = state.tabs[key];
    // Sheet.protect() returns a tab's existing protection (S2.8): a tab the school already protected
    // is left as it is rather than re-described and weakened to warning-only.
    if (tab.exists && tab.protections.length > 0) return;
    add({ kind: 'protectSheet', sheet: state.names[key], description }, `Warning-only protection of the tab "${state.names[key]}"`);
  };
  protectTab('log', PROTECT_LOG);
  protectTab('amendments', PROTECT_AMENDMENTS);

  const json = mappingJson(finalMapping);
  if (state.storedMapping !== json || state.storedTrackerSheet !== tracker.name) {
    add({ kind: 'storeMapping', trackerSheet: tracker.name, mapping: json }, `Remember the column mapping of "${tracker.name}"`);
  }

  return { ok: true, problems: [], missing, mapping, willCreate, actions, finalMapping };
}

/** An existing, valid Settings tab with an empty Staff table gets the current user as Admin. */
function planSettingsAdmin(values: unknown[][], state: SetupState): string[][] | null {
  if (!state.currentUser) return null;
  const { settings, problems } = parseSettingsSheet(values, state.knownPresetIds);
  if (problems.length > 0 || settings.staff.length > 0) return null;
  const rows = settingsToSheet({ ...settings, staff: [{ email: state.currentUser.toLowerCase(), name: '', role: 'Admin', yearGroup: '', tutorGroup: '' }] });
  // Keep the block at least as tall as what is there, so no stale row survives below it.
  const width = rows[0].length;
  while (rows.length < values.length) rows.push(Array(width).fill(''));
  return rows;
}
