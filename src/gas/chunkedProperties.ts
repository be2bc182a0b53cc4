/**
 * One long text in document properties, split under the 9 KB per-value limit (semantics P1.4) and
 * never half-saved: the parts go under a new generation's keys in one setProperties, then the head
 * key (which names the generation, its part count and length) switches to them in one setProperty,
 * then the old generation's parts are deleted. A crash before the switch leaves the old text in
 * force; after it, only unused parts are left behind (removed by the next write).
 *
 * Written for the policy book (issue 15). Helper i12's settings/roles storage had not landed when
 * this was written; if a shared chunked store lands, this should move onto it.
 */
type Properties = GoogleAppsScript.Properties.Properties;

/**
 * Characters per part. A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4
 * bytes), so 2,300 characters are at most 6,900 bytes: under the documented 9 KB and under what was
 * measured on Google — at most 8,066 bytes of key and value together (tanaikech, "Specification of
 * PropertiesService", 2023-05-22: https://gist.github.com/tanaikech/8b057d10fb5f2af014794e57b021c6aa,
 * the source helper i12 cites for its 7 KB chunks).
 */
export const PART_CHARS = 2300;

interface Head {
  generation: number;
  parts: number;
  length: number;
}

function partKey(key: string, generation: number, i: number): string {
  return `${key}.g${generation}.${i}`;
}

function readHead(all: Record<string, string>, key: string): Head | null {
  const raw = all[key];
  if (raw === undefined || raw === null) return null;
  try {
    const head = JSON.parse(raw) as Head;
    if (Number.isInteger(head.generation) && Number.isInteger(head.parts) && Number.isInteger(head.length)) return head;
  } catch {
    /* fall through */
  }
  throw new Error(`The stored value "${key}" is damaged (its head is not readable).`);
}

/** The text stored under `key`, or null when there is none. Throws when parts are missing. */
export function readChunked(all: Record<string, string>, key: string): string | null {
  const head = readHead(all, key);
  if (!head) return null;
  let text = '';
  for (let i = 0; i < head.parts; i++) {
    const part = all[partKey(key, head.generation, i)];
    if (typeof part !== 'string') throw new Error(`The stored value "${key}" is damaged (part ${i + 1} of ${head.parts} is missing).`);
    text += part;
  }
  if (text.length !== head.length) throw new Error(`The stored value "${key}" is damaged (its length does not match).`);
  return text;
}

/** Stores `text` under `key` (see the file comment for why it is never half-saved). */
export function writeChunked(props: Properties, key: string, text: string): void {
  const all = props.getProperties();
  let head: Head | null = null;
  try {
    head = readHead(all, key);
  } catch {
    head = null;
  }
  const generation = (head?.generation ?? 0) + 1;
  const parts: Record<string, string> = {};
  let count = 0;
  let at = 0;
  do {
    let end = Math.min(text.length, at + PART_CHARS);
    // Never split a surrogate pair across two parts.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
    parts[partKey(key, generation, count)] = text.slice(at, end);
    count++;
    at = end;
  } while (at < text.length);
  props.setProperties(parts);
  props.setProperty(key, JSON.stringify({ generation, parts: count, length: text.length }));
  const prefix = `${key}.g`;
  for (const k of Object.keys(all)) {
    if (k.startsWith(prefix) && !Object.prototype.hasOwnProperty.call(parts, k)) props.deleteProperty(k);
  }
}
