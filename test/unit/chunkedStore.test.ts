/**
 * The add-on's ONE chunked document-property store (src/gas/chunkedProperty.ts over
 * src/core/chunkedRecord.ts), on the emulator's PropertiesService, which enforces Google's limits:
 * "Properties value size 9 KB / val" and "Properties total storage 500 KB / property store"
 * (https://developers.google.com/apps-script/guides/services/quotas), counted in UTF-8 bytes.
 * The staff record, the policy book and the weekly snapshots all go through it; what the policy
 * store and the weekly report wrote before it still reads, and the next save replaces it.
 */
import { createEmulator } from '../../emulator';
import { CHUNK_BYTES, RECORD_BUDGETS, checksum, utf8Length } from '../../src/core/chunkedRecord';
import { RecordTooLargeError, readRecord, recordText, saveRecord, writeRecord } from '../../src/gas/chunkedProperty';

type Props = GoogleAppsScript.Properties.Properties;

function store() {
  const emu = createEmulator();
  const props = emu.direct(() => emu.services.PropertiesService.getDocumentProperties()) as Props;
  return { emu, props, all: () => emu.properties.document() as Record<string, string> };
}

describe('one chunked store, in UTF-8 bytes', () => {
  test('non-ASCII text: every chunk key + value stays under 7 KB in bytes (not characters), and reads back', () => {
    const { emu, props, all } = store();
    // 3-byte (€), 2-byte (ł) and 4-byte (emoji) characters: 8,000 characters of them are 24,000 bytes.
    const text = `${'€'.repeat(8000)}😀${'ł'.repeat(3000)}${'x'.repeat(5000)}`;
    emu.direct(() => saveRecord(props, 'sol.policyBook', text));
    for (const [k, v] of Object.entries(all())) expect(utf8Length(k) + utf8Length(v)).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(recordText(all(), 'sol.policyBook')).toBe(text);
  });

  test('the old weekly chunking (8,000 characters per value) is refused by Google for non-ASCII text; the store is not', () => {
    const { emu, props } = store();
    // What weekly.ts did before: one value of 8,000 characters. 8,000 × "é" = 16,000 bytes > 9 KB.
    expect(() => emu.direct(() => props.setProperty('sol.weeklySnapshot.last.0', 'é'.repeat(8000)))).toThrow('Argument too large: value');
    expect(() => emu.direct(() => saveRecord(props, 'sol.weeklySnapshot.last', 'é'.repeat(8000)))).not.toThrow();
  });

  test('a save that would pass the 500 KB store is refused with a sentence, before anything is written', () => {
    const { emu, props, all } = store();
    // Other data fills the store to 490 KB (70 values of 7,000 bytes).
    emu.direct(() => props.setProperties(Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`other.${String(i).padStart(2, '0')}`, 'o'.repeat(7000)]))));
    const before = JSON.stringify(all());
    let err: Error | null = null;
    try {
      emu.direct(() => saveRecord(props, 'sol.policyBook', 'p'.repeat(30 * 1024)));
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(RecordTooLargeError);
    expect(err!.message).toMatch(/^Google keeps at most 500 KB of add-on data in one spreadsheet, and saving this would need \d+ KB$/);
    expect(JSON.stringify(all())).toBe(before);
  });

  test('a record over its own budget is refused (one record cannot crowd the others out)', () => {
    const { emu, props, all } = store();
    expect(() => emu.direct(() => saveRecord(props, 'sol.weeklySnapshot.before', 'w'.repeat(RECORD_BUDGETS['sol.weeklySnapshot.before'] + 1)))).toThrow(/at most 30 KB of the spreadsheet's add-on storage is kept for it/);
    expect(all()).toEqual({});
  });

  test('never half-saved: a failure at the commit leaves the old text in force; the next save tidies up', () => {
    const { emu, props, all } = store();
    emu.direct(() => saveRecord(props, 'sol.policyBook', 'old text'));
    const failing = new Proxy(props, {
      get: (target, name) => (name === 'setProperty' ? () => { throw new Error('Service unavailable'); } : (target as any)[name].bind(target)),
    });
    expect(() => emu.direct(() => saveRecord(failing, 'sol.policyBook', 'n'.repeat(20000)))).toThrow(/Service unavailable/);
    expect(recordText(all(), 'sol.policyBook')).toBe('old text');
    emu.direct(() => saveRecord(props, 'sol.policyBook', 'new text'));
    expect(recordText(all(), 'sol.policyBook')).toBe('new text');
    expect(Object.keys(all()).filter((k) => k.startsWith('sol.policyBook'))).toHaveLength(2);
  });

  test('a missing part is reported as damage in a sentence, never read as a shorter text', () => {
    const { emu, props, all } = store();
    emu.direct(() => saveRecord(props, 'sol.policyBook', 'b'.repeat(20000)));
    const damaged = { ...all() };
    delete damaged[Object.keys(damaged).find((k) => k.endsWith('.1'))!];
    expect(() => recordText(damaged, 'sol.policyBook')).toThrow(/^the stored copy is damaged \(part 2 of \d+ is missing\)$/);
  });
});

