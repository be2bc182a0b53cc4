/**
 * The add-on's dropdowns (data validation) on the tracker's RTC / ROPC and the Interventions Log's
 * Step / Method / Outcome: read back (setup.ts plans with them), built, and — for a sheet set up by an
 * earlier version — brought up to date by Recalculate, keeping the school's own values
 * (core/setupPlan.ts logDropdownUpdates). A Log whose Method list lacks "Note" (the review date's
 * row) or whose Outcome list lacks "Letter left out" showed the add-on's own rows as invalid and
 * staff could not pick those values.
 */
import { logDropdownsVersion, logDropdownUpdates, validationSignature, LOG_LIST_RULES, type ValidationRule } from '../core/setupPlan';
import { SHEET_NAMES } from './sheetNames';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Document property: the version of the Log's dropdowns last checked (logDropdownsVersion). */
export const LOG_DROPDOWNS_KEY = 'sol.logDropdowns';

/** The rule in row 2 of a column: its signature and, for a dropdown (a list), its values. */
export function ruleAt(sheet: Sheet, column: number): { signature: string | null; list: string[] | null } {
  if (sheet.getMaxRows() < 2 || column > sheet.getMaxColumns()) return { signature: null, list: null };
  const rule = sheet.getRange(2, column).getDataValidation();
  if (!rule) return { signature: null, list: null };
  const criteria = String(rule.getCriteriaType());
  const values = rule.getCriteriaValues();
  const list = criteria === 'VALUE_IN_LIST' && Array.isArray(values[0]) ? (values[0] as unknown[]).map((v) => String(v ?? '')) : null;
  return { signature: validationSignature(criteria, values), list };
}

export function buildRule(rule: ValidationRule): GoogleAppsScript.Spreadsheet.DataValidation {
  const builder = SpreadsheetApp.newDataValidation();
  if (rule.type === 'list') builder.requireValueInList([...rule.values], true);
  else builder.requireNumberBetween(rule.min, rule.max);
  return builder.setAllowInvalid(rule.allowInvalid).setHelpText(rule.helpText).build();
}

/** Sets a rule on a column from row 2 to the tab's last row (rows the Log grows into included). */
export function setColumnRule(sheet: Sheet, column: number, rule: ValidationRule): void {
  const rows = sheet.getMaxRows() - 1;
  if (rows >= 1) sheet.getRange(2, column, rows, 1).setDataValidation(buildRule(rule));
}

/**
 * Recalculate's check, cheap: one property read when the Log's dropdowns are known to be this
 * version's; otherwise (once after an update) the Method and Outcome rules are read and a list that
 * lacks a value the add-on writes gets it, the school's own values kept. Never stops a
 * recalculation: a failure is logged and the next run looks again. Returns the columns updated.
 */
export function bringLogDropdownsUpToDate(ss: Spreadsheet): string[] {
  try {
    const props = PropertiesService.getDocumentProperties();
    const version = logDropdownsVersion();
    if (props.getProperty(LOG_DROPDOWNS_KEY) === version) return [];
    const sheet = ss.getSheetByName(SHEET_NAMES.log);
    if (!sheet) return []; // setup creates it with its dropdowns
    const lists: Record<number, string[] | null> = {};
    for (const { column } of LOG_LIST_RULES) lists[column] = ruleAt(sheet, column).list;
    const updates = logDropdownUpdates(lists);
    for (const u of updates) setColumnRule(sheet, u.column, u.rule);
    props.setProperty(LOG_DROPDOWNS_KEY, version);
    return updates.map((u) => u.header);
  } catch (err) {
    console.warn(`The Interventions Log's dropdowns could not be checked (${(err as Error).message}); the next Recalculate looks again.`);
    return [];
  }
}
