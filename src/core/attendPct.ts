/**
 * Pure logic of the custom function =ATTEND_PCT(marks). Sheets passes one cell as a scalar and a
 * range as a 2-D array; a custom function returns a value or a 2-D array of the range's shape
 * (apps-script-semantics.md, custom functions).
 */
import { codeIndex, normaliseCode } from './codes';
import type { AttendanceCode, CodeTable } from './types';

export type AttendPctResult = number | '' | (number | '')[][];

interface CellPosition {
  row: number;
  column: number;
}

/** The codes of some cells; blank cells are "no mark yet"; an unknown code names its position. */
function codesOfCells(cells: readonly unknown[], index: Map<string, AttendanceCode>, positionOf: (i: number) => CellPosition): AttendanceCode[] {
  const out: AttendanceCode[] = [];
  for (let i = 0; i < cells.length; i++) {
    const raw = cells[i];
    if (raw === '' || raw === null || raw === undefined) continue; // no mark yet
    const code = typeof raw === 'string' ? (index.has(raw) ? raw : normaliseCode(raw)) : normaliseCode(raw);
    if (code === '') continue;
    const entry = index.get(code);
    if (entry === undefined) {
      const { row, column } = positionOf(i);
      throw new Error(`Unknown attendance code "${code}" in row ${row}, column ${column} of the range`);
    }
    out.push(entry);
  }
  return out;
}

/**
 * The shape rule shared by the range custom functions: one cell, one row or one column → one
 * value for all of it; a block with several rows and several columns → one value per row, as an
 * n×1 array (Sheets spills it down the column).
 */
export function summariseMarks<T>(input: unknown, table: CodeTable, summarise: (codes: readonly AttendanceCode[]) => T): T | T[][] {
  const index = codeIndex(table);
  if (!Array.isArray(input)) return summarise(codesOfCells([input], index, () => ({ row: 1, column: 1 })));
  if (input.length === 0) return summarise([]);
  if (!input.every(Array.isArray)) {
    // A flat list (not what Sheets sends, but harmless): treat it as one row.
    return summarise(codesOfCells(input, index, (i) => ({ row: 1, column: i + 1 })));
  }
  const rows = input as unknown[][];
  const columns = rows[0]!.length;
  if (rows.length === 1) return summarise(codesOfCells(rows[0]!, index, (i) => ({ row: 1, column: i + 1 })));
  if (columns === 1) return summarise(codesOfCells(rows.map((row) => row[0]), index, (i) => ({ row: i + 1, column: 1 })));
  return rows.map((row, r) => [summarise(codesOfCells(row, index, (i) => ({ row: r + 1, column: i + 1 })))]);
}

function tally(codes: readonly AttendanceCode[]): { attended: number; absent: number; possible: number } {
  let attended = 0;
  let absent = 0;
  for (const c of codes) {
    if (c.category === 'present' || c.category === 'aea') attended++;
    else if (c.category === 'authorised' || c.category === 'unauthorised') absent++;
  }
  return { attended, absent, possible: attended + absent };
}

/**
 * =ATTEND_PCT(marks): the attendance fraction; a row with no possible session gives '' (a blank
 * cell). Blank cells are "no mark yet".
 */
export function attendPct(input: unknown, table: CodeTable): AttendPctResult {
  return summariseMarks<number | ''>(input, table, (codes) => {
    const { attended, possible } = tally(codes);
    return possible === 0 ? '' : attended / possible;
  });
}

/** What =ATTEND_COUNT can count, besides a single code. */
export const COUNT_CATEGORIES: Record<string, (c: AttendanceCode) => boolean> = {
  possible: (c) => c.category !== 'notPossible',
  present: (c) => c.category === 'present',
  aea: (c) => c.category === 'aea',
  attended: (c) => c.category === 'present' || c.category === 'aea',
  absent: (c) => c.category === 'authorised' || c.category === 'unauthorised',
  authorised: (c) => c.category === 'authorised',
  unauthorised: (c) => c.category === 'unauthorised',
  late: (c) => c.late !== undefined,
  unverified: (c) => c.unverified === true,
  unexcused: (c) => c.unexcused === true,
  notpossible: (c) => c.category === 'notPossible',
};

/**
 * =ATTEND_COUNT(marks, what): how many sessions are of a category ('unauthorised', 'possible',
 * 'late'… — US spellings accepted) or carry one code ('N'). Unknown `what` names the choices.
 */
export function attendCount(input: unknown, what: unknown, table: CodeTable): number | number[][] {
  const key = String(what ?? '').trim().toLowerCase().replace(/iz/g, 'is').replace(/[\s_-]/g, '');
  const byCategory = COUNT_CATEGORIES[key];
  const code = normaliseCode(what);
  const byCode = codeIndex(table).has(code) ? (c: AttendanceCode) => c.code === code : undefined;
  const predicate = byCategory ?? byCode;
  if (what === undefined || what === null || String(what).trim() === '') {
    throw new Error('ATTEND_COUNT: say what to count as the second argument, e.g. =ATTEND_COUNT(B2:GZ2, "unauthorised") or =ATTEND_COUNT(B2:GZ2, "N").');
  }
  if (!predicate) {
    throw new Error(`ATTEND_COUNT: "${String(what)}" is neither a category (${Object.keys(COUNT_CATEGORIES).join(', ')}) nor a code of the ${table.label} table.`);
  }
  return summariseMarks(input, table, (codes) => codes.filter(predicate).length);
}

/**
 * =ATTEND_FLAG(marks): 'Severe' (absence ≥ 50 %), 'PA' (absence ≥ 10 %) or ''; exact integer
 * comparisons on the student's own possible sessions (attendance-rules §1.4). Severe pupils are
 * persistently absent too; the stronger flag is shown.
 */
export function attendFlag(input: unknown, table: CodeTable): string | string[][] {
  return summariseMarks(input, table, (codes) => {
    const { absent, possible } = tally(codes);
    if (possible === 0) return '';
    if (absent * 2 >= possible) return 'Severe';
    return absent * 10 >= possible ? 'PA' : '';
  });
}
