/**
 * The preview as a school would press it (issue 11, "Done when"): the sample school of 900 pupils,
 * "+7 days" pressed week after week from the end of its register through the end of the autumn term,
 * the Christmas holiday, the spring term and its February half-term — weeks without new marks all
 * along. No press fails, the Weekly Report tab never says FAILED, and each Head of Year gets exactly
 * one weekly report per school week (the last week of term included) and none for a holiday week.
 * Uses the preview's HTTP API (no browser).
 */
import { addCalendarDays, calendarFromEntries, schoolWeeks, weekStartMonday } from '../../src/core/calendar';
import { sampleCalendar } from '../../src/core/sample/school';
import { startPreview, type PreviewServer } from '../../preview/server';
import { DIST_DIR } from './helpers';

jest.setTimeout(900_000);

let preview: PreviewServer;

beforeAll(async () => {
  preview = await startPreview({ port: 0, log: () => undefined, distDir: DIST_DIR });
}, 120_000);

afterAll(async () => {
  if (preview) await preview.close();
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The Monday a weekly email is for, from its subject ('… week of 15 Dec 2025'). */
function mondayOf(subject: string): string | null {
  const m = /week of (\d{1,2}) ([A-Z][a-z]{2}) (\d{4})/.exec(subject);
  return m ? `${m[3]}-${String(MONTHS.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : null;
}

test('"+7 days" through the end of term, the holiday and a half-term: no failure, one report per school week', async () => {
  const start = preview.emu.clock.now().toISOString().slice(0, 10);
  const failures: string[] = [];
  for (let press = 0; press < 14; press++) {
    const r = await fetch(new URL('/api/clock/advance', preview.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7 }) });
    const body = (await r.json()) as { errors: string[]; clock: { date: string } };
    if (r.status !== 200 || body.errors.length) failures.push(`press ${press + 1}: ${r.status} ${body.errors.join('; ')}`);
    const status = preview.emu.direct(() => String(preview.emu.spreadsheet.getSheetByName('Weekly Report')?.getRange(1, 1).getValue() ?? ''));
    if (/FAILED/.test(status)) failures.push(`press ${press + 1} (${body.clock.date}): ${status}`);
  }
  expect(failures).toEqual([]);

  const end = preview.emu.clock.now().toISOString().slice(0, 10);
  const calendar = calendarFromEntries(sampleCalendar(preview.school.schoolDays));
  // Reports go on the Monday after each week: the school weeks from the start's week to the last complete one.
  const expected = schoolWeeks(calendar, weekStartMonday(start), addCalendarDays(weekStartMonday(end), -7)).map((w) => w.monday);
  expect(expected).toEqual(expect.arrayContaining(['2025-12-15'])); // the last week of the autumn term
  expect(expected).not.toContain('2026-02-16'); // half-term
  const weekly = preview.emu.mail.outbox.filter((m) => /weekly attendance/i.test(m.subject));
  const hoys = preview.school.staff.filter((s) => s.role === 'HOY');
  expect(hoys.length).toBeGreaterThan(0);
  for (const h of hoys) {
    const mine = weekly.filter((m) => m.to.toLowerCase().includes(h.email.toLowerCase())).map((m) => mondayOf(m.subject));
    expect([h.email, [...mine].sort()]).toEqual([h.email, [...expected].sort()]);
  }
});
