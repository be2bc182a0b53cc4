/** SpreadsheetApp.Spreadsheet: the container file, its sheets, selection and editors (S1.x, S2.x). */
import { A1Box, parseA1, splitSheetPrefix } from './a1';
import { exception, signatureError } from '../runtime/errors';
import { SheetModel } from './grid';
import { EditorDirectory, Protection, ProtectionModel, ProtectionTypeName } from './protection';
import { checkBox, Range } from './range';
import type { Runtime } from '../runtime/runtime';
import { Sheet, SheetHost } from './sheet';
import { User } from '../script/user';

export interface Toast {
  msg: string;
  title?: string;
  timeoutSeconds?: number | null;
}

export class SpreadsheetModel {
  sheets: SheetModel[] = [];
  activeSheet: SheetModel | null = null;
  selection: { sheet: SheetModel; box: A1Box } | null = null;
  /** Named ranges (Spreadsheet.setNamedRange): name (case-insensitive) → where. Formulas may use them. */
  namedRanges = new Map<string, { name: string; sheet: SheetModel; box: A1Box }>();
  private nextSheetId = 0;

  constructor(
    readonly id: string,
    public name: string,
    public timeZone: string,
    readonly owner: string,
    public editors: string[],
  ) {}

  newSheet(name: string): SheetModel {
    const sheet = new SheetModel(this.nextSheetId, name);
    this.nextSheetId += this.nextSheetId === 0 ? 1_000_001 : 7919; // sheet ids look like gids; the first is 0
    return sheet;
  }
  findSheet(name: string): SheetModel | undefined {
    return this.sheets.find((s) => s.name === name) ?? this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }
}

export class Spreadsheet implements SheetHost {
  readonly directory: EditorDirectory;
  private facades = new WeakMap<SheetModel, Sheet>();

  constructor(
    readonly runtime: Runtime,
    readonly model: SpreadsheetModel,
    private readonly toasts: Toast[],
  ) {
    this.directory = { owner: model.owner, editors: () => [model.owner, ...model.editors.filter((e) => e !== model.owner)] };
  }

  private g(method: string): void {
    this.runtime.gate(`SpreadsheetApp.Spreadsheet.${method}`);
  }

  // ---- SheetHost ----
  timeZone(): string {
    return this.model.timeZone;
  }
  sheetFacade(model: SheetModel): Sheet {
    let f = this.facades.get(model);
    if (!f) {
      f = new Sheet(this, model);
      this.facades.set(model, f);
    }
    return f;
  }
  select(sheet: SheetModel, box: A1Box): void {
    this.model.activeSheet = sheet;
    this.model.selection = { sheet, box };
  }
  activateSheet(sheet: SheetModel): void {
    this.model.activeSheet = sheet;
    this.model.selection = { sheet, box: { row: 1, column: 1, numRows: 1, numColumns: 1 } };
  }
  renameSheet(model: SheetModel, name: string): void {
    const clash = this.model.sheets.find((s) => s !== model && s.name.toLowerCase() === name.toLowerCase());
    if (clash) throw exception(`A sheet with the name "${name}" already exists. Please enter another name.`);
    model.name = name;
  }
  spreadsheetFacade(): Spreadsheet {
    return this;
  }
  protectionFacade(p: ProtectionModel): Protection {
    return new Protection(this.runtime, p, this.directory, (pm) => {
      const box = pm.box ?? { row: 1, column: 1, numRows: pm.sheet.maxRows, numColumns: pm.sheet.maxColumns };
      return new Range(this, pm.sheet, box.row, box.column, box.numRows, box.numColumns);
    });
  }

  // ---- Spreadsheet ----
  getId(): string { this.g('getId'); return this.model.id; }
  getName(): string { this.g('getName'); return this.model.name; }
  rename(name: string): void { this.g('rename'); this.model.name = String(name); }
  getUrl(): string { this.g('getUrl'); return `https://docs.google.com/spreadsheets/d/${this.model.id}/edit`; }
  getSpreadsheetTimeZone(): string { this.g('getSpreadsheetTimeZone'); return this.model.timeZone; }
  setSpreadsheetTimeZone(tz: string): void { this.g('setSpreadsheetTimeZone'); this.model.timeZone = String(tz); }
  getSpreadsheetLocale(): string { this.g('getSpreadsheetLocale'); return 'en_US'; }
  getSheets(): Sheet[] { this.g('getSheets'); return this.model.sheets.map((s) => this.sheetFacade(s)); }
  getNumSheets(): number { this.g('getNumSheets'); return this.model.sheets.length; }
  /** S2.1: null when absent; exact match first, then case-insensitive (INF). */
  getSheetByName(name: string): Sheet | null {
    this.g('getSheetByName');
    const s = this.model.findSheet(String(name));
    return s ? this.sheetFacade(s) : null;
  }
  getSheetById(id: number): Sheet | null {
    this.g('getSheetById');
    const s = this.model.sheets.find((x) => x.sheetId === id);
    return s ? this.sheetFacade(s) : null;
  }

