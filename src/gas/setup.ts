/**
 * Setup (menu SOL Tracker ▸ Set up…, RPCs previewSetup / runSetup): read what the spreadsheet
 * holds, plan with the pure planner (src/core/setupPlan.ts), show the mapping for confirmation,
 * then apply the plan under the document lock. A second run finds nothing to do.
 */
import type { ChooseSetupColumnRequest, SetupPreview, SetupResult } from '../rpcTypes';
import { PRESETS } from '../core/policy/presets';
import {
  PROTECTION_PREFIX,
  planSetup,
  type SetupAction,
  type SetupPlan,
  type SetupState,
  type TabKey,
  type TabState,
} from '../core/setupPlan';
import { LOG_HEADERS } from '../core/interventionsLog';
import { contactColumnPicks, contactColumnWarnings, mapColumns, PICKABLE_FIELDS, type PickableField } from '../core/tracker/columns';
import { diffStaff, firstStaffList, withoutStaff, type ConfigRecord } from '../core/staffRecord';
import type { Actor } from '../core/roles';
import { STAFF_ROLES } from '../core/types';
import { timestampIso } from './clock';
import { columnRules, ruleAt, setColumnRule } from './dropdowns';
import { withDocumentLock } from './lock';
import { forgetStaffCache, ownerEmail, reconcileStaffChanges, saveConfig, staffAccess, syncProtections } from './staffStore';
import { activeUserEmail, authorise } from './session';
import { loadSettings } from './settingsStore';
import { ensureRows } from './grow';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { columnChoices, findTrackerSheet, getSpreadsheet } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const TAB_NAMES: Record<TabKey, string> = {
  register: SHEET_NAMES.register,
  log: SHEET_NAMES.log,
  settings: SHEET_NAMES.settings,
  weekly: SHEET_NAMES.weekly,
  ledger: SHEET_NAMES.ledger,
  amendments: SHEET_NAMES.amendments,
};

/** Log columns that carry a dropdown (1-based), read back to decide whether the rule is there. */
const LOG_RULE_COLUMNS = ['Step', 'Method', 'Outcome'].map((h) => (LOG_HEADERS as readonly string[]).indexOf(h) + 1);

function headerRow(sheet: Sheet): string[] {
  const lastColumn = sheet.getLastColumn();
  if (lastColumn === 0) return [];
  return sheet.getRange(1, 1, 1, lastColumn).getValues()[0].map((h) => String(h ?? '').trim());
}

function protectionsOf(sheet: Sheet, type: 'RANGE' | 'SHEET', oursOnly: boolean) {
  const kind = type === 'RANGE' ? SpreadsheetApp.ProtectionType.RANGE : SpreadsheetApp.ProtectionType.SHEET;
  return sheet
    .getProtections(kind)
    .map((p) => ({ description: p.getDescription(), warningOnly: p.isWarningOnly() }))
    .filter((p) => !oursOnly || p.description.startsWith(PROTECTION_PREFIX));
}

function documentProperty(key: string): string | null {
  try {
    return PropertiesService.getDocumentProperties().getProperty(key);
  } catch {
    return null;
  }
}

/**
 * The tab to adopt: the remembered or default tracker, a tab whose headers map, else the first tab
 * with content that the add-on does not own (so a tracker missing a column gets a clear message).
 */
function trackerCandidate(ss: Spreadsheet): Sheet | null {
  const found = findTrackerSheet(ss);
  if (found) return found;
  const ours = new Set<string>(Object.values(SHEET_NAMES));
  return ss.getSheets().find((s) => !ours.has(s.getName()) && s.getLastColumn() > 0) ?? null;
}

