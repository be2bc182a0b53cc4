/**
 * The new academic year under faults (issue 11 point 5, the pattern of faultSweep.test.ts): a fault
 * — a service error, and the execution's time limit — is injected at service calls of "Start the
 * new year" (an even sample and every call of its last steps); the person is told a sentence, presses the same button again, and the spreadsheet
 * then equals a fault-free rollover: every tab (archives, tracker, the year's emptied tabs, the
 * Academic Years record) the same, no archive half-written, no pupil lost or moved up twice, the
 * record written once. A run told it succeeded must have done it all.
 */
import type { Emulator } from '../../emulator';
import type { RolloverPreview } from '../../src/rpcTypes';
import { tabValues } from '../helpers/sampleSpreadsheet';
import { yearLived } from '../helpers/rolloverSchool';

jest.setTimeout(1_800_000);

const KINDS = ['Service error: Spreadsheets', 'timeout'] as const;
const SAMPLE = 20;
const PROGRAMMER = /is not a function|Cannot read|Cannot convert|\[object Object\]|undefined|ReferenceError|TypeError/;
const STAMP = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?/g;

function everyTab(emu: Emulator): Record<string, string[][]> {
  const names = emu.direct(() => emu.spreadsheet.getSheets().map((s) => s.getName())).filter((n) => n !== 'SOL Updates');
  return Object.fromEntries(names.sort().map((n) => [n, tabValues(emu, n).map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : String(v)).replace(STAMP, 'T')))]));
}

async function prepared() {
  const s = await yearLived({ students: 24 });
  const p = (await s.emu.rpc('previewRollover', [{}], s.who('AL'))) as RolloverPreview;
  return { ...s, token: p.token! };
}

test('a fault at every service call of the rollover, then pressing again: the same as a fault-free rollover', async () => {
  const ref = await prepared();
  ref.emu.calls.reset();
  await ref.emu.rpc('applyRollover', [{ requestKey: 'req000010', token: ref.token }], ref.who('AL'));
  const calls = ref.emu.calls.total();
  const expected = everyTab(ref.emu);
  expect(Object.keys(expected)).toEqual(expect.arrayContaining(['Academic Years', 'Interventions Log 2024–25', 'Register 2024–25', 'SOL Tracker 2024–25']));

  const problems: string[] = [];
  let runs = 0;
  // Every call would take a quarter of an hour on this machine: an even sample, plus every call of
  // the last steps (the record, the journal), where a retry is most likely to double something.
  const picked = new Set<number>();
  for (let i = 0; i < SAMPLE; i++) picked.add(1 + Math.round((i * (calls - 1)) / (SAMPLE - 1)));
  for (let n = Math.max(1, calls - 12); n <= calls; n++) picked.add(n);
  const positions = [...picked].sort((a, b) => a - b);
  for (const kind of KINDS) {
    for (const at of positions) {
      const s = await prepared();
      s.emu.faults.injectAtCall(at, kind);
      let told: { ok: boolean; message: string };
      try {
        told = { ok: true, message: ((await s.emu.rpc('applyRollover', [{ requestKey: 'req000010', token: s.token }], s.who('AL'))) as { message: string }).message };
      } catch (e) {
        told = { ok: false, message: (e as Error).message };
      }
      s.emu.faults.clear();
      runs++;
      if (PROGRAMMER.test(told.message)) problems.push(`${kind} at call ${at}: told "${told.message.slice(0, 160)}"`);
      if (told.ok && JSON.stringify(everyTab(s.emu)) !== JSON.stringify(expected)) problems.push(`${kind} at call ${at}: told it succeeded, but it was not all done`);
      if (!told.ok) {
        // The person reopens the check (as the sidebar does) and presses again with the same request.
        const p = (await s.emu.rpc('previewRollover', [{}], s.who('AL'))) as RolloverPreview;
        if (p.token !== s.token && !p.done) problems.push(`${kind} at call ${at}: after the fault the preview shows another plan (${p.problems.join(' ')})`);
        try {
          await s.emu.rpc('applyRollover', [{ requestKey: 'req000010', token: s.token }], s.who('AL'));
        } catch (e) {
          problems.push(`${kind} at call ${at}: pressing again failed: ${(e as Error).message.slice(0, 200)}`);
        }
      }
      const got = everyTab(s.emu);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        const differs = Object.keys({ ...expected, ...got }).filter((k) => JSON.stringify(got[k]) !== JSON.stringify(expected[k]));
        problems.push(`${kind} at call ${at}: after pressing again the spreadsheet differs from a fault-free rollover (${differs.join(', ')})`);
      }
    }
  }
  console.log(`Rollover fault sweep: ${calls} service calls; ${runs} fault runs (${positions.length} positions of ${calls} × ${KINDS.length} kinds); problems ${problems.length}`);
  expect(problems).toEqual([]);
});
