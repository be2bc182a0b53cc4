/**
 * DocumentApp (D2.x) over in-memory documents (docsModel.ts): a body, an optional header and footer,
 * paragraphs with bold/italic runs and inline images, list items, tables, page size and margins.
 *
 * - replaceText works per text block (paragraph text, list item, table cell; D2.3/D2.4) with Java
 *   replacement semantics, and the replacement keeps the formatting of the text it replaces.
 * - saveAndClose closes the handle; getAs('application/pdf') exports the last *saved* content (RPT:
 *   a PDF exported right after edits without saveAndClose can be stale — the emulator is strict).
 *   Documents are saved at the end of every execution (D2.2 "Scripts auto-save").
 * - Owners and sharing (D2.5): a document belongs to the user whose execution made it and is shared
 *   with nobody; another user's openById throws "Document <id> is missing (perhaps it was deleted,
 *   or you don't have read access?)" — Google's one message for both causes, as public execution
 *   logs show (e.g. a time-based trigger's log quoted in several public repositories; the older form
 *   "…is missing (perhaps it was deleted?)" is github.com/max-barry/google-drive-cms/issues/11).
 *   A viewer can open and read but not change it ("Action not allowed", INF). Access is also
 *   inherited from the folders a file is in (Drive's sharing model; folders are made with the
 *   advanced Drive service, driveAdvanced.ts). Document.addEditor(s)/addViewer(s)/getEditors/
 *   getViewers/removeEditor/removeViewer are on the Document class
 *   (https://developers.google.com/apps-script/reference/document/document).
 */
import { Blob, pdfBytes, renameExtension } from '../utilities/blob';
import {
  attachTo,
  copyBlock,
  copyContent,
  copyParagraph,
  copySection,
  copyTable,
  emptyContent,
  imagesOf,
  newListItem,
  newParagraph,
  newSection,
  newTable,
  paragraphText,
  renderDocument,
  renderedText,
  replaceInText,
  sectionText,
  styleText,
  tableText,
  textBlocks,
  textModel,
  textOfText,
  cellText,
  contentFromSpec,
  type BlockModel,
  type CellModel,
  type ContainerModel,
  type DocContent,
  type Glyph,
  type ImageModel,
  type ParagraphModel,
  type RenderedDocument,
  type RichDocSpec,
  type SectionModel,
  type TableModel,
  type TextModel,
} from './docsModel';
import { exception, signatureError } from '../runtime/errors';
import { compileSearchPattern, parseJavaReplacement, type Part } from './javaReplacement';
import { DailyQuota } from '../runtime/quota';
import { User } from '../script/user';
import type { Runtime } from '../runtime/runtime';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const DOC_MIME = 'application/vnd.google-apps.document';

export interface Acl {
  owner: string;
  editors: string[];
  viewers: string[];
}

/** What Drive keeps of any file or folder: owner and sharing, parents, trash, app properties. */
interface DriveItemModel {
  id: string;
  name: string;
  acl: Acl;
  /** Folder ids (none = the owner's My Drive root). */
  parents: string[];
  /** Made by this project (DocumentApp.create, Drive copy, folder create): drive.file covers it. */
  appCreated: boolean;
  trashed: boolean;
  createdMs: number;
  /** Drive's appProperties: key-value pairs private to the app that wrote them. */
  appProperties?: Record<string, string>;
}

export interface DocModel extends DriveItemModel {
  content: DocContent;
  /** What the last save holds (exports and Drive copies read this). */
  saved: DocContent;
}

export type FolderModel = DriveItemModel;

export interface FakeDocumentInfo {
  id: string;
  name: string;
  url: string;
  /** Body text blocks (a table is one entry, cells separated by tabs and rows by new lines). */
  paragraphs: string[];
  header: string[];
  footer: string[];
  trashed: boolean;
  owner: string;
  editors: string[];
  viewers: string[];
  parents: string[];
  /** The saved document as its PDF would show it. */
  rendered: RenderedDocument;
}

export const DOCS_CREATED_PER_DAY = { consumer: 250, workspace: 1500 };
export const CLOSED_MESSAGE = 'Document is closed, its contents cannot be updated.'; // INF text (D2.2)
export const NOT_ALLOWED = 'Action not allowed'; // INF text: editing a document shared read-only
export function missingDocumentMessage(id: string): string {
  return `Document ${id} is missing (perhaps it was deleted, or you don't have read access?)`;
}

