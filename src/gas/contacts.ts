/**
 * Recording contacts (seed 002 RTC/ROPC, seed 001 documentation):
 *
 * - onEdit (simple trigger): staff type in the tracker's RTC or ROPC cell → one Interventions Log
 *   row and the row re-coloured. A simple trigger runs in AuthMode.LIMITED for at most 30 s (S7.2):
 *   it touches only this spreadsheet (no MailApp, no ScriptApp), may not know the user (then
 *   'unknown (simple trigger)' is recorded), and reads just the header row and the edited row.
 * - logContact (RPC): the sidebar form, with the role and the tutor-group check.
 */
import type { LogContactRequest, LogContactResponse } from '../rpcTypes';
import { contactCellNote, contactCellsMissingFromLog, contactCellText, recordForMissedContact, type MissedContact } from '../core/contactCells';
import { recordFromRequest, recordFromTrackerEdit, rowColoursAfterContact, UNKNOWN_EDITOR, validateContactRequest, type ContactColumn } from '../core/contactRecord';
import { LOG_ATTENDANCE_COLUMN, LOG_HEADERS, logRow } from '../core/interventionsLog';
import { PERCENT_CELL_FORMAT } from '../core/format/percent';
import { canSeeStudent } from '../core/roles';
import { cleanCell } from '../core/sanitise';
import type { Settings } from '../core/settings';
import { bandsFor, COLOURS, rowColours } from '../core/tracker/colours';
import { mapColumns, type ColumnMapping } from '../core/tracker/columns';
import { ownedColumnRuns, ownedValues } from '../core/tracker/ownedColumns';
import { toStudentView } from '../core/studentView';
import { timestampIso, todayIso } from './clock';
import { markTrackerChanged } from './dataVersion';
import { withDocumentLock } from './lock';
import { loadSchool, readTracker } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';
import { withSheetDates } from './sheetDates';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The lock wait inside onEdit: well inside the trigger's 30 s. */
const ON_EDIT_LOCK_MS = 5000;

/** The Interventions Log tab, created with its header row if setup has not made it yet. */
function logSheet(ss: Spreadsheet): Sheet {
  const existing = ss.getSheetByName(SHEET_NAMES.log);
  if (existing) return existing;
  const sheet = ss.insertSheet(SHEET_NAMES.log);
  sheet.getRange(1, 1, 1, LOG_HEADERS.length).setValues([[...LOG_HEADERS]]);
  sheet.setFrozenRows(1);
  return sheet;
}

/** One Log row appended; its attendance figure shown under the one percent rule. */
function appendLogRow(sheet: Sheet, row: (string | number)[]): void {
  sheet.appendRow(row);
  sheet.getRange(sheet.getLastRow(), LOG_ATTENDANCE_COLUMN).setNumberFormat(PERCENT_CELL_FORMAT);
}

function documentProperty(key: string): string | null {
  try {
    return PropertiesService.getDocumentProperties().getProperty(key);
  } catch {
    return null;
  }
}

/** The preset in force, from the last valid settings kept by loadSettings (one property read, no tab read). */
function presetIdFromProperties(): string {
  const saved = documentProperty(PROPERTY_KEYS.lastValidSettings);
  if (!saved) return 'uk-secondary-sol';
  try {
    return (JSON.parse(saved) as Partial<Settings>).presetId ?? 'uk-secondary-sol';
  } catch {
    return 'uk-secondary-sol';
  }
}

interface EditEvent {
  range?: GoogleAppsScript.Spreadsheet.Range;
  value?: unknown;
  user?: { getEmail?: () => string } | null;
  source?: Spreadsheet;
}

function studentNameOf(cells: readonly unknown[], mapping: ColumnMapping): string {
  return mapping.studentName !== undefined
    ? cleanCell(cells[mapping.studentName])
    : [mapping.firstName, mapping.lastName].map((c) => (c === undefined ? '' : cleanCell(cells[c]))).filter(Boolean).join(' ');
}

/**
 * Log rows for the filled RTC/ROPC cells the Interventions Log lacks (core/contactCells.ts): a
 * pasted block (onEdit, by its editor) or contacts whose onEdit never ran (Recalculate, "found
 * later"). trackerValues is indexed by row - 1 (header row 1); rows limits the check. Returns what
 * was logged and the log as it now is (so the caller need not read it again). Caller holds the lock.
 */
