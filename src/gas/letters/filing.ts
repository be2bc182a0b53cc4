/**
 * Where sent letters are kept, who can open them, and when they are removed.
 *
 * - One Drive folder per school ("SOL Tracker letters – <school>"), made by the add-on (drive.file:
 *   the add-on may only touch what it made) and shared with the staff whose role needs every letter:
 *   the Attendance Lead and Admins as editors, Attendance Officers as viewers. Inside, one folder per
 *   letter window (the term: "Autumn 2026") holding the run's print packs, and in it one folder per
 *   year group ("Year 9") holding that year's letters, shared (view) with the Head(s) of Year of that
 *   year only — the same scope the add-on gives them on the tracker (core/roles.ts canSeeStudent).
 *   The Log's and the pupil history's links therefore open for the attendance team and the pupil's
 *   Head of Year, not only for the sender (issue 13, D2.5).
 * - Sharing follows Settings → Staff: a new AO/HOY is added, and someone who no longer has a role
 *   (or year) that needs the letters is removed, the next time letters are sent.
 * - Retention (seed 000 §4: "Dispose of old records according to data retention and destruction
 *   protocols"): Settings → "Keep letter copies for (months)". At the start of each letter run,
 *   copies older than that are moved to the Drive trash — never one a letter still needs (core/
 *   letters/retention.ts); the ledger row says when it was removed and the Log row stays.
 *
 * Folder ids live in the document properties (sol.letterFiling), written under the document lock;
 * only the latest windows are remembered (the property stays far under Apps Script's 9 KB a value):
 * the retention step walks the folders in Drive, so an older term is never forgotten.
 */
import { decideRetention, retentionCutoff, type FiledCopy, type RetentionDecision } from '../../core/letters/retention';
import type { Settings } from '../../core/settings';
import { PROPERTY_KEYS } from '../sheetNames';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
/** Windows whose folder ids are remembered (about two school years of terms). */
const WINDOWS_KEPT = 6;

export interface FilingState {
  rootId: string | null;
  /** Window key (term) → folder id. */
  terms: Record<string, string>;
  /** `${window}|${year group}` → folder id. */
  years: Record<string, string>;
  /** Emails the root folder is shared with, by role, as last set by the add-on. */
  writers: string[];
  readers: string[];
}

const empty = (): FilingState => ({ rootId: null, terms: {}, years: {}, writers: [], readers: [] });

function drive(): GoogleAppsScript.Drive {
  if (typeof Drive === 'undefined' || !Drive) throw new Error('The advanced Drive service is not enabled in appsscript.json (Drive, v3): letters cannot be filed.');
  return Drive;
}

export function readFiling(): FilingState {
  const raw = PropertiesService.getDocumentProperties()?.getProperty(PROPERTY_KEYS.letterFiling) ?? null;
  if (!raw) return empty();
  try {
    const s = JSON.parse(raw) as Partial<FilingState>;
    return { rootId: s.rootId ?? null, terms: { ...(s.terms ?? {}) }, years: { ...(s.years ?? {}) }, writers: s.writers ?? [], readers: s.readers ?? [] };
  } catch {
    return empty();
  }
}

function saveFiling(state: FilingState): void {
  const windows = Object.keys(state.terms);
  for (const old of windows.slice(0, Math.max(0, windows.length - WINDOWS_KEPT))) {
    delete state.terms[old];
    for (const k of Object.keys(state.years)) if (k.startsWith(`${old}|`)) delete state.years[k];
  }
  PropertiesService.getDocumentProperties()?.setProperty(PROPERTY_KEYS.letterFiling, JSON.stringify(state));
}

const emailsOf = (settings: Settings, roles: string[]) => [...new Set(settings.staff.filter((s) => roles.includes(s.role)).map((s) => s.email.trim().toLowerCase()))].sort();

/** Who may open every letter: editors (AL, Admin) and viewers (AO), from Settings → Staff. */
export function letterAudience(settings: Settings): { writers: string[]; readers: string[] } {
  const writers = emailsOf(settings, ['AL', 'Admin']);
  const readers = emailsOf(settings, ['AO']).filter((e) => !writers.includes(e));
  return { writers, readers };
}

