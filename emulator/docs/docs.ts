/**
 * DocumentApp (D2.x) over in-memory documents: a body of paragraphs and tables; replaceText per
 * text block with Java replacement semantics; saveAndClose closes the handle; getAs('application/pdf')
 * exports the last *saved* content (RPT: a PDF exported right after edits without saveAndClose can be
 * stale — the emulator is strict about it). Documents are saved at the end of every execution.
 */
import { Blob, pdfBytes, renameExtension } from '../utilities/blob';
import { exception, signatureError } from '../runtime/errors';
import { compileSearchPattern, replaceInBlock } from './javaReplacement';
import { DailyQuota } from '../runtime/quota';
import { User } from '../script/user';
import type { Runtime } from '../runtime/runtime';

export interface ParagraphModel {
  kind: 'PARAGRAPH';
  text: string;
  heading: string;
  alignment: string | null;
  pageBreak: boolean;
  parent: BodyModel | null;
}
export interface TableModel {
  kind: 'TABLE';
  cells: string[][];
  parent: BodyModel | null;
}
type ChildModel = ParagraphModel | TableModel;
export interface BodyModel {
  children: ChildModel[];
}

export interface DocModel {
  id: string;
  name: string;
  body: BodyModel;
  savedText: string;
  trashed: boolean;
  /**
   * Who made it (its owner) and whom it is shared with. "Documents made with DocumentApp.create are
   * private to their creator" (issue 13); Document.getEditors/getViewers/addEditor/addViewer report
   * and change the lists (https://developers.google.com/apps-script/reference/document/document).
   * Opening is not refused here (access errors are modelled with Drive sharing elsewhere).
   */
  owner?: string;
  editors?: string[];
  viewers?: string[];
}

export interface FakeDocumentInfo {
  id: string;
  name: string;
  url: string;
  paragraphs: string[];
  trashed: boolean;
}

export const DOCS_CREATED_PER_DAY = { consumer: 250, workspace: 1500 };
export const CLOSED_MESSAGE = 'Document is closed, its contents cannot be updated.'; // INF text (D2.2)

const ParagraphHeading = { NORMAL: 'NORMAL', HEADING1: 'HEADING1', HEADING2: 'HEADING2', HEADING3: 'HEADING3', HEADING4: 'HEADING4', HEADING5: 'HEADING5', HEADING6: 'HEADING6', TITLE: 'TITLE', SUBTITLE: 'SUBTITLE' };
const ElementType = { PARAGRAPH: 'PARAGRAPH', TABLE: 'TABLE', BODY_SECTION: 'BODY_SECTION', PAGE_BREAK: 'PAGE_BREAK', TABLE_CELL: 'TABLE_CELL', TABLE_ROW: 'TABLE_ROW', TEXT: 'TEXT' };
const HorizontalAlignment = { LEFT: 'LEFT', CENTER: 'CENTER', RIGHT: 'RIGHT', JUSTIFY: 'JUSTIFY' };

function childText(c: ChildModel): string {
  return c.kind === 'PARAGRAPH' ? c.text : c.cells.map((row) => row.join('\t')).join('\n');
}
export function bodyText(b: BodyModel): string {
  return b.children.map(childText).join('\n');
}
function copyChild(c: ChildModel): ChildModel {
  return c.kind === 'PARAGRAPH' ? { ...c, parent: null } : { kind: 'TABLE', cells: c.cells.map((r) => [...r]), parent: null };
}
function newParagraph(text: string): ParagraphModel {
  return { kind: 'PARAGRAPH', text, heading: 'NORMAL', alignment: null, pageBreak: false, parent: null };
}

/** An open handle: everything reached through it fails once the document is closed. */
interface Handle {
  closed: boolean;
  runtime: Runtime;
}

function guard(h: Handle, key: string): void {
  h.runtime.gate(`DocumentApp.${key}`);
  if (h.closed) throw exception(CLOSED_MESSAGE);
}

