/** SpreadsheetApp.Sheet over a SheetModel (S2.x, S3.1, S3.2). */
import { parseA1 } from './a1';
import { parseUserEntered } from './cellValues';
import { exception, signatureError } from '../runtime/errors';
import { SheetModel } from './grid';
import { assertMayEdit, Protection, ProtectionModel, ProtectionTypeName } from './protection';
import { checkBox, Range, RangeHost } from './range';

export interface SheetHost extends RangeHost {
  renameSheet(model: SheetModel, name: string): void;
  activateSheet(model: SheetModel): void;
  spreadsheetFacade(): unknown;
}

export class Sheet {
  constructor(private readonly host: SheetHost, readonly model: SheetModel) {}

  private g(method: string, cells = 1): void {
    this.host.runtime.gate(`SpreadsheetApp.Sheet.${method}`, cells);
    if (this.model.deleted) throw exception('The sheet has been deleted.'); // INF text
  }
  private guardWholeSheet(): void {
    const exec = this.host.runtime.current;
    if (exec) assertMayEdit(this.model, { row: 1, column: 1, numRows: this.model.maxRows, numColumns: this.model.maxColumns }, exec.effectiveUser || exec.user, this.host.directory);
  }
  private range(r: number, c: number, nr: number, nc: number): Range {
    return new Range(this.host, this.model, r, c, nr, nc);
  }

  getName(): string { this.g('getName'); return this.model.name; }
  setName(name: string): this { this.g('setName'); this.host.renameSheet(this.model, String(name)); return this; }
  getSheetId(): number { this.g('getSheetId'); return this.model.sheetId; }
  getSheetName(): string { this.g('getSheetName'); return this.model.name; }
  getParent(): unknown { this.g('getParent'); return this.host.spreadsheetFacade(); }
  getLastRow(): number { this.g('getLastRow'); return this.model.lastRow(); }
  getLastColumn(): number { this.g('getLastColumn'); return this.model.lastColumn(); }
  getMaxRows(): number { this.g('getMaxRows'); return this.model.maxRows; }
  getMaxColumns(): number { this.g('getMaxColumns'); return this.model.maxColumns; }
  getFrozenRows(): number { this.g('getFrozenRows'); return this.model.frozenRows; }
  setFrozenRows(n: number): this { this.g('setFrozenRows'); this.model.frozenRows = n; return this; }
  getFrozenColumns(): number { this.g('getFrozenColumns'); return this.model.frozenColumns; }
  setFrozenColumns(n: number): this { this.g('setFrozenColumns'); this.model.frozenColumns = n; return this; }
  setColumnWidth(_c: number, _w: number): this { this.g('setColumnWidth'); return this; }
  setColumnWidths(_c: number, _n: number, _w: number): this { this.g('setColumnWidths'); return this; }
  autoResizeColumns(_c: number, _n: number): this { this.g('autoResizeColumns'); return this; }
  hideSheet(): this { this.g('hideSheet'); this.model.hidden = true; return this; }
  showSheet(): this { this.g('showSheet'); this.model.hidden = false; return this; }
  isSheetHidden(): boolean { this.g('isSheetHidden'); return this.model.hidden; }
  activate(): this { this.g('activate'); this.host.activateSheet(this.model); return this; }

