/**
 * The entry registry: everything Apps Script calls by name. build.mjs generates one top-level
 * function declaration per entry (with JSDoc, and @customfunction for custom functions).
 * Each feature owns its own list in src/gas/entries/.
 */
import type { EntryPoint } from './registry';
import { CORE_ENTRIES } from './gas/entries/core';
import { TRACKER_ENTRIES } from './gas/entries/tracker';
import { WEEKLY_ENTRIES } from './gas/entries/weekly';
import { SETUP_ENTRIES } from './gas/entries/setup';
import { LETTER_ENTRIES } from './gas/entries/letters';
import { POLICY_ENTRIES } from './gas/entries/policy';

export const ENTRY_POINTS: EntryPoint[] = [...CORE_ENTRIES, ...TRACKER_ENTRIES, ...SETUP_ENTRIES, ...LETTER_ENTRIES, ...WEEKLY_ENTRIES, ...POLICY_ENTRIES];
