/**
 * HtmlService (H1.x): outputs, project .html files, templates with <? ?>, <?= ?> (HTML-escaped) and
 * <?!= ?> (raw) scriptlets. Template code runs in the execution's global scope, so it can call the
 * project's functions (the include() idiom).
 */
import { Blob, utf8 } from '../utilities/blob';
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';

export interface HtmlProject {
  files: Map<string, string>;
  /** Compiles a function expression in the running execution's global scope. */
  compile(source: string): (...args: unknown[]) => unknown;
}

export const XFrameOptionsMode = { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' } as const;
export const SandboxMode = { EMULATED: 'EMULATED', IFRAME: 'IFRAME', NATIVE: 'NATIVE' } as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export class HtmlOutput {
  private title = '';
  private width: number | null = null;
  private height: number | null = null;
  private metaTags: Array<{ name: string; content: string }> = [];
  xFrameOptionsMode: string = 'DEFAULT';
  constructor(private readonly runtime: Runtime, private content: string) {}
  private g(m: string): void { this.runtime.gate(`HtmlService.HtmlOutput.${m}`); }
  getContent(): string { this.g('getContent'); return this.content; }
  setContent(c: string): this { this.g('setContent'); this.content = String(c); return this; }
  append(html: string): this { this.g('append'); this.content += String(html); return this; }
  appendUntrusted(text: string): this { this.g('appendUntrusted'); this.content += escapeHtml(String(text)); return this; }
  clear(): this { this.g('clear'); this.content = ''; return this; }
  getTitle(): string { this.g('getTitle'); return this.title; }
  setTitle(t: string): this { this.g('setTitle'); this.title = String(t); return this; }
  getWidth(): number | null { this.g('getWidth'); return this.width; }
  setWidth(w: number): this { this.g('setWidth'); this.width = w; return this; }
  getHeight(): number | null { this.g('getHeight'); return this.height; }
  setHeight(h: number): this { this.g('setHeight'); this.height = h; return this; }
  setXFrameOptionsMode(mode: string): this { this.g('setXFrameOptionsMode'); this.xFrameOptionsMode = String(mode); return this; }
  setSandboxMode(_m: string): this { this.g('setSandboxMode'); return this; }
  setFaviconUrl(_u: string): this { this.g('setFaviconUrl'); return this; }
  addMetaTag(name: string, content: string): this { this.g('addMetaTag'); this.metaTags.push({ name, content }); return this; }
  getMetaTags(): Array<{ getName(): string; getContent(): string }> {
    this.g('getMetaTags');
    return this.metaTags.map((m) => ({ getName: () => m.name, getContent: () => m.content }));
  }
  getBlob(): Blob { this.g('getBlob'); return new Blob(this.runtime, utf8(this.content), 'text/html', null); }
  getAs(type: string): Blob { this.g('getAs'); return this.getBlob().getAs(type); }
}

export class HtmlTemplate {
  [prop: string]: unknown;
  constructor(private readonly runtime: Runtime, private readonly project: HtmlProject, private readonly raw: string) {}
  getRawContent(): string { this.runtime.gate('HtmlService.HtmlTemplate.getRawContent'); return this.raw; }
  getCode(): string { this.runtime.gate('HtmlService.HtmlTemplate.getCode'); return templateCode(this.raw); }
  getCodeWithComments(): string { this.runtime.gate('HtmlService.HtmlTemplate.getCodeWithComments'); return templateCode(this.raw); }
  /** H1.4: properties set on the template are in scope. */
  evaluate(): HtmlOutput {
    this.runtime.gate('HtmlService.HtmlTemplate.evaluate');
    const data: Record<string, unknown> = {};
    for (const key of Object.keys(this)) if (!['runtime', 'project', 'raw'].includes(key)) data[key] = this[key];
    const fn = this.project.compile(`(function (__data, __esc, __str) { var __o = []; with (__data) {\n${templateCode(this.raw)}\n} return __o.join(''); })`);
    const html = fn(data, (v: unknown) => escapeHtml(v == null ? '' : String(v)), (v: unknown) => (v == null ? '' : String(v))) as string;
    return new HtmlOutput(this.runtime, html);
  }
}

/** Translates scriptlets to JavaScript that pushes to __o. */
export function templateCode(raw: string): string {
  const out: string[] = [];
  const re = /<\?(!=|=)?([\s\S]*?)\?>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    if (m.index > last) out.push(`__o.push(${JSON.stringify(raw.slice(last, m.index))});`);
    const body = m[2].trim().replace(/;+\s*$/, '');
    if (m[1] === '=') out.push(`__o.push(__esc(${body}));`);
    else if (m[1] === '!=') out.push(`__o.push(__str(${body}));`);
    else out.push(m[2]);
    last = re.lastIndex;
  }
  if (last < raw.length) out.push(`__o.push(${JSON.stringify(raw.slice(last))});`);
  return out.join('\n');
}

export function createHtmlService(runtime: Runtime, project: HtmlProject) {
  const g = (m: string) => runtime.gate(`HtmlService.${m}`);
  const fileContent = (filename: string): string => {
    const name = String(filename).replace(/\.html$/, '');
    const content = project.files.get(name);
    if (content === undefined) throw exception(`No HTML file named ${name} was found.`); // H1.1 (INF exact)
    return content;
  };
  const textOf = (x: unknown): string => (x instanceof Blob ? x.getDataAsString() : x === undefined ? '' : String(x));
  return {
    XFrameOptionsMode,
    SandboxMode,
    createHtmlOutput(html?: string | Blob): HtmlOutput { g('createHtmlOutput'); return new HtmlOutput(runtime, textOf(html)); },
    createHtmlOutputFromFile(filename: string): HtmlOutput { g('createHtmlOutputFromFile'); return new HtmlOutput(runtime, fileContent(filename)); },
    createTemplate(html: string | Blob): HtmlTemplate { g('createTemplate'); return new HtmlTemplate(runtime, project, textOf(html)); },
    createTemplateFromFile(filename: string): HtmlTemplate { g('createTemplateFromFile'); return new HtmlTemplate(runtime, project, fileContent(filename)); },
  };
}
