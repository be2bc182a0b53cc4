/**
 * Half-term (a week with no school day in the calendar) in the weekly report: the hourly trigger
 * records that week as done and sends nothing; "Weekly report now" reports the last week that had
 * school. The sample school's half-term is its 8th week (src/core/sample/school.ts), stated in
 * Settings (sampleCalendar).
 */
import { createEmulator } from '../../emulator';
import { weekStartMonday, addCalendarDays } from '../../src/core/calendar';
import { sampleSchoolDays } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool } from '../helpers/sampleSpreadsheet';

// 40 school days from Monday 2 Sep 2024: weeks 1–7, half-term (21–25 Oct), then week 9.
const days = sampleSchoolDays('2024-09-02', 40);
const halfTermMonday = '2024-10-21';
const mondayAfter = '2024-10-28';

function school() {
  const emu = createEmulator({ users: ['owner@school.example'], now: new Date(`${halfTermMonday}T10:00:00Z`) });
  loadBuiltProject(emu);
  const s = putSampleSchool(emu, { students: 120, schoolDays: 40 });
  return { emu, s, al: s.staffOf('AL').email };
}

test('the sample calendar really has half-term in week 8', () => {
  expect(days).not.toContain(halfTermMonday);
  expect(days).toContain(mondayAfter);
});

test('"Weekly report now" on the Monday after half-term reports the last week with school, not the empty one', async () => {
  const { emu, al } = school();
  emu.clock.set(new Date(`${mondayAfter}T09:00:00Z`));
  const res = (await emu.rpc('runWeeklyNow', [], al)) as { week: string; emailsSent: number; message: string };
  expect(res.week).toBe(weekStartMonday(addCalendarDays(halfTermMonday, -7))); // 14 Oct
  expect(res.emailsSent).toBeGreaterThan(0);
});

test('the hourly trigger sends nothing for the half-term week and says why', async () => {
  const { emu, al } = school();
  emu.clock.set(new Date('2024-10-13T12:00:00Z')); // a Sunday before half-term
  await emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], al);
  emu.fireDueTriggers(new Date(`${halfTermMonday}T09:00:00Z`)); // reports 7–13 and 14–20 Oct
  const sentForSchoolWeeks = emu.mail.outbox.length;
  expect(sentForSchoolWeeks).toBeGreaterThan(0);
  // Monday after half-term, 07:00 London: the week to report is half-term itself.
  emu.fireDueTriggers(new Date(`${mondayAfter}T09:00:00Z`));
  expect(emu.mail.outbox.length).toBe(sentForSchoolWeeks);
  const status = (await emu.rpc('getWeeklyStatus', [], al)) as { lastRun: { ok: boolean; message: string } };
  expect(status.lastRun.ok).toBe(true);
  expect(status.lastRun.message).toMatch(/no school days that week, so nothing was sent/);
});

test('the last school week before a holiday is sent once even when its Monday run fails: the next holiday run catches it up, to the rest only', async () => {
  const { emu, al } = school();
  emu.clock.set(new Date('2024-10-13T12:00:00Z'));
  await emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], al);
  emu.fireDueTriggers(new Date('2024-10-14T09:00:00Z')); // the week of 7 Oct
  const lastWeekOfTerm = 'week of 14 Oct 2024'; // 14–18 Oct, then half-term
  const forWeek = (words: string) => emu.mail.outbox.filter((m) => /weekly attendance/i.test(m.subject) && m.subject.includes(words));
  // Half-term Monday: the report of 14–18 Oct goes to the first recipient, then Gmail fails for the
  // rest of the day (the scheduled run and its retry an hour later).
  emu.faults.inject('MailApp.sendEmail', { every: true, error: 'Service invoked too many times for one day: email.' });
  let first = true;
  const realSend = emu.services.MailApp.sendEmail;
  emu.services.MailApp.sendEmail = function (this: unknown, ...args: unknown[]) {
    if (first) { first = false; emu.faults.clear(); const r = realSend.apply(this, args); emu.faults.inject('MailApp.sendEmail', { every: true, error: 'Service invoked too many times for one day: email.' }); return r; }
    return realSend.apply(this, args);
  };
  emu.fireDueTriggers(new Date(`${halfTermMonday}T23:00:00Z`));
  emu.services.MailApp.sendEmail = realSend;
  emu.faults.clear();
  const partial = forWeek(lastWeekOfTerm).map((m) => m.to);
  expect(partial).toHaveLength(1);
  // Monday after half-term (a school week again) — and any holiday run before it — sends the rest once.
  emu.fireDueTriggers(new Date(`${mondayAfter}T12:00:00Z`));
  const all = forWeek(lastWeekOfTerm).map((m) => m.to);
  expect(new Set(all).size).toBe(all.length); // nobody twice
  expect(all.length).toBeGreaterThan(1);
  expect(forWeek('week of 21 Oct 2024')).toHaveLength(0); // half-term itself: nothing
});
