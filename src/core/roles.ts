/**
 * Who may do what (seed 000 §3.5: access restricted by role-based permissions). Pure: the gas layer
 * passes the signed-in email and the Settings → Staff table.
 */
import type { StaffMember } from './settings';
import type { StaffRole } from './types';

export type Action =
  | 'viewStudent'
  | 'logContact'
  | 'recalculate'
  | 'importRegister'
  | 'setup'
  | 'editSettings'
  | 'editPolicy'
  | 'planLetters'
  | 'sendLetters'
  | 'scheduleReport'
  | 'runReport'
  | 'setReviewDate'
  | 'checkInstallation';

export const PERMISSIONS: Record<Action, readonly StaffRole[]> = {
  viewStudent: ['Tutor', 'HOY', 'AO', 'AL', 'Admin'],
  logContact: ['Tutor', 'HOY', 'AO', 'AL', 'Admin'],
  recalculate: ['HOY', 'AO', 'AL', 'Admin'],
  importRegister: ['AO', 'AL', 'Admin'],
  setup: ['AL', 'Admin'],
  editSettings: ['AL', 'Admin'],
  /** Issue 15: the Attendance Lead and Admin own the school's attendance policy. */
  editPolicy: ['AL', 'Admin'],
  planLetters: ['AO', 'AL', 'Admin'],
  sendLetters: ['AL', 'Admin'],
  scheduleReport: ['AO', 'AL', 'Admin'],
  runReport: ['HOY', 'AO', 'AL', 'Admin'],
  /** Issue 10: a pupil's review date (a Head of Year for their own year). */
  setReviewDate: ['HOY', 'AO', 'AL', 'Admin'],
  /** Issue 13: SOL Tracker ▸ Check this installation (sends a test email, makes a sample letter). */
  checkInstallation: ['AL', 'Admin'],
};

const ACTION_WORDS: Record<Action, string> = {
  viewStudent: 'view students',
  logContact: 'log contacts',
  recalculate: 'recalculate the tracker',
  importRegister: 'import register marks',
  setup: 'set up the tracker',
  editSettings: 'change settings',
  editPolicy: 'change the attendance policy',
  planLetters: 'plan letters',
  sendLetters: 'send letters',
  scheduleReport: 'schedule the weekly report',
  runReport: 'run the weekly report',
  setReviewDate: 'set review dates',
  checkInstallation: 'check this installation',
};

export interface Actor {
  email: string;
  role: StaffRole | null;
  member: StaffMember | null;
  /** True when the tracker is not set up yet and this person (owner or installer) may do its first set-up. */
  bootstrap: boolean;
  /** True while no staff list has been stored (the tracker is not set up yet). */
  notSetUp?: boolean;
}

export interface StaffAuthority {
  /** False until the first set-up stored the staff list (src/core/staffRecord.ts). */
  claimed: boolean;
  /** The spreadsheet's owner: always at least Admin (they can remove any protection anyway). */
  isOwner: boolean;
  /** Before the first set-up: the person who installed the add-on here may set it up once. */
  isInstaller?: boolean;
}

/**
 * The actor's role from the stored staff list. Never "everyone is Admin": an empty or missing list
 * gives nobody a role; only the owner (or, before the first set-up, the installer) acts as Admin.
 */
export function actorFor(email: string, staff: readonly StaffMember[], authority: StaffAuthority = { claimed: true, isOwner: false }): Actor {
  const e = email.trim().toLowerCase();
  const member = authority.claimed && e ? staff.find((s) => s.email.toLowerCase() === e) ?? null : null;
  const elevated = e !== '' && (authority.isOwner || (!authority.claimed && authority.isInstaller === true));
  const role: StaffRole | null = elevated ? 'Admin' : member?.role ?? null;
  return { email: e, role, member, bootstrap: !authority.claimed && elevated, notSetUp: !authority.claimed };
}

export function can(actor: Actor, action: Action): boolean {
  return actor.role !== null && PERMISSIONS[action].includes(actor.role);
}

export class PermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

/** Throws a message that says who, what, and who can. */
export function requirePermission(actor: Actor, action: Action): void {
  if (can(actor, action)) return;
  const who = actor.email || 'Your account (its email is hidden in this context)';
  const allowed = PERMISSIONS[action].join(', ');
  if (actor.role === null && actor.notSetUp) {
    throw new PermissionError(`SOL Tracker is not set up in this spreadsheet yet, so ${actor.email || 'you'} may not ${ACTION_WORDS[action]}. Only the spreadsheet's owner (or the person who installed the add-on) can do the first set-up (SOL Tracker ▸ Set up…), which creates the staff list.`);
  }
  if (actor.role === null) {
    throw new PermissionError(`${who} is not in the Settings → Staff table, so it may not ${ACTION_WORDS[action]}. Ask an Admin or the Attendance Lead to add you in the sidebar (Settings → Staff; roles that can: ${allowed}).`);
  }
  throw new PermissionError(`${who} has the role ${actor.role}, which may not ${ACTION_WORDS[action]}; only ${allowed} can.`);
}

