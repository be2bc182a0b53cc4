/**
 * Body.replaceText semantics (D2.3, D2.4): the pattern is a regular expression applied to each
 * text block separately (RE2: no look-around, no back-references); the replacement follows Java
 * Matcher.appendReplacement: `$n` is a group reference, `\x` a literal x, and a `$` not followed by
 * a digit throws `Illegal group reference` (INF — unverified on live Apps Script).
 */
import { exception } from '../runtime/errors';

export function compileSearchPattern(pattern: string): RegExp {
  if (/\(\?<?[=!]/.test(pattern)) throw exception(`Invalid regular expression: look-around is not supported: ${pattern}`); // RE2 (INF text)
  if (/(^|[^\\])\\[1-9]/.test(pattern)) throw exception(`Invalid regular expression: back-references are not supported: ${pattern}`); // RE2 (INF text)
  try {
    return new RegExp(pattern, 'g');
  } catch (e) {
    throw exception(`Invalid regular expression: ${pattern}`); // INF text
  }
}

export type Part = { literal: string } | { group: number } | { name: string };

/** Parses a Java replacement string for a pattern with `groupCount` groups (lazily: only when a match exists). */
export function parseJavaReplacement(replacement: string, groupCount: number): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i];
    if (ch === '\\') {
      i++;
      if (i >= replacement.length) throw exception('character to be escaped is missing');
      lit += replacement[i];
    } else if (ch === '$') {
      i++;
      if (i >= replacement.length) throw exception('Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) throw exception("named capturing group is missing trailing '}'");
        if (lit) { parts.push({ literal: lit }); lit = ''; }
        parts.push({ name: replacement.slice(i + 1, end) });
        i = end;
        continue;
      }
      const first = replacement.charCodeAt(i) - 48;
      if (first < 0 || first > 9) throw exception('Illegal group reference');
      let ref = first;
      // Java takes further digits while the number still names an existing group
      while (i + 1 < replacement.length && /\d/.test(replacement[i + 1])) {
        const next = ref * 10 + (replacement.charCodeAt(i + 1) - 48);
        if (next > groupCount) break;
        ref = next;
        i++;
      }
      if (ref > groupCount) throw exception(`No group ${ref}`);
      if (lit) { parts.push({ literal: lit }); lit = ''; }
      parts.push({ group: ref });
    } else {
      lit += ch;
    }
  }
  if (lit) parts.push({ literal: lit });
  return parts;
}

export function groupCountOf(re: RegExp): number {
  return new RegExp(`${re.source}|`).exec('')!.length - 1;
}

/** Replaces every match in one text block. */
export function replaceInBlock(text: string, re: RegExp, replacement: string): string {
  re.lastIndex = 0;
  let parts: Part[] | null = null;
  return text.replace(re, (...args: unknown[]) => {
    const hasGroups = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
    const groupsObj = hasGroups ? (args[args.length - 1] as Record<string, string | undefined>) : {};
    const count = args.length - (hasGroups ? 4 : 3);
    parts ??= parseJavaReplacement(replacement, count);
    return parts
      .map((p) => ('literal' in p ? p.literal : 'group' in p ? ((args[p.group] as string | undefined) ?? '') : (groupsObj[p.name] ?? '')))
      .join('');
  });
}
