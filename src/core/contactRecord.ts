/**
 * Recording a contact (seed 002: "RTC marked green", "ROPC to be marked on Google Sheet with any
 * comments added"; seed 001: document date, method and outcome). Two ways in: staff type in the
 * tracker's RTC / ROPC cell (the onEdit simple trigger), or use the sidebar's "Log contact" form.
 * Both end as one Interventions Log record built here. Pure: the caller supplies today and who.
 */
import { COLOURS, bandOf, plainRow, type BandLimits } from './tracker/colours';
import type { ColumnMapping } from './tracker/columns';
import { CONTACT_METHODS, CONTACT_OUTCOMES, type ContactMethod, type ContactOutcome, type InterventionRecord, type IsoDate } from './types';

/**
 * Recorded as "by" when a simple trigger cannot see who edited (Session email blank, S7.2). Staff
 * read it in the Log and the pupil's history: words about what happened, not "simple trigger".
 */
export const UNKNOWN_EDITOR = 'not known (typed in the tracker)';

/** Free text longer than this is refused (a cell holds 50,000 characters; a log line should be short). */
export const MAX_NOTE_LENGTH = 2000;

export type ContactColumn = 'rtc' | 'ropc';

const DEFAULTS: Record<ContactColumn, { method: ContactMethod; outcome: ContactOutcome }> = {
  rtc: { method: 'Conversation', outcome: 'Spoke to student' },
  ropc: { method: 'Phone call', outcome: 'Spoke to parent/carer' },
};

/** Cell texts that only say "done": they carry no comment worth keeping as a note. */
const TICKS = new Set(['yes', 'y', 'done', 'true', 'x', '✓', '✔', 'ok']);

/** A date typed into the cell (the edit event gives it as text): 14/03/2025, 2025-03-14, 14/3. */
const DATE_LIKE = /^(\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?)$/;

export function matchOutcome(text: string): ContactOutcome | null {
  const t = text.trim().toLowerCase();
  const found = (CONTACT_OUTCOMES as readonly string[]).find((o) => o.toLowerCase() === t);
  return found === undefined ? null : (found as ContactOutcome);
}

export function matchMethod(text: string): ContactMethod | null {
  const t = text.trim().toLowerCase();
  const found = (CONTACT_METHODS as readonly string[]).find((m) => m.toLowerCase() === t);
  return found === undefined ? null : (found as ContactMethod);
}

export interface TrackerCellEdit {
  column: ContactColumn;
  /** e.value of the edit event: what the user typed. */
  cellText: string;
  studentId: string;
  /**
   * The pupil's step from their own evaluation, found by student ID (issue 10): never the row's
   * Step cell, which a partial sort can leave beside another pupil.
   */
  step: number;
  today: IsoDate;
  /** e.user's email; '' when the simple trigger cannot see it. */
  by: string;
}

/** '3', 3, 'Step 3 – Letter 1' → 3; anything else → 0. */
export function stepFromCell(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.trunc(value));
  const m = /^\s*(?:step\s*)?(\d{1,2})\b/i.exec(String(value ?? ''));
  return m ? Number(m[1]) : 0;
}

/**
 * The log record for a value typed into RTC / ROPC, or null when there is nothing to record
 * (the cell was cleared). The outcome is the cell's text when it names one; any other text that
 * is not just a tick or a date is kept as the note ("with any comments added").
 */
export function recordFromTrackerEdit(edit: TrackerCellEdit): InterventionRecord | null {
  const text = String(edit.cellText ?? '').trim();
  if (text === '' || edit.studentId.trim() === '') return null;
  const defaults = DEFAULTS[edit.column];
  const outcome = matchOutcome(text);
  const isTick = TICKS.has(text.toLowerCase()) || DATE_LIKE.test(text);
  const notes = outcome || isTick ? undefined : text.slice(0, MAX_NOTE_LENGTH);
  return {
    date: edit.today,
    studentId: edit.studentId.trim(),
    step: Number.isInteger(edit.step) && edit.step > 0 ? edit.step : 0,
    method: defaults.method,
    outcome: outcome ?? defaults.outcome,
    by: edit.by.trim() || UNKNOWN_EDITOR,
    notes,
  };
}

export interface ContactRequestInput {
  studentId: unknown;
  method: unknown;
  outcome: unknown;
  nextAction?: unknown;
  notes?: unknown;
  /** Made by the sidebar per form submission and sent again when the person presses again. */
  requestKey?: unknown;
}

