/**
 * =ATTEND_TIER by student ID cannot silently go stale (issue 13). Sheets re-runs a custom function
 * only when an argument's value changes (S9.2, custom-functions guide); the emulator models that
 * (emu.recalculateCustomFunctions). By ID the function takes SOL_UPDATED, the add-on's update stamp,
 * which every Recalculate (and import, weekly job), logged contact and letter run rewrites.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, schoolDayNoon, TAB, tabValues, type SampleSpreadsheet } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');
beforeAll(() => {
  const code = path.join(root, 'dist/Code.js');
  if (!fs.existsSync(code) || !fs.readFileSync(code, 'utf8').includes('SOL_UPDATED')) execFileSync('node', ['build.mjs'], { cwd: root, stdio: 'pipe' });
});

function school(): { emu: Emulator; s: SampleSpreadsheet; admin: string } {
  const probe = putSampleSchool(createEmulator(), { students: 60 });
  const admin = probe.staffOf('Admin').email;
  const emu = createEmulator({ now: schoolDayNoon(probe.today), users: [admin, probe.staffOf('AO').email] });
  const s = putSampleSchool(emu, { students: 60, school: probe.school });
  emu.loadProject();
  return { emu, s, admin };
}

const STEP = DEFAULT_TRACKER_HEADERS.indexOf('Step');
const cell = (emu: Emulator, a1: string) => emu.direct(() => emu.spreadsheet.getRange(a1).getValue());
const trackerStepOf = (emu: Emulator, id: string) => tabValues(emu, TAB.tracker).find((r) => r[0] === id)![STEP];

test('=ATTEND_TIER(id, SOL_UPDATED) follows Recalculate and a logged contact; the stamp sits on a hidden tab', () => {
  const { emu, s, admin } = school();
  emu.run('recalculate', [], { user: admin });
  // A student with no absence yet: the step will change when the register does.
  const values = tabValues(emu, TAB.tracker);
  const row = values.find((r, i) => i > 0 && r[STEP] === 'No step') ?? values[1]!;
  const id = String(row[0]);
  emu.direct(() => {
    const mine = emu.spreadsheet.insertSheet('Mine');
    mine.getRange('A2').setValue(`'${id}`);
    mine.getRange('B2').setFormula('=ATTEND_TIER(A2, SOL_UPDATED)');
  });
  emu.recalculateCustomFunctions();
  const before = cell(emu, 'Mine!B2');
  expect(before).toBe(trackerStepOf(emu, id));
  expect(emu.direct(() => emu.spreadsheet.getSheetByName('SOL Updates')!.isSheetHidden())).toBe(true);

  // Marks change (as an import would write them), then Recalculate: the ID cell did not change,
  // but SOL_UPDATED did, so Sheets re-runs the formula.
  emu.direct(() => {
    const reg = emu.spreadsheet.getSheetByName(TAB.register)!;
    const data = reg.getDataRange().getValues();
    const r = data.findIndex((x) => String(x[0]) === id);
    reg.getRange(r + 1, 2, 1, data[0]!.length - 1).setValues([data[r]!.slice(1).map((c) => (c === '' ? '' : 'O'))]);
  });
  emu.run('recalculate', [], { user: admin });
  const after = emu.recalculateCustomFunctions().find((c) => c.cell === 'Mine!B2');
  expect(after?.ran).toBe(true);
  expect(cell(emu, 'Mine!B2')).toBe(trackerStepOf(emu, id));
  expect(cell(emu, 'Mine!B2')).not.toBe(before);

  // A logged contact changes the stamp too.
  emu.run('logContact', [{ studentId: id, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: '', notes: '' }], { user: admin });
  expect(emu.recalculateCustomFunctions().find((c) => c.cell === 'Mine!B2')?.ran).toBe(true);
  expect(s.school.students.some((x) => x.studentId === id)).toBe(true);
});

test('by ID without SOL_UPDATED, or with another second argument, the cell says how to write it (never a stale step)', () => {
  const { emu, admin } = school();
  emu.run('recalculate', [], { user: admin });
  const id = String(tabValues(emu, TAB.tracker)[1]![0]);
  emu.direct(() => {
    const mine = emu.spreadsheet.insertSheet('Mine');
    mine.getRange('A2').setValue(`'${id}`);
    mine.getRange('B2').setFormula('=ATTEND_TIER(A2)');
    mine.getRange('C2').setFormula('=ATTEND_TIER(A2, "26 Nov")');
    mine.getRange('D2').setFormula('=ATTEND_TIER(0.94)');
  });
  emu.recalculateCustomFunctions();
  expect(cell(emu, 'Mine!B2')).toBe('#ERROR!');
  expect(emu.customFunctionError('Mine', 'B2')).toMatch(/not an attendance figure; for a student ID write =ATTEND_TIER\(A2, SOL_UPDATED\)/);
  expect(emu.customFunctionError('Mine', 'C2')).toMatch(/the second argument must be SOL_UPDATED/);
  expect(cell(emu, 'Mine!D2')).toMatch(/^Step 4/);
});
