/**
 * The replaceText calls that fill a copied letter template (Body/HeaderSection/FooterSection.
 * replaceText, semantics D2.3/D2.4): each keeps the formatting of the placeholder it replaces, so a
 * bold {{Student name}} becomes a bold name, in the body, the header, the footer and table cells.
 *
 * Values land literally: the field name is escaped for RE2, the value for Java's replacement
 * syntax (`$` and `\`). Separate calls are order-dependent when a value itself contains a
 * placeholder ("{{Date}}" typed as a name would be filled by the later {{Date}} call), so when any
 * value contains "{{" the placeholders are first replaced by private-use markers (U+E000 n U+E001,
 * characters no value can hold: they are removed from values) and the markers then by the values —
 * no value is ever searched again.
 */
import { replaceTextCall, escapeRe2 } from './render';

export interface ReplaceStep {
  pattern: string;
  replacement: string;
}

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const PRIVATE_USE = /[\uE000-\uF8FF]/g;

/** A value as it may go into a document: one line (a line break would split the paragraph), no private-use marks. */
export function documentValue(value: string): string {
  return String(value).replace(/[\r\n\u2028\u2029]+/g, ' ').replace(PRIVATE_USE, '');
}

/** The calls, in order, to fill `fields` (each used by the template) with their values. */
export function replaceSteps(fields: readonly string[], values: Readonly<Record<string, string>>): ReplaceStep[] {
  const used = [...new Set(fields)];
  const clean = new Map(used.map((f) => [f, documentValue(values[f] ?? '')]));
  const twoPhase = used.some((f) => clean.get(f)!.includes('{{'));
  if (!twoPhase) return used.map((f) => replaceTextCall(f, clean.get(f)!));
  const mark = (i: number) => `${MARK_OPEN}${i}${MARK_CLOSE}`;
  return [
    ...used.map((f, i) => ({ pattern: replaceTextCall(f, '').pattern, replacement: mark(i) })),
    ...used.map((f, i) => ({ pattern: escapeRe2(mark(i)), replacement: replaceTextCall(f, clean.get(f)!).replacement })),
  ];
}
