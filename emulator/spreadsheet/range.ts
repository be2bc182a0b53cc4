/**
 * SpreadsheetApp.Range over the in-memory grid: values (S4.x), formats (S5.x), notes, validation,
 * protection. Every method passes the runtime gate ('SpreadsheetApp.Range.<method>').
 */
import { A1Box, a1Of } from './a1';
import { CellValue, displayValue, parseUserEntered, ParsedInput } from './cellValues';
import { DEFAULT_BACKGROUND, DEFAULT_FONT_COLOR, normaliseColor, rgbToHex } from './colors';
import { exception, signatureError } from '../runtime/errors';
import { Layer, SheetModel } from './grid';
import { assertMayEdit, EditorDirectory, Protection, ProtectionModel } from './protection';
import type { Runtime } from '../runtime/runtime';
import { DataValidation, DataValidationModel } from './validation';

/** What a Range needs from its spreadsheet. */
export interface RangeHost {
  readonly runtime: Runtime;
  readonly directory: EditorDirectory;
  timeZone(): string;
  sheetFacade(model: SheetModel): unknown;
  select(model: SheetModel, box: A1Box): void;
  protectionFacade(p: ProtectionModel): Protection;
}

/** The S3.2 checks, in the order row → column → numRows → numColumns → grid bounds (order INF). */
export function checkBox(sheet: SheetModel, row: number, column: number, numRows: number, numColumns: number): void {
  if (row < 1) throw exception('The starting row of the range is too small.');
  if (column < 1) throw exception('The starting column of the range is too small.');
  if (numRows < 1) throw exception('The number of rows in the range must be at least 1.');
  if (numColumns < 1) throw exception('The number of columns in the range must be at least 1.');
  if (row + numRows - 1 > sheet.maxRows || column + numColumns - 1 > sheet.maxColumns) {
    throw exception('The coordinates of the range are outside the dimensions of the sheet.');
  }
}

type Grid<T> = T[][];

export class Range {
  /** Undocumented event-range fields many onEdit handlers read (S7.4, INF); set by userEdit. */
  rowStart?: number;
  rowEnd?: number;
  columnStart?: number;
  columnEnd?: number;

  constructor(
    private readonly host: RangeHost,
    readonly sheetModel: SheetModel,
    private readonly r: number, // 1-based
    private readonly c: number,
    private readonly nr: number,
    private readonly nc: number,
  ) {}

  box(): A1Box {
    return { row: this.r, column: this.c, numRows: this.nr, numColumns: this.nc };
  }

  private g(method: string, cells = 1): void {
    this.host.runtime.gate(`SpreadsheetApp.Range.${method}`, cells);
    if (this.sheetModel.deleted) throw exception('The sheet has been deleted.'); // INF text
  }
  private get cells(): number {
    return this.nr * this.nc;
  }
  /** Protection check for script writes during an execution (S2.8). */
  private guardWrite(): void {
    const exec = this.host.runtime.current;
    if (exec) assertMayEdit(this.sheetModel, this.box(), exec.effectiveUser || exec.user, this.host.directory);
  }

