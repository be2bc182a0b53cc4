/**
 * The data of an emulated Google Doc, with no service wrapper: sections (body, header, footer)
 * holding paragraphs, list items and tables; paragraphs holding text (runs with bold/italic/
 * underline) and inline images; the page size and margins. Pure functions: deep copy, plain text,
 * replaceText on one text block keeping formatting, and the rendering a PDF export shows.
 *
 * Google's reference for the shapes (Document, Body, HeaderSection, FooterSection, Paragraph,
 * ListItem, Table, TableRow, TableCell, Text, InlineImage):
 * https://developers.google.com/apps-script/reference/document/document and its sibling pages.
 */

export interface TextRun {
  text: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
}
/** A Text element: one text block for replaceText (D2.3 "each text block"). */
export interface TextModel {
  kind: 'TEXT';
  runs: TextRun[];
}
export interface ImageModel {
  kind: 'INLINE_IMAGE';
  name: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
}
export type InlineModel = TextModel | ImageModel;

export type Glyph = 'BULLET' | 'NUMBER' | 'HOLLOW_BULLET' | 'SQUARE_BULLET' | 'LATIN_UPPER' | 'LATIN_LOWER' | 'ROMAN_UPPER' | 'ROMAN_LOWER';

export interface ParagraphModel {
  kind: 'PARAGRAPH' | 'LIST_ITEM';
  inlines: InlineModel[];
  heading: string;
  alignment: string | null;
  pageBreak: boolean;
  /** List items only. */
  glyph?: Glyph;
  nesting?: number;
  listId?: string;
  parent: ContainerModel | null;
}
export interface CellModel {
  kind: 'TABLE_CELL';
  children: ParagraphModel[];
}
export interface TableModel {
  kind: 'TABLE';
  rows: { cells: CellModel[] }[];
  parent: ContainerModel | null;
}
export type BlockModel = ParagraphModel | TableModel;
export type SectionKind = 'BODY_SECTION' | 'HEADER_SECTION' | 'FOOTER_SECTION';
export interface SectionModel {
  kind: SectionKind;
  children: BlockModel[];
}
export type ContainerModel = SectionModel | CellModel;

/** Page size and margins in points (Body.getPageWidth…): A4 595.3 × 841.9, US Letter 612 × 792. */
export interface PageModel {
  width: number;
  height: number;
  marginTop: number;
  marginBottom: number;
  marginLeft: number;
  marginRight: number;
}
export const PAGE_A4: PageModel = { width: 595.276, height: 841.89, marginTop: 72, marginBottom: 72, marginLeft: 72, marginRight: 72 };
export const PAGE_LETTER: PageModel = { width: 612, height: 792, marginTop: 72, marginBottom: 72, marginLeft: 72, marginRight: 72 };

export interface DocContent {
  body: SectionModel;
  header: SectionModel | null;
  footer: SectionModel | null;
  page: PageModel;
}

// ── construction ────────────────────────────────────────────────────────────────────────────

export function plainRun(text: string, style: Partial<Omit<TextRun, 'text'>> = {}): TextRun {
  return { text, bold: Boolean(style.bold), italic: Boolean(style.italic), underline: Boolean(style.underline) };
}
export function textModel(text: string, style: Partial<Omit<TextRun, 'text'>> = {}): TextModel {
  return { kind: 'TEXT', runs: text === '' ? [] : [plainRun(text, style)] };
}
export function newParagraph(text = ''): ParagraphModel {
  return { kind: 'PARAGRAPH', inlines: text === '' ? [] : [textModel(text)], heading: 'NORMAL', alignment: null, pageBreak: false, parent: null };
}
export function newListItem(text = '', glyph: Glyph = 'BULLET', listId = 'list.1'): ParagraphModel {
  return { ...newParagraph(text), kind: 'LIST_ITEM', glyph, nesting: 0, listId };
}
export function newCell(text = ''): CellModel {
  const cell: CellModel = { kind: 'TABLE_CELL', children: [] };
  const p = newParagraph(text);
  p.parent = cell;
  cell.children.push(p);
  return cell;
}
export function newTable(cells: string[][]): TableModel {
  return { kind: 'TABLE', rows: cells.map((r) => ({ cells: r.map((t) => newCell(String(t))) })), parent: null };
}
export function newSection(kind: SectionKind): SectionModel {
  return { kind, children: [] };
}
export function attachTo(container: ContainerModel, block: BlockModel, index?: number): void {
  if (container.kind === 'TABLE_CELL' && block.kind === 'TABLE') throw new Error('nested tables are not modelled');
  block.parent = container;
  const list = container.children as BlockModel[];
  if (index === undefined) list.push(block);
  else list.splice(index, 0, block);
}
export function emptyContent(page: PageModel = PAGE_LETTER): DocContent {
  const body = newSection('BODY_SECTION');
  attachTo(body, newParagraph('')); // a new document has one empty paragraph
  return { body, header: null, footer: null, page: { ...page } };
}

