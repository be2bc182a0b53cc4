/**
 * RTC / ROPC cells typed in the tracker versus the Interventions Log.
 *
 * onEdit is the fast path (a log row the moment a tutor types), but it is not reliable: "The onEdit()
 * trigger only queues up to 2 trigger events" (triggers guide; semantics S7.2) — typing quickly down
 * a column drops events — and a pasted block is one event for many cells. So every log row made from
 * a tracker cell says which cell text it recorded (`RTC cell: "Yes"` in Notes), and Recalculate (also
 * run by every import and the weekly job) compares each filled RTC/ROPC cell with the last text the
 * log recorded for that student and column: a cell whose text was never logged is a contact onEdit
 * missed, and gets its log row then — marked as found later, by an unknown member of staff.
 *
 * Limits: retyping exactly the same text in a cell whose event was dropped cannot be told from no
 * change at all. Log rows written before this marker existed count as the record of whatever the
 * cell holds (a school upgrading is not flooded with duplicates).
 */
import { recordFromTrackerEdit, type ContactColumn } from './contactRecord';
import { isoDateOfCell } from './calendar';
import type { ColumnMapping } from './tracker/columns';
import type { InterventionRecord, IsoDate } from './types';

/** Recorded as "by" for a contact found in the tracker that no log row recorded when it was typed. */
export const FOUND_LATER_BY = 'unknown (typed in the tracker, found by Recalculate)';
export const FOUND_LATER_ACTION = 'Check who made this contact: it was typed in the tracker but not logged at the time.';

const LABEL: Record<ContactColumn, string> = { rtc: 'RTC cell', ropc: 'ROPC cell' };
const MARKER = /(?:^|\s—\s)(RTC|ROPC) cell: "([\s\S]*)"$/;

/** The text of a tracker cell as the log records it (a date as yyyy-mm-dd, a tick box as TRUE). */
export function contactCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : '';
  const date = Object.prototype.toString.call(value) === '[object Date]' ? isoDateOfCell(value) : null;
  return (date ?? String(value)).trim();
}

/**
 * The Notes of a log row made from a tracker cell: which cell and the text it held, after what was
 * typed when that differs (a formula typed in the cell holds its result).
 */
export function contactCellNote(column: ContactColumn, cellText: string, typed?: string): string {
  const marker = `${LABEL[column]}: "${cellText}"`;
  return typed && typed.trim() !== cellText ? `${typed.trim()} — ${marker}` : marker;
}

export function parseContactCellNote(notes: unknown): { column: ContactColumn; text: string } | null {
  const s = String(notes ?? '').trim().replace(/^'/, '');
  const m = MARKER.exec(s);
  return m ? { column: m[1] === 'RTC' ? 'rtc' : 'ropc', text: m[2]! } : null;
}

export interface MissedContact {
  /** 1-based tracker row. */
  row: number;
  studentId: string;
  column: ContactColumn;
  cellText: string;
}

const text = (v: unknown) => String(v ?? '').trim().replace(/^'/, '');

/**
 * What the log last recorded for each pupil's RTC/ROPC cell (`id|rtc` → its text), and the pupils
 * whose older rows (before the cell marker) count as the record of whatever the cell holds.
 */
export function loggedCellTexts(logValues: readonly (readonly unknown[])[]): { lastText: Map<string, string>; legacy: Set<string> } {
  const lastText = new Map<string, string>();
  const legacy = new Set<string>();
  for (let r = 1; r < logValues.length; r++) {
    const row = logValues[r]!;
    const id = text(row[2]);
    if (!id) continue;
    const marker = parseContactCellNote(row[12]);
    if (marker) lastText.set(`${id}|${marker.column}`, marker.text);
    else if (text(row[5]) === 'Conversation') legacy.add(`${id}|rtc`);
    else if (text(row[5]) === 'Phone call') legacy.add(`${id}|ropc`);
  }
  return { lastText, legacy };
}

/**
 * Filled RTC/ROPC cells whose text no log row recorded (rows limited to `rows` when given).
 * logValues: the Interventions Log with its header row (columns as LOG_HEADERS).
 */
export function contactCellsMissingFromLog(
  trackerValues: readonly (readonly unknown[])[],
  mapping: ColumnMapping,
  logValues: readonly (readonly unknown[])[],
  rows?: readonly number[],
): MissedContact[] {
  const columns = (['rtc', 'ropc'] as const).filter((c) => mapping[c] !== undefined);
  if (columns.length === 0 || mapping.studentId === undefined) return [];
  const { lastText, legacy } = loggedCellTexts(logValues);
  const out: MissedContact[] = [];
  const wanted = rows ?? trackerValues.map((_, i) => i + 1).slice(1);
  for (const rowNumber of wanted) {
    const row = trackerValues[rowNumber - 1];
    if (!row || rowNumber < 2) continue;
    const studentId = text(row[mapping.studentId]);
    if (!studentId) continue;
    for (const column of columns) {
      const cellText = contactCellText(row[mapping[column]!]);
      if (cellText === '') continue;
      const key = `${studentId}|${column}`;
      const logged = lastText.get(key);
      if (logged === cellText || (logged === undefined && legacy.has(key))) continue;
      out.push({ row: rowNumber, studentId, column, cellText });
    }
  }
  return out;
}

/**
 * The log record for a filled cell the log lacks: found as it is pasted (onEdit, by the editor), or
 * found later (Recalculate: by FOUND_LATER_BY, with a next action asking who made the contact).
 */
export function recordForMissedContact(missed: MissedContact, step: number, today: IsoDate, found: { by: string } | 'later'): InterventionRecord {
  const by = found === 'later' ? FOUND_LATER_BY : found.by;
  // step: the pupil's own evaluated step (never the row's Step cell, which a partial sort can misalign).
  const record = recordFromTrackerEdit({ column: missed.column, cellText: missed.cellText, studentId: missed.studentId, step, today, by })!;
  return { ...record, ...(found === 'later' ? { nextAction: FOUND_LATER_ACTION } : {}), notes: contactCellNote(missed.column, missed.cellText) };
}
