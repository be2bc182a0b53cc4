/**
 * RPC importRegister: a register export uploaded in the sidebar (its text; a Drive-file import is
 * out of scope — the manifest has no Drive scope) → validated marks → merged into the Register
 * tab → amendments logged → recalculated.
 *
 * Every row is checked before the first write. With errors and onlyValidRows false, nothing is
 * written and the errors come back (row, column, value, reason). The Register block is written
 * with ONE setValues and the amendments with ONE setValues, whatever the file size (DESIGN.md §5).
 */
import { layoutName } from '../core/format';
import type { ImportRegisterRequest, ImportRegisterResponse, ImportRowError } from '../rpcTypes';
import { resolveActivePolicy } from '../core/activePolicy';
import { formatImportErrors, mergeMarks, parseRegister, type MarkAmendment } from '../core/register/import';
import { registerLayout } from '../core/register/layouts';
import { flattenMarks, readRegisterSheet, registerSheetValues } from '../core/register/registerSheet';
import { registerWrites } from '../core/register/registerDelta';
import { calendarFor } from '../core/schoolModel';
import { isSchoolDay, whyNotSchoolDay, type CalendarEntry } from '../core/calendar';
import { settingsToSheet, type Settings } from '../core/settings';
import { writeSettingsTab } from './settingsRpc';
import { REGISTER_IMPORTED_AT_KEY } from './weekly';
import { AMENDMENT_HEADERS } from '../core/setupPlan';
import { missingOwnedFields } from '../core/tracker/ownedColumns';
import { readTrackerRows } from '../core/tracker/rows';
import { columnLetter } from '../core/tracker/columns';
import type { Actor } from '../core/roles';
import { isoDateOfCell } from '../core/calendar';
import { timestampIso, todayIso } from './clock';
import { dateFormatFor, formatSchoolDate, formatSchoolTimestamp, isoOfSchoolDate, type SchoolDateFormat } from '../core/format';
import { friendlyReason } from './friendly';
import { withSpreadsheetLease } from './lock';
import { recalculatedSinceImport, recalculateWithin } from './recalc';
import { readTracker } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { ensureRows } from './grow';
import { SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** At most this many errors go back to the sidebar; the message gives the total. */
export const MAX_ERRORS_RETURNED = 50;

/** A cell written so Sheets keeps exactly the text (S4.6): '001234' stays text, '2024-09-02 AM' is not parsed as a date. */
export function asText(value: string): string {
  return value === '' ? '' : `'${value}`;
}

/**
 * The Register Amendments rows for setValues (attendance-rules §1.1: original, new, reason, date, who).
 * People read the tab: the time and the date in the school's format ('28/11/2025 12:00', '02/09/2024').
 */
export function amendmentRows(amendments: readonly MarkAmendment[], format: SchoolDateFormat = 'dd/MM/yyyy'): string[][] {
  return amendments.map((a) => [formatSchoolTimestamp(a.at, format), a.studentId, formatSchoolDate(a.date, format), a.session, a.oldCode, a.newCode, a.reason, a.by].map(asText));
}

/** "name (role)" as the register's audit trail wants it: the name and title of who amended. */
export function amenderOf(actor: Actor): string {
  const name = actor.member?.name || actor.email || 'unknown user';
  return actor.role ? `${name} (${actor.role})` : name;
}

function checkRequest(request: unknown): ImportRegisterRequest {
  const r = request as Partial<ImportRegisterRequest> | null;
  const problems: string[] = [];
  if (!r || typeof r !== 'object') throw new Error('Import: the request is empty (expected fileName, csvText, onlyValidRows).');
  if (typeof r.fileName !== 'string' || r.fileName.trim() === '') problems.push('fileName must be the name of the uploaded file');
  if (typeof r.csvText !== 'string') problems.push('csvText must be the file text');
  else if (r.csvText.trim() === '') problems.push(`the file "${String(r.fileName ?? '')}" is empty`);
  if (typeof r.onlyValidRows !== 'boolean') problems.push('onlyValidRows must be true or false');
  const confirm = r.confirmSchoolDays;
  if (confirm !== undefined && (!Array.isArray(confirm) || confirm.length > 366 || confirm.some((d) => typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d)))) {
    problems.push('confirmSchoolDays must be a list of dates written yyyy-mm-dd');
  }
  if (problems.length > 0) throw new Error(`Import: ${problems.join('; ')}. Nothing was imported.`);
  return { fileName: (r.fileName as string).trim(), csvText: r.csvText as string, onlyValidRows: r.onlyValidRows as boolean, ...(confirm ? { confirmSchoolDays: [...new Set(confirm)] } : {}) };
}

