/**
 * Letter templates: each Google Doc named in Settings → Templates is read ONCE per run (openById,
 * then the text of its body, header and footer) and validated before anything is sent.
 *
 * Letters are COPIES of the template (letterDoc.ts), filled with replaceText in every section, so
 * the letterhead, images, headings, bold/italic text, lists, tables and page size all carry over.
 * The template's text is kept here only to validate its merge fields, preview letters and know
 * which section holds which field.
 */
import { fieldsUsed, templateFor, validateTemplate, normaliseLanguage, type TemplateProblem } from '../../core/letters';
import type { TemplateRef } from '../../core/settings';

export type TemplateSection = 'body' | 'header' | 'footer';

export interface LoadedTemplate {
  ref: TemplateRef;
  /** How the template is named in messages: '“Letter 1 (EN)” (letter1, en)'. */
  label: string;
  /** Body text, one entry per line (a table gives a line per row). */
  paragraphs: string[];
  header: string[];
  footer: string[];
  /** Merge fields the template uses, anywhere. */
  fields: string[];
  /** Fields used in each section (replaceText is called only where a field is). */
  fieldsIn: Record<TemplateSection, string[]>;
}

export interface TemplateSet {
  /** By `${letterId}|${language}` of the template (after fallback). */
  byKey: Map<string, LoadedTemplate>;
  /** Blocking problems, one sentence each, naming the template and paragraph. */
  errors: string[];
  warnings: string[];
}

/** Who gets access to the templates: editors maintain them (AL, Admin), viewers plan and preview (AO). */
export interface TemplateSharing {
  editors: string[];
  viewers: string[];
}

export function templateKey(letterId: string, language: string): string {
  return `${letterId}|${normaliseLanguage(language)}`;
}

/** The template ref a letter in `language` uses (the family's language, else English), or null. */
export function chooseTemplate(letterId: string, language: string, refs: readonly TemplateRef[]): TemplateRef | null {
  return templateFor(letterId, language, refs)?.template ?? null;
}

function describe(p: TemplateProblem, label: string, section: TemplateSection): string {
  const where = p.paragraph > 0 ? (section === 'body' ? `paragraph ${p.paragraph}` : `the ${section}, line ${p.paragraph}`) : section === 'body' ? 'the whole template' : `the ${section}`;
  return `Template ${label}, ${where}: ${p.message}`;
}

function loaded(ref: TemplateRef, label: string, paragraphs: string[], header: string[], footer: string[]): LoadedTemplate {
  const fieldsIn = { body: fieldsUsed(paragraphs), header: fieldsUsed(header), footer: fieldsUsed(footer) };
  return { ref, label, paragraphs, header, footer, fields: [...new Set([...fieldsIn.body, ...fieldsIn.header, ...fieldsIn.footer])], fieldsIn };
}

/** Adds the staff who need the template and do not have it yet (only its owner or an editor can). */
function shareTemplate(doc: GoogleAppsScript.Document.Document, label: string, share: TemplateSharing): string | null {
  try {
    const have = new Set([...doc.getEditors(), ...doc.getViewers()].map((u) => u.getEmail().toLowerCase()));
    const editors = share.editors.filter((e) => !have.has(e));
    const viewers = share.viewers.filter((e) => !have.has(e) && !editors.includes(e));
    if (editors.length > 0) doc.addEditors(editors);
    if (viewers.length > 0) doc.addViewers(viewers);
    return null;
  } catch (e) {
    return `Template ${label} could not be shared with the attendance team (${(e as Error).message}): ask its owner to share it with them, or to make you an editor.`;
  }
}

/** Reads one template document (body, header, footer) and validates it; shares it when asked. */
export function readTemplate(ref: TemplateRef, share: TemplateSharing | null = null): { template: LoadedTemplate | null; errors: string[]; warnings: string[] } {
  const id = `(${ref.letterId}, ${ref.language}, document ${ref.docId})`;
  let doc: GoogleAppsScript.Document.Document;
  try {
    doc = DocumentApp.openById(ref.docId);
  } catch (e) {
    return {
      template: null,
      errors: [`Template ${id} could not be opened: ${(e as Error).message}. Check the Document ID in Settings → Templates, and ask the template's owner to share it with you (the Attendance Lead's next letter run shares templates with the attendance team).`],
      warnings: [],
    };
  }
  const label = `“${doc.getName()}” (${ref.letterId}, ${ref.language})`;
  const lines = (s: GoogleAppsScript.Document.HeaderSection | GoogleAppsScript.Document.FooterSection | GoogleAppsScript.Document.Body | null) => (s ? s.getText().split('\n') : []);
  const paragraphs = lines(doc.getBody());
  const header = lines(doc.getHeader());
  const footer = lines(doc.getFooter());
  const errors: string[] = [];
  const warnings: string[] = [];
  if (paragraphs.every((p) => p.trim() === '')) errors.push(`Template ${label} is empty.`);
  const sections: Array<[TemplateSection, string[]]> = [['body', paragraphs], ['header', header], ['footer', footer]];
  for (const [section, text] of sections) {
    if (text.length === 0) continue;
    for (const p of validateTemplate({ name: label, paragraphs: text })) {
      if (section !== 'body' && p.paragraph === 0) continue; // whole-letter checks are about the body
      (p.level === 'error' ? errors : warnings).push(describe(p, label, section));
    }
  }
  if (share) {
    const warning = shareTemplate(doc, label, share);
    if (warning) warnings.push(warning);
  }
  return { template: errors.length ? null : loaded(ref, label, paragraphs, header, footer), errors, warnings };
}

