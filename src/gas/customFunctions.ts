/**
 * Custom functions (`=ATTEND_PCT(B2:GZ2)`, `=ATTEND_TIER(A2, SOL_UPDATED)`). They run read-only, once per cell,
 * with a cold global scope and 30 s (semantics S9.x), so each reads only what it needs.
 * A range argument returns the same shape (engineering §2.1: one call for a whole column).
 */
import { attendCount, attendFlag, attendPct } from '../core/attendPct';
import { resolveActivePolicy } from '../core/activePolicy';
import { readAttendanceInput, tierForAttendance } from '../core/policy/tier';
import { loadSettings } from './settingsStore';
import { currentStamp } from './dataVersion';
import { evaluateStudentsById } from './studentLookup';

function activeSettings() {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  // No spreadsheet or no Settings tab: the default preset applies.
  return ss ? loadSettings(ss).settings : loadDefault();
}

function loadDefault() {
  return { presetId: 'uk-secondary-sol', codeOverrides: {} };
}

/** =ATTEND_PCT(marks): attendance fraction of a row/column of register codes, or one per row of a 2-D range. */
export function ATTEND_PCT(marks: unknown): unknown {
  const { table } = resolveActivePolicy(activeSettings());
  return attendPct(marks, table);
}

/** =ATTEND_COUNT(marks, what): sessions of a category ('unauthorised', 'late'…) or of one code ('N'). */
export function ATTEND_COUNT(marks: unknown, what: unknown): unknown {
  const { table } = resolveActivePolicy(activeSettings());
  return attendCount(marks, what, table);
}

/** =ATTEND_FLAG(marks): 'Severe', 'PA' or '' from a row of register codes. */
export function ATTEND_FLAG(marks: unknown): unknown {
  const { table } = resolveActivePolicy(activeSettings());
  return attendFlag(marks, table);
}

function isBlank(v: unknown): boolean {
  return v === '' || v === null || v === undefined;
}

const BY_ID_HINT = 'for a student ID write =ATTEND_TIER(A2, SOL_UPDATED): Sheets re-runs a custom function only when one of its arguments changes, and SOL_UPDATED changes whenever the add-on updates the tracker';

function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** A student ID as the tracker holds it: text as typed (leading zeros kept), a whole number as its digits. */
function idOf(v: unknown): string {
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) return ''; // not a cell value
  return String(v ?? '').trim();
}

/** One value of attendance mode: a fraction or percentage → the step label; anything else → why not. */
function tierLabel(v: unknown, tierOf: (n: number) => string): string {
  if (typeof v === 'number') {
    if (v < 0 || v > 100 || !Number.isFinite(v)) throw new Error(`ATTEND_TIER: ${v} is not an attendance figure (a fraction from 0 to 1 or a percentage from 0 to 100); ${BY_ID_HINT}.`);
    return tierOf(v);
  }
  // A cell holds a number, text, a date or a boolean: anything else (an object sent through
  // google.script.run) is named as what it is, never "[object Object]".
  const s = v !== null && typeof v === 'object' && !(v instanceof Date) ? '' : String(v ?? '').trim();
  if (s !== '' && !Number.isNaN(Number(s))) return tierLabel(Number(s), tierOf);
  const shown = v !== null && typeof v === 'object' && !(v instanceof Date) ? 'that value (not a cell\'s number or text)' : `"${s.slice(0, 60)}${s.length > 60 ? '…' : ''}"`;
  throw new Error(`ATTEND_TIER: ${shown} is not an attendance figure; ${BY_ID_HINT}.`);
}

/**
 * =ATTEND_TIER(value): an attendance fraction or percentage → the step attendance alone gives.
 * =ATTEND_TIER(id, SOL_UPDATED): a student ID (text or number, leading zeros kept) → that student's
 * full evaluation from the tracker. The second argument is the add-on's update stamp (dataVersion.ts):
 * as an argument it makes Sheets re-run the function after every change the add-on makes, so the
 * step cannot silently go stale; anything but the current stamp is refused. A range gives a range.
 */
export function ATTEND_TIER(value: unknown, updated?: unknown): unknown {
  const { policy } = resolveActivePolicy(activeSettings());
  const tierOf = (n: number) => tierForAttendance(policy, readAttendanceInput(n))?.label ?? 'No step';
  const grid = Array.isArray(value) ? (value as unknown[][]) : null;

  if (updated === undefined) {
    if (!grid) return isBlank(value) ? '' : tierLabel(value, tierOf);
    return grid.map((row) => row.map((v) => {
      if (isBlank(v)) return '';
      try {
        return tierLabel(v, tierOf);
      } catch (e) {
        return (e as Error).message;
      }
    }));
  }

  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const stamp = ss ? currentStamp(ss) : null;
  if (!stamp) throw new Error('ATTEND_TIER: SOL_UPDATED has not been written yet: run SOL Tracker ▸ Recalculate once, then the formula updates itself.');
  if (!isDate(updated) || updated.getTime() !== stamp.getTime()) {
    throw new Error('ATTEND_TIER: the second argument must be SOL_UPDATED, e.g. =ATTEND_TIER(A2, SOL_UPDATED) — anything else would let the step go stale.');
  }
  const ids = new Set<string>();
  for (const v of grid ? grid.flat() : [value]) if (!isBlank(v)) ids.add(idOf(v));
  const placements = ids.size ? evaluateStudentsById([...ids]) : new Map<string, string>();
  if (grid) return grid.map((row) => row.map((v) => (isBlank(v) ? '' : placements.get(idOf(v)) ?? `Unknown student ID "${idOf(v)}"`)));
  if (isBlank(value)) return '';
  const label = placements.get(idOf(value));
  if (label === undefined) throw new Error(`ATTEND_TIER: no student with ID "${idOf(value)}" on the tracker.`);
  return label;
}
