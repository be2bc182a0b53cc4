/**
 * Long text in document properties under the 9 KB per-value limit, never half-saved (issue 15's
 * policy book; the same rule as issue 12's settings): on the emulator's PropertiesService, which
 * enforces 9 KB per value and 500 KB per store (semantics P1.4).
 */
import { createEmulator } from '../../emulator';
import { PART_CHARS, readChunked, writeChunked } from '../../src/gas/chunkedProperties';

function store() {
  const emu = createEmulator();
  const props = emu.direct(() => emu.services.PropertiesService.getDocumentProperties()) as GoogleAppsScript.Properties.Properties;
  return { emu, props, all: () => emu.properties.document() };
}

describe('chunked document properties', () => {
  it('round-trips a long text with multi-byte characters, every key and value under 7 KB (Google measured 8,066 bytes usable)', () => {
    const { emu, props, all } = store();
    // 3-byte characters (en dash) and 4-byte ones (emoji, a surrogate pair) at the part boundaries.
    const text = `${'–'.repeat(PART_CHARS - 1)}😀${'ł'.repeat(PART_CHARS)}${'x'.repeat(5000)}`;
    emu.direct(() => writeChunked(props, 'sol.test', text));
    const stored = all();
    for (const [k, v] of Object.entries(stored)) expect(Buffer.byteLength(k) + Buffer.byteLength(v)).toBeLessThan(7 * 1024);
    expect(Object.keys(stored).filter((k) => k.startsWith('sol.test.g1.'))).toHaveLength(5);
    expect(readChunked(stored, 'sol.test')).toBe(text);
  });

  it('a rewrite switches generations and removes the old parts; nothing stored reads as null', () => {
    const { emu, props, all } = store();
    expect(readChunked(all(), 'sol.test')).toBeNull();
    emu.direct(() => writeChunked(props, 'sol.test', 'a'.repeat(PART_CHARS * 3)));
    emu.direct(() => writeChunked(props, 'sol.test', 'short'));
    expect(Object.keys(all()).sort()).toEqual(['sol.test', 'sol.test.g2.0']);
    expect(readChunked(all(), 'sol.test')).toBe('short');
  });

  it('never half-saved: a failure after the parts are written leaves the old text in force', () => {
    const { emu, props, all } = store();
    emu.direct(() => writeChunked(props, 'sol.test', 'old text'));
    // The store fails on the head's switch (after the new parts went in).
    const failing = new Proxy(props, {
      get: (target, name) => (name === 'setProperty' ? () => { throw new Error('Service unavailable'); } : (target as any)[name].bind(target)),
    });
    expect(() => emu.direct(() => writeChunked(failing, 'sol.test', 'n'.repeat(PART_CHARS * 2)))).toThrow(/Service unavailable/);
    expect(Object.keys(all()).filter((k) => k.startsWith('sol.test.g2.'))).toHaveLength(2);
    expect(readChunked(all(), 'sol.test')).toBe('old text');
    // The next write tidies the unused parts away.
    emu.direct(() => writeChunked(props, 'sol.test', 'new text'));
    expect(Object.keys(all()).sort()).toEqual(['sol.test', 'sol.test.g2.0']);
  });

  it('a missing part is reported as damage, not read as a shorter text', () => {
    const { emu, props, all } = store();
    emu.direct(() => writeChunked(props, 'sol.test', 'b'.repeat(PART_CHARS * 2)));
    const damaged = { ...all() };
    delete damaged['sol.test.g1.1'];
    expect(() => readChunked(damaged, 'sol.test')).toThrow('The stored value "sol.test" is damaged (part 2 of 2 is missing).');
  });
});
