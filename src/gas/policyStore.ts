/**
 * Where the school's policy lives (issue 15). The authoritative copy — the policy book: the policy
 * in force, its code table and its versions — is in document properties, which only the add-on
 * writes (a person who can edit a cell cannot change a step or a threshold), split under the 9 KB
 * per-value limit (chunkedProperty.ts, the add-on's one chunked store). Staff read it on two tabs the add-on writes:
 *  - "Policy": the ladder, the de-escalation rule and the code table in words (changing the tab
 *    changes nothing: it is rewritten on every save);
 *  - "Policy History": one row per saved version — who, when, from which date it applies, what
 *    changed in words, and the policy file of that version (to restore or share it).
 */
import type { PolicyBook, PolicyVersion } from '../core/policy/book';
import { MAX_VERSIONS } from '../core/policy/book';
import { CATEGORY_NAMES, checkSchoolPolicy, policyFile } from '../core/policy/file';
import { describeCondition, unitOf } from '../core/policy/words';
import { dateText } from '../core/report/weeklyHtml';
import { asSheetText } from '../core/sanitise';
import { utf8Length } from '../core/chunkedRecord';
import { RecordTooLargeError, recordText, saveRecord } from './chunkedProperty';
import { ensureRows } from './grow';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The book's stored text, in UTF-8 bytes, stays inside its budget of the 500 KB store (RECORD_BUDGETS). */
export const MAX_BOOK_BYTES = 180 * 1024;

export interface LoadedPolicyBook {
  book: PolicyBook | null;
  /** Set when a stored book could not be read: the preset named in Settings is used instead. */
  problem?: string;
}

function documentProperties(): GoogleAppsScript.Properties.Properties | null {
  try {
    return PropertiesService.getDocumentProperties();
  } catch {
    return null; // AuthMode.NONE: no properties (semantics S7.7)
  }
}

/** Reads the policy book (one getProperties). Null when the school has not saved its own policy. */
export function loadPolicyBook(all?: Record<string, string>): LoadedPolicyBook {
  let props: Record<string, string>;
  if (all) props = all;
  else {
    const store = documentProperties();
    if (!store) return { book: null };
    props = store.getProperties();
  }
  try {
    const text = recordText(props, PROPERTY_KEYS.policyBook);
    if (text === null) return { book: null };
    const stored = JSON.parse(text) as { policy: unknown; codeTable: unknown; versions: PolicyVersion[] };
    const check = checkSchoolPolicy({ policy: stored.policy, codeTable: stored.codeTable });
    if (!check.ok) throw new Error(check.problems.map((p) => p.message).join(' '));
    if (!Array.isArray(stored.versions) || stored.versions.length === 0) throw new Error('it has no versions');
    return { book: { policy: check.policy, table: check.table, versions: stored.versions } };
  } catch (err) {
    return { book: null, problem: `The school's saved attendance policy could not be read (${(err as Error).message}); the preset in Settings is used until it is saved again from the sidebar.` };
  }
}

function bookText(book: PolicyBook): string {
  return JSON.stringify({ policy: book.policy, codeTable: book.table, versions: book.versions });
}

/** Writes the book (never half-saved), then the Policy and Policy History tabs. Call under the document lock. */
export function savePolicyBook(ss: Spreadsheet, book: PolicyBook): void {
  const props = documentProperties();
  if (!props) throw new Error('The policy cannot be saved here: document properties are not available.');
  const trimmed: PolicyBook = { ...book, versions: [...book.versions] };
  let text = bookText(trimmed);
  while (utf8Length(text) > MAX_BOOK_BYTES && trimmed.versions.length > 2) {
    trimmed.versions.shift();
    const first = { ...trimmed.versions[0]! };
    delete first.renumbered;
    delete first.removedSteps;
    trimmed.versions[0] = first;
    text = bookText(trimmed);
  }
  if (utf8Length(text) > MAX_BOOK_BYTES) throw new Error(`The policy is too large to store (${Math.ceil(utf8Length(text) / 1024)} KB; at most ${MAX_BOOK_BYTES / 1024} KB). Shorten step notes or descriptions.`);
  try {
    saveRecord(props, PROPERTY_KEYS.policyBook, text);
  } catch (err) {
    if ((err as Error).name === RecordTooLargeError.name) throw new Error(`The policy was not saved: ${(err as Error).message}. Remove old versions or shorten step notes, then save again.`);
    throw err;
  }
  writePolicyTab(ss, trimmed);
  appendHistoryRow(ss, trimmed);
}

/**
 * After a save that stopped part-way (the book is saved, its tabs may not be): the Policy tab is
 * rewritten and the latest version's Policy History row added if it is not there yet.
 */
export function completePolicyTabs(ss: Spreadsheet, book: PolicyBook): void {
  writePolicyTab(ss, book);
  const v = book.versions[book.versions.length - 1]!;
  const sheet = ss.getSheetByName(SHEET_NAMES.policyHistory);
  const last = sheet ? sheet.getLastRow() : 0;
  const versions = sheet && last > 1 ? sheet.getRange(2, 1, last - 1, 1).getValues().map((r) => String(r[0])) : [];
  if (!versions.includes(String(v.version))) appendHistoryRow(ss, book);
}


function savedAtText(savedAt: string): string {
  if (!savedAt) return '';
  const time = /T(\d{2}:\d{2})/.exec(savedAt)?.[1];
  return `${dateText(savedAt.slice(0, 10))}${time ? ` ${time}` : ''}`;
}