  /** S2.2 overloads; S2.3 duplicate name; the new sheet becomes active (S1.4). */
  insertSheet(a?: string | number | object, b?: number | object, _c?: object): Sheet {
    this.g('insertSheet');
    let name: string | undefined;
    let index: number | undefined;
    if (typeof a === 'string') { name = a; if (typeof b === 'number') index = b; }
    else if (typeof a === 'number') index = a;
    else if (a !== undefined && (a === null || typeof a !== 'object')) throw signatureError([a], 'SpreadsheetApp.Spreadsheet.insertSheet');
    if (name === undefined) {
      let n = this.model.sheets.length + 1;
      while (this.model.findSheet(`Sheet${n}`)) n++;
      name = `Sheet${n}`;
    }
    if (this.model.sheets.some((s) => s.name.toLowerCase() === name!.toLowerCase())) {
      throw exception(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    const sheet = this.model.newSheet(name);
    if (index === undefined || index >= this.model.sheets.length) this.model.sheets.push(sheet);
    else this.model.sheets.splice(Math.max(0, index), 0, sheet);
    this.activateSheet(sheet);
    return this.sheetFacade(sheet);
  }

  deleteSheet(sheet: Sheet): void {
    this.g('deleteSheet');
    if (!(sheet instanceof Sheet)) throw signatureError([sheet], 'SpreadsheetApp.Spreadsheet.deleteSheet');
    if (this.model.sheets.length === 1) throw exception("You can't remove all the sheets in a document."); // INF text
    this.model.sheets = this.model.sheets.filter((s) => s !== sheet.model);
    sheet.model.deleted = true;
    if (this.model.activeSheet === sheet.model) this.activateSheet(this.model.sheets[0]);
  }

  /** S3.1: 'Sheet!A1:B2', or the active sheet without a prefix; 'Range not found' otherwise. */
  getRange(a1: string): Range {
    this.g('getRange');
    if (typeof a1 !== 'string') throw signatureError([a1], 'SpreadsheetApp.Spreadsheet.getRange');
    const { sheetName, ref } = splitSheetPrefix(a1);
    const sheet = sheetName === null ? this.activeSheetModel() : this.model.findSheet(sheetName);
    if (!sheet) throw exception('Range not found');
    const box = parseA1(ref, sheet.maxRows, sheet.maxColumns);
    if (!box) throw exception('Range not found');
    checkBox(sheet, box.row, box.column, box.numRows, box.numColumns);
    return new Range(this, sheet, box.row, box.column, box.numRows, box.numColumns);
  }

  private activeSheetModel(): SheetModel {
    if (!this.model.activeSheet || this.model.activeSheet.deleted) this.model.activeSheet = this.model.sheets[0];
    return this.model.activeSheet;
  }
  getActiveSheet(): Sheet { this.g('getActiveSheet'); return this.sheetFacade(this.activeSheetModel()); }
  setActiveSheet(sheet: Sheet): Sheet { this.g('setActiveSheet'); this.activateSheet(sheet.model); return sheet; }
  getActiveRange(): Range | null {
    this.g('getActiveRange');
    const sel = this.model.selection;
    const sheet = sel?.sheet ?? this.activeSheetModel();
    const box = sel?.box ?? { row: 1, column: 1, numRows: 1, numColumns: 1 };
    return new Range(this, sheet, box.row, box.column, box.numRows, box.numColumns);
  }
  getCurrentCell(): Range | null {
    this.g('getCurrentCell');
    const sel = this.model.selection;
    const sheet = sel?.sheet ?? this.activeSheetModel();
    return new Range(this, sheet, sel?.box.row ?? 1, sel?.box.column ?? 1, 1, 1);
  }
  getActiveCell(): Range {
    this.g('getActiveCell');
    const sel = this.model.selection;
    return new Range(this, sel?.sheet ?? this.activeSheetModel(), sel?.box.row ?? 1, sel?.box.column ?? 1, 1, 1);
  }

  /**
   * Named ranges. "Names can contain only letters, numbers, and underscores … can't start with a
   * number, or the words "true" or "false" … can't contain any spaces or punctuation … must be 1–250
   * characters … can't be in either A1 or R1C1 syntax" (Sheets help, "Name a range",
   * https://support.google.com/docs/answer/63175). Setting an existing name moves it (INF).
   */
  setNamedRange(name: string, range: Range): void {
    this.g('setNamedRange');
    if (typeof name !== 'string' || !(range instanceof Range)) throw signatureError([name, range], 'SpreadsheetApp.Spreadsheet.setNamedRange');
    const valid = /^[A-Za-z_][A-Za-z0-9_]{0,249}$/.test(name) && !/^(true|false)$/i.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) && !/^R\d*C\d*$/i.test(name);
    if (!valid) throw exception(`Invalid name: ${name}`); // INF text
    this.model.namedRanges.set(name.toLowerCase(), { name, sheet: range.sheetModel, box: range.box() });
  }
  getRangeByName(name: string): Range | null {
    this.g('getRangeByName');
    const n = this.model.namedRanges.get(String(name).toLowerCase());
    if (!n || n.sheet.deleted) return null;
    return new Range(this, n.sheet, n.box.row, n.box.column, n.box.numRows, n.box.numColumns);
  }
  removeNamedRange(name: string): void {
    this.g('removeNamedRange');
    this.model.namedRanges.delete(String(name).toLowerCase());
  }

  /** S2.12: recorded; silently nothing outside UI contexts (INF). */
  toast(msg: string, title?: string, timeoutSeconds?: number | null): void {
    this.g('toast');
    const kind = this.runtime.current?.kind;
    if (kind === 'trigger' || kind === 'customFunction') return;
    this.toasts.push({ msg: String(msg), ...(title !== undefined ? { title: String(title) } : {}), ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) });
  }

  getOwner(): User | null { this.g('getOwner'); return new User(this.runtime, this.model.owner); }
  getEditors(): User[] { this.g('getEditors'); return this.directory.editors().map((e) => new User(this.runtime, e)); }
  addEditor(email: string | User): this {
    this.g('addEditor');
    const e = String(email);
    if (!this.model.editors.includes(e)) this.model.editors.push(e);
    return this;
  }
  getProtections(type: ProtectionTypeName): Protection[] {
    this.g('getProtections');
    return this.model.sheets.flatMap((s) => s.protections.filter((p) => p.type === String(type))).map((p) => this.protectionFacade(p));
  }
  toString(): string {
    return 'Spreadsheet';
  }
}
