/** A1 notation: column letters, parsing 'A1', 'A1:B2', 'A:A', '2:3', 'A2:A', "'My Sheet'!A1" (S3.1, S3.4). */

export function columnLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export interface A1Box {
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
}

/** Splits "Sheet!A1:B2" into the sheet name (or null) and the range part. */
export function splitSheetPrefix(a1: string): { sheetName: string | null; ref: string } {
  const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!(.+)$/.exec(a1.trim());
  if (!m) return { sheetName: null, ref: a1.trim() };
  const name = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  return { sheetName: name, ref: m[3] };
}

/** Parses a range reference against a grid size; null when unparsable ("Range not found"). */
export function parseA1(ref: string, maxRows: number, maxColumns: number): A1Box | null {
  const parts = ref.replace(/\$/g, '').toUpperCase().split(':');
  if (parts.length > 2 || parts.some((p) => p === '')) return null;
  const cells = parts.map((p) => /^([A-Z]{0,3})(\d*)$/.exec(p));
  if (cells.some((c) => !c || (c[1] === '' && c[2] === ''))) return null;
  const [a, b] = cells as RegExpExecArray[];
  const colA = a[1] ? columnNumber(a[1]) : null;
  const rowA = a[2] ? Number(a[2]) : null;
  if (!b) {
    if (colA === null || rowA === null || rowA < 1) return null;
    return { row: rowA, column: colA, numRows: 1, numColumns: 1 };
  }
  const colB = b[1] ? columnNumber(b[1]) : null;
  const rowB = b[2] ? Number(b[2]) : null;
  // whole rows ('2:3') need no columns; whole columns ('A:B') no rows; 'A2:A' is open-ended
  if ((colA === null) !== (colB === null)) return null;
  const c1 = colA ?? 1;
  const c2 = colB ?? maxColumns;
  const r1 = rowA ?? 1;
  const r2 = rowB ?? maxRows;
  if (rowA === 0 || rowB === 0) return null;
  return {
    row: Math.min(r1, r2), column: Math.min(c1, c2),
    numRows: Math.abs(r2 - r1) + 1, numColumns: Math.abs(c2 - c1) + 1,
  };
}

export function a1Of(box: A1Box): string {
  const start = `${columnLetters(box.column)}${box.row}`;
  if (box.numRows === 1 && box.numColumns === 1) return start;
  return `${start}:${columnLetters(box.column + box.numColumns - 1)}${box.row + box.numRows - 1}`;
}
