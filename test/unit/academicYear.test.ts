/**
 * The academic year (issue 11 point 1): entered in Settings ▸ Academic year as terms and days off,
 * parsed strictly (a cell that names no real date is refused, naming the cell), England's usual
 * pattern offered as a start, and one pure API every school-day computation uses.
 */
import {
  addSchoolDays,
  calendarFromEntries,
  calendarKindOf,
  englandPattern,
  halfTermsOf,
  isSchoolDay,
  latestSchoolWeek,
  parseDateCell,
  schoolDaysBetween,
  schoolDaysOf,
  schoolWeeks,
  whyNotSchoolDay,
  type CalendarEntry,
} from '../../src/core/calendar';
import { DEFAULT_SETTINGS, parseSettingsSheet, settingsToSheet, type Settings } from '../../src/core/settings';
import { PRESETS } from '../../src/core/policy/presets';
import { generateSchool, sampleCalendar } from '../../src/core/sample/school';
import { buildSchoolModel } from '../../src/core/schoolModel';
import { mapColumns } from '../../src/core/tracker/columns';
import { registerSheetValues } from '../../src/core/register/registerSheet';
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { penaltyNoticeCheck } from '../../src/core/stats';
import { resolveActivePolicy } from '../../src/core/activePolicy';
import type { MarkOnDay, RegisterMark } from '../../src/core/types';

const presets = Object.keys(PRESETS);
const YEAR_2026: CalendarEntry[] = englandPattern(2026);
const settingsWith = (calendar: CalendarEntry[]): Settings => ({ ...DEFAULT_SETTINGS, calendar });
const sheet = (s: Settings) => settingsToSheet(s).map((r) => [...r]) as unknown[][];
const rowNamed = (values: unknown[][], name: string) => values.findIndex((r) => r[1] === name);

describe('strict dates in Settings ▸ Academic year', () => {
  test.each([
    ['2024-02-30', /"2024-02-30" is not a date: February 2024 has 29 days/],
    ['2024-13-45', /"2024-13-45" is not a date: there is no month 13/],
    ['2023-02-29', /February 2023 has 28 days/],
    ['30/09/2026', /is not written yyyy-mm-dd/],
    ['next Monday', /is not written yyyy-mm-dd/],
  ])('%p is refused with a reason', (text, reason) => {
    const parsed = parseDateCell(text);
    expect('error' in parsed && parsed.error).toMatch(reason);
  });
  test('real dates, date cells and the force-text apostrophe are accepted', () => {
    expect(parseDateCell('2024-02-29')).toEqual({ date: '2024-02-29' });
    expect(parseDateCell("'2026-09-01")).toEqual({ date: '2026-09-01' });
    expect(parseDateCell(new Date(2026, 8, 1))).toEqual({ date: '2026-09-01' });
    expect(parseDateCell(46266)).toEqual({ error: expect.stringMatching(/is a number, not a date/) });
  });
  test('a bad date on the tab is reported with its cell (C for From, D for To), and the row is left out', () => {
    const values = sheet(settingsWith(YEAR_2026));
    const autumn = rowNamed(values, 'Autumn term');
    const half = rowNamed(values, 'Autumn half-term');
    values[autumn]![2] = '2024-02-30';
    values[half]![3] = '2024-13-45';
    const { settings, problems } = parseSettingsSheet(values, presets);
    expect(problems).toEqual([
      { cell: `C${autumn + 1}`, field: 'Academic year', message: `Academic year row ${autumn + 1} (Autumn term): From "2024-02-30" is not a date: February 2024 has 29 days` },
      { cell: `D${half + 1}`, field: 'Academic year', message: `Academic year row ${half + 1} (Autumn half-term): To "2024-13-45" is not a date: there is no month 13` },
    ]);
    expect(settings.calendar.map((e) => e.name)).not.toContain('Autumn term');
  });
  test('a row given twice and terms that overlap are reported; an unknown kind names column A', () => {
    const values = sheet(settingsWith([
      ...YEAR_2026,
      { kind: 'INSET', name: 'INSET day', start: '2027-01-04', end: '2027-01-04' },
      { kind: 'Term', name: 'Extra term', start: '2026-12-01', end: '2027-01-10' },
    ]));
    values.push(['Snow', 'Snow day', '2027-01-12', '']);
    const { problems } = parseSettingsSheet(values, presets);
    const text = problems.map((p) => `${p.cell} ${p.message}`).join('\n');
    expect(text).toMatch(/row \d+ repeats row \d+ \(INSET 04\/01\/2027\): delete one of them/);
    expect(text).toMatch(/Extra term starts 01\/12\/2026, before Autumn term \(row \d+\) ends on 18\/12\/2026/);
    expect(text).toMatch(new RegExp(`A${values.length} Academic year row ${values.length} \\(Snow day\\): "Snow" must be one of Term, Half-term, Holiday, INSET, Bank holiday, Closure, Extra school day`));
  });
  test('what the sidebar saves parses back the same; words people type are understood', () => {
    const { settings, problems } = parseSettingsSheet(sheet(settingsWith(YEAR_2026)), presets);
    expect(problems).toEqual([]);
    expect(settings.calendar).toEqual(YEAR_2026);
    expect(calendarKindOf('half term')).toBe('Half-term');
    expect(calendarKindOf('Semester')).toBe('Term');
    expect(calendarKindOf('inset day')).toBe('INSET');
  });
  test("a Settings tab from before the academic year section (one term, closures) is read into it", () => {
    const values: unknown[][] = [['Setting', 'Value', 'Notes'], ['School name', 'Old School', ''], ['Term name', 'Autumn 2024', ''], ['Term start', '2024-09-02', ''], ['Term end', '2024-12-20', ''], ['Closures', '2024-10-28, 2024-10-29', '']];
    const { settings, problems } = parseSettingsSheet(values, presets);
    expect(problems).toEqual([]);
    expect(settings.calendar).toEqual([
      { kind: 'Term', name: 'Autumn 2024', start: '2024-09-02', end: '2024-12-20' },
      { kind: 'Closure', name: 'Closure', start: '2024-10-28', end: '2024-10-28' },
      { kind: 'Closure', name: 'Closure', start: '2024-10-29', end: '2024-10-29' },
    ]);
    values[3]![1] = '2024-02-30';
    expect(parseSettingsSheet(values, presets).problems).toEqual([expect.objectContaining({ cell: 'B4', message: expect.stringMatching(/February 2024 has 29 days/) })]);
  });
});

