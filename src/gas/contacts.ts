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
import { recordFromRequest, recordFromTrackerEdit, requestMarker, rowColoursAfterContact, validateContactRequest, type ContactColumn } from '../core/contactRecord';
import { LOG_ATTENDANCE_COLUMN, LOG_HEADERS, logRow } from '../core/interventionsLog';
import { PERCENT_CELL_FORMAT } from '../core/format/percent';
import { canSeeStudent, scopeWords } from '../core/roles';
import { cleanCell } from '../core/sanitise';
import type { Settings } from '../core/settings';
import { bandsFor, COLOURS, rowColours } from '../core/tracker/colours';
import { mapColumns } from '../core/tracker/columns';
import { ownedColumnRuns, ownedValues } from '../core/tracker/ownedColumns';
import { toStudentView } from '../core/studentView';
import { timestampIso, todayIso } from './clock';
import { withDocumentLock } from './lock';
import { loadSchool, readTracker } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';
import { friendlyReason } from './friendly';
import { isoDateOfCell } from '../core/calendar';
import { staffAccess } from './staffStore';

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

/**
 * Simple trigger onEdit(e): RTC / ROPC typed on the tracker → log row + row colours. Anything else:
 * nothing. Exactly once: the same entry retyped the same day is not logged again, and the person is
 * told the truth — "not logged, type it again" only when the log row was not written.
 */
export function onEdit(e?: EditEvent): void {
  // Only a single-cell edit carries e.value; a paste, a fill or a cleared cell has none (S7.4).
  if (!e || !e.range || e.value === undefined || e.value === null || String(e.value).trim() === '') return;
  const range = e.range;
  // Called through google.script.run with a made-up event (a plain object, no Range): nothing to do.
  if (typeof range.getNumRows !== 'function' || typeof range.getSheet !== 'function') return;
  let ss: Spreadsheet | null = e.source && typeof e.source.toast === 'function' ? e.source : null;
  let row = 0;
  let which: ContactColumn | null = null;
  let logged = false;
  try {
    if (range.getNumRows() !== 1 || range.getNumColumns() !== 1) return;
    row = range.getRow();
    if (row < 2) return;
    const sheet = range.getSheet();
    const trackerName = documentProperty(PROPERTY_KEYS.trackerSheet) ?? SHEET_NAMES.tracker;
    if (sheet.getName() !== trackerName) return;

    const lastColumn = sheet.getLastColumn();
    const column = range.getColumn() - 1;
    if (lastColumn === 0 || column >= lastColumn) return;
    const header = sheet.getRange(1, 1, 1, lastColumn).getValues()[0];
    const mapping = mapColumns(header).mapping;
    which = column === mapping.rtc ? 'rtc' : column === mapping.ropc ? 'ropc' : null;
    if (which === null || mapping.studentId === undefined) return;

    ss ??= sheet.getParent();
    const cells = sheet.getRange(row, 1, 1, lastColumn).getValues()[0];
    let by = '';
    try {
      by = e.user?.getEmail?.() ?? '';
    } catch {
      by = ''; // identity may be unavailable to a simple trigger (S7.2)
    }
    const today = todayIso(ss);
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
    const name =
      mapping.studentName !== undefined
        ? cleanCell(cells[mapping.studentName])
        : [mapping.firstName, mapping.lastName].map((c) => (c === undefined ? '' : cleanCell(cells[c]))).filter(Boolean).join(' ');
    const colours = rowColoursAfterContact(cells, mapping, lastColumn, bandsFor(presetIdFromProperties()));
    const recordedAt = timestampIso(ss);
    const spreadsheet = ss;

    withDocumentLock(() => {
      const log = logSheet(spreadsheet);
      const newRow = logRow(record, recordedAt, name);
      if (!alreadyLogged(log, newRow)) appendLogRow(log, newRow);
      logged = true;
      if (mapping.lastContact !== undefined) sheet.getRange(row, mapping.lastContact + 1).setValue(`'${today}`);
      sheet.getRange(row, 1, 1, lastColumn).setBackgrounds([colours]);
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
    const row = logRow(log, timestampIso(ss), student.name);
    const mapping = tracker.columns.mapping;
    const columnCount = tracker.values[0].length;

    if (!already) appendLogRow(logSheet(ss), row);
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
    const rowColour = colours[mapping.studentId ?? 0] ?? COLOURS.none;
    return { logged: true, student: toStudentView(updated, loaded.settings.staff), rowColour };
  });
}