/** The Heads of Year of one year group (Settings → Staff, Year group column; several years may be listed). */
export function headsOfYear(settings: Settings, yearGroup: string): string[] {
  const y = yearGroup.trim();
  return [...new Set(settings.staff
    .filter((s) => s.role === 'HOY' && s.yearGroup.split(/[,;]\s*/).map((v) => v.trim()).includes(y))
    .map((s) => s.email.trim().toLowerCase()))].sort();
}

/** Who needs the templates: editors maintain them (AL, Admin), viewers plan and preview (AO). */
export function templateAudience(settings: Settings): { editors: string[]; viewers: string[] } {
  const editors = emailsOf(settings, ['AL', 'Admin']);
  return { editors, viewers: emailsOf(settings, ['AO']).filter((e) => !editors.includes(e)) };
}

/** The folder letters of this window and year group go in (the term's, or the root, when not made). */
export function letterFolder(state: { rootId: string | null; terms: Record<string, string>; years?: Record<string, string> }, windowKey: string, yearGroup: string): string | null {
  return state.years?.[`${windowKey}|${yearGroup.trim()}`] ?? state.terms[windowKey] ?? state.rootId;
}

function yearFolderName(yearGroup: string): string {
  const y = yearGroup.trim();
  return /^\d+$/.test(y) ? `Year ${y}` : y || 'No year group';
}

function folderExists(id: string): boolean {
  try {
    const f = drive().Files!.get(id, { fields: 'id, trashed' }); // the default fields have no 'trashed'
    return f.trashed !== true;
  } catch {
    return false;
  }
}

/**
 * Makes a year folder's readers exactly `want` (besides its owner and the people it inherits): one
 * Permissions.list, then a create or remove for each difference.
 */
function shareYearFolder(folderId: string, want: readonly string[], self: string, label: string, warnings: string[]): void {
  try {
    const perms = drive().Permissions!.list(folderId).permissions ?? [];
    const direct = perms.filter((p) => p.role === 'reader' && p.emailAddress).map((p) => ({ id: p.id!, email: p.emailAddress!.toLowerCase() }));
    for (const e of want) {
      if (e === self || direct.some((p) => p.email === e)) continue;
      drive().Permissions!.create({ role: 'reader', type: 'user', emailAddress: e }, folderId, { sendNotificationEmail: false });
    }
    for (const p of direct) if (!want.includes(p.email)) drive().Permissions!.remove(folderId, p.id);
  } catch (err) {
    warnings.push(`The letters folder ${label} could not be shared with its Head of Year (${(err as Error).message}).`);
  }
}

/**
 * The root folder, shared as Settings → Staff says, the folder of each window given and of each of
 * its year groups (made when missing; a year folder's Heads of Year set at every run). Call under the
 * document lock. Returns the state and any sharing problem (in words).
 */
