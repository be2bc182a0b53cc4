/**
 * What a letter run leaves behind besides the ledger: Interventions Log rows (one per letter sent,
 * written once per batch — seeds 001/002 require the documentation) and the tracker's "Letters"
 * column (an add-on column), also written once per batch.
 *
 * The log row of a sent letter carries the letter key the ladder evaluation looks for
 * (`studentId|letterId|window`) and, in Notes, the ledger key, so a batch that stopped before its
 * log write is completed by the next run (reconcileLog) without writing anything twice.
 */
import { LOG_ATTENDANCE_COLUMN, LOG_HEADERS, logRow } from '../../core/interventionsLog';
import { PERCENT_CELL_FORMAT } from '../../core/format/percent';
import { formatSchoolDate, letterName, languageName } from '../../core/format';
import { LETTER_LEFT_OUT } from '../../core/history';
import type { LedgerEntry } from '../../core/letters';
import { letterKey } from '../../core/policy/evaluate';
import { asSheetText } from '../../core/sanitise';
import type { SchoolModel, StudentRecord } from '../../core/schoolModel';
import type { TrackerData } from '../schoolData';
import { ensureRows } from '../grow';
import { markTrackerChanged } from '../dataVersion';
import { SHEET_NAMES } from '../sheetNames';
import type { LetterContext } from './context';
import { letterReference } from './reference';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type LogCell = string | number;

/**
 * The note that ties a log row to its ledger entry: the letter's short reference ('Ref L-3F9A2C1B',
 * the one the family's email carries), never the raw ledger key (people read the log).
 */
export function ledgerMarker(key: string): string {
  return `Ref ${letterReference(key)}.`;
}

/** Does a log note record this ledger entry? Rows logged before references were used carry 'Ledger: <key>'. */
export function notesRecord(notes: string, key: string): boolean {
  return notes.includes(ledgerMarker(key)) || notes.includes(`Ledger: ${key}`);
}

/** The log row for a letter that went out (emailed, or put in the print pack). */
export function letterLogRow(ctx: Pick<LetterContext, 'today' | 'actor' | 'dateFormat'>, e: LedgerEntry, record: StudentRecord | null, recordedAt: string, lead = ''): LogCell[] {
  const how = e.recipient === 'post'
    ? `${letterName(e.letterId)} put in the print pack for post to ${e.recipientName || 'the parent/carer'}.`
    : `${letterName(e.letterId)} emailed as PDF to ${e.recipientName ? `${e.recipientName} <${e.recipient}>` : e.recipient}.`;
  const lang = e.language && e.language !== 'en' ? ` Language: ${languageName(e.language)}.` : '';
  return logRow(
    {
      date: ctx.today,
      studentId: e.studentId,
      step: e.step ?? record?.placement.step ?? 0,
      method: 'Letter',
      outcome: 'Letter sent',
      nextAction: record?.placement.reviewDue ? `Review attendance on ${formatSchoolDate(record.placement.reviewDue, ctx.dateFormat)}` : '',
      by: ctx.actor.email || 'unknown user',
      attendanceAtTime: record?.stats.attendanceFraction,
      letterKey: letterKey(e.studentId, e.letterId, e.windowKey),
      documentUrl: e.documentUrl,
      notes: `${lead ? `${lead} ` : ''}${how}${lang} ${ledgerMarker(e.key)}`,
    },
    recordedAt,
    record?.student.name ?? e.studentId,
    ctx.dateFormat,
  );
}

/** A note about letters (exclusion, inclusion): no letter key, so the ladder does not count it as sent. */
export function noteLogRow(ctx: Pick<LetterContext, 'today' | 'recordedAt' | 'actor' | 'dateFormat'>, record: StudentRecord, step: number, notes: string, outcome: string = LETTER_LEFT_OUT): LogCell[] {
  return logRow(
    { date: ctx.today, studentId: record.student.studentId, step, method: 'Letter', outcome, by: ctx.actor.email || 'unknown user', attendanceAtTime: record.stats.attendanceFraction, notes },
    ctx.recordedAt(),
    record.student.name,
    ctx.dateFormat,
  );
}

/** Appends rows to the Interventions Log in one write (creating the tab with its header if missing). */
export function appendLogRows(ss: Spreadsheet, rows: LogCell[][]): void {
  if (rows.length === 0) return;
  let sheet = ss.getSheetByName(SHEET_NAMES.log);
  if (!sheet) {
    sheet = ss.insertSheet(SHEET_NAMES.log);
    rows = [[...LOG_HEADERS], ...rows];
  }
  const start = sheet.getLastRow() + 1;
  ensureRows(sheet, start + rows.length - 1, LOG_HEADERS.length); // a log has no fixed size (DESIGN.md §5)
  sheet.getRange(start, 1, rows.length, LOG_HEADERS.length).setValues(rows);
  // Attendance at time reads as every other figure does (format/percent.ts), never a raw fraction.
  sheet.getRange(start, LOG_ATTENDANCE_COLUMN, rows.length, 1).setNumberFormat(PERCENT_CELL_FORMAT);
  logChangedIn = ss; // stamped once, when the letter operation ends (stampIfLogChanged, context.ts)
}

/** The spreadsheet whose log got rows in this execution (globals start afresh in each execution, V1.4). */
let logChangedIn: Spreadsheet | null = null;

/**
 * After a letter operation: the letters change evaluations, so SOL_UPDATED is stamped once — not per
 * batch (two calls each) — and =ATTEND_TIER(id, SOL_UPDATED) cells re-run (dataVersion.ts).
 * Called by underLock (context.ts) for every letter operation, inside the lock.
 */
