/**
 * The per-spreadsheet lease: which execution may do a long job (import, recalculation, weekly
 * report, a letter-sending call) on one school's spreadsheet. Pure: the record, who may take it,
 * and the sentence a person reads when someone else has it. The adapter (src/gas/lease.ts) stores
 * the record in the spreadsheet and does the check-and-set.
 *
 * A lease expires by itself, so an execution that was killed (the 6-minute limit, a crash) never
 * blocks the school for longer than LEASE_MS.
 */

/** The long jobs, in the words a person reads. */
export const LEASE_JOBS = {
  import: 'importing the register',
  recalculate: 'recalculating the tracker',
  weekly: 'building the weekly report',
  letters: 'sending letters',
  change: 'changing the tracker',
} as const;
export type LeaseJob = keyof typeof LEASE_JOBS;

/**
 * An execution runs at most 6 minutes ("Script runtime: 6 min / execution", quotas page
 * https://developers.google.com/apps-script/guides/services/quotas). A lease ends when its
 * execution's 6 minutes end (counted from when the execution started), so a run Google stopped
 * never blocks the next one.
 */
export const LEASE_MS = 6 * 60 * 1000;

/**
 * Jobs that may run side by side with themselves: letter-sending calls claim each letter in the
 * ledger under the document lock, so several may send at once; no other long job runs meanwhile.
 */
const SHARED_JOBS: ReadonlySet<LeaseJob> = new Set<LeaseJob>(['letters']);

export interface LeaseHolder {
  token: string;
  job: LeaseJob;
  /** Who started it (an email; '' when Apps Script does not say). */
  by: string;
  sinceMs: number;
  untilMs: number;
}

export interface LeaseRecord {
  holders: LeaseHolder[];
}

export const EMPTY_LEASE: LeaseRecord = { holders: [] };

function isHolder(h: unknown): h is LeaseHolder {
  if (!h || typeof h !== 'object') return false;
  const x = h as Record<string, unknown>;
  return typeof x.token === 'string' && typeof x.job === 'string' && x.job in LEASE_JOBS && typeof x.by === 'string'
    && typeof x.sinceMs === 'number' && typeof x.untilMs === 'number';
}

/** The stored text → a record. Only the add-on writes it; anything unreadable counts as no holder. */
export function parseLease(text: string | null): LeaseRecord {
  if (!text) return EMPTY_LEASE;
  try {
    const v = JSON.parse(text) as { holders?: unknown };
    return { holders: Array.isArray(v.holders) ? v.holders.filter(isHolder) : [] };
  } catch {
    return EMPTY_LEASE;
  }
}

/** Holders still within their time (a holder claiming more than LEASE_MS from now is not believed). */
export function liveHolders(record: LeaseRecord, nowMs: number): LeaseHolder[] {
  return record.holders.filter((h) => h.untilMs > nowMs && h.untilMs - nowMs <= LEASE_MS);
}

export type TakeResult = { ok: true; record: LeaseRecord } | { ok: false; holder: LeaseHolder };

/** Take the lease for `me` when nobody else holds it (expired holders are dropped). */
export function takeLease(record: LeaseRecord, me: LeaseHolder, nowMs: number): TakeResult {
  const live = liveHolders(record, nowMs).filter((h) => h.token !== me.token);
  const blocking = live.find((h) => !(h.job === me.job && SHARED_JOBS.has(me.job)));
  if (blocking) return { ok: false, holder: blocking };
  return { ok: true, record: { holders: [...live, me] } };
}

/** The record once `token` has finished (and expired holders are gone). */
export function releaseLease(record: LeaseRecord, token: string, nowMs: number): LeaseRecord {
  return { holders: liveHolders(record, nowMs).filter((h) => h.token !== token) };
}

function minutes(ms: number): string {
  const m = Math.max(1, Math.ceil(ms / 60000));
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/** What a person reads when another execution holds the lease: nothing was done, and until when. */
export function busyMessage(holder: LeaseHolder, wanted: LeaseJob, nowMs: number): string {
  const who = holder.by ? ` (started by ${holder.by} ${minutes(nowMs - holder.sinceMs)} ago)` : '';
  return `SOL Tracker is already ${LEASE_JOBS[holder.job]} for this spreadsheet${who}, so ${LEASE_JOBS[wanted]} did not start and nothing was changed. Try again when it has finished — at the latest in ${minutes(holder.untilMs - nowMs)}.`;
}