const ParagraphHeading = { NORMAL: 'NORMAL', HEADING1: 'HEADING1', HEADING2: 'HEADING2', HEADING3: 'HEADING3', HEADING4: 'HEADING4', HEADING5: 'HEADING5', HEADING6: 'HEADING6', TITLE: 'TITLE', SUBTITLE: 'SUBTITLE' };
const ElementType = {
  PARAGRAPH: 'PARAGRAPH', LIST_ITEM: 'LIST_ITEM', TABLE: 'TABLE', TABLE_ROW: 'TABLE_ROW', TABLE_CELL: 'TABLE_CELL', BODY_SECTION: 'BODY_SECTION',
  HEADER_SECTION: 'HEADER_SECTION', FOOTER_SECTION: 'FOOTER_SECTION', PAGE_BREAK: 'PAGE_BREAK', TEXT: 'TEXT', INLINE_IMAGE: 'INLINE_IMAGE',
};
const HorizontalAlignment = { LEFT: 'LEFT', CENTER: 'CENTER', RIGHT: 'RIGHT', JUSTIFY: 'JUSTIFY' };
const GlyphType = { BULLET: 'BULLET', HOLLOW_BULLET: 'HOLLOW_BULLET', SQUARE_BULLET: 'SQUARE_BULLET', NUMBER: 'NUMBER', LATIN_UPPER: 'LATIN_UPPER', LATIN_LOWER: 'LATIN_LOWER', ROMAN_UPPER: 'ROMAN_UPPER', ROMAN_LOWER: 'ROMAN_LOWER' };

/** An open handle: everything reached through it fails once the document is closed. */
interface Handle {
  closed: boolean;
  runtime: Runtime;
  /** The executing user may change the document (owner or editor). */
  canWrite: boolean;
}

function guard(h: Handle, key: string, write = false): void {
  h.runtime.gate(`DocumentApp.${key}`);
  if (h.closed) throw exception(CLOSED_MESSAGE);
  if (write && !h.canWrite) throw exception(NOT_ALLOWED);
}

/** Pattern + Java replacement for one replaceText call, applied to text blocks. */
function replacer(searchPattern: string, replacement: string): (t: TextModel) => void {
  const re = compileSearchPattern(String(searchPattern));
  const rep = String(replacement);
  let parts: Part[] | null = null;
  return (t) =>
    replaceInText(t, re, (m) => {
      parts ??= parseJavaReplacement(rep, m.length - 1);
      return parts.map((p) => ('literal' in p ? p.literal : 'group' in p ? (m[p.group] ?? '') : (m.groups?.[p.name] ?? ''))).join('');
    });
}

// ── elements ────────────────────────────────────────────────────────────────────────────────

/** A Text element: styled characters (Text.setBold(start, endInclusive, bold) …). */
export class Text {
  constructor(private readonly h: Handle, readonly model: TextModel) {}
  getType(): string { guard(this.h, 'Text.getType'); return 'TEXT'; }
  getText(): string { guard(this.h, 'Text.getText'); return textOfText(this.model); }
  setText(t: string): this { guard(this.h, 'Text.setText', true); this.model.runs = textModel(String(t)).runs; return this; }
  private style(name: 'bold' | 'italic' | 'underline', args: unknown[]): this {
    if (args.length === 1) styleText(this.model, 0, textOfText(this.model).length - 1, { [name]: Boolean(args[0]) });
    else styleText(this.model, Number(args[0]), Number(args[1]), { [name]: Boolean(args[2]) });
    return this;
  }
  private read(name: 'bold' | 'italic' | 'underline', offset?: number): boolean | null {
    const runs = this.model.runs;
    if (offset === undefined) {
      const values = new Set(runs.map((r) => r[name]));
      return values.size === 1 ? [...values][0] : values.size === 0 ? false : null; // null: mixed (as Apps Script)
    }
    let at = 0;
    for (const r of runs) {
      if (offset < at + r.text.length) return r[name];
      at += r.text.length;
    }
    return null;
  }
  setBold(...args: unknown[]): this { guard(this.h, 'Text.setBold', true); return this.style('bold', args); }
  setItalic(...args: unknown[]): this { guard(this.h, 'Text.setItalic', true); return this.style('italic', args); }
  setUnderline(...args: unknown[]): this { guard(this.h, 'Text.setUnderline', true); return this.style('underline', args); }
  isBold(offset?: number): boolean | null { guard(this.h, 'Text.isBold'); return this.read('bold', offset); }
  isItalic(offset?: number): boolean | null { guard(this.h, 'Text.isItalic'); return this.read('italic', offset); }
  isUnderline(offset?: number): boolean | null { guard(this.h, 'Text.isUnderline'); return this.read('underline', offset); }
  getTextAttributeIndices(): number[] {
    guard(this.h, 'Text.getTextAttributeIndices');
    const out: number[] = [];
    let at = 0;
    for (const r of this.model.runs) { out.push(at); at += r.text.length; }
    return out.length ? out : [0];
  }
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, 'Text.replaceText', true);
    replacer(searchPattern, replacement)(this.model);
    return this;
  }
}