  /** S3.1 overloads; S3.2 errors. */
  getRange(a: number | string, column?: number, numRows?: number, numColumns?: number): Range {
    this.g('getRange');
    if (typeof a === 'string' && column === undefined) {
      const box = parseA1(a, this.model.maxRows, this.model.maxColumns);
      if (!box) throw exception('Range not found');
      checkBox(this.model, box.row, box.column, box.numRows, box.numColumns);
      return this.range(box.row, box.column, box.numRows, box.numColumns);
    }
    const args = [a, column, numRows, numColumns].filter((x) => x !== undefined);
    if (args.length < 2 || args.some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw signatureError(args, 'SpreadsheetApp.Sheet.getRange');
    const nr = numRows ?? 1;
    const nc = numColumns ?? 1;
    checkBox(this.model, a as number, column as number, nr, nc);
    return this.range(Math.floor(a as number), Math.floor(column as number), Math.floor(nr), Math.floor(nc));
  }

  /** S2.5: A1..(lastRow,lastColumn); A1 on an empty sheet. */
  getDataRange(): Range {
    this.g('getDataRange');
    return this.range(1, 1, Math.max(1, this.model.lastRow()), Math.max(1, this.model.lastColumn()));
  }

  /** S2.6: writes at getLastRow()+1 from column 1; '=' strings are formulas; the grid grows. */
  appendRow(rowContents: unknown[]): this {
    this.g('appendRow', Array.isArray(rowContents) ? rowContents.length : 1);
    if (!Array.isArray(rowContents)) throw signatureError([rowContents], 'SpreadsheetApp.Sheet.appendRow');
    if (rowContents.length === 0) return this;
    const row = this.model.lastRow() + 1;
    if (row > this.model.maxRows) this.model.maxRows = row;
    if (rowContents.length > this.model.maxColumns) this.model.maxColumns = rowContents.length;
    const exec = this.host.runtime.current;
    if (exec) assertMayEdit(this.model, { row, column: 1, numRows: 1, numColumns: rowContents.length }, exec.effectiveUser || exec.user, this.host.directory);
    const tz = this.host.timeZone();
    const parsed = rowContents.map((v, j) => parseUserEntered(v, tz, this.model.numberFormats.get(row - 1, j)));
    parsed.forEach((p, j) => {
      this.model.values.set(row - 1, j, p.value);
      this.model.formulas.set(row - 1, j, p.formula);
      if (p.numberFormat && this.model.numberFormats.get(row - 1, j) === undefined) this.model.numberFormats.set(row - 1, j, p.numberFormat);
    });
    return this;
  }

  insertRowsAfter(afterPosition: number, howMany: number): this {
    this.g('insertRowsAfter');
    this.checkPosition(afterPosition, this.model.maxRows, 'row');
    for (const l of this.model.layers()) l.insertRows(afterPosition, howMany);
    this.model.maxRows += howMany;
    return this;
  }
  insertRowsBefore(beforePosition: number, howMany: number): this {
    this.g('insertRowsBefore');
    this.checkPosition(beforePosition, this.model.maxRows, 'row');
    for (const l of this.model.layers()) l.insertRows(beforePosition - 1, howMany);
    this.model.maxRows += howMany;
    return this;
  }
  insertRows(rowIndex: number, numRows = 1): this {
    return this.insertRowsBefore(rowIndex, numRows);
  }
  insertColumnsAfter(afterPosition: number, howMany: number): this {
    this.g('insertColumnsAfter');
    this.checkPosition(afterPosition, this.model.maxColumns, 'column');
    for (const l of this.model.layers()) l.insertColumns(afterPosition, howMany);
    this.model.maxColumns += howMany;
    return this;
  }
  insertColumnsBefore(beforePosition: number, howMany: number): this {
    this.g('insertColumnsBefore');
    this.checkPosition(beforePosition, this.model.maxColumns, 'column');
    for (const l of this.model.layers()) l.insertColumns(beforePosition - 1, howMany);
    this.model.maxColumns += howMany;
    return this;
  }
  deleteRows(rowPosition: number, howMany = 1): this {
    this.g('deleteRows');
    if (howMany >= this.model.maxRows) throw exception('Sorry, it is not possible to delete all non-frozen rows.'); // RPT-ish, INF
    this.guardWholeSheet();
    for (const l of this.model.layers()) l.deleteRows(rowPosition - 1, howMany);
    this.model.maxRows -= howMany;
    return this;
  }
  deleteRow(rowPosition: number): this {
    return this.deleteRows(rowPosition, 1);
  }
  private checkPosition(p: number, max: number, what: 'row' | 'column'): void {
    if (typeof p !== 'number' || p < 0 || p > max) throw exception(`Those ${what}s are out of bounds.`); // INF text
  }

  /** S2.7: clear() = values + formats (notes and validation stay); options as Range.clear. */
  clear(options?: { contentsOnly?: boolean; formatOnly?: boolean }): this {
    this.g('clear');
    this.guardWholeSheet();
    if (!options || options.contentsOnly || !options.formatOnly) { this.model.values.clearAll(); this.model.formulas.clearAll(); }
    if (!options || options.formatOnly || !options.contentsOnly) for (const l of this.model.formatLayers()) l.clearAll();
    return this;
  }
  clearContents(): this { this.g('clearContents'); this.guardWholeSheet(); this.model.values.clearAll(); this.model.formulas.clearAll(); return this; }
  clearFormats(): this { this.g('clearFormats'); this.guardWholeSheet(); for (const l of this.model.formatLayers()) l.clearAll(); return this; }
  clearNotes(): this { this.g('clearNotes'); this.guardWholeSheet(); this.model.notes.clearAll(); return this; }

  /** S2.8: returns the existing sheet protection when there is one. */
  protect(): Protection {
    this.g('protect');
    let model = this.model.protections.find((p) => p.type === 'SHEET');
    if (!model) {
      model = { type: 'SHEET', sheet: this.model, box: null, description: '', warningOnly: false, editors: null, domainEdit: true, unprotected: [], removed: false };
      this.model.protections.push(model);
    }
    return this.host.protectionFacade(model);
  }
  getProtections(type: ProtectionTypeName): Protection[] {
    this.g('getProtections');
    return this.model.protections.filter((p: ProtectionModel) => p.type === String(type)).map((p) => this.host.protectionFacade(p));
  }
  toString(): string {
    return 'Sheet';
  }
}
