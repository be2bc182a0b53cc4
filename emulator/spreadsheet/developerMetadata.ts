/**
 * Developer metadata on the spreadsheet (Spreadsheet.addDeveloperMetadata / getDeveloperMetadata;
 * https://developers.google.com/apps-script/reference/spreadsheet/developer-metadata and the Sheets
 * API guide https://developers.google.com/sheets/api/guides/metadata). Key–value pairs stored IN the
 * file: every execution that can open the spreadsheet (openById from a trigger with no document
 * included) reads the same ones, and no one edits them from the grid. Only spreadsheet-level
 * metadata is modelled (no rows, columns or sheets; no finder).
 *
 * PROJECT visibility: "only visible to and accessible by the developer project that created the
 * metadata" (https://developers.google.com/apps-script/reference/spreadsheet/developer-metadata-visibility).
 * The emulator runs one project, so both visibilities are returned to it.
 */
import { exception, signatureError } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';

export type Visibility = 'DOCUMENT' | 'PROJECT';

export interface MetadataModel {
  id: number;
  key: string;
  value: string | null;
  visibility: Visibility;
  removed: boolean;
}

export class MetadataStore {
  items: MetadataModel[] = [];
  private nextId = 1_482_193;

  add(key: string, value: string | null, visibility: Visibility): MetadataModel {
    const m: MetadataModel = { id: this.nextId, key, value, visibility, removed: false };
    this.nextId += 7_907; // ids look random and positive (Sheets API: "randomly generated")
    this.items.push(m);
    return m;
  }
  remove(m: MetadataModel): void {
    m.removed = true;
    this.items = this.items.filter((x) => x !== m);
  }
}

export class DeveloperMetadata {
  constructor(private readonly runtime: Runtime, private readonly store: MetadataStore, private readonly m: MetadataModel) {}
  private g(method: string): void {
    this.runtime.gate(`SpreadsheetApp.DeveloperMetadata.${method}`);
    if (this.m.removed && method !== 'getId') throw exception('Requested entity was not found.'); // INF: the API's 404 text
  }
  getId(): number { this.g('getId'); return this.m.id; }
  getKey(): string { this.g('getKey'); return this.m.key; }
  /** "the value associated with this developer metadata, or null if this metadata has no value" */
  getValue(): string | null { this.g('getValue'); return this.m.value; }
  getVisibility(): Visibility { this.g('getVisibility'); return this.m.visibility; }
  setKey(key: string): DeveloperMetadata { this.g('setKey'); this.m.key = String(key); return this; }
  setValue(value: string): DeveloperMetadata { this.g('setValue'); this.m.value = String(value); return this; }
  setVisibility(v: Visibility): DeveloperMetadata { this.g('setVisibility'); this.m.visibility = checkVisibility(v); return this; }
  remove(): void { this.g('remove'); this.store.remove(this.m); }
  toString(): string { return 'DeveloperMetadata'; }
}

function checkVisibility(v: unknown): Visibility {
  const s = String(v);
  if (s !== 'DOCUMENT' && s !== 'PROJECT') throw exception(`Invalid argument: visibility`); // INF text
  return s;
}

/** Spreadsheet.addDeveloperMetadata(key[, value][, visibility]) — overloads per the reference. */
export function addMetadataArgs(args: unknown[]): { key: string; value: string | null; visibility: Visibility } {
  const [key, a, b] = args;
  if (typeof key !== 'string' || key === '') throw signatureError(args, 'SpreadsheetApp.Spreadsheet.addDeveloperMetadata');
  const isVis = (v: unknown) => v === 'DOCUMENT' || v === 'PROJECT';
  if (args.length === 1) return { key, value: null, visibility: 'DOCUMENT' };
  if (args.length === 2) return isVis(a) ? { key, value: null, visibility: a as Visibility } : { key, value: String(a), visibility: 'DOCUMENT' };
  return { key, value: String(a), visibility: checkVisibility(b) };
}
