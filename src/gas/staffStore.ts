/**
 * The authoritative staff list, roles and last valid settings: one chunked record in document
 * properties that only the add-on writes (src/core/staffRecord.ts has the rules). Also: the Staff
 * Changes tab (every role change: who, when, old, new) and the real protections on the add-on's
 * tabs, limited to the spreadsheet's owner, Attendance Leads and Admins (plus Attendance Officers on
 * the tabs an import writes).
 */
import { CONFIG_RECORD, INSTALLER_PROPERTY, STAFF_CHANGES_HEADERS, parseConfig, staffChangeRows, type ConfigRecord, type StaffChange } from '../core/staffRecord';
import type { StaffMember } from '../core/settings';
import type { StaffRole } from '../core/types';
import { PROTECTION_PREFIX } from '../core/setupPlan';
import { readRecord, writeRecord, type ReadRecord } from './chunkedProperty';
import { ensureRows } from './grow';
import { SHEET_NAMES } from './sheetNames';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const STAFF_CHANGES_SHEET = 'Staff Changes';

export interface StaffAccess {
  /** False until the owner (or installer) has done the first set-up. */
  claimed: boolean;
  staff: StaffMember[];
  record: ConfigRecord | null;
  /** Why the record could not be read ('' when it could). Nobody but the owner acts then. */
  unreadable: string;
  read: ReadRecord | null;
}

let cache: StaffAccess | null = null;

function documentProperties(): GoogleAppsScript.Properties.Properties | null {
  try {
    return PropertiesService.getDocumentProperties();
  } catch {
    return null; // AuthMode.NONE: no properties (semantics S7.7)
  }
}

/** The record as stored now (read once per execution; a save refreshes it). */
export function staffAccess(fresh = false): StaffAccess {
  if (cache && !fresh) return cache;
  const props = documentProperties();
  if (!props) return (cache = { claimed: false, staff: [], record: null, unreadable: 'the document properties cannot be read here', read: null });
  const read = readRecord(props, CONFIG_RECORD);
  if (read.decoded.state === 'absent') return (cache = { claimed: false, staff: [], record: null, unreadable: '', read });
  if (read.decoded.state === 'unreadable') return (cache = { claimed: true, staff: [], record: null, unreadable: read.decoded.reason, read });
  const record = parseConfig(read.decoded.text);
  if (!record) return (cache = { claimed: true, staff: [], record: null, unreadable: 'it is not in the expected form', read });
  return (cache = { claimed: true, staff: record.staff, record, unreadable: '', read });
}

export function forgetStaffCache(): void {
  cache = null;
}

/** The spreadsheet owner's email ('' for a shared drive, or when it cannot be read). */
export function ownerEmail(ss: Spreadsheet | null): string {
  if (!ss) return '';
  try {
    return (ss.getOwner()?.getEmail() ?? '').toLowerCase();
  } catch {
    return '';
  }
}

export function installerEmail(): string {
  try {
    return (documentProperties()?.getProperty(INSTALLER_PROPERTY) ?? '').toLowerCase();
  } catch {
    return '';
  }
}

/** onInstall: remember who installed the add-on here, once, before the tracker is set up. */
export function rememberInstaller(email: string): void {
  const props = documentProperties();
  if (!props || !email) return;
  if (ownerEmail(SpreadsheetApp.getActiveSpreadsheet()) !== '') return; // the owner sets it up
  if (staffAccess().claimed || props.getProperty(INSTALLER_PROPERTY)) return;
  props.setProperty(INSTALLER_PROPERTY, email.toLowerCase());
}