export class InlineImage {
  constructor(private readonly h: Handle, readonly model: ImageModel) {}
  getType(): string { guard(this.h, 'InlineImage.getType'); return 'INLINE_IMAGE'; }
  getWidth(): number { guard(this.h, 'InlineImage.getWidth'); return this.model.width; }
  getHeight(): number { guard(this.h, 'InlineImage.getHeight'); return this.model.height; }
  setWidth(w: number): this { guard(this.h, 'InlineImage.setWidth', true); this.model.width = Number(w); return this; }
  setHeight(v: number): this { guard(this.h, 'InlineImage.setHeight', true); this.model.height = Number(v); return this; }
  getAltTitle(): string { guard(this.h, 'InlineImage.getAltTitle'); return this.model.name; }
}

export class Paragraph {
  constructor(protected readonly h: Handle, readonly model: ParagraphModel) {}
  protected k(m: string): string { return `${this.model.kind === 'LIST_ITEM' ? 'ListItem' : 'Paragraph'}.${m}`; }
  getText(): string { guard(this.h, this.k('getText')); return paragraphText(this.model); }
  setText(t: string): this {
    guard(this.h, this.k('setText'), true);
    const first = this.model.inlines.find((i): i is TextModel => i.kind === 'TEXT');
    const style = first?.runs[0] ?? { bold: false, italic: false, underline: false };
    this.model.inlines = String(t) === '' ? [] : [textModel(String(t), style)];
    return this;
  }
  appendText(t: string): Text {
    guard(this.h, this.k('appendText'), true);
    const last = this.model.inlines[this.model.inlines.length - 1];
    const text = last && last.kind === 'TEXT' ? last : textModel('');
    if (text !== last) this.model.inlines.push(text);
    const prev = text.runs[text.runs.length - 1];
    if (prev) prev.text += String(t);
    else text.runs.push({ text: String(t), bold: false, italic: false, underline: false });
    return new Text(this.h, text);
  }
  editAsText(): Text {
    guard(this.h, this.k('editAsText'));
    // One Text element over the paragraph's text (images keep their place only in a single-text paragraph: INF)
    let text = this.model.inlines.find((i): i is TextModel => i.kind === 'TEXT');
    if (!text) {
      text = textModel('');
      this.model.inlines.push(text);
    }
    return new Text(this.h, text);
  }
  getType(): string { guard(this.h, this.k('getType')); return this.model.kind; }
  getHeading(): string { guard(this.h, this.k('getHeading')); return this.model.heading; }
  setHeading(v: string): this { guard(this.h, this.k('setHeading'), true); this.model.heading = String(v); return this; }
  getAlignment(): string | null { guard(this.h, this.k('getAlignment')); return this.model.alignment; }
  setAlignment(a: string): this { guard(this.h, this.k('setAlignment'), true); this.model.alignment = String(a); return this; }
  getNumChildren(): number { guard(this.h, this.k('getNumChildren')); return this.model.inlines.length; }
  getChild(i: number): Text | InlineImage {
    guard(this.h, this.k('getChild'));
    const c = this.model.inlines[i];
    if (!c) throw exception(`Child index (${i}) must be less than the number of child elements (${this.model.inlines.length}).`); // INF
    return c.kind === 'TEXT' ? new Text(this.h, c) : new InlineImage(this.h, c);
  }
  appendInlineImage(image: unknown): InlineImage {
    guard(this.h, this.k('appendInlineImage'), true);
    const model = imageFrom(image, `${this.k('appendInlineImage')}`);
    this.model.inlines.push(model);
    return new InlineImage(this.h, model);
  }
  appendPageBreak(): this { guard(this.h, this.k('appendPageBreak'), true); this.model.pageBreak = true; return this; }
  copy(): this { guard(this.h, this.k('copy')); return new (this.constructor as new (h: Handle, m: ParagraphModel) => this)(this.h, copyParagraph(this.model)); }
  asParagraph(): Paragraph { guard(this.h, this.k('asParagraph')); return this; }
  asListItem(): ListItem {
    guard(this.h, this.k('asListItem'));
    if (this.model.kind !== 'LIST_ITEM') throw exception('Element is not a ListItem.'); // INF
    return new ListItem(this.h, this.model);
  }
  isAttached(): boolean { return this.model.parent !== null; }
  getParent(): unknown { guard(this.h, this.k('getParent')); return null; }
  removeFromParent(): this {
    guard(this.h, this.k('removeFromParent'), true);
    const p = this.model.parent;
    if (p) (p.children as BlockModel[]).splice((p.children as BlockModel[]).indexOf(this.model), 1);
    this.model.parent = null;
    return this;
  }
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, this.k('replaceText'), true);
    const apply = replacer(searchPattern, replacement);
    for (const i of this.model.inlines) if (i.kind === 'TEXT') apply(i);
    return this;
  }
}