/**
 * Reads templates on demand, each document once per execution: `get` returns the template a
 * letter uses (null when there is none, or when it has errors — see `errors`).
 */
export class TemplateReader {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly missing: string[] = [];
  private readonly byKey = new Map<string, LoadedTemplate | null>();
  private readonly byDoc = new Map<string, LoadedTemplate | null>();
  private cached: Record<string, { label: string; paragraphs: string[]; header: string[]; footer: string[] }> | null = null;
  private dirty = false;

  /**
   * runCacheKey: templates read (and found valid) by an earlier execution of the same run are
   * taken from the document cache, so a run reads each template once and every letter of the
   * run uses the version checked when it started. A cache miss just reads the document again.
   */
  constructor(private readonly refs: readonly TemplateRef[], private readonly runCacheKey: string | null = null, private readonly share: TemplateSharing | null = null) {}

  private cache(): GoogleAppsScript.Cache.Cache | null {
    if (!this.runCacheKey) return null;
    try {
      return CacheService.getDocumentCache();
    } catch {
      return null;
    }
  }

  private fromCache(ref: TemplateRef): LoadedTemplate | null {
    if (!this.runCacheKey) return null;
    if (this.cached === null) {
      const raw = this.cache()?.get(this.runCacheKey) ?? null;
      try {
        this.cached = raw ? (JSON.parse(raw) as Record<string, { label: string; paragraphs: string[]; header: string[]; footer: string[] }>) : {};
      } catch {
        this.cached = {};
      }
    }
    const hit = this.cached[ref.docId];
    return hit && Array.isArray(hit.header) ? loaded(ref, hit.label, hit.paragraphs, hit.header, hit.footer ?? []) : null;
  }

  get(letterId: string, language: string): LoadedTemplate | null {
    const key = templateKey(letterId, language);
    if (this.byKey.has(key)) return this.byKey.get(key)!;
    const ref = chooseTemplate(letterId, language, this.refs);
    let template: LoadedTemplate | null = null;
    if (!ref) {
      this.missing.push(key);
    } else if (this.byDoc.has(ref.docId)) {
      template = this.byDoc.get(ref.docId)!;
    } else {
      template = this.fromCache(ref);
      if (!template) {
        const result = readTemplate(ref, this.share);
        this.errors.push(...result.errors);
        this.warnings.push(...result.warnings);
        template = result.template;
        if (template && this.cached) {
          this.cached[ref.docId] = { label: template.label, paragraphs: template.paragraphs, header: template.header, footer: template.footer };
          this.dirty = true;
        }
      }
      this.byDoc.set(ref.docId, template);
    }
    this.byKey.set(key, template);
    return template;
  }

  /** Keeps the templates read by this execution for the rest of the run (one cache write). */
  save(): void {
    if (!this.dirty || !this.runCacheKey || !this.cached) return;
    try {
      this.cache()?.put(this.runCacheKey, JSON.stringify(this.cached), 21600);
    } catch {
      /* too large or cache unavailable: later calls read the documents again */
    }
    this.dirty = false;
  }
}

/**
 * Reads every template the given letters need (each document once). `needed` holds
 * (letterId, language of the template) pairs, as the ledger records them.
 */
export function readTemplates(refs: readonly TemplateRef[], needed: Iterable<{ letterId: string; language: string }>): TemplateSet & { missing: string[] } {
  const reader = new TemplateReader(refs);
  const byKey = new Map<string, LoadedTemplate>();
  for (const n of needed) {
    const t = reader.get(n.letterId, n.language);
    if (t) byKey.set(templateKey(n.letterId, n.language), t);
  }
  return { byKey, errors: reader.errors, warnings: reader.warnings, missing: reader.missing };
}
