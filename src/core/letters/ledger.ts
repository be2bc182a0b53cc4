/**
 * The letter ledger: exactly-once sending, kept in a sheet ("Letters Ledger").
 *
 * One entry per (student, letter, window, recipient): `${studentId}|${letterId}|${windowKey}|${recipient}`
 * — several parents/carers of one student each get their own letter, and re-planning the same
 * window never adds a second entry. Status machine (every other move throws):
 *
 *   planned ──markSending──▶ sending ──markSent──▶ sent
 *      ▲  │                     │  └──markFailed──▶ failed ──markSending (attempts < 3)──▶ sending
 *      │  │                     ├──releaseClaim (its execution failed before sending began)──▶ planned/failed
 *      │  └─skip─▶ skipped      └──recoverAbandoned (its execution died mid-send)──▶ unknown
 *      └──────────── resolveUnknown 'resend' ◀── unknown ── resolveUnknown 'markSent' ──▶ sent
 *
 * A posted letter goes 'sending' ──markToPrint──▶ toPrint (its page is in the print pack)
 * ──markPrinted──▶ sent: it is a letter only once someone has printed the pack for the post
 * (issue 10). 'skipped' with an "Excluded: " reason is a letter left out by the Attendance Lead.
 *
 * A 'sending' entry whose execution cannot be running any more (CLAIM_LIFETIME_MS after it started)
 * may or may not have gone out: it becomes 'unknown' and is never re-sent automatically; a person
 * checks the sender's Sent folder and decides.
 * All functions are pure and return new arrays; entries are never mutated.
 */

import { languageCellName, letterCellName, letterIdOfName } from '../format';
import { normaliseLanguage } from '../language';

export type LedgerStatus = 'planned' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped' | 'toPrint';
export const LEDGER_STATUSES: readonly LedgerStatus[] = ['planned', 'sending', 'sent', 'failed', 'unknown', 'skipped', 'toPrint'];

/** A failed letter is retried automatically until it has been attempted this many times. */
export const MAX_ATTEMPTS = 3;

/** Recipient of a letter that goes in the print pack instead of an email. */
export const POST = 'post';

export interface LedgerEntry {
  key: string;
  studentId: string;
  letterId: string;
  windowKey: string;
  /** Email address (lower case) or 'post'. */
  recipient: string;
  status: LedgerStatus;
  attempts: number;
  /** ISO timestamp of the last change (the clock is passed in). */
  updatedAt: string;
  runId: string;
  recipientName?: string;
  /** Language of the template to use (after fallback). */
  language?: string;
  step?: number;
  documentUrl?: string;
  error?: string;
  /** Why it was skipped (the Attendance Lead's reason) or who resolved an unknown send. */
  reason?: string;
  /**
   * The account whose execution sent (or was sending) it: MailApp sends from that account, so its
   * mailbox is where to look when the outcome is unknown.
   */
  sender?: string;
}

/**
 * The recipient part of a key: the email (lower case), or `post:<name>` for a posted letter so two
 * parents without email still get one letter each.
 */
export function recipientKeyPart(recipient: string, recipientName = ''): string {
  if (recipient === POST) return `post:${recipientName.trim().toLowerCase() || 'parent'}`;
  return recipient.trim().toLowerCase();
}

export function ledgerKey(studentId: string, letterId: string, windowKey: string, recipientPart: string): string {
  return `${studentId}|${letterId}|${windowKey}|${recipientPart}`;
}

// ── sheet rows ────────────────────────────────────────────────────────────────────────────

export const LEDGER_HEADER = [
  'Key', 'Student ID', 'Letter', 'Window', 'Recipient', 'Recipient name', 'Language', 'Step',
  'Status', 'Attempts', 'Updated at', 'Run', 'Document URL', 'Error', 'Reason', 'Sent by',
] as const;

type Cell = string | number | Date;

