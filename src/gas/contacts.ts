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
import { contactCellNote, contactCellsMissingFromLog, contactCellText, loggedCellTexts, recordForMissedContact, type MissedContact } from '../core/contactCells';
import { recordFromRequest, recordFromTrackerEdit, requestMarker, rowColoursAfterContact, UNKNOWN_EDITOR, validateContactRequest, type ContactColumn } from '../core/contactRecord';
import { LOG_ATTENDANCE_COLUMN, LOG_HEADERS, logRow } from '../core/interventionsLog';
import { PERCENT_CELL_FORMAT } from '../core/format/percent';
import { dateFormatFor, formatSchoolDate, type SchoolDateFormat } from '../core/format';
import { getPreset } from '../core/policy/presets';
import { actorFor, canSeeStudent, scopeWords, trackerContactRefusal } from '../core/roles';
import type { StudentRecord } from '../core/schoolModel';
import type { TrackerStudent } from '../core/tracker/rows';
import { cleanCell } from '../core/sanitise';
import type { Settings } from '../core/settings';
import { bandsFor, COLOURS, rowColours } from '../core/tracker/colours';
import { mapColumns, type ColumnMapping } from '../core/tracker/columns';
import { ownedColumnRuns, ownedValue, ownedValues } from '../core/tracker/ownedColumns';
import { toStudentView } from '../core/studentView';
import { timestampIso, todayIso } from './clock';
import { markTrackerChanged } from './dataVersion';
import { ensureRows } from './grow';
import { withDocumentLock } from './lock';
import { loadSchool, readTracker, type LoadedSchool } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';
import { friendlyReason } from './friendly';
import { isoDateOfCell } from '../core/calendar';
import { ownerEmail, staffAccess } from './staffStore';
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
  /** The cell's value before the edit, as text (S7.4); absent when it was empty or for a block. */
  oldValue?: unknown;
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
  stepOf: (studentId: string) => number = (id) => stepOfStudent(ss, today, id),
): { missed: MissedContact[]; logValues: unknown[][]; newRows: (string | number)[][] } {
  const existing = ss.getSheetByName(SHEET_NAMES.log);
  const logValues = existing ? withSheetDates(ss, existing.getDataRange().getValues() as unknown[][]) : [];
  const missed = contactCellsMissingFromLog(trackerValues, mapping, logValues, rows);
  if (missed.length === 0) return { missed, logValues, newRows: [] };
  const recordedAt = timestampIso(ss);
  const dateFormat = schoolDateFormat(presetIdFromProperties());
  const newRows = missed.map((m) => {
    const cells = trackerValues[m.row - 1]!;
    // Found later by Recalculate: logged at no step (it raises nothing; the evaluation that follows
    // places the pupil). Pasted now: at the pupil's own evaluated step, found by ID.
    const step = found === 'later' ? 0 : stepOf(m.studentId);
    const record = recordForMissedContact(m, step, today, found);
    return logRow(record, recordedAt, studentNameOf(cells, mapping), dateFormat);
  });
  const sheet = existing ?? logSheet(ss);
  const start = sheet.getLastRow() + 1;
  ensureRows(sheet, start + newRows.length - 1); // the Log has no fixed size (DESIGN.md §5)
  sheet.getRange(start, 1, newRows.length, LOG_HEADERS.length).setValues(newRows);
  const header = logValues.length > 0 ? logValues : [[...LOG_HEADERS]];
  return { missed, logValues: [...header, ...newRows], newRows };
}

