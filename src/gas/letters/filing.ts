/**
 * Where sent letters are kept, who can open them, and when they are removed.
 *
 * - One Drive folder per school ("SOL Tracker letters – <school>"), made by the add-on (drive.file:
 *   the add-on may only touch what it made) and shared with the staff whose role needs the letters:
 *   Attendance Lead and Admin as editors, Attendance Officers and Heads of Year as viewers. Inside,
 *   one folder per letter window (the term: "Autumn 2026"), which inherits that sharing. Letters,
 *   their print pack and the run's template copies go there, so the Log's and the pupil history's
 *   links open for the whole attendance team, not only for the sender (issue 13, D2.5).
 * - Sharing follows Settings → Staff: a new AO/HOY is added, and someone who no longer has a role
 *   that needs the letters is removed, the next time letters are sent.
 * - Retention (seed 000 §4: "Dispose of old records according to data retention and destruction
 *   protocols"): Settings → "Keep letter copies for (months)". Letter documents older than that are
 *   moved to the Drive trash at the start of a run; the Log row stays (with its now dead link).
 *
 * Folder ids live in the document properties (sol.letterFiling), written under the document lock.
 */
import type { Settings } from '../../core/settings';
import { PROPERTY_KEYS } from '../sheetNames';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';

export interface FilingState {
  rootId: string | null;
  /** Window key (term) → folder id. */
  terms: Record<string, string>;
  /** Emails the root folder is shared with, by role, as last set by the add-on. */
  writers: string[];
  readers: string[];
}

const EMPTY: FilingState = { rootId: null, terms: {}, writers: [], readers: [] };

function drive(): GoogleAppsScript.Drive {
  if (typeof Drive === 'undefined' || !Drive) throw new Error('The advanced Drive service is not enabled in appsscript.json (Drive, v3): letters cannot be filed.');
  return Drive;
}

export function readFiling(): FilingState {
  const raw = PropertiesService.getDocumentProperties()?.getProperty(PROPERTY_KEYS.letterFiling) ?? null;
  if (!raw) return { ...EMPTY, terms: {} };
  try {
    const s = JSON.parse(raw) as Partial<FilingState>;
    return { rootId: s.rootId ?? null, terms: { ...(s.terms ?? {}) }, writers: s.writers ?? [], readers: s.readers ?? [] };
  } catch {
    return { ...EMPTY, terms: {} };
  }
}

function saveFiling(state: FilingState): void {
  PropertiesService.getDocumentProperties()?.setProperty(PROPERTY_KEYS.letterFiling, JSON.stringify(state));
}

/** Who may open the letters: editors (AL, Admin) and viewers (AO, HOY), from Settings → Staff. */
export function letterAudience(settings: Settings): { writers: string[]; readers: string[] } {
  const emails = (roles: string[]) => [...new Set(settings.staff.filter((s) => roles.includes(s.role)).map((s) => s.email.toLowerCase()))].sort();
  const writers = emails(['AL', 'Admin']);
  const readers = emails(['AO', 'HOY']).filter((e) => !writers.includes(e));
  return { writers, readers };
}

/** Who needs the templates: editors maintain them (AL, Admin), viewers plan and preview (AO). */
export function templateAudience(settings: Settings): { editors: string[]; viewers: string[] } {
  const emails = (roles: string[]) => [...new Set(settings.staff.filter((s) => roles.includes(s.role)).map((s) => s.email.toLowerCase()))].sort();
  const editors = emails(['AL', 'Admin']);
  return { editors, viewers: emails(['AO']).filter((e) => !editors.includes(e)) };
}

function folderExists(id: string): boolean {
  try {
    const f = drive().Files!.get(id);
    return !f.trashed;
  } catch {
    return false;
  }
}

/**
 * The root folder, shared as Settings → Staff says, and the folder of each window given (made when
 * missing). Call under the document lock. Returns the state and any sharing problem (in words).
 */
export function ensureLetterFolders(settings: Settings, windows: readonly string[], me: string): { state: FilingState; warnings: string[] } {
  const state = readFiling();
  const warnings: string[] = [];
  let changed = false;
  if (!state.rootId || !folderExists(state.rootId)) {
    const root = drive().Files!.create({ name: `SOL Tracker letters – ${settings.schoolName}`, mimeType: FOLDER_MIME });
    state.rootId = root.id!;
    state.terms = {};
    state.writers = [];
    state.readers = [];
    changed = true;
  }
  // sharing: add who is missing, remove who no longer has a role that needs the letters
  const want = letterAudience(settings);
  const self = me.toLowerCase();
  const add = (emails: string[], role: 'writer' | 'reader', had: string[]) => emails.filter((e) => e !== self && !had.includes(e)).forEach((e) => {
    try {
      drive().Permissions!.create({ role, type: 'user', emailAddress: e }, state.rootId!, { sendNotificationEmail: false });
    } catch (err) {
      warnings.push(`The letters folder could not be shared with ${e} (${(err as Error).message}).`);
    }
  });
  add(want.writers, 'writer', state.writers);
  add(want.readers, 'reader', state.readers.filter((e) => !want.writers.includes(e)));
  const gone = [...state.writers, ...state.readers].filter((e) => !want.writers.includes(e) && !want.readers.includes(e));
  if (gone.length > 0) {
    try {
      const perms = drive().Permissions!.list(state.rootId!).permissions ?? [];
      for (const p of perms) if (p.emailAddress && gone.includes(p.emailAddress.toLowerCase()) && p.role !== 'owner') drive().Permissions!.remove(state.rootId!, p.id!);
    } catch (err) {
      warnings.push(`Staff who left a role could not be removed from the letters folder (${(err as Error).message}).`);
    }
  }
  if (gone.length > 0 || want.writers.join() !== state.writers.join() || want.readers.join() !== state.readers.join()) {
    state.writers = want.writers;
    state.readers = want.readers;
    changed = true;
  }
  for (const w of new Set(windows)) {
    if (state.terms[w] && folderExists(state.terms[w])) continue;
    state.terms[w] = drive().Files!.create({ name: w, mimeType: FOLDER_MIME, parents: [state.rootId!] }).id!;
    changed = true;
  }
  if (changed) saveFiling(state);
  return { state, warnings };
}

/**
 * Moves letter documents older than the retention period to the Drive trash (each window's folder,
 * by creation time). Returns how many were removed. Nothing happens when no period is set.
 */
export function applyRetention(settings: Settings, state: FilingState, now: Date): number {
  const months = settings.letterRetentionMonths;
  if (!months || months <= 0 || !state.rootId) return 0;
  const cutoff = new Date(now.getTime());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  let removed = 0;
  for (const folderId of Object.values(state.terms)) {
    let token: string | undefined;
    do {
      const page = drive().Files!.list({ q: `'${folderId}' in parents and trashed = false and createdTime < '${cutoff.toISOString()}'`, pageSize: 200, ...(token ? { pageToken: token } : {}) });
      for (const f of page.files ?? []) {
        drive().Files!.update({ trashed: true }, f.id!);
        removed++;
      }
      token = page.nextPageToken ?? undefined;
    } while (token);
  }
  return removed;
}