/** Everything the planner needs, read with a fixed number of calls (a few per tab). */
export function readSetupState(ss: Spreadsheet): { state: SetupState; tracker: Sheet | null } {
  const trackerSheet = trackerCandidate(ss);
  let tracker: SetupState['tracker'] = null;
  if (trackerSheet) {
    const headers = headerRow(trackerSheet);
    const mapping = mapColumns(headers).mapping;
    const validations: Record<number, string | null> = {};
    const lists: Record<number, string[] | null> = {};
    for (const key of ['rtc', 'ropc'] as const) {
      const col = mapping[key];
      if (col === undefined) continue;
      const rule = ruleAt(trackerSheet, col + 1);
      validations[col + 1] = rule.signature;
      lists[col + 1] = rule.list;
    }
    tracker = {
      name: trackerSheet.getName(),
      headers,
      frozenRows: trackerSheet.getFrozenRows(),
      validations,
      lists,
      protections: protectionsOf(trackerSheet, 'RANGE', true),
    };
  }
  const tabs = {} as Record<TabKey, TabState>;
  for (const key of Object.keys(TAB_NAMES) as TabKey[]) {
    const sheet = ss.getSheetByName(TAB_NAMES[key]);
    if (!sheet) {
      tabs[key] = { exists: false, headers: [], frozenRows: 0, validations: {}, protections: [] };
      continue;
    }
    const tab: TabState = { exists: true, headers: headerRow(sheet), frozenRows: sheet.getFrozenRows(), validations: {}, lists: {}, protections: [] };
    if (key === 'log') {
      for (const col of LOG_RULE_COLUMNS) {
        const rule = columnRules(sheet, col);
        tab.validations[col] = rule.signature;
        tab.lists![col] = rule.list;
      }
    }
    if (key === 'log' || key === 'amendments') tab.protections = protectionsOf(sheet, 'SHEET', false);
    if (key === 'settings' && sheet.getLastRow() > 0) tab.values = sheet.getDataRange().getValues();
    tabs[key] = tab;
  }
  const state: SetupState = {
    tracker,
    tabs,
    names: TAB_NAMES,
    storedTrackerSheet: documentProperty(PROPERTY_KEYS.trackerSheet),
    storedMapping: documentProperty(PROPERTY_KEYS.columnMapping),
    columnChoices: columnChoices(),
    currentUser: activeUserEmail(),
    knownPresetIds: Object.keys(PRESETS),
  };
  return { state, tracker: trackerSheet };
}

function sheetNamed(ss: Spreadsheet, name: string): Sheet {
  const sheet = ss.getSheetByName(name);
  if (!sheet) throw new Error(`Setup: the tab "${name}" disappeared while setup was running. Run Set up… again.`);
  return sheet;
}

/** Carries out the plan's actions in order. Every value written is a fixed header or setting text. */
export function applySetup(ss: Spreadsheet, actions: readonly SetupAction[]): void {
  for (const action of actions) {
    switch (action.kind) {
      case 'appendTrackerColumns': {
        const sheet = sheetNamed(ss, action.sheet);
        const lastNeeded = action.startColumn + action.headers.length - 1;
        const maxColumns = sheet.getMaxColumns();
        if (lastNeeded > maxColumns) sheet.insertColumnsAfter(maxColumns, lastNeeded - maxColumns);
        sheet.getRange(1, action.startColumn, 1, action.headers.length).setValues([action.headers]);
        break;
      }
      case 'createSheet': {
        const sheet = ss.insertSheet(action.sheet);
        writeBlock(sheet, action.values);
        break;
      }
      case 'writeValues':
        writeBlock(sheetNamed(ss, action.sheet), action.values);
        break;
      case 'freezeHeader':
        sheetNamed(ss, action.sheet).setFrozenRows(1);
        break;
      case 'setValidation':
        setColumnRule(sheetNamed(ss, action.sheet), action.column, action.rule);
        break;
      case 'protectColumns': {
        const sheet = sheetNamed(ss, action.sheet);
        sheet.getRange(1, action.column, sheet.getMaxRows(), action.numColumns).protect().setDescription(action.description).setWarningOnly(true);
        break;
      }
      case 'protectSheet':
        sheetNamed(ss, action.sheet).protect().setDescription(action.description).setWarningOnly(true);
        break;
      case 'storeMapping': {
        const props = PropertiesService.getDocumentProperties();
        props.setProperty(PROPERTY_KEYS.trackerSheet, action.trackerSheet);
        props.setProperty(PROPERTY_KEYS.columnMapping, action.mapping);
        break;
      }
    }
  }
}

/** One setValues for a block of text; every cell forced to text (a leading apostrophe, S4.6). */
function writeBlock(sheet: Sheet, values: string[][]): void {
  const width = Math.max(...values.map((r) => r.length));
  const rows = values.map((r) => [...r, ...Array(width - r.length).fill('')].map((v) => (v === '' ? '' : `'${v}`)));
  ensureRows(sheet, rows.length, width);
  sheet.getRange(1, 1, rows.length, width).setValues(rows);
}

function planFor(ss: Spreadsheet): SetupPlan {
  return planSetup(readSetupState(ss).state);
}

