/**
 * Recalculate: evaluate every student and write the add-on's own tracker columns and the colour
 * coding. Reads each tab once, then writes a fixed number of batched calls — one setValues per run
 * of owned columns, one setBackgrounds for the data block, one setNumberFormat for the percent
 * column, one note with the colour legend — whatever the number of students (DESIGN.md §5).
 * Staff columns are never written (their values stay exactly as they were).
 */
import type { RecalculateResponse } from '../rpcTypes';
import { bandsFor, COLOURS, legendText, plainRow, rowColours } from '../core/tracker/colours';
import { trackerField } from '../core/tracker/columns';
import { missingOwnedFields, ownedColumnRuns, ownedValues, PERCENT_FORMAT } from '../core/tracker/ownedColumns';
import type { SchoolModel } from '../core/schoolModel';
import { todayIso } from './clock';
import { logMissedContacts } from './contacts';
import { bringLogDropdownsUpToDate } from './dropdowns';
import { markTrackerChanged } from './dataVersion';
import { withSpreadsheetLease } from './lock';
import { authorise } from './session';
import { loadSettings, type LoadedSettings } from './settingsStore';
import { loadSchool, readTracker, type TrackerData } from './schoolData';
import { getSpreadsheet } from './spreadsheet';
import { REGISTER_IMPORTED_AT_KEY } from './weekly';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface RecalculateResult extends RecalculateResponse {
  /** Everything staff should fix (sheet, row, column, why). */
  problems: string[];
  /** The evaluated school, for callers that go on to use it (the weekly report) without reading it again. */
  model: SchoolModel;
  /** RTC/ROPC cells found filled with no log row (onEdit missed them); now logged. */
  missedContacts: number;
}

/** Backgrounds of every data row (rows 2…), one entry per column of the data range. */
export function backgroundsFor(model: SchoolModel, columnCount: number, mapping: Parameters<typeof rowColours>[2]): (string | null)[][] {
  const limits = bandsFor(model.policy.id, model.policy.steps.length);
  return model.rows.map((outcome) => {
    switch (outcome.kind) {
      case 'student':
        return rowColours(outcome.record, columnCount, mapping, limits);
      case 'unevaluated':
      case 'invalid':
        return plainRow(COLOURS.notEvaluated, columnCount);
      case 'blank':
        return plainRow(null, columnCount);
    }
  });
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;
}

function summary(model: SchoolModel, sheetName: string, settingsProblems: number): string {
  let atStep = 0;
  let pa = 0;
  let overdue = 0;
  for (const r of model.byId.values()) {
    if (r.placement.step > 0) atStep++;
    if (r.stats.persistentAbsence) pa++;
    if (r.overdue) overdue++;
  }
  const parts = [
    `Recalculated ${plural(model.byId.size, 'student')} on "${sheetName}": ${atStep.toLocaleString('en-GB')} at a step, ${pa.toLocaleString('en-GB')} persistently absent, ${plural(overdue, 'overdue contact')}.`,
  ];
  if (model.unevaluated.size > 0) parts.push(`${plural(model.unevaluated.size, 'student')} not evaluated (grey rows: the Why column says what to fix).`);
  if (model.problems.length > 0) parts.push(`${plural(model.problems.length, 'problem')} to fix, first: ${model.problems[0]}`);
  if (settingsProblems > 0) parts.push(`Settings has ${plural(settingsProblems, 'problem')}: the last valid settings were used.`);
  return parts.join(' ');
}

/** Document property: which register import (its time) the last complete recalculation followed, and on which day. */
const RECALCULATED_KEY = 'sol.recalculatedAfter';

function documentProperties(): GoogleAppsScript.Properties.Properties | null {
  try {
    return PropertiesService.getDocumentProperties();
  } catch {
    return null;
  }
}

function recalculatedMark(props: GoogleAppsScript.Properties.Properties, today: string): string {
  return `${props.getProperty(REGISTER_IMPORTED_AT_KEY) ?? 'never'}|${today}`;
}

function noteRecalculated(today: string): void {
  const props = documentProperties();
  if (props) props.setProperty(RECALCULATED_KEY, recalculatedMark(props, today));
}

/**
 * True when a complete recalculation already followed the last register import today: an import
 * that brings nothing new need not recalculate again (issue 13). A failed or stopped recalculation
 * leaves no mark, so a retry still recalculates.
 */
export function recalculatedSinceImport(today: string): boolean {
  const props = documentProperties();
  return props !== null && props.getProperty(RECALCULATED_KEY) === recalculatedMark(props, today);
}

