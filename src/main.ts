/**
 * Bundle entry. esbuild wraps this module in `var SOLTracker = (() => { ... })()`; the generated
 * top-level functions call `SOLTracker.entries.NAME`. Nothing here runs work at load time: Apps
 * Script evaluates all top-level code on every execution (engineering §2.2).
 */
import { ENTRY_POINTS } from './entries';
import { withFriendlyErrors } from './gas/friendly';

export const entries: Record<string, (...args: unknown[]) => unknown> = {};
// Sidebar calls, menu items and trigger handlers reach people: their failures are sentences
// (src/core/friendlyError.ts). Custom functions and simple triggers keep their own handling.
for (const e of ENTRY_POINTS) {
  const run = e.run as (...args: unknown[]) => unknown;
  entries[e.name] = e.kind === 'rpc' || e.kind === 'menu' || e.kind === 'triggerHandler' ? withFriendlyErrors(run) : run;
}
