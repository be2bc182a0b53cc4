/**
 * Building letters that look like the school's template: each letter is a Drive COPY of the
 * template (advanced Drive service, Files.copy under the non-restricted drive.file scope), filled
 * with replaceText in the body, header and footer (each call keeps the formatting of the
 * placeholder it replaces — semantics D2.3/D2.4; values escaped by core/letters/replaceSteps.ts).
 * The letterhead and logo, headings, bold/italic, lists, tables and page size all carry over, and
 * the PDF is exported from the saved copy (D1.3: re-opened after saveAndClose, D2.2).
 *
 * drive.file covers only files this add-on made. A template a person made in Docs is therefore
 * first copied ONCE per run into a "master" the add-on owns — element by element with DocumentApp
 * (documents scope): page size and margins, the body's paragraphs, list items and tables (their
 * runs and inline images come with Element.copy()), the header and the footer. Starter templates
 * the add-on created are copied directly.
 *
 * One letter = Drive.Files.copy, DocumentApp.openById, getBody/getHeader/getFooter, one
 * replaceText per field per section that uses it, saveAndClose, openById + getAs('application/pdf').
 */
import { blockReplaceSteps, conditionsOf, renderPlan, replaceSteps, resolveParagraphs } from '../../core/letters';
import { LETTER_REF_PROPERTY } from './filing';
import type { LoadedTemplate } from './templates';

type Doc = GoogleAppsScript.Document.Document;
type Container = GoogleAppsScript.Document.Body | GoogleAppsScript.Document.HeaderSection | GoogleAppsScript.Document.FooterSection;

export function documentUrl(id: string): string {
  return `https://docs.google.com/document/d/${id}/edit`;
}

function drive(): GoogleAppsScript.Drive {
  if (typeof Drive === 'undefined' || !Drive) throw new Error('The advanced Drive service is not enabled in appsscript.json (Drive, v3): letters cannot be copied from their template.');
  return Drive;
}

/** The template's paragraphs with every field filled in (throws naming a missing value). */
export function renderLetter(template: LoadedTemplate, values: Readonly<Record<string, string>>): string[] {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) flat[k] = String(v).replace(/[\r\n\u2028\u2029]+/g, ' ');
  // {{#if …}} blocks first: the wording the family's history calls for (conditions.ts).
  const paragraphs = resolveParagraphs(template.paragraphs, conditionsOf(values));
  const out = [...paragraphs];
  for (const r of renderPlan(paragraphs, flat)) out[r.index] = r.after;
  return out;
}

export interface LetterFile {
  id: string;
  url: string;
  /** The PDF (emailed letters; a posted letter goes in the print pack instead). */
  pdf: GoogleAppsScript.Base.Blob | null;
}

/** True when this add-on may copy the template itself (drive.file: a file it made). */
export function addOnCanCopy(docId: string): boolean {
  try {
    drive().Files!.get(docId);
    return true;
  } catch {
    return false;
  }
}

/** Copies every paragraph, list item and table of `from` to the end of `to` (formatting and images included). */
export function appendElements(from: Container, to: Container): number {
  const n = from.getNumChildren();
  let copied = 0;
  for (let i = 0; i < n; i++) {
    const child = from.getChild(i);
    const type = child.getType();
    if (type === DocumentApp.ElementType.PARAGRAPH) to.appendParagraph(child.asParagraph().copy());
    else if (type === DocumentApp.ElementType.LIST_ITEM) to.appendListItem(child.asListItem().copy());
    else if (type === DocumentApp.ElementType.TABLE) to.appendTable(child.asTable().copy());
    else continue;
    copied++;
  }
  return copied;
}

/** Drops the empty paragraph a new section starts with, once something else is in it. */
function dropLeadingBlank(section: Container): void {
  if (section.getNumChildren() < 2) return;
  const first = section.getChild(0);
  if (first.getType() === DocumentApp.ElementType.PARAGRAPH && first.asParagraph().getText() === '' && first.asParagraph().getNumChildren() === 0) first.removeFromParent();
}

/**
 * The add-on's own copy of a template a person made (see the file comment): page size and margins,
 * body, header and footer. Returns its id; it is put in `folderId` when given.
 */