function refusal(plan: SetupPlan): string {
  return `Set up could not adopt the tracker:\n${plan.problems.join('\n')}`;
}

/** RPC previewSetup: the mapping, what is missing, what setup would create. Writes nothing. */
export function previewSetup(): SetupPreview {
  const ss = getSpreadsheet();
  const actor = authorise(loadSettings(ss).settings, 'setup');
  return previewFor(ss, actor.email);
}

function previewFor(ss: Spreadsheet, email: string): SetupPreview {
  const { state } = readSetupState(ss);
  const plan = planSetup(state);
  const headers = state.tracker?.headers ?? [];
  const columns = headers.length ? mapColumns(headers, state.columnChoices ?? {}) : null;
  const warnings = columns ? contactColumnWarnings(columns, headers) : [];
  const picks = columns ? contactColumnPicks(columns) : [];
  return { mapping: plan.mapping, missing: plan.ok ? [] : [...plan.missing, ...plan.problems], willCreate: [...claimWords(ss, email), ...plan.willCreate], warnings, picks };
}

/**
 * RPC chooseSetupColumn: the person picks which of the tracker's own columns holds the parents'
 * email (or phone) when none was recognised by name. The header must be one the preview offered
 * (a column of the school's, not one the add-on reads as something else); it is kept in a document
 * property only the add-on writes, applied wherever the tracker is read, and written into the stored
 * mapping by the next setup. header null forgets the choice.
 */
export function chooseSetupColumn(request: ChooseSetupColumnRequest): SetupPreview {
  const ss = getSpreadsheet();
  const actor = authorise(loadSettings(ss).settings, 'setup');
  const r = (request ?? {}) as { field?: unknown; header?: unknown };
  if (!(PICKABLE_FIELDS as readonly unknown[]).includes(r.field)) throw new Error(`Setup: choose which column holds the parents' email or phone (got ${JSON.stringify(r.field)}).`);
  const field = r.field as PickableField;
  if (r.header !== null && typeof r.header !== 'string') throw new Error('Setup: pick one of the tracker’s columns from the list.');
  return withDocumentLock(() => {
    const props = PropertiesService.getDocumentProperties();
    const choices = { ...columnChoices() };
    if (r.header === null || (r.header as string).trim() === '') {
      delete choices[field];
    } else {
      const { state } = readSetupState(ss);
      const headers = state.tracker?.headers ?? [];
      const offered = contactColumnPicks(mapColumns(headers, { ...state.columnChoices, [field]: undefined })).find((p) => p.field === field)?.options ?? [];
      const header = (r.header as string).trim();
      if (!offered.includes(header)) {
        throw new Error(`Setup: "${header.slice(0, 80)}" is not one of the tracker's own columns that could hold this (${offered.length ? offered.map((o) => `"${o}"`).join(', ') : 'none is free'}). Check the tracker and try again.`);
      }
      choices[field] = header;
    }
    if (Object.keys(choices).length === 0) props.deleteProperty(PROPERTY_KEYS.columnChoices);
    else props.setProperty(PROPERTY_KEYS.columnChoices, JSON.stringify(choices));
    return previewFor(ss, actor.email);
  });
}

/** The staff list a first set-up would store, in words (shown before it is stored). */
function claimWords(ss: Spreadsheet, claimer: string): string[] {
  const access = staffAccess();
  if (access.claimed && !access.unreadable) return [];
  const staff = firstStaffList(loadSettings(ss).tabStaff ?? [], claimer);
  const byRole = STAFF_ROLES.map((r) => [r, staff.filter((s) => s.role === r).map((s) => s.email)] as const).filter(([, e]) => e.length > 0);
  return [`Store the staff list where only the add-on writes it (${staff.length} ${staff.length === 1 ? 'person' : 'people'}: ${byRole.map(([r, e]) => `${r} ${e.slice(0, 3).join(', ')}${e.length > 3 ? ` and ${e.length - 3} more` : ''}`).join('; ')}); from then on roles change only in the sidebar (Settings → Staff)`];
}

/**
 * The first set-up, once: the owner (or installer) stores the staff list — the one shown on the
 * Settings tab, if any, with themselves as Admin — where only the add-on writes it. Returns whether
 * it claimed. A record that cannot be read is re-created only by the owner.
 */