function toRowErrors(errors: readonly { row: number; column: string; value: string; reason: string }[]): ImportRowError[] {
  return errors.slice(0, MAX_ERRORS_RETURNED).map((e) => ({ row: e.row, column: e.column, value: e.value, reason: e.reason }));
}

/**
 * Why a mark's date is refused as not a school day. With the school's own academic year in
 * Settings: weekends, half-terms, holidays, INSET, bank holidays and closures. Without one (the
 * usual pattern is only approximate) just weekends, which are never school days unless confirmed.
 */
function notSchoolDayCheck(settings: Settings, calendar: ReturnType<typeof calendarFor>): (date: string) => string | null {
  const own = (settings.calendar ?? []).some((e) => e.kind === 'Term');
  const weekendOnly = { terms: [{ name: 'any', start: '0001-01-01', end: '9999-12-31' }], closures: [] };
  const why = own ? (date: string) => whyNotSchoolDay(calendar, date) : (date: string) => (isSchoolDay(weekendOnly, date) ? null : whyNotSchoolDay(weekendOnly, date));
  // A long export repeats each date once per student and session: judge each date once.
  const seen = new Map<string, string | null>();
  return (date) => {
    let answer = seen.get(date);
    if (answer === undefined) {
      answer = why(date);
      seen.set(date, answer);
    }
    return answer;
  };
}

/** The refused non-school days, each with why and how many rows, for the sidebar to offer to confirm. */
function nonSchoolDaysOf(errors: readonly { nonSchoolDay?: string }[], why: (date: string) => string | null): { date: string; why: string; rows: number }[] {
  const counts = new Map<string, number>();
  for (const e of errors) if (e.nonSchoolDay) counts.set(e.nonSchoolDay, (counts.get(e.nonSchoolDay) ?? 0) + 1);
  return [...counts.entries()].sort().map(([date, rows]) => ({ date, why: why(date) ?? '', rows }));
}

function readWhole(sheet: Sheet): unknown[][] {
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  return lastRow === 0 || lastColumn === 0 ? [] : sheet.getRange(1, 1, lastRow, lastColumn).getValues();
}


/** The term marks must fall in: the one in Settings, else the school year of the default calendar. */
function termOf(settings: Parameters<typeof calendarFor>[0], table: Parameters<typeof calendarFor>[1], today: string): { start: string; end: string } | undefined {
  const cal = calendarFor(settings, table, today);
  if (cal.terms.length === 0) return undefined;
  return { start: cal.terms.map((t) => t.start).sort()[0], end: cal.terms.map((t) => t.end).sort().reverse()[0] };
}

/** Recalculates after an import; the words to add to the message (never a JavaScript message). */
function recalcAfterImport(ss: Spreadsheet, tracker: ReturnType<typeof readTracker>, loaded: ReturnType<typeof loadSettings>, registerValues?: unknown[][]): string {
  if (missingOwnedFields(tracker.columns.mapping).length > 0) return ' Run SOL Tracker ▸ Set up… to add the tracker columns, then Recalculate.';
  try {
    // The tracker read at the start (the import does not write it) and the Register just written.
    return ` ${recalculateWithin(ss, loaded, { tracker, ...(registerValues ? { registerValues } : {}) }).message}`;
  } catch (err) {
    console.error(err);
    return ` The marks are imported, but the tracker was not recalculated (${friendlyReason(err)}): run SOL Tracker ▸ Recalculate.`;
  }
}

/** Key of an amendment: which session, from which mark to which. */
const amendmentKey = (studentId: string, date: string, session: string, oldCode: string, newCode: string) => [studentId, date, session, oldCode, newCode].join('|');

/**
 * The amendments not yet recorded: one is already recorded when the latest record for its session is
 * the same change (a retry of an import that stopped after writing its amendments).
 */
