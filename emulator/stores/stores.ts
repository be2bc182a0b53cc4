/**
 * PropertiesService (P1.x): script, per-user and per-document stores of strings. Values are
 * String(v); missing keys read null; 9 KB per value and 500 KB per store (key + value UTF-8 bytes);
 * a failed write leaves the store unchanged.
 *
 * Limits as documented on the quotas page (https://developers.google.com/apps-script/guides/services/quotas:
 * "Properties value size 9 KB / val", "Properties total storage 500 KB / property store"). Measured on
 * Google, the usable value is smaller (8,066 bytes with a 1-byte key; key and value count together:
 * https://gist.github.com/tanaikech/8b057d10fb5f2af014794e57b021c6aa, 2023-05-22): code that stays under
 * 7 KB per value is safe on both.
 */
import { utf8 } from '../utilities/blob';
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';

export const PROPERTY_VALUE_MAX_BYTES = 9 * 1024;
export const PROPERTY_STORE_MAX_BYTES = 500 * 1024;
export const STORE_FULL_MESSAGE = 'You have exceeded the property storage quota. Please remove some properties and try again.';
/** P1.4: per-value overflow text is INF. */
export const VALUE_TOO_LARGE_MESSAGE = 'Argument too large: value';

export type PropertyMap = Map<string, string>;

function sizeOf(map: PropertyMap): number {
  let n = 0;
  for (const [k, v] of map) n += utf8(k).length + utf8(v).length;
  return n;
}

export class Properties {
  constructor(private readonly runtime: Runtime, private readonly map: PropertyMap) {}
  private g(m: string): void { this.runtime.gate(`PropertiesService.Properties.${m}`); }

  /** Validates and applies a change atomically. */
  private commit(next: PropertyMap): void {
    for (const v of next.values()) if (utf8(v).length > PROPERTY_VALUE_MAX_BYTES) throw exception(VALUE_TOO_LARGE_MESSAGE);
    if (sizeOf(next) > PROPERTY_STORE_MAX_BYTES) throw exception(STORE_FULL_MESSAGE);
    this.map.clear();
    for (const [k, v] of next) this.map.set(k, v);
  }
  getProperty(key: string): string | null {
    this.g('getProperty');
    return this.map.get(String(key)) ?? null;
  }
  getProperties(): Record<string, string> {
    this.g('getProperties');
    return Object.fromEntries(this.map);
  }
  getKeys(): string[] {
    this.g('getKeys');
    return [...this.map.keys()];
  }
  setProperty(key: string, value: unknown): this {
    this.g('setProperty');
    const next = new Map(this.map);
    next.set(String(key), String(value));
    this.commit(next);
    return this;
  }
  setProperties(props: Record<string, unknown>, deleteAllOthers = false): this {
    this.g('setProperties');
    const next: PropertyMap = deleteAllOthers ? new Map() : new Map(this.map);
    for (const [k, v] of Object.entries(props ?? {})) next.set(k, String(v));
    this.commit(next);
    return this;
  }
  deleteProperty(key: string): this {
    this.g('deleteProperty');
    this.map.delete(String(key));
    return this;
  }
  deleteAllProperties(): this {
    this.g('deleteAllProperties');
    this.map.clear();
    return this;
  }
}

export class PropertyStores {
  readonly script: PropertyMap = new Map();
  readonly document: PropertyMap | null;
  private readonly users = new Map<string, PropertyMap>();
  constructor(private readonly runtime: Runtime, hasContainer: boolean) {
    this.document = hasContainer ? new Map() : null;
  }
  user(email: string): PropertyMap {
    let m = this.users.get(email);
    if (!m) {
      m = new Map();
      this.users.set(email, m);
    }
    return m;
  }

  service() {
    const runtime = this.runtime;
    const g = (m: string) => runtime.gate(`PropertiesService.${m}`);
    return {
      getScriptProperties: () => { g('getScriptProperties'); return new Properties(runtime, this.script); },
      /** S9.6: in a custom function the owner's store. */
      getUserProperties: () => {
        g('getUserProperties');
        const e = runtime.current;
        const who = !e || e.kind === 'customFunction' ? runtime.owner : e.effectiveUser || e.user;
        return new Properties(runtime, this.user(who));
      },
      /** P1.1: null without a containing document. */
      getDocumentProperties: () => { g('getDocumentProperties'); return this.document && runtime.hasDocument() ? new Properties(runtime, this.document) : null; },
    };
  }
}
