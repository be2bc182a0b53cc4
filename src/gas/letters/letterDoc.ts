/**
 * Building letters in Google Docs (documents scope only — no DriveApp.makeCopy, which needs the
 * restricted drive scope: engineering §6).
 *
 * One letter = 7 Docs calls whatever the template's length:
 *   DocumentApp.create → getBody → setText(all paragraphs) → getId → saveAndClose
 *   → DocumentApp.openById(id).getAs('application/pdf')
 * The text is rendered in TypeScript in one pass (renderPlan), so a value such as `$1`, `\` or
 * `{{Student name}}` lands literally — no replaceText per field (order-dependent, regex-escaped).
 * The PDF is taken from the document re-opened after saveAndClose: an export of unsaved edits can be
 * stale (semantics D1.3) and a closed Document cannot be used again (D2.2).
 * Body.setText makes one paragraph per line, so each template paragraph stays a paragraph; line
 * breaks inside a merged value are flattened to spaces so they cannot split a paragraph.
 */
import { outboundText } from '../../core/sanitise';
import { conditionsOf, renderPlan, resolveParagraphs } from '../../core/letters';
import type { LoadedTemplate } from './templates';

export function documentUrl(id: string): string {
  return `https://docs.google.com/document/d/${id}/edit`;
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
  pdf: GoogleAppsScript.Base.Blob;
}

/** Creates the letter's document and its PDF (7 calls). */
export function createLetterDocument(name: string, paragraphs: readonly string[]): LetterFile {
  const doc = DocumentApp.create(name);
  doc.getBody().setText(outboundText(paragraphs.join('\n'))); // no control character reaches a document
  const id = doc.getId();
  doc.saveAndClose();
  const pdf = DocumentApp.openById(id).getAs('application/pdf');
  return { id, url: documentUrl(id), pdf };
}

export interface PackLetter {
  /** Cover-page line: who it is for. */
  addressee: string;
  paragraphs: readonly string[];
}

/**
 * Adds letters to the run's print pack — one Doc, one page per letter (appendPageBreak between
 * letters) — creating it with a cover page when packId is null. Returns the pack's id and URL.
 */
export function addToPrintPack(packId: string | null, title: string, letters: readonly PackLetter[]): { id: string; url: string } {
  let doc: GoogleAppsScript.Document.Document;
  if (packId) {
    doc = DocumentApp.openById(packId);
  } else {
    doc = DocumentApp.create(title);
    doc.getBody().setText([title, 'Print, sign and post each page. One letter per page.'].join('\n'));
  }
  const body = doc.getBody();
  for (const letter of letters) {
    body.appendPageBreak();
    for (const p of letter.paragraphs) body.appendParagraph(outboundText(p).replace(/[\r\n\u2028\u2029]+/g, ' '));
  }
  const id = doc.getId();
  doc.saveAndClose();
  return { id, url: documentUrl(id) };
}
