/**
 * What each ScriptApp.AuthMode may touch (semantics S7.7, S7.8, S9.6, M1.5).
 * The exact refusal text is undocumented (S7.8, INF); the form used is the one Apps Script shows for
 * custom functions: "You do not have permission to call X. Required permissions: Y".
 */
import { Access } from './scopes';

export type AuthModeName = 'NONE' | 'LIMITED' | 'FULL' | 'CUSTOM_FUNCTION';

const ALLOWED: Record<AuthModeName, ReadonlySet<Access>> = {
  // NONE: "only build menus" (S7.7)
  NONE: new Set<Access>(['menu', 'html', 'free']),
  // LIMITED: the bound document + UI, not other user data (S7.7)
  LIMITED: new Set<Access>(['container', 'menu', 'ui', 'html', 'properties', 'cache', 'lock', 'identity', 'free']),
  // CUSTOM_FUNCTION: read-only spreadsheet, Properties, Cache, Lock, HTML generate, Utilities (S9.6)
  CUSTOM_FUNCTION: new Set<Access>(['container', 'html', 'properties', 'cache', 'lock', 'identity', 'free']),
  FULL: new Set<Access>(['container', 'openFile', 'menu', 'ui', 'html', 'mail', 'docs', 'drive', 'triggers', 'properties', 'cache', 'lock', 'identity', 'free']),
};

export function isAllowed(mode: AuthModeName, access: Access): boolean {
  return ALLOWED[mode].has(access);
}