export function logMissedContacts(
  ss: Spreadsheet,
  trackerValues: readonly (readonly unknown[])[],
  mapping: ColumnMapping,
  today: string,
  found: { by: string } | 'later',
  rows?: readonly number[],
): { missed: MissedContact[]; logValues: unknown[][] } {
  const existing = ss.getSheetByName(SHEET_NAMES.log);
  const logValues = existing ? withSheetDates(ss, existing.getDataRange().getValues() as unknown[][]) : [];
  const missed = contactCellsMissingFromLog(trackerValues, mapping, logValues, rows);
  if (missed.length === 0) return { missed, logValues };
  const recordedAt = timestampIso(ss);
  const newRows = missed.map((m) => {
    const cells = trackerValues[m.row - 1]!;
    const record = recordForMissedContact(m, mapping.ladderStep === undefined ? '' : cells[mapping.ladderStep], today, found);
    return logRow(record, recordedAt, studentNameOf(cells, mapping));
  });
  const sheet = existing ?? logSheet(ss);
  const start = sheet.getLastRow() + 1;
  const lastNeeded = start + newRows.length - 1;
  if (lastNeeded > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), lastNeeded - sheet.getMaxRows());
  sheet.getRange(start, 1, newRows.length, LOG_HEADERS.length).setValues(newRows);
  const header = logValues.length > 0 ? logValues : [[...LOG_HEADERS]];
  return { missed, logValues: [...header, ...newRows] };
}

function editorOf(e: EditEvent): string {
  try {
    return e.user?.getEmail?.() ?? '';
  } catch {
    return ''; // identity may be unavailable to a simple trigger (S7.2)
  }
}

/**
 * Simple trigger onEdit(e): RTC / ROPC typed on the tracker → one log row + row colours; a pasted or
 * filled block over RTC/ROPC cells → a log row for each cell the log lacks. Anything else: nothing.
 * Events can still be lost (the queue of 2, S7.2): Recalculate finds those (logMissedContacts).
 */
export function onEdit(e?: EditEvent): void {
  if (!e || !e.range) return;
  const range = e.range;
  const single = range.getNumRows() === 1 && range.getNumColumns() === 1;
  // A single cell carries e.value; a cleared cell has none (S7.4). A block never has one.
  if (single && (e.value === undefined || e.value === null || String(e.value).trim() === '')) return;
  const firstRow = Math.max(2, range.getRow());
  const lastRow = range.getRow() + range.getNumRows() - 1;
  if (lastRow < 2) return;
  const sheet = range.getSheet();
  const trackerName = documentProperty(PROPERTY_KEYS.trackerSheet) ?? SHEET_NAMES.tracker;
  if (sheet.getName() !== trackerName) return;

  const lastColumn = sheet.getLastColumn();
  const firstColumn = range.getColumn() - 1;
  const endColumn = firstColumn + range.getNumColumns() - 1;
  if (lastColumn === 0 || firstColumn >= lastColumn) return;
  const header = sheet.getRange(1, 1, 1, lastColumn).getValues()[0];
  const mapping = mapColumns(header).mapping;
  const inRange = (c: number | undefined) => c !== undefined && c >= firstColumn && c <= endColumn;
  if (mapping.studentId === undefined || !(inRange(mapping.rtc) || inRange(mapping.ropc))) return;
  const ss = e.source ?? sheet.getParent();
  const by = editorOf(e);
  const today = todayIso(ss);
  const bands = bandsFor(presetIdFromProperties());

  if (!single) {
    onEditBlock(ss, sheet, mapping, { firstRow, lastRow, lastColumn, by, today, bands });
    return;
  }
  const column = firstColumn;
  const row = firstRow;
  const which: ContactColumn = column === mapping.rtc ? 'rtc' : 'ropc';
  const cells = withSheetDates(ss, sheet.getRange(row, 1, 1, lastColumn).getValues())[0]!;
  const record = recordFromTrackerEdit({
    column: which,
    cellText: String(e.value),
    studentId: cleanCell(cells[mapping.studentId]),
    stepCell: mapping.ladderStep === undefined ? '' : cells[mapping.ladderStep],
    today,
    by,
  });
  if (!record) return;
  // The cell's text goes in Notes, so Recalculate can tell a logged cell from a missed one.
  record.notes = contactCellNote(which, contactCellText(cells[column]) || String(e.value).trim(), record.notes);
  const name = studentNameOf(cells, mapping);
  const colours = rowColoursAfterContact(cells, mapping, lastColumn, bands);
  const recordedAt = timestampIso(ss);

  try {
    withDocumentLock(() => {
      appendLogRow(logSheet(ss), logRow(record, recordedAt, name));
      if (mapping.lastContact !== undefined) sheet.getRange(row, mapping.lastContact + 1).setValue(`'${today}`);
      sheet.getRange(row, 1, 1, lastColumn).setBackgrounds([colours]);
      markTrackerChanged(ss);
    }, ON_EDIT_LOCK_MS);
  } catch (err) {
    ss.toast(`The ${which.toUpperCase()} entry on row ${row} was not logged: ${(err as Error).message} Type it again, or use the sidebar.`, 'SOL Tracker', 10);
  }
}