export function stampIfLogChanged(): void {
  const ss = logChangedIn;
  if (!ss) return;
  logChangedIn = null;
  markTrackerChanged(ss);
}

/**
 * Letters that already have a log row, read from the Log as it is now (one read of its Notes
 * column): their references ('L-3F9A2C1B', from 'Ref L-3F9A2C1B.') and, for rows logged before
 * references were used, their ledger keys ('Ledger: <key>'). Parallel executions append rows while
 * others run, so the school model read at the start of an execution is not enough to know what is
 * missing.
 */
export function loggedLedgerKeys(ss: Spreadsheet): Set<string> {
  const sheet = ss.getSheetByName(SHEET_NAMES.log);
  const keys = new Set<string>();
  if (!sheet) return keys;
  const last = sheet.getLastRow();
  if (last < 2) return keys;
  const col = LOG_HEADERS.indexOf('Notes') + 1;
  for (const [note] of sheet.getRange(2, col, last - 1, 1).getValues()) {
    const text = String(note ?? '');
    for (const ref of text.matchAll(/Ref (L-[0-9A-F]{8})\./g)) keys.add(ref[1]);
    const m = /Ledger: (.+?)\s*$/.exec(text); // the legacy marker ends the note; keys hold spaces ("Autumn 2024")
    if (m) keys.add(m[1]);
  }
  return keys;
}

/** The Notes lead of a letter logged by a later run than the one that sent it. */
export const LATE_LOG_LEAD = 'Logged on the next run (the batch that sent it stopped before writing the log).';

/**
 * Ledger entries that are sent but have no log row (every letter of a call at its end, a batch that
 * stopped before its log write, an unknown send marked sent): their log rows, to append once. The
 * lead opens the Notes — per letter when a function: only a letter another run sent says it was
 * logged late (preview walk: every letter of a normal run said so).
 */
export function missingLogRows(ctx: Pick<LetterContext, 'today' | 'recordedAt' | 'actor' | 'dateFormat'>, entries: readonly LedgerEntry[], model: SchoolModel, logged?: ReadonlySet<string> | null, lead: string | ((e: LedgerEntry) => string) = LATE_LOG_LEAD): LogCell[][] {
  const rows: LogCell[][] = [];
  let recordedAt: string | null = null;
  for (const e of entries) {
    if (e.status !== 'sent') continue;
    const record = model.byId.get(e.studentId);
    if (!record) continue;
    if (logged ? logged.has(letterReference(e.key)) || logged.has(e.key) : record.history.some((h) => notesRecord(h.notes ?? '', e.key))) continue;
    recordedAt ??= ctx.recordedAt();
    rows.push(letterLogRow(ctx, e, record, recordedAt, typeof lead === 'function' ? lead(e) : lead));
  }
  return rows;
}

/**
 * The tracker's "Letters" column for the students whose letters changed: '<Letter> sent <date>'
 * (with 'n of m' when a student has several recipients). One write covering the rows touched.
 * No-op when the tracker has no Letters column.
 */
export function writeTrackerLetterStatus(tracker: TrackerData, entries: readonly LedgerEntry[], studentIds: ReadonlySet<string>, model: SchoolModel, todayIso: string): void {
  const today = formatSchoolDate(todayIso, model.dateFormat);
  const col = tracker.columns.mapping.letterStatus;
  if (col === undefined || studentIds.size === 0) return;
  const rowsById = new Map<string, number>();
  for (const id of studentIds) {
    const row = model.byId.get(id)?.student.row;
    if (row !== undefined) rowsById.set(id, row);
  }
  if (rowsById.size === 0) return;
  const first = Math.min(...rowsById.values());
  const last = Math.max(...rowsById.values());
  // Start from what the tracker holds (read once by loadSchool) and change only the students touched.
  const column: unknown[][] = [];
  for (let r = first; r <= last; r++) {
    const v = tracker.values[r - 1]?.[col] ?? '';
    column.push([typeof v === 'string' ? asSheetText(v) : v]);
  }
  for (const [id, row] of rowsById) {
    const mine = entries.filter((e) => e.studentId === id);
    const byLetter = new Map<string, LedgerEntry[]>();
    for (const e of mine) byLetter.set(`${e.letterId}|${e.windowKey}`, [...(byLetter.get(`${e.letterId}|${e.windowKey}`) ?? []), e]);
    const latest = [...byLetter.values()].pop();
    if (!latest) continue;
    const sent = latest.filter((e) => e.status === 'sent').length;
    const toPrint = latest.filter((e) => e.status === 'toPrint').length;
    const label = letterName(latest[0].letterId);
    // Only a letter that went is "sent" (issue 10): a page in the print pack is "to print".
    if (sent === 0 && toPrint === 0) continue;
    const text = sent === 0
      ? `${label} to print (${toPrint === 1 ? 'in the print pack' : `${toPrint} in the print pack`})`
      : sent === latest.length
      ? `${label} sent ${today}${latest.length > 1 ? ` (${sent} of ${latest.length})` : ''}`
      : `${label}: ${sent} of ${latest.length} sent ${today}`;
    column[row - first] = [asSheetText(text)];
    if (tracker.values[row - 1]) tracker.values[row - 1][col] = text;
  }
  tracker.sheet.getRange(first, col + 1, column.length, 1).setValues(column as (string | number)[][]);
}