export class ListItem extends Paragraph {
  getGlyphType(): string { guard(this.h, 'ListItem.getGlyphType'); return this.model.glyph ?? 'BULLET'; }
  setGlyphType(g: string): this { guard(this.h, 'ListItem.setGlyphType', true); this.model.glyph = String(g) as Glyph; return this; }
  getNestingLevel(): number { guard(this.h, 'ListItem.getNestingLevel'); return this.model.nesting ?? 0; }
  setNestingLevel(n: number): this { guard(this.h, 'ListItem.setNestingLevel', true); this.model.nesting = Number(n); return this; }
  getListId(): string { guard(this.h, 'ListItem.getListId'); return this.model.listId ?? ''; }
}

export class TableCell {
  constructor(private readonly h: Handle, readonly model: CellModel) {}
  getType(): string { guard(this.h, 'TableCell.getType'); return 'TABLE_CELL'; }
  getText(): string { guard(this.h, 'TableCell.getText'); return cellText(this.model); }
  setText(t: string): this {
    guard(this.h, 'TableCell.setText', true);
    const p = newParagraph(String(t));
    p.parent = this.model;
    this.model.children = [p];
    return this;
  }
  getNumChildren(): number { guard(this.h, 'TableCell.getNumChildren'); return this.model.children.length; }
  getChild(i: number): Paragraph {
    guard(this.h, 'TableCell.getChild');
    const c = this.model.children[i];
    if (!c) throw exception(`Child index (${i}) must be less than the number of child elements (${this.model.children.length}).`);
    return c.kind === 'LIST_ITEM' ? new ListItem(this.h, c) : new Paragraph(this.h, c);
  }
  appendParagraph(text: string): Paragraph {
    guard(this.h, 'TableCell.appendParagraph', true);
    const p = newParagraph(String(text));
    attachTo(this.model, p);
    return new Paragraph(this.h, p);
  }
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, 'TableCell.replaceText', true);
    textBlocks(this.model.children).forEach(replacer(searchPattern, replacement));
    return this;
  }
}

export class TableRow {
  constructor(private readonly h: Handle, readonly model: { cells: CellModel[] }) {}
  getType(): string { guard(this.h, 'TableRow.getType'); return 'TABLE_ROW'; }
  getNumCells(): number { guard(this.h, 'TableRow.getNumCells'); return this.model.cells.length; }
  getCell(i: number): TableCell {
    guard(this.h, 'TableRow.getCell');
    const c = this.model.cells[i];
    if (!c) throw exception(`Child index (${i}) must be less than the number of child elements (${this.model.cells.length}).`);
    return new TableCell(this.h, c);
  }
  getText(): string { guard(this.h, 'TableRow.getText'); return this.model.cells.map(cellText).join('\t'); }
}

export class Table {
  constructor(private readonly h: Handle, readonly model: TableModel) {}
  getType(): string { guard(this.h, 'Table.getType'); return 'TABLE'; }
  getNumRows(): number { guard(this.h, 'Table.getNumRows'); return this.model.rows.length; }
  getRow(r: number): TableRow {
    guard(this.h, 'Table.getRow');
    const row = this.model.rows[r];
    if (!row) throw exception(`Child index (${r}) must be less than the number of child elements (${this.model.rows.length}).`);
    return new TableRow(this.h, row);
  }
  getText(): string { guard(this.h, 'Table.getText'); return tableText(this.model); }
  getCell(row: number, cell: number): TableCell {
    guard(this.h, 'Table.getCell');
    const c = this.model.rows[row]?.cells[cell];
    if (!c) throw exception('Child index (' + cell + ') must be less than the number of child elements.'); // INF
    return new TableCell(this.h, c);
  }
  copy(): Table { guard(this.h, 'Table.copy'); return new Table(this.h, copyTable(this.model)); }
  asTable(): Table { guard(this.h, 'Table.asTable'); return this; }
  isAttached(): boolean { return this.model.parent !== null; }
  removeFromParent(): this {
    guard(this.h, 'Table.removeFromParent', true);
    const p = this.model.parent;
    if (p) (p.children as BlockModel[]).splice((p.children as BlockModel[]).indexOf(this.model), 1);
    this.model.parent = null;
    return this;
  }
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, 'Table.replaceText', true);
    textBlocks([this.model]).forEach(replacer(searchPattern, replacement));
    return this;
  }
}

