/**
 * The authoritative staff list and roles, and the last valid settings, as ONE record the add-on alone
 * writes (document properties, chunked: src/core/chunkedRecord.ts). The Settings tab shows the
 * staff list read-only; editing that copy changes nobody's role (DESIGN.md §2: a person who can
 * edit a cell must not be able to promote themselves).
 *
 * Rules kept here (pure, unit-tested):
 * - Until the record exists ("unclaimed") nobody has a role except the spreadsheet's owner or the
 *   person who installed the add-on, who may set it up once. Never "everyone is Admin".
 * - A saved list always keeps at least one Attendance Lead or Admin.
 * - Every change to the list is one numbered change with its entries (who, when, old, new); the
 *   record holds the latest change until it is in the Staff Changes tab.
 */
import type { Settings, StaffMember } from './settings';
import { STAFF_ROLES } from './types';

export const CONFIG_RECORD = 'sol.config';
/** Property written by onInstall: who installed the add-on in this spreadsheet (may set it up once). */
export const INSTALLER_PROPERTY = 'sol.installer';

export interface StaffChangeEntry {
  email: string;
  name: string;
  /** '' when the person was added. */
  oldRole: string;
  /** '' when the person was removed. */
  newRole: string;
  /** Groups or name changed without a role change: described in words. */
  detail: string;
}

export interface StaffChange {
  no: number;
  /** When, in the school's words ('2026-11-23 08:15'). */
  at: string;
  by: string;
  entries: StaffChangeEntry[];
}

export interface ConfigRecord {
  v: 1;
  staff: StaffMember[];
  claimedBy: string;
  claimedAt: string;
  /** Number of the latest staff change (0: none yet). */
  changeNo: number;
  /** The latest change, until it is written to the Staff Changes tab (then kept for a retry's check). */
  lastChange: StaffChange | null;
  /** The last settings that passed validation, without staff (used when the tab is broken or gone). */
  settings: Omit<Settings, 'staff'> | null;
}

export function parseConfig(text: string): ConfigRecord | null {
  try {
    const r = JSON.parse(text) as Partial<ConfigRecord>;
    if (r && r.v === 1 && Array.isArray(r.staff)) {
      const staff = r.staff.filter((s): s is StaffMember => !!s && typeof s.email === 'string' && (STAFF_ROLES as readonly string[]).includes(s.role));
      return {
        v: 1,
        staff,
        claimedBy: String(r.claimedBy ?? ''),
        claimedAt: String(r.claimedAt ?? ''),
        changeNo: Number(r.changeNo) || 0,
        lastChange: r.lastChange ?? null,
        settings: r.settings ?? null,
      };
    }
  } catch {
    /* unreadable */
  }
  return null;
}

export function withoutStaff(settings: Settings): Omit<Settings, 'staff'> {
  // The school's policy book has its own store (src/gas/policyStore.ts); it is never copied here.
  const { staff, policyBook, ...rest } = settings;
  void staff;
  void policyBook;
  return rest;
}

const key = (email: string) => email.trim().toLowerCase();

function groupsWords(s: StaffMember): string {
  return [s.yearGroup ? `year ${s.yearGroup}` : '', s.tutorGroup ? `tutor group ${s.tutorGroup}` : ''].filter(Boolean).join(', ') || 'no group';
}

/** What changed between two staff lists, one entry per person. */
export function diffStaff(before: readonly StaffMember[], after: readonly StaffMember[]): StaffChangeEntry[] {
  const old = new Map(before.map((s) => [key(s.email), s]));
  const now = new Map(after.map((s) => [key(s.email), s]));
  const out: StaffChangeEntry[] = [];
  for (const s of after) {
    const o = old.get(key(s.email));
    if (!o) out.push({ email: key(s.email), name: s.name, oldRole: '', newRole: s.role, detail: `added (${groupsWords(s)})` });
    else if (o.role !== s.role) out.push({ email: key(s.email), name: s.name, oldRole: o.role, newRole: s.role, detail: `role changed (${groupsWords(s)})` });
    else if (o.yearGroup !== s.yearGroup || o.tutorGroup !== s.tutorGroup || o.name !== s.name) {
      out.push({ email: key(s.email), name: s.name, oldRole: o.role, newRole: s.role, detail: `details changed: ${groupsWords(o)} → ${groupsWords(s)}${o.name !== s.name ? `, name "${o.name}" → "${s.name}"` : ''}` });
    }
  }
  for (const o of before) if (!now.has(key(o.email))) out.push({ email: key(o.email), name: o.name, oldRole: o.role, newRole: '', detail: 'removed' });
  return out;
}

/** Why a staff list may not be saved, or null. Keeps someone able to manage the tracker. */
export function staffListProblem(staff: readonly StaffMember[]): string | null {
  if (staff.length === 0) return 'The staff list cannot be empty: nobody could then run the tracker. Keep at least one Attendance Lead or Admin.';
  if (!staff.some((s) => s.role === 'AL' || s.role === 'Admin')) return 'Keep at least one Attendance Lead (AL) or Admin in the staff list, or nobody could change settings or roles again.';
  return null;
}

/** The Staff Changes tab (written by the add-on; protected). */
export const STAFF_CHANGES_HEADERS = ['Change', 'When', 'Changed by', 'Staff email', 'Name', 'Old role', 'New role', 'What changed'] as const;

export function staffChangeRows(change: StaffChange): string[][] {
  return change.entries.map((e) => [String(change.no), change.at, change.by, e.email, e.name, e.oldRole || '(none)', e.newRole || '(none)', e.detail]);
}

/** The staff list a first set-up stores: the list shown on the Settings tab (if any) plus the claimer as Admin. */
export function firstStaffList(tabStaff: readonly StaffMember[], claimer: string): StaffMember[] {
  const staff = tabStaff.map((s) => ({ ...s, email: key(s.email) }));
  const me = staff.find((s) => s.email === key(claimer));
  if (!me) staff.unshift({ email: key(claimer), name: '', role: 'Admin', yearGroup: '', tutorGroup: '' });
  else if (me.role !== 'AL' && me.role !== 'Admin') me.role = 'Admin';
  return staff;
}