export function buildMaster(templateId: string, name: string, folderId: string | null): string {
  const source = DocumentApp.openById(templateId);
  const doc = DocumentApp.create(name);
  const from = source.getBody();
  const to = doc.getBody();
  to.setPageWidth(from.getPageWidth()).setPageHeight(from.getPageHeight());
  to.setMarginTop(from.getMarginTop()).setMarginBottom(from.getMarginBottom()).setMarginLeft(from.getMarginLeft()).setMarginRight(from.getMarginRight());
  appendElements(from, to);
  dropLeadingBlank(to);
  const header = source.getHeader();
  if (header) {
    const h = doc.addHeader();
    appendElements(header, h);
    dropLeadingBlank(h);
  }
  const footer = source.getFooter();
  if (footer) {
    const f = doc.addFooter();
    appendElements(footer, f);
    dropLeadingBlank(f);
  }
  const id = doc.getId();
  doc.saveAndClose();
  if (folderId) drive().Files!.update({}, id, null as unknown as GoogleAppsScript.Base.Blob, { addParents: folderId });
  return id;
}

/**
 * Fills an open document: first each {{#if …}} block becomes the wording the family's history
 * chooses (one replaceText per block, conditions.ts blockReplaceSteps — a block lies inside one
 * paragraph, D2.4), then one replaceText per field per section that uses it.
 */
export function fillDocument(doc: Doc, template: Pick<LoadedTemplate, 'fieldsIn'> & Partial<Pick<LoadedTemplate, 'paragraphs' | 'header' | 'footer'>>, values: Readonly<Record<string, string>>): void {
  const conditions = conditionsOf(values);
  const sections: Array<[() => Container | null, string[], readonly string[]]> = [
    [() => doc.getBody(), template.fieldsIn.body, template.paragraphs ?? []],
    [() => doc.getHeader(), template.fieldsIn.header, template.header ?? []],
    [() => doc.getFooter(), template.fieldsIn.footer, template.footer ?? []],
  ];
  for (const [get, fields, text] of sections) {
    const blocks = blockReplaceSteps(text, conditions);
    if (fields.length === 0 && blocks.length === 0) continue;
    const section = get();
    if (!section) continue;
    for (const step of blocks) section.replaceText(step.pattern, step.replacement);
    for (const step of replaceSteps(fields, values)) section.replaceText(step.pattern, step.replacement);
  }
}

/**
 * A letter: a copy of the master in `folderId`, filled, saved, and (withPdf) its PDF. The copy carries
 * its letter reference in appProperties (private to the add-on), so the retention step can tell the
 * copy of a letter still unsettled (e.g. of unknown outcome: its ledger row has no link yet) from
 * the others.
 */
export function createLetterDocument(masterId: string, name: string, folderId: string | null, template: Parameters<typeof fillDocument>[1], values: Readonly<Record<string, string>>, withPdf = true, letterRef: string | null = null): LetterFile {
  const copy = drive().Files!.copy({ name, ...(folderId ? { parents: [folderId] } : {}), ...(letterRef ? { appProperties: { [LETTER_REF_PROPERTY]: letterRef } } : {}) }, masterId);
  const id = copy.id!;
  const doc = DocumentApp.openById(id);
  fillDocument(doc, template, values);
  doc.saveAndClose();
  const pdf = withPdf ? DocumentApp.openById(id).getAs('application/pdf') : null;
  return { id, url: documentUrl(id), pdf };
}

/**
 * The run's print pack: one Doc, a page per posted letter, with the letters' formatting. A new pack
 * is a copy of the first letter (so it has the letterhead: Docs has one header and footer per
 * document); each further letter's body is appended after a page break. Returns its id and URL.
 */
export function addToPrintPack(packId: string | null, title: string, letterIds: readonly string[], folderId: string | null): { id: string; url: string } {
  if (letterIds.length === 0 && packId) return { id: packId, url: documentUrl(packId) };
  const rest = [...letterIds];
  let id = packId;
  if (!id) {
    const first = rest.shift()!;
    id = drive().Files!.copy({ name: title, ...(folderId ? { parents: [folderId] } : {}) }, first).id!;
  }
  if (rest.length > 0) {
    const pack = DocumentApp.openById(id);
    const body = pack.getBody();
    for (const letterId of rest) {
      body.appendPageBreak();
      appendElements(DocumentApp.openById(letterId).getBody(), body);
    }
    pack.saveAndClose();
  }
  return { id, url: documentUrl(id) };
}
