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

/** Attendance fraction of some cells; '' when none of them is a possible session. */
function fractionOfCells(
  cells: readonly unknown[],
  index: Map<string, AttendanceCode>,
  positionOf: (i: number) => CellPosition,
): number | '' {
  let attended = 0;
  let possible = 0;
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
    switch (entry.category) {
      case 'present':
      case 'aea':
        attended++;
        possible++;
        break;
      case 'authorised':
      case 'unauthorised':
        possible++;
        break;
      case 'notPossible':
        break;
    }
  }
  return possible === 0 ? '' : attended / possible;
}

/**
 * One cell, one row or one column → a single attendance fraction for all of it.
 * A block with several rows and several columns → one fraction per row, as an n×1 array.
 * Blank cells are "no mark yet"; a row with no possible session gives '' (a blank cell).
 */
export function attendPct(input: unknown, table: CodeTable): AttendPctResult {
  const index = codeIndex(table);
  if (!Array.isArray(input)) return fractionOfCells([input], index, () => ({ row: 1, column: 1 }));
  if (input.length === 0) return '';
  if (!input.every(Array.isArray)) {
    // A flat list (not what Sheets sends, but harmless): treat it as one row.
    return fractionOfCells(input, index, (i) => ({ row: 1, column: i + 1 }));
  }
  const rows = input as unknown[][];
  const columns = rows[0]!.length;
  if (rows.length === 1) return fractionOfCells(rows[0]!, index, (i) => ({ row: 1, column: i + 1 }));
  if (columns === 1) {
    const column = rows.map((row) => row[0]);
    return fractionOfCells(column, index, (i) => ({ row: i + 1, column: 1 }));
  }
  return rows.map((row, r) => [fractionOfCells(row, index, (i) => ({ row: r + 1, column: i + 1 }))]);
}