/**
 * 'Updated at' goes in as a date-time cell, not ISO text: the sheet shows it in the spreadsheet's
 * own locale and time zone ('28/11/2025 12:00:43' for a UK school; semantics S4.4), and it reads
 * back as a Date (cellText → the same ISO instant). Anything else stays text.
 */
function instantCell(s: string | undefined): Cell {
  if (s && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return textCell(s);
}

/**
 * Text cells are written with a leading apostrophe: with USER_ENTERED parsing (semantics S4.6)
 * that stores exactly the text — student ID '00123' stays '00123', a timestamp stays a string,
 * '=…' never becomes a formula — and the apostrophe is not part of the stored value.
 */
function textCell(s: string | undefined): string {
  if (s === undefined || s === '') return '';
  // A text that itself starts with an apostrophe would lose it in the sheet; use the typographic one.
  return `'${s.replace(/^'/, '\u2019')}`;
}

/**
 * The Status column in words people read (the sidebar's labels); read back to the state names, and
 * the state names a ledger written before this version holds are read too.
 */
export const LEDGER_STATUS_CELL: Readonly<Record<LedgerStatus, string>> = {
  planned: 'Planned',
  sending: 'Being sent',
  sent: 'Sent',
  failed: 'Not sent (failed)',
  unknown: 'Needs a decision',
  skipped: 'Left out',
  toPrint: 'In the print pack',
};

/** A Status cell (words, or an older ledger's state name) as the ledger status; null when neither. */
export function ledgerStatusOfCell(text: string): LedgerStatus | null {
  const t = String(text ?? '').trim();
  if ((LEDGER_STATUSES as readonly string[]).includes(t)) return t as LedgerStatus;
  const lower = t.toLowerCase();
  const hit = LEDGER_STATUSES.find((s) => LEDGER_STATUS_CELL[s].toLowerCase() === lower || s.toLowerCase() === lower);
  return hit ?? null;
}

/** The ledger as sheet values, header row first. */
export function toLedgerRows(entries: readonly LedgerEntry[]): Cell[][] {
  const rows: Cell[][] = [[...LEDGER_HEADER]];
  for (const e of entries) {
    rows.push([
      textCell(e.key), textCell(e.studentId), textCell(letterCellName(e.letterId)), textCell(e.windowKey), textCell(e.recipient),
      textCell(e.recipientName), textCell(e.language ? languageCellName(e.language) : ''), e.step ?? '',
      LEDGER_STATUS_CELL[e.status], e.attempts, instantCell(e.updatedAt), textCell(e.runId), textCell(e.documentUrl),
      textCell(e.error), textCell(e.reason), textCell(e.sender),
    ]);
  }
  return rows;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  // The text marker written by toLedgerRows (present when the rows did not go through a sheet).
  return s.startsWith("'") ? s.slice(1) : s;
}

/**
 * The ledger read back from sheet values (header row included; columns found by header name).
 * Throws naming the sheet row (1-based, as the user sees it) and the column of the first bad cell.
 */
export function fromLedgerRows(values: readonly (readonly unknown[])[]): LedgerEntry[] {
  if (values.length === 0) return [];
  const header = values[0].map((h) => cellText(h).trim());
  const col: Record<string, number> = {};
  for (const name of LEDGER_HEADER) {
    const i = header.indexOf(name);
    if (i < 0 && name !== 'Document URL' && name !== 'Error' && name !== 'Reason' && name !== 'Recipient name' && name !== 'Language' && name !== 'Step' && name !== 'Sent by') {
      throw new Error(`Letters ledger: row 1 has no "${name}" column (found: ${header.filter(Boolean).join(', ') || 'nothing'}).`);
    }
    col[name] = i;
  }
  const out: LedgerEntry[] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r < values.length; r++) {
    const row = values[r];
    const get = (name: string) => (col[name] >= 0 ? cellText(row[col[name]]).trim() : '');
    if (row.every((c) => cellText(c).trim() === '')) continue;
    const where = `Letters ledger row ${r + 1}`;
    const key = get('Key');
    if (!key) throw new Error(`${where}: the Key cell is empty.`);
    if (seen.has(key)) throw new Error(`${where}: key "${key}" already appears in row ${seen.get(key)}.`);
    seen.set(key, r + 1);
    const status = ledgerStatusOfCell(get('Status'));
    if (status === null) {
      throw new Error(`${where}: Status "${get('Status')}" is not one of ${LEDGER_STATUSES.map((x) => LEDGER_STATUS_CELL[x]).join(', ')}.`);
    }
    const attemptsText = get('Attempts') || '0';
    const attempts = Number(attemptsText);
    if (!Number.isInteger(attempts) || attempts < 0) throw new Error(`${where}: Attempts "${attemptsText}" is not a whole number.`);
    const stepText = get('Step');
    const step = stepText === '' ? undefined : Number(stepText);
    if (step !== undefined && !Number.isInteger(step)) throw new Error(`${where}: Step "${stepText}" is not a whole number.`);
    const recipient = get('Recipient');
    if (!recipient) throw new Error(`${where}: the Recipient cell is empty (an email address or "post").`);
    const e: LedgerEntry = {
      key,
      studentId: get('Student ID'),
      letterId: letterIdOfName(get('Letter')) ?? get('Letter'),
      windowKey: get('Window'),
      recipient,
      status,
      attempts,
      updatedAt: get('Updated at'),
      runId: get('Run'),
    };
    // The Letter and Language columns are words people read ('Letter 3', 'Spanish'), read back to ids.
    const languageText = get('Language');
    const language = languageText === '' || /^[a-z]{2}(-[A-Z]{2})?$/.test(languageText) ? languageText : normaliseLanguage(languageText);
    const opt = { recipientName: get('Recipient name'), language, documentUrl: get('Document URL'), error: get('Error'), reason: get('Reason'), sender: get('Sent by') };
    for (const [k, v] of Object.entries(opt)) if (v !== '') (e as unknown as Record<string, unknown>)[k] = v;
    if (step !== undefined) e.step = step;
    out.push(e);
  }
  return out;
}

