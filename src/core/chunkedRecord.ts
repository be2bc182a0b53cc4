/**
 * THE chunked document-property store of the add-on (one module: the staff record, the policy book
 * and the weekly report's snapshots all use it). A record too large for one property value, split
 * into chunks that each stay under Apps Script's per-value limit, with a pointer that makes a save
 * all-or-nothing. Sizes are UTF-8 BYTES of key + value (never characters: "é" is 2 bytes, "€" 3).
 *
 * Apps Script quotas (https://developers.google.com/apps-script/guides/services/quotas, "Properties
 * value size: 9 KB / val", "Properties total storage: 500 KB / property store"): 72 staff with real
 * addresses already serialise past 9 KB. So a record named N is stored as
 *
 *   N.g<generation>.<i>   chunk i of that generation (each at most CHUNK_BYTES UTF-8 bytes)
 *   N                     the pointer: {"g":generation,"n":chunks,"len":characters,"sum":checksum}
 *
 * A save writes the new generation's chunks first (new keys: nothing in force changes), then the
 * pointer in ONE setProperty — the commit. A fault before the pointer leaves the old record in
 * force; old chunks are deleted only after the pointer moved. A reader that finds a chunk missing or
 * the checksum wrong reports the record as unreadable rather than using half of it. Pure: the gas
 * layer (src/gas/chunkedProperty.ts) does the reads and writes.
 */

/** Apps Script's limit per property value (quotas page, above). */
export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
/** Apps Script's limit per property store (quotas page, above). */
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;
/**
 * Chunk size: under the documented 9 KB, and under what was measured on Google — a value of at most
 * 8,066 bytes with a 1-byte key, the key counting too (tanaikech, "Specification of
 * PropertiesService", 2023-05-22: https://gist.github.com/tanaikech/8b057d10fb5f2af014794e57b021c6aa).
 */
export const CHUNK_BYTES = 7 * 1024;

/**
 * What each record may take of the 500 KB store (quotas page, above), so that one record growing
 * can never crowd another out. The sum leaves room for the add-on's small single-value properties
 * (weekly state, installer, update stamps).
 */
export const RECORD_BUDGETS = {
  /** Staff list, roles and settings (src/core/staffRecord.ts). */
  'sol.config': 200 * 1024,
  /** The school's attendance policy and its versions (src/gas/policyStore.ts). */
  'sol.policyBook': 200 * 1024,
  /** The last two weekly reports' snapshots ("new since the previous report"). */
  'sol.weeklySnapshot.last': 30 * 1024,
  'sol.weeklySnapshot.before': 30 * 1024,
} as const;

/** UTF-8 length of a string (what the property limits count). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Splits text into pieces of at most maxBytes UTF-8 bytes, never inside a surrogate pair. */
export function chunkText(text: string, maxBytes = CHUNK_BYTES): string[] {
  const out: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) {
      out.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    if (pair) i++;
  }
  if (start < text.length || out.length === 0) out.push(text.slice(start));
  return out;
}

/** A 32-bit FNV-1a checksum of the text, as hex (detects a chunk from another generation). */
export function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export interface ChunkPointer {
  g: number;
  n: number;
  len: number;
  sum: string;
}

export function chunkKey(name: string, generation: number, index: number): string {
  return `${name}.g${generation}.${index}`;
}

/** Every key that belongs to the record `name` (its pointer and chunks of any generation). */
export function isChunkKeyOf(name: string, key: string): boolean {
  return key.startsWith(`${name}.g`) && /^\.g\d+\.\d+$/.test(key.slice(name.length));
}

export function parsePointer(value: string | null | undefined): ChunkPointer | null {
  if (!value) return null;
  try {
    const p = JSON.parse(value) as Partial<ChunkPointer>;
    if (typeof p.g === 'number' && typeof p.n === 'number' && typeof p.len === 'number' && typeof p.sum === 'string') return p as ChunkPointer;
  } catch {
    /* not a pointer */
  }
  return null;
}

export interface EncodedRecord {
  pointer: ChunkPointer;
  /** The pointer as it is stored (the commit write). */
  pointerValue: string;
  /** The chunks of the new generation, key → value. */
  chunks: Record<string, string>;
  /** UTF-8 bytes the new chunks and pointer take in the store (keys and values). */
  bytes: number;
}

