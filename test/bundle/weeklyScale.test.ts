/**
 * The weekly report as the school grows and things go wrong (issue 11 point 2), on the built
 * bundle: 5,000 pupils (the tab grows to fit; a Head of Year saved as "Year 7" gets the tracker's
 * "7"; the email is capped with a link to the full tab and shows no ID numbers), a failed write
 * leaves the previous report as it was (never cleared first), a failed scheduled run is emailed to
 * whoever scheduled it and shown in the sidebar, and a Head of Year runs their own year's report.
 */
import { createEmulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const MONDAY = '2024-09-23'; // after three school weeks from 2 Sep 2024

function world(students: number) {
  const school = generateSchool(sampleOptions({ students, schoolDays: 15 }));
  const emu = createEmulator({ users: ['owner@school.example', ...school.staff.map((s) => s.email)], now: new Date(`${MONDAY}T09:00:00Z`) });
  // Heads of Year typed as "Year 7" (the tracker, from the MIS, says "7").
  const staff = school.staff.map((m) => ({ email: m.email, name: m.name, role: m.role, yearGroup: m.role === 'HOY' ? `Year ${m.yearGroup}` : m.yearGroup ?? '', tutorGroup: m.tutorGroup ?? '' }));
  const sample = putSampleSchool(emu, { school, settings: { staff } });
  loadBuiltProject(emu);
  return { emu, school, sample, al: sample.staffOf('AL').email, ao: sample.staffOf('AO').email, hoys: staff.filter((s) => s.role === 'HOY') };
}

test('5,000 pupils: the tab grows to fit, every Head of Year ("Year 7") gets a short email linking the full tab', async () => {
  const { emu, al, hoys, school } = world(5000);
  const res = (await emu.rpc('runWeeklyNow', [], al)) as { week: string; emailsSent: number; message: string };
  expect(res.message).not.toMatch(/FAILED|coordinates/);
  expect(res.week).toBe('2024-09-16');
  const tab = tabValues(emu, 'Weekly Report');
  expect(tab.length).toBeGreaterThan(1000);
  expect(String(tab[0]![0])).toMatch(/^Last run/);
  const outbox = emu.mail.outbox;
  for (const h of hoys) expect(outbox.filter((m) => m.to === h.email)).toHaveLength(1);
  const hoyMail = outbox.find((m) => m.to === hoys[0]!.email)!;
  expect(hoyMail.htmlBody).toMatch(/#gid=\d+/);
  expect(hoyMail.body).toMatch(/…and \d+ more on the Weekly Report tab: https:\/\/docs\.google\.com\/spreadsheets\/d\/.+#gid=\d+/);
  // No pupil ID numbers in a Head of Year's email, and a few phone screens of text, not fifteen.
  const ids = school.students.map((s) => s.studentId);
  expect(ids.filter((id) => hoyMail.body.includes(id))).toEqual([]);
  expect(hoyMail.body.split('\n').length).toBeLessThan(120);
}, 600_000);

test('a write that fails leaves the previous report as it was (the tab is never cleared first)', async () => {
  const { emu, al } = world(150);
  await emu.rpc('runWeeklyNow', [], al);
  const before = tabValues(emu, 'Weekly Report');
  expect(before.length).toBeGreaterThan(20);
  emu.clock.set(new Date('2024-09-30T09:00:00Z'));
  emu.faults.inject('SpreadsheetApp.Range.setValues', { every: true, error: 'Service Spreadsheets failed while accessing document with id 1.' });
  await expect(emu.rpc('runWeeklyNow', [], al)).rejects.toThrow();
  emu.faults.clear();
  expect(tabValues(emu, 'Weekly Report')).toEqual(before);
});

test('a scheduled run that fails is emailed to whoever scheduled it and shown in the sidebar', async () => {
  const { emu, ao } = world(150);
  emu.clock.set(new Date('2024-09-22T12:00:00Z'));
  await emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], ao);
  emu.faults.inject('MailApp.sendEmail', { nth: 1, error: "We're sorry, a server error occurred. Please wait a bit and try again." });
  emu.fireDueTriggers(new Date(`${MONDAY}T06:40:00Z`)); // 07:40 in London: the scheduled run, before its retry
  emu.faults.clear();
  const told = emu.mail.outbox.filter((m) => m.to === ao && /did not go out/.test(m.subject));
  expect(told).toHaveLength(1);
  expect(told[0]!.body).toMatch(/stopped after 0 email\(s\) because We're sorry, a server error occurred/);
  const status = (await emu.rpc('getWeeklyStatus', [], ao)) as { lastRun: { ok: boolean; message: string } };
  expect(status.lastRun.ok).toBe(false);
});

test('a Head of Year runs their own year\'s report, to themselves only; one saved with a year group nobody is in is flagged', async () => {
  const { emu, hoys, al } = world(150);
  const hoy = hoys[0]!;
  const res = (await emu.rpc('runWeeklyNow', [], hoy.email)) as { emailsSent: number };
  expect(res.emailsSent).toBe(1);
  expect(emu.mail.outbox.map((m) => m.to)).toEqual([hoy.email]);
  expect(emu.mail.outbox[0]!.subject).toMatch(new RegExp(`weekly attendance, Year ${hoy.yearGroup.replace('Year ', '')},`));
  await expect(emu.rpc('recalculate', [], hoy.email)).resolves.toMatchObject({ students: 150 });

  const view = (await emu.rpc('getSettings', [], al)) as { staff: { email: string; yearGroup: string }[] };
  const staff = view.staff.map((s) => (s.email === hoy.email ? { ...s, yearGroup: 'Year 12' } : s));
  // base: the settings the form was loaded with (a staff change from a stale form is refused).
  const saved = (await emu.rpc('saveSettings', [{ staff, base: view }], al)) as { ok: boolean; warnings?: string[] };
  expect(saved.ok).toBe(true);
  expect(saved.warnings).toEqual([expect.stringMatching(/no student on the tracker is in year group "Year 12" \(the tracker has "7", "8", "9", "10", "11"\), so they would get no weekly report/)]);
});
