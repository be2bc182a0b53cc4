/**
 * "People read words" (BRIEF; issue 14 point 5): what must never reach staff or families — an
 * internal identifier, an ISO date or timestamp, an ISO week, a raw fraction. findRawFormats lists
 * every such snippet in a text (with a few characters around it), so a failing test says where.
 */

export interface RawFormatRule {
  name: string;
  pattern: RegExp;
}

/** Raw formats: never in anything a person reads. */
export const FORMAT_RULES: readonly RawFormatRule[] = [
  { name: 'ISO timestamp', pattern: /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?/g },
  { name: 'ISO date', pattern: /\b\d{4}-\d{2}-\d{2}\b/g },
  { name: 'ISO week', pattern: /\b\d{4}-W\d{2}\b/g },
  { name: 'raw fraction', pattern: /(?<![\d.,])0\.\d{3,}(?![\d%])/g },
  { name: 'unrounded number', pattern: /(?<![\d.])\d+\.\d{5,}/g },
];

/** The add-on's own identifiers (letter, layout, preset ids, ledger keys, run ids, step 0, language codes). */
export const IDENTIFIER_RULES: readonly RawFormatRule[] = [
  { name: 'letter id', pattern: /\b(letter\d+|probation-warning|five-day|roe-\d)\b/g },
  { name: 'register layout id', pattern: /\b(sims-wide|arbor-long|powerschool-daily|generic-long)\b/g },
  { name: 'ledger key', pattern: /[^\s|]+\|[^\s|]+\|[^|\n]+\|[^\s|]+/g },
  { name: 'run id', pattern: /\brun-\d{8}-\d{4}-[0-9a-f]{4}\b/g },
  { name: 'preset id', pattern: /\b(uk-secondary-sol|us-illinois-elementary)\b/g },
  { name: 'ledger state name', pattern: /\b(toPrint|skipped)\b/g },
  { name: '"step 0"', pattern: /\bstep 0\b/gi },
  { name: 'language code', pattern: /(·|Language:|in) (en|es|fr|pl|pt|ar|ur|ro)\b(?![-\w])/g },
];

export interface RawFormatHit {
  rule: string;
  /** The match with up to 30 characters either side. */
  context: string;
}

export function findRawFormats(text: string, rules: readonly RawFormatRule[] = [...FORMAT_RULES, ...IDENTIFIER_RULES]): RawFormatHit[] {
  const hits: RawFormatHit[] = [];
  const s = String(text ?? '');
  for (const rule of rules) {
    for (const m of s.matchAll(new RegExp(rule.pattern.source, rule.pattern.flags))) {
      const at = m.index ?? 0;
      hits.push({ rule: rule.name, context: s.slice(Math.max(0, at - 30), at + m[0].length + 30) });
    }
  }
  return hits;
}

/** Every string inside a JSON-like value (RPC results), with its path, for scanning chosen fields. */
export function stringsOf(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsOf(v, path ? `${path}.${k}` : k));
  return [];
}
