/**
 * The "Letters Ledger" tab: read once per execution, written row by row while sending.
 *
 * Every ledger entry keeps the sheet row it was read from (or appended to), so a status change is
 * one setValues on that row. To keep a send at ONE sheet call, the rows of a write are written as
 * one block from the lowest to the highest row: rows in between are rewritten with the values this
 * execution holds (it holds the document lock, and the tab belongs to the add-on). A block never
 * spans more than MAX_BLOCK_ROWS rows; farther rows get a write of their own.
 */
import { LEDGER_HEADER, fromLedgerRows, toLedgerRows, type LedgerEntry } from '../../core/letters';
import { SHEET_NAMES } from '../sheetNames';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export const LEDGER_WIDTH = LEDGER_HEADER.length;
/** Rewriting up to this many untouched rows is cheaper than a second call (≈ 0.01 ms per cell). */
export const MAX_BLOCK_ROWS = 60;

export interface LedgerTab {
  /** null when the tab does not exist yet (read-only views); created on the first write. */
  sheet: Sheet | null;
  ss: Spreadsheet;
  /** Ledger order (= sheet order). Replace through setEntries so rows stay known. */
  entries: LedgerEntry[];
  /** Sheet row of each key. */
  rowOf: Map<string, number>;
  /** Key written on each sheet row (index = row − 2); null for a blank row. */
  keyAtRow: (string | null)[];
  /** True when the header on the sheet is not the canonical one (rewritten before any row write). */
  needsRewrite: boolean;
  /** The sheet's row count as last known (read once; grown before a write goes past it). */
  maxRows: number;
}

/** Rows added at a time when the ledger outgrows its tab (fewer inserts than one per letter). */
export const GROW_ROWS = 500;

/** The tab grows before a write reaches past its last row (a new tab has 1,000 rows; DESIGN.md §5). */
function ensureLedgerRows(tab: LedgerTab, lastRow: number): void {
  if (!tab.sheet || lastRow <= tab.maxRows) return;
  const add = lastRow - tab.maxRows + GROW_ROWS;
  tab.sheet.insertRowsAfter(tab.maxRows, add);
  tab.maxRows += add;
}

function cellText(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return (s.startsWith("'") ? s.slice(1) : s).trim();
}

/** Reads the whole ledger (one getDataRange().getValues()). Throws naming the bad row. */
export function readLedger(ss: Spreadsheet): LedgerTab {
  const sheet = ss.getSheetByName(SHEET_NAMES.ledger);
  if (!sheet) return { sheet: null, ss, entries: [], rowOf: new Map(), keyAtRow: [], needsRewrite: false, maxRows: 0 };
  const values = sheet.getDataRange().getValues();
  const maxRows = sheet.getMaxRows();
  const headerRow = values[0] ?? [];
  const isEmpty = values.length === 0 || (values.length === 1 && headerRow.every((c) => cellText(c) === ''));
  if (isEmpty) return { sheet, ss, entries: [], rowOf: new Map(), keyAtRow: [], needsRewrite: true, maxRows };
  const entries = fromLedgerRows(values);
  const header = headerRow.map(cellText);
  const keyCol = header.indexOf('Key');
  const rowOf = new Map<string, number>();
  const keyAtRow: (string | null)[] = [];
  for (let r = 1; r < values.length; r++) {
    const key = cellText(values[r][keyCol]);
    keyAtRow.push(key === '' ? null : key);
    if (key !== '') rowOf.set(key, r + 1);
  }
  const canonical = LEDGER_HEADER.every((h, i) => header[i] === h);
  return { sheet, ss, entries, rowOf, keyAtRow, needsRewrite: !canonical, maxRows };
}

/** Replace the in-memory entries (after a pure ledger transition). New keys get the next rows. */
export function setEntries(tab: LedgerTab, entries: LedgerEntry[]): void {
  tab.entries = entries;
  for (const e of entries) {
    if (!tab.rowOf.has(e.key)) {
      tab.keyAtRow.push(e.key);
      tab.rowOf.set(e.key, tab.keyAtRow.length + 1);
    }
  }
}

function ensureSheet(tab: LedgerTab): Sheet {
  if (tab.sheet) return tab.sheet;
  const sheet = tab.ss.insertSheet(SHEET_NAMES.ledger);
  tab.sheet = sheet;
  tab.needsRewrite = true;
  tab.maxRows = sheet.getMaxRows();
  return sheet;
}