/** A friendly error for a store that could not be written (no JavaScript text reaches staff). */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * Saves the whole record, all-or-nothing. Returns a rollback (puts the previous record back) and a
 * cleanup (drops the previous chunks once the caller's other writes are done).
 */
export function saveConfig(record: ConfigRecord): { rollback: () => void; cleanup: () => void } {
  const props = documentProperties();
  if (!props) throw new StoreError('The staff list and settings cannot be saved here (document properties are not available).');
  const known = staffAccess().read ?? undefined;
  let handles: { rollback: () => void; cleanup: () => void };
  try {
    handles = writeRecord(props, CONFIG_RECORD, JSON.stringify(record), known);
  } catch (err) {
    forgetStaffCache();
    const why = (err as Error).name === 'RecordTooLargeError' ? (err as Error).message : 'Google did not accept the write';
    throw new StoreError(`The staff list and settings were not saved (${why}). Nothing was changed.`);
  }
  forgetStaffCache();
  return handles;
}

// ---------------------------------------------------------------- the Staff Changes tab

function staffChangesSheet(ss: Spreadsheet): GoogleAppsScript.Spreadsheet.Sheet {
  const existing = ss.getSheetByName(STAFF_CHANGES_SHEET);
  if (existing) return existing;
  const sheet = ss.insertSheet(STAFF_CHANGES_SHEET);
  sheet.getRange(1, 1, 1, STAFF_CHANGES_HEADERS.length).setValues([[...STAFF_CHANGES_HEADERS]]);
  sheet.setFrozenRows(1);
  return sheet;
}

/** The last change number written to the tab (0 when none). */
function lastLoggedChange(sheet: GoogleAppsScript.Spreadsheet.Sheet): number {
  const last = sheet.getLastRow();
  if (last < 2) return 0;
  const n = Number(String(sheet.getRange(last, 1).getValue()).replace(/^'/, ''));
  return Number.isFinite(n) ? n : 0;
}

/**
 * Writes the record's latest change to the Staff Changes tab unless it is there already (a save that
 * stopped after the record but before the tab is completed by the next call). Exactly once.
 */
export function reconcileStaffChanges(ss: Spreadsheet, change: StaffChange | null): void {
  if (!change || change.entries.length === 0) return;
  const sheet = staffChangesSheet(ss);
  if (lastLoggedChange(sheet) >= change.no) return;
  const rows = staffChangeRows(change).map((r) => r.map((v) => (v === '' ? '' : `'${v.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')}`)));
  const start = sheet.getLastRow() + 1;
  ensureRows(sheet, start + rows.length - 1, STAFF_CHANGES_HEADERS.length);
  sheet.getRange(start, 1, rows.length, STAFF_CHANGES_HEADERS.length).setValues(rows);
}

// ---------------------------------------------------------------- protections

/** Who may edit which add-on tab (besides the owner): roles whose work writes it from their own account. */
export const TAB_EDITOR_ROLES: Record<string, readonly StaffRole[]> = {
  [SHEET_NAMES.settings]: ['AL', 'Admin'],
  [STAFF_CHANGES_SHEET]: ['AL', 'Admin'],
  [SHEET_NAMES.ledger]: ['AL', 'Admin'],
  [SHEET_NAMES.register]: ['AO', 'AL', 'Admin'],
  [SHEET_NAMES.amendments]: ['AO', 'AL', 'Admin'],
};

const ROLE_PROTECTION = `${PROTECTION_PREFIX} only the owner and staff whose role writes this tab may edit it`;

/**
 * Real (not warning-only) protections on the add-on's tabs, limited to the owner and the roles in
 * TAB_EDITOR_ROLES who are editors of the spreadsheet. The Interventions Log and the tracker stay
 * open: tutors write them (RTC/ROPC, logged contacts) from their own accounts.
 */
export function syncProtections(ss: Spreadsheet, staff: readonly StaffMember[]): void {
  const owner = ownerEmail(ss);
  const me = (Session.getEffectiveUser().getEmail() || '').toLowerCase();
  const fileEditors = new Set(ss.getEditors().map((u) => u.getEmail().toLowerCase()));
  for (const [name, roles] of Object.entries(TAB_EDITOR_ROLES)) {
    const sheet = ss.getSheetByName(name);
    if (!sheet) continue;
    const wanted = new Set(staff.filter((s) => roles.includes(s.role) && fileEditors.has(s.email)).map((s) => s.email));
    if (owner) wanted.add(owner);
    if (me) wanted.add(me); // Google's pattern: keep yourself an editor before removing others
    const ours = sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET);
    const protection = ours[0] ?? sheet.protect();
    protection.setDescription(ROLE_PROTECTION).setWarningOnly(false);
    const current = protection.getEditors().map((u) => u.getEmail().toLowerCase());
    const remove = current.filter((e) => !wanted.has(e) && e !== owner);
    const add = [...wanted].filter((e) => !current.includes(e));
    if (add.length > 0) protection.addEditors(add);
    if (remove.length > 0) protection.removeEditors(remove);
    if (protection.canDomainEdit()) protection.setDomainEdit(false);
  }
}
