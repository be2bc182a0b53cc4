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
import { recordFromRequest, recordFromTrackerEdit, rowColoursAfterContact, validateContactRequest, type ContactColumn } from '../core/contactRecord';
import { LOG_ATTENDANCE_COLUMN, LOG_HEADERS, logRow } from '../core/interventionsLog';
import { PERCENT_CELL_FORMAT } from '../core/format/percent';
import { dateFormatFor, formatSchoolDate } from '../core/format';
import { getPreset } from '../core/policy/presets';
import { canSeeStudent } from '../core/roles';
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

/** Simple trigger onEdit(e): RTC / ROPC typed on the tracker → log row + row colours. Anything else: nothing. */
export function onEdit(e?: EditEvent): void {
  // Only a single-cell edit carries e.value; a paste, a fill or a cleared cell has none (S7.4).
  if (!e || !e.range || e.value === undefined || e.value === null || String(e.value).trim() === '') return;
  const range = e.range;
  if (range.getNumRows() !== 1 || range.getNumColumns() !== 1) return;
  const row = range.getRow();
  if (row < 2) return;
  const sheet = range.getSheet();
  const trackerName = documentProperty(PROPERTY_KEYS.trackerSheet) ?? SHEET_NAMES.tracker;
  if (sheet.getName() !== trackerName) return;

  const lastColumn = sheet.getLastColumn();
  const column = range.getColumn() - 1;
  if (lastColumn === 0 || column >= lastColumn) return;
  const header = sheet.getRange(1, 1, 1, lastColumn).getValues()[0];
  const mapping = mapColumns(header).mapping;
  const which: ContactColumn | null = column === mapping.rtc ? 'rtc' : column === mapping.ropc ? 'ropc' : null;
  if (which === null || mapping.studentId === undefined) return;

  const ss = e.source ?? sheet.getParent();
  const cells = sheet.getRange(row, 1, 1, lastColumn).getValues()[0];
  let by = '';
  try {
    by = e.user?.getEmail?.() ?? '';
  } catch {
    by = ''; // identity may be unavailable to a simple trigger (S7.2)
  }
  const today = todayIso(ss);
  const record = recordFromTrackerEdit({
    column: which,
    cellText: String(e.value),
    studentId: cleanCell(cells[mapping.studentId]),
    stepCell: mapping.ladderStep === undefined ? '' : cells[mapping.ladderStep],
    today,
    by,
  });
  if (!record) return;
  const name =
    mapping.studentName !== undefined
      ? cleanCell(cells[mapping.studentName])
      : [mapping.firstName, mapping.lastName].map((c) => (c === undefined ? '' : cleanCell(cells[c]))).filter(Boolean).join(' ');
  const presetId = presetIdFromProperties();
  const colours = rowColoursAfterContact(cells, mapping, lastColumn, bandsFor(presetId));
  const recordedAt = timestampIso(ss);
  let dateFormat = dateFormatFor('');
  try {
    dateFormat = dateFormatFor(getPreset(presetId).codeTableId);
  } catch {
    // an unknown preset: the UK format, as the default preset
  }

  try {
    withDocumentLock(() => {
      appendLogRow(logSheet(ss), logRow(record, recordedAt, name, dateFormat));
      if (mapping.lastContact !== undefined) sheet.getRange(row, mapping.lastContact + 1).setValue(`'${formatSchoolDate(today, dateFormat)}`);
      sheet.getRange(row, 1, 1, lastColumn).setBackgrounds([colours]);
    }, ON_EDIT_LOCK_MS);
  } catch (err) {
    ss.toast(`The ${which.toUpperCase()} entry on row ${row} was not logged: ${(err as Error).message} Type it again, or use the sidebar.`, 'SOL Tracker', 10);
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
    const row = logRow(log, timestampIso(ss), student.name, before.dateFormat);
    const mapping = tracker.columns.mapping;
    const columnCount = tracker.values[0].length;

    appendLogRow(logSheet(ss), row);
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
    const rowColour = colours[mapping.studentId ?? 0] ?? COLOURS.none;
    return { logged: true, student: toStudentView(updated, loaded.settings.staff), rowColour };
  });
}