export function ensureLetterFolders(settings: Settings, windowYears: ReadonlyMap<string, ReadonlySet<string>>, me: string): { state: FilingState; warnings: string[] } {
  const state = readFiling();
  const warnings: string[] = [];
  let changed = false;
  if (!state.rootId || !folderExists(state.rootId)) {
    const root = drive().Files!.create({ name: `SOL Tracker letters – ${settings.schoolName}`, mimeType: FOLDER_MIME });
    Object.assign(state, empty(), { rootId: root.id! });
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
  for (const [w, years] of windowYears) {
    if (!state.terms[w] || !folderExists(state.terms[w])) {
      state.terms[w] = drive().Files!.create({ name: w, mimeType: FOLDER_MIME, parents: [state.rootId!] }).id!;
      for (const k of Object.keys(state.years)) if (k.startsWith(`${w}|`)) delete state.years[k];
      changed = true;
    }
    for (const y of years) {
      const key = `${w}|${y.trim()}`;
      if (!state.years[key] || !folderExists(state.years[key])) {
        state.years[key] = drive().Files!.create({ name: yearFolderName(y), mimeType: FOLDER_MIME, parents: [state.terms[w]] }).id!;
        changed = true;
      }
      // Heads of Year beyond the root's audience (an AO or AL who is also a HOY already sees everything)
      const hoys = headsOfYear(settings, y).filter((e) => !want.writers.includes(e) && !want.readers.includes(e));
      shareYearFolder(state.years[key], hoys, self, `${w} › ${yearFolderName(y)}`, warnings);
    }
  }
  if (changed) saveFiling(state);
  return { state, warnings };
}

/** The appProperties key on every letter copy: its letter reference (letterReference of the ledger key). */
export const LETTER_REF_PROPERTY = 'solLetter';

export interface RetentionResult {
  /** Copies moved to the trash, with the letter reference each carried (if any). */
  removed: Array<{ id: string; letterRef?: string }>;
  decision: RetentionDecision | null;
  /** In words, for the run's message; '' when nothing happened. */
  message: string;
}

/**
 * Files (not folders) made before the cut-off in `folderId` and its term and year folders. Only
 * folders made before the cut-off are opened: a newer folder holds only newer files. One Drive call
 * per folder per 200 files.
 */
function collectOldFiles(folderId: string, cutoffIso: string, depth: number, out: FiledCopy[]): void {
  let token: string | undefined;
  do {
    const page = drive().Files!.list({
      q: `'${folderId}' in parents and trashed = false and createdTime < '${cutoffIso}'`,
      pageSize: 200,
      fields: 'nextPageToken, files(id, mimeType, createdTime, owners(emailAddress), appProperties)',
      ...(token ? { pageToken: token } : {}),
    });
    for (const f of page.files ?? []) {
      if (f.mimeType === FOLDER_MIME) {
        if (depth < 2) collectOldFiles(f.id!, cutoffIso, depth + 1, out);
        continue;
      }
      out.push({ id: f.id!, createdTime: f.createdTime ?? '', owner: (f.owners?.[0]?.emailAddress ?? '').toLowerCase(), letterRef: f.appProperties?.[LETTER_REF_PROPERTY] });
    }
    token = page.nextPageToken ?? undefined;
  } while (token);
}

/**
 * The retention step (core/letters/retention.ts decides): walks the letters folder (see
 * collectOldFiles), and moves to the trash the copies older than Settings → Keep letter copies that this
 * user owns and no unsettled letter needs. Runs at the start of each letter run, OUTSIDE the
 * document lock (the list of what is still needed was read under it: a letter made after that is
 * new, so never old enough). Nothing happens when no period is set. Failures are reported, never thrown.
 */
export function applyRetention(settings: Settings, state: FilingState, now: Date, needed: { refs: ReadonlySet<string>; ids: ReadonlySet<string> }, me: string): RetentionResult {
  const months = settings.letterRetentionMonths;
  if (!months || months <= 0 || !state.rootId) return { removed: [], decision: null, message: '' };
  const cutoff = retentionCutoff(now, months);
  const files: FiledCopy[] = [];
  try {
    collectOldFiles(state.rootId, cutoff.toISOString(), 0, files);
  } catch (e) {
    return { removed: [], decision: null, message: `Old letter copies could not be listed for removal (${(e as Error).message}); they are looked at again at the next run.` };
  }
  const decision = decideRetention(files, needed, cutoff, me);
  const refOf = new Map(files.map((f) => [f.id, f.letterRef]));
  const removed: RetentionResult['removed'] = [];
  let failed = 0;
  for (const id of decision.remove) {
    try {
      drive().Files!.update({ trashed: true }, id);
      removed.push({ id, letterRef: refOf.get(id) });
    } catch {
      failed++;
    }
  }
  const parts: string[] = [];
  const copies = (n: number) => `${n} letter cop${n === 1 ? 'y' : 'ies'}`;
  if (removed.length > 0) parts.push(`${copies(removed.length)} older than ${months} month${months === 1 ? '' : 's'} moved to the Drive trash (Settings → Keep letter copies); their rows in the Letters Ledger say so.`);
  if (decision.keptNeeded > 0) parts.push(`${copies(decision.keptNeeded)} past that age kept: their letters are not settled yet (unknown outcome, failed, or in a print pack not yet printed).`);
  if (decision.keptOtherOwner > 0) parts.push(`${copies(decision.keptOtherOwner)} past that age were made by another sender and are removed when that person next sends letters.`);
  if (decision.deferred > 0 || failed > 0) parts.push(`${copies(decision.deferred + failed)} more are removed at the next run.`);
  return { removed, decision, message: parts.join(' ') };
}