// ── transitions ───────────────────────────────────────────────────────────────────────────

function update(
  entries: readonly LedgerEntry[],
  key: string,
  allowed: readonly LedgerStatus[],
  to: LedgerStatus,
  change: (e: LedgerEntry) => Partial<LedgerEntry>,
): LedgerEntry[] {
  const i = entries.findIndex((e) => e.key === key);
  if (i < 0) throw new Error(`Letters ledger: no entry with key "${key}".`);
  const e = entries[i];
  if (!allowed.includes(e.status)) {
    throw new Error(`Letters ledger: cannot move "${key}" from ${e.status} to ${to} (allowed from: ${allowed.join(', ')}).`);
  }
  const next = entries.slice();
  next[i] = { ...e, ...change(e), status: to };
  return next;
}

/** Where to look for a letter whose send outcome is unknown: the sending account's Sent folder. */
export function sentFolderOf(e: Pick<LedgerEntry, 'sender'>): string {
  return e.sender
    ? `Check the Sent folder of ${e.sender}'s mailbox (MailApp sends from the account that ran the send) before deciding.`
    : 'Check the Sent folder of the mailbox of whoever started that send before deciding (the ledger did not record the sender).';
}

/** Whether an entry may be picked for sending now. */
export function isSendable(e: LedgerEntry): boolean {
  return e.status === 'planned' || (e.status === 'failed' && e.attempts < MAX_ATTEMPTS);
}

/**
 * The next letters to send, in ledger order: planned and retryable failed entries, at most
 * `maxLetters`, with email letters limited to `quotaRemaining` recipients (a posted letter costs none).
 */
