/**
 * The weekly report on the built bundle in the emulator: an hourly trigger fired over several
 * simulated weeks of a generated school. Figures against the core's own statistics, one email per
 * Head of Year per week with only their year, no duplicate on a second run, a quota stop followed
 * by one retry that sends the rest once, and one clock trigger (T1.9) that rescheduling replaces.
 *
 * Until src/entries.ts lists WEEKLY_ENTRIES, the bundle is built here in memory the way build.mjs
 * does it (registry + generated top-level stubs), so the test runs the same code Apps Script would.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { addCalendarDays } from '../../src/core/calendar';
import { DFE_2024 } from '../../src/core/codes';
import { computeStats, statsBetween } from '../../src/core/stats';
import type { MarkOnDay } from '../../src/core/types';
import { putSampleSchool, type SampleSpreadsheet } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');
const HANDLER = 'weeklyReportTrigger';

function projectSources(): Record<string, string> {
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'Code.js'))) execFileSync('node', ['build.mjs'], { cwd: root, stdio: 'pipe' });
  const files: Record<string, string> = {
    'appsscript.json': fs.readFileSync(path.join(dist, 'appsscript.json'), 'utf8'),
    'Sidebar.html': fs.readFileSync(path.join(dist, 'Sidebar.html'), 'utf8'),
  };
  const built = fs.readFileSync(path.join(dist, 'Code.js'), 'utf8');
  if (built.includes(`function ${HANDLER}(`)) return { ...files, 'Code.js': built };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const wrapper = `
    import { ENTRY_POINTS } from './entries';
    import { WEEKLY_ENTRIES } from './gas/entries/weekly';
    export const ALL = [...ENTRY_POINTS, ...WEEKLY_ENTRIES.filter((w) => !ENTRY_POINTS.some((e) => e.name === w.name))];
    export const entries = {};
    for (const e of ALL) entries[e.name] = e.run;`;
  const out = esbuild.buildSync({
    stdin: { contents: wrapper, resolveDir: path.join(root, 'src'), loader: 'ts', sourcefile: 'weeklyTestMain.ts' },
    bundle: true, write: false, format: 'iife', globalName: 'SOLTracker', target: 'es2020', platform: 'neutral',
    mainFields: ['module', 'main'], conditions: ['import', 'default'], legalComments: 'none', charset: 'utf8', logLevel: 'silent',
  });
  const names = new Set<string>([...built.matchAll(/^function (\w+)\(/gm)].map((m) => m[1]!));
  for (const n of ['getWeeklyStatus', 'scheduleWeekly', 'unscheduleWeekly', 'runWeeklyNow', HANDLER, 'menuWeeklyReport']) names.add(n);
  const stubs = [...names].map((n) => `function ${n}() {\n  return SOLTracker.entries.${n}.apply(this, arguments);\n}\n`).join('');
  return { ...files, 'Code.js': `${out.outputFiles[0]!.text}\n${stubs}` };
}

interface World {
  emu: Emulator;
  s: SampleSpreadsheet;
  ao: string;
  al: string;
  hoys: { email: string; yearGroup: string }[];
  tutor: string;
}

function world(): World {
  const opts = { students: 150, seed: 7, startDate: '2024-09-02', schoolDays: 60 };
  const probe = putSampleSchool(createEmulator(), opts);
  const ao = probe.staffOf('AO').email;
  const al = probe.staffOf('AL').email;
  const tutor = probe.staffOf('Tutor').email;
  const hoys = probe.settings.staff.filter((m) => m.role === 'HOY').map((m) => ({ email: m.email, yearGroup: m.yearGroup }));
  const emu = createEmulator({ now: new Date('2024-10-02T11:00:00Z'), users: [ao, al, tutor, ...hoys.map((h) => h.email)], spreadsheetTimeZone: 'Europe/London' });
  const s = putSampleSchool(emu, { ...opts, school: probe.school });
  emu.loadSources(projectSources());
  return { emu, s, ao, al, hoys, tutor };
}

const weekOf = (subject: string) => /(week of \d+ \w+ \d{4})$/.exec(subject)?.[1] ?? '?';

function londonHour(d: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(d));
}

/** Expected year-group figures from the core, on the same marks, as the tab shows them. */
function expectedYearRows(s: SampleSpreadsheet, weekStart: string): string[][] {
  const weekEnd = addCalendarDays(weekStart, 6);
  const lastStart = addCalendarDays(weekStart, -7);
  const marksOf = new Map<string, MarkOnDay[]>();
  for (const m of s.school.marks) {
    let list = marksOf.get(m.studentId);
    if (!list) marksOf.set(m.studentId, (list = []));
    list.push({ date: m.date, session: m.session, code: m.code });
  }
  const years = [...new Set(s.school.students.map((st) => st.yearGroup))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const pct = (a: number, p: number) => (p === 0 ? 'no sessions' : `${((a / p) * 100).toFixed(1)}%`);
  return years.map((year) => {
    let ytdA = 0, ytdP = 0, wA = 0, wP = 0, lA = 0, lP = 0;
    for (const st of s.school.students.filter((x) => x.yearGroup === year)) {
      const marks = (marksOf.get(st.studentId) ?? []).filter((m) => m.date <= weekEnd);
      const ytd = computeStats(marks, DFE_2024);
      const w = statsBetween(marks, DFE_2024, weekStart, weekEnd);
      const l = statsBetween(marks, DFE_2024, lastStart, addCalendarDays(weekStart, -1));
      ytdA += ytd.attended; ytdP += ytd.possible; wA += w.attended; wP += w.possible; lA += l.attended; lP += l.possible;
    }
    const trend = wP && lP ? (Math.round(((wA / wP - lA / lP) * 100) * 10) / 10).toFixed(1) : '';
    return [year, pct(wA, wP), pct(lA, lP), trend, pct(ytdA, ytdP)];
  });
}

function weeklyTab(emu: Emulator): string[][] {
  return emu.direct(() => emu.spreadsheet.getSheetByName('Weekly Report')!.getDataRange().getDisplayValues());
}

describe('weekly report on an hourly trigger', () => {
  let w: World;
  beforeAll(() => {
    w = world();
  });

  test('only AO, AL and Admin may schedule; bad schedules are refused in words', async () => {
    await expect(w.emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], w.tutor)).rejects.toThrow(/may not schedule the weekly report/);
    await expect(w.emu.rpc('scheduleWeekly', [{ day: 'Funday', hour: 25 }], w.ao)).rejects.toThrow(/day "Funday" must be one of MONDAY.*hour 25 must be a whole hour/);
    expect(w.emu.triggers.list()).toEqual([]);
  });

  test('scheduling installs one clock trigger; rescheduling replaces it', async () => {
    const first = (await w.emu.rpc('scheduleWeekly', [{ day: 'TUESDAY', hour: 9 }], w.ao)) as { schedule: unknown; owner: string };
    expect(first).toMatchObject({ schedule: { day: 'TUESDAY', hour: 9 }, owner: w.ao });
    const id1 = w.emu.triggers.list()[0]!.id;
    const status = (await w.emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], w.ao)) as { schedule: unknown; owner: string };
    expect(status).toMatchObject({ schedule: { day: 'MONDAY', hour: 7 }, owner: w.ao });
    const list = w.emu.triggers.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ handler: HANDLER, type: 'CLOCK', owner: w.ao, schedule: { kind: 'hours', every: 1 } });
    expect(list[0]!.id).not.toBe(id1);
    const userProps = w.emu.properties.user(w.ao);
    expect(Object.keys(userProps).filter((k) => k.startsWith('sol.weeklyTrigger.'))).toEqual([`sol.weeklyTrigger.${list[0]!.id}`]);
    expect(JSON.parse(userProps[`sol.weeklyTrigger.${list[0]!.id}`]!)).toMatchObject({ spreadsheetId: w.emu.direct(() => w.emu.spreadsheet.getId()), day: 'MONDAY', hour: 7 });
  });

  test('three weeks of hourly runs: one email per recipient per week, on Monday at 7, figures from the core', () => {
    const runs = w.emu.fireDueTriggers(new Date('2024-10-22T12:00:00Z'));
    expect(runs.length).toBeGreaterThan(400); // hourly
    expect(runs.filter((r) => r.error)).toEqual([]);
    const outbox = w.emu.mail.outbox;
    const weeks = ['week of 30 Sep 2024', 'week of 7 Oct 2024', 'week of 14 Oct 2024'];
    expect([...new Set(outbox.map((m) => weekOf(m.subject)))]).toEqual(weeks);
    for (const m of outbox) {
      expect(londonHour(m.at)).toBe(7);
      expect(new Date(m.at).getUTCDay()).toBe(1); // Monday
      expect(m.htmlBody).toContain('max-width:600px');
    }
    for (const week of weeks) {
      const ofWeek = outbox.filter((m) => weekOf(m.subject) === week);
      expect(ofWeek).toHaveLength(w.hoys.length + 2);
      for (const hoy of w.hoys) {
        const mine = ofWeek.filter((m) => m.to === hoy.email);
        expect(mine).toHaveLength(1);
        const label = /^\d+$/.test(hoy.yearGroup) ? `Year ${hoy.yearGroup}` : hoy.yearGroup;
        expect(mine[0]!.subject).toContain(`, ${label}, ${week}`);
        expect(mine[0]!.body.split('\n')[0]).toBe(`Weekly attendance — ${label}`);
        for (const other of w.hoys.filter((h) => h.yearGroup !== hoy.yearGroup)) expect(mine[0]!.body).not.toMatch(new RegExp(`Year ${other.yearGroup} — \\d+ students`));
        expect(mine[0]!.body).toMatch(new RegExp(`${label} — \\d+ students`));
      }
      for (const who of [w.ao, w.al]) {
        const mine = ofWeek.filter((m) => m.to === who);
        expect(mine).toHaveLength(1);
        expect(mine[0]!.subject).toContain('Whole school');
      }
    }
    // The tab holds the latest week; its year-group rows are the core's numbers on the same marks.
    const tab = weeklyTab(w.emu);
    expect(tab[0]![0]).toMatch(/^Last run Mon 21 Oct 2024 at 0\d:\d\d: Weekly report for Mon 14 Oct 2024 – Sun 20 Oct 2024/);
    const header = tab.findIndex((r) => r[1] === 'Year group');
    const rows = tab.slice(header + 1).filter((r) => r[1] !== '' && r[0] === '').slice(0, w.hoys.length).map((r) => r.slice(1, 6));
    expect(rows).toEqual(expectedYearRows(w.s, '2024-10-14'));
  });

  test('running the handler again in the same week, or Weekly report now, sends nothing twice', async () => {
    const before = w.emu.mail.outbox.length;
    const uid = w.emu.triggers.list()[0]!.id;
    const again = w.emu.run<string>(HANDLER, [{ triggerUid: uid, authMode: 'FULL' }], { kind: 'trigger', user: w.ao });
    expect(again).toMatch(/already sent/);
    const now = (await w.emu.rpc('runWeeklyNow', [], w.ao)) as { week: string; emailsSent: number; message: string };
    expect(now).toMatchObject({ week: '2024-10-14', emailsSent: 0 });
    expect(now.message).toMatch(/0 email\(s\) sent, \d+ already sent earlier/);
    expect(w.emu.mail.outbox.length).toBe(before);
    const status = (await w.emu.rpc('getWeeklyStatus', [], w.ao)) as { lastRun: { ok: boolean; week: string }; complete: boolean; owner: string };
    expect(status).toMatchObject({ owner: w.ao, complete: true, lastRun: { ok: true, week: '2024-W42' } });
  });

  test('a quota stop is retried once an hour later and sends only the rest', () => {
    const before = w.emu.mail.outbox.length;
    // Half-term (21–27 Oct, week 43) has no school day: its Monday run sends nothing.
    w.emu.fireDueTriggers(new Date('2024-10-28T09:00:00Z'));
    expect(w.emu.mail.outbox.length).toBe(before);
    // The Monday 7:00 run of week 44 finds 3 emails of quota left.
    w.emu.fireDueTriggers(new Date('2024-11-04T06:30:00Z'));
    w.emu.mail.setRemaining(3, w.ao);
    w.emu.fireDueTriggers(new Date('2024-11-04T07:30:00Z'));
    const first = w.emu.mail.outbox.slice(before);
    expect(first).toHaveLength(3);
    expect(weeklyTab(w.emu)[0]![0]).toMatch(/^FAILED .*quota/);
    w.emu.mail.setRemaining(100, w.ao);
    w.emu.fireDueTriggers(new Date('2024-11-04T18:00:00Z'));
    const week44 = w.emu.mail.outbox.slice(before);
    expect(week44).toHaveLength(w.hoys.length + 2);
    expect(new Set(week44.map((m) => m.to)).size).toBe(w.hoys.length + 2);
    expect(londonHour(week44[3]!.at)).toBe(8); // the retry, an hour later
    expect(weeklyTab(w.emu)[0]![0]).toMatch(/^Last run .*Mon 28 Oct 2024 – Sun 3 Nov 2024/);
  });

  test('a week that fails twice waits for a person; unscheduling removes the trigger', async () => {
    const before = w.emu.mail.outbox.length;
    w.emu.fireDueTriggers(new Date('2024-11-11T06:30:00Z'));
    w.emu.faults.inject('MailApp.sendEmail', { every: true, error: 'Service invoked too many times for one day: email.' });
    w.emu.fireDueTriggers(new Date('2024-11-11T20:00:00Z'));
    w.emu.faults.clear();
    expect(w.emu.mail.outbox.length).toBe(before);
    const status = (await w.emu.rpc('getWeeklyStatus', [], w.ao)) as { lastRun: { ok: boolean; message: string } };
    expect(status.lastRun.ok).toBe(false);
    const now = (await w.emu.rpc('runWeeklyNow', [], w.ao)) as { emailsSent: number };
    expect(now.emailsSent).toBe(w.hoys.length + 2);
    await w.emu.rpc('unscheduleWeekly', [], w.ao);
    expect(w.emu.triggers.list()).toEqual([]);
    expect(Object.keys(w.emu.properties.user(w.ao)).filter((k) => k.startsWith('sol.weeklyTrigger.'))).toEqual([]);
  });
});
