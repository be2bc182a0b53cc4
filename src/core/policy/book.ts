/**
 * The school's policy book: the policy in force (with its code table) and every version before it
 * — who saved it, when, from which date it applies and what changed, in words (issue 15).
 *
 * Changes apply from their date; nothing already done is re-judged:
 *  - log records keep their step numbers as written; when a change inserts, removes or moves steps,
 *    the version records how the old numbers map to the new ones, so a pupil's past steps are
 *    counted as the same steps (a removed step counts as the step before it — never higher);
 *  - a step entered before a change keeps the review period and contact deadline in force when it
 *    was entered (its review date does not move);
 *  - the Interventions Log and the Letters Ledger are never rewritten.
 * Pure: dates and who saved are passed in.
 */
import type { CodeTable, InterventionRecord, IsoDate } from '../types';
import type { SchoolPolicy } from './file';
import type { Policy, Step } from './schema';
import { describeCondition, unitOf } from './words';

/** What is kept of each step of every version: enough to keep past steps as they were. */
export interface PastStep {
  label: string;
  reviewSchoolDays: number;
  contactWithinSchoolDays?: number;
}

export interface PolicyVersion {
  /** 0 = the preset in force before the school's first saved change. */
  version: number;
  /** The school date from which this version is in force. */
  effectiveFrom: IsoDate;
  /** When it was saved (ISO timestamp; shown to staff as a date and time in the school's zone). */
  savedAt: string;
  savedBy: string;
  /** What changed from the version before, in words. */
  changes: string[];
  policyId: string;
  label: string;
  steps: PastStep[];
  /**
   * Previous version's step number → this version's (as text keys: JSON). Absent when the steps
   * kept their numbers. A removed step maps to the kept step before it (0: none).
   */
  renumbered?: Record<string, number>;
  /** Steps of the previous version this one removed (their records count as the step before). */
  removedSteps?: number[];
  /** The request key of the save that made it (pressing Save again finishes that save). */
  requestKey?: string;
}

export interface PolicyBook extends SchoolPolicy {
  /** Oldest first; the last is the version in force. */
  versions: PolicyVersion[];
}

/** Past versions kept in the add-on's storage (the Policy History tab keeps every one). */
export const MAX_VERSIONS = 60;

function pastSteps(policy: Policy): PastStep[] {
  return policy.steps.map((s) => {
    const past: PastStep = { label: s.label, reviewSchoolDays: s.reviewSchoolDays };
    if (s.contactWithinSchoolDays !== undefined) past.contactWithinSchoolDays = s.contactWithinSchoolDays;
    return past;
  });
}

/**
 * For each new step, the number of the step it came from in the previous version (null: added).
 * Checked: in range, each old step used once. Returns the old → new map, or null when unchanged.
 */
export function renumbering(previousCount: number, origins: readonly (number | null)[]): { map: Record<string, number>; removed: number[] } | null {
  const map: Record<string, number> = {};
  const used = new Set<number>();
  origins.forEach((origin, i) => {
    if (origin === null) return;
    if (!Number.isInteger(origin) || origin < 1 || origin > previousCount || used.has(origin)) {
      throw new Error(`Step ${i + 1}: it says it came from step ${String(origin)}, which is not a step of the policy in force (1 to ${previousCount}) or is claimed twice.`);
    }
    used.add(origin);
    map[String(origin)] = i + 1;
  });
  const removed: number[] = [];
  for (let old = 1; old <= previousCount; old++) {
    if (map[String(old)] !== undefined) continue;
    removed.push(old);
    // Removed: the highest new step that came from an earlier old step (never promote a pupil).
    let to = 0;
    origins.forEach((origin, i) => {
      if (origin !== null && origin < old) to = Math.max(to, i + 1);
    });
    map[String(old)] = to;
  }
  const identity = origins.length === previousCount && origins.every((o, i) => o === i + 1);
  return identity ? null : { map, removed };
}

/** The version in force on a date (the first one for dates before it). */
export function versionOn(book: Pick<PolicyBook, 'versions'>, date: IsoDate): number {
  let index = 0;
  book.versions.forEach((v, i) => {
    if (v.effectiveFrom <= date) index = i;
  });
  return index;
}

/** A step number written under version `from` → the number of the same step in the latest version. */
function forward(book: Pick<PolicyBook, 'versions'>, from: number, step: number): number {
  let n = step;
  for (let i = from + 1; i < book.versions.length && n > 0; i++) {
    const map = book.versions[i]!.renumbered;
    if (map) n = map[String(n)] ?? n;
  }
  return n;
}

/**
 * The log's records with their steps in today's numbering (each by the version in force on its
 * date). The same array when no version renumbered steps.
 */
export function historyInCurrentSteps(book: Pick<PolicyBook, 'versions'> | null | undefined, history: InterventionRecord[]): InterventionRecord[] {
  if (!book || !book.versions.some((v) => v.renumbered)) return history;
  return history.map((r) => {
    const step = forward(book, versionOn(book, r.date), r.step);
    return step === r.step ? r : { ...r, step };
  });
}

