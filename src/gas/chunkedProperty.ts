/**
 * The add-on's ONE chunked document-property store (src/core/chunkedRecord.ts explains the layout):
 * the staff record (staffStore.ts), the policy book (policyStore.ts) and the weekly report's
 * snapshots (weekly.ts) all go through here. A save is all-or-nothing: chunks of a new generation
 * first, then the pointer in one setProperty; old chunks (and keys of the formats used before this
 * store, read by decodeRecord) go only after the pointer moved. Size is checked in UTF-8 bytes of
 * key + value before anything is written: no chunk over 7 KB (Google's 9 KB per value, quotas page
 * https://developers.google.com/apps-script/guides/services/quotas), each record within its budget
 * (RECORD_BUDGETS) and the store under 500 KB with room for the new generation — else a sentence
 * saying so, and nothing written.
 */
import {
  PROPERTY_STORE_LIMIT_BYTES,
  RECORD_BUDGETS,
  decodeRecord,
  legacyKeysOf,
  encodeRecord,
  staleChunkKeys,
  storeBytes,
  type ChunkPointer,
  type DecodedRecord,
} from '../core/chunkedRecord';

type Properties = GoogleAppsScript.Properties.Properties;

export class RecordTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordTooLargeError';
  }
}

export interface ReadRecord {
  decoded: DecodedRecord;
  /** Everything in the store, as read (one getProperties). */
  all: Record<string, string>;
}

export function readRecord(props: Properties, name: string): ReadRecord {
  const all = props.getProperties();
  return { decoded: decodeRecord(name, all), all };
}

/**
 * Saves `text` as the record `name`. `budgetBytes` is the most this record may take (its share of
 * the 500 KB store). Returns the new pointer and a rollback that puts the previous one back (for a
 * caller whose next write failed). Throws RecordTooLargeError before writing anything when it does
 * not fit.
 */
export function writeRecord(props: Properties, name: keyof typeof RECORD_BUDGETS, text: string, known?: ReadRecord): { pointer: ChunkPointer; rollback: () => void; cleanup: () => void } {
  const budgetBytes = RECORD_BUDGETS[name];
  const before = known ?? readRecord(props, name);
  const previousPointer = before.all[name] ?? null;
  const previousGeneration = before.decoded.state === 'ok' ? before.decoded.pointer.g : -1;
  const stale = staleChunkKeys(name, before.all, before.decoded.state === 'ok' ? before.decoded.pointer.g : null);
  const generation = Math.max(previousGeneration, ...stale.map((k) => Number(/\.g(\d+)\./.exec(k)?.[1] ?? 0))) + 1;
  const encoded = encodeRecord(name, generation, text);
  if (encoded.bytes > budgetBytes) {
    throw new RecordTooLargeError(`it would take ${Math.ceil(encoded.bytes / 1024)} KB and at most ${Math.floor(budgetBytes / 1024)} KB of the spreadsheet's add-on storage is kept for it`);
  }
  // The old generation stays until the pointer moves: both must fit at once.
  const staleBytes = storeBytes(Object.fromEntries(stale.map((k) => [k, before.all[k]])));
  const after = storeBytes(before.all) - staleBytes + encoded.bytes;
  if (after > PROPERTY_STORE_LIMIT_BYTES) {
    throw new RecordTooLargeError(`Google keeps at most 500 KB of add-on data in one spreadsheet, and saving this would need ${Math.ceil(after / 1024)} KB`);
  }
  if (stale.length > 0) for (const k of stale) props.deleteProperty(k);
  props.setProperties(encoded.chunks);
  props.setProperty(name, encoded.pointerValue); // the commit
  const oldChunks = [
    ...(before.decoded.state === 'ok' && before.decoded.pointer.g >= 0 ? Array.from({ length: before.decoded.pointer.n }, (_, i) => `${name}.g${previousGeneration}.${i}`) : []),
    ...legacyKeysOf(name, before.all),
  ].filter((k) => k in before.all);
  return {
    pointer: encoded.pointer,
    rollback: () => {
      if (previousPointer === null) props.deleteProperty(name);
      else props.setProperty(name, previousPointer);
    },
    cleanup: () => {
      for (const k of oldChunks) props.deleteProperty(k);
    },
  };
}

/**
 * Saves `text` as the record `name` and drops the previous generation at once (for a caller with no
 * later write to undo). Throws RecordTooLargeError (a sentence) before writing anything when it
 * does not fit; a failure of Google's store leaves the previous record in force.
 */
export function saveRecord(props: Properties, name: keyof typeof RECORD_BUDGETS, text: string): void {
  writeRecord(props, name, text).cleanup();
}

/** The record's text, or null when none is stored; throws a sentence when it cannot be read. */
export function recordText(all: Record<string, string>, name: string): string | null {
  const decoded = decodeRecord(name, all);
  if (decoded.state === 'absent') return null;
  if (decoded.state === 'unreadable') throw new Error(`the stored copy is damaged (${decoded.reason})`);
  return decoded.text;
}
