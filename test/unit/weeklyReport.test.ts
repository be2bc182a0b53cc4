import { addCalendarDays } from '../../src/core/calendar';
import { DFE_2024 } from '../../src/core/codes';
import {
  buildWeeklyReport,
  decodeSnapshot,
  EMPTY_WEEKLY_STATE,
  encodeSnapshot,
  shortWhy,
  snapshotOf,
  isoWeekLabel,
  latestSlot,
  lettersInWeek,
  mergeWeeklyStates,
  rankTutorGroups,
  weekContaining,
  weeklyDecision,
  weekToReport,
  type GroupFigures,
  type WeeklyReportInput,
  type WeeklyStudentInput,
} from '../../src/core/report/weekly';
import { dateText, EMAIL_LIST_LIMIT, MAX_EMAIL_COLUMNS, renderWeeklyEmail, staleDataWarning } from '../../src/core/report/weeklyHtml';
import { WEEKLY_SHEET_COLUMNS, weeklyReportSheetValues } from '../../src/core/report/weeklySheet';
import { computeStats, penaltyNoticeCheck, statsBetween } from '../../src/core/stats';
import type { InterventionRecord, MarkOnDay } from '../../src/core/types';

/** Codes laid on consecutive weekdays from a Monday, AM then PM. */
function sessions(firstMonday: string, codes: readonly string[]): MarkOnDay[] {
  const marks: MarkOnDay[] = [];
  let date = firstMonday;
  codes.forEach((code, i) => {
    marks.push({ date, session: i % 2 === 0 ? 'AM' : 'PM', code });
    if (i % 2 === 1) {
      date = addCalendarDays(date, 1);
      while ([0, 6].includes(new Date(date + 'T00:00:00Z').getUTCDay())) date = addCalendarDays(date, 1);
    }
  });
  return marks;
}
const rep = (code: string, n: number) => Array<string>(n).fill(code);

const NO_PLACEMENT = { step: 0, label: 'No step', explanation: 'No step: attendance 100%', nextAction: '', owner: '', dueDate: null, reviewDue: null, letterDue: null, currentStepInHistory: 0 };

function student(id: string, name: string, yearGroup: string, tutorGroup: string, marks: MarkOnDay[], extra: Partial<WeeklyStudentInput> = {}): WeeklyStudentInput {
  return { student: { studentId: id, name, yearGroup, tutorGroup }, marks, history: [], placement: { ...NO_PLACEMENT }, contactDue: null, overdue: false, ...extra };
}

const HOSTILE = '<img src=x onerror=alert(1)> "Bobby" O\'Neil & co';
const WEEK = { start: '2026-11-23', end: '2026-11-29', label: '2026-W48' };

function school(): WeeklyStudentInput[] {
  return [
    student('A', 'Ann Steady', 'Year 9', '9A', sessions('2026-11-09', rep('/', 30))),
    student('B', 'Ben Dropper', 'Year 9', '9A', sessions('2026-11-09', [...rep('/', 20), ...rep('O', 10)]), {
      placement: { ...NO_PLACEMENT, step: 4, label: 'Step 4 – Letter 1', explanation: 'Step 4 because attendance 66.7% < 95%', nextAction: 'Send Letter 1', owner: 'AO', letterDue: { letterId: 'L1', step: 4, windowKey: 'Autumn 2026' }, currentStepInHistory: 2 },
    }),
    student('C', 'Cara Small', 'Year 9', '9B', sessions('2026-11-09', [...rep('/', 20), 'O', ...rep('/', 9)]), {
      placement: { ...NO_PLACEMENT, step: 1, label: 'Step 1 – Tutor conversation', currentStepInHistory: 1 },
      contactDue: '2026-11-20',
    }),
    student('D', 'Dan Tiny', 'Year 9', '9B', sessions('2026-09-14', [...rep('/', 100), 'O', ...rep('/', 9)]), {
      placement: { ...NO_PLACEMENT, step: 2, label: 'Step 2 – Call home', currentStepInHistory: 2, reviewDue: '2026-11-25' },
    }),
    student('E', 'Eve Band', 'Year 9', '9B', sessions('2026-09-14', [...rep('I', 5), ...rep('/', 95), 'I', ...rep('/', 9)]), {
      placement: { ...NO_PLACEMENT, step: 3, label: 'Step 3 – Letter', currentStepInHistory: 3, letterDue: { letterId: 'L2', step: 3, windowKey: 'Autumn 2026' } },
    }),
    student('F', HOSTILE, 'Year 10', '10A', sessions('2026-11-23', rep('O', 10))),
    // A mark after the week must not count: the report is about the week that ended.
    student('G', 'Gus Later', 'Year 10', '10A', [...sessions('2026-11-09', rep('/', 30)), { date: '2026-11-30', session: 'AM', code: 'O' }]),
  ];
}