describe("England's usual pattern (a starting point the school edits)", () => {
  test.each([2024, 2025, 2026, 2027])('%i: three terms, six half-terms, five INSET days, a bank holiday, 190 school days', (year) => {
    const rows = englandPattern(year);
    const cal = calendarFromEntries(rows);
    expect(cal.terms.map((t) => t.name)).toEqual(['Autumn term', 'Spring term', 'Summer term']);
    expect(halfTermsOf(cal).map((h) => h.name)).toEqual(['Autumn 1', 'Autumn 2', 'Spring 1', 'Spring 2', 'Summer 1', 'Summer 2']);
    const inset = rows.filter((r) => r.kind === 'INSET').flatMap((r) => (r.start === r.end ? [r.start] : [r.start, r.end]));
    expect(inset).toHaveLength(5);
    expect(rows.some((r) => r.kind === 'Bank holiday')).toBe(true);
    expect(schoolDaysOf(cal)).toHaveLength(190);
    // Every half-term starts and ends on a school day.
    for (const h of halfTermsOf(cal)) {
      expect(isSchoolDay(cal, h.end) || whyNotSchoolDay(cal, h.end)?.includes('INSET')).toBeTruthy();
    }
  });
});

describe('the school-day API', () => {
  const cal = calendarFromEntries(YEAR_2026);
  test('isSchoolDay and why not, in words', () => {
    expect(isSchoolDay(cal, '2026-09-03')).toBe(true);
    expect(whyNotSchoolDay(cal, '2026-09-03')).toBeNull();
    expect(whyNotSchoolDay(cal, '2026-09-05')).toBe('a Saturday');
    expect(whyNotSchoolDay(cal, '2026-09-01')).toBe('an INSET day (INSET days)');
    expect(whyNotSchoolDay(cal, '2026-10-28')).toBe('in Autumn half-term');
    expect(whyNotSchoolDay(cal, '2027-05-03')).toBe('a bank holiday (Early May bank holiday)');
    expect(whyNotSchoolDay(cal, '2026-12-24')).toBe('outside the terms of the school year');
  });
  test('adding school days crosses half-term and the Christmas holiday', () => {
    expect(addSchoolDays(cal, '2026-10-23', 1)).toBe('2026-11-02'); // Friday before half-term → Monday after
    expect(addSchoolDays(cal, '2026-12-17', 2)).toBe('2027-01-05'); // 18 Dec, then 4 Jan is INSET → 5 Jan
    expect(schoolDaysBetween(cal, '2026-10-23', '2026-11-02')).toBe(1);
  });
  test('school weeks skip holiday weeks; a short week keeps its days', () => {
    const weeks = schoolWeeks(cal, '2026-10-19', '2026-11-08');
    expect(weeks.map((w) => [w.monday, w.days.length])).toEqual([['2026-10-19', 5], ['2026-11-02', 5]]);
    expect(schoolWeeks(cal, '2026-08-31', '2026-09-06')[0]).toEqual({ monday: '2026-08-31', days: ['2026-09-03', '2026-09-04'] });
  });
  test('latestSchoolWeek: the last week taught before today (a half-term week reports the week before)', () => {
    expect(latestSchoolWeek(cal, '2026-10-28')!.monday).toBe('2026-10-19');
    expect(latestSchoolWeek(cal, '2026-11-04')!.monday).toBe('2026-10-19'); // the week of 2 Nov is not over
    expect(latestSchoolWeek(cal, '2026-11-09')!.monday).toBe('2026-11-02');
    expect(latestSchoolWeek(cal, '2026-11-06', { includeToday: true })!.monday).toBe('2026-11-02');
    expect(latestSchoolWeek(cal, '2026-09-02')).toBeNull();
  });
  test('an extra school day (a Saturday catch-up) counts', () => {
    const withSaturday = calendarFromEntries([...YEAR_2026, { kind: 'Extra school day', name: 'Catch-up Saturday', start: '2026-09-12', end: '2026-09-12' }]);
    expect(isSchoolDay(withSaturday, '2026-09-12')).toBe(true);
    expect(schoolDaysOf(withSaturday)).toHaveLength(191);
  });
});

