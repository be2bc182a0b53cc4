/**
 * Custom functions (`=ATTEND_PCT(B2:GZ2)`, `=ATTEND_TIER(A2)`). They run read-only, once per cell,
 * with a cold global scope and 30 s (semantics S9.x), so each reads only what it needs.
 * A range argument returns the same shape (engineering §2.1: one call for a whole column).
 */
import { attendCount, attendFlag, attendPct } from '../core/attendPct';
import { resolveActivePolicy } from '../core/activePolicy';
import { readAttendanceInput, tierForAttendance } from '../core/policy/tier';
import { loadSettings } from './settingsStore';
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

/**
 * =ATTEND_TIER(value): a number (fraction, or percentage above 1) → the step label attendance alone
 * gives; a student ID → that student's full evaluation from the tracker; a range → same shape.
 */
export function ATTEND_TIER(value: unknown): unknown {
  const { policy } = resolveActivePolicy(activeSettings());
  const tierOf = (n: number) => tierForAttendance(policy, readAttendanceInput(n))?.label ?? 'No step';
  if (Array.isArray(value)) {
    const grid = value as unknown[][];
    const ids = new Set<string>();
    for (const row of grid) for (const v of row) if (typeof v === 'string' && v.trim() && Number.isNaN(Number(v))) ids.add(v.trim());
    const placements = ids.size ? evaluateStudentsById([...ids]) : new Map<string, string>();
    return grid.map((row) => row.map((v) => {
      if (isBlank(v)) return '';
      if (typeof v === 'number') return tierOf(v);
      const s = String(v).trim();
      if (s !== '' && !Number.isNaN(Number(s))) return tierOf(Number(s));
      return placements.get(s) ?? `Unknown student ID "${s}"`;
    }));
  }
  if (isBlank(value)) return '';
  if (typeof value === 'number') return tierOf(value);
  const s = String(value).trim();
  if (!Number.isNaN(Number(s))) return tierOf(Number(s));
  const label = evaluateStudentsById([s]).get(s);
  if (label === undefined) throw new Error(`ATTEND_TIER: no student with ID "${s}" on the tracker.`);
  return label;
}
