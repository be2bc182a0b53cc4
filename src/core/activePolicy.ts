/**
 * The policy and code table in force for a school: its own policy when one was saved from the
 * policy editor (the policy book, kept where only the add-on writes), else the preset named in
 * Settings with the Q/Y treatment of Settings.
 */
import { CODE_TABLES, withCategoryOverrides } from './codes';
import { historyInCurrentSteps, stepsOnFor, type PastStep, type PolicyBook } from './policy/book';
import { getPreset } from './policy/presets';
import type { Policy } from './policy/schema';
import type { Settings } from './settings';
import type { CodeTable, InterventionRecord, IsoDate } from './types';

export interface ActivePolicy {
  policy: Policy;
  table: CodeTable;
  /** The school's saved policy and its versions; null while a preset is in force. */
  book: PolicyBook | null;
  /** The steps as on a date, for steps entered before a policy change (undefined: one version only). */
  stepsOn?: (date: IsoDate) => readonly (PastStep | undefined)[];
  /** Log records with their steps in today's numbering (the same array when nothing was renumbered). */
  currentSteps: (history: InterventionRecord[]) => InterventionRecord[];
}

/** The preset named in Settings with the Settings Q/Y treatment (what is in force without a saved policy). */
export function presetPolicy(settings: Pick<Settings, 'presetId' | 'codeOverrides'>): { policy: Policy; table: CodeTable } {
  const policy = getPreset(settings.presetId);
  const base = CODE_TABLES[policy.codeTableId];
  if (!base) throw new Error(`Policy ${policy.id} uses code table "${policy.codeTableId}", which is not known.`);
  const overrides = Object.fromEntries(Object.entries(settings.codeOverrides ?? {}).filter(([code]) => base.codes.some((c) => c.code === code)));
  const table = Object.keys(overrides).length ? withCategoryOverrides(base, overrides) : base;
  return { policy, table };
}

export function resolveActivePolicy(settings: Pick<Settings, 'presetId' | 'codeOverrides'> & { policyBook?: PolicyBook | null }): ActivePolicy {
  const book = settings.policyBook ?? null;
  if (book) {
    const stepsOn = stepsOnFor(book);
    const active: ActivePolicy = { policy: book.policy, table: book.table, book, currentSteps: (history) => historyInCurrentSteps(book, history) };
    if (stepsOn) active.stepsOn = stepsOn;
    return active;
  }
  return { ...presetPolicy(settings), book: null, currentSteps: (history) => history };
}