export class Paragraph {
  constructor(private readonly h: Handle, readonly model: ParagraphModel) {}
  getText(): string { guard(this.h, 'Paragraph.getText'); return this.model.text; }
  setText(t: string): this { guard(this.h, 'Paragraph.setText'); this.model.text = String(t); return this; }
  appendText(t: string): this { guard(this.h, 'Paragraph.appendText'); this.model.text += String(t); return this; }
  getType(): string { guard(this.h, 'Paragraph.getType'); return 'PARAGRAPH'; }
  getHeading(): string { guard(this.h, 'Paragraph.getHeading'); return this.model.heading; }
  setHeading(h: string): this { guard(this.h, 'Paragraph.setHeading'); this.model.heading = String(h); return this; }
  getAlignment(): string | null { guard(this.h, 'Paragraph.getAlignment'); return this.model.alignment; }
  setAlignment(a: string): this { guard(this.h, 'Paragraph.setAlignment'); this.model.alignment = String(a); return this; }
  appendPageBreak(): this { guard(this.h, 'Paragraph.appendPageBreak'); this.model.pageBreak = true; return this; }
  copy(): Paragraph { guard(this.h, 'Paragraph.copy'); return new Paragraph(this.h, copyChild(this.model) as ParagraphModel); }
  asParagraph(): Paragraph { guard(this.h, 'Paragraph.asParagraph'); return this; }
  isAttached(): boolean { return this.model.parent !== null; }
  removeFromParent(): this {
    guard(this.h, 'Paragraph.removeFromParent');
    const p = this.model.parent;
    if (p) p.children.splice(p.children.indexOf(this.model), 1);
    this.model.parent = null;
    return this;
  }
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, 'Paragraph.replaceText');
    const re = compileSearchPattern(String(searchPattern));
    this.model.text = replaceInBlock(this.model.text, re, String(replacement));
    return this;
  }
}

export class Table {
  constructor(private readonly h: Handle, readonly model: TableModel) {}
  getType(): string { guard(this.h, 'Table.getType'); return 'TABLE'; }
  getNumRows(): number { guard(this.h, 'Table.getNumRows'); return this.model.cells.length; }
  getText(): string { guard(this.h, 'Table.getText'); return childText(this.model); }
  getCell(row: number, cell: number): { getText(): string; setText(t: string): unknown } {
    guard(this.h, 'Table.getCell');
    const cells = this.model.cells;
    if (!cells[row] || cells[row][cell] === undefined) throw exception('Child index (' + cell + ') must be less than the number of child elements.'); // INF
    return { getText: () => cells[row][cell], setText: (t: string) => { cells[row][cell] = String(t); } };
  }
  copy(): Table { guard(this.h, 'Table.copy'); return new Table(this.h, copyChild(this.model) as TableModel); }
  asTable(): Table { guard(this.h, 'Table.asTable'); return this; }
  isAttached(): boolean { return this.model.parent !== null; }
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, 'Table.replaceText');
    const re = compileSearchPattern(String(searchPattern));
    this.model.cells = this.model.cells.map((row) => row.map((t) => replaceInBlock(t, re, String(replacement))));
    return this;
  }
}

type Element = Paragraph | Table;

