/**
 * Sheet and range protections (S2.8, S2.9). Until its editors are changed a protection mirrors the
 * spreadsheet's editors ("effectively unprotected"); the owner can always edit. Script writes by a
 * user who may not edit a protected cell fail with the S2.8 text; warning-only protections never block.
 */
import { A1Box } from './a1';
import { exception } from '../runtime/errors';
import type { SheetModel } from './grid';
import type { Runtime } from '../runtime/runtime';
import { User } from '../script/user';

export type ProtectionTypeName = 'RANGE' | 'SHEET';

export interface ProtectionModel {
  type: ProtectionTypeName;
  sheet: SheetModel;
  box: A1Box | null; // null = whole sheet
  description: string;
  warningOnly: boolean;
  editors: string[] | null; // null = mirrors the spreadsheet's editors
  domainEdit: boolean;
  unprotected: A1Box[];
  removed: boolean;
}

export const PROTECTED_CELL_MESSAGE = 'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

export interface EditorDirectory {
  owner: string;
  editors(): string[];
}

export class Protection {
  constructor(
    private readonly runtime: Runtime,
    readonly model: ProtectionModel,
    private readonly directory: EditorDirectory,
    private readonly rangeOf: (p: ProtectionModel) => unknown,
  ) {}
  private g(method: string): void {
    this.runtime.gate(`SpreadsheetApp.Protection.${method}`);
  }
  private explicitEditors(): string[] {
    if (this.model.editors === null) this.model.editors = [...this.directory.editors()];
    return this.model.editors;
  }
  setDescription(d: string): this { this.g('setDescription'); this.model.description = String(d); return this; }
  getDescription(): string { this.g('getDescription'); return this.model.description; }
  setWarningOnly(w: boolean): this { this.g('setWarningOnly'); this.model.warningOnly = Boolean(w); return this; }
  isWarningOnly(): boolean { this.g('isWarningOnly'); return this.model.warningOnly; }
  setDomainEdit(b: boolean): this { this.g('setDomainEdit'); this.model.domainEdit = Boolean(b); return this; }
  canDomainEdit(): boolean { this.g('canDomainEdit'); return this.model.domainEdit; }
  getProtectionType(): ProtectionTypeName { this.g('getProtectionType'); return this.model.type; }
  getRange(): unknown { this.g('getRange'); return this.rangeOf(this.model); }
  getEditors(): User[] {
    this.g('getEditors');
    return (this.model.editors ?? this.directory.editors()).map((e) => new User(this.runtime, e));
  }
  addEditor(who: string | User): this {
    this.g('addEditor');
    const email = emailOf(who);
    const list = this.explicitEditors();
    if (!list.includes(email)) list.push(email);
    return this;
  }
  addEditors(emails: string[]): this {
    this.g('addEditors');
    const list = this.explicitEditors();
    for (const e of emails) if (!list.includes(e)) list.push(e);
    return this;
  }
  removeEditor(who: string | User): this {
    this.g('removeEditor');
    const email = emailOf(who);
    // the owner cannot be removed (INF)
    this.model.editors = this.explicitEditors().filter((e) => e !== email || e === this.directory.owner);
    return this;
  }
  removeEditors(who: Array<string | User>): this {
    this.g('removeEditors');
    const drop = new Set(who.map(emailOf));
    this.model.editors = this.explicitEditors().filter((e) => !drop.has(e) || e === this.directory.owner);
    return this;
  }
  canEdit(): boolean {
    this.g('canEdit');
    const user = this.runtime.current?.effectiveUser ?? this.directory.owner;
    return mayEdit(this.model, user, this.directory);
  }
  setUnprotectedRanges(ranges: Array<{ box(): A1Box }>): this {
    this.g('setUnprotectedRanges');
    this.model.unprotected = ranges.map((r) => r.box());
    return this;
  }
  getUnprotectedRanges(): unknown[] {
    this.g('getUnprotectedRanges');
    return this.model.unprotected.map((box) => this.rangeOf({ ...this.model, box }));
  }
  remove(): void {
    this.g('remove');
    this.model.removed = true;
    const list = this.model.sheet.protections;
    const i = list.indexOf(this.model);
    if (i >= 0) list.splice(i, 1);
  }
}

function emailOf(who: string | User): string {
  return typeof who === 'string' ? who : who.toString();
}

function mayEdit(p: ProtectionModel, user: string, dir: EditorDirectory): boolean {
  if (user === dir.owner) return true;
  return (p.editors ?? dir.editors()).includes(user);
}

function overlaps(a: A1Box, b: A1Box): boolean {
  return a.row < b.row + b.numRows && b.row < a.row + a.numRows && a.column < b.column + b.numColumns && b.column < a.column + a.numColumns;
}

function contains(outer: A1Box, inner: A1Box): boolean {
  return inner.row >= outer.row && inner.column >= outer.column && inner.row + inner.numRows <= outer.row + outer.numRows && inner.column + inner.numColumns <= outer.column + outer.numColumns;
}

/** Throws the S2.8 text when `user` may not write `box` of the sheet. */
export function assertMayEdit(sheet: SheetModel, box: A1Box, user: string, dir: EditorDirectory): void {
  for (const p of sheet.protections) {
    if (p.warningOnly || mayEdit(p, user, dir)) continue;
    if (p.box === null) {
      if (p.unprotected.some((u) => contains(u, box))) continue;
      throw exception(PROTECTED_CELL_MESSAGE);
    }
    if (overlaps(p.box, box)) throw exception(PROTECTED_CELL_MESSAGE);
  }
}
