/**
 * CacheService (C1.x): script/user/document caches on the modelled clock. Default expiry 600 s,
 * clamped to [1, 21600] s silently; 250-char keys; 100 KB values; above 1,000 items the 900
 * farthest from expiry are kept.
 */
import { utf8 } from '../utilities/blob';
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';

interface Entry {
  value: string;
  expiresAt: number;
}
type CacheMap = Map<string, Entry>;

export const CACHE_MAX_ITEMS = 1000;
export const CACHE_KEPT_ITEMS = 900;

export class Cache {
  constructor(private readonly runtime: Runtime, private readonly map: CacheMap) {}
  private g(m: string): void { this.runtime.gate(`CacheService.Cache.${m}`); }
  private now(): number { return this.runtime.clock.nowMs(); }
  private read(key: string): string | null {
    const e = this.map.get(key);
    if (!e) return null;
    if (e.expiresAt <= this.now()) {
      this.map.delete(key);
      return null;
    }
    return e.value;
  }
  private write(key: string, value: unknown, seconds?: number): void {
    const k = String(key);
    const v = String(value);
    if (k.length > 250) throw exception('Argument too large: key'); // C1.3 (INF exact)
    if (utf8(v).length > 100 * 1024) throw exception('Argument too large: value'); // C1.3 (INF exact)
    const secs = Math.min(21600, Math.max(1, seconds === undefined ? 600 : Number(seconds)));
    this.map.set(k, { value: v, expiresAt: this.now() + secs * 1000 });
    if (this.map.size > CACHE_MAX_ITEMS) {
      const keep = [...this.map.entries()].sort((a, b) => b[1].expiresAt - a[1].expiresAt).slice(0, CACHE_KEPT_ITEMS);
      this.map.clear();
      for (const [kk, e] of keep) this.map.set(kk, e);
    }
  }
  get(key: string): string | null { this.g('get'); return this.read(String(key)); }
  getAll(keys: string[]): Record<string, string> {
    this.g('getAll');
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = this.read(String(k));
      if (v !== null) out[k] = v;
    }
    return out;
  }
  put(key: string, value: unknown, expirationInSeconds?: number): void { this.g('put'); this.write(key, value, expirationInSeconds); }
  putAll(values: Record<string, unknown>, expirationInSeconds?: number): void {
    this.g('putAll');
    for (const [k, v] of Object.entries(values)) this.write(k, v, expirationInSeconds);
  }
  remove(key: string): void { this.g('remove'); this.map.delete(String(key)); }
  removeAll(keys: string[]): void { this.g('removeAll'); for (const k of keys) this.map.delete(String(k)); }
}

export class CacheStores {
  private readonly script: CacheMap = new Map();
  private readonly document: CacheMap | null;
  private readonly users = new Map<string, CacheMap>();
  constructor(private readonly runtime: Runtime, hasContainer: boolean) {
    this.document = hasContainer ? new Map() : null;
  }
  service() {
    const runtime = this.runtime;
    const g = (m: string) => runtime.gate(`CacheService.${m}`);
    return {
      getScriptCache: () => { g('getScriptCache'); return new Cache(runtime, this.script); },
      getUserCache: () => {
        g('getUserCache');
        const e = runtime.current;
        const who = e ? e.effectiveUser || e.user : runtime.owner;
        let m = this.users.get(who);
        if (!m) this.users.set(who, (m = new Map()));
        return new Cache(runtime, m);
      },
      getDocumentCache: () => { g('getDocumentCache'); return this.document && runtime.hasDocument() ? new Cache(runtime, this.document) : null; },
    };
  }
}