/** A form submission's reference: letters, digits, - and _ (the sidebar makes 12). */
export const REQUEST_KEY = /^[A-Za-z0-9_-]{6,40}$/;

/** The words in a log row's Notes that mark which form submission wrote it (a retry finds it). */
export function requestMarker(requestKey: string): string {
  return `(ref ${requestKey})`;
}

export interface ValidContactRequest {
  requestKey?: string;
  studentId: string;
  method: ContactMethod;
  outcome: ContactOutcome;
  nextAction: string;
  notes: string;
}

/** Checks a Log contact request field by field; throws one message naming every bad field. */
export function validateContactRequest(req: ContactRequestInput | null | undefined): ValidContactRequest {
  if (req === null || typeof req !== 'object') throw new Error('Log contact: the request is empty (expected studentId, method, outcome, nextAction, notes).');
  const problems: string[] = [];
  const text = (v: unknown, field: string): string => {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string' && typeof v !== 'number') {
      problems.push(`${field} must be text`);
      return '';
    }
    const s = String(v).trim();
    if (s.length > MAX_NOTE_LENGTH) problems.push(`${field} is ${s.length} characters long; at most ${MAX_NOTE_LENGTH} are kept in the log`);
    return s;
  };
  const studentId = text(req.studentId, 'Student ID');
  if (studentId === '') problems.push('Student ID is blank');
  const method = matchMethod(String(req.method ?? ''));
  if (!method) problems.push(`Method "${String(req.method ?? '')}" must be one of ${CONTACT_METHODS.join(', ')}`);
  const outcome = matchOutcome(String(req.outcome ?? ''));
  if (!outcome) problems.push(`Outcome "${String(req.outcome ?? '')}" must be one of ${CONTACT_OUTCOMES.join(', ')}`);
  const nextAction = text(req.nextAction, 'Next action');
  const notes = text(req.notes, 'Notes');
  const requestKey = req.requestKey === undefined || req.requestKey === null ? '' : String(req.requestKey);
  if (requestKey !== '' && !REQUEST_KEY.test(requestKey)) problems.push('the form\'s reference is not valid (reload the sidebar)');
  if (problems.length > 0) throw new Error(`Log contact: ${problems.join('; ')}. Nothing was recorded.`);
  return { studentId, method: method as ContactMethod, outcome: outcome as ContactOutcome, nextAction, notes, ...(requestKey ? { requestKey } : {}) };
}

/** The log record for a validated sidebar request. */
export function recordFromRequest(
  req: ValidContactRequest,
  ctx: { today: IsoDate; by: string; step: number; attendanceAtTime?: number },
): InterventionRecord {
  return {
    date: ctx.today,
    studentId: req.studentId,
    step: ctx.step,
    method: req.method,
    outcome: req.outcome,
    nextAction: req.nextAction || undefined,
    by: ctx.by.trim() || UNKNOWN_EDITOR,
    attendanceAtTime: ctx.attendanceAtTime,
    notes: [req.notes, req.requestKey ? requestMarker(req.requestKey) : ''].filter(Boolean).join(' ') || undefined,
  };
}

/**
 * The row's backgrounds right after a contact typed into RTC / ROPC, from the row alone (the
 * onEdit trigger must stay cheap: no register, no log read). Same rules as rowColours: the step's
 * band over the row, the RTC cell green, the ROPC cell its colour; the contact just made means the
 * contact is no longer overdue. The next Recalculate repaints it from the full evaluation.
 */
export function rowColoursAfterContact(
  row: readonly unknown[],
  mapping: ColumnMapping,
  columnCount: number,
  limits?: BandLimits,
): (string | null)[] {
  const step = mapping.ladderStep === undefined ? 0 : stepFromCell(row[mapping.ladderStep]);
  const band = bandOf(step, limits);
  const colours = plainRow(band === 'none' ? null : COLOURS[band], columnCount);
  const filled = (col: number | undefined) => col !== undefined && col < columnCount && String(row[col] ?? '').trim() !== '';
  if (filled(mapping.rtc)) colours[mapping.rtc as number] = COLOURS.rtc;
  if (filled(mapping.ropc)) colours[mapping.ropc as number] = COLOURS.ropc;
  return colours;
}
