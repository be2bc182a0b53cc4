/**
 * Strict input (issue 12 §4): every function google.script.run can reach, driven by the Attendance
 * Lead (who may call them all) with malformed and hostile arguments — wrong types, nested objects,
 * huge strings, control characters. Whatever happens, what reaches the person is a sentence about
 * their data: never a JavaScript message ("TypeError", "[object Object]", "is not a function",
 * "Cannot read", "undefined"…). And text that leaves the add-on (a tab, a letter, an email) carries
 * no control character.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scenario } from '../helpers/faultSweep';
import { tabValues } from '../helpers/sampleSpreadsheet';

const JS = /TypeError|ReferenceError|RangeError|SyntaxError|\[object Object\]|is not a function|Cannot read|Cannot convert|Cannot set|is not defined|is not iterable|undefined|NaN|Unexpected token|JSON\.parse|\bat [A-Za-z_$.]+ \([^)]*:\d+:\d+\)/;

const code = fs.readFileSync(path.resolve(__dirname, '../../dist/Code.js'), 'utf8');
const FUNCTIONS = [...code.matchAll(/^function ([A-Za-z0-9_]+)\(/gm)].map((m) => m[1]!).filter((n) => !n.endsWith('_') && !/^on(Open|Install|Edit)$/.test(n));

const NUL = 'Ann\u0000e\u0007 \u001b[31mSmith';
const HOSTILE: unknown[][] = [
  [],
  [null],
  ['text'],
  [42],
  [[]],
  [{}],
  [{ studentId: { id: 1 }, reason: ['x'], key: 7, url: {}, runId: [], decision: 'other', day: 3, hour: 'seven', email: { a: 1 } }],
  [{ studentId: 'x'.repeat(100_000), notes: 'y'.repeat(100_000), reason: 'z'.repeat(100_000), query: 'q'.repeat(100_000) }],
  [{ studentId: NUL, method: NUL, outcome: NUL, nextAction: NUL, notes: NUL, reason: NUL, query: NUL, fileName: NUL, csvText: NUL, onlyValidRows: NUL }],
  [{ staff: 'everyone', schoolName: { x: 1 }, base: 5, draft: 'x', origins: {}, baseVersion: 'one', requestKey: { k: 1 }, fileName: 5, text: { a: 1 } }],
  [{ staff: [null, 3, { email: ['a'] }], base: { staff: 'x' }, draft: { policy: null, codeTable: [] }, fileName: 'a.csv', csvText: ['a'], onlyValidRows: 'yes' }],
];

describe('every reachable function, driven with malformed and hostile arguments by the Attendance Lead', () => {
  test('what the person is told is a sentence, never a JavaScript message', async () => {
    const s = scenario({ templates: true });
    const al = s.who('AL');
    const seen: string[] = [];
    for (const fn of FUNCTIONS) {
      for (const args of HOSTILE) {
        const out = await s.emu.rpc(fn, args, al).then(
          (r) => (r && typeof r === 'object' && 'message' in (r as object) ? String((r as { message: unknown }).message) : ''),
          (e: Error) => e.message,
        );
        if (JS.test(out)) seen.push(`${fn}(${JSON.stringify(args).slice(0, 80)}) → ${out.slice(0, 200)}`);
      }
    }
    expect(seen).toEqual([]);
  }, 600_000);
});

describe('control characters never leave the add-on', () => {
  test('a contact note and a left-out reason with NUL, BEL and ESC reach the log without them', async () => {
    const s = scenario({ templates: true });
    const al = s.who('AL');
    const pupil = s.school.students[3]!.studentId;
    await s.emu.rpc('logContact', [{ studentId: pupil, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: `Call ${NUL}`, notes: `Said ${NUL}` }], al);
    const plan = (await s.emu.rpc('getLetterPlan', [], al)) as { items: { studentId: string }[] };
    await s.emu.rpc('setExclusion', [{ studentId: plan.items[0]!.studentId, reason: `Hospital ${NUL}` }], al);
    const cells = tabValues(s.emu, 'Interventions Log').flat().map(String).join('\n') + tabValues(s.emu, 'Letters Ledger').flat().map(String).join('\n');
    expect(cells).toContain('Ann');
    expect(cells).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
  });
});