function editorOf(e: EditEvent): string {
  try {
    return e.user?.getEmail?.() ?? '';
  } catch {
    // Identity may be unavailable to a simple trigger (S7.2); a failed read is asked once more of
    // Session (the same user) before the entry counts as typed by someone unknown.
    try {
      return Session.getActiveUser().getEmail() ?? '';
    } catch {
      return '';
    }
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
  let refused = '';
  let restored = false;
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
    const typed = String(e.value).trim();
    if (!studentId || !typed) return;
    // The pupil found by ID (their own evaluation, their own tutor group): never the row's Step cell.
    let unevaluated = '';
    const found = evaluatePupil(ss, today, studentId, (why) => (unevaluated = why));
    if (by) {
      const refusal = judgeFor(ss, by)(found?.student ?? pupilOfRow(cells, mapping), which, row);
      if (refusal) {
        refused = refusal;
        putBack(range, restoredText(found, studentId, which, e.oldValue));
        restored = true;
        ss.toast(refusal, 'SOL Tracker', 20);
        return;
      }
    }
    const record = recordFromTrackerEdit({ column: which, cellText: typed, studentId, step: found?.record?.placement.step ?? 0, today, by });
    if (!record) return;
    // The cell's text goes in Notes, so Recalculate can tell a logged cell from a missed one.
    record.notes = contactCellNote(which, contactCellText(cells[column]) || typed, record.notes);
    const name = studentNameOf(cells, mapping);
    const recordedAt = timestampIso(ss);
    const spreadsheet = ss;

    withDocumentLock(() => {
      const log = logSheet(spreadsheet);
      const newRow = logRow(record, recordedAt, name, dateFormat);
      if (!alreadyLogged(log, newRow)) appendLogRow(log, newRow);
      logged = true;
      writeRowAfterContact(sheet, row, cells, mapping, lastColumn, found, newRow, { today, bands, dateFormat, studentId });
      markTrackerChanged(spreadsheet);
    }, ON_EDIT_LOCK_MS);
    // Logged, but without the pupil's evaluation (a Google error reading the school): say so.
    if (unevaluated) ss.toast(`The ${which.toUpperCase()} entry on row ${row} is in the Interventions Log, but the pupil's step and the row's Contact due could not be worked out (${unevaluated}). Recalculate will update them.`, 'SOL Tracker', 15);
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
    if (refused && restored) return; // put back; only the message failed: nothing more can be told
    const what = `The ${which.toUpperCase()} entry on row ${row}`;
    try {
      ss.toast(
        refused
          ? refused.replace('Nothing was logged and the cell was put back as it was.', `Nothing was logged, but SOL Tracker could not put the cell back (${why}): clear it yourself.`)
          : logged
          ? `${what} is in the Interventions Log, but the row's Last contact, Contact due and colours could not be updated (${why}). Recalculate will update them.`
          : `${what} was NOT logged (${why}). Type it again, or log it from the sidebar.`,
        'SOL Tracker',
        15,
      );
    } catch {
      /* nothing more can be told here; Recalculate reconciles the RTC/ROPC cells with the log */
    }
  }
}

interface EvaluatedPupil {
  school: LoadedSchool;
  record: StudentRecord | undefined;
  student: TrackerStudent | undefined;
}

/**
 * The pupil's own evaluation (register + Log, found by ID), so a contact typed on a row is logged
 * at that pupil's step even if the row's Step cell was sorted out of line, and the row's own cells
 * can be brought up to date after it. null when the school cannot be read.
 */
function evaluatePupil(ss: Spreadsheet, today: string, studentId: string, onFail?: (why: string) => void): EvaluatedPupil | null {
  try {
    const school = loadSchool(ss, today, { only: (s) => s.studentId === studentId });
    const record = school.model.byId.get(studentId);
    return { school, record, student: record?.student ?? school.model.unevaluated.get(studentId)?.student };
  } catch (err) {
    onFail?.(friendlyReason(err));
    return null;
  }
}

/** The pupil's current step from their own evaluation; 0 (no step: it raises nothing) when it cannot be had. */
function stepOfStudent(ss: Spreadsheet, today: string, studentId: string): number {
  return evaluatePupil(ss, today, studentId)?.record?.placement.step ?? 0;
}

/** The row's own year and tutor group, when the pupil could not be evaluated by ID. */
function pupilOfRow(cells: readonly unknown[], mapping: ColumnMapping): { yearGroup: string; tutorGroup: string } {
  const at = (c: number | undefined) => (c === undefined ? '' : cleanCell(cells[c]));
  return { yearGroup: at(mapping.yearGroup), tutorGroup: at(mapping.tutorGroup) };
}

