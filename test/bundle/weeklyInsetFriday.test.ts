/**
 * The last week of a term often ends on an INSET day: the register then stops on Thursday and is
 * complete. The weekly email must not warn that "this week's figures are incomplete" and ask for
 * an import that cannot come (preview walk, week of 15 Dec 2025, INSET day Fri 19 Dec). A week
 * with school on Friday and no Friday marks still warns.
 */
import { createEmulator } from '../../emulator';
import { sampleCalendar, sampleSchoolDays } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool } from '../helpers/sampleSpreadsheet';

// 39 school days from Monday 2 Sep 2024: weeks 1–7, half-term (21–25 Oct), then Mon 28 – Thu 31 Oct.
const days = sampleSchoolDays('2024-09-02', 39);
const thursday = '2024-10-31';
const friday = '2024-11-01';

async function weeklyEmailText(fridayIsInset: boolean): Promise<string> {
  const emu = createEmulator({ users: ['owner@school.example'], now: new Date('2024-11-04T09:00:00Z') });
  loadBuiltProject(emu);
  const calendar = [...sampleCalendar(days), ...(fridayIsInset ? [{ kind: 'INSET' as const, name: 'INSET day', start: friday, end: friday }] : [])];
  const s = putSampleSchool(emu, { students: 60, schoolDays: 39, settings: { calendar } });
  const res = (await emu.rpc('runWeeklyNow', [], s.staffOf('AL').email)) as { week: string; emailsSent: number };
  expect(res.week).toBe('2024-10-28');
  expect(res.emailsSent).toBeGreaterThan(0);
  const mail = emu.mail.outbox.find((m) => /weekly attendance/i.test(m.subject));
  return mail!.body;
}

test('the register is in the calendar as the test means it', () => {
  expect(days[days.length - 1]).toBe(thursday);
});

test('a week ending on an INSET Friday: Thursday\'s marks complete it, no "incomplete" warning', async () => {
  const text = await weeklyEmailText(true);
  expect(text).toContain('latest register mark Thu 31 Oct 2024');
  expect(text).not.toContain('figures are incomplete');
});

test('a week with school on Friday and no Friday marks still warns', async () => {
  const text = await weeklyEmailText(false);
  expect(text).toMatch(/no marks after Thu 31 Oct 2024, so this week's figures are incomplete/);
});
