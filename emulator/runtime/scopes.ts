/**
 * Which OAuth scope (any of) each service call needs, and which kind of access it is (the
 * auth-mode rules in authModes.ts are written in terms of access kinds).
 *
 * Keys are call-count keys; lookup falls back 'Service.Class.method' → 'Service.Class.*' →
 * 'Service.*'. A key with no rule needs no scope.
 */
const AUTH = 'https://www.googleapis.com/auth/';

export type Access =
  | 'container' // the bound spreadsheet (writes are told apart by method name, see isWriteMethod)
  | 'openFile' // another file by id
  | 'menu' // building menus (allowed even in AuthMode.NONE)
  | 'ui' // dialogs, sidebars, alerts
  | 'html'
  | 'mail'
  | 'docs'
  | 'drive'
  | 'triggers'
  | 'properties'
  | 'cache'
  | 'lock'
  | 'identity'
  | 'free';

export interface Requirement {
  scopes: string[]; // any one suffices; empty = no scope needed
  access: Access;
}

const SHEETS = [`${AUTH}spreadsheets.currentonly`, `${AUTH}spreadsheets`];
const UI = [`${AUTH}script.container.ui`];

export const SCOPE_RULES: Record<string, Requirement> = {
  'SpreadsheetApp.*': { scopes: SHEETS, access: 'container' },
  'SpreadsheetApp.openById': { scopes: [`${AUTH}spreadsheets`], access: 'openFile' },
  'SpreadsheetApp.openByUrl': { scopes: [`${AUTH}spreadsheets`], access: 'openFile' },
  'SpreadsheetApp.create': { scopes: [`${AUTH}spreadsheets`], access: 'openFile' },
  'SpreadsheetApp.newDataValidation': { scopes: [], access: 'free' },
  'SpreadsheetApp.DataValidationBuilder.*': { scopes: [], access: 'free' },
  'SpreadsheetApp.DataValidation.*': { scopes: [], access: 'free' },
  'SpreadsheetApp.User.*': { scopes: [], access: 'free' },
  'SpreadsheetApp.getUi': { scopes: UI, access: 'menu' },
  'SpreadsheetApp.Ui.createMenu': { scopes: UI, access: 'menu' },
  'SpreadsheetApp.Ui.createAddonMenu': { scopes: UI, access: 'menu' },
  'SpreadsheetApp.Menu.*': { scopes: UI, access: 'menu' },
  'SpreadsheetApp.Ui.*': { scopes: UI, access: 'ui' },
  'SpreadsheetApp.PromptResponse.*': { scopes: [], access: 'free' },
  'HtmlService.*': { scopes: [], access: 'html' },
  'MailApp.*': { scopes: [`${AUTH}script.send_mail`], access: 'mail' },
  'DocumentApp.*': { scopes: [`${AUTH}documents`], access: 'docs' },
  // DriveApp needs the full (restricted) drive scope: under drive.file Apps Script refuses it ("Required
  // permissions: https://www.googleapis.com/auth/drive", see missingScopeMessage below).
  'DriveApp.*': { scopes: [`${AUTH}drive`, `${AUTH}drive.readonly`], access: 'drive' },
  // The advanced Drive service (Drive API v3) honours drive.file (driveAdvanced.ts).
  'Drive.*': { scopes: [`${AUTH}drive`, `${AUTH}drive.file`], access: 'drive' },
  'Drive.Files.get': { scopes: [`${AUTH}drive`, `${AUTH}drive.file`, `${AUTH}drive.readonly`], access: 'drive' },
  'Drive.Files.list': { scopes: [`${AUTH}drive`, `${AUTH}drive.file`, `${AUTH}drive.readonly`], access: 'drive' },
  'ScriptApp.*': { scopes: [`${AUTH}script.scriptapp`], access: 'triggers' },
  'ScriptApp.getAuthorizationInfo': { scopes: [], access: 'free' },
  'PropertiesService.*': { scopes: [], access: 'properties' },
  'CacheService.*': { scopes: [], access: 'cache' },
  'LockService.*': { scopes: [], access: 'lock' },
  'Session.*': { scopes: [], access: 'free' },
  'Session.User.getEmail': { scopes: [`${AUTH}userinfo.email`], access: 'identity' },
  'Utilities.*': { scopes: [], access: 'free' },
  'Blob.*': { scopes: [], access: 'free' },
  'Logger.*': { scopes: [], access: 'free' },
  'console.*': { scopes: [], access: 'free' },
};

const FREE: Requirement = { scopes: [], access: 'free' };

export function requirementOf(key: string): Requirement {
  const exact = SCOPE_RULES[key];
  if (exact) return exact;
  const parts = key.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const wild = SCOPE_RULES[`${parts.slice(0, n).join('.')}.*`];
    if (wild) return wild;
  }
  return FREE;
}

/**
 * The missing-scope refusal, in the shape Google's runtime uses. The reference is silent on it;
 * looked up (2026-11) in public execution logs of projects with explicit `oauthScopes`:
 * "Specified permissions are not sufficient to call Ui.showModalDialog. Required permissions:
 * https://www.googleapis.com/auth/script.container.ui", the same for ScriptApp.getProjectTriggers
 * (script.scriptapp) and DriveApp.createFolder under drive.file (…/auth/drive). An older form,
 * "You do not have permission to call Session.getActiveUser. Required permissions: …/userinfo.email"
 * (github.com/hijonathan/google-scripts#14), appears without explicit scopes; tests match only the
 * stable "Required permissions: <scope>" suffix.
 */
export function missingScopeMessage(key: string, scopes: string[]): string {
  const required = scopes.length === 1 ? scopes[0] : `(${scopes.join(' || ')})`;
  return `Specified permissions are not sufficient to call ${displayName(key)}. Required permissions: ${required}`;
}

/** 'SpreadsheetApp.openById' stays; 'DocumentApp.Body.replaceText' stays (class named). */
export function displayName(key: string): string {
  return key;
}

/** Spreadsheet methods that change the file (refused in custom functions, S9.6). */
export function isWriteMethod(method: string): boolean {
  return /^(set|insert|append|clear|delete|protect|remove|add|sort|copyTo|moveTo|hide|show|merge|autoResize)/.test(method);
}