type Element = Paragraph | ListItem | Table;

function wrapBlock(h: Handle, b: BlockModel): Element {
  if (b.kind === 'TABLE') return new Table(h, b);
  return b.kind === 'LIST_ITEM' ? new ListItem(h, b) : new Paragraph(h, b);
}

function imageFrom(image: unknown, method: string): ImageModel {
  if (image instanceof InlineImage) return { ...image.model };
  if (image instanceof Blob) {
    const name = image.getName() ?? 'image';
    return { kind: 'INLINE_IMAGE', name, contentType: image.getContentType() ?? 'image/png', width: 120, height: 40, bytes: image.rawBytes().length };
  }
  throw signatureError([image], `DocumentApp.${method}`);
}

/** Body, HeaderSection and FooterSection: a container of paragraphs, list items and tables. */
export class Section {
  constructor(protected readonly h: Handle, readonly model: SectionModel, private readonly cls: 'Body' | 'HeaderSection' | 'FooterSection') {}
  protected k(m: string): string { return `${this.cls}.${m}`; }
  private attach(c: BlockModel, index?: number): void {
    if (c.parent !== null) throw exception('Element must be detached.'); // INF text
    attachTo(this.model, c, index);
  }
  getType(): string { guard(this.h, this.k('getType')); return this.model.kind; }
  getText(): string { guard(this.h, this.k('getText')); return sectionText(this.model); }
  setText(text: string): this {
    guard(this.h, this.k('setText'), true);
    for (const c of this.model.children) c.parent = null;
    this.model.children = [];
    for (const line of String(text).split('\n')) attachTo(this.model, newParagraph(line));
    return this;
  }
  getNumChildren(): number { guard(this.h, this.k('getNumChildren')); return this.model.children.length; }
  getChild(index: number): Element {
    guard(this.h, this.k('getChild'));
    const c = this.model.children[index];
    if (!c) throw exception(`Child index (${index}) must be less than the number of child elements (${this.model.children.length}).`); // INF
    return wrapBlock(this.h, c);
  }
  getChildIndex(child: Element): number { guard(this.h, this.k('getChildIndex')); return this.model.children.indexOf(child.model); }
  /** Paragraphs including list items (the reference: "including ListItems"), not those inside tables. */
  getParagraphs(): Paragraph[] {
    guard(this.h, this.k('getParagraphs'));
    return this.model.children.filter((c): c is ParagraphModel => c.kind !== 'TABLE').map((c) => (c.kind === 'LIST_ITEM' ? new ListItem(this.h, c) : new Paragraph(this.h, c)));
  }
  getListItems(): ListItem[] {
    guard(this.h, this.k('getListItems'));
    return this.model.children.filter((c): c is ParagraphModel => c.kind === 'LIST_ITEM').map((c) => new ListItem(this.h, c));
  }
  getTables(): Table[] {
    guard(this.h, this.k('getTables'));
    return this.model.children.filter((c): c is TableModel => c.kind === 'TABLE').map((c) => new Table(this.h, c));
  }
  getImages(): InlineImage[] { guard(this.h, this.k('getImages')); return imagesOf(this.model.children).map((m) => new InlineImage(this.h, m)); }
  appendParagraph(p: string | Paragraph): Paragraph {
    guard(this.h, this.k('appendParagraph'), true);
    const model = p instanceof Paragraph ? p.model : typeof p === 'string' ? newParagraph(p) : null;
    if (!model || model.kind !== 'PARAGRAPH') throw signatureError([p], `DocumentApp.${this.k('appendParagraph')}`);
    this.attach(model);
    return new Paragraph(this.h, model);
  }
  insertParagraph(index: number, p: string | Paragraph): Paragraph {
    guard(this.h, this.k('insertParagraph'), true);
    const model = p instanceof Paragraph ? p.model : newParagraph(String(p));
    this.attach(model, index);
    return new Paragraph(this.h, model);
  }
  appendListItem(li: string | ListItem): ListItem {
    guard(this.h, this.k('appendListItem'), true);
    const model = li instanceof ListItem ? li.model : typeof li === 'string' ? newListItem(li) : null;
    if (!model || model.kind !== 'LIST_ITEM') throw signatureError([li], `DocumentApp.${this.k('appendListItem')}`);
    this.attach(model);
    return new ListItem(this.h, model);
  }
  appendTable(cells?: string[][] | Table): Table {
    guard(this.h, this.k('appendTable'), true);
    const model: TableModel = cells instanceof Table ? cells.model : newTable((cells ?? []).map((r) => r.map(String)));
    this.attach(model);
    return new Table(this.h, model);
  }
  appendImage(image: unknown): InlineImage {
    guard(this.h, this.k('appendImage'), true);
    const model = imageFrom(image, this.k('appendImage'));
    const p = newParagraph('');
    p.inlines.push(model);
    attachTo(this.model, p);
    return new InlineImage(this.h, model);
  }
  appendPageBreak(): { getType(): string } {
    guard(this.h, this.k('appendPageBreak'), true);
    // a page break lives in a paragraph of its own (the section's child count grows by one)
    this.attach({ ...newParagraph(''), pageBreak: true });
    return { getType: () => 'PAGE_BREAK' };
  }
  removeChild(child: Element): this {
    guard(this.h, this.k('removeChild'), true);
    const i = this.model.children.indexOf(child.model);
    if (i >= 0) this.model.children.splice(i, 1);
    child.model.parent = null;
    return this;
  }
  clear(): this {
    guard(this.h, this.k('clear'), true);
    for (const c of this.model.children) c.parent = null;
    this.model.children = [];
    return this;
  }
  /** A detached copy; its children can be copied into another document. */
  copy(): Section {
    guard(this.h, this.k('copy'));
    return new Section(this.h, copySection(this.model), this.cls);
  }
  /** D2.3/D2.4: per text block (paragraph, list item, table cell); a match never spans blocks. */
  replaceText(searchPattern: string, replacement: string): this {
    guard(this.h, this.k('replaceText'), true);
    textBlocks(this.model.children).forEach(replacer(searchPattern, replacement));
    return this;
  }
}