const BLANK_ROW: string[] = Array(LEDGER_WIDTH).fill('');

/** The whole ledger in canonical column order (one setValues); used when the header was not ours. */
function rewriteAll(tab: LedgerTab): void {
  const sheet = ensureSheet(tab);
  const byKey = new Map(tab.entries.map((e) => [e.key, e]));
  const rows: (string | number | Date)[][] = [toLedgerRows([])[0]];
  for (const key of tab.keyAtRow) {
    const e = key === null ? undefined : byKey.get(key);
    rows.push(e ? toLedgerRows([e])[1] : BLANK_ROW);
  }
  ensureLedgerRows(tab, rows.length);
  sheet.getRange(1, 1, rows.length, LEDGER_WIDTH).setValues(rows);
  tab.needsRewrite = false;
}

/**
 * Persist the given entries (by key) — the calls a send makes: usually ONE setValues (rows close
 * together), more only when the rows are far apart. Returns the number of writes made.
 */
export function writeEntries(tab: LedgerTab, keys: readonly string[]): number {
  if (keys.length === 0) return 0;
  if (tab.needsRewrite || !tab.sheet) {
    rewriteAll(tab);
    return 1;
  }
  const byKey = new Map(tab.entries.map((e) => [e.key, e]));
  const rows = [...new Set(keys.map((k) => {
    const r = tab.rowOf.get(k);
    if (r === undefined) throw new Error(`Letters ledger: no row for key "${k}" (internal error; nothing was sent for it).`);
    return r;
  }))].sort((a, b) => a - b);
  let writes = 0;
  let i = 0;
  while (i < rows.length) {
    const first = rows[i];
    let last = first;
    while (i + 1 < rows.length && rows[i + 1] - first < MAX_BLOCK_ROWS) last = rows[++i];
    i++;
    const block: (string | number | Date)[][] = [];
    for (let r = first; r <= last; r++) {
      const key = tab.keyAtRow[r - 2];
      const e = key === null || key === undefined ? undefined : byKey.get(key);
      block.push(e ? toLedgerRows([e])[1] : BLANK_ROW);
    }
    ensureLedgerRows(tab, last);
    tab.sheet.getRange(first, 1, block.length, LEDGER_WIDTH).setValues(block);
    writes++;
  }
  return writes;
}

export function entryByKey(tab: LedgerTab, key: string): LedgerEntry | undefined {
  return tab.entries.find((e) => e.key === key);
}

/** Largest block a batch keeps open (≈ 3,000 cells, ≈ 80 ms modelled per write). */
export const MAX_BATCH_BLOCK_ROWS = 200;

/**
 * The rows of one batch, held as one Range: each write during the batch is ONE setValues of the
 * whole block (the range is fetched once per batch). Null when the batch's rows are too far apart
 * or the tab must be rewritten first — callers then use writeEntries.
 */
export interface LedgerBlock {
  covers(key: string): boolean;
  write(): void;
}

export function openBlock(tab: LedgerTab, keys: readonly string[]): LedgerBlock | null {
  if (keys.length === 0 || tab.needsRewrite || !tab.sheet) return null;
  const rows = keys.map((k) => tab.rowOf.get(k));
  if (rows.some((r) => r === undefined)) return null;
  const first = Math.min(...(rows as number[]));
  const last = Math.max(...(rows as number[]));
  if (last - first + 1 > MAX_BATCH_BLOCK_ROWS) return null;
  ensureLedgerRows(tab, last);
  const range = tab.sheet.getRange(first, 1, last - first + 1, LEDGER_WIDTH);
  const inBlock = new Set(keys);
  return {
    covers: (key) => inBlock.has(key),
    write: () => {
      const byKey = new Map(tab.entries.map((e) => [e.key, e]));
      const block: (string | number | Date)[][] = [];
      for (let r = first; r <= last; r++) {
        const key = tab.keyAtRow[r - 2];
        const e = key === null || key === undefined ? undefined : byKey.get(key);
        block.push(e ? toLedgerRows([e])[1] : BLANK_ROW);
      }
      range.setValues(block);
    },
  };
}