export class Body {
  constructor(private readonly h: Handle, readonly model: BodyModel) {}
  private wrap(c: ChildModel): Element {
    return c.kind === 'PARAGRAPH' ? new Paragraph(this.h, c) : new Table(this.h, c);
  }
  private attach(c: ChildModel, index?: number): void {
    if (c.parent !== null) throw exception('Element must be detached.'); // INF text
    c.parent = this.model;
    if (index === undefined) this.model.children.push(c);
    else this.model.children.splice(index, 0, c);
  }
  getType(): string { guard(this.h, 'Body.getType'); return 'BODY_SECTION'; }
  getText(): string { guard(this.h, 'Body.getText'); return bodyText(this.model); }
  setText(text: string): this {
    guard(this.h, 'Body.setText');
    this.model.children = String(text).split('\n').map((line) => ({ ...newParagraph(line), parent: this.model }));
    return this;
  }
  getNumChildren(): number { guard(this.h, 'Body.getNumChildren'); return this.model.children.length; }
  getChild(index: number): Element {
    guard(this.h, 'Body.getChild');
    const c = this.model.children[index];
    if (!c) throw exception(`Child index (${index}) must be less than the number of child elements (${this.model.children.length}).`); // INF
    return this.wrap(c);
  }
  getChildIndex(child: Element): number { guard(this.h, 'Body.getChildIndex'); return this.model.children.indexOf(child.model); }
  getParagraphs(): Paragraph[] {
    guard(this.h, 'Body.getParagraphs');
    return this.model.children.filter((c): c is ParagraphModel => c.kind === 'PARAGRAPH').map((c) => new Paragraph(this.h, c));
  }
  getTables(): Table[] {
    guard(this.h, 'Body.getTables');
    return this.model.children.filter((c): c is TableModel => c.kind === 'TABLE').map((c) => new Table(this.h, c));
  }
  appendParagraph(p: string | Paragraph): Paragraph {
    guard(this.h, 'Body.appendParagraph');
    const model = p instanceof Paragraph ? p.model : typeof p === 'string' ? newParagraph(p) : null;
    if (!model) throw signatureError([p], 'DocumentApp.Body.appendParagraph');
    this.attach(model);
    return new Paragraph(this.h, model);
  }
  insertParagraph(index: number, p: string | Paragraph): Paragraph {
    guard(this.h, 'Body.insertParagraph');
    const model = p instanceof Paragraph ? p.model : newParagraph(String(p));
    this.attach(model, index);
    return new Paragraph(this.h, model);
  }
  appendPageBreak(): { getType(): string } {
    guard(this.h, 'Body.appendPageBreak');
    // a page break lives in a paragraph of its own (the Body's child count grows by one)
    this.attach({ ...newParagraph(''), pageBreak: true });
    return { getType: () => 'PAGE_BREAK' };
  }
  appendTable(cells?: string[][] | Table): Table {
    guard(this.h, 'Body.appendTable');
    const model: TableModel = cells instanceof Table ? cells.model : { kind: 'TABLE', cells: (cells ?? []).map((r) => r.map(String)), parent: null };
    this.attach(model);
    return new Table(this.h, model);
  }
  removeChild(child: Element): this {
    guard(this.h, 'Body.removeChild');
    const i = this.model.children.indexOf(child.model);
    if (i >= 0) this.model.children.splice(i, 1);
    child.model.parent = null;
    return this;
  }
  clear(): this { guard(this.h, 'Body.clear'); for (const c of this.model.children) c.parent = null; this.model.children = []; return this; }
  /** A detached copy of the body; its children can be copied into another document. */
  copy(): Body {
    guard(this.h, 'Body.copy');
    const model: BodyModel = { children: [] };
    model.children = this.model.children.map((c) => ({ ...copyChild(c), parent: model }));
    return new Body(this.h, model);
  }
  /** D2.3/D2.4: per text block (paragraph, table cell); a match never spans blocks. */
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, 'Body.replaceText');
    const re = compileSearchPattern(String(searchPattern));
    const rep = String(replacement);
    for (const c of this.model.children) {
      if (c.kind === 'PARAGRAPH') c.text = replaceInBlock(c.text, re, rep);
      else c.cells = c.cells.map((row) => row.map((t) => replaceInBlock(t, re, rep)));
    }
    return this;
  }
}

export class Document {
  private readonly h: Handle;
  constructor(runtime: Runtime, private readonly model: DocModel, private readonly store: DocStore) {
    this.h = { closed: false, runtime };
  }
  // INF: the closed-document error speaks of *contents*; id, name and URL stay readable after close
  getId(): string { this.h.runtime.gate('DocumentApp.Document.getId'); return this.model.id; }
  getName(): string { this.h.runtime.gate('DocumentApp.Document.getName'); return this.model.name; }
  setName(n: string): this { guard(this.h, 'Document.setName'); this.model.name = String(n); return this; }
  getUrl(): string { this.h.runtime.gate('DocumentApp.Document.getUrl'); return docUrl(this.model.id); }
  getBody(): Body { guard(this.h, 'Document.getBody'); return new Body(this.h, this.model.body); }
  saveAndClose(): void {
    guard(this.h, 'Document.saveAndClose');
    this.store.save(this.model);
    this.h.closed = true;
  }
  getAs(contentType: string): Blob {
    guard(this.h, 'Document.getAs');
    return this.store.export(this.model, contentType);
  }
  getBlob(): Blob { guard(this.h, 'Document.getBlob'); return this.store.export(this.model, 'application/pdf'); }
  /** The owner and the editors ("Gets the list of editors for this Document"). */
  getEditors(): User[] {
    this.h.runtime.gate('DocumentApp.Document.getEditors');
    const list = [...(this.model.owner ? [this.model.owner] : []), ...(this.model.editors ?? []).filter((e) => e !== this.model.owner)];
    return list.map((e) => new User(this.h.runtime, e, 'DocumentApp'));
  }
  /** "Gets the list of viewers and commenters for this Document." */
  getViewers(): User[] {
    this.h.runtime.gate('DocumentApp.Document.getViewers');
    return (this.model.viewers ?? []).map((e) => new User(this.h.runtime, e, 'DocumentApp'));
  }
  getOwner(): User | null {
    this.h.runtime.gate('DocumentApp.Document.getOwner');
    return this.model.owner ? new User(this.h.runtime, this.model.owner, 'DocumentApp') : null;
  }
  addEditor(email: string | User): this {
    this.h.runtime.gate('DocumentApp.Document.addEditor');
    const e = String(email);
    this.model.editors = [...new Set([...(this.model.editors ?? []), e])];
    this.model.viewers = (this.model.viewers ?? []).filter((v) => v !== e);
    return this;
  }
  addViewer(email: string | User): this {
    this.h.runtime.gate('DocumentApp.Document.addViewer');
    const e = String(email);
    if (!(this.model.editors ?? []).includes(e) && e !== this.model.owner) this.model.viewers = [...new Set([...(this.model.viewers ?? []), e])];
    return this;
  }
}