/**
 * The recalculation itself, for the menu, the sidebar, the weekly job and the import. No UI, no
 * role check and no lock: the caller checks the role and holds the document lock.
 */
export function recalculateWithin(ss: Spreadsheet, settingsLoaded?: LoadedSettings, known: { tracker?: TrackerData; registerValues?: unknown[][] } = {}): RecalculateResult {
  const loaded = settingsLoaded ?? loadSettings(ss);
  const today = todayIso(ss);

  // Check the layout before reading anything else, so a missing column writes nothing. An import
  // passes the tracker it read and the Register it wrote, so neither is read twice in one execution.
  const tracker = known.tracker ?? readTracker(ss);
  const missing = missingOwnedFields(tracker.columns.mapping);
  if (missing.length > 0) {
    const names = missing.map((k) => `"${trackerField(k).header}"`).join(', ');
    throw new Error(`The tracker tab "${tracker.sheet.getName()}" has no column ${names}: run SOL Tracker ▸ Set up… first (it adds the add-on's columns). Nothing was changed.`);
  }
  // RTC/ROPC typed in the tracker that onEdit never logged (its queue of 2 drops events, S7.2): log
  // them now, marked as found later, so the evaluation below and every report include them.
  const { missed, logValues } = logMissedContacts(ss, tracker.values, tracker.columns.mapping, today, 'later');
  const { model } = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, logValues, ...(known.registerValues ? { registerValues: known.registerValues } : {}) });

  const sheet = tracker.sheet;
  const dataRows = tracker.values.length - 1;
  const columnCount = tracker.values[0]!.length;
  if (dataRows > 0) {
    const mapping = tracker.columns.mapping;
    const runs = ownedColumnRuns(mapping);
    // Everything is computed before the first write: an error above leaves the sheet as it was.
    const values = ownedValues(model.rows, runs, model.dateFormat);
    const backgrounds = backgroundsFor(model, columnCount, mapping);
    runs.forEach((run, i) => sheet.getRange(2, run.startColumn + 1, dataRows, run.fields.length).setValues(values[i]!));
    sheet.getRange(2, 1, dataRows, columnCount).setBackgrounds(backgrounds);
    sheet.getRange(2, mapping.attendancePercent! + 1, dataRows, 1).setNumberFormat(PERCENT_FORMAT);
    sheet.getRange(1, mapping.ladderStep! + 1).setNote(legendText());
  }
  markTrackerChanged(ss); // =ATTEND_TIER(id, SOL_UPDATED) cells re-run (dataVersion.ts)
  noteRecalculated(today);
  // A sheet set up by an earlier version: the Log's dropdowns gain the values the add-on now writes.
  const dropdowns = bringLogDropdownsUpToDate(ss);
  const found = missed.length === 0 ? '' : ` ${missed.length.toLocaleString('en-GB')} RTC/ROPC ${missed.length === 1 ? 'entry' : 'entries'} typed in the tracker ${missed.length === 1 ? 'was' : 'were'} missing from the Interventions Log and ${missed.length === 1 ? 'is' : 'are'} now logged as found by Recalculate (check who made ${missed.length === 1 ? 'it' : 'them'}).`;
  const updated = dropdowns.length === 0 ? '' : ` The Interventions Log's ${dropdowns.join(' and ')} ${dropdowns.length === 1 ? 'dropdown now offers' : 'dropdowns now offer'} every value the add-on writes (your own values kept).`;
  return { students: model.byId.size, message: summary(model, sheet.getName(), loaded.problems.length) + found + updated, problems: model.problems, model, missedContacts: missed.length };
}

/** RPC `recalculate` (sidebar) — HOY, AO, AL and Admin only. */
export function recalculate(ss?: Spreadsheet): RecalculateResponse {
  const spreadsheet = ss ?? getSpreadsheet();
  const loaded = loadSettings(spreadsheet);
  const actor = authorise(loaded.settings, 'recalculate');
  const result = withSpreadsheetLease(spreadsheet, 'recalculate', () => recalculateWithin(spreadsheet, loaded), { by: actor.email });
  return { students: result.students, message: result.message };
}

/** Menu SOL Tracker ▸ Recalculate: the summary (or what went wrong) as a toast. */
export function menuRecalculate(): void {
  const ss = getSpreadsheet();
  try {
    ss.toast(recalculate(ss).message, 'SOL Tracker', 10);
  } catch (err) {
    // The toast is what the user sees; the log keeps the stack for the execution record.
    ss.toast((err as Error).message, 'SOL Tracker: not recalculated', 20);
    console.error(err);
  }
}
