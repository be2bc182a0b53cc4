/**
 * Cells whose formula calls one of the project's custom functions (`=ATTEND_TIER(A2, SOL_UPDATED)`),
 * recalculated the way Sheets does it (semantics S9.2):
 *
 * - the function re-runs only when the formula changes or when the VALUE of one of its arguments
 *   changes. "Custom function results are cached … the custom function doesn't recalculate until you
 *   edit the function, or you change the value of a referenced cell" — reading other cells inside the
 *   function (SpreadsheetApp) creates no dependency (custom functions guide,
 *   https://developers.google.com/apps-script/guides/sheets/functions; engineering §2.1: "Recalculation
 *   happens only when a referenced argument changes"). So a function that looks things up by an ID
 *   keeps showing its old result after the data it read changes: the staleness the add-on must avoid.
 * - a single cell passes its value, a range passes a 2-D array (S9.2); an array result spills down
 *   and right from the formula cell, or shows #REF! when the spill would overwrite content; a thrown
 *   error shows #ERROR! (its message is kept for the test, as Sheets shows it on hover).
 *
 * Sheets recalculates after every change; the emulator does it when a test calls
 * emu.recalculateCustomFunctions(), so an action's call counts stay the action's own.
 * Supported argument forms: A1 references and ranges (optionally 'Sheet'!-prefixed, $ allowed,
 * open-ended 'E2:E' clipped to the last row), named ranges, number, string and TRUE/FALSE literals.
 * A formula with anything else (a nested function, an operator) is not evaluated.
 */
import { parseA1, splitSheetPrefix, a1Of, type A1Box } from './a1';
import type { CellValue } from './cellValues';
import type { SheetModel } from './grid';
import type { SpreadsheetModel } from './spreadsheet';

export interface CustomFunctionHost {
  /** Is this a top-level function of the project callable from a cell (not ending in "_")? */
  has(name: string): boolean;
  /** Runs it as a custom-function execution (AuthMode.CUSTOM_FUNCTION, 30 s). */
  run(name: string, args: unknown[]): unknown;
}

export interface RecalculatedCell {
  /** 'Sheet!B2' */
  cell: string;
  /** false: the cached result was kept (no argument changed). */
  ran: boolean;
  /** The message of the error the function threw (the cell shows #ERROR!). */
  error?: string;
}

interface Cached {
  formula: string;
  argsKey: string;
  spill: { rows: number; columns: number };
  error?: string;
}

type Arg = { kind: 'literal'; value: CellValue } | { kind: 'ref'; sheetName: string | null; ref: string } | { kind: 'name'; name: string };

const CALL = /^=\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)\s*$/;

function splitArgs(src: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const ch of src) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === '(' || ch === ')') {
      return null; // nested calls: not modelled
    } else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (quote) return null;
  if (cur.trim() !== '' || out.length > 0) out.push(cur.trim());
  return out;
}

function parseArg(text: string): Arg | null {
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return { kind: 'literal', value: Number(text) };
  const str = /^"((?:[^"]|"")*)"$/.exec(text);
  if (str) return { kind: 'literal', value: str[1]!.replace(/""/g, '"') };
  if (/^(TRUE|FALSE)$/i.test(text)) return { kind: 'literal', value: text.toUpperCase() === 'TRUE' };
  const { sheetName, ref } = splitSheetPrefix(text);
  if (/^\$?[A-Za-z]{1,3}\$?\d*(:\$?[A-Za-z]{1,3}\$?\d*)?$/.test(ref) && /\d/.test(ref.split(':')[0]!)) return { kind: 'ref', sheetName, ref };
  if (sheetName === null && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return { kind: 'name', name: text };
  return null;
}

function keyOf(v: unknown): string {
  if (Object.prototype.toString.call(v) === '[object Date]') return `D${(v as Date).getTime()}`;
  if (Array.isArray(v)) return `[${v.map(keyOf).join(',')}]`;
  return JSON.stringify(v ?? '');
}

export class CustomFunctionCells {
  private cache = new Map<string, Cached>();

  constructor(private readonly model: SpreadsheetModel) {}

  /** The error message behind a #ERROR! cell, if the last run threw. */
  errorAt(sheet: SheetModel, row: number, column: number): string | undefined {
    return this.cache.get(`${sheet.sheetId}:${row}:${column}`)?.error;
  }

