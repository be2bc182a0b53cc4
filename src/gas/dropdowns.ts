/**
 * The add-on's dropdowns (data validation) on the tracker's RTC / ROPC and the Interventions Log's
 * Step / Method / Outcome: read back (setup.ts plans with them), built, and — for a sheet set up by an
 * earlier version — brought up to date by Recalculate, keeping the school's own values
 * (core/setupPlan.ts logColumnBroughtUpToDate). A Log whose Method list lacks "Note" (the review date's
 * row) or whose Outcome list lacks "Letter left out" showed the add-on's own rows as invalid and
 * staff could not pick those values.
 */
import { logColumnBroughtUpToDate, logDropdownsVersion, validationSignature, LOG_LIST_RULES, type LogCellRule, type ValidationRule } from '../core/setupPlan';
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

/**
 * A Log column's rules over every row (one call whatever the size): the signature when every row has
 * the same rule (null when they differ or there is none), and the values of every dropdown in it —
 * row 2's area and any other part (issue 10 D) — first seen first, so Set up… keeps a value the school
 * added in any part of the column.
 */
export function columnRules(sheet: Sheet, column: number): { signature: string | null; list: string[] | null } {
  if (sheet.getMaxRows() < 2 || column > sheet.getMaxColumns()) return { signature: null, list: null };
  const rules = sheet.getRange(2, column, sheet.getMaxRows() - 1, 1).getDataValidations().map((r) => r[0] ?? null);
  const signatures = new Set(rules.map((r) => (r ? validationSignature(String(r.getCriteriaType()), r.getCriteriaValues()) : '')));
  const first = rules[0] ?? null;
  const signature = signatures.size === 1 && first ? validationSignature(String(first.getCriteriaType()), first.getCriteriaValues()) : null;
  const seen = new Set<string>();
  const list: string[] = [];
  for (const rule of rules) {
    const values = cellRule(rule);
    if (!Array.isArray(values)) continue;
    for (const v of values) {
      if (seen.has(v.trim())) continue;
      seen.add(v.trim());
      list.push(v);
    }
  }
  return { signature, list: seen.size > 0 ? list : null };
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

/** A rule as Recalculate compares it: a dropdown's values, no rule, or another kind of rule. */
function cellRule(rule: GoogleAppsScript.Spreadsheet.DataValidation | null): LogCellRule {
  if (!rule) return null;
  const values = rule.getCriteriaValues();
  return String(rule.getCriteriaType()) === 'VALUE_IN_LIST' && Array.isArray(values[0]) ? (values[0] as unknown[]).map((v) => String(v ?? '')) : 'other';
}

/**
 * Recalculate's check, cheap: a property read and the Log's row count when the Log's dropdowns are
 * known to be this version's over all its rows; otherwise (once after an update, and again when the
 * Log has grown) the Method and Outcome rules of EVERY row are read — one call per column, whatever
 * the number of rows (issue 10 D: only row 2's area was looked at, so rows the Log grew into or set
 * up by another version kept an old list or none) — and each column gets, in one call, the add-on's
 * values plus every value the school added anywhere in it; rows with another kind of rule keep it.
 * Never stops a recalculation: a failure is logged and the next run looks again. Returns the
 * columns updated.
 */
export function bringLogDropdownsUpToDate(ss: Spreadsheet): string[] {
  try {
    const props = PropertiesService.getDocumentProperties();
    const sheet = ss.getSheetByName(SHEET_NAMES.log);
    if (!sheet) return []; // setup creates it with its dropdowns
    const maxRows = sheet.getMaxRows();
    const checked = `${logDropdownsVersion()}@${maxRows}`;
    if (props.getProperty(LOG_DROPDOWNS_KEY) === checked) return [];
    const updated: string[] = [];
    if (maxRows >= 2) {
      for (const { column, header, rule } of LOG_LIST_RULES) {
        if (column > sheet.getMaxColumns()) continue;
        const range = sheet.getRange(2, column, maxRows - 1, 1);
        const rules = range.getDataValidations();
        const plan = logColumnBroughtUpToDate(rule, rules.map((r) => cellRule(r[0] ?? null)));
        if (!plan) continue;
        const built = buildRule({ ...rule, values: plan.values });
        range.setDataValidations(rules.map((r, i) => [plan.keep[i] ? r[0] ?? null : built]));
        updated.push(header);
      }
    }
    props.setProperty(LOG_DROPDOWNS_KEY, checked);
    return updated;
  } catch (err) {
    console.warn(`The Interventions Log's dropdowns could not be checked (${(err as Error).message}); the next Recalculate looks again.`);
    return [];
  }
}
