/**
 * The shape of the entry registry: everything Apps Script calls by name. `build.mjs` reads the
 * registry (src/entries.ts) and generates one top-level `function NAME(params) {}` per entry,
 * with JSDoc (and `@customfunction` for custom functions), so nothing is kept in step by hand.
 */

export type EntryKind =
  /** onOpen, onInstall, onEdit: run in AuthMode NONE/LIMITED, 30 s. */
  | 'simpleTrigger'
  /** A menu item's target function (AuthMode FULL). */
  | 'menu'
  /** Called from the sidebar with google.script.run (AuthMode FULL). */
  | 'rpc'
  /** Handler of an installable (time-driven) trigger (AuthMode FULL, no UI). */
  | 'triggerHandler'
  /** `=NAME(...)` in a cell: read-only, 30 s, AuthMode CUSTOM_FUNCTION. */
  | 'customFunction';

export interface ParamDoc {
  /** A real parameter name: it is what Sheets shows in formula help. */
  name: string;
  /** JSDoc type, e.g. `string|number|Array<Array<string>>`. */
  type: string;
  description: string;
}

export interface EntryPoint {
  name: string;
  kind: EntryKind;
  description: string;
  params: ParamDoc[];
  /** JSDoc @return type and text (custom functions show it in help). */
  returns?: { type: string; description: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run: (...args: any[]) => unknown;
}

/** Identity helper that keeps each entry typed where it is declared. */
export function defineEntry(entry: EntryPoint): EntryPoint {
  return entry;
}