  // ---- addressing -------------------------------------------------------------------------
  getRow(): number { this.g('getRow'); return this.r; }
  getRowIndex(): number { this.g('getRowIndex'); return this.r; }
  getColumn(): number { this.g('getColumn'); return this.c; }
  getLastRow(): number { this.g('getLastRow'); return this.r + this.nr - 1; }
  getLastColumn(): number { this.g('getLastColumn'); return this.c + this.nc - 1; }
  getNumRows(): number { this.g('getNumRows'); return this.nr; }
  getHeight(): number { this.g('getHeight'); return this.nr; }
  getNumColumns(): number { this.g('getNumColumns'); return this.nc; }
  getWidth(): number { this.g('getWidth'); return this.nc; }
  getA1Notation(): string { this.g('getA1Notation'); return a1Of(this.box()); }
  getSheet(): unknown { this.g('getSheet'); return this.host.sheetFacade(this.sheetModel); }
  getGridId(): number { this.g('getGridId'); return this.sheetModel.sheetId; }

  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): Range {
    this.g('offset');
    const args = [rowOffset, columnOffset, numRows, numColumns].filter((a) => a !== undefined);
    if (args.some((a) => typeof a !== 'number' || !Number.isFinite(a))) throw signatureError(args, 'SpreadsheetApp.Range.offset');
    const nr = numRows ?? this.nr;
    const nc = numColumns ?? this.nc;
    checkBox(this.sheetModel, this.r + rowOffset, this.c + columnOffset, nr, nc);
    return new Range(this.host, this.sheetModel, this.r + rowOffset, this.c + columnOffset, nr, nc);
  }

  getCell(row: number, column: number): Range {
    this.g('getCell');
    if (typeof row !== 'number' || typeof column !== 'number') throw signatureError([row, column], 'SpreadsheetApp.Range.getCell');
    if (row < 1 || column < 1 || row > this.nr || column > this.nc) throw exception('Cell reference out of range'); // INF text
    return new Range(this.host, this.sheetModel, this.r + row - 1, this.c + column - 1, 1, 1);
  }

  activate(): this {
    this.g('activate');
    this.host.select(this.sheetModel, this.box());
    return this;
  }
  activateAsCurrentCell(): this {
    this.g('activateAsCurrentCell');
    this.host.select(this.sheetModel, { row: this.r, column: this.c, numRows: 1, numColumns: 1 });
    return this;
  }

  // ---- reading ---------------------------------------------------------------------------
  private read<T, U>(layer: Layer<T>, map: (v: T | undefined, r: number, c: number) => U): Grid<U> {
    const out: Grid<U> = new Array(this.nr);
    const r0 = this.r - 1;
    const c0 = this.c - 1;
    for (let i = 0; i < this.nr; i++) {
      const row = layer.rows[r0 + i];
      const o: U[] = new Array(this.nc);
      for (let j = 0; j < this.nc; j++) o[j] = map(row === undefined ? undefined : row[c0 + j], r0 + i, c0 + j);
      out[i] = o;
    }
    return out;
  }

  getValues(): CellValue[][] {
    this.g('getValues', this.cells);
    return this.read(this.sheetModel.values, copyValue);
  }
  getValue(): CellValue {
    this.g('getValue');
    return copyValue(this.sheetModel.values.get(this.r - 1, this.c - 1));
  }
  getDisplayValues(): string[][] {
    this.g('getDisplayValues', this.cells);
    const tz = this.host.timeZone();
    const formats = this.sheetModel.numberFormats;
    return this.read(this.sheetModel.values, (v, r, c) => displayValue(v, formats.get(r, c), tz));
  }
  getDisplayValue(): string {
    this.g('getDisplayValue');
    return displayValue(this.sheetModel.values.get(this.r - 1, this.c - 1), this.sheetModel.numberFormats.get(this.r - 1, this.c - 1), this.host.timeZone());
  }
  getFormulas(): string[][] { this.g('getFormulas', this.cells); return this.read(this.sheetModel.formulas, (f) => f ?? ''); }
  getFormula(): string { this.g('getFormula'); return this.sheetModel.formulas.get(this.r - 1, this.c - 1) ?? ''; }
  getBackgrounds(): string[][] { this.g('getBackgrounds', this.cells); return this.read(this.sheetModel.backgrounds, (v) => v ?? DEFAULT_BACKGROUND); }
  getBackground(): string { this.g('getBackground'); return this.sheetModel.backgrounds.get(this.r - 1, this.c - 1) ?? DEFAULT_BACKGROUND; }
  getFontColors(): string[][] { this.g('getFontColors', this.cells); return this.read(this.sheetModel.fontColors, (v) => v ?? DEFAULT_FONT_COLOR); }
  getFontColor(): string { this.g('getFontColor'); return this.sheetModel.fontColors.get(this.r - 1, this.c - 1) ?? DEFAULT_FONT_COLOR; }
  getFontWeights(): string[][] { this.g('getFontWeights', this.cells); return this.read(this.sheetModel.fontWeights, (v) => v ?? 'normal'); }
  getFontWeight(): string { this.g('getFontWeight'); return this.sheetModel.fontWeights.get(this.r - 1, this.c - 1) ?? 'normal'; }
  getNotes(): string[][] { this.g('getNotes', this.cells); return this.read(this.sheetModel.notes, (v) => v ?? ''); }
  getNote(): string { this.g('getNote'); return this.sheetModel.notes.get(this.r - 1, this.c - 1) ?? ''; }
  getNumberFormats(): string[][] { this.g('getNumberFormats', this.cells); return this.read(this.sheetModel.numberFormats, (v) => v ?? 'General'); }
  getNumberFormat(): string { this.g('getNumberFormat'); return this.sheetModel.numberFormats.get(this.r - 1, this.c - 1) ?? 'General'; }
  getDataValidations(): Array<Array<DataValidation | null>> {
    this.g('getDataValidations', this.cells);
    return this.read(this.sheetModel.validations, (v) => (v ? new DataValidation(this.host.runtime, v) : null));
  }
  getDataValidation(): DataValidation | null {
    this.g('getDataValidation');
    const v = this.sheetModel.validations.get(this.r - 1, this.c - 1);
    return v ? new DataValidation(this.host.runtime, v) : null;
  }
  isBlank(): boolean {
    this.g('isBlank');
    return this.read(this.sheetModel.values, (v) => v === undefined).every((row) => row.every(Boolean));
  }

  // ---- writing ---------------------------------------------------------------------------
  /** S4.7: rows first, then the first offending row; a 1-D array is a signature error. */
  private check2D(method: string, data: unknown): asserts data is unknown[][] {
    if (!Array.isArray(data) || data.some((row) => !Array.isArray(row))) throw signatureError([data], `SpreadsheetApp.Range.${method}`);
    if (data.length !== this.nr) {
      throw exception(`The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${this.nr}.`);
    }
    for (const row of data as unknown[][]) {
      if (row.length !== this.nc) {
        throw exception(`The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.nc}.`);
      }
    }
  }

  private writeParsed(parsed: ParsedInput[][]): void {
    const s = this.sheetModel;
    const r0 = this.r - 1;
    const c0 = this.c - 1;
    for (let i = 0; i < this.nr; i++) {
      const p = parsed[i];
      const values = s.values.row(r0 + i);
      for (let j = 0; j < this.nc; j++) {
        const cell = p[j];
        values[c0 + j] = cell.value;
        if (cell.formula !== undefined || s.formulas.rows[r0 + i] !== undefined) s.formulas.set(r0 + i, c0 + j, cell.formula);
        if (cell.numberFormat !== undefined && s.numberFormats.get(r0 + i, c0 + j) === undefined) s.numberFormats.set(r0 + i, c0 + j, cell.numberFormat);
      }
    }
  }

  private parseAll(data: unknown[][]): ParsedInput[][] {
    const tz = this.host.timeZone();
    const formats = this.sheetModel.numberFormats;
    const r0 = this.r - 1;
    const c0 = this.c - 1;
    return data.map((row, i) => {
      const fmtRow = formats.rows[r0 + i];
      return row.map((v, j) => parseUserEntered(v, tz, fmtRow === undefined ? undefined : fmtRow[c0 + j]));
    });
  }

  setValues(values: unknown[][]): this {
    this.g('setValues', this.cells);
    this.check2D('setValues', values);
    const parsed = this.parseAll(values); // all-or-nothing: parse (and fail) before writing
    this.guardWrite();
    this.writeParsed(parsed);
    return this;
  }
  setValue(value: unknown): this {
    this.g('setValue', this.cells);
    const grid = Array.from({ length: this.nr }, () => new Array(this.nc).fill(value));
    const parsed = this.parseAll(grid);
    this.guardWrite();
    this.writeParsed(parsed);
    return this;
  }
  setFormulas(formulas: string[][]): this {
    this.g('setFormulas', this.cells);
    this.check2D('setFormulas', formulas);
    const parsed = this.parseAll(formulas.map((row) => row.map(asFormula)));
    this.guardWrite();
    this.writeParsed(parsed);
    return this;
  }
  setFormula(formula: string): this {
    this.g('setFormula', this.cells);
    const parsed = this.parseAll(Array.from({ length: this.nr }, () => new Array(this.nc).fill(asFormula(formula))));
    this.guardWrite();
    this.writeParsed(parsed);
    return this;
  }

  private fill<T>(layer: Layer<T>, grid: Array<Array<T | undefined>>): void {
    this.guardWrite();
    for (let i = 0; i < this.nr; i++) for (let j = 0; j < this.nc; j++) layer.set(this.r - 1 + i, this.c - 1 + j, grid[i][j]);
  }
  private uniform<T>(v: T | undefined): Array<Array<T | undefined>> {
    return Array.from({ length: this.nr }, () => new Array(this.nc).fill(v));
  }

  setBackground(color: string | null): this { this.g('setBackground', this.cells); this.fill(this.sheetModel.backgrounds, this.uniform(normaliseColor(color))); return this; }
  setBackgroundRGB(r: number, g: number, b: number): this { this.g('setBackgroundRGB', this.cells); this.fill(this.sheetModel.backgrounds, this.uniform(rgbToHex(r, g, b))); return this; }
  setBackgrounds(colors: Array<Array<string | null>>): this {
    this.g('setBackgrounds', this.cells);
    this.check2D('setBackgrounds', colors);
    this.fill(this.sheetModel.backgrounds, colors.map((row) => row.map(normaliseColor)));
    return this;
  }
  setFontColor(color: string | null): this { this.g('setFontColor', this.cells); this.fill(this.sheetModel.fontColors, this.uniform(normaliseColor(color))); return this; }
  setFontColors(colors: Array<Array<string | null>>): this {
    this.g('setFontColors', this.cells);
    this.check2D('setFontColors', colors);
    this.fill(this.sheetModel.fontColors, colors.map((row) => row.map(normaliseColor)));
    return this;
  }
  setFontWeight(weight: string | null): this { this.g('setFontWeight', this.cells); this.fill(this.sheetModel.fontWeights, this.uniform(fontWeight(weight))); return this; }
  setFontWeights(weights: Array<Array<string | null>>): this {
    this.g('setFontWeights', this.cells);
    this.check2D('setFontWeights', weights);
    this.fill(this.sheetModel.fontWeights, weights.map((row) => row.map(fontWeight)));
    return this;
  }
  /** S5.4: setNote(25) reads back '25'. */
  setNote(note: unknown): this {
    this.g('setNote', this.cells);
    this.fill(this.sheetModel.notes, this.uniform(note === null || note === undefined || note === '' ? undefined : String(note)));
    return this;
  }
  /** S5.4 quirk (XT): an integer passed to setNotes reads back with '.0'. */
  setNotes(notes: unknown[][]): this {
    this.g('setNotes', this.cells);
    this.check2D('setNotes', notes);
    this.fill(this.sheetModel.notes, notes.map((row) => row.map((n) => (n === null || n === undefined || n === '' ? undefined : typeof n === 'number' && Number.isInteger(n) ? `${n}.0` : String(n)))));
    return this;
  }
  setNumberFormat(format: string): this { this.g('setNumberFormat', this.cells); this.fill(this.sheetModel.numberFormats, this.uniform(format === 'General' ? undefined : String(format))); return this; }
  setNumberFormats(formats: string[][]): this {
    this.g('setNumberFormats', this.cells);
    this.check2D('setNumberFormats', formats);
    this.fill(this.sheetModel.numberFormats, formats.map((row) => row.map((f) => (f === 'General' || f == null ? undefined : String(f)))));
    return this;
  }
  setDataValidation(rule: DataValidation | null): this {
    this.g('setDataValidation', this.cells);
    this.fill(this.sheetModel.validations, this.uniform(rule ? { ...rule.model } : undefined));
    return this;
  }
  setDataValidations(rules: Array<Array<DataValidation | null>>): this {
    this.g('setDataValidations', this.cells);
    this.check2D('setDataValidations', rules);
    this.fill(this.sheetModel.validations, rules.map((row) => row.map((r) => (r ? { ...(r as DataValidation).model } : undefined))));
    return this;
  }
  clearDataValidations(): this { this.g('clearDataValidations', this.cells); this.fill(this.sheetModel.validations, this.uniform<DataValidationModel>(undefined)); return this; }
  insertCheckboxes(): this {
    this.g('insertCheckboxes', this.cells);
    this.fill(this.sheetModel.validations, this.uniform<DataValidationModel>({ criteria: 'CHECKBOX', args: [], allowInvalid: false, helpText: null }));
    this.writeParsed(this.uniform<ParsedInput>({ value: false }) as ParsedInput[][]);
    return this;
  }

  /** S5.5: clear() = contents and formats; options select (contentsOnly, formatOnly, validationsOnly, commentsOnly). */
  clear(options?: { contentsOnly?: boolean; formatOnly?: boolean; validationsOnly?: boolean; commentsOnly?: boolean }): this {
    this.g('clear', this.cells);
    this.guardWrite();
    const s = this.sheetModel;
    const all = !options || !(options.contentsOnly || options.formatOnly || options.validationsOnly || options.commentsOnly);
    const box = [this.r - 1, this.c - 1, this.nr, this.nc] as const;
    if (all || options?.contentsOnly) { s.values.clearRect(...box); s.formulas.clearRect(...box); }
    if (all || options?.formatOnly) for (const l of s.formatLayers()) l.clearRect(...box);
    if (options?.validationsOnly) s.validations.clearRect(...box);
    if (options?.commentsOnly) s.notes.clearRect(...box);
    return this;
  }
  clearContent(): this {
    this.g('clearContent', this.cells);
    this.guardWrite();
    this.sheetModel.values.clearRect(this.r - 1, this.c - 1, this.nr, this.nc);
    this.sheetModel.formulas.clearRect(this.r - 1, this.c - 1, this.nr, this.nc);
    return this;
  }
  clearFormat(): this {
    this.g('clearFormat', this.cells);
    this.guardWrite();
    for (const l of this.sheetModel.formatLayers()) l.clearRect(this.r - 1, this.c - 1, this.nr, this.nc);
    return this;
  }
  clearNote(): this {
    this.g('clearNote', this.cells);
    this.guardWrite();
    this.sheetModel.notes.clearRect(this.r - 1, this.c - 1, this.nr, this.nc);
    return this;
  }

  /** S2.8: a Range.protect() always creates a new protection. */
  protect(): Protection {
    this.g('protect');
    const model: ProtectionModel = {
      type: 'RANGE', sheet: this.sheetModel, box: this.box(), description: '', warningOnly: false,
      editors: null, domainEdit: true, unprotected: [], removed: false,
    };
    this.sheetModel.protections.push(model);
    return this.host.protectionFacade(model);
  }

  // ---- formatting without a model (accepted, not stored) ------------------------------------
  setWrap(_w: boolean): this { this.g('setWrap', this.cells); return this; }
  setWraps(_w: boolean[][]): this { this.g('setWraps', this.cells); return this; }
  setWrapStrategy(_s: unknown): this { this.g('setWrapStrategy', this.cells); return this; }
  setHorizontalAlignment(_a: string | null): this { this.g('setHorizontalAlignment', this.cells); return this; }
  setVerticalAlignment(_a: string | null): this { this.g('setVerticalAlignment', this.cells); return this; }
  setFontSize(_n: number): this { this.g('setFontSize', this.cells); return this; }
  setFontFamily(_f: string | null): this { this.g('setFontFamily', this.cells); return this; }
  setFontStyle(_s: string | null): this { this.g('setFontStyle', this.cells); return this; }
  setBorder(..._a: unknown[]): this { this.g('setBorder', this.cells); return this; }
  merge(): this { this.g('merge', this.cells); return this; }
}

function copyValue(v: CellValue | undefined): CellValue {
  if (v === undefined) return '';
  if (v instanceof Date) return new Date(v.getTime());
  return v;
}

function asFormula(f: unknown): unknown {
  if (f === null || f === undefined || f === '') return null;
  const s = String(f);
  return s.startsWith('=') ? s : `=${s}`;
}

function fontWeight(w: string | null): string | undefined {
  if (w === null || w === undefined || w === 'normal') return undefined;
  if (w !== 'bold') throw exception(`Invalid argument: fontWeight`); // INF text
  return 'bold';
}
