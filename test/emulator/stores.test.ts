/** Conformance: PropertiesService, CacheService, LockService, Session (§6). */
import { emulatorWith, thrown } from './helpers';

const code = `
  function set(store, k, v) { PropertiesService[store]().setProperty(k, v); }
  function get(store, k) { return PropertiesService[store]().getProperty(k); }
  function setMany(obj, del) { PropertiesService.getScriptProperties().setProperties(obj, del); return PropertiesService.getScriptProperties().getKeys().sort(); }
  function cachePut(k, v, s) { CacheService.getScriptCache().put(k, v, s); }
  function cacheGet(k) { return CacheService.getScriptCache().get(k); }
  function cacheAll(keys) { return CacheService.getScriptCache().getAll(keys); }
  function tryDoc(ms) { return LockService.getDocumentLock().tryLock(ms); }
  function waitDoc(ms) { LockService.getDocumentLock().waitLock(ms); return LockService.getDocumentLock().hasLock(); }
  function relock() { var l = LockService.getScriptLock(); var a = l.tryLock(0); var b = l.tryLock(0); l.releaseLock(); return [a, b, l.hasLock()]; }
  function who() { return [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail(), Session.getScriptTimeZone(), Session.getActiveUserLocale()]; }
`;

describe('P1 PropertiesService', () => {
  test('P1.2/P1.3 values are stored as strings; a missing key reads null', () => {
    const emu = emulatorWith(code);
    emu.run('set', ['getScriptProperties', 'n', 5]);
    emu.run('set', ['getScriptProperties', 'o', { a: 1 }]);
    expect(emu.run('get', ['getScriptProperties', 'n'])).toBe('5');
    expect(emu.run('get', ['getScriptProperties', 'o'])).toBe('[object Object]');
    expect(emu.run('get', ['getScriptProperties', 'missing'])).toBeNull();
  });
  test('P1.1 user stores are per user; the document store is shared', () => {
    const emu = emulatorWith(code, { users: ['a@s.example', 'b@s.example'] });
    emu.run('set', ['getUserProperties', 'k', 'a'], { user: 'a@s.example' });
    emu.run('set', ['getDocumentProperties', 'k', 'doc'], { user: 'a@s.example' });
    expect(emu.run('get', ['getUserProperties', 'k'], { user: 'b@s.example' })).toBeNull();
    expect(emu.run('get', ['getDocumentProperties', 'k'], { user: 'b@s.example' })).toBe('doc');
    expect(emu.properties.user('a@s.example')).toEqual({ k: 'a' });
  });
  test('P1.3 setProperties(obj, deleteAllOthers)', () => {
    const emu = emulatorWith(code);
    expect(emu.run('setMany', [{ a: 1, b: 2 }, false])).toEqual(['a', 'b']);
    expect(emu.run('setMany', [{ c: 3 }, true])).toEqual(['c']);
  });
  test('P1.4 a value over 9 KB is refused (INF text) and the store is unchanged', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('set', ['getScriptProperties', 'big', 'x'.repeat(9 * 1024 + 1)])).message).toBe('Argument too large: value');
    expect(emu.properties.script()).toEqual({});
    emu.run('set', ['getScriptProperties', 'ok', 'x'.repeat(9 * 1024)]);
  });
  test('P1.4 more than 500 KB in a store → "You have exceeded the property storage quota…"', () => {
    const emu = emulatorWith(code);
    const v = 'x'.repeat(9000);
    for (let i = 0; i < 56; i++) emu.run('set', ['getScriptProperties', `k${i}`, v]);
    expect(thrown(() => emu.run('set', ['getScriptProperties', 'k57', v])).message).toBe('You have exceeded the property storage quota. Please remove some properties and try again.');
    expect(Object.keys(emu.properties.script())).toHaveLength(56);
  });
});