/** A tutor sees their own tutor group(s); a Head of Year their year; the attendance team everyone. */
export function canSeeStudent(actor: Actor, student: { yearGroup: string; tutorGroup: string }): boolean {
  if (actor.role === null) return false;
  if (actor.role === 'Tutor') {
    const groups = (actor.member?.tutorGroup ?? '').split(/[,;]\s*/).filter(Boolean);
    return groups.includes(student.tutorGroup);
  }
  if (actor.role === 'HOY') {
    const years = (actor.member?.yearGroup ?? '').split(/[,;]\s*/).filter(Boolean);
    return years.includes(student.yearGroup);
  }
  return true;
}

/**
 * The caller's own scope in words, for refusals that must reveal nothing about a pupil outside it
 * (no name, group or year of the pupil asked about: the same words whether or not they exist).
 */
export function scopeWords(actor: Actor): string {
  const list = (v: string | undefined) => (v ?? '').split(/[,;]\s*/).filter(Boolean).join(', ');
  if (actor.role === 'Tutor') return ` (as a Tutor: tutor group ${list(actor.member?.tutorGroup) || 'none set in Settings → Staff'})`;
  if (actor.role === 'HOY') return ` (as Head of Year: year ${list(actor.member?.yearGroup) || 'none set in Settings → Staff'})`;
  return '';
}

/**
 * Issue 10 (J): an RTC/ROPC typed in the tracker by a known member of staff is theirs to record only
 * for a pupil their role covers (the same rule as the sidebar's Log a contact): a Tutor their own
 * tutor group(s), a Head of Year their year(s), the attendance team anyone. Returns null when
 * allowed, else the words for the person: what was refused, why, and who can record it. The pupil's
 * group is named because it is on the very row the person typed in (nothing is revealed).
 */
export function trackerContactRefusal(
  actor: Actor,
  pupil: { yearGroup: string; tutorGroup: string } | null,
  where: { column: 'RTC' | 'ROPC'; row: number },
): string | null {
  const undone = `Nothing was logged and the cell was put back as it was.`;
  const entry = `The ${where.column} entry on row ${where.row}`;
  if (actor.role === null) {
    const who = actor.email || 'Your account';
    return `${entry} was not recorded: ${who} is not in the Settings → Staff table, so it may not record contacts. ${undone} Ask an Admin or the Attendance Lead to add you (Settings → Staff).`;
  }
  if (!can(actor, 'logContact')) return `${entry} was not recorded: the role ${actor.role} may not log contacts. ${undone}`;
  if (pupil === null) {
    if (actor.role !== 'Tutor' && actor.role !== 'HOY') return null;
    return `${entry} was not recorded: that row has no pupil SOL Tracker can find by its Student ID. ${undone}`;
  }
  if (canSeeStudent(actor, pupil)) return null;
  const list = (v: string | undefined) => (v ?? '').split(/[,;]\s*/).filter(Boolean);
  if (actor.role === 'Tutor') {
    const groups = list(actor.member?.tutorGroup);
    const mine = groups.length === 0 ? 'no tutor group set in Settings → Staff' : `tutor group ${groups.join(', ')}`;
    const theirs = pupil.tutorGroup ? `tutor group ${pupil.tutorGroup}` : 'no tutor group';
    return `${entry} was not recorded: as a Tutor you record RTC/ROPC for your own pupils (${mine}), and this pupil is in ${theirs}. ${undone} Their tutor, Head of Year or the attendance team can record it.`;
  }
  const years = list(actor.member?.yearGroup);
  const year = (y: string) => (/^(year|grade)\b/i.test(y) ? y : `year ${y}`);
  const mine = years.length === 0 ? 'no year set in Settings → Staff' : years.map(year).join(', ');
  const theirs = pupil.yearGroup ? year(pupil.yearGroup) : 'no year group';
  return `${entry} was not recorded: as Head of Year you record RTC/ROPC for pupils of your year (${mine}), and this pupil is in ${theirs}. ${undone} Their Head of Year or the attendance team can record it.`;
}