/** A pasted or filled block on the tracker: log each RTC/ROPC cell the log lacks, colour those rows. */
function onEditBlock(
  ss: Spreadsheet,
  sheet: Sheet,
  mapping: ColumnMapping,
  at: { firstRow: number; lastRow: number; lastColumn: number; by: string; today: string; bands: ReturnType<typeof bandsFor> },
): void {
  const block = withSheetDates(ss, sheet.getRange(at.firstRow, 1, at.lastRow - at.firstRow + 1, at.lastColumn).getValues());
  const trackerValues: unknown[][] = [];
  block.forEach((cells, i) => { trackerValues[at.firstRow - 1 + i] = cells; });
  const rows = block.map((_, i) => at.firstRow + i);
  try {
    withDocumentLock(() => {
      const { missed } = logMissedContacts(ss, trackerValues, mapping, at.today, { by: at.by || UNKNOWN_EDITOR }, rows);
      if (missed.length === 0) return;
      const touched = new Set(missed.map((m) => m.row));
      const colours = block.map((cells, i) => (touched.has(at.firstRow + i) ? rowColoursAfterContact(cells, mapping, at.lastColumn, at.bands) : null));
      // One write for the block's backgrounds and one for its Last contact cells (rows not logged keep theirs).
      const current = sheet.getRange(at.firstRow, 1, block.length, at.lastColumn).getBackgrounds();
      sheet.getRange(at.firstRow, 1, block.length, at.lastColumn).setBackgrounds(colours.map((c, i) => c ?? current[i]!));
      if (mapping.lastContact !== undefined) {
        const lc = mapping.lastContact;
        sheet.getRange(at.firstRow, lc + 1, block.length, 1).setValues(block.map((cells, i) => [touched.has(at.firstRow + i) ? `'${at.today}` : (cells[lc] as string)]));
      }
      markTrackerChanged(ss);
    }, ON_EDIT_LOCK_MS);
  } catch (err) {
    ss.toast(`The RTC/ROPC entries pasted on rows ${at.firstRow}–${at.lastRow} were not all logged: ${(err as Error).message} Recalculate will log them.`, 'SOL Tracker', 10);
  }
}

function groupsOf(value: string | undefined): string {
  return (value ?? '').split(/[,;]\s*/).filter(Boolean).join(', ') || 'none';
}

/** RPC logContact: validate, check role and group, append to the log, update the row, return the student. */
export function logContact(request: LogContactRequest): LogContactResponse {
  const req = validateContactRequest(request as unknown as Parameters<typeof validateContactRequest>[0]);
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'logContact');
  return withDocumentLock(() => {
    const today = todayIso(ss);
    const tracker = readTracker(ss);
    const only = (s: { studentId: string }) => s.studentId === req.studentId;
    const before = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, only }).model;
    const record = before.byId.get(req.studentId);
    if (!record) {
      const un = before.unevaluated.get(req.studentId);
      throw new Error(
        un
          ? `Log contact: ${un.problem} Fix that first; nothing was recorded.`
          : `Log contact: no student with ID "${req.studentId}" on the tracker tab "${tracker.sheet.getName()}". Nothing was recorded.`,
      );
    }
    const student = record.student;
    if (!canSeeStudent(actor, student)) {
      const scope =
        actor.role === 'Tutor'
          ? `as a Tutor of ${groupsOf(actor.member?.tutorGroup)}, and ${student.name} is in tutor group ${student.tutorGroup || '(none)'}`
          : actor.role === 'HOY'
            ? `as Head of Year ${groupsOf(actor.member?.yearGroup)}, and ${student.name} is in year ${student.yearGroup}`
            : 'without a role in the Staff table';
      throw new Error(`Log contact refused: ${actor.email || 'you'} may log contacts only for their own students (${scope}). Nothing was recorded.`);
    }

    const log = recordFromRequest(req, { today, by: actor.email, step: record.placement.step, attendanceAtTime: record.stats.attendanceFraction });
    const row = logRow(log, timestampIso(ss), student.name);
    const mapping = tracker.columns.mapping;
    const columnCount = tracker.values[0].length;

    appendLogRow(logSheet(ss), row);
    if (mapping.lastContact !== undefined) tracker.values[student.row - 1][mapping.lastContact] = today;
    // Re-evaluate with the new log row, then write that row's own cells (Last contact, Contact due
    // no longer "overdue", step…) and colours — one write per run of owned columns, as Recalculate does.
    const after = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, only }).model;
    const updated = after.byId.get(req.studentId) ?? record;
    const runs = ownedColumnRuns(mapping);
    ownedValues([{ kind: 'student', row: student.row, record: updated }], runs).forEach((values, i) => {
      tracker.sheet.getRange(student.row, runs[i].startColumn + 1, 1, values[0].length).setValues(values);
    });
    const colours = rowColours(updated, columnCount, mapping, bandsFor(after.policy.id, after.policy.steps.length));
    tracker.sheet.getRange(student.row, 1, 1, columnCount).setBackgrounds([colours]);
    markTrackerChanged(ss);
    const rowColour = colours[mapping.studentId ?? 0] ?? COLOURS.none;
    return { logged: true, student: toStudentView(updated, loaded.settings.staff), rowColour };
  });
}