/**
 * The steps as they were on a date, indexed by today's step number minus one: what a step entered
 * on that date keeps (its review period and contact deadline). Undefined entries: a step added
 * since, which follows today's policy.
 */
export function stepsOnDate(book: Pick<PolicyBook, 'versions'>, date: IsoDate): (PastStep | undefined)[] {
  const v = versionOn(book, date);
  const out: (PastStep | undefined)[] = [];
  book.versions[v]!.steps.forEach((step, i) => {
    const now = forward(book, v, i + 1);
    if (now > 0 && out[now - 1] === undefined && (v === book.versions.length - 1 || forwardExact(book, v, i + 1))) out[now - 1] = step;
  });
  return out;
}

/** True when the step was never removed by a later version (a removed step does not keep its own period). */
function forwardExact(book: Pick<PolicyBook, 'versions'>, from: number, step: number): boolean {
  let n = step;
  for (let i = from + 1; i < book.versions.length; i++) {
    const next = book.versions[i]!;
    if (next.removedSteps?.includes(n)) return false;
    if (next.renumbered) n = next.renumbered[String(n)] ?? n;
  }
  return true;
}

/** A function for the evaluation: the steps as in force on a date, in today's numbering. */
export function stepsOnFor(book: PolicyBook | null | undefined): ((date: IsoDate) => readonly (PastStep | undefined)[]) | undefined {
  if (!book || book.versions.length < 2) return undefined;
  const cache = new Map<number, (PastStep | undefined)[]>();
  return (date) => {
    const v = versionOn(book, date);
    let steps = cache.get(v);
    if (!steps) {
      steps = stepsOnDate(book, date);
      cache.set(v, steps);
    }
    return steps;
  };
}

// ---------------------------------------------------------------------------------------------
// What changed, in words

const stepTitle = (s: Step) => `Step ${s.number} "${s.label.replace(/^step\s+\d+\s*[–-]\s*/i, '')}"`;
const actionsText = (s: Step) => s.actions.map((a) => (a.kind === 'letter' ? `${a.description} (letter ${a.letterId})` : a.description)).join('; ');

/** Every difference between two policies (and their code tables), one sentence each. */
export function describeChanges(before: SchoolPolicy, after: SchoolPolicy, origins?: readonly (number | null)[]): string[] {
  const out: string[] = [];
  const a = before.policy;
  const b = after.policy;
  const unit = unitOf(b.sessionsPerDay);
  if (a.label !== b.label) out.push(`Policy name: "${a.label}" → "${b.label}".`);
  if (a.sessionsPerDay !== b.sessionsPerDay) out.push(`Sessions per day: ${a.sessionsPerDay} → ${b.sessionsPerDay}.`);
  if (a.letterWindow !== b.letterWindow) out.push(`Letters are sent once per ${b.letterWindow === 'term' ? 'term' : 'academic year'} (was once per ${a.letterWindow === 'term' ? 'term' : 'academic year'}).`);

  const originOfStep = (i: number): number | null => (origins ? origins[i] ?? null : i < a.steps.length ? i + 1 : null);
  const kept = new Set<number>();
  b.steps.forEach((step, i) => {
    const from = originOfStep(i);
    const old = from === null ? undefined : a.steps[from - 1];
    if (!old) {
      out.push(`${stepTitle(step)} added: ${describeCondition(step.entry, unit)}; ${actionsText(step)}; owner ${step.owner}; review after ${step.reviewSchoolDays} school days.`);
      return;
    }
    kept.add(old.number);
    const title = stepTitle(step);
    if (old.number !== step.number) out.push(`${stepTitle(old)} is now Step ${step.number}.`);
    if (old.label !== step.label) out.push(`${title}: name was "${old.label}".`);
    if (old.owner !== step.owner) out.push(`${title}: owner ${old.owner} → ${step.owner}.`);
    const oldEntry = describeCondition(old.entry, unit);
    const newEntry = describeCondition(step.entry, unit);
    if (oldEntry !== newEntry) out.push(`${title}: entered when ${newEntry} (was: ${oldEntry}).`);
    if (actionsText(old) !== actionsText(step)) out.push(`${title}: actions now ${actionsText(step)} (were: ${actionsText(old)}).`);
    if (old.reviewSchoolDays !== step.reviewSchoolDays) out.push(`${title}: review after ${step.reviewSchoolDays} school days (was ${old.reviewSchoolDays}).`);
    if (old.contactWithinSchoolDays !== step.contactWithinSchoolDays) {
      const words = (d: number | undefined) => (d === undefined ? 'the default (2 school days)' : `${d} school days`);
      out.push(`${title}: contact within ${words(step.contactWithinSchoolDays)} (was ${words(old.contactWithinSchoolDays)}).`);
    }
    if ((old.note ?? '') !== (step.note ?? '')) out.push(`${title}: note changed.`);
  });
  for (const old of a.steps) if (!kept.has(old.number)) out.push(`${stepTitle(old)} removed.`);

  const de = (p: Policy) =>
    p.deescalation ? `after Step ${p.deescalation.afterStep}, ${p.deescalation.schoolDaysWithoutUnexcused} school days with no unexcused absence at ${p.deescalation.minAttendancePercent}% or more` : 'none';
  if (de(a) !== de(b)) out.push(`De-escalation: ${de(b)} (was: ${de(a)}).`);

  out.push(...describeTableChanges(before.table, after.table));
  return out;
}