export function nextBatch(entries: readonly LedgerEntry[], limits: { quotaRemaining: number; maxLetters: number }): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  let quota = Math.max(0, Math.floor(limits.quotaRemaining));
  for (const e of entries) {
    if (out.length >= limits.maxLetters) break;
    if (!isSendable(e)) continue;
    if (e.recipient !== POST) {
      if (quota <= 0) continue;
      quota--;
    }
    out.push(e);
  }
  return out;
}

export function markSending(entries: readonly LedgerEntry[], key: string, runId: string, now: string, sender?: string): LedgerEntry[] {
  const e = entries.find((x) => x.key === key);
  if (e && e.status === 'failed' && e.attempts >= MAX_ATTEMPTS) {
    throw new Error(`Letters ledger: "${key}" already failed ${e.attempts} times; resolve it by hand (skip it or fix the address and re-plan).`);
  }
  return update(entries, key, ['planned', 'failed'], 'sending', (x) => ({ attempts: x.attempts + 1, runId, updatedAt: now, error: undefined, ...(sender ? { sender } : {}) }));
}

/**
 * Gives back a claim whose sending never started (the execution that claimed it failed under the
 * lock, before anything left): the entry returns to what it was before the claim.
 */
export function releaseClaim(entries: readonly LedgerEntry[], key: string, before: LedgerEntry, now: string): LedgerEntry[] {
  return update(entries, key, ['sending'], before.status, () => ({ attempts: before.attempts, runId: before.runId, error: before.error, updatedAt: now }));
}

export function markSent(entries: readonly LedgerEntry[], key: string, now: string, documentUrl?: string): LedgerEntry[] {
  return update(entries, key, ['sending'], 'sent', (x) => ({ updatedAt: now, documentUrl: documentUrl ?? x.documentUrl, error: undefined }));
}

/** A posted letter's page is in the print pack (documentUrl): waiting to be printed, not yet sent. */
export function markToPrint(entries: readonly LedgerEntry[], key: string, now: string, packUrl: string): LedgerEntry[] {
  return update(entries, key, ['sending'], 'toPrint', () => ({ updatedAt: now, documentUrl: packUrl, error: undefined }));
}

/** Someone printed the pack: every letter of it waiting to be printed becomes sent. Returns the keys moved. */
export function markPackPrinted(entries: readonly LedgerEntry[], packUrl: string, by: string, now: string): { entries: LedgerEntry[]; printed: string[] } {
  const printed: string[] = [];
  const next = entries.map((e) => {
    if (e.status !== 'toPrint' || e.documentUrl !== packUrl) return e;
    printed.push(e.key);
    return { ...e, status: 'sent' as const, updatedAt: now, reason: `Printed for post (marked by ${by})` };
  });
  return { entries: next, printed };
}

export function markFailed(entries: readonly LedgerEntry[], key: string, error: string, now: string): LedgerEntry[] {
  return update(entries, key, ['sending'], 'failed', () => ({ updatedAt: now, error }));
}

/** The Attendance Lead decides not to send (e.g. the absences were illness): kept with the reason. */
export function skipEntry(entries: readonly LedgerEntry[], key: string, reason: string, by: string, now: string): LedgerEntry[] {
  if (!reason.trim()) throw new Error(`Letters ledger: skipping "${key}" needs a reason.`);
  return update(entries, key, ['planned', 'failed', 'unknown'], 'skipped', () => ({ updatedAt: now, reason: `${reason.trim()} (${by})` }));
}

/** A person's decision about a letter whose send was interrupted. */
export function resolveUnknown(
  entries: readonly LedgerEntry[],
  key: string,
  decision: 'markSent' | 'resend',
  by: string,
  now: string,
): LedgerEntry[] {
  if (decision === 'markSent') {
    return update(entries, key, ['unknown'], 'sent', () => ({ updatedAt: now, reason: `Marked sent by ${by}`, error: undefined }));
  }
  if (decision === 'resend') {
    return update(entries, key, ['unknown'], 'planned', () => ({ updatedAt: now, reason: `Resend chosen by ${by}`, error: undefined }));
  }
  throw new Error(`Letters ledger: unknown decision "${String(decision)}" (markSent or resend).`);
}

