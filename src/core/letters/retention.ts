/**
 * Retention of filed letter copies (issue 14 point 2; seed 000 §4: "Dispose of old records according
 * to data retention and destruction protocols"). Pure: the adapter (gas/letters/filing.ts) lists the
 * files and trashes what this decides.
 *
 * A copy is removed when ALL of these hold:
 *  - it was made before the cut-off (now minus the retention setting, in calendar months);
 *  - this user owns it ("Only the file owner can trash a file",
 *    https://developers.google.com/workspace/drive/api/guides/delete; a copy made by another sender
 *    waits until that person's next run);
 *  - no letter still needs it: a letter whose outcome is not settled — planned again, being sent,
 *    failed and to be retried, of unknown outcome (a person may need to look at what went), or in a
 *    print pack not yet printed — keeps its own copy (found by the letter reference the add-on
 *    writes on each copy) and the document its ledger row links to (the print pack).
 * Sent and left-out letters are settled: their copy goes once it is old enough; the ledger row and
 * the Interventions Log row stay (the record that a letter was sent), noted as removed.
 */
import type { LedgerEntry, LedgerStatus } from './ledger';

/** Letters whose copy is still needed, whatever its age. */
export const OPEN_STATUSES: readonly LedgerStatus[] = ['planned', 'sending', 'failed', 'unknown', 'toPrint'];

/** Most copies trashed by one run (the rest go at the next): each is one Drive call. */
export const MAX_REMOVED_PER_RUN = 150;

export interface FiledCopy {
  id: string;
  /** RFC 3339 creation time (Drive's createdTime). */
  createdTime: string;
  /** Owner's email, lower case. */
  owner: string;
  /** The letter reference written on the copy (appProperties.solLetter), if any. */
  letterRef?: string;
}

export interface RetentionDecision {
  /** Ids to move to the trash now (oldest first, at most `max`). */
  remove: string[];
  /** Old enough but still needed by a letter whose outcome is not settled. */
  keptNeeded: number;
  /** Old enough but owned by someone else (removed at that person's next run). */
  keptOtherOwner: number;
  /** Old enough and removable, left for the next run (over the per-run cap). */
  deferred: number;
}

/** The cut-off: `months` calendar months before `now` (UTC; the 31st falls back to the month's last day). */
export function retentionCutoff(now: Date, months: number): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const target = new Date(Date.UTC(y, m, 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return target;
}

/** The document id in a Docs/Drive link, or null. */
export function documentIdOf(url: string | undefined): string | null {
  const m = /\/d\/([A-Za-z0-9_-]+)/.exec(url ?? '');
  return m ? m[1] : null;
}

/** What the letters still need: references of unsettled letters and the documents their rows link to. */
export function stillNeeded(entries: readonly LedgerEntry[], referenceOf: (key: string) => string): { refs: Set<string>; ids: Set<string> } {
  const refs = new Set<string>();
  const ids = new Set<string>();
  for (const e of entries) {
    if (!OPEN_STATUSES.includes(e.status)) continue;
    refs.add(referenceOf(e.key));
    const id = documentIdOf(e.documentUrl);
    if (id) ids.add(id);
  }
  return { refs, ids };
}

export function decideRetention(
  files: readonly FiledCopy[],
  needed: { refs: ReadonlySet<string>; ids: ReadonlySet<string> },
  cutoff: Date,
  me: string,
  max = MAX_REMOVED_PER_RUN,
): RetentionDecision {
  const cut = cutoff.getTime();
  const self = me.trim().toLowerCase();
  const old = files
    .filter((f) => {
      const t = Date.parse(f.createdTime);
      return Number.isFinite(t) && t < cut;
    })
    .sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime) || a.id.localeCompare(b.id));
  const decision: RetentionDecision = { remove: [], keptNeeded: 0, keptOtherOwner: 0, deferred: 0 };
  for (const f of old) {
    if (needed.ids.has(f.id) || (f.letterRef !== undefined && needed.refs.has(f.letterRef))) decision.keptNeeded++;
    else if (f.owner.trim().toLowerCase() !== self) decision.keptOtherOwner++;
    else if (decision.remove.length >= max) decision.deferred++;
    else decision.remove.push(f.id);
  }
  return decision;
}
