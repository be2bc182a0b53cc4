/**
 * Recording contacts (seed 002 RTC/ROPC, seed 001 documentation):
 *
 * - onEdit (simple trigger): staff type in the tracker's RTC or ROPC cell → one Interventions Log
 *   row and the row re-coloured. A simple trigger runs in AuthMode.LIMITED for at most 30 s (S7.2):
 *   it touches only this spreadsheet (no MailApp, no ScriptApp), may not know the user (then
 *   'not known (typed in the tracker)' is recorded), and reads just the header row and the edited row.
 * - logContact (RPC): the sidebar form, with the role and the tutor-group check.
 */
import type { LogContactRequest, LogContactResponse } from '../rpcTypes';
import { contactCellNote, contactCellsMissingFromLog, contactCellText, recordForMissedContact, type MissedContact } from '../core/contactCells';
import { recordFromRequest, recordFromTrackerEdit, requestMarker, rowColoursAfterContact, UNKNOWN_EDITOR, validateContactRequest, type ContactColumn } from '../core/contactRecord';
import { LOG_ATTENDANCE_COLUMN, LOG_HEADERS, logRow } from '../core/interventionsLog';
import { PERCENT_CELL_FORMAT } from '../core/format/percent';
import { dateFormatFor, formatSchoolDate, type SchoolDateFormat } from '../core/format';
import { getPreset } from '../core/policy/presets';
import { canSeeStudent, scopeWords } from '../core/roles';
import { cleanCell } from '../core/sanitise';
import type { Settings } from '../core/settings';
import { bandsFor, COLOURS, rowColours } from '../core/tracker/colours';
import { mapColumns, type ColumnMapping } from '../core/tracker/columns';
import { ownedColumnRuns, ownedValues } from '../core/tracker/ownedColumns';
import { toStudentView } from '../core/studentView';
import { timestampIso, todayIso } from './clock';
import { markTrackerChanged } from './dataVersion';
import { ensureRows } from './grow';
import { withDocumentLock } from './lock';
import { loadSchool, readTracker } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';
import { friendlyReason } from './friendly';
import { isoDateOfCell } from '../core/calendar';
import { staffAccess } from './staffStore';
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
  try {
    return staffAccess().record?.settings?.presetId ?? 'uk-secondary-sol';
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

/** How many of the log's last rows onEdit checks for the same entry (a retyped cell within minutes). */
export const RECENT_LOG_ROWS = 300;

/** True when the log's recent rows already hold this entry (same pupil, day, method, outcome and note). */
function alreadyLogged(sheet: Sheet, row: readonly (string | number)[]): boolean {
  const last = sheet.getLastRow();
  if (last < 2) return false;
  const first = Math.max(2, last - RECENT_LOG_ROWS + 1);
  const recent = sheet.getRange(first, 1, last - first + 1, LOG_HEADERS.length).getValues();
  const text = (v: unknown) => String(v ?? '').replace(/^'/, '').trim();
  const same = (r: unknown[]) => [1, 2, 5, 6, 12].every((c) => text(c === 1 && r[c] instanceof Date ? isoDateOfCell(r[c]) : r[c]) === text(row[c]));
  return recent.some(same);
}

/** How this school writes dates for people, from its preset (the UK format if the preset is unknown). */
function schoolDateFormat(presetId: string): SchoolDateFormat {
  try {
    return dateFormatFor(getPreset(presetId).codeTableId);
  } catch {
    return dateFormatFor('');
  }
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
  const dateFormat = schoolDateFormat(presetIdFromProperties());
  const newRows = missed.map((m) => {
    const cells = trackerValues[m.row - 1]!;
    // Found later by Recalculate: logged at no step (it raises nothing; the evaluation that follows
    // places the pupil). Pasted now: at the pupil's own evaluated step, found by ID.
    const step = found === 'later' ? 0 : stepOfStudent(ss, today, m.studentId);
    const record = recordForMissedContact(m, step, today, found);
    return logRow(record, recordedAt, studentNameOf(cells, mapping), dateFormat);
  });
  const sheet = existing ?? logSheet(ss);
  const start = sheet.getLastRow() + 1;
  ensureRows(sheet, start + newRows.length - 1); // the Log has no fixed size (DESIGN.md §5)
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
 * Exactly once: the same entry retyped the same day is not logged again, and the person is told the
 * truth — "not logged, type it again" only when the log row was not written.
 */
export function onEdit(e?: EditEvent): void {
  if (!e || !e.range) return;
  const range = e.range;
  // Called through google.script.run with a made-up event (a plain object, no Range): nothing to do.
  if (typeof range.getNumRows !== 'function' || typeof range.getSheet !== 'function') return;
  let ss: Spreadsheet | null = e.source && typeof e.source.toast === 'function' ? e.source : null;
  let row = 0;
  let which: ContactColumn | null = null;
  let logged = false;
  try {
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
    ss ??= sheet.getParent();
    const by = editorOf(e);
    const today = todayIso(ss);
    const presetId = presetIdFromProperties();
    const bands = bandsFor(presetId);
    const dateFormat = schoolDateFormat(presetId);

    if (!single) {
      onEditBlock(ss, sheet, mapping, { firstRow, lastRow, lastColumn, by, today, bands, dateFormat });
      return;
    }
    const column = firstColumn;
    row = firstRow;
    which = column === mapping.rtc ? 'rtc' : 'ropc';
    const cells = withSheetDates(ss, sheet.getRange(row, 1, 1, lastColumn).getValues())[0]!;
    const studentId = cleanCell(cells[mapping.studentId]);
    // The step comes from this pupil's own evaluation, found by ID — never from the row's Step cell.
    const record = recordFromTrackerEdit({
      column: which,
      cellText: String(e.value),
      studentId,
      step: studentId && String(e.value).trim() ? stepOfStudent(ss, today, studentId) : 0,
      today,
      by,
    });
    if (!record) return;
    // The cell's text goes in Notes, so Recalculate can tell a logged cell from a missed one.
    record.notes = contactCellNote(which, contactCellText(cells[column]) || String(e.value).trim(), record.notes);
    const name = studentNameOf(cells, mapping);
    const colours = rowColoursAfterContact(cells, mapping, lastColumn, bands);
    const recordedAt = timestampIso(ss);
    const spreadsheet = ss;

    withDocumentLock(() => {
      const log = logSheet(spreadsheet);
      const newRow = logRow(record, recordedAt, name, dateFormat);
      if (!alreadyLogged(log, newRow)) appendLogRow(log, newRow);
      logged = true;
      if (mapping.lastContact !== undefined) sheet.getRange(row, mapping.lastContact + 1).setValue(`'${formatSchoolDate(today, dateFormat)}`);
      sheet.getRange(row, 1, 1, lastColumn).setBackgrounds([colours]);
      markTrackerChanged(spreadsheet);
    }, ON_EDIT_LOCK_MS);
  } catch (err) {
    const why = friendlyReason(err);
    if (which === null) {
      // Google failed before we could even tell which cell was edited: say so, in case it was RTC/ROPC.
      try {
        (ss ?? SpreadsheetApp.getActiveSpreadsheet())?.toast(`SOL Tracker could not check this edit (${why}). If you typed an RTC or ROPC entry, it was NOT logged: type it again, or log it from the sidebar.`, 'SOL Tracker', 15);
      } catch {
        /* nothing more can be told */
      }
      return;
    }
    if (!ss) return;
    const what = `The ${which.toUpperCase()} entry on row ${row}`;
    try {
      ss.toast(
        logged
          ? `${what} is in the Interventions Log, but the row's colour and Last contact could not be updated (${why}). Recalculate will update them.`
          : `${what} was NOT logged (${why}). Type it again, or log it from the sidebar.`,
        'SOL Tracker',
        15,
      );
    } catch {
      /* nothing more can be told here; Recalculate reconciles the RTC/ROPC cells with the log */
    }
  }
}

/**
 * The pupil's current step from their own evaluation (register + Log, found by ID), so a contact
 * typed on a row is logged at that pupil's step even if the row's Step cell was sorted out of line.
 * 0 (no step: it raises nothing) when the pupil cannot be evaluated.
 */
function stepOfStudent(ss: Spreadsheet, today: string, studentId: string): number {
  try {
    const school = loadSchool(ss, today, { only: (s) => s.studentId === studentId });
    return school.model.byId.get(studentId)?.placement.step ?? 0;
  } catch {
    return 0;
  }
}

/** A pasted or filled block on the tracker: log each RTC/ROPC cell the log lacks, colour those rows. */
function onEditBlock(
  ss: Spreadsheet,
  sheet: Sheet,
  mapping: ColumnMapping,
  at: { firstRow: number; lastRow: number; lastColumn: number; by: string; today: string; bands: ReturnType<typeof bandsFor>; dateFormat: SchoolDateFormat },
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
        sheet.getRange(at.firstRow, lc + 1, block.length, 1).setValues(block.map((cells, i) => [touched.has(at.firstRow + i) ? `'${formatSchoolDate(at.today, at.dateFormat)}` : (cells[lc] as string)]));
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
    const visible = (student: { yearGroup: string; tutorGroup: string } | undefined) => student !== undefined && canSeeStudent(actor, student);
    if (!record || !visible(record.student)) {
      const un = before.unevaluated.get(req.studentId);
      // The same words whether the pupil is unknown or outside the caller's scope: nothing is revealed.
      if (un && visible(un.student)) throw new Error(`Log contact: ${un.problem} Fix that first; nothing was recorded.`);
      throw new Error(`Log contact: no student with ID "${req.studentId}" among the students you may log contacts for${scopeWords(actor)}. Nothing was recorded.`);
    }
    const student = record.student;

    // Pressed again after a failure or a time-out: the same form submission is logged once.
    const already = req.requestKey !== undefined && record.history.some((h) => (h.notes ?? '').includes(requestMarker(req.requestKey!)));
    const log = recordFromRequest(req, { today, by: actor.email, step: record.placement.step, attendanceAtTime: record.stats.attendanceFraction });
    const row = logRow(log, timestampIso(ss), student.name, before.dateFormat);
    const mapping = tracker.columns.mapping;
    const columnCount = tracker.values[0].length;

    if (!already) appendLogRow(logSheet(ss), row);
    if (mapping.lastContact !== undefined) tracker.values[student.row - 1][mapping.lastContact] = today;
    // Re-evaluate with the new log row, then write that row's own cells (Last contact, Contact due
    // no longer "overdue", step…) and colours — one write per run of owned columns, as Recalculate does.
    const after = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, only }).model;
    const updated = after.byId.get(req.studentId) ?? record;
    const runs = ownedColumnRuns(mapping);
    ownedValues([{ kind: 'student', row: student.row, record: updated }], runs, after.dateFormat).forEach((values, i) => {
      tracker.sheet.getRange(student.row, runs[i].startColumn + 1, 1, values[0].length).setValues(values);
    });
    const colours = rowColours(updated, columnCount, mapping, bandsFor(after.policy.id, after.policy.steps.length));
    tracker.sheet.getRange(student.row, 1, 1, columnCount).setBackgrounds([colours]);
    markTrackerChanged(ss);
    const rowColour = colours[mapping.studentId ?? 0] ?? COLOURS.none;
    return { logged: true, student: toStudentView(updated, loaded.settings.staff), rowColour };
  });
}
