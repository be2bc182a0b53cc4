/** The policy and code table in force for a school's settings (preset + Q/Y override). */
import { CODE_TABLES, withCategoryOverrides } from './codes';
import { getPreset } from './policy/presets';
import type { Policy } from './policy/schema';
import type { Settings } from './settings';
import type { CodeTable } from './types';

export interface ActivePolicy {
  policy: Policy;
  table: CodeTable;
}

export function resolveActivePolicy(settings: Pick<Settings, 'presetId' | 'codeOverrides'>): ActivePolicy {
  const policy = getPreset(settings.presetId);
  const base = CODE_TABLES[policy.codeTableId];
  if (!base) throw new Error(`Policy ${policy.id} uses code table "${policy.codeTableId}", which is not known.`);
  const overrides = Object.fromEntries(Object.entries(settings.codeOverrides ?? {}).filter(([code]) => base.codes.some((c) => c.code === code)));
  const table = Object.keys(overrides).length ? withCategoryOverrides(base, overrides) : base;
  return { policy, table };
}