export class Body extends Section {
  constructor(h: Handle, model: SectionModel, private readonly content: DocContent) {
    super(h, model, 'Body');
  }
  getPageWidth(): number { guard(this.h, 'Body.getPageWidth'); return this.content.page.width; }
  getPageHeight(): number { guard(this.h, 'Body.getPageHeight'); return this.content.page.height; }
  setPageWidth(v: number): this { guard(this.h, 'Body.setPageWidth', true); this.content.page.width = Number(v); return this; }
  setPageHeight(v: number): this { guard(this.h, 'Body.setPageHeight', true); this.content.page.height = Number(v); return this; }
  getMarginTop(): number { guard(this.h, 'Body.getMarginTop'); return this.content.page.marginTop; }
  getMarginBottom(): number { guard(this.h, 'Body.getMarginBottom'); return this.content.page.marginBottom; }
  getMarginLeft(): number { guard(this.h, 'Body.getMarginLeft'); return this.content.page.marginLeft; }
  getMarginRight(): number { guard(this.h, 'Body.getMarginRight'); return this.content.page.marginRight; }
  setMarginTop(v: number): this { guard(this.h, 'Body.setMarginTop', true); this.content.page.marginTop = Number(v); return this; }
  setMarginBottom(v: number): this { guard(this.h, 'Body.setMarginBottom', true); this.content.page.marginBottom = Number(v); return this; }
  setMarginLeft(v: number): this { guard(this.h, 'Body.setMarginLeft', true); this.content.page.marginLeft = Number(v); return this; }
  setMarginRight(v: number): this { guard(this.h, 'Body.setMarginRight', true); this.content.page.marginRight = Number(v); return this; }
}

