/** Conformance: Utilities (X1.x). */
import { emulatorWith, thrown } from './helpers';

const code = `
  function fmt(iso, tz, f) { return Utilities.formatDate(new Date(iso), tz, f); }
  function parse(s, tz, f) { return Utilities.parseDate(s, tz, f).toISOString(); }
  function nap(ms) { var t = Date.now(); Utilities.sleep(ms); return Date.now() - t; }
  function misc() { return [Utilities.base64Encode('hi?'), Utilities.base64DecodeWebSafe(Utilities.base64EncodeWebSafe('ok')), Utilities.parseCsv('a,"b,c"\\n1,"x""y"'), Utilities.formatString('%05d|%-3s|%.2f', 42, 'x', 3.14159)]; }
  function uuid() { return [Utilities.getUuid(), Utilities.getUuid()]; }
`;

describe('X1 Utilities', () => {
  test('X1.1 formatDate with Java SimpleDateFormat letters and quoting', () => {
    const emu = emulatorWith(code);
    expect(emu.run('fmt', ['2026-11-23T08:05:09Z', 'GMT', "yyyy-MM-dd'T'HH:mm:ss'Z'"])).toBe('2026-11-23T08:05:09Z');
    expect(emu.run('fmt', ['2026-11-23T08:05:09Z', 'Europe/London', 'EEEE d MMMM yyyy, h:mm a'])).toBe('Monday 23 November 2026, 8:05 AM');
    expect(emu.run('fmt', ['2026-07-01T12:00:00Z', 'Europe/London', 'HH:mm z Z XXX'])).toBe('13:00 BST +0100 +01:00');
    expect(emu.run('fmt', ['2026-01-01T12:00:00Z', 'America/New_York', "EEE, MMM d ''yy hh 'o''clock' a"])).toBe("Thu, Jan 1 '26 07 o'clock AM");
    expect(emu.run('fmt', ['2026-01-01T00:00:00Z', 'GMT+5:30', 'HH:mm'])).toBe('05:30');
  });
  test('X1.2 parseDate uses the pattern and zone; unparsable input throws', () => {
    const emu = emulatorWith(code);
    expect(emu.run('parse', ['23/11/2026 09:30', 'Europe/London', 'dd/MM/yyyy HH:mm'])).toBe('2026-11-23T09:30:00.000Z');
    expect(emu.run('parse', ['2026-07-01', 'Europe/London', 'yyyy-MM-dd'])).toBe('2026-06-30T23:00:00.000Z');
    expect(thrown(() => emu.run('parse', ['not a date', 'GMT', 'yyyy-MM-dd'])).message).toBe('Unparseable date: "not a date"');
  });
  test('X1.3 sleep advances the modelled clock, not the real one; over 300000 ms throws', () => {
    const emu = emulatorWith(code);
    const t0 = Date.now();
    expect(emu.run('nap', [120_000])).toBeGreaterThanOrEqual(120_000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(() => emu.run('nap', [300_001])).toThrow(/300000/);
  });
  test('X1.4 base64, CSV, formatString; getUuid is unique per call', () => {
    const emu = emulatorWith(code);
    const [b64, round, csv, formatted] = emu.run<[string, number[], string[][], string]>('misc');
    expect(b64).toBe('aGk/');
    expect(String.fromCharCode(...round)).toBe('ok');
    expect(csv).toEqual([['a', 'b,c'], ['1', 'x"y']]);
    expect(formatted).toBe('00042|x  |3.14');
    const [u1, u2] = emu.run<string[]>('uuid');
    expect(u1).not.toBe(u2);
    expect(u1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