// Google's limits, quotas page (https://developers.google.com/apps-script/guides/services/quotas):
// "Properties value size 9 KB / val", "Properties total storage 500 KB / property store". Sizes are
// bytes, so they are counted in UTF-8, and the store's total counts keys as well as values
// (measured: https://gist.github.com/tanaikech/8b057d10fb5f2af014794e57b021c6aa, 2023-05-22).
describe('P1.4 the limits count UTF-8 bytes, not characters', () => {
  test('9 KB per value: 3,072 "€" (9,216 bytes) is stored, 3,073 (9,219 bytes, far fewer than 9,216 characters) is refused', () => {
    const emu = emulatorWith(code);
    emu.run('set', ['getDocumentProperties', 'ok', '€'.repeat(3072)]);
    expect(thrown(() => emu.run('set', ['getDocumentProperties', 'big', '€'.repeat(3073)])).message).toBe('Argument too large: value');
    expect(thrown(() => emu.run('setMany', [{ a: 'x', big: 'é'.repeat(4700) }, false])).message).toBe('Argument too large: value');
    expect(Object.keys(emu.properties.script())).toEqual([]); // setProperties is all or nothing
  });
  test('500 KB per store counts keys with values, in bytes', () => {
    const emu = emulatorWith(code);
    // 50 values of 3,000 "€" (9,000 bytes) with 1,000-byte keys: 500,000 bytes of values+keys.
    for (let i = 0; i < 50; i++) emu.run('set', ['getDocumentProperties', `${String(i).padStart(3, '0')}${'k'.repeat(997)}`, '€'.repeat(3000)]);
    // 12,000 bytes are left (512,000 - 500,000): a 9,000-byte value with a 3,001-byte key does not fit; a 3,000-byte key does.
    expect(thrown(() => emu.run('set', ['getDocumentProperties', 'K'.repeat(3001), '€'.repeat(3000)])).message).toBe('You have exceeded the property storage quota. Please remove some properties and try again.');
    emu.run('set', ['getDocumentProperties', 'K'.repeat(3000), '€'.repeat(3000)]);
    expect(Object.keys(emu.properties.document())).toHaveLength(51);
  });
});

describe('C1 CacheService', () => {
  test('C1.2/C1.3 null on a miss; default 600 s expiry on the modelled clock; getAll returns only found keys', () => {
    const emu = emulatorWith(code);
    emu.run('cachePut', ['a', 1]);
    expect(emu.run('cacheGet', ['a'])).toBe('1');
    expect(emu.run('cacheAll', [['a', 'missing']])).toEqual({ a: '1' });
    emu.clock.advance(601_000);
    expect(emu.run('cacheGet', ['a'])).toBeNull();
  });
  test('C1.3 expirations above 21600 s are clamped silently', () => {
    const emu = emulatorWith(code);
    emu.run('cachePut', ['a', 'v', 999999]);
    emu.clock.advance(21_599_000);
    expect(emu.run('cacheGet', ['a'])).toBe('v');
    emu.clock.advance(2000);
    expect(emu.run('cacheGet', ['a'])).toBeNull();
  });
});

describe('L1 LockService', () => {
  test('L1.2 tryLock returns false when another process holds the lock past the timeout; waitLock throws the exact text', () => {
    const emu = emulatorWith(code);
    emu.lock.holdDocumentLockElsewhere(60_000);
    expect(emu.run('tryDoc', [1000])).toBe(false);
    expect(thrown(() => emu.run('waitDoc', [5000])).message).toBe('Lock timeout: another process was holding the lock for too long.');
  });
  test('L1.3 waiting does not sleep: the modelled clock advances by the wait', () => {
    const emu = emulatorWith(code);
    emu.lock.holdDocumentLockElsewhere(3000);
    const t0 = emu.clock.now().getTime();
    expect(emu.run('waitDoc', [10_000])).toBe(true);
    expect(emu.clock.now().getTime() - t0).toBeGreaterThanOrEqual(3000);
    emu.lock.holdDocumentLockElsewhere(60_000);
    emu.lock.releaseElsewhere();
    expect(emu.run('tryDoc', [0])).toBe(true);
  });
  test('L1.2 tryLock on a held lock has no effect (true); releaseLock → hasLock false', () => {
    const emu = emulatorWith(code);
    expect(emu.run('relock')).toEqual([true, true, false]);
  });
});

describe('U1 Session', () => {
  test('U1.1/U1.2 users, script time zone and locale; blank email in simple triggers', () => {
    const emu = emulatorWith(code, { users: ['a@s.example', 'b@s.example'] });
    expect(emu.run('who', [], { user: 'b@s.example' })).toEqual(['b@s.example', 'b@s.example', 'Europe/London', 'en']);
    expect(emu.run('who', [], { kind: 'simpleTrigger', authMode: 'LIMITED' })).toEqual(['', '', 'Europe/London', 'en']);
  });
});