/**
 * Issue 10 (J): words refusing an RTC/ROPC typed by a known member of staff for a pupil their role
 * does not cover (null when allowed). Roles come from the add-on's own staff record (document properties),
 * never from a cell; the owner acts as Admin. Unknown editors (Google hides who edited from a
 * simple trigger outside the developer's Workspace domain, U1.1) are not judged here: their entry
 * is logged as "not known" and asks who made it.
 */
function judgeFor(ss: Spreadsheet, email: string): (pupil: { yearGroup: string; tutorGroup: string } | null, which: ContactColumn, row: number) => string | null {
  const access = staffAccess();
  // The staff list could not be read (a Google error): nothing is logged rather than logged unjudged.
  if (access.unreadable) throw new Error(`the staff list could not be read (${access.unreadable})`);
  if (!access.claimed) return () => null; // not set up: no staff list to judge by (setup's own checks apply)
  const actor = actorFor(email, access.staff, { claimed: true, isOwner: false });
  let owner: boolean | undefined;
  return (pupil, which, row) => {
    const refusal = trackerContactRefusal(actor, pupil, { column: which === 'rtc' ? 'RTC' : 'ROPC', row });
    if (refusal === null) return null;
    owner ??= ownerEmail(ss) === email.trim().toLowerCase(); // the owner acts at least as Admin (one look-up)
    return owner ? null : refusal;
  };
}

/**
 * What a refused cell goes back to: the text the Log last recorded for that pupil's cell (what it
 * held once logged) — not simply the value before this edit, which may itself be an entry never
 * logged (an edit whose onEdit failed or was dropped, then typed again). Blank when the Log has
 * none; the value before the edit when the Log cannot be read or predates the cell marker.
 */
function restoredText(found: EvaluatedPupil | null, studentId: string, which: ContactColumn, oldValue: unknown): unknown {
  if (!found) return oldValue;
  const { lastText, legacy } = loggedCellTexts(found.school.logValues);
  const key = `${studentId}|${which}`;
  return lastText.get(key) ?? (legacy.has(key) ? oldValue : '');
}

/** A refused entry: the cell as it was before the edit (S7.4 oldValue), kept as text when it looks like a formula. */
function putBack(range: GoogleAppsScript.Spreadsheet.Range, oldValue: unknown): void {
  if (oldValue === undefined || oldValue === null || String(oldValue) === '') {
    range.setValue('');
    return;
  }
  const old = String(oldValue);
  range.setValue(/^[=+\-@]/.test(old) ? `'${old}` : old);
}

/**
 * Issue 10 (F): after a contact typed in the tracker is logged, the pupil's own row (found by
 * Student ID) shows it at once — Last contact, Contact due no longer "overdue", the ladder cells
 * and colours — from the evaluation already made plus the new log row: one write per run of the
 * add-on's columns and one for the colours, no recalculation. Without an evaluation (the school
 * could not be read) only Last contact and the row's colours are written, as before.
 */
function writeRowAfterContact(
  sheet: Sheet,
  editedRow: number,
  cells: readonly unknown[],
  mapping: ColumnMapping,
  lastColumn: number,
  found: EvaluatedPupil | null,
  newRow: readonly unknown[],
  at: { today: string; bands: ReturnType<typeof bandsFor>; dateFormat: SchoolDateFormat; studentId: string },
): void {
  const updated = found?.record ? found.school.withLogRows([newRow]).byId.get(at.studentId) : undefined;
  if (!updated) {
    if (mapping.lastContact !== undefined) sheet.getRange(editedRow, mapping.lastContact + 1).setValue(`'${formatSchoolDate(at.today, at.dateFormat)}`);
    sheet.getRange(editedRow, 1, 1, lastColumn).setBackgrounds([rowColoursAfterContact(cells, mapping, lastColumn, at.bands)]);
    return;
  }
  const row = updated.student.row;
  const runs = ownedColumnRuns(mapping);
  ownedValues([{ kind: 'student', row, record: updated }], runs, at.dateFormat).forEach((values, i) => {
    sheet.getRange(row, runs[i]!.startColumn + 1, 1, values[0]!.length).setValues(values);
  });
  const columnCount = Math.max(lastColumn, found!.school.tracker.values[0]?.length ?? 0);
  const policy = found!.school.model.policy;
  sheet.getRange(row, 1, 1, columnCount).setBackgrounds([rowColours(updated, columnCount, mapping, bandsFor(policy.id, policy.steps.length))]);
}

