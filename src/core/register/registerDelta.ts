/**
 * The Register writes of an import: only the cells that change (issue 13). The Register is one row
 * per pupil and one column per session; by July at 2,000 pupils it holds about 760,000 cells, and a
 * day's import adds two sessions (4,000 cells) and perhaps a few corrections. Rewriting the whole
 * tab each day cost a setValues of 760,000 cells; the writes here cover the changed cells in a few
 * rectangles: columns that change are grouped into runs (small gaps joined), each written from its
 * first to its last changed row. Many scattered runs become one rectangle, so the number of calls
 * stays bounded whatever the corrections.
 */

/** A rectangle to write, 1-based like Sheets; `values` is `rows × columns` plain strings. */
export interface RegisterWrite {
  row: number;
  column: number;
  values: string[][];
}

/** Columns whose changes are at most this many columns apart are written together. */
const JOIN_GAP = 3;
/** More runs than this are written as one rectangle over all of them. */
const MAX_RUNS = 8;

/** A read cell as the text the Register holds (Sheets returns '' for empty; numbers as numbers). */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

/**
 * The writes that turn `before` (the tab as read: getValues of its data range) into `after` (the
 * whole new tab, header row first). Cells of `before` beyond `after` are blanked; cells equal in
 * both are not written.
 */
export function registerWrites(before: readonly (readonly unknown[])[], after: readonly (readonly string[])[]): RegisterWrite[] {
  const height = Math.max(before.length, after.length);
  let width = 0;
  for (const r of before) width = Math.max(width, r.length);
  for (const r of after) width = Math.max(width, r.length);
  const target = (r: number, c: number) => after[r]?.[c] ?? '';

  // Per column: the first and last row that changes (-1 when none).
  const first = new Array<number>(width).fill(-1);
  const last = new Array<number>(width).fill(-1);
  for (let r = 0; r < height; r++) {
    const was = before[r];
    const now = after[r];
    for (let c = 0; c < width; c++) {
      const a = was ? cellText(was[c]) : '';
      const b = now ? (now[c] ?? '') : '';
      if (a === b) continue;
      if (first[c] === -1) first[c] = r;
      last[c] = r;
    }
  }

  let runs: { from: number; to: number }[] = [];
  for (let c = 0; c < width; c++) {
    if (first[c] === -1) continue;
    const open = runs[runs.length - 1];
    if (open && c - open.to <= JOIN_GAP) open.to = c;
    else runs.push({ from: c, to: c });
  }
  if (runs.length > MAX_RUNS) runs = [{ from: runs[0]!.from, to: runs[runs.length - 1]!.to }];

  return runs.map(({ from, to }) => {
    let top = height;
    let bottom = -1;
    for (let c = from; c <= to; c++) {
      if (first[c] === -1) continue;
      top = Math.min(top, first[c]!);
      bottom = Math.max(bottom, last[c]!);
    }
    const values: string[][] = [];
    for (let r = top; r <= bottom; r++) {
      const row: string[] = [];
      for (let c = from; c <= to; c++) row.push(target(r, c));
      values.push(row);
    }
    return { row: top + 1, column: from + 1, values };
  });
}

/** Cells the writes cover (the bench and the tests report it). */
export function cellsIn(writes: readonly RegisterWrite[]): number {
  let n = 0;
  for (const w of writes) n += w.values.length * (w.values[0]?.length ?? 0);
  return n;
}
