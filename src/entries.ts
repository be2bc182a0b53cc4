/**
 * The entry registry: everything Apps Script calls by name. build.mjs generates one top-level
 * function declaration per entry (with JSDoc, and @customfunction for custom functions).
 * Each feature owns its own list in src/gas/entries/.
 */
import type { EntryPoint } from './registry';
import { CORE_ENTRIES } from './gas/entries/core';

export const ENTRY_POINTS: EntryPoint[] = [...CORE_ENTRIES];