/** The Policy tab's rows: what staff read. */
export function policyTabRows(book: PolicyBook): string[][] {
  const { policy, table } = book;
  const current = book.versions[book.versions.length - 1]!;
  const unit = unitOf(policy.sessionsPerDay);
  const rows: string[][] = [
    ['Attendance policy in force', 'Written by the SOL Tracker add-on. To change it, use the sidebar’s Policy tab (Extensions ▸ SOL Tracker ▸ Open sidebar). Edits made on this tab are not used.'],
    ['Policy', policy.label],
    ['Version', `${current.version}, in force from ${dateText(current.effectiveFrom)}${current.savedBy ? `, saved by ${current.savedBy} on ${savedAtText(current.savedAt)}` : ''}`],
    ['Register', policy.sessionsPerDay === 1 ? 'One session a day' : 'Two sessions a day (AM and PM)'],
    ['Letters', `Each letter at most once per student and ${policy.letterWindow === 'term' ? 'term' : 'academic year'}`],
    ['', ''],
    ['Step', 'Name', 'Entered when', 'Actions', 'Owner', 'Review after (school days)', 'Contact within (school days)', 'Why'],
  ];
  for (const s of policy.steps) {
    rows.push([
      String(s.number),
      s.label,
      describeCondition(s.entry, unit),
      s.actions.map((a) => a.description).join('\n'),
      s.owner,
      String(s.reviewSchoolDays),
      s.contactWithinSchoolDays === undefined ? '2 (default)' : String(s.contactWithinSchoolDays),
      s.note ?? '',
    ]);
  }
  rows.push(['', '']);
  const de = policy.deescalation;
  rows.push(['De-escalation', de ? `After Step ${de.afterStep}: ${de.schoolDaysWithoutUnexcused} school days with no unexcused absence and attendance of at least ${de.minAttendancePercent}% end the step.` : 'None: a student stays at the step reached.']);
  rows.push(['', '']);
  rows.push([`Codes: ${table.label}`, '']);
  rows.push(['Code', 'Meaning', 'Counts as', 'Also']);
  for (const c of table.codes) {
    const also = [c.unverified ? 'unverified' : '', c.unexcused ? 'unexcused' : '', c.late === 'beforeClose' ? 'late, counted present' : c.late === 'afterClose' ? 'late after the register closed' : ''].filter(Boolean).join(', ');
    rows.push([c.code, c.meaning, CATEGORY_NAMES[c.category], also]);
  }
  return rows;
}

function writePolicyTab(ss: Spreadsheet, book: PolicyBook): void {
  const rows = policyTabRows(book);
  const width = Math.max(...rows.map((r) => r.length));
  const sheet = ss.getSheetByName(SHEET_NAMES.policy) ?? ss.insertSheet(SHEET_NAMES.policy);
  // One block over the old content too, so nothing of a longer old policy survives.
  const height = Math.max(rows.length, sheet.getLastRow());
  const columns = Math.max(width, sheet.getLastColumn());
  const block = Array.from({ length: height }, (_, r) => Array.from({ length: columns }, (_, c) => asSheetText(rows[r]?.[c] ?? '')));
  ensureRows(sheet, height, block[0]!.length);
  sheet.getRange(1, 1, height, block[0]!.length).setValues(block);
  protectWarningOnly(sheet, 'Written by the SOL Tracker add-on: change the policy in the sidebar’s Policy tab.');
}

export const HISTORY_HEADERS = ['Version', 'In force from', 'Saved', 'Saved by', 'What changed', 'Policy file'];

function appendHistoryRow(ss: Spreadsheet, book: PolicyBook): void {
  let sheet = ss.getSheetByName(SHEET_NAMES.policyHistory);
  const rows: string[][] = [];
  if (!sheet) sheet = ss.insertSheet(SHEET_NAMES.policyHistory);
  if (sheet.getLastRow() === 0) {
    // A new tab (or one a stopped save made and left empty): the header and version 0 first.
    rows.push(HISTORY_HEADERS);
    // The school's first save: version 0 (the preset in force before) goes first.
    if (book.versions.length > 1 && book.versions[0]!.version === 0) {
      const v0 = book.versions[0]!;
      rows.push(['0', 'before version 1', '', '', v0.changes.join('\n'), '']);
    }
  }
  const v = book.versions[book.versions.length - 1]!;
  const file = JSON.stringify(policyFile(book.policy, book.table));
  rows.push([String(v.version), dateText(v.effectiveFrom), savedAtText(v.savedAt), v.savedBy, v.changes.join('\n'), file]);
  const start = sheet.getLastRow() + 1;
  ensureRows(sheet, start + rows.length - 1, HISTORY_HEADERS.length);
  sheet.getRange(start, 1, rows.length, HISTORY_HEADERS.length).setValues(rows.map((r) => r.map((c) => asSheetText(c))));
  protectWarningOnly(sheet, 'Written by the SOL Tracker add-on: the record of every policy change.');
}

/** Warns anyone editing the tab by hand (the tab is a copy; the add-on never reads it back). */
function protectWarningOnly(sheet: Sheet, description: string): void {
  try {
    if (sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET).length > 0) return;
    sheet.protect().setDescription(description).setWarningOnly(true);
  } catch {
    /* protections are a courtesy here: the authoritative copy is in document properties */
  }
}

export { MAX_VERSIONS };