function claimIfNeeded(ss: Spreadsheet, actor: Actor): boolean {
  forgetStaffCache();
  const access = staffAccess();
  if (access.claimed && !access.unreadable) return false;
  if (access.unreadable && ownerEmail(ss) !== actor.email) throw new Error(`The stored staff list cannot be read (${access.unreadable}); only the spreadsheet's owner can set it up again.`);
  const loaded = loadSettings(ss);
  const staff = firstStaffList(loaded.tabStaff ?? [], actor.email);
  const at = timestampIso(ss).replace('T', ' ').slice(0, 16);
  const record: ConfigRecord = {
    v: 1,
    staff,
    claimedBy: actor.email,
    claimedAt: at,
    changeNo: 1,
    lastChange: { no: 1, at, by: actor.email, entries: diffStaff([], staff) },
    settings: loaded.source === 'sheet' ? withoutStaff(loaded.settings) : null,
  };
  saveConfig(record).cleanup();
  return true;
}

/** After a claim or a setup: the Staff Changes tab complete and the add-on's tabs protected. */
function finishStaff(ss: Spreadsheet): void {
  const access = staffAccess(true);
  // A record that cannot be read just now (a service error) must not pass for "nothing to finish".
  if (access.unreadable) throw new Error(`Setup could not finish: the stored staff list could not be read just now (${access.unreadable}). Run Set up again; nothing is lost.`);
  if (!access.record) return;
  reconcileStaffChanges(ss, access.record.lastChange);
  syncProtections(ss, access.staff);
}

/** Plans again under the lock (the sheet may have changed since the preview) and applies. */
function setupWithinLock(ss: Spreadsheet, actor: Actor): SetupResult {
  return withDocumentLock(() => {
    const plan = planFor(ss);
    if (!plan.ok) throw new Error(refusal(plan));
    const claimed = claimIfNeeded(ss, actor);
    if (plan.actions.length === 0) {
      finishStaff(ss); // also completes a Staff Changes entry or protections an interrupted set-up left behind
      return {
        created: claimed ? ['The staff list, stored where only the add-on writes it'] : [],
        mapping: plan.mapping,
        message: claimed ? 'Setup done: the staff list is stored; roles now change only in the sidebar (Settings → Staff).' : 'Setup: nothing to do — the tracker, its columns and every tab are already set up.',
      };
    }
    applySetup(ss, plan.actions);
    forgetStaffCache();
    loadSettings(ss, { remember: true });
    finishStaff(ss);
    return {
      created: plan.willCreate,
      mapping: plan.mapping,
      message: `Setup done: ${plan.willCreate.length} change${plan.willCreate.length === 1 ? '' : 's'}. Next: import the register (sidebar ▸ Import), then Recalculate.`,
    };
  });
}

/** RPC runSetup (the sidebar shows previewSetup first and the user confirms there). */
export function runSetup(): SetupResult {
  const ss = getSpreadsheet();
  const actor = authorise(loadSettings(ss).settings, 'setup');
  return setupWithinLock(ss, actor);
}

/** Menu SOL Tracker ▸ Set up…: the mapping in an alert for YES/NO, then the result. */
export function menuSetup(): void {
  const ss = getSpreadsheet();
  const ui = SpreadsheetApp.getUi();
  try {
    const actor = authorise(loadSettings(ss).settings, 'setup');
    // Planned outside the lock: an alert suspends the script and a lock does not survive it (S6.3).
    const plan = planFor(ss);
    if (!plan.ok) {
      ui.alert('SOL Tracker: set up', refusal(plan), ui.ButtonSet.OK);
      return;
    }
    const claim = claimWords(ss, actor.email);
    if (plan.actions.length === 0 && claim.length === 0) {
      ui.alert('SOL Tracker: set up', `Nothing to do: everything is already set up.\n\nColumns:\n${plan.mapping.join('\n')}`, ui.ButtonSet.OK);
      return;
    }
    const prompt = `The tracker's columns will be read like this:\n${plan.mapping.join('\n')}\n\nSetup will:\n${[...claim, ...plan.willCreate].map((w) => `• ${w}`).join('\n')}\n\nGo ahead?`;
    if (ui.alert('SOL Tracker: set up', prompt, ui.ButtonSet.YES_NO) !== ui.Button.YES) {
      ss.toast('Setup cancelled: nothing was changed.', 'SOL Tracker', 5);
      return;
    }
    const result = setupWithinLock(ss, actor);
    ui.alert('SOL Tracker: set up', result.message, ui.ButtonSet.OK);
  } catch (err) {
    ui.alert('SOL Tracker: set up', (err as Error).message, ui.ButtonSet.OK);
  }
}
