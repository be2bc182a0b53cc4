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
  | 'runReport';

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
};

export interface Actor {
  email: string;
  role: StaffRole | null;
  member: StaffMember | null;
  /** True when no Staff table exists yet: the first user may set things up (bootstrap). */
  bootstrap: boolean;
}

export function actorFor(email: string, staff: readonly StaffMember[]): Actor {
  const e = email.trim().toLowerCase();
  if (staff.length === 0) return { email: e, role: 'Admin', member: null, bootstrap: true };
  const member = staff.find((s) => s.email.toLowerCase() === e) ?? null;
  return { email: e, role: member?.role ?? null, member, bootstrap: false };
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
  if (actor.role === null) {
    throw new PermissionError(`${who} is not in the Settings → Staff table, so it may not ${ACTION_WORDS[action]}. Ask an Admin to add you (roles that can: ${allowed}).`);
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
