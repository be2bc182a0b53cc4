/**
 * Loading the school: Settings, the tracker, the Register and the Interventions Log, each read
 * once (one getValues per tab, engineering §2.1), then the pure model (src/core/schoolModel.ts).
 * Read-only: safe in custom functions (no lock, no writes, no property writes).
 */
import { buildSchoolModel, type SchoolModel } from '../core/schoolModel';
import type { Settings, SettingsProblem } from '../core/settings';
import { mappingProblems, type ColumnMappingResult } from '../core/tracker/columns';
import { readTrackerRows, type TrackerStudent } from '../core/tracker/rows';
import { loadSettings } from './settingsStore';
import { SHEET_NAMES } from './sheetNames';
import { withSheetDates } from './sheetDates';
import { findTrackerSheet, trackerColumns } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Up to this many selected students, their Register rows are read one by one instead of the whole tab. */
export const SELECTIVE_REGISTER_LIMIT = 25;

export interface LoadSchoolOptions {
  /** Settings already loaded (and checked) by the caller. */
  settings?: Settings;
  settingsProblems?: SettingsProblem[];
  /** Evaluate only these students; few of them → only their Register rows are read. */
  only?: (student: TrackerStudent) => boolean;
  /** The tracker, when the caller has already read it. */
  tracker?: TrackerData;
  /** The Interventions Log (header row included), when the caller has already read it. */
  logValues?: unknown[][];
  /** The whole Register (header row included), when the caller has just written it (an import). */
  registerValues?: unknown[][];
}

export interface TrackerData {
  sheet: Sheet;
  /** The whole data range, header row 1 included. */
  values: unknown[][];
  columns: ColumnMappingResult;
}

export interface LoadedSchool {
  model: SchoolModel;
  tracker: TrackerData;
  settings: Settings;
  settingsProblems: SettingsProblem[];
  /** The Interventions Log as read (header row included). */
  logValues: unknown[][];
  /**
   * The same school evaluated again with rows added to the log (a contact just logged), from what
   * was already read: no service call (issue 10: the tracker row is brought up to date cheaply).
   */
  withLogRows(rows: readonly (readonly unknown[])[]): SchoolModel;
}

/** The tracker's values (one getDataRange().getValues()) and its column mapping; throws when unusable. */
export function readTracker(ss: Spreadsheet): TrackerData {
  const sheet = findTrackerSheet(ss);
  if (!sheet) {
    throw new Error(`No tracker tab found (looked for "${SHEET_NAMES.tracker}" and for a tab with Student ID, Name and Year columns). Run SOL Tracker ▸ Set up… first.`);
  }
  // Date cells as the sheet shows them, in its own zone (sheetDates.ts).
  const values = withSheetDates(ss, sheet.getDataRange().getValues() as unknown[][]);
  if (values.length === 0 || values[0]!.every((h) => String(h ?? '').trim() === '')) {
    throw new Error(`The tracker tab "${sheet.getName()}" is empty: row 1 needs headers (Student ID, Student Name, Year Group…). Run SOL Tracker ▸ Set up… first.`);
  }
  const columns = trackerColumns(values[0]!);
  const problems = mappingProblems(columns);
  if (problems.length > 0) throw new Error(`Tracker tab "${sheet.getName()}", row 1: ${problems.join(' ')}`);
  return { sheet, values, columns };
}

function readWhole(sheet: Sheet | null): unknown[][] {
  return sheet ? (sheet.getDataRange().getValues() as unknown[][]) : [];
}

/**
 * The Register rows of a few students: the ID column, the header row and each student's row
 * (a handful of small reads instead of 2,000 × 380 cells for one sidebar look-up).
 */
function readRegisterRows(sheet: Sheet, ids: ReadonlySet<string>): { values: unknown[][]; rows: number[] } {
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  if (lastRow === 0 || lastColumn === 0) return { values: [], rows: [] };
  const idColumn = sheet.getRange(1, 1, lastRow, 1).getValues();
  const header = sheet.getRange(1, 1, 1, lastColumn).getValues()[0]!;
  const values: unknown[][] = [header];
  const rows: number[] = [1];
  for (let r = 1; r < idColumn.length; r++) {
    if (!ids.has(String(idColumn[r]![0] ?? '').trim())) continue;
    values.push(sheet.getRange(r + 1, 1, 1, lastColumn).getValues()[0]!);
    rows.push(r + 1);
  }
  return { values, rows };
}

export function loadSchool(ss: Spreadsheet, today: string, opts: LoadSchoolOptions = {}): LoadedSchool {
  let settings = opts.settings;
  let settingsProblems = opts.settingsProblems ?? [];
  if (!settings) {
    const loaded = loadSettings(ss);
    settings = loaded.settings;
    settingsProblems = loaded.problems;
  }
  const tracker = opts.tracker ?? readTracker(ss);

  const registerSheet = ss.getSheetByName(SHEET_NAMES.register);
  let registerValues: unknown[][] = [];
  let registerRows: number[] | undefined;
  if (opts.registerValues) {
    registerValues = opts.registerValues; // just written by the import: not read back (760,000 cells by July)
  } else if (registerSheet) {
    let selected: Set<string> | null = null;
    if (opts.only) {
      const ids = readTrackerRows(tracker.values, tracker.columns.mapping).students.filter(opts.only).map((s) => s.studentId);
      if (ids.length <= SELECTIVE_REGISTER_LIMIT) selected = new Set(ids);
    }
    if (selected) {
      const part = readRegisterRows(registerSheet, selected);
      registerValues = part.values;
      registerRows = part.rows;
    } else {
      registerValues = readWhole(registerSheet);
    }
  }
  const logValues = opts.logValues ?? withSheetDates(ss, readWhole(ss.getSheetByName(SHEET_NAMES.log)));

  const evaluate = (log: unknown[][]): SchoolModel => {
    const model = buildSchoolModel({
      trackerValues: tracker.values,
      columns: tracker.columns,
      registerValues,
      registerRows,
      logValues: log,
      settings: settings!,
      today,
      only: opts.only,
    });
    if (!registerSheet) model.problems.unshift(`No "${SHEET_NAMES.register}" tab: import register marks first (SOL Tracker ▸ Open sidebar ▸ Import).`);
    return model;
  };
  const model = evaluate(logValues);
  const withLogRows = (rows: readonly (readonly unknown[])[]) => evaluate([...(logValues.length > 0 ? logValues : [[]]), ...rows.map((r) => [...r])]);
  return { model, tracker, settings, settingsProblems, logValues, withLogRows };
}
