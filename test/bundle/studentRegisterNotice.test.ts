/**
 * Issue 10 leftover: the Student tab's stale-register notice is judged from the register as a
 * whole (as the Letters plan and Today tabs judge it), not from the one pupil's own marks. A pupil
 * who simply has no marks for the last school days (absent and unmarked, a late joiner's gap) gets
 * no "register is stale" notice — and the step the tab shows is the tracker's, not one held back as
 * if the register were stale; a register that really is stale is said for every pupil, the same
 * sentence as the plan's.
 */
import { createEmulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import type { LetterPlan, StudentView, TodayCallsResponse } from '../../src/rpcTypes';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

jest.setTimeout(120_000);

function school() {
  const emu = createEmulator({ account: 'workspace', now: new Date('2024-09-02T12:00:00Z') });
  const generated = generateSchool(sampleOptions({ students: 60, seed: 7, schoolDays: 40 }));
  // Pupil 3 has no marks at all on the last six school days (not taken: the MIS left them blank).
  const lastDays = new Set(generated.schoolDays.slice(-6));
  const unmarked = generated.students[3]!.studentId;
  const school = { ...generated, marks: generated.marks.filter((m) => !(m.studentId === unmarked && lastDays.has(m.date))) };
  const sample = putSampleSchool(emu, { school });
  emu.clock.set(schoolDayNoon(sample.today));
  loadBuiltProject(emu);
  return { emu, sample, unmarked };
}

function weekdayAfter(from: string, n: number): string {
  let d = new Date(`${from}T12:00:00Z`);
  while (n > 0) {
    d = new Date(d.getTime() + 86_400_000);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) n--;
  }
  return d.toISOString().slice(0, 10);
}

test('a pupil with no marks of their own for six school days: no stale notice while the register is current, and the tracker\'s step', async () => {
  const { emu, sample, unmarked } = school();
  const al = sample.staffOf('AL').email;
  await emu.rpc('recalculate', [], al);
  const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  expect(plan.registerNotice ?? null).toBeNull();
  const today = (await emu.rpc('getTodayCalls', [], al)) as TodayCallsResponse;
  expect(today.registerNotice ?? null).toBeNull();
  const view = (await emu.rpc('getStudent', [{ studentId: unmarked }], al)) as StudentView;
  expect(view.registerNotice ?? null).toBeNull();
  // The step the Student tab shows is the one Recalculate wrote (no escalation held back for the pupil alone).
  const tracker = tabValues(emu, 'SOL Tracker');
  const header = tracker[0]!.map(String);
  const row = tracker.find((r) => String(r[0]) === unmarked)!;
  expect(view.stepLabel).toBe(String(row[header.indexOf('Step')]));
});

test('a stale register is said for every pupil, the unmarked one included, in the plan\'s words', async () => {
  const { emu, sample, unmarked } = school();
  const al = sample.staffOf('AL').email;
  emu.clock.set(schoolDayNoon(weekdayAfter(sample.today, 6)));
  const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  expect(plan.registerNotice).toMatch(/^The register has no marks since /);
  const today = (await emu.rpc('getTodayCalls', [], al)) as TodayCallsResponse;
  expect(today.registerNotice).toBe(plan.registerNotice);
  for (const id of [unmarked, ...sample.school.students.slice(0, 5).map((s) => s.studentId)]) {
    const view = (await emu.rpc('getStudent', [{ studentId: id }], al)) as StudentView;
    expect([id, view.registerNotice]).toEqual([id, plan.registerNotice]);
  }
});