export function docUrl(id: string): string {
  return `https://docs.google.com/document/d/${id}/edit`;
}

export class DocStore {
  private docs = new Map<string, DocModel>();
  private seq = 0;
  private readonly created: DailyQuota;
  constructor(private readonly runtime: Runtime) {
    this.created = new DailyQuota(DOCS_CREATED_PER_DAY[runtime.config.account], () => runtime.clock.nowMs());
  }

  newId(kind: string): string {
    this.seq += 1;
    return `1Emu${kind}${String(this.seq).padStart(40 - kind.length, '0')}`;
  }
  get(id: string): DocModel | undefined {
    return this.docs.get(id);
  }
  all(): DocModel[] {
    return [...this.docs.values()];
  }
  info(d: DocModel): FakeDocumentInfo {
    return { id: d.id, name: d.name, url: docUrl(d.id), paragraphs: d.body.children.map(childText), trashed: d.trashed };
  }
  /** Test setup: a saved document with these paragraphs. */
  add(name: string, paragraphs: string[]): string {
    const body: BodyModel = { children: [] };
    body.children = paragraphs.map((t) => ({ ...newParagraph(t), parent: body }));
    const doc: DocModel = { id: this.newId('Doc'), name, body, savedText: '', trashed: false, owner: this.runtime.owner, editors: [], viewers: [] };
    doc.savedText = bodyText(body);
    this.docs.set(doc.id, doc);
    return doc.id;
  }
  save(d: DocModel): void {
    d.savedText = bodyText(d.body);
  }
  /** Documents open in an execution are saved when it ends (D2.2 "Scripts auto-save"). */
  private touch(d: DocModel): void {
    const exec = this.runtime.current;
    if (exec) exec.onEnd.push(() => this.save(d));
    else this.save(d);
  }
  export(d: DocModel, contentType: string): Blob {
    if (contentType !== 'application/pdf') throw exception(`Converting from application/vnd.google-apps.document to ${contentType} is not supported.`); // INF text
    return new Blob(this.runtime, pdfBytes(d.savedText), 'application/pdf', renameExtension(d.name, 'pdf'), d.savedText);
  }

  service() {
    const runtime = this.runtime;
    const g = (m: string) => runtime.gate(`DocumentApp.${m}`);
    const user = () => runtime.current?.effectiveUser || runtime.current?.user || runtime.owner;
    return {
      ParagraphHeading,
      ElementType,
      HorizontalAlignment,
      create: (name: string): Document => {
        g('create');
        if (typeof name !== 'string') throw signatureError([name], 'DocumentApp.create');
        if (!this.created.take(user(), 1)) throw exception('Service invoked too many times for one day: docs create.');
        const body: BodyModel = { children: [] };
        body.children = [{ ...newParagraph(''), parent: body }]; // a new document has one empty paragraph
        const doc: DocModel = { id: this.newId('Doc'), name, body, savedText: '', trashed: false, owner: user(), editors: [], viewers: [] };
        this.docs.set(doc.id, doc);
        this.touch(doc);
        return new Document(runtime, doc, this);
      },
      openById: (id: string): Document => {
        g('openById');
        const doc = this.docs.get(String(id));
        if (!doc) throw exception(`Document ${id} is missing (perhaps it was deleted?)`); // D2.1 (INF: same family as S1.2)
        this.touch(doc);
        return new Document(runtime, doc, this);
      },
      openByUrl: (url: string): Document => {
        g('openByUrl');
        const m = /\/d\/([^/]+)/.exec(String(url));
        const doc = m ? this.docs.get(m[1]) : undefined;
        if (!doc) throw exception(`Document ${url} is missing (perhaps it was deleted?)`);
        this.touch(doc);
        return new Document(runtime, doc, this);
      },
      /** The container is a spreadsheet, so there is no active document. */
      getActiveDocument: (): null => { g('getActiveDocument'); return null; },
    };
  }
}