function input(over: Partial<WeeklyReportInput> = {}): WeeklyReportInput {
  return {
    records: school(),
    table: DFE_2024,
    week: WEEK,
    previousWeekStart: '2026-11-16',
    lettersThisWeek: [
      { studentId: 'B', letterId: 'L1', date: '2026-11-24' },
      { studentId: 'ZZZ', letterId: 'L1', date: '2026-11-25' },
      { studentId: 'C', letterId: 'L1', date: '2026-11-13' }, // previous week: not this week's
    ],
    dataUsed: { importedAt: '2026-11-30T06:00:00', lastMarkDate: '2026-11-30' },
    schoolName: 'Hillside Academy',
    asOf: '2026-11-30',
    bands: [97, 95, 90],
    ...over,
  };
}

describe('buildWeeklyReport: figures', () => {
  const report = buildWeeklyReport(input());
  const y9 = report.yearGroups.find((y) => y.name === 'Year 9')!;
  const y10 = report.yearGroups.find((y) => y.name === 'Year 10')!;

  test('year groups in natural order, whole school last', () => {
    expect(report.yearGroups.map((y) => y.name)).toEqual(['Year 9', 'Year 10']);
    expect(report.school.figures.students).toBe(7);
  });

  test('year-to-date, this week and last week are the sums of the core statistics (marks up to the week end)', () => {
    for (const section of report.yearGroups) {
      const recs = school().filter((r) => r.student.yearGroup === section.name);
      const upToEnd = (r: WeeklyStudentInput) => r.marks.filter((m) => m.date <= WEEK.end);
      const sum = (f: (r: WeeklyStudentInput) => { attended: number; possible: number }) =>
        recs.reduce((acc, r) => ({ attended: acc.attended + f(r).attended, possible: acc.possible + f(r).possible }), { attended: 0, possible: 0 });
      const ytd = sum((r) => computeStats(upToEnd(r), DFE_2024));
      const week = sum((r) => statsBetween(r.marks, DFE_2024, WEEK.start, WEEK.end));
      const last = sum((r) => statsBetween(r.marks, DFE_2024, '2026-11-16', '2026-11-22'));
      expect(section.figures.yearToDate).toEqual({ ...ytd, fraction: ytd.attended / ytd.possible });
      expect(section.figures.thisWeek).toEqual({ ...week, fraction: week.attended / week.possible });
      expect(section.figures.lastWeek).toEqual({ ...last, fraction: last.attended / last.possible });
      expect(section.figures.persistent).toBe(recs.filter((r) => computeStats(upToEnd(r), DFE_2024).persistentAbsence).length);
    }
    // G's mark of 30 November is after the week: G is 30/30.
    expect(y10.figures.yearToDate).toMatchObject({ attended: 30, possible: 40 });
  });

  test('drops: at least 1 point or below a band, largest first, with the band crossed', () => {
    expect(y9.dropped.map((d) => [d.studentId, Number(d.dropPoints.toFixed(4)), d.crossedBand])).toEqual([
      ['B', 33.3333, 90],
      ['C', 3.3333, 97],
      ['E', 0.4545, 95],
    ]);
    // D fell 0.91 points and crossed no band: not reported.
    expect(y9.dropped.some((d) => d.studentId === 'D')).toBe(false);
    // Without bands, the small crossing is not a drop.
    const noBands = buildWeeklyReport(input({ bands: [] }));
    expect(noBands.yearGroups[0]!.dropped.map((d) => d.studentId)).toEqual(['B', 'C']);
  });

  test('a drop of exactly the threshold counts (integer comparison, no float edge)', () => {
    // 90/90 before, 9/10 this week → 99/100: exactly 1.0 point.
    const h = student('H', 'Hal Edge', 'Year 9', '9A', sessions('2026-09-21', [...rep('/', 90), 'O', ...rep('/', 9)]));
    const r = buildWeeklyReport(input({ records: [h], bands: [] }));
    expect(r.yearGroups[0]!.dropped.map((d) => d.studentId)).toEqual(['H']);
    const r2 = buildWeeklyReport(input({ records: [h], bands: [], dropPoints: 1.1 }));
    expect(r2.yearGroups[0]!.dropped).toEqual([]);
  });

  test('newly persistent and severe: now but not before the week began', () => {
    expect(y9.newlyPersistent.map((f) => f.studentId)).toEqual(['B']);
    expect(y9.newlySevere).toEqual([]);
    expect(y10.newlyPersistent.map((f) => [f.studentId, f.absent, f.possible, f.severe])).toEqual([['F', 10, 10, true]]);
    expect(y10.newlySevere.map((f) => f.studentId)).toEqual(['F']);
    // Already persistent before the week: not "newly".
    const old = student('P', 'Pat Old', 'Year 9', '9A', sessions('2026-11-09', [...rep('O', 5), ...rep('/', 25)]));
    const r = buildWeeklyReport(input({ records: [old] }));
    expect(r.yearGroups[0]!.figures.persistent).toBe(1);
    expect(r.yearGroups[0]!.newlyPersistent).toEqual([]);
  });

  test('steps: entering a higher step than the log, or a letter due', () => {
    expect(y9.steps.map((s) => [s.studentId, s.step, s.fromStep, s.entering, s.letterDue])).toEqual([
      ['B', 4, 2, true, 'L1'],
      ['E', 3, 3, false, 'L2'],
    ]);
  });

  test('overdue contacts and reviews are those due before the run date', () => {
    expect(y9.overdue.map((o) => [o.studentId, o.kind, o.due])).toEqual([
      ['C', 'contact', '2026-11-20'],
      ['D', 'review', '2026-11-25'],
    ]);
    const early = buildWeeklyReport(input({ asOf: '2026-11-20' }));
    expect(early.yearGroups[0]!.overdue.map((o) => o.studentId)).toEqual([]);
  });

  test('a contact logged since the pupil reached the step is not overdue, even when logged after its due date (preview walk: a call on 5 Dec still listed as "contact overdue, due 2 Dec")', () => {
    const call = { date: '2026-11-24', studentId: 'C', step: 1, method: 'Phone call', outcome: 'Spoke to parent/carer', by: 'ao@school.example' } as InterventionRecord;
    const reached = { ...call, date: '2026-11-13', method: 'Note', outcome: 'Other' } as InterventionRecord;
    const withCall = buildWeeklyReport(input({ records: school().map((r) => (r.student.studentId === 'C' ? { ...r, history: [reached, call] } : r)) }));
    expect(withCall.yearGroups[0]!.overdue.map((o) => [o.studentId, o.kind])).toEqual([['D', 'review']]);
    // A contact from before the pupil reached this step does not count.
    const older = buildWeeklyReport(input({ records: school().map((r) => (r.student.studentId === 'C' ? { ...r, history: [{ ...call, date: '2026-11-10', step: 0 }, reached] } : r)) }));
    expect(older.yearGroups[0]!.overdue.map((o) => [o.studentId, o.kind])).toEqual([['C', 'contact'], ['D', 'review']]);
  });

  test('penalty-notice threshold reached this week (10 unauthorised sessions in 10 school weeks)', () => {
    expect(y9.penalty.map((p) => [p.studentId, p.unauthorisedInWindow])).toEqual([['B', 10]]);
    expect(y10.penalty.map((p) => p.studentId)).toEqual(['F']);
    expect(penaltyNoticeCheck(school()[1]!.marks, DFE_2024).reached).toBe(true);
    // Reached before this week: not reported again.
    const earlier = student('Q', 'Quin Earlier', 'Year 9', '9A', sessions('2026-11-09', [...rep('O', 10), ...rep('/', 20)]));
    expect(buildWeeklyReport(input({ records: [earlier] })).yearGroups[0]!.penalty).toEqual([]);
  });

  test('letters: only this week, matched to their year group; unknown IDs kept aside', () => {
    expect(y9.letters.map((l) => [l.studentId, l.letterId])).toEqual([['B', 'L1']]);
    expect(report.unmatchedLetters.map((l) => l.studentId)).toEqual(['ZZZ']);
  });

  test('class ranking by this week, ties share a rank and break on year to date; trend in points', () => {
    expect(y9.tutorGroups.map((g) => [g.rank, g.name])).toEqual([[1, '9B'], [2, '9A']]);
    expect(report.school.tutorGroups.map((g) => [g.rank, g.name])).toEqual([[1, '9B'], [2, '9A'], [2, '10A']]);
    const g9a = y9.tutorGroups.find((g) => g.name === '9A')!;
    expect(g9a.thisWeek).toMatchObject({ attended: 10, possible: 20 });
    expect(g9a.lastWeek).toMatchObject({ attended: 20, possible: 20 });
    expect(g9a.trendPoints).toBeCloseTo(-50, 10);
    expect(y9.tutorGroups[0]!.trendPoints).toBeCloseTo(-10, 10);
  });

  test('rankTutorGroups: empty weeks last and unranked', () => {
    const g = (name: string, a: number, p: number): GroupFigures => ({
      name, students: 1, yearToDate: { attended: a, possible: p, fraction: p ? a / p : null }, thisWeek: { attended: a, possible: p, fraction: p ? a / p : null },
      lastWeek: { attended: 0, possible: 0, fraction: null }, trendPoints: null, persistent: 0, severe: 0, rank: 0,
    });
    expect(rankTutorGroups([g('X', 0, 0), g('Y', 1, 3), g('Z', 2, 6), g('W', 9, 10)]).map((x) => [x.rank, x.name])).toEqual([[1, 'W'], [2, 'Y'], [2, 'Z'], [0, 'X']]);
  });

  test('summary line per year group carries the counts', () => {
    expect(y9.summary).toContain('Year 9 — 5 students');
    expect(y9.summary).toContain('1 persistently absent (1 new)');
    expect(y9.summary).toContain('3 dropped');
    expect(y9.summary).toContain('1 newly reached the penalty-notice threshold');
    expect(y9.summary).toContain('74.0% this week (−26.0 points on last week)');
  });

  test('bad input is refused with a clear message', () => {
    expect(() => buildWeeklyReport(input({ previousWeekStart: '2026-11-23' }))).toThrow(/last week's start/);
    expect(() => buildWeeklyReport(input({ dropPoints: 0 }))).toThrow(/drop threshold/);
    const bad = student('X', 'Xan Bad', 'Year 9', '9A', [{ date: '2026-11-23', session: 'AM', code: 'QQ' }]);
    expect(() => buildWeeklyReport(input({ records: [bad] }))).toThrow(/student X \(Xan Bad\).*QQ/);
  });
});

describe('weeks', () => {
  test('ISO week labels', () => {
    expect(isoWeekLabel('2026-11-23')).toBe('2026-W48');
    expect(isoWeekLabel('2021-01-03')).toBe('2020-W53');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
    expect(weekContaining('2026-11-26')).toEqual(WEEK);
  });
  test('a run reports the last week whose school days are all past', () => {
    expect(weekToReport('2026-11-30').label).toBe('2026-W48'); // Monday → last week
    expect(weekToReport('2026-11-27').label).toBe('2026-W47'); // Friday → last week
    expect(weekToReport('2026-11-28').label).toBe('2026-W48'); // Saturday → this week
    expect(weekToReport('2026-11-29').label).toBe('2026-W48'); // Sunday
  });
  test('letters from the log histories', () => {
    const r = student('B', 'Ben', 'Year 9', '9A', [], {
      history: [
        { date: '2026-11-24', studentId: 'B', step: 4, method: 'Letter', outcome: 'Letter sent', by: 'ao@x', letterKey: 'B|L1|Autumn 2026' },
        { date: '2026-11-25', studentId: 'B', step: 4, method: 'Phone call', outcome: 'No answer', by: 'ao@x' },
        { date: '2026-11-16', studentId: 'B', step: 3, method: 'Letter', outcome: 'Letter sent', by: 'ao@x' },
      ],
    });
    expect(lettersInWeek([r], WEEK)).toEqual([{ studentId: 'B', letterId: 'L1', date: '2026-11-24' }]);
  });
  test('an adopted letter the school\'s sheet gave no date for (recorded on the day of adoption) was not sent that week; a dated one was (preview walk: 75 phantom Letter 3s in the first report)', () => {
    const adopted = (notes: string, date: string) => ({ date, studentId: 'B', step: 6, method: 'Letter' as const, outcome: 'Letter sent' as const, by: 'admin@x', letterKey: `B|L3|Autumn 2026`, notes });
    const r = student('B', 'Ben', 'Year 9', '9A', [], {
      history: [
        adopted('Adopted history: Letter 3 (the letter of Step 6) taken as sent — the sheet gives no date (recorded as today); untick it if it was not sent; confirmed by admin@x. [B|stepLetter|Intervention]', '2026-11-27'),
        adopted('Adopted history: Letter 1 sent on a date the sheet does not give (recorded as today) (column "Letter 1"); confirmed by admin@x. [B|letter|Letter 1]', '2026-11-27'),
        adopted('Adopted history: Letter 2 sent on 24/11/2026 (column "Letter 2"); confirmed by admin@x. [B|letter|Letter 2]', '2026-11-24'),
      ],
    });
    expect(lettersInWeek([r], WEEK)).toEqual([{ studentId: 'B', letterId: 'L3', date: '2026-11-24' }]);
  });
});

describe('weeklyDecision (hourly trigger)', () => {
  const schedule = { day: 'MONDAY' as const, hour: 7 };
  const scheduledAt = { date: '2026-11-18', hour: 10 };
  const H = 3600_000;
  test('latest slot', () => {
    expect(latestSlot({ date: '2026-11-23', hour: 6 }, 'MONDAY', 7)).toEqual({ date: '2026-11-16', hour: 7 });
    expect(latestSlot({ date: '2026-11-23', hour: 7 }, 'MONDAY', 7)).toEqual({ date: '2026-11-23', hour: 7 });
    expect(latestSlot({ date: '2026-11-25', hour: 1 }, 'FRIDAY', 15)).toEqual({ date: '2026-11-20', hour: 15 });
  });
  test('not before the first slot after scheduling; due at the slot; caught up later in the week', () => {
    const state = EMPTY_WEEKLY_STATE;
    expect(weeklyDecision({ now: { date: '2026-11-23', hour: 6 }, nowMs: 0, schedule, scheduledAt, state }).action).toBe('wait');
    const due = weeklyDecision({ now: { date: '2026-11-23', hour: 7 }, nowMs: 0, schedule, scheduledAt, state });
    expect(due).toMatchObject({ action: 'send', retry: false, week: { label: '2026-W47' } });
    expect(weeklyDecision({ now: { date: '2026-11-25', hour: 3 }, nowMs: 0, schedule, scheduledAt, state })).toMatchObject({ action: 'send', week: { label: '2026-W47' } });
  });
  test('never twice; one retry an hour later; then a person decides', () => {
    const now = { date: '2026-11-23', hour: 8 };
    const base = { ...EMPTY_WEEKLY_STATE, week: '2026-W47' };
    expect(weeklyDecision({ now, nowMs: 10 * H, schedule, scheduledAt, state: { ...base, complete: true } }).action).toBe('wait');
    expect(weeklyDecision({ now, nowMs: 10 * H, schedule, scheduledAt, state: { ...base, attempts: 1, lastAttemptMs: 10 * H - 10 * 60_000 } }).action).toBe('wait');
    expect(weeklyDecision({ now, nowMs: 10 * H, schedule, scheduledAt, state: { ...base, attempts: 1, lastAttemptMs: 9 * H } })).toMatchObject({ action: 'send', retry: true });
    expect(weeklyDecision({ now, nowMs: 10 * H, schedule, scheduledAt, state: { ...base, attempts: 2, lastAttemptMs: 8 * H } }).action).toBe('wait');
    // A new week starts afresh.
    expect(weeklyDecision({ now: { date: '2026-11-30', hour: 7 }, nowMs: 200 * H, schedule, scheduledAt, state: { ...base, attempts: 2 } })).toMatchObject({ action: 'send', week: { label: '2026-W48' } });
  });
  test('merging the document and user copies of the state', () => {
    const a = { ...EMPTY_WEEKLY_STATE, week: '2026-W47', recipientsSent: ['x'], attempts: 1, lastAttemptMs: 5 };
    const b = { ...EMPTY_WEEKLY_STATE, week: '2026-W47', recipientsSent: ['y'], attempts: 2, lastAttemptMs: 9 };
    expect(mergeWeeklyStates([a, b])).toMatchObject({ week: '2026-W47', recipientsSent: ['x', 'y'], attempts: 2, lastAttemptMs: 9 });
    expect(mergeWeeklyStates([a, { ...b, week: '2026-W48' }])).toMatchObject({ week: '2026-W48', recipientsSent: ['y'] });
    expect(mergeWeeklyStates([null, null])).toEqual(EMPTY_WEEKLY_STATE);
  });
});

describe('renderWeeklyEmail', () => {
  const report = buildWeeklyReport(input({ schoolName: 'Hill & Dale <Academy>' }));

  test('hostile names are escaped in the HTML, kept as text in the plain alternative', () => {
    const { html, text, subject } = renderWeeklyEmail(report, { yearGroup: 'Year 10' });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;Bobby&quot; O&#39;Neil &amp; co');
    expect(html).toContain('Hill &amp; Dale &lt;Academy&gt;');
    expect(text).toContain(HOSTILE);
    expect(subject).toBe('Hill & Dale <Academy>: weekly attendance, Year 10, week of 23 Nov 2026');
    const school = renderWeeklyEmail(report, 'school');
    expect(school.html).not.toContain('<img');
    expect(school.html).toContain('&lt;img src=x');
  });

  test('a step entry says "from no step" for a student with no earlier step (never "(new) NEW" beside the new-since-last-report mark) and lists only the first action', () => {
    const withSteps = buildWeeklyReport(input());
    const entering = withSteps.yearGroups.flatMap((y) => y.steps).find((x) => x.entering);
    expect(entering).toBeDefined();
    const fresh = { ...entering!, fromStep: 0, isNew: true, nextAction: 'Call home; send Letter 1; review in 2 weeks' };
    const year = withSteps.yearGroups.find((y) => y.steps.includes(entering!))!;
    const patched = { ...withSteps, yearGroups: withSteps.yearGroups.map((y) => (y === year ? { ...y, steps: [fresh] } : y)) };
    const { html, text } = renderWeeklyEmail(patched, { yearGroup: year.name });
    expect(html).toContain(`${fresh.label} (from no step)`);
    // Preview walk: "Step 6 – Letter 3, AIM 2 (new) NEW" — two meanings of "new" side by side.
    expect(text).toContain(`${fresh.label} (from no step) NEW`);
    expect(text).not.toContain('(new)');
    expect(html).not.toContain('from step 0');
    expect(html).toContain('Call home');
    expect(html).not.toContain('send Letter 1');
    expect(text).toContain('Next: Call home');
  });

  test('letters sent this week are named in words in the email and its text ("Letter 2", never the id "letter2": preview walk)', () => {
    const report = buildWeeklyReport(input({ lettersThisWeek: [{ studentId: 'B', letterId: 'letter2', date: '2026-11-24' }] }));
    const year = report.yearGroups.find((y) => y.letters.length > 0)!;
    const { html, text } = renderWeeklyEmail(report, { yearGroup: year.name });
    expect(text).toMatch(/: Letter 2, /);
    expect(html).toContain('>Letter 2<');
    expect(`${html}\n${text}`).not.toMatch(/letter2/);
  });

  test('narrow layout: 600px column, inline styles only, at most four columns per table, no external resources', () => {
    for (const scope of [{ yearGroup: 'Year 9' }, { yearGroup: 'Year 10' }, 'school'] as const) {
      const { html } = renderWeeklyEmail(report, scope);
      expect(html).toContain('max-width:600px');
      expect(html).not.toMatch(/<style|<link|<script|<img|url\(/i);
      const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
      expect(tables.length).toBeGreaterThan(0);
      for (const t of tables) {
        expect(t).toContain('table-layout:fixed');
        for (const row of t.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
          const cells = (row.match(/<t[dh][ >]/g) ?? []).length;
          expect(cells).toBeLessThanOrEqual(MAX_EMAIL_COLUMNS);
        }
      }
    }
  });

  test('the year email has only that year; it states the data used', () => {
    const { html, text } = renderWeeklyEmail(report, { yearGroup: 'Year 9' });
    expect(html).toContain('Ben Dropper');
    expect(html).not.toContain('Gus Later');
    expect(text).toContain('register last imported Mon 30 Nov 2026 at 06:00');
    expect(text).toContain('latest register mark Mon 30 Nov 2026');
    expect(text).toContain('Ben Dropper (9A): 100.0% → 66.7%, down 33.3 points (below 90%)');
  });

  test('a stale register is called out; an unknown year group is a clear error', () => {
    const stale = buildWeeklyReport(input({ dataUsed: { importedAt: null, lastMarkDate: '2026-11-25' } }));
    expect(staleDataWarning(stale)).toMatch(/no marks after Wed 25 Nov 2026/);
    expect(renderWeeklyEmail(stale, 'school').text).toContain('this week\'s figures are incomplete');
    // A week's emails go once: the warning says the tab gets the full figures, and never promises a new email.
    expect(staleDataWarning(stale)).toMatch(/Weekly report now puts the full figures on the Weekly Report tab \(this email is not sent again\)/);
    expect(staleDataWarning(stale)).not.toMatch(/run the report again/);
    expect(staleDataWarning(report)).toBeNull();
    expect(() => renderWeeklyEmail(report, { yearGroup: 'Year 12' })).toThrow(/no year group "Year 12".*"Year 9", "Year 10"/);
  });

  test('the whole-school email names a bare year group "9" as "Year 9" and gives the penalty window, as the year emails do (preview walk: "Tomasz Thomas (8G), 8: 16 unauthorised sessions")', () => {
    const bare = school().map((r) => ({ ...r, student: { ...r.student, yearGroup: r.student.yearGroup.replace(/^Year /, '') } }));
    const built = buildWeeklyReport(input({ records: bare }));
    const { text, html } = renderWeeklyEmail(built, 'school');
    const penalty = built.school.penalty[0]!;
    expect(text).toContain(`${penalty.name} (${penalty.tutorGroup}), Year ${penalty.yearGroup}: ${penalty.unauthorisedInWindow} unauthorised sessions, ${dateText(penalty.windowStart)} – ${dateText(penalty.windowEnd)}`);
    expect(text).not.toMatch(/\), \d+: /);
    expect(html).toContain(`${penalty.tutorGroup} · Year ${penalty.yearGroup}`);
  });

  test('after a holiday, "last week" is the last school week as a week, not the weeks up to this one (preview walk: "last week" Mon 15 Dec 2025 – Sun 4 Jan 2026)', () => {
    const afterHoliday = buildWeeklyReport(input({ previousWeekStart: '2026-11-02' }));
    expect(afterHoliday.previousWeek).toEqual({ start: '2026-11-02', end: '2026-11-08' });
    expect(renderWeeklyEmail(afterHoliday, 'school').text).toContain('"last week" Mon 2 Nov 2026 – Sun 8 Nov 2026;');
    expect(buildWeeklyReport(input()).previousWeek).toEqual({ start: '2026-11-16', end: '2026-11-22' });
  });

  test('a week whose Friday is not a school day (an INSET day ending the term) is complete with Thursday\'s marks (preview walk, week of 15 Dec)', () => {
    const thursday = buildWeeklyReport(input({ dataUsed: { importedAt: null, lastMarkDate: '2026-11-26', lastSchoolDay: '2026-11-26' } }));
    expect(staleDataWarning(thursday)).toBeNull();
    expect(renderWeeklyEmail(thursday, 'school').text).not.toContain('figures are incomplete');
    // The same marks in a week that has school on Friday: still partial.
    const friday = buildWeeklyReport(input({ dataUsed: { importedAt: null, lastMarkDate: '2026-11-26', lastSchoolDay: '2026-11-27' } }));
    expect(staleDataWarning(friday)).toMatch(/no marks after Thu 26 Nov 2026/);
  });
});

describe('weeklyReportSheetValues', () => {
  test('rectangular, sheet-safe text, one block per year group', () => {
    const hostile = school();
    hostile[1] = { ...hostile[1]!, student: { ...hostile[1]!.student, name: '=HYPERLINK("http://evil","x")' } };
    const values = weeklyReportSheetValues(buildWeeklyReport(input({ records: hostile })));
    expect(values.every((r) => r.length === WEEKLY_SHEET_COLUMNS)).toBe(true);
    const flat = values.flat();
    expect(flat.some((v) => v.startsWith('='))).toBe(false);
    expect(flat).toContain(`'=HYPERLINK("http://evil","x")`);
    expect(flat).toContain("'-50.0"); // 9A's trend, text not a formula
    expect(values.filter((r) => r[0] === 'Year 9' || r[0] === 'Year 10').length).toBe(2);
  });
});

describe('a report a Head of Year can use in 20 minutes (issue 11)', () => {
  test('"new" means new since the previous report: a pupil still waiting at the same step is not new again', () => {
    const first = buildWeeklyReport(input());
    const stepsNow = first.yearGroups.flatMap((y) => y.steps);
    expect(stepsNow.some((s) => s.isNew)).toBe(true);
    const again = buildWeeklyReport(input({ previous: snapshotOf(first) }));
    expect(again.yearGroups.flatMap((y) => y.steps).filter((s) => s.isNew)).toEqual([]);
    expect(again.yearGroups.flatMap((y) => y.newlyPersistent)).toEqual([]);
    expect(again.yearGroups.flatMap((y) => y.penalty)).toEqual([]);
    // The snapshot survives its text form (kept in document properties).
    expect(decodeSnapshot(encodeSnapshot(snapshotOf(first)))).toEqual(snapshotOf(first));
  });

  test('headline counts are the lengths of the lists shown', () => {
    const report = buildWeeklyReport(input());
    for (const y of report.yearGroups) {
      expect(y.summary).toContain(`${y.steps.length} at a step needing action (${y.steps.filter((s) => s.isNew).length} new)`);
      expect(y.summary).toContain(`${y.penalty.length} newly reached the penalty-notice threshold`);
      expect(y.summary).toContain(`${y.dropped.length} dropped`);
    }
  });

  test('explanations are short; lists are capped with a link to the full tab; no ID numbers', () => {
    expect(shortWhy('Step 5 because attendance 91.7% is below 93%, jumping from no step')).toBe('attendance 91.7% is below 93%');
    expect(shortWhy(`Step 2 because ${'x'.repeat(300)}`).length).toBeLessThanOrEqual(90);
    const report = buildWeeklyReport(input());
    const year = report.yearGroups[0]!;
    const many = Array.from({ length: 30 }, (_, i) => ({ ...year.dropped[0]!, studentId: `ID${1000 + i}`, name: `Pupil ${i}` }));
    const big = { ...report, yearGroups: [{ ...year, dropped: many }, ...report.yearGroups.slice(1)] };
    const url = 'https://docs.google.com/spreadsheets/d/abc/edit#gid=7';
    const { html, text } = renderWeeklyEmail(big, { yearGroup: year.name }, { fullListUrl: url });
    expect(html).toContain(`…and ${30 - EMAIL_LIST_LIMIT} more — <a href="${url}"`);
    expect(text).toContain(`…and ${30 - EMAIL_LIST_LIMIT} more on the Weekly Report tab: ${url}`);
    expect(html).not.toMatch(/ID10\d\d/);
  });
});