describe('data stored before the one store still reads, and the next save migrates it', () => {
  test('the policy book\'s old head {generation, parts, length}', () => {
    const { emu, props, all } = store();
    const text = JSON.stringify({ policy: 'ünïcode', n: 'x'.repeat(4000) });
    const parts = [text.slice(0, 2300), text.slice(2300)];
    emu.direct(() => props.setProperties({ 'sol.policyBook.g4.0': parts[0], 'sol.policyBook.g4.1': parts[1], 'sol.policyBook': JSON.stringify({ generation: 4, parts: 2, length: text.length }) }));
    expect(recordText(all(), 'sol.policyBook')).toBe(text);
    emu.direct(() => saveRecord(props, 'sol.policyBook', 'the new book'));
    expect(recordText(all(), 'sol.policyBook')).toBe('the new book');
    expect(Object.keys(all()).sort()).toEqual(['sol.policyBook', 'sol.policyBook.g5.0']);
    expect(JSON.parse(all()['sol.policyBook'])).toEqual({ g: 5, n: 1, len: 12, sum: checksum('the new book') });
  });

  test('the weekly snapshot\'s old count + parts (N.n, N.0, N.1)', () => {
    const { emu, props, all } = store();
    const text = JSON.stringify({ w: '2024-W10', s: Array.from({ length: 1500 }, (_, i) => `${1000 + i}:3`).join(','), p: '', v: '', n: '' });
    emu.direct(() => props.setProperties({ 'sol.weeklySnapshot.last.0': text.slice(0, 8000), 'sol.weeklySnapshot.last.1': text.slice(8000), 'sol.weeklySnapshot.last.n': '2', 'sol.other': 'kept' }));
    expect(recordText(all(), 'sol.weeklySnapshot.last')).toBe(text);
    const read = emu.direct(() => readRecord(props, 'sol.weeklySnapshot.last'));
    emu.direct(() => writeRecord(props, 'sol.weeklySnapshot.last', 'newer', read).cleanup());
    expect(Object.keys(all()).sort()).toEqual(['sol.other', 'sol.weeklySnapshot.last', 'sol.weeklySnapshot.last.g0.0']);
    expect(recordText(all(), 'sol.weeklySnapshot.last')).toBe('newer');
  });

  test('no other module writes chunked properties (one store)', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const files: string[] = [];
    const walk = (dir: string) => { for (const f of fs.readdirSync(dir, { withFileTypes: true })) f.isDirectory() ? walk(path.join(dir, f.name)) : files.push(path.join(dir, f.name)); };
    walk(path.join(__dirname, '../../src'));
    const writers = files.filter((f) => /setProperties\(/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(path.join(__dirname, '../..'), f));
    expect(writers).toEqual(['src/gas/chunkedProperty.ts']);
  });
});