export function encodeRecord(name: string, generation: number, text: string): EncodedRecord {
  // Key and value count together (measured on Google, above): the chunk's key is taken off its room.
  const parts = chunkText(text, CHUNK_BYTES - utf8Length(chunkKey(name, generation, 9999)));
  const chunks: Record<string, string> = {};
  let bytes = 0;
  parts.forEach((part, i) => {
    const key = chunkKey(name, generation, i);
    chunks[key] = part;
    bytes += utf8Length(key) + utf8Length(part);
  });
  const pointer: ChunkPointer = { g: generation, n: parts.length, len: text.length, sum: checksum(text) };
  const pointerValue = JSON.stringify(pointer);
  bytes += utf8Length(name) + utf8Length(pointerValue);
  return { pointer, pointerValue, chunks, bytes };
}

export type DecodedRecord = { state: 'absent' } | { state: 'ok'; text: string; pointer: ChunkPointer } | { state: 'unreadable'; reason: string };

/**
 * Formats written before the one store existed, still read (and replaced by the next save):
 *  - the policy book's head {"generation","parts","length"} over the same `N.g<g>.<i>` chunks
 *    (no checksum: the length is checked);
 *  - the weekly snapshot's `N.n` (a count) over `N.0`, `N.1`, … (8,000 characters each).
 */
function legacyPointer(raw: string): ChunkPointer | null {
  try {
    const h = JSON.parse(raw) as { generation?: unknown; parts?: unknown; length?: unknown };
    if (Number.isInteger(h.generation) && Number.isInteger(h.parts) && Number.isInteger(h.length)) return { g: h.generation as number, n: h.parts as number, len: h.length as number, sum: '' };
  } catch {
    /* not one */
  }
  return null;
}

/** Keys of the old counted format of `name` (`N.n`, `N.0`, `N.1`, …): deleted once the record is saved anew. */
export function legacyKeysOf(name: string, props: Readonly<Record<string, string>>): string[] {
  return Object.keys(props).filter((k) => k.startsWith(`${name}.`) && /^(n|\d+)$/.test(k.slice(name.length + 1)));
}

function decodeCounted(name: string, props: Readonly<Record<string, string>>): DecodedRecord {
  const count = Number(props[`${name}.n`]);
  if (!Number.isInteger(count) || count < 0 || count > 100) return { state: 'unreadable', reason: 'its part count is not valid' };
  let text = '';
  for (let i = 0; i < count; i++) {
    const part = props[`${name}.${i}`];
    if (part === undefined) return { state: 'unreadable', reason: `part ${i + 1} of ${count} is missing` };
    text += part;
  }
  if (count === 0) return { state: 'absent' };
  return { state: 'ok', text, pointer: { g: -1, n: count, len: text.length, sum: '' } };
}

/** The record's text from all the store's properties (one getProperties), or why it cannot be read. */
export function decodeRecord(name: string, props: Readonly<Record<string, string>>): DecodedRecord {
  const raw = props[name];
  if (raw === undefined || raw === null || raw === '') return props[`${name}.n`] !== undefined ? decodeCounted(name, props) : { state: 'absent' };
  const pointer = parsePointer(raw) ?? legacyPointer(raw);
  if (!pointer) return { state: 'unreadable', reason: 'its pointer is not valid' };
  let text = '';
  for (let i = 0; i < pointer.n; i++) {
    const part = props[chunkKey(name, pointer.g, i)];
    if (part === undefined) return { state: 'unreadable', reason: `part ${i + 1} of ${pointer.n} is missing` };
    text += part;
  }
  if (text.length !== pointer.len || (pointer.sum !== '' && checksum(text) !== pointer.sum)) return { state: 'unreadable', reason: 'its parts do not match their checksum' };
  return { state: 'ok', text, pointer };
}

/** UTF-8 bytes of a whole store (keys and values), as the 500 KB limit counts them. */
export function storeBytes(props: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const [k, v] of Object.entries(props)) n += utf8Length(k) + utf8Length(String(v));
  return n;
}

/** Keys of the record's chunks that are not the generation in force (left by an interrupted save). */
export function staleChunkKeys(name: string, props: Readonly<Record<string, string>>, keep: number | null): string[] {
  return Object.keys(props).filter((k) => isChunkKeyOf(name, k) && (keep === null || !k.startsWith(`${name}.g${keep}.`)));
}