// ── copies ──────────────────────────────────────────────────────────────────────────────────

function copyInline(i: InlineModel): InlineModel {
  return i.kind === 'TEXT' ? { kind: 'TEXT', runs: i.runs.map((r) => ({ ...r })) } : { ...i };
}
export function copyParagraph(p: ParagraphModel): ParagraphModel {
  return { ...p, inlines: p.inlines.map(copyInline), parent: null };
}
function copyCell(c: CellModel): CellModel {
  const cell: CellModel = { kind: 'TABLE_CELL', children: [] };
  for (const p of c.children) {
    const q = copyParagraph(p);
    q.parent = cell;
    cell.children.push(q);
  }
  return cell;
}
export function copyTable(t: TableModel): TableModel {
  return { kind: 'TABLE', rows: t.rows.map((r) => ({ cells: r.cells.map(copyCell) })), parent: null };
}
export function copyBlock(b: BlockModel): BlockModel {
  return b.kind === 'TABLE' ? copyTable(b) : copyParagraph(b);
}
export function copySection(s: SectionModel): SectionModel {
  const out = newSection(s.kind);
  for (const b of s.children) attachTo(out, copyBlock(b));
  return out;
}
export function copyContent(c: DocContent): DocContent {
  return { body: copySection(c.body), header: c.header ? copySection(c.header) : null, footer: c.footer ? copySection(c.footer) : null, page: { ...c.page } };
}

// ── text ────────────────────────────────────────────────────────────────────────────────────

export function textOfText(t: TextModel): string {
  return t.runs.map((r) => r.text).join('');
}
export function paragraphText(p: ParagraphModel): string {
  return p.inlines.map((i) => (i.kind === 'TEXT' ? textOfText(i) : '')).join('');
}
export function cellText(c: CellModel): string {
  return c.children.map(paragraphText).join('\n');
}
export function tableText(t: TableModel): string {
  return t.rows.map((r) => r.cells.map(cellText).join('\t')).join('\n');
}
export function blockText(b: BlockModel): string {
  return b.kind === 'TABLE' ? tableText(b) : paragraphText(b);
}
export function sectionText(s: SectionModel): string {
  return s.children.map(blockText).join('\n');
}

/** Every inline of one kind in a container, in document order (table cells included). */
function inlinesOfKind<K extends InlineModel['kind']>(blocks: readonly BlockModel[], kind: K): Extract<InlineModel, { kind: K }>[] {
  const out: Extract<InlineModel, { kind: K }>[] = [];
  for (const b of blocks) {
    if (b.kind === 'TABLE') for (const r of b.rows) for (const c of r.cells) out.push(...inlinesOfKind(c.children, kind));
    else for (const i of b.inlines) if (i.kind === kind) out.push(i as Extract<InlineModel, { kind: K }>);
  }
  return out;
}
/** Every text run of a container, in document order (paragraphs, list items, table cells). */
export function textBlocks(blocks: readonly BlockModel[]): TextModel[] {
  return inlinesOfKind(blocks, 'TEXT');
}
export function imagesOf(blocks: readonly BlockModel[]): ImageModel[] {
  return inlinesOfKind(blocks, 'INLINE_IMAGE');
}

type Attrs = Omit<TextRun, 'text'>;
function attrsOf(r: TextRun): Attrs {
  return { bold: r.bold, italic: r.italic, underline: r.underline };
}
function sameAttrs(a: Attrs, b: Attrs): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.underline === b.underline;
}
/** Runs → one attribute record per character (UTF-16 unit, as Apps Script offsets count). */
function explode(t: TextModel): { text: string; attrs: Attrs[] } {
  const attrs: Attrs[] = [];
  for (const r of t.runs) for (let i = 0; i < r.text.length; i++) attrs.push(attrsOf(r));
  return { text: textOfText(t), attrs };
}
function implode(text: string, attrs: readonly Attrs[]): TextRun[] {
  const runs: TextRun[] = [];
  for (let i = 0; i < text.length; i++) {
    const a = attrs[i];
    const last = runs[runs.length - 1];
    if (last && sameAttrs(attrsOf(last), a)) last.text += text[i];
    else runs.push({ text: text[i], ...a });
  }
  return runs;
}