describe("the sample school carries a whole year's calendar", () => {
  const school = generateSchool({ seed: 1, students: 30, startDate: '2025-09-01', schoolDays: 60, preset: 'uk' });
  const rows = sampleCalendar(school.schoolDays);
  const cal = calendarFromEntries(rows);
  test('three terms, six half-terms, INSET and bank holidays', () => {
    expect(cal.terms).toHaveLength(3);
    expect(halfTermsOf(cal)).toHaveLength(6);
    expect(rows.filter((r) => r.kind === 'INSET').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.kind === 'Bank holiday').length).toBeGreaterThanOrEqual(1);
  });
  test('it agrees with the register: every register day is a school day, every weekday skipped is not', () => {
    for (const d of school.schoolDays) expect(whyNotSchoolDay(cal, d)).toBeNull();
    const taught = new Set(school.schoolDays);
    const inSpan = schoolDaysOf(cal).filter((d) => d >= school.schoolDays[0]! && d <= school.schoolDays[school.schoolDays.length - 1]!);
    expect(inSpan.filter((d) => !taught.has(d))).toEqual([]);
  });
});

describe('every school-day computation uses the calendar', () => {
  const HEADERS = ['Student ID', 'Student Name', 'Year Group', 'Tutor Group', 'Attendance %', 'Possible', 'Step'];
  const days = schoolDaysOf(calendarFromEntries(YEAR_2026)).filter((d) => d < '2026-10-10');
  const present = (id: string): RegisterMark[] => days.flatMap((date) => [
    { studentId: id, date, session: 'AM' as const, code: '/' },
    { studentId: id, date, session: 'PM' as const, code: '\\' },
  ]);
  test('marks on a Saturday already in the Register are not counted, and the Register is named', () => {
    const saturday: RegisterMark[] = [
      { studentId: 'S1', date: '2026-10-03', session: 'AM', code: 'O' },
      { studentId: 'S1', date: '2026-10-03', session: 'PM', code: 'O' },
    ];
    const tracker = [HEADERS, ['S1', 'Ada', '7', '7A', '', '', '']];
    const model = buildSchoolModel({
      trackerValues: tracker,
      columns: mapColumns(HEADERS),
      registerValues: registerSheetValues([...present('S1'), ...saturday], ['S1']),
      logValues: [[...LOG_HEADERS]],
      settings: settingsWith(YEAR_2026),
      today: '2026-10-10',
    });
    const s1 = model.byId.get('S1')!;
    expect(s1.stats.possible).toBe(days.length * 2);
    expect(s1.stats.attendanceFraction).toBe(1);
    expect(model.problems.join('\n')).toMatch(/marks on 1 day that is not a school day in Settings ▸ Academic year are not counted: 03\/10\/2026 \(a Saturday\)/);
  });
  test('the penalty window counts a school week where the pupil has no possible mark (§1.6: any week with a school session)', () => {
    const { table } = resolveActivePolicy(DEFAULT_SETTINGS);
    const cal = calendarFromEntries(YEAR_2026);
    const weeks = schoolWeeks(cal, '2026-09-01', '2026-12-18');
    // 10 unauthorised sessions spread over 11 school weeks, with a week of Y codes (not possible) in the middle.
    const marks: MarkOnDay[] = [];
    weeks.slice(0, 11).forEach((w, i) => {
      const code = i === 5 ? 'Y1' : 'O';
      if (i === 5) for (const d of w.days) marks.push({ date: d, session: 'AM', code }, { date: d, session: 'PM', code });
      else marks.push({ date: w.days[0]!, session: 'AM', code: 'O' });
    });
    // Without the calendar the Y week is skipped and 10 sessions fit in "10 weeks"; with it they span 11.
    expect(penaltyNoticeCheck(marks, table).reached).toBe(true);
    expect(penaltyNoticeCheck(marks, table, cal).reached).toBe(false);
  });
});
