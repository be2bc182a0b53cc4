import {
  addCalendarDays,
  addSchoolDays,
  defaultUkCalendar,
  defaultUsCalendar,
  isSchoolDay,
  parseIsoDate,
  schoolDaysBetween,
  schoolDaysInRange,
  termOf,
  toIsoDate,
  weekStartMonday,
  type SchoolCalendar,
} from '../../src/core/calendar';

/** Autumn 2024 with a half-term week and an INSET day (Mon 2 Sep). */
const calendar: SchoolCalendar = {
  terms: [
    { name: 'Autumn 1', start: '2024-09-02', end: '2024-10-25' },
    { name: 'Autumn 2', start: '2024-11-04', end: '2024-12-20' },
  ],
  closures: ['2024-09-02'],
};

const yearDays = (cal: SchoolCalendar) => cal.terms.reduce((n, t) => n + schoolDaysInRange(cal, t.start, t.end).length, 0);

describe('parseIsoDate / toIsoDate', () => {
  test('accepts real yyyy-MM-dd dates, including 29 February in a leap year', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(toIsoDate(2024, 9, 4)).toBe('2024-09-04');
  });
  test.each([
    ['2023-02-29', /day 29 does not exist/],
    ['2024-13-01', /month 13/],
    ['2024-9-4', /yyyy-MM-dd/],
    ['04/09/2024', /yyyy-MM-dd/],
    ['2024-09-04T00:00', /yyyy-MM-dd/],
    ['', /yyyy-MM-dd/],
  ])('rejects %p with a clear reason', (text, reason) => {
    expect(() => parseIsoDate(text)).toThrow(reason);
    expect(() => parseIsoDate(text)).toThrow(`"${text}"`);
  });
  test('toIsoDate rejects a date that does not exist', () => {
    expect(() => toIsoDate(2025, 4, 31)).toThrow(/2025-04-31/);
    expect(() => toIsoDate(2025, 1.5, 1)).toThrow(/whole numbers/);
  });
});

describe('week arithmetic (DfE school weeks are Monday–Sunday, §1.6)', () => {
  test('weekStartMonday', () => {
    expect(weekStartMonday('2024-09-04')).toBe('2024-09-02'); // Wednesday
    expect(weekStartMonday('2024-09-02')).toBe('2024-09-02'); // Monday
    expect(weekStartMonday('2024-09-08')).toBe('2024-09-02'); // Sunday belongs to the week before
    expect(weekStartMonday('2025-01-01')).toBe('2024-12-30'); // across a year end
  });
  test('addCalendarDays across month, year and the October clock change', () => {
    expect(addCalendarDays('2024-10-26', 2)).toBe('2024-10-28');
    expect(addCalendarDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addCalendarDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('isSchoolDay / termOf', () => {
  test('a term weekday is a school day; weekends, closures, half-term and out-of-term days are not', () => {
    expect(isSchoolDay(calendar, '2024-09-03')).toBe(true);
    expect(isSchoolDay(calendar, '2024-09-02')).toBe(false); // INSET closure
    expect(isSchoolDay(calendar, '2024-09-07')).toBe(false); // Saturday
    expect(isSchoolDay(calendar, '2024-10-30')).toBe(false); // half-term
    expect(isSchoolDay(calendar, '2025-01-06')).toBe(false); // after the last term
  });
  test('weekendDays can be configured', () => {
    const sixDay: SchoolCalendar = { ...calendar, weekendDays: [0] };
    expect(isSchoolDay(sixDay, '2024-09-07')).toBe(true);
  });
  test('termOf names the term, or null between terms', () => {
    expect(termOf(calendar, '2024-11-04')!.name).toBe('Autumn 2');
    expect(termOf(calendar, '2024-10-28')).toBeNull();
  });
  test('a malformed date is rejected', () => {
    expect(() => isSchoolDay(calendar, '2024-02-30')).toThrow(/2024-02-30/);
  });
});

describe('counting school days', () => {
  test('addSchoolDays skips weekends, closures and half-term', () => {
    expect(addSchoolDays(calendar, '2024-09-03', 0)).toBe('2024-09-03');
    expect(addSchoolDays(calendar, '2024-09-06', 1)).toBe('2024-09-09'); // Friday → Monday
    expect(addSchoolDays(calendar, '2024-10-24', 2)).toBe('2024-11-04'); // over half-term
    expect(addSchoolDays(calendar, '2024-08-30', 1)).toBe('2024-09-03'); // INSET day skipped
  });
  test('addSchoolDays past the end of the calendar is an error, and n must be ≥ 0', () => {
    expect(() => addSchoolDays(calendar, '2024-12-19', 5)).toThrow(/beyond the calendar's last term \(ends 2024-12-20\)/);
    expect(() => addSchoolDays(calendar, '2024-09-03', -1)).toThrow(/0 or more/);
  });
  test('schoolDaysBetween counts (from, to]', () => {
    expect(schoolDaysBetween(calendar, '2024-09-03', '2024-09-03')).toBe(0);
    expect(schoolDaysBetween(calendar, '2024-09-03', '2024-09-10')).toBe(5);
    expect(schoolDaysBetween(calendar, '2024-10-24', '2024-11-04')).toBe(2);
    expect(schoolDaysBetween(calendar, '2024-09-10', '2024-09-03')).toBe(0);
  });
  test('schoolDaysBetween and addSchoolDays agree', () => {
    for (const n of [0, 1, 5, 17, 40]) {
      const later = addSchoolDays(calendar, '2024-09-05', n);
      expect(schoolDaysBetween(calendar, '2024-09-05', later)).toBe(n);
    }
  });
  test('schoolDaysInRange is inclusive and ordered', () => {
    expect(schoolDaysInRange(calendar, '2024-09-01', '2024-09-09')).toEqual(['2024-09-03', '2024-09-04', '2024-09-05', '2024-09-06', '2024-09-09']);
  });
});

describe('default calendars (approximate; schools enter their own)', () => {
  test.each([2023, 2024, 2025, 2026])('UK academic year from September %i: three terms, 190 school days (§1.1: 380 sessions)', (year) => {
    const cal = defaultUkCalendar(year);
    expect(cal.terms.map((t) => t.name)).toEqual(['Autumn term', 'Spring term', 'Summer term']);
    expect(yearDays(cal)).toBe(190);
    expect(cal.terms[0]!.start.startsWith(`${year}-09`)).toBe(true);
    expect(cal.terms[2]!.end.startsWith(`${year + 1}-07`)).toBe(true);
    // The autumn half-term is a whole Monday–Friday week off inside the autumn term, in late October.
    const octoberToNovember = schoolDaysInRange(cal, toIsoDate(year, 10, 18), toIsoDate(year, 11, 10));
    const gaps = octoberToNovember.slice(1).map((day, i) => schoolDaysBetween({ terms: [{ name: 'all', start: '2000-01-01', end: '2100-01-01' }], closures: [] }, octoberToNovember[i]!, day));
    expect(gaps).toContain(6); // Friday → Monday nine days later = 6 weekdays
    expect(termOf(cal, toIsoDate(year, 10, 30))!.name).toBe('Autumn term');
  });
  test.each([2023, 2024, 2025])('US %i: two semesters, 180 school days', (year) => {
    const cal = defaultUsCalendar(year);
    expect(cal.terms).toHaveLength(2);
    expect(yearDays(cal)).toBe(180);
    expect(cal.terms[0]!.start.startsWith(`${year}-08`)).toBe(true);
    expect(isSchoolDay(cal, cal.terms[0]!.start)).toBe(true);
  });
});
