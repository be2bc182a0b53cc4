/**
 * Conformance: concurrent executions interleave at service calls (issue 13 point 2). Apps Script
 * runs google.script.run calls and other users' executions at the same time ("Simultaneous
 * executions per user: 30", https://developers.google.com/apps-script/guides/services/quotas), so
 * an unlocked read-modify-write loses updates, LockService serialises them (L1.x), and the wall
 * time of parallel work is that of the slowest execution, not the sum.
 */
import type { ClientOutcome } from '../../emulator';
import { emulatorWith } from './helpers';

const code = `
  function bump(withLock) {
    var lock = withLock ? LockService.getDocumentLock() : null;
    if (lock) lock.waitLock(60000);
    var cell = SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1');
    var v = Number(cell.getValue()) || 0;
    cell.setValue(v + 1);
    if (lock) lock.releaseLock();
    return v + 1;
  }
  function makeDocs(n) { for (var i = 0; i < n; i++) DocumentApp.create('d' + i); return n; }
  function holdLock(n) { var l = LockService.getDocumentLock(); l.waitLock(1000); for (var i = 0; i < n; i++) DocumentApp.create('x' + i); l.releaseLock(); return Date.now(); }
  function wantLock(ms) { var l = LockService.getDocumentLock(); var got = l.tryLock(ms); if (got) l.releaseLock(); return [got, Date.now()]; }
  function now() { return Date.now(); }
`;

/** A client that calls fn(args) `times` times in a row. */
function repeat(user: string, fn: string, args: unknown[], times: number, startAfterMs = 0) {
  let n = 0;
  return { user, startAfterMs, next: (_prev: ClientOutcome | null) => (n++ < times ? { fn, args } : null) };
}

describe('concurrent executions (interleaved at service calls)', () => {
  test('an unlocked read-modify-write from two executions loses updates; under the document lock none is lost', () => {
    const a = 'a@school.example';
    const b = 'b@school.example';
    const unlocked = emulatorWith(code, { users: [a, b] });
    unlocked.simulate([repeat(a, 'bump', [false], 20), repeat(b, 'bump', [false], 20)]);
    const lost = unlocked.direct(() => unlocked.spreadsheet.getSheets()[0].getRange('A1').getValue());
    expect(lost).toBeLessThan(40);

    const locked = emulatorWith(code, { users: [a, b] });
    const r = locked.simulate([repeat(a, 'bump', [true], 20), repeat(b, 'bump', [true], 20)], { seed: 3 });
    expect(locked.direct(() => locked.spreadsheet.getSheets()[0].getRange('A1').getValue())).toBe(40);
    expect(r.executions).toHaveLength(40);
    expect(r.executions.every((e) => e.error === undefined)).toBe(true);
  });

  test('parallel executions: the wall time is the slowest one, not the sum', () => {
    const emu = emulatorWith(code, { users: ['a@school.example'] });
    const one = emu.simulate([repeat('a@school.example', 'makeDocs', [4], 1)]);
    const four = emu.simulate([0, 1, 2, 3].map(() => repeat('a@school.example', 'makeDocs', [4], 1)));
    expect(one.wallMs).toBeGreaterThanOrEqual(4 * 1500);
    expect(four.wallMs).toBeLessThan(one.wallMs * 1.2);
    expect(emu.docs.all()).toHaveLength(20);
  });

  test('waitLock/tryLock wait for another execution to release, and time out when it holds too long', () => {
    const emu = emulatorWith(code, { users: ['a@school.example', 'b@school.example'] });
    // a holds the lock for 10 document creations (≈ 15 s); b asks 1 s later
    const short = emu.simulate([repeat('a@school.example', 'holdLock', [10], 1), repeat('b@school.example', 'wantLock', [5000], 1, 1000)]);
    const b1 = short.executions.find((e) => e.user === 'b@school.example')!;
    expect((b1.result as [boolean, number])[0]).toBe(false);
    expect(b1.endMs).toBeGreaterThanOrEqual(6000); // waited its 5 s
    const long = emu.simulate([repeat('a@school.example', 'holdLock', [10], 1), repeat('b@school.example', 'wantLock', [60000], 1, 1000)]);
    const a2 = long.executions.find((e) => e.user === 'a@school.example')!;
    const b2 = long.executions.find((e) => e.user === 'b@school.example')!;
    expect((b2.result as [boolean, number])[0]).toBe(true);
    expect((b2.result as [boolean, number])[1]).toBeGreaterThanOrEqual(a2.result as number); // got it once a released it
  });

  test('each execution reads its own modelled clock', () => {
    const emu = emulatorWith(code, { users: ['a@school.example'] });
    const t0 = emu.clock.now().getTime();
    const r = emu.simulate([repeat('a@school.example', 'now', [], 1), repeat('a@school.example', 'now', [], 1, 5000)]);
    const times = r.executions.map((e) => (e.result as number) - t0).sort((x, y) => x - y);
    expect(times[0]).toBeLessThan(100);
    expect(times[1]).toBeGreaterThanOrEqual(5000);
  });
});