  private resolve(arg: Arg, home: SheetModel): unknown {
    if (arg.kind === 'literal') return arg.value;
    let sheet: SheetModel | undefined;
    let box: A1Box | null;
    if (arg.kind === 'name') {
      const named = this.model.namedRanges.get(arg.name.toLowerCase());
      if (!named || named.sheet.deleted) throw new Error(`Unknown range name: '${arg.name}'.`);
      sheet = named.sheet;
      box = named.box;
    } else {
      sheet = arg.sheetName === null ? home : this.model.findSheet(arg.sheetName);
      if (!sheet) throw new Error(`Unresolved sheet name '${arg.sheetName}'.`);
      box = parseA1(arg.ref, Math.max(1, sheet.values.lastRow()), sheet.maxColumns);
      if (!box) throw new Error(`Bad reference ${arg.ref}`);
    }
    const read = (r: number, c: number): CellValue => sheet!.values.get(r, c) ?? '';
    if (box.numRows === 1 && box.numColumns === 1) return read(box.row - 1, box.column - 1);
    return Array.from({ length: box.numRows }, (_, i) => Array.from({ length: box!.numColumns }, (_, j) => read(box!.row - 1 + i, box!.column - 1 + j)));
  }

  /** One recalculation pass over every sheet; returns each custom-function cell and whether it ran. */
  recalculate(host: CustomFunctionHost): RecalculatedCell[] {
    const out: RecalculatedCell[] = [];
    for (const sheet of this.model.sheets) {
      const cells: Array<{ r: number; c: number; formula: string }> = [];
      sheet.formulas.rows.forEach((row, r) => row?.forEach((f, c) => { if (f !== undefined) cells.push({ r, c, formula: f }); }));
      for (const { r, c, formula } of cells) {
        const m = CALL.exec(formula);
        if (!m || !host.has(m[1]!)) continue;
        const texts = splitArgs(m[2]!);
        const args = texts?.map(parseArg);
        if (!texts || !args || args.some((a) => a === null)) continue;
        const key = `${sheet.sheetId}:${r}:${c}`;
        const cell = `${sheet.name}!${a1Of({ row: r + 1, column: c + 1, numRows: 1, numColumns: 1 })}`;
        let values: unknown[];
        let argError: string | undefined;
        try {
          values = (args as Arg[]).map((a) => this.resolve(a, sheet));
        } catch (e) {
          values = [];
          argError = (e as Error).message;
        }
        const argsKey = argError ? `!${argError}` : keyOf(values);
        const cached = this.cache.get(key);
        if (cached && cached.formula === formula && cached.argsKey === argsKey) {
          out.push({ cell, ran: false, ...(cached.error ? { error: cached.error } : {}) });
          continue;
        }
        // clear the previous spill (not the anchor's formula)
        if (cached) for (let i = 0; i < cached.spill.rows; i++) for (let j = 0; j < cached.spill.columns; j++) if (i || j) sheet.values.set(r + i, c + j, undefined);
        let result: unknown;
        let error: string | undefined = argError;
        if (!error) {
          try {
            result = host.run(m[1]!, values);
          } catch (e) {
            error = (e as Error)?.message ?? String(e);
          }
        }
        let spill = { rows: 1, columns: 1 };
        if (error) sheet.values.set(r, c, '#ERROR!');
        else if (Array.isArray(result)) {
          const grid = (result as unknown[]).map((row) => (Array.isArray(row) ? row : [row]));
          const rows = grid.length;
          const columns = Math.max(1, ...grid.map((g) => g.length));
          let blocked = false;
          for (let i = 0; i < rows && !blocked; i++) for (let j = 0; j < columns; j++) {
            if (!i && !j) continue;
            if (sheet.values.get(r + i, c + j) !== undefined || sheet.formulas.get(r + i, c + j) !== undefined) blocked = true;
          }
          if (blocked) {
            sheet.values.set(r, c, '#REF!');
            error = 'Array result was not expanded because it would overwrite data.';
          } else {
            grid.forEach((row, i) => row.forEach((v, j) => sheet.values.set(r + i, c + j, toCell(v))));
            spill = { rows, columns };
          }
        } else sheet.values.set(r, c, toCell(result));
        this.cache.set(key, { formula, argsKey, spill, ...(error ? { error } : {}) });
        out.push({ cell, ran: true, ...(error ? { error } : {}) });
      }
    }
    return out;
  }
}

function toCell(v: unknown): CellValue {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Object.prototype.toString.call(v) === '[object Date]') return new Date((v as Date).getTime());
  return String(v);
}