export class Document {
  private readonly h: Handle;
  constructor(runtime: Runtime, private readonly model: DocModel, private readonly store: DocStore, canWrite: boolean) {
    this.h = { closed: false, runtime, canWrite };
  }
  // INF: the closed-document error speaks of *contents*; id, name and URL stay readable after close
  getId(): string { this.h.runtime.gate('DocumentApp.Document.getId'); return this.model.id; }
  getName(): string { this.h.runtime.gate('DocumentApp.Document.getName'); return this.model.name; }
  setName(n: string): this { guard(this.h, 'Document.setName', true); this.model.name = String(n); return this; }
  getUrl(): string { this.h.runtime.gate('DocumentApp.Document.getUrl'); return docUrl(this.model.id); }
  getBody(): Body { guard(this.h, 'Document.getBody'); return new Body(this.h, this.model.content.body, this.model.content); }
  /** null when the document has no header (the reference: "Retrieves the document's header section, if one exists"). */
  getHeader(): Section | null { guard(this.h, 'Document.getHeader'); const s = this.model.content.header; return s ? new Section(this.h, s, 'HeaderSection') : null; }
  getFooter(): Section | null { guard(this.h, 'Document.getFooter'); const s = this.model.content.footer; return s ? new Section(this.h, s, 'FooterSection') : null; }
  /** "Adds a document header section, if none exists." Throws when one exists (INF, as Apps Script does). */
  addHeader(): Section {
    guard(this.h, 'Document.addHeader', true);
    if (this.model.content.header) throw exception('Document tab already contains a header.'); // INF text
    this.model.content.header = newSection('HEADER_SECTION');
    attachTo(this.model.content.header, newParagraph(''));
    return new Section(this.h, this.model.content.header, 'HeaderSection');
  }
  addFooter(): Section {
    guard(this.h, 'Document.addFooter', true);
    if (this.model.content.footer) throw exception('Document tab already contains a footer.'); // INF text
    this.model.content.footer = newSection('FOOTER_SECTION');
    attachTo(this.model.content.footer, newParagraph(''));
    return new Section(this.h, this.model.content.footer, 'FooterSection');
  }
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
  // sharing (D2.5): owners and editors may share (Drive's default); viewers may not
  private share(kind: 'editors' | 'viewers', key: string, emails: unknown[]): this {
    guard(this.h, `Document.${key}`);
    if (!this.h.canWrite) throw exception(NOT_ALLOWED);
    for (const e of emails) {
      const email = userEmail(e);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw exception(`Invalid argument: ${email}`); // INF text
      this.store.grant(this.model.acl, email, kind === 'editors' ? 'writer' : 'reader');
    }
    return this;
  }
  addEditor(user: unknown): this { return this.share('editors', 'addEditor', [user]); }
  addEditors(emails: unknown[]): this { return this.share('editors', 'addEditors', Array.isArray(emails) ? emails : [emails]); }
  addViewer(user: unknown): this { return this.share('viewers', 'addViewer', [user]); }
  addViewers(emails: unknown[]): this { return this.share('viewers', 'addViewers', Array.isArray(emails) ? emails : [emails]); }
  getEditors(): Array<{ getEmail(): string }> { guard(this.h, 'Document.getEditors'); return [this.model.acl.owner, ...this.model.acl.editors].map(asUser); }
  getViewers(): Array<{ getEmail(): string }> { guard(this.h, 'Document.getViewers'); return this.model.acl.viewers.map(asUser); }
  removeEditor(user: unknown): this {
    guard(this.h, 'Document.removeEditor');
    if (!this.h.canWrite) throw exception(NOT_ALLOWED);
    const email = userEmail(user);
    this.model.acl.editors = this.model.acl.editors.filter((e) => e !== email);
    return this;
  }
  removeViewer(user: unknown): this {
    guard(this.h, 'Document.removeViewer');
    if (!this.h.canWrite) throw exception(NOT_ALLOWED);
    const email = userEmail(user);
    this.model.acl.viewers = this.model.acl.viewers.filter((e) => e !== email);
    return this;
  }
}

function userEmail(u: unknown): string {
  if (u && typeof u === 'object' && typeof (u as { getEmail?: unknown }).getEmail === 'function') return String((u as { getEmail(): string }).getEmail()).toLowerCase();
  return String(u).trim().toLowerCase();
}
function asUser(email: string): { getEmail(): string } {
  return { getEmail: () => email };
}

export function docUrl(id: string): string {
  return `https://docs.google.com/document/d/${id}/edit`;
}
export function folderUrl(id: string): string {
  return `https://drive.google.com/drive/folders/${id}`;
}

export type Role = 'owner' | 'writer' | 'reader';

