/**
 * Mutual exclusion per spreadsheet — never the shared script lock for the work.
 *
 * - The DOCUMENT lock guards every mutation (DESIGN.md §5): "A code section guarded by a document
 *   lock can be executed simultaneously by script instances running in the context of different
 *   documents, but by no more than one execution for any given document"; getDocumentLock() "returns
 *   null" outside a containing document (https://developers.google.com/apps-script/reference/lock/lock-service#getDocumentLock()).
 * - The SCRIPT lock "prevents any user from concurrently running a section of code"
 *   (…/lock-service#getScriptLock()): for a published add-on that is every school that installed
 *   it. A time-driven trigger may run without its document (whether an add-on's does is not
 *   documented: engineering §1.4; the emulator runs both ways), so the old fallback — the script
 *   lock for the whole job — made one school's weekly report wait for another's, and time out.
 * - So long jobs take a LEASE on their spreadsheet (core/lease.ts): a small record stored IN the
 *   spreadsheet as developer metadata with PROJECT visibility ("only visible to and accessible by
 *   the developer project that created the metadata",
 *   https://developers.google.com/apps-script/reference/spreadsheet/developer-metadata-visibility),
 *   which every execution that can open the file reads — with or without the document, whoever runs
 *   it — and nobody edits from the grid. Taking or giving back the lease is a check-and-set that
 *   holds the script lock only for the few calls of the check-and-set itself; the job then runs
 *   under the lease (and the document lock when there is one). A lease expires by itself
 *   (LEASE_MS), so a killed execution never blocks the school for long. When the lease cannot be
 *   read or written, the job does not start (nothing is sent on a state we cannot read).
 */
import { busyMessage, LEASE_MS, parseLease, releaseLease, takeLease, type LeaseHolder, type LeaseJob, type LeaseRecord } from '../core/lease';

import { fileRecordEntry, writeFileRecord } from './fileRecord';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Developer metadata key of the lease record. */
export const LEASE_KEY = 'sol.lease';
/** How long a check-and-set may wait for the script lock (others hold it for milliseconds only). */
const CHECK_AND_SET_WAIT_MS = 10000;

/**
 * When this execution started: top-level code runs at the start of every execution (semantics V1.4),
 * so this is within milliseconds of it. The lease ends when the execution's 6 minutes do.
 */
const EXECUTION_STARTED_MS = Date.now();

/** The spreadsheet whose lease this execution holds, so nested long jobs do not take it twice. */
let held: Spreadsheet | null = null;
/** The script lock object, asked for once per execution. */
let scriptLock: GoogleAppsScript.Lock.Lock | null = null;

export class LeaseBusyError extends Error {}

function documentLock(): GoogleAppsScript.Lock.Lock | null {
  try {
    return LockService.getDocumentLock();
  } catch {
    return null;
  }
}

/**
 * Runs fn under the document lock (semantics L1.2 on time-out). Without a document — a trigger that
 * has none — the spreadsheet's lease stands in, never the script lock.
 */
export function withDocumentLock<T>(fn: () => T, timeoutMs = 20000, ss?: Spreadsheet): T {
  const lock = documentLock();
  if (!lock) {
    if (!ss) throw new Error('SOL Tracker was run without its spreadsheet, so it did not change anything. Open the spreadsheet and try again.');
    return withSpreadsheetLease(ss, 'change', fn);
  }
  lock.waitLock(timeoutMs); // throws "Lock timeout: another process was holding the lock for too long." (semantics L1.2)
  try {
    return fn();
  } finally {
    lock.releaseLock();
  }
}

/**
 * The check-and-set: the script lock is held only while the lease record is read and written (a
 * handful of calls), then released. `change` returns the new record, or throws to leave it as it was.
 */
function checkAndSet(ss: Spreadsheet, change: (record: LeaseRecord) => LeaseRecord): void {
  const lock = (scriptLock ??= LockService.getScriptLock());
  if (!lock.tryLock(CHECK_AND_SET_WAIT_MS)) {
    throw new LeaseBusyError('SOL Tracker could not check whether another run is working on this spreadsheet (Google was busy), so nothing was started or changed. Try again in a minute.');
  }
  try {
    const entry = fileRecordEntry(ss, LEASE_KEY);
    writeFileRecord(ss, LEASE_KEY, JSON.stringify(change(parseLease(entry ? entry.getValue() : null))), entry);
  } finally {
    try {
      lock.releaseLock();
    } catch {
      // Released when the execution ends anyway ("locks are auto-released when the script terminates", L1.2).
    }
  }
}

function whoRuns(): string {
  try {
    return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail() || '';
  } catch {
    return '';
  }
}

/** A token no other execution has (no service call: the time, and randomness). */
function newToken(now: number): string {
  return `${now.toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * Runs a long job on `ss` under its lease: refused (LeaseBusyError, in words) when another live
 * execution holds it; under the document lock as well when there is a document.
 */
export function withSpreadsheetLease<T>(ss: Spreadsheet, job: LeaseJob, fn: () => T, opts: { by?: string; lockTimeoutMs?: number } = {}): T {
  if (held === ss) return fn(); // already ours in this execution
  const now = Date.now();
  const untilMs = Math.max(EXECUTION_STARTED_MS + LEASE_MS, now + 1000);
  const me: LeaseHolder = { token: newToken(now), job, by: opts.by ?? whoRuns(), sinceMs: now, untilMs };
  try {
    checkAndSet(ss, (record) => {
      const taken = takeLease(record, me, now);
      if (!taken.ok) throw new LeaseBusyError(busyMessage(taken.holder, job, now));
      return taken.record;
    });
  } catch (err) {
    // Google failed part-way: the lease may have been written. Give it back, so the person's retry
    // is not refused by a lease of a job that never started.
    if (!(err instanceof LeaseBusyError)) {
      try {
        checkAndSet(ss, (record) => releaseLease(record, me.token, Date.now()));
      } catch {
        /* it ends with this execution's 6 minutes */
      }
    }
    throw err;
  }
  held = ss;
  try {
    const lock = documentLock();
    if (!lock) return fn();
    lock.waitLock(opts.lockTimeoutMs ?? 20000);
    try {
      return fn();
    } finally {
      lock.releaseLock();
    }
  } finally {
    held = null;
    try {
      checkAndSet(ss, (record) => releaseLease(record, me.token, Date.now()));
    } catch {
      // Not given back (Google busy, or the run is being stopped): it expires by itself (LEASE_MS).
    }
  }
}
