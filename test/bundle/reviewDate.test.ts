/**
 * Issue 10 on the built bundle: staff set a pupil's review date from the Student tab (server-checked
 * role and scope, a school day by the calendar, logged) and the plan and the letter use it; a stale
 * register is said in the Letters plan, the Student and Today tabs, with the last import date, and
 * nobody is moved up a step while it is stale.
 */
import { createEmulator } from '../../emulator';
import { formatLetterDate } from '../../src/core/letters';
import type { LetterPlan, LetterPreview, StudentView, TodayCallsResponse } from '../../src/rpcTypes';
import { createTemplateDocs, shareTemplates, trackerCell } from '../helpers/lettersSchool';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

jest.setTimeout(120_000);

function school() {
  const emu = createEmulator({ account: 'workspace', now: new Date('2024-09-02T12:00:00Z') });
  const templates = createTemplateDocs(emu, ['letter1', 'letter2', 'letter3', 'letter4'], ['en']);
  const sample = putSampleSchool(emu, { students: 150, seed: 5, schoolDays: 40, settings: { templates } });
  emu.clock.set(schoolDayNoon(sample.today));
  shareTemplates(emu, templates, sample.staffOf('AL').email); // the school's templates, shared with its Attendance Lead
  loadBuiltProject(emu);
  return { emu, sample };
}

/** A school day n school days after `from` by the sample's register days (weekdays). */
function weekdayAfter(from: string, n: number): string {
  let d = new Date(`${from}T12:00:00Z`);
  while (n > 0) {
    d = new Date(d.getTime() + 86_400_000);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) n--;
  }
  return d.toISOString().slice(0, 10);
}

describe('a review date set by staff', () => {
  const { emu, sample } = school();
  const ao = sample.staffOf('AO').email;
  const al = sample.staffOf('AL').email;
  let plan: LetterPlan;
  let item: LetterPlan['items'][number];
  let policyDate: string | null;
  const chosen = weekdayAfter(sample.today, 12);

  beforeAll(async () => {
    plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
    item = plan.items.find((i) => i.letterId !== 'letter1' && i.recipient !== 'post')!;
    expect(item).toBeDefined();
    policyDate = ((await emu.rpc('getStudent', [{ studentId: item.studentId }], ao)) as StudentView).reviewDue;
    expect(policyDate).not.toBe(chosen);
  });

  test('the AO sets it: the Student view, the Log and the tracker show it', async () => {
    const view = (await emu.rpc('setReviewDate', [{ studentId: item.studentId, date: chosen }], ao)) as StudentView;
    expect(view.reviewDue).toBe(chosen);
    const log = tabValues(emu, 'Interventions Log');
    const row = log.find((r) => String(r[2]) === item.studentId && String(r[6]) === 'Review date set')!;
    expect(row).toBeDefined();
    expect(String(row[5])).toBe('Note');
    expect(String(row[8])).toBe(ao);
    expect(String(trackerCell(emu, item.studentId, 'Review due'))).toContain(chosen.split('-').reverse().join('/'));
    // A note is not a contact: Last contact stays empty.
    expect(String(trackerCell(emu, item.studentId, 'Last contact'))).toBe('');
  });

  test('the plan and the letter use it, in words', async () => {
    const preview = (await emu.rpc('previewLetter', [{ key: item.key }], al)) as LetterPreview;
    expect(preview.paragraphs.join('\n')).toContain(formatLetterDate(chosen, 'en-GB'));
  });

  test('refused for a tutor, outside a Head of Year\'s year, and for a date that is not a later school day', async () => {
    const tutor = sample.settings.staff.find((s) => s.role === 'Tutor')!.email;
    await expect(emu.rpc('setReviewDate', [{ studentId: item.studentId, date: chosen }], tutor)).rejects.toThrow(/set review dates/);
    const student = sample.school.students.find((s) => s.studentId === item.studentId)!;
    const otherHoy = sample.settings.staff.find((s) => s.role === 'HOY' && s.yearGroup !== student.yearGroup);
    if (otherHoy) await expect(emu.rpc('setReviewDate', [{ studentId: item.studentId, date: chosen }], otherHoy.email)).rejects.toThrow(/no student with ID/);
    const saturday = (() => { let d = new Date(`${sample.today}T12:00:00Z`); while (d.getUTCDay() !== 6) d = new Date(d.getTime() + 86_400_000); return d.toISOString().slice(0, 10); })();
    await expect(emu.rpc('setReviewDate', [{ studentId: item.studentId, date: saturday }], ao)).rejects.toThrow(/is not a school day \(a Saturday\)\. Choose a school day\. Nothing was changed\./);
    await expect(emu.rpc('setReviewDate', [{ studentId: item.studentId, date: '2024-09-03' }], ao)).rejects.toThrow(/in the past/);
    await expect(emu.rpc('setReviewDate', [{ studentId: item.studentId, date: 'soon' }], ao)).rejects.toThrow(/is not a date/);
    const rows = tabValues(emu, 'Interventions Log').filter((r) => String(r[2]) === item.studentId && String(r[6]) === 'Review date set');
    expect(rows).toHaveLength(1); // refusals write nothing
  });

  test('cleared: the policy\'s review date comes back', async () => {
    const view = (await emu.rpc('setReviewDate', [{ studentId: item.studentId, date: null }], ao)) as StudentView;
    expect(view.reviewDue).toBe(policyDate);
  });
});

describe('a stale register', () => {
  test('is said in the plan, the Student and Today tabs with the last import date, and raises nobody', async () => {
    const { emu, sample } = school();
    const al = sample.staffOf('AL').email;
    const before = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
    expect(before.registerNotice ?? null).toBeNull();
    // A week and a half on, with no import: the register is stale.
    emu.clock.set(schoolDayNoon(weekdayAfter(sample.today, 7)));
    const after = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
    expect(after.registerNotice).toMatch(/^The register has no marks since .+ \(\d+ school days without marks; no import recorded\)\. Nobody is moved up a step until the register is imported/);
    expect(after.problems[0]).toBe(after.registerNotice);
    const due = (p: LetterPlan) => new Set(p.items.map((i) => `${i.studentId}|${i.letterId}`));
    for (const k of due(after)) expect(due(before).has(k)).toBe(true); // no new letter on stale data
    const student = (await emu.rpc('getStudent', [{ studentId: before.items[0]!.studentId }], al)) as StudentView;
    expect(student.registerNotice).toBe(after.registerNotice);
    const today = (await emu.rpc('getTodayCalls', [], al)) as TodayCallsResponse;
    expect(today.registerNotice).toMatch(/^The register has no marks since /);
  });
});