export function unrecordedAmendments(recorded: readonly (readonly unknown[])[], amendments: readonly MarkAmendment[], format: SchoolDateFormat = 'dd/MM/yyyy'): string[][] {
  const text = (v: unknown) => String(v ?? '').replace(/^'/, '').trim();
  const latest = new Map<string, string>();
  for (let r = 1; r < recorded.length; r++) {
    const [, studentId, date, session, oldCode, newCode] = recorded[r].map(text);
    const iso = (recorded[r][2] instanceof Date ? isoDateOfCell(recorded[r][2]) : isoOfSchoolDate(date, format)) ?? date;
    latest.set([studentId, iso, session].join('|'), amendmentKey(studentId, iso, session, oldCode, newCode));
  }
  return amendmentRows(amendments.filter((a) => latest.get([a.studentId, a.date, a.session].join('|')) !== amendmentKey(a.studentId, a.date, a.session, a.oldCode, a.newCode)), format);
}

export function importRegisterWithin(ss: Spreadsheet, request: ImportRegisterRequest, actor: Actor, loadedSettings = loadSettings(ss)): ImportRegisterResponse {
  let loaded = loadedSettings;
  const { settings } = loaded;
  const today = todayIso(ss);
  const { table } = resolveActivePolicy(settings);
  const tracker = readTracker(ss);
  const trackerIds = readTrackerRows(tracker.values, tracker.columns.mapping).students.map((s) => s.studentId);
  const term = termOf(settings, table, today);
  const notSchoolDay = notSchoolDayCheck(settings, calendarFor(settings, table, today));
  const confirmed = new Set(request.confirmSchoolDays ?? []);

  const schoolDates = dateFormatFor(table.id);
  const parsed = parseRegister(request.csvText, { table, knownStudentIds: new Set(trackerIds), term, notSchoolDay, confirmedSchoolDays: confirmed, dateFormat: schoolDates });
  const layout = parsed.layout ? layoutName(parsed.layout) : null;
  const layoutWords = parsed.layout ? registerLayout(parsed.layout).label : 'an unrecognised layout';
  const errors = toRowErrors(parsed.errors);
  const refusedDays = nonSchoolDaysOf(parsed.errors, notSchoolDay);
  const fail = (message: string): ImportRegisterResponse => ({ ok: false, layout, added: 0, unchanged: 0, amended: 0, errors, message, ...(refusedDays.length ? { nonSchoolDays: refusedDays } : {}) });

  if (parsed.errors.length > 0 && (!request.onlyValidRows || parsed.marks.length === 0)) {
    const n = parsed.errors.length;
    const daysWords = refusedDays.length
      ? `\n${refusedDays.length === 1 ? 'One day is not a school day' : `${refusedDays.length} days are not school days`} in Settings ▸ Academic year (${refusedDays.slice(0, 5).map((d) => `${formatSchoolDate(d.date, schoolDates)}: ${d.why}`).join('; ')}${refusedDays.length > 5 ? '; …' : ''}). If the school was open, confirm ${refusedDays.length === 1 ? 'it' : 'them'} as school days and import again.`
      : '';
    return fail(
      `"${request.fileName}" (${layoutWords}): ${n} problem${n === 1 ? '' : 's'}, so nothing was imported.${daysWords}\n${formatImportErrors(parsed.errors, 10)}`,
    );
  }
  if (parsed.marks.length === 0) {
    return { ok: true, layout, added: 0, unchanged: 0, amended: 0, errors: [], message: `"${request.fileName}" (${layoutWords}) has no marks to import.` };
  }

  // Existing register, read once and checked before anything is written.
  const registerSheet = ss.getSheetByName(SHEET_NAMES.register);
  const before = registerSheet ? readWhole(registerSheet) : [];
  const existing = readRegisterSheet(before);
  if (existing.problems.length > 0) {
    const first = existing.problems.slice(0, 5).map((p) => `Register row ${p.row}, column ${columnLetter(p.column - 1)}: ${p.message}`);
    return fail(`The "${SHEET_NAMES.register}" tab has a problem, so nothing was imported. Fix it first:\n${first.join('\n')}`);
  }

  const merge = mergeMarks(flattenMarks(existing.marksByStudent), parsed.marks, {
    by: amenderOf(actor),
    at: timestampIso(ss),
    reason: `Corrected in MIS import ${request.fileName}`,
  });
  const skipped = parsed.errors.length;
  const skippedWords = skipped > 0 ? ` ${skipped} row problem${skipped === 1 ? ' was' : 's were'} skipped (see the list).` : '';
  const counts = `${merge.added.toLocaleString('en-GB')} added, ${merge.unchanged.toLocaleString('en-GB')} unchanged, ${merge.amendments.length.toLocaleString('en-GB')} corrected`;
  if (merge.added === 0 && merge.amendments.length === 0) {
    // Nothing to write — but an earlier attempt may have written the marks and stopped before its
    // recalculation: recalculate, so a person pressing Import again always ends with a current tracker.
    const recalcWords = recalculatedSinceImport(today) ? ' The tracker was already recalculated after the last import today.' : recalcAfterImport(ss, tracker, loaded);
    return { ok: true, layout, added: 0, unchanged: merge.unchanged, amended: 0, errors, message: `"${request.fileName}" (${layoutWords}): nothing new — ${counts}.${skippedWords}${recalcWords}` };
  }

  // Everything to write is computed now; the writes follow.
  const existingOrder: string[] = [];
  for (let r = 1; r < before.length; r++) {
    const id = String(before[r][0] ?? '').trim();
    if (id) existingOrder.push(id);
  }
  const order = [...new Set([...existingOrder, ...trackerIds])];
  const values = registerSheetValues(merge.merged, order);
  const height = Math.max(values.length, before.length);
  const width = Math.max(values[0].length, before[0]?.length ?? 0);
  // Only the sessions that changed are written (a day's import: its two new columns and any
  // corrected cells), not the whole tab — about 760,000 cells by July at 2,000 pupils (issue 13).
  const writes = registerWrites(before, values);
  const amendments = merge.amendments;

  // The audit first (attendance-rules §1.1): the amendments are appended BEFORE the Register changes,
  // so a fault between the two never leaves a corrected mark without its record. A retry computes
  // the same amendments again (the Register still holds the old marks); those already recorded are
  // not written twice.
  if (amendments.length > 0) {
    let log = ss.getSheetByName(SHEET_NAMES.amendments);
    const fresh = !log;
    if (!log) log = ss.insertSheet(SHEET_NAMES.amendments);
    const recorded = log.getLastRow() === 0 ? [] : readWhole(log);
    const newRows = unrecordedAmendments(recorded, merge.amendments, dateFormatFor(table.id));
    const rows = fresh || log.getLastRow() === 0 ? [AMENDMENT_HEADERS.map(asText), ...newRows] : newRows;
    if (rows.length > 0) {
      const start = log.getLastRow() + 1;
      ensureRows(log, start + rows.length - 1, AMENDMENT_HEADERS.length);
      log.getRange(start, 1, rows.length, AMENDMENT_HEADERS.length).setValues(rows);
    }
  }

  const register = registerSheet ?? ss.insertSheet(SHEET_NAMES.register);
  ensureRows(register, height, width);
  // Each rectangle is written whole; a stop between two leaves marks a retry completes (the merge
  // finds the written ones unchanged, and the audit above was written first).
  for (const w of writes) register.getRange(w.row, w.column, w.values.length, w.values[0]!.length).setValues(w.values.map((r) => r.map(asText)));
  // When the register was last imported: the weekly report and Today say so.
  try {
    PropertiesService.getDocumentProperties().setProperty(REGISTER_IMPORTED_AT_KEY, timestampIso(ss));
  } catch {
    /* no document properties (AuthMode.NONE): the reports say "not recorded" */
  }
  if (!registerSheet) register.setFrozenRows(1);

  // Confirmed days become "Extra school day" rows of the academic year, so every count agrees.
  const markedDays = new Set(parsed.marks.map((m) => m.date));
  const extra = [...confirmed].filter((d) => notSchoolDay(d) !== null && markedDays.has(d)).sort();
  let extraWords = '';
  const extraDays = extra.map((d) => formatSchoolDate(d, dateFormatFor(table.id))).join(', ');
  if (extra.length > 0 && loaded.source !== 'sheet') {
    extraWords = ` Add ${extraDays} to Settings ▸ Academic year as extra school days once the Settings problems are fixed.`;
  } else if (extra.length > 0) {
    const rows: CalendarEntry[] = extra.map((d) => ({ kind: 'Extra school day', name: 'Confirmed at import', start: d, end: d }));
    const next: Settings = { ...settings, calendar: [...(settings.calendar ?? []), ...rows] };
    writeSettingsTab(ss, next);
    loaded = { ...loaded, settings: next };
    extraWords = ` ${extraDays} ${extra.length === 1 ? 'is' : 'are'} now ${extra.length === 1 ? 'an extra school day' : 'extra school days'} in Settings ▸ Academic year.`;
  }

  const recalcWords = recalcAfterImport(ss, tracker, loaded, values);
  return {
    ok: true,
    layout,
    added: merge.added,
    unchanged: merge.unchanged,
    amended: merge.amendments.length,
    errors,
    message: `Imported "${request.fileName}" (${layoutWords}): ${counts}.${merge.amendments.length > 0 ? ` Corrections are logged in "${SHEET_NAMES.amendments}".` : ''}${skippedWords}${extraWords}${recalcWords}`,
    ...(refusedDays.length ? { nonSchoolDays: refusedDays } : {}),
  };
}

/** RPC importRegister — AO, AL and Admin. */
export function importRegister(request: ImportRegisterRequest): ImportRegisterResponse {
  const req = checkRequest(request);
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'importRegister');
  return withSpreadsheetLease(ss, 'import', () => importRegisterWithin(ss, req, actor, loaded), { by: actor.email });
}
