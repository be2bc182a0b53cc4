/// <reference lib="dom" />
/**
 * Small DOM helpers. Everything the server sends is text and is inserted as text (textContent /
 * text nodes): a student called `<img src=x onerror=alert(1)>` is shown, not run.
 */
import { formatSchoolDate, formatSchoolTimestamp, type SchoolDateFormat } from '../src/core/format/dates';

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

/** Properties that must be set as properties (the attribute is only the initial value). */
const PROPS = new Set(['value', 'checked', 'selected', 'indeterminate']);

/** Builds an element: h('button', { class: 'primary', onclick: fn }, 'Send'). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (PROPS.has(key)) (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

let idCounter = 0;
/** A page-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

export type StatusKind = 'info' | 'success' | 'error';

/** Writes a message to the page's aria-live status region (screen readers announce it). */
export function announce(message: string, kind: StatusKind = 'info'): void {
  const region = document.getElementById('status');
  if (!region) return;
  // The region stays in the page (never hidden) so screen readers track it; CSS collapses it when empty.
  region.className = `status status-${kind}`;
  replace(region);
  region.appendChild(document.createTextNode(message));
}

export function clearStatus(): void {
  const region = document.getElementById('status');
  if (!region) return;
  region.className = 'status';
  replace(region);
}

/** Shows an error from call() (already in plain words) in the status region. */
export function showError(err: unknown): void {
  announce(err instanceof Error ? err.message : String(err), 'error');
}

/**
 * Runs an action with its button disabled and aria-busy set, reporting failures in plain words.
 * Returns the action's result, or undefined when it failed.
 */
export async function busy<T>(button: HTMLButtonElement | null, action: () => Promise<T>): Promise<T | undefined> {
  if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
  try {
    return await action();
  } catch (err) {
    showError(err);
    return undefined;
  } finally {
    if (button) { button.disabled = false; button.removeAttribute('aria-busy'); }
  }
}

/** A labelled form field: <div class=field><label for>…</label>control<p class=error></p></div>. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLDivElement {
  if (!control.id) control.id = uid('f');
  const errorId = `${control.id}-error`;
  const hintId = hint ? `${control.id}-hint` : '';
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field' },
    h('label', { for: control.id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** Shows (or with null clears) a validation message next to a control made by field(). */
export function setFieldError(control: HTMLElement, message: string | null): void {
  const error = document.getElementById(`${control.id}-error`);
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  if (!error) return;
  replace(error, message ?? '');
  error.hidden = !message;
}

export function select(options: readonly (string | { value: string; label: string })[], attrs?: Attrs): HTMLSelectElement {
  return h('select', attrs ?? null, options.map((o) => {
    const { value, label } = typeof o === 'string' ? { value: o, label: o } : o;
    return h('option', { value }, label);
  }));
}

export function button(label: string, onclick: (event: Event) => void, attrs: Attrs = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: 'secondary', ...attrs, onclick }, label);
}

let schoolDateFormat: SchoolDateFormat = 'dd/MM/yyyy';

/** The school's date format from the bootstrap (dd/MM/yyyy UK, MM/dd/yyyy US). */
export function setDateFormat(format: SchoolDateFormat): void {
  schoolDateFormat = format === 'MM/dd/yyyy' ? 'MM/dd/yyyy' : 'dd/MM/yyyy';
}

/** 'yyyy-MM-dd' → '14/03/2025' in the school's format (src/core/format: one rule for every output). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return formatSchoolDate(iso, schoolDateFormat);
}

/** A school-zone timestamp 'yyyy-MM-ddTHH:mm:ss' → '14/03/2025 08:15'. */
export function formatStamp(stamp: string | null | undefined): string {
  if (!stamp) return '—';
  return formatSchoolTimestamp(stamp, schoolDateFormat);
}

/** A tel: URL from a phone number as typed in a sheet, or null when it has no digits. */
export function telHref(phone: string): string | null {
  const cleaned = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return /\d{3,}/.test(cleaned) ? `tel:${cleaned}` : null;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