function describeTableChanges(a: CodeTable, b: CodeTable): string[] {
  const out: string[] = [];
  if (a.label !== b.label) out.push(`Code table name: "${a.label}" → "${b.label}".`);
  const before = new Map(a.codes.map((c) => [c.code, c]));
  const after = new Map(b.codes.map((c) => [c.code, c]));
  const flags = (c: { unverified?: boolean; unexcused?: boolean; late?: string }) =>
    [c.unverified ? 'unverified' : '', c.unexcused ? 'unexcused' : '', c.late === 'beforeClose' ? 'late (present)' : c.late === 'afterClose' ? 'late after the register closed' : ''].filter(Boolean).join(', ');
  for (const [code, c] of after) {
    const old = before.get(code);
    if (!old) {
      out.push(`Code ${code} added: ${c.meaning} (${c.category}${flags(c) ? `, ${flags(c)}` : ''}).`);
      continue;
    }
    if (old.category !== c.category) out.push(`Code ${code}: counts as ${c.category} (was ${old.category}).`);
    if (old.meaning !== c.meaning) out.push(`Code ${code}: meaning "${c.meaning}" (was "${old.meaning}").`);
    if (flags(old) !== flags(c)) out.push(`Code ${code}: ${flags(c) || 'no flags'} (was ${flags(old) || 'no flags'}).`);
  }
  for (const code of before.keys()) if (!after.has(code)) out.push(`Code ${code} removed.`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Saving a version

export interface SaveMeta {
  /** The school's today: the change applies from this date. */
  today: IsoDate;
  /** ISO timestamp of the save. */
  savedAt: string;
  savedBy: string;
  /** For each new step, the step of the policy in force it came from (null: added). Default: same numbers. */
  origins?: readonly (number | null)[];
  /** The sidebar form's request key (a Save pressed again finds its version). */
  requestKey?: string;
}

/**
 * The book after saving `next`. `book` is null before the school's first save: `current` (the preset
 * in force) becomes version 0, in force until today. Throws when nothing changed.
 */
export function addVersion(book: PolicyBook | null, current: SchoolPolicy, next: SchoolPolicy, meta: SaveMeta): PolicyBook {
  const origins = meta.origins ?? next.policy.steps.map((_, i) => (i < current.policy.steps.length ? i + 1 : null));
  if (origins.length !== next.policy.steps.length) throw new Error(`The editor sent ${origins.length} step origins for ${next.policy.steps.length} steps.`);
  const changes = describeChanges(current, next, origins);
  if (changes.length === 0) throw new Error('Nothing has changed: the policy is the same as the one in force.');
  const versions: PolicyVersion[] = book
    ? [...book.versions]
    : [{ version: 0, effectiveFrom: '0000-01-01', savedAt: '', savedBy: '', changes: [`The preset “${current.policy.label}” in force before the school's own policy.`], policyId: current.policy.id, label: current.policy.label, steps: pastSteps(current.policy) }];
  const last = versions[versions.length - 1]!;
  if (meta.today < last.effectiveFrom) throw new Error(`A change cannot apply from ${meta.today}: the version in force applies from ${last.effectiveFrom}.`);
  const version: PolicyVersion = {
    version: last.version + 1,
    effectiveFrom: meta.today,
    savedAt: meta.savedAt,
    savedBy: meta.savedBy,
    changes,
    policyId: next.policy.id,
    label: next.policy.label,
    steps: pastSteps(next.policy),
    ...(meta.requestKey ? { requestKey: meta.requestKey } : {}),
  };
  const renumbered = renumbering(current.policy.steps.length, origins);
  if (renumbered) {
    version.renumbered = renumbered.map;
    if (renumbered.removed.length > 0) version.removedSteps = renumbered.removed;
  }
  versions.push(version);
  // Oldest versions go first when there are too many; the Policy History tab keeps them all.
  while (versions.length > MAX_VERSIONS) {
    const dropped = versions.shift()!;
    const next2 = versions[0]!;
    // The new oldest stands for every earlier date, so its own renumbering no longer applies.
    if (dropped) {
      delete next2.renumbered;
      delete next2.removedSteps;
    }
  }
  return { policy: next.policy, table: next.table, versions };
}
