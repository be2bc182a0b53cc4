/**
 * Bundle entry. esbuild wraps this module in `var SOLTracker = (() => { ... })()`; the generated
 * top-level functions call `SOLTracker.entries.NAME`. Nothing here runs work at load time: Apps
 * Script evaluates all top-level code on every execution (engineering §2.2).
 */
import { ENTRY_POINTS } from './entries';

export const entries: Record<string, (...args: unknown[]) => unknown> = {};
for (const e of ENTRY_POINTS) entries[e.name] = e.run as (...args: unknown[]) => unknown;