/**
 * replaceText on one text block: every match of `re` (global) is replaced by `replace(match)`;
 * the replacement takes the formatting of the first character it replaces, so a bold `{{Student
 * name}}` becomes a bold name (INF: Docs keeps the formatting of the replaced text — the
 * reference is silent; it is what every mail-merge add-on relies on).
 */
export function replaceInText(t: TextModel, re: RegExp, replace: (m: RegExpExecArray) => string): void {
  const { text, attrs } = explode(t);
  re.lastIndex = 0;
  let out = '';
  const outAttrs: Attrs[] = [];
  let at = 0;
  let m: RegExpExecArray | null;
  let changed = false;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue; // an empty match replaces nothing (INF)
    }
    changed = true;
    out += text.slice(at, m.index);
    outAttrs.push(...attrs.slice(at, m.index));
    const rep = replace(m);
    const style = attrs[m.index];
    out += rep;
    for (let i = 0; i < rep.length; i++) outAttrs.push(style);
    at = m.index + m[0].length;
  }
  if (!changed) return;
  out += text.slice(at);
  outAttrs.push(...attrs.slice(at));
  t.runs = implode(out, outAttrs);
}

/** Sets bold/italic/underline on [start, endInclusive] of a text block. */
export function styleText(t: TextModel, start: number, endInclusive: number, style: Partial<Attrs>): void {
  const { text, attrs } = explode(t);
  for (let i = Math.max(0, start); i <= Math.min(endInclusive, text.length - 1); i++) attrs[i] = { ...attrs[i], ...style };
  t.runs = implode(text, attrs);
}

// ── what a PDF export shows ─────────────────────────────────────────────────────────────────

export interface RenderedRun {
  text: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
}
export interface RenderedBlock {
  type: 'PARAGRAPH' | 'LIST_ITEM' | 'TABLE' | 'PAGE_BREAK';
  text: string;
  heading?: string;
  glyph?: Glyph;
  runs?: RenderedRun[];
  images?: { name: string; width: number; height: number }[];
  /** Tables: cell texts. */
  rows?: string[][];
  /** Tables: runs of each cell's text, to check formatting inside tables. */
  cellRuns?: RenderedRun[][][];
}
export interface RenderedDocument {
  page: { width: number; height: number; size: 'A4' | 'Letter' | 'other' };
  header: RenderedBlock[];
  body: RenderedBlock[];
  footer: RenderedBlock[];
}

function renderRuns(p: ParagraphModel): RenderedRun[] {
  return p.inlines.flatMap((i) => (i.kind === 'TEXT' ? i.runs.map((r) => ({ ...r })) : []));
}
function renderBlocks(blocks: readonly BlockModel[]): RenderedBlock[] {
  const out: RenderedBlock[] = [];
  for (const b of blocks) {
    if (b.kind === 'TABLE') {
      out.push({
        type: 'TABLE',
        text: tableText(b),
        rows: b.rows.map((r) => r.cells.map(cellText)),
        cellRuns: b.rows.map((r) => r.cells.map((c) => c.children.flatMap(renderRuns))),
        images: imagesOf([b]).map((i) => ({ name: i.name, width: i.width, height: i.height })),
      });
      continue;
    }
    if (b.pageBreak && paragraphText(b) === '') {
      out.push({ type: 'PAGE_BREAK', text: '' });
      continue;
    }
    const images = b.inlines.filter((i): i is ImageModel => i.kind === 'INLINE_IMAGE').map((i) => ({ name: i.name, width: i.width, height: i.height }));
    out.push({
      type: b.kind,
      text: paragraphText(b),
      heading: b.heading,
      ...(b.kind === 'LIST_ITEM' ? { glyph: b.glyph } : {}),
      runs: renderRuns(b),
      ...(images.length ? { images } : {}),
    });
  }
  return out;
}
export function pageSizeName(p: PageModel): 'A4' | 'Letter' | 'other' {
  const near = (a: number, b: number) => Math.abs(a - b) < 1;
  if (near(p.width, PAGE_A4.width) && near(p.height, PAGE_A4.height)) return 'A4';
  if (near(p.width, PAGE_LETTER.width) && near(p.height, PAGE_LETTER.height)) return 'Letter';
  return 'other';
}
export function renderDocument(c: DocContent): RenderedDocument {
  return {
    page: { width: c.page.width, height: c.page.height, size: pageSizeName(c.page) },
    header: c.header ? renderBlocks(c.header.children) : [],
    body: renderBlocks(c.body.children),
    footer: c.footer ? renderBlocks(c.footer.children) : [],
  };
}
/** The text lines of a rendering: header, body, footer (images as [image name]). */
export function renderedText(r: RenderedDocument): string {
  const lines = (blocks: RenderedBlock[]) =>
    blocks.map((b) => `${(b.images ?? []).map((i) => `[image ${i.name}]`).join('')}${b.type === 'LIST_ITEM' ? '• ' : ''}${b.text}`);
  return [...lines(r.header), ...lines(r.body), ...lines(r.footer)].join('\n');
}