/**
 * The refused rows of a pasted block: each new RTC/ROPC text is put back to what the log last
 * recorded for that pupil and column (blank when nothing), one write per contact column; the
 * person is told once, with the rows.
 */
function putBackRefused(
  ss: Spreadsheet,
  sheet: Sheet,
  mapping: ColumnMapping,
  firstRow: number,
  block: readonly (readonly unknown[])[],
  trackerValues: readonly (readonly unknown[])[],
  logValues: readonly (readonly unknown[])[],
  refusedRows: readonly number[],
  refusals: ReadonlyMap<number, (which: ContactColumn) => string>,
): void {
  const missed = contactCellsMissingFromLog(trackerValues, mapping, logValues, refusedRows);
  if (missed.length === 0) return;
  const { lastText } = loggedCellTexts(logValues);
  for (const column of ['rtc', 'ropc'] as const) {
    const c = mapping[column];
    const here = missed.filter((m) => m.column === column);
    if (c === undefined || here.length === 0) continue;
    const back = new Map(here.map((m) => [m.row, lastText.get(`${m.studentId}|${column}`) ?? '']));
    sheet.getRange(firstRow, c + 1, block.length, 1).setValues(block.map((cells, i) => [back.has(firstRow + i) ? back.get(firstRow + i)! : (cells[c] as string)]));
  }
  const rowsWords = [...new Set(missed.map((m) => m.row))].sort((a, b) => a - b);
  const first = refusals.get(rowsWords[0]!)?.(missed.find((m) => m.row === rowsWords[0])!.column) ?? '';
  const more = rowsWords.length > 1 ? ` The same for row${rowsWords.length > 2 ? 's' : ''} ${rowsWords.slice(1).join(', ')}.` : '';
  ss.toast(`${first}${more}`, 'SOL Tracker', 20);
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
  const allRows = block.map((_, i) => at.firstRow + i);
  // Issue 10 (J): a known member of staff records only the pupils their role covers (the row's own
  // year and tutor group); the other rows' new entries are put back to what the log last recorded.
  const refusals = new Map<number, (which: ContactColumn) => string>();
  if (at.by) {
    const judge = judgeFor(ss, at.by);
    for (const r of allRows) {
      const pupil = pupilOfRow(block[r - at.firstRow]!, mapping);
      if (judge(pupil, 'rtc', r) !== null) refusals.set(r, (which) => judge(pupil, which, r) ?? '');
    }
  }
  const rows = allRows.filter((r) => !refusals.has(r));
  let logged = false;
  // The block's pupils evaluated once, by ID (their steps for the log rows, then their rows' cells).
  const ids = new Set(block.map((cells) => cleanCell(cells[mapping.studentId!])).filter(Boolean));
  let school: LoadedSchool | null = null;
  let unevaluated = '';
  try {
    school = loadSchool(ss, at.today, { only: (st) => ids.has(st.studentId) });
  } catch (err) {
    unevaluated = friendlyReason(err); // each pasted entry is still logged, at no step; Recalculate places the pupils
  }
  try {
    withDocumentLock(() => {
      const stepOf = (id: string) => school?.model.byId.get(id)?.placement.step ?? 0;
      const { missed, logValues, newRows } = logMissedContacts(ss, trackerValues, mapping, at.today, { by: at.by || UNKNOWN_EDITOR }, rows, stepOf);
      logged = true;
      if (refusals.size > 0) putBackRefused(ss, sheet, mapping, at.firstRow, block, trackerValues, logValues, [...refusals.keys()], refusals);
      if (missed.length === 0) return;
      const touched = new Set(missed.map((m) => m.row));
      // Issue 10 (F): each logged pupil's own cells from their evaluation with the new log rows (found
      // by Student ID); without one, Last contact and the row colours only, as before.
      const after = school?.withLogRows(newRows) ?? null;
      const updated = new Map<number, StudentRecord>();
      for (const m of missed) {
        const record = after?.byId.get(m.studentId);
        if (record && record.student.row === m.row) updated.set(m.row, record);
      }
      const policy = after?.policy;
      const bandsNow = policy ? bandsFor(policy.id, policy.steps.length) : at.bands;
      const colours = block.map((cells, i) => {
        const r = at.firstRow + i;
        if (!touched.has(r)) return null;
        const record = updated.get(r);
        return record ? rowColours(record, at.lastColumn, mapping, bandsNow) : rowColoursAfterContact(cells, mapping, at.lastColumn, at.bands);
      });
      // One write for the block's backgrounds and one per run of the add-on's columns (rows not logged keep theirs).
      const current = sheet.getRange(at.firstRow, 1, block.length, at.lastColumn).getBackgrounds();
      sheet.getRange(at.firstRow, 1, block.length, at.lastColumn).setBackgrounds(colours.map((c, i) => c ?? current[i]!));
      // The add-on's cells of the logged rows only (rows not logged are not written back: a date or
      // text read from them would not go back as it was), one write per run of columns and stretch of rows.
      const format = after?.dateFormat ?? at.dateFormat;
      const stretches: number[][] = [];
      for (let r = at.firstRow; r <= at.lastRow; r++) {
        if (!touched.has(r)) continue;
        const last = stretches[stretches.length - 1];
        if (last && last[last.length - 1] === r - 1) last.push(r);
        else stretches.push([r]);
      }
      for (const run of ownedColumnRuns(mapping)) {
        if (run.startColumn >= at.lastColumn) continue;
        for (const stretch of stretches) {
          const values = stretch.map((r) => {
            const record = updated.get(r);
            return run.fields.map((field) => {
              if (record) return ownedValue(record, field, format);
              if (field === 'lastContact') return `'${formatSchoolDate(at.today, at.dateFormat)}`;
              return null;
            });
          });
          // A row with no evaluation changes only its Last contact: write that column alone.
          if (values.some((v) => v.some((x) => x === null))) {
            const k = run.fields.indexOf('lastContact');
            stretch.forEach((r, i) => {
              if (updated.has(r)) sheet.getRange(r, run.startColumn + 1, 1, run.fields.length).setValues([values[i] as (string | number)[]]);
              else if (k >= 0) sheet.getRange(r, run.startColumn + k + 1).setValue(values[i]![k]);
            });
          } else {
            sheet.getRange(stretch[0]!, run.startColumn + 1, stretch.length, run.fields.length).setValues(values as (string | number)[][]);
          }
        }
      }
      markTrackerChanged(ss);
      if (unevaluated) ss.toast(`The RTC/ROPC entries pasted on rows ${at.firstRow}–${at.lastRow} are in the Interventions Log, but the pupils' steps and their rows' Contact due could not be worked out (${unevaluated}). Recalculate will update them.`, 'SOL Tracker', 15);
    }, ON_EDIT_LOCK_MS);
  } catch (err) {
    const rowsWords = `rows ${at.firstRow}–${at.lastRow}`;
    try {
      ss.toast(
        logged
          ? `The RTC/ROPC entries pasted on ${rowsWords} are in the Interventions Log, but their rows' Last contact, Contact due and colours could not all be updated (${friendlyReason(err)}). Recalculate will update them.`
          : `The RTC/ROPC entries pasted on ${rowsWords} were not all logged (${friendlyReason(err)}). Recalculate will log them.`,
        'SOL Tracker',
        10,
      );
    } catch {
      /* nothing more can be told here; Recalculate reconciles the RTC/ROPC cells with the log */
    }
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
