/**
 * The three shipped ladders, transcribed from the school SOPs in /work/shared/seeds (DESIGN.md §3).
 * Each is a policy file (`presets/*.json`, the same format a school exports and imports — see
 * file.ts), so a trust can start from one, edit it and share it. Each step's `note` says which SOP
 * item it comes from and why its entry condition is built that way.
 *
 *  - uk-secondary-sol: seed 002 "Attendance Procedures", DfE 2024 codes. Each step is entered by
 *    its own attendance threshold, or by "no improvement" once the previous step's review is
 *    reached ("jump escalations at any stage if no improvement").
 *  - us-illinois-elementary: seed 004 "Elementary Attendance & Truancy SOP", one daily session,
 *    letters once per academic year; Step 5 is the medical letter (item 12); after the truancy
 *    hearing (Step 7), 20 school days with no unexcused absence at 90% end the probation (item 15).
 *  - generic: seeds 000/001 — notify on 3 consecutive unexcused days or 5 in a term within 1–2
 *    school days, then a meeting, then an attendance improvement plan (US wording and codes).
 *
 * Plain data: nothing is parsed at load (Apps Script re-runs top-level code on every execution);
 * tests check each file against the policy file schema and that export → import reproduces it.
 */
import type { Policy } from './schema';
import genericFile from './presets/generic.json';
import ukSecondaryFile from './presets/uk-secondary-sol.json';
import usIllinoisFile from './presets/us-illinois-elementary.json';

/** The preset files, by id, as shipped (for export and for the round-trip tests). */
export const PRESET_FILES: Record<string, unknown> = {
  'uk-secondary-sol': ukSecondaryFile,
  'us-illinois-elementary': usIllinoisFile,
  generic: genericFile,
};

export const DEFAULT_PRESET_ID = 'uk-secondary-sol';

export const PRESETS: Record<string, Policy> = {
  'uk-secondary-sol': ukSecondaryFile.policy as unknown as Policy,
  'us-illinois-elementary': usIllinoisFile.policy as unknown as Policy,
  generic: genericFile.policy as unknown as Policy,
};

export function getPreset(id: string): Policy {
  const preset = Object.prototype.hasOwnProperty.call(PRESETS, id) ? PRESETS[id] : undefined;
  if (!preset) throw new Error(`Unknown policy preset "${id}": known presets are ${Object.keys(PRESETS).join(', ')}`);
  return preset;
}