// ── test set-up: a document from a compact description ─────────────────────────────────────

/** Inline content of a paragraph: a string, a styled string, or an image. */
export type InlineSpec = string | { text: string; bold?: boolean; italic?: boolean; underline?: boolean } | { image: string; width?: number; height?: number };
export type BlockSpec =
  | string
  | { paragraph: InlineSpec[]; heading?: string; alignment?: string }
  | { list: InlineSpec[][]; glyph?: Glyph }
  | { table: (string | InlineSpec[])[][] };
export interface RichDocSpec {
  body: BlockSpec[];
  header?: BlockSpec[];
  footer?: BlockSpec[];
  page?: 'A4' | 'Letter' | PageModel;
}

function inlinesOf(specs: readonly InlineSpec[]): InlineModel[] {
  const out: InlineModel[] = [];
  for (const s of specs) {
    if (typeof s === 'object' && 'image' in s) {
      out.push({ kind: 'INLINE_IMAGE', name: s.image, contentType: 'image/png', width: s.width ?? 120, height: s.height ?? 40, bytes: 2048 });
      continue;
    }
    const run = typeof s === 'string' ? plainRun(s) : plainRun(s.text, s);
    const last = out[out.length - 1];
    if (last && last.kind === 'TEXT') last.runs.push(run);
    else out.push({ kind: 'TEXT', runs: [run] });
  }
  return out;
}
function blocksOf(specs: readonly BlockSpec[], into: SectionModel): void {
  let lists = 0;
  for (const s of specs) {
    if (typeof s === 'string') {
      attachTo(into, newParagraph(s));
    } else if ('paragraph' in s) {
      const p = newParagraph('');
      p.inlines = inlinesOf(s.paragraph);
      if (s.heading) p.heading = s.heading;
      if (s.alignment) p.alignment = s.alignment;
      attachTo(into, p);
    } else if ('list' in s) {
      lists++;
      for (const item of s.list) {
        const li = newListItem('', s.glyph ?? 'BULLET', `list.${lists}`);
        li.inlines = inlinesOf(item);
        attachTo(into, li);
      }
    } else {
      const t = newTable([]);
      t.rows = s.table.map((r) => ({
        cells: r.map((c) => {
          const cell = newCell('');
          cell.children[0].inlines = inlinesOf(typeof c === 'string' ? [c] : c);
          return cell;
        }),
      }));
      attachTo(into, t);
    }
  }
}
export function contentFromSpec(spec: RichDocSpec): DocContent {
  const page = spec.page === 'A4' ? PAGE_A4 : spec.page === 'Letter' || spec.page === undefined ? PAGE_LETTER : spec.page;
  const c: DocContent = { body: newSection('BODY_SECTION'), header: null, footer: null, page: { ...page } };
  blocksOf(spec.body, c.body);
  if (spec.header) blocksOf(spec.header, (c.header = newSection('HEADER_SECTION')));
  if (spec.footer) blocksOf(spec.footer, (c.footer = newSection('FOOTER_SECTION')));
  if (c.body.children.length === 0) attachTo(c.body, newParagraph(''));
  return c;
}