/** What mergePlan needs of a planned letter (PlannedLetter fits). */
export interface PlanItemForLedger {
  key: string;
  studentId: string;
  letterId: string;
  windowKey: string;
  recipient: string;
  recipientName?: string;
  language?: string;
  step?: number;
  excluded?: string;
}

/**
 * Add a plan to the ledger. An existing key is never duplicated and never reset (a 'sent' letter
 * stays sent, a 'failed' one keeps its attempts); a newly excluded planned/failed entry becomes
 * 'skipped' with the exclusion reason. New items are 'planned' (or 'skipped' if excluded).
 */
export function mergePlan(
  existing: readonly LedgerEntry[],
  planned: readonly PlanItemForLedger[],
  now: string,
  runId = '',
): { entries: LedgerEntry[]; added: LedgerEntry[]; alreadyInLedger: string[] } {
  const entries = existing.slice();
  const index = new Map(entries.map((e, i) => [e.key, i]));
  const added: LedgerEntry[] = [];
  const alreadyInLedger: string[] = [];
  for (const p of planned) {
    const at = index.get(p.key);
    if (at !== undefined) {
      alreadyInLedger.push(p.key);
      const e = entries[at];
      if (p.excluded && (e.status === 'planned' || e.status === 'failed')) {
        entries[at] = { ...e, status: 'skipped', updatedAt: now, reason: `Excluded: ${p.excluded}` };
      }
      continue;
    }
    const e: LedgerEntry = {
      key: p.key,
      studentId: p.studentId,
      letterId: p.letterId,
      windowKey: p.windowKey,
      recipient: p.recipient,
      status: p.excluded ? 'skipped' : 'planned',
      attempts: 0,
      updatedAt: now,
      runId,
    };
    if (p.recipientName) e.recipientName = p.recipientName;
    if (p.language) e.language = p.language;
    if (p.step !== undefined) e.step = p.step;
    if (p.excluded) e.reason = `Excluded: ${p.excluded}`;
    index.set(p.key, entries.length);
    entries.push(e);
    added.push(e);
  }
  return { entries, added, alreadyInLedger };
}

/**
 * How long a letter may stay 'sending' before it is known to be abandoned: an execution ends at
 * the latest 6 minutes after it starts (Apps Script's limit), and a 'sending' entry's Updated at
 * is the start of the execution that claimed it — so after this much time nobody is sending it.
 */
export const CLAIM_LIFETIME_MS = 6 * 60 * 1000 + 30 * 1000;

/** A 'sending' entry whose execution cannot be running any more. */
export function isAbandoned(e: LedgerEntry, nowMs: number): boolean {
  if (e.status !== 'sending') return false;
  const claimed = Date.parse(e.updatedAt);
  return Number.isNaN(claimed) || nowMs - claimed >= CLAIM_LIFETIME_MS;
}

/**
 * Every 'sending' entry whose execution cannot be running any more becomes 'unknown' (it may or may
 * not have gone) and is returned in `recovered`, for a person to decide — never re-sent by itself.
 * Letters other executions are sending right now (several run in parallel, and two people may send
 * at once) are left alone.
 */
export function recoverAbandoned(entries: readonly LedgerEntry[], by: string, now: string): { entries: LedgerEntry[]; recovered: LedgerEntry[] } {
  const nowMs = Date.parse(now);
  const recovered: LedgerEntry[] = [];
  const next = entries.map((e) => {
    if (!isAbandoned(e, nowMs)) return e;
    const u: LedgerEntry = { ...e, status: 'unknown', updatedAt: now, error: `Sending stopped part-way (run ${e.runId || '?'}); found by ${by}. ${sentFolderOf(e)}` };
    recovered.push(u);
    return u;
  });
  return { entries: next, recovered };
}
