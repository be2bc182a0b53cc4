/**
 * Opening the school's spreadsheet and its tracker tab. The tracker is the school's own sheet,
 * adopted by header name (DESIGN.md §2): its tab name is remembered by setup, and found by its
 * headers otherwise.
 */
import { mapColumns, parseColumnChoices, type ColumnChoices, type ColumnMapping, type ColumnMappingResult } from '../core/tracker/columns';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/**
 * The tracker spreadsheet: the active one (menus, sidebar, simple triggers), or — for time-driven
 * triggers, which have no active document (engineering §1.4) — the one whose ID was stored.
 */
export function getSpreadsheet(storedId?: string | null): Spreadsheet {
  const active = SpreadsheetApp.getActiveSpreadsheet();
  if (active) return active;
  if (storedId) return SpreadsheetApp.openById(storedId);
  throw new Error('No spreadsheet is open, and none was remembered for this trigger. Open the tracker and schedule the report again.');
}

function documentProperty(key: string): string | null {
  try {
    return PropertiesService.getDocumentProperties()?.getProperty(key) ?? null;
  } catch {
    return null; // AuthMode.NONE or custom-function context
  }
}

export interface Tracker {
  sheet: Sheet;
  /** Header row as read (row 1). */
  headers: string[];
  mapping: ColumnMapping;
  columns: ColumnMappingResult;
  lastRow: number;
  lastColumn: number;
}

/** The contact columns picked in setup (a document property only the add-on writes); none when unreadable. */
export function columnChoices(): ColumnChoices {
  return parseColumnChoices(documentProperty(PROPERTY_KEYS.columnChoices));
}

/** The tracker's columns by header, with the contact columns picked in setup. */
export function trackerColumns(headers: unknown[]): ColumnMappingResult {
  return mapColumns(headers, columnChoices());
}

/** Finds the tracker tab: remembered name, then the default name, then any tab whose headers map. */
export function findTrackerSheet(ss: Spreadsheet): Sheet | null {
  const remembered = documentProperty(PROPERTY_KEYS.trackerSheet);
  const named = (remembered && ss.getSheetByName(remembered)) || ss.getSheetByName(SHEET_NAMES.tracker);
  if (named) return named;
  const ours = new Set<string>(Object.values(SHEET_NAMES));
  for (const sheet of ss.getSheets()) {
    if (ours.has(sheet.getName()) || sheet.getLastColumn() === 0) continue;
    const headers = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0];
    if (mapColumns(headers).missingRequired.length === 0) return sheet;
  }
  return null;
}

/** Opens the tracker and maps its columns by header (one getValues for the header row). */
export function openTracker(ss: Spreadsheet): Tracker {
  const sheet = findTrackerSheet(ss);
  if (!sheet) throw new Error(`No tracker tab found (looked for "${SHEET_NAMES.tracker}" and for a tab with Student ID, Name and Year columns). Run SOL Tracker ▸ Set up… first.`);
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  if (lastRow === 0 || lastColumn === 0) throw new Error(`The tracker tab "${sheet.getName()}" is empty: it needs a header row (Student ID, Name, Year…).`);
  const headers = sheet.getRange(1, 1, 1, lastColumn).getValues()[0].map((h) => String(h ?? '').trim());
  const columns = trackerColumns(headers);
  return { sheet, headers, mapping: columns.mapping, columns, lastRow, lastColumn };
}
