/**
 * Reads and writes a chunked record in document properties (src/core/chunkedRecord.ts explains the
 * layout). A save is all-or-nothing: chunks of a new generation first, then the pointer in one
 * setProperty; old chunks go only after the pointer moved. Size is checked before anything is
 * written: no value over 9 KB, the store under 500 KB with room for the new generation.
 */
import {
  PROPERTY_STORE_LIMIT_BYTES,
  decodeRecord,
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
export function writeRecord(props: Properties, name: string, text: string, budgetBytes: number, known?: ReadRecord): { pointer: ChunkPointer; rollback: () => void; cleanup: () => void } {
  const before = known ?? readRecord(props, name);
  const previousPointer = before.all[name] ?? null;
  const previousGeneration = before.decoded.state === 'ok' ? before.decoded.pointer.g : -1;
  const stale = staleChunkKeys(name, before.all, before.decoded.state === 'ok' ? before.decoded.pointer.g : null);
  const generation = Math.max(previousGeneration, ...stale.map((k) => Number(/\.g(\d+)\./.exec(k)?.[1] ?? 0))) + 1;
  const encoded = encodeRecord(name, generation, text);
  if (encoded.bytes > budgetBytes) {
    throw new RecordTooLargeError(`it would take ${Math.ceil(encoded.bytes / 1024)} KB and at most ${Math.floor(budgetBytes / 1024)} KB is kept for it`);
  }
  // The old generation stays until the pointer moves: both must fit at once.
  const staleBytes = storeBytes(Object.fromEntries(stale.map((k) => [k, before.all[k]])));
  if (storeBytes(before.all) - staleBytes + encoded.bytes > PROPERTY_STORE_LIMIT_BYTES) {
    throw new RecordTooLargeError(`the document's settings storage (500 KB) would be full`);
  }
  if (stale.length > 0) for (const k of stale) props.deleteProperty(k);
  props.setProperties(encoded.chunks);
  props.setProperty(name, encoded.pointerValue); // the commit
  const oldChunks = before.decoded.state === 'ok' ? Array.from({ length: before.decoded.pointer.n }, (_, i) => `${name}.g${previousGeneration}.${i}`) : [];
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