/** Every document and folder: content, owners, sharing, folders, the documents-created quota. */
export class DocStore {
  private docs = new Map<string, DocModel>();
  readonly folders = new Map<string, FolderModel>();
  private seq = 0;
  readonly created: DailyQuota;
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
  /** The user the running execution acts as (the effective user for installable triggers). */
  actingUser(): string | null {
    const e = this.runtime.current;
    return e ? (e.effectiveUser || e.user).toLowerCase() : null;
  }
  grant(acl: Acl, email: string, role: 'writer' | 'reader'): void {
    if (acl.owner === email) return;
    if (role === 'writer') {
      acl.viewers = acl.viewers.filter((v) => v !== email);
      if (!acl.editors.includes(email)) acl.editors.push(email);
    } else if (!acl.editors.includes(email) && !acl.viewers.includes(email)) {
      acl.viewers.push(email);
    }
  }
  /** The user's role on a file or folder: its own sharing, else what a parent folder gives. */
  roleOf(item: { acl: Acl; parents: string[] }, user: string | null, seen = new Set<string>()): Role | null {
    if (user === null) return 'owner'; // host-side access
    if (item.acl.owner === user) return 'owner';
    if (item.acl.editors.includes(user)) return 'writer';
    let best: Role | null = item.acl.viewers.includes(user) ? 'reader' : null;
    for (const p of item.parents) {
      if (seen.has(p)) continue;
      seen.add(p);
      const f = this.folders.get(p);
      if (!f) continue;
      const r = this.roleOf(f, user, seen);
      if (r === 'owner' || r === 'writer') return 'writer';
      if (r === 'reader') best = 'reader';
    }
    return best;
  }
  info(d: DocModel): FakeDocumentInfo {
    const lines = (s: SectionModel | null) => (s ? s.children.map((b) => (b.kind === 'TABLE' ? tableText(b) : paragraphText(b))) : []);
    return {
      id: d.id, name: d.name, url: docUrl(d.id), paragraphs: lines(d.content.body), header: lines(d.content.header), footer: lines(d.content.footer),
      trashed: d.trashed, owner: d.acl.owner, editors: [...d.acl.editors], viewers: [...d.acl.viewers], parents: [...d.parents], rendered: renderDocument(d.saved),
    };
  }
  private register(name: string, content: DocContent, owner: string, appCreated: boolean, parents: string[] = []): DocModel {
    const doc: DocModel = {
      id: this.newId('Doc'), name, content, saved: copyContent(content), acl: { owner: owner.toLowerCase(), editors: [], viewers: [] },
      parents, appCreated, trashed: false, createdMs: this.runtime.clock.nowMs(),
    };
    this.docs.set(doc.id, doc);
    return doc;
  }
  /** Test setup: a saved document with these paragraphs, owned by `owner` (default: the first user). */
  add(name: string, paragraphs: string[], owner = this.runtime.owner): string {
    const content = emptyContent();
    content.body = newSection('BODY_SECTION');
    for (const t of paragraphs) attachTo(content.body, newParagraph(t));
    return this.register(name, content, owner, false).id;
  }
  /** Test setup: a rich document (header, footer, images, tables, lists, bold…), made by a person in Docs. */
  addRich(name: string, spec: RichDocSpec, owner = this.runtime.owner): string {
    return this.register(name, contentFromSpec(spec), owner, false).id;
  }
  /** A Drive copy of a document (the saved revision), owned by the acting user and made by this project. */
  copyOf(source: DocModel, name: string, owner: string, parents: string[]): DocModel {
    return this.register(name, copyContent(source.saved), owner, true, parents);
  }
  save(d: DocModel): void {
    d.saved = copyContent(d.content);
  }
  /** Documents open in an execution are saved when it ends (D2.2 "Scripts auto-save"). */
  private touch(d: DocModel): void {
    const exec = this.runtime.current;
    if (exec) exec.onEnd.push(() => this.save(d));
    else this.save(d);
  }
  export(d: DocModel, contentType: string): Blob {
    if (contentType !== 'application/pdf') throw exception(`Converting from application/vnd.google-apps.document to ${contentType} is not supported.`); // INF text
    const rendered = renderDocument(d.saved);
    const text = renderedText(rendered);
    return new Blob(this.runtime, pdfBytes(text, rendered.page), 'application/pdf', renameExtension(d.name, 'pdf'), text, rendered);
  }
  /** Opens for the acting user: read access needed; write access decides whether edits are allowed. */
  open(id: string): Document {
    const doc = this.docs.get(String(id));
    const role = doc && !doc.trashed ? this.roleOf(doc, this.actingUser()) : null;
    if (!doc || role === null) throw exception(missingDocumentMessage(String(id))); // D2.1/D2.5
    this.touch(doc);
    return new Document(this.runtime, doc, this, role !== 'reader');
  }

  service() {
    const runtime = this.runtime;
    const g = (m: string) => runtime.gate(`DocumentApp.${m}`);
    return {
      ParagraphHeading,
      ElementType,
      HorizontalAlignment,
      GlyphType,
      create: (name: string): Document => {
        g('create');
        if (typeof name !== 'string') throw signatureError([name], 'DocumentApp.create');
        const user = this.actingUser() ?? runtime.owner;
        if (!this.created.take(user, 1)) throw exception('Service invoked too many times for one day: docs create.');
        const doc = this.register(name, emptyContent(), user, true);
        doc.saved = emptyContent();
        this.touch(doc);
        return new Document(runtime, doc, this, true);
      },
      openById: (id: string): Document => {
        g('openById');
        return this.open(String(id));
      },
      openByUrl: (url: string): Document => {
        g('openByUrl');
        const m = /\/d\/([^/]+)/.exec(String(url));
        if (!m) throw exception(missingDocumentMessage(String(url)));
        return this.open(m[1]);
      },
      /** The container is a spreadsheet, so there is no active document. */
      getActiveDocument: (): null => { g('getActiveDocument'); return null; },
    };
  }
}

export { copyBlock };
