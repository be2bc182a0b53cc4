/**
 * The signed-in user and their role. Roles come only from the staff record the add-on alone writes
 * (src/gas/staffStore.ts) — never from a cell — and the spreadsheet's owner acts at least as Admin.
 * Needs userinfo.email; the email is blank in restricted contexts (semantics U1.1).
 */
import { actorFor, requirePermission, type Action, type Actor } from '../core/roles';
import type { Settings } from '../core/settings';
import { installerEmail, ownerEmail, staffAccess } from './staffStore';

export function activeUserEmail(): string {
  return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail() || '';
}

function activeSpreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet | null {
  try {
    return SpreadsheetApp.getActiveSpreadsheet();
  } catch {
    return null;
  }
}

/** The actor for an email (the signed-in user by default), from the stored staff list. */
export function actorOf(email: string, ss: GoogleAppsScript.Spreadsheet.Spreadsheet | null = activeSpreadsheet()): Actor {
  const access = staffAccess();
  const e = email.trim().toLowerCase();
  const member = access.staff.find((s) => s.email.toLowerCase() === e);
  // The owner look-up costs a call: only when the list does not already make them Admin.
  const owner = e !== '' && member?.role !== 'Admin' ? ownerEmail(ss) : null;
  const isOwner = owner !== null && owner === e;
  // The installer counts only where the spreadsheet has no owner (a shared drive): elsewhere a
  // made-up google.script.run.onInstall() call must not let an editor claim the first set-up.
  const isInstaller = !access.claimed && owner === '' && installerEmail() === e;
  return actorFor(e, access.staff, { claimed: access.claimed, isOwner, isInstaller });
}

/** `settings` is accepted for the callers' convenience; roles never come from it. */
export function currentActor(settings?: Settings): Actor {
  void settings;
  return actorOf(activeUserEmail());
}

/** The actor, after checking they may do `action` (throws a plain-words PermissionError). */
export function authorise(settings: Settings | null, action: Action): Actor {
  const actor = currentActor(settings ?? undefined);
  requirePermission(actor, action);
  return actor;
}
