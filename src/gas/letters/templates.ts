/**
 * Letter templates: each Google Doc named in Settings → Templates is read ONCE per execution
 * (openById, then the body's text in one getText call) and validated before anything is sent.
 *
 * Letters are built from the template's paragraphs as plain text (one Body.setText per letter, see
 * letterDoc.ts): that keeps a letter at a fixed, small number of Docs calls whatever its length.
 * Paragraph styles and inline formatting of the template are not carried over; a table cannot be,
 * so a template with a table is reported instead of being silently flattened.
 */
import { fieldsUsed, templateFor, validateTemplate, normaliseLanguage, type TemplateProblem } from '../../core/letters';
import type { TemplateRef } from '../../core/settings';

export interface LoadedTemplate {
  ref: TemplateRef;
  /** How the template is named in messages: '“Letter 1 (EN)” (letter1, en)'. */
  label: string;
  /** Paragraph texts in body.getParagraphs() order. */
  paragraphs: string[];
  /** Merge fields the template uses. */
  fields: string[];
}

export interface TemplateSet {
  /** By `${letterId}|${language}` of the template (after fallback). */
  byKey: Map<string, LoadedTemplate>;
  /** Blocking problems, one sentence each, naming the template and paragraph. */
  errors: string[];
  warnings: string[];
}

export function templateKey(letterId: string, language: string): string {
  return `${letterId}|${normaliseLanguage(language)}`;
}

/** The template ref a letter in `language` uses (the family's language, else English), or null. */
export function chooseTemplate(letterId: string, language: string, refs: readonly TemplateRef[]): TemplateRef | null {
  return templateFor(letterId, language, refs)?.template ?? null;
}

function describe(p: TemplateProblem, label: string): string {
  const where = p.paragraph > 0 ? `paragraph ${p.paragraph}` : 'the whole template';
  return `Template ${label}, ${where}: ${p.message}`;
}

/** Reads one template document (6 calls) and validates it. */
export function readTemplate(ref: TemplateRef): { template: LoadedTemplate | null; errors: string[]; warnings: string[] } {
  const id = `(${ref.letterId}, ${ref.language}, document ${ref.docId})`;
  let doc: GoogleAppsScript.Document.Document;
  try {
    doc = DocumentApp.openById(ref.docId);
  } catch (e) {
    return { template: null, errors: [`Template ${id} could not be opened: ${(e as Error).message}. Check the Document ID in Settings → Templates and that you can open it.`], warnings: [] };
  }
  const label = `“${doc.getName()}” (${ref.letterId}, ${ref.language})`;
  const body = doc.getBody();
  const text = body.getText();
  const paragraphCount = body.getParagraphs().length;
  const children = body.getNumChildren();
  const paragraphs = text.split('\n');
  const errors: string[] = [];
  if (children !== paragraphCount) {
    errors.push(`Template ${label} contains a table or another element that is not a paragraph; letters are built from paragraphs only. Write that part as ordinary paragraphs.`);
  } else if (paragraphs.length !== paragraphCount) {
    errors.push(`Template ${label}: its text has ${paragraphs.length} lines but ${paragraphCount} paragraphs (a line break inside a paragraph?). Use one paragraph per line.`);
  }
  if (paragraphs.every((p) => p.trim() === '')) errors.push(`Template ${label} is empty.`);
  const problems = validateTemplate({ name: label, paragraphs });
  for (const p of problems) if (p.level === 'error') errors.push(describe(p, label));
  const warnings = problems.filter((p) => p.level === 'warning').map((p) => describe(p, label));
  const template: LoadedTemplate = { ref, label, paragraphs, fields: fieldsUsed(paragraphs) };
  return { template: errors.length ? null : template, errors, warnings };
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
  private cached: Record<string, { label: string; paragraphs: string[] }> | null = null;
  private dirty = false;

  /**
   * runCacheKey: templates read (and found valid) by an earlier execution of the same run are
   * taken from the document cache, so a run reads each template once and every letter of the
   * run uses the version checked when it started. A cache miss just reads the document again.
   */
  constructor(private readonly refs: readonly TemplateRef[], private readonly runCacheKey: string | null = null) {}

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
        this.cached = raw ? (JSON.parse(raw) as Record<string, { label: string; paragraphs: string[] }>) : {};
      } catch {
        this.cached = {};
      }
    }
    const hit = this.cached[ref.docId];
    return hit ? { ref, label: hit.label, paragraphs: hit.paragraphs, fields: fieldsUsed(hit.paragraphs) } : null;
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
        const result = readTemplate(ref);
        this.errors.push(...result.errors);
        this.warnings.push(...result.warnings);
        template = result.template;
        if (template && this.cached) {
          this.cached[ref.docId] = { label: template.label, paragraphs: template.paragraphs };
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
