import { addCalendarDays } from '../../src/core/calendar';
import { DFE_2024, UnknownCodeError, US_ILLINOIS } from '../../src/core/codes';
import {
  attendanceChange,
  computeStats,
  countInWindow,
  formatPercent,
  penaltyNoticeCheck,
  statsBetween,
} from '../../src/core/stats';
import type { MarkOnDay } from '../../src/core/types';

/** UK register: codes laid on consecutive weekdays from Monday 2024-09-02, AM then PM. */
function ukSessions(codes: readonly string[], firstMonday = '2024-09-02'): MarkOnDay[] {
  const marks: MarkOnDay[] = [];
  let date = firstMonday;
  for (let i = 0; i < codes.length; i++) {
    marks.push({ date, session: i % 2 === 0 ? 'AM' : 'PM', code: codes[i]! });
    if (i % 2 === 1) {
      date = addCalendarDays(date, 1);
      while (['Sat', 'Sun'].includes(dayName(date))) date = addCalendarDays(date, 1);
    }
  }
  return marks;
}

/** US daily register: one DAY mark per weekday. */
function usDays(codes: readonly string[], firstMonday = '2024-08-19'): MarkOnDay[] {
  const marks: MarkOnDay[] = [];
  let date = firstMonday;
  for (const code of codes) {
    marks.push({ date, session: 'DAY', code });
    date = addCalendarDays(date, 1);
    while (['Sat', 'Sun'].includes(dayName(date))) date = addCalendarDays(date, 1);
  }
  return marks;
}

function dayName(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(y!, m! - 1, d!).getDay()]!;
}

const repeat = (code: string, n: number): string[] => Array<string>(n).fill(code);
/** A UK year: `missed` sessions of `absentCode` among `possible` sessions, the rest present. */
const ukYear = (possible: number, missed: number, absentCode = 'O') =>
  ukSessions([...repeat('/', possible - missed), ...repeat(absentCode, missed)]);

describe('attendance-rules.md §5 worked examples', () => {
  test('T1 (§1.3): 26 present + 26 U is 50% attendance; U is unauthorised for the whole session', () => {
    const stats = computeStats(ukSessions([...repeat('/', 26), ...repeat('U', 26)]), DFE_2024);
    expect(stats.possible).toBe(52);
    expect(stats.attendanceFraction).toBe(0.5);
    expect(stats.unauthorised).toBe(26);
    expect(stats.lateAfterClose).toBe(26);
    expect(formatPercent(stats.attendanceFraction)).toBe('50.0%');
  });

  test('T2: 16 sessions absent of 40 is 60.0%', () => {
    const stats = computeStats(ukYear(40, 16, 'I'), DFE_2024);
    expect(stats.attended).toBe(24);
    expect(formatPercent(stats.attendanceFraction)).toBe('60.0%');
    expect(stats.persistentAbsence).toBe(true);
  });

  test('T3: the same 16 absences over 380 sessions is 95.79% at 2 d.p.', () => {
    const stats = computeStats(ukYear(380, 16, 'I'), DFE_2024);
    expect(formatPercent(stats.attendanceFraction, 2)).toBe('95.79%');
    expect(stats.persistentAbsence).toBe(false);
  });

  test('T4: missing 38 of 380 sessions is persistent absence (exactly 10%)', () => {
    const stats = computeStats(ukYear(380, 38), DFE_2024);
    expect(stats.absent).toBe(38);
    expect(stats.persistentAbsence).toBe(true);
    expect(formatPercent(stats.attendanceFraction)).toBe('90.0%');
  });

  test('§5 rounding: 38 missed of 379 displays as "90.0%" and IS persistent absence', () => {
    const stats = computeStats(ukYear(379, 38), DFE_2024);
    expect(formatPercent(stats.attendanceFraction)).toBe('90.0%');
    expect(stats.attendanceFraction).toBeLessThan(0.9);
    expect(stats.persistentAbsence).toBe(true);
  });

  test('§1.4: 37 missed of 380 is not persistent absence', () => {
    expect(computeStats(ukYear(380, 37), DFE_2024).persistentAbsence).toBe(false);
  });

  test('§1.4: 190 missed of 380 is severe absence (≥50%), 189 is not; severe is also PA', () => {
    const severe = computeStats(ukYear(380, 190), DFE_2024);
    expect(severe.severeAbsence).toBe(true);
    expect(severe.persistentAbsence).toBe(true);
    expect(computeStats(ukYear(380, 189), DFE_2024).severeAbsence).toBe(false);
  });

  test.each([
    ['T5: 17 school days missed', 17, '91.1%'],
    ['T6: 34 school days missed', 34, '82.1%'],
    ['T7: a two-week holiday (10 days)', 10, '94.7%'],
  ])('%s of 190 days → %s', (_label, daysMissed, shown) => {
    const stats = computeStats(ukYear(380, daysMissed * 2, 'G'), DFE_2024);
    expect(formatPercent(stats.attendanceFraction)).toBe(shown);
  });

  test('T8: 90% attendance over a year is 38 sessions (19 days) missed', () => {
    const stats = computeStats(ukYear(380, 38), DFE_2024);
    expect(stats.attendanceFraction).toBeCloseTo(0.9, 12);
    expect(computeStats(ukYear(380, 36), DFE_2024).attendanceFraction).toBeGreaterThan(0.9);
  });

  test('T9 (negative, published error): 80% of 380 sessions is 76 missed, not 72', () => {
    expect(computeStats(ukYear(380, 76), DFE_2024).attendanceFraction).toBeCloseTo(0.8, 12);
    const published = computeStats(ukYear(380, 72), DFE_2024);
    expect(formatPercent(published.attendanceFraction)).toBe('81.1%');
    expect(published.attendanceFraction).not.toBeCloseTo(0.8, 3);
  });

  test('T10 (US, §3): absent 3 of the first 30 days is chronic (≥10%)', () => {
    const stats = computeStats(usDays([...repeat('P', 27), 'EXC', 'UNX', 'OSS']), US_ILLINOIS);
    expect(stats.possible).toBe(30);
    expect(stats.absent).toBe(3);
    expect(stats.persistentAbsence).toBe(true);
    expect(computeStats(usDays([...repeat('P', 28), 'EXC', 'UNX']), US_ILLINOIS).persistentAbsence).toBe(false);
  });

  test('T11 (US): missing 18 of 180 days is chronic (10%), 17 is not', () => {
    expect(computeStats(usDays([...repeat('P', 162), ...repeat('MED', 18)]), US_ILLINOIS).persistentAbsence).toBe(true);
    expect(computeStats(usDays([...repeat('P', 163), ...repeat('MED', 17)]), US_ILLINOIS).persistentAbsence).toBe(false);
  });

  test('T12 (105 ILCS 5/26-2a): 9 of 180 days unexcused is 5% → chronic truant threshold; 8 is not', () => {
    const nine = computeStats(usDays([...repeat('P', 171), ...repeat('UNX', 5), ...repeat('VACU', 4)]), US_ILLINOIS);
    expect(nine.unexcused).toBe(9);
    expect(nine.possible).toBe(180);
    expect(nine.unexcused * 20 >= nine.possible).toBe(true); // integer compare, 5%
    const eight = computeStats(usDays([...repeat('P', 172), ...repeat('UNX', 8)]), US_ILLINOIS);
    expect(eight.unexcused * 20 >= eight.possible).toBe(false);
  });
});

describe('code treatment (§1.2, §1.3, §6.2)', () => {
  test('L counts present and late-before-close; U counts unauthorised and late-after-close', () => {
    const stats = computeStats(ukSessions(['L', 'U']), DFE_2024);
    expect(stats).toMatchObject({ present: 1, unauthorised: 1, lateBeforeClose: 1, lateAfterClose: 1, possible: 2 });
  });

  test('AEA codes count as attendance; authorised and unauthorised as absence', () => {
    const stats = computeStats(ukSessions(['/', 'K', 'V', 'P', 'W', 'B', 'I', 'M', 'G', 'N']), DFE_2024);
    expect(stats).toMatchObject({ present: 1, aea: 5, attended: 6, authorised: 2, unauthorised: 2, absent: 4, unverified: 1 });
    expect(stats.attendanceFraction).toBeCloseTo(0.6, 12);
  });

  test('D, X, Z and # leave the denominator', () => {
    const stats = computeStats(ukSessions(['/', 'O', 'D', 'X', 'Z', '#']), DFE_2024);
    expect(stats.possible).toBe(2);
    expect(stats.notPossible).toBe(4);
    expect(stats.attendanceFraction).toBe(0.5);
  });

  test('blank code means no mark yet: not counted at all', () => {
    const stats = computeStats(ukSessions(['/', '', 'O', '  ']), DFE_2024);
    expect(stats.possible).toBe(2);
    expect(stats.notPossible).toBe(0);
    expect(stats.lastMarkDate).toBe('2024-09-03');
  });

  test('codes are matched case-insensitively (l = L)', () => {
    expect(computeStats(ukSessions(['l', ' u ']), DFE_2024)).toMatchObject({ present: 1, unauthorised: 1 });
  });

  test('no marks: possible 0, fraction 1, neither PA nor severe', () => {
    const stats = computeStats([], DFE_2024);
    expect(stats).toMatchObject({ possible: 0, attendanceFraction: 1, persistentAbsence: false, severeAbsence: false, lastMarkDate: null });
  });

  test('unknown code throws UnknownCodeError naming the code, date and session', () => {
    const marks = ukSessions(['/', '/', 'zz']);
    expect(() => computeStats(marks, DFE_2024)).toThrow(UnknownCodeError);
    expect(() => computeStats(marks, DFE_2024)).toThrow('Unknown attendance code "ZZ" on 2024-09-03 (AM session)');
    // A US code in a UK table is unknown too.
    expect(() => computeStats(ukSessions(['UNX']), DFE_2024)).toThrow(/"UNX"/);
  });
});

describe('unauthorised runs', () => {
  test('longest and current run; not-possible sessions neither break nor extend a run', () => {
    const stats = computeStats(ukSessions(['/', 'O', 'O', 'D', 'O', 'I', 'G', 'U', '#']), DFE_2024);
    expect(stats.longestUnauthorisedRun).toBe(3);
    expect(stats.currentUnauthorisedRun).toBe(2);
  });

  test('a present or authorised mark ends the current run', () => {
    expect(computeStats(ukSessions(['O', 'O', 'O', 'L']), DFE_2024)).toMatchObject({ longestUnauthorisedRun: 3, currentUnauthorisedRun: 0 });
  });

  test('unsorted marks are put in date then AM/PM order before runs are counted', () => {
    const sorted = ukSessions(['O', '/', 'O', 'O', 'I', 'O']);
    const shuffled = [sorted[3]!, sorted[0]!, sorted[5]!, sorted[2]!, sorted[1]!, sorted[4]!];
    const expected = computeStats(sorted, DFE_2024);
    expect(expected.longestUnauthorisedRun).toBe(2);
    expect(computeStats(shuffled, DFE_2024)).toEqual(expected);
    // The caller's array is not reordered.
    expect(shuffled[0]).toBe(sorted[3]);
  });
});

describe('statsBetween, countInWindow, attendanceChange', () => {
  const marks = ukSessions(['/', '/', 'O', 'O', 'N', 'N', '/', '/', 'I', '/']); // Mon 2 Sep … Fri 6 Sep

  test('statsBetween counts only marks dated from..to inclusive', () => {
    const stats = statsBetween(marks, DFE_2024, '2024-09-03', '2024-09-04');
    expect(stats).toMatchObject({ possible: 4, unauthorised: 4, unverified: 2, lastMarkDate: '2024-09-04' });
  });

  test('countInWindow applies the predicate to marks inside the window only', () => {
    const unauthorised = (c: { category: string }) => c.category === 'unauthorised';
    expect(countInWindow(marks, DFE_2024, '2024-09-02', '2024-09-06', unauthorised)).toBe(4);
    expect(countInWindow(marks, DFE_2024, '2024-09-04', '2024-09-06', unauthorised)).toBe(2);
    expect(countInWindow(marks, DFE_2024, '2024-09-04', '2024-09-06', (c) => !!c.unverified)).toBe(2);
  });

  test('attendanceChange: before = marks before `since`, now = all, change in points', () => {
    const { before, now, changePoints } = attendanceChange(marks, DFE_2024, '2024-09-05');
    expect(before.possible).toBe(6);
    expect(before.attended).toBe(2);
    expect(now.possible).toBe(10);
    expect(now.attended).toBe(5);
    expect(changePoints).toBeCloseTo((5 / 10 - 2 / 6) * 100, 10);
  });

  test('attendanceChange is 0 points when there was nothing before', () => {
    expect(attendanceChange(marks, DFE_2024, '2024-09-01').changePoints).toBe(0);
  });
});

/** Weeks of a UK register from Monday `first`: each entry is 10 codes (Mon AM … Fri PM), or [] for a week with no sessions. */
function registerWeeks(weeks: readonly string[][], first = '2024-09-02'): MarkOnDay[] {
  const marks: MarkOnDay[] = [];
  weeks.forEach((codes, w) => {
    codes.forEach((code, i) => {
      marks.push({ date: addCalendarDays(first, w * 7 + Math.floor(i / 2)), session: i % 2 === 0 ? 'AM' : 'PM', code });
    });
  });
  return marks;
}
const presentWeek = () => repeat('/', 10);
const weekWith = (...codes: string[]) => [...codes, ...repeat('/', 10 - codes.length)];

describe('penalty notice threshold (§1.6, §6.4): 10 unauthorised sessions in 10 school weeks', () => {
  test('9 unauthorised sessions within 10 school weeks: not reached', () => {
    const weeks = [weekWith('G', 'G', 'G', 'G', 'G'), ...Array.from({ length: 8 }, presentWeek), weekWith('U', 'O', 'N', 'O')];
    const check = penaltyNoticeCheck(registerWeeks(weeks), DFE_2024);
    expect(check.reached).toBe(false);
    expect(check.maxInWindow).toBe(9);
  });

  test('10 of any unauthorised codes (G, U, N, O) within 10 school weeks: reached, with the window', () => {
    const weeks = [weekWith('G', 'G', 'G', 'G', 'G'), ...Array.from({ length: 8 }, presentWeek), weekWith('U', 'O', 'N', 'O', 'U')];
    const check = penaltyNoticeCheck(registerWeeks(weeks), DFE_2024);
    expect(check).toEqual({ reached: true, maxInWindow: 10, windowStart: '2024-09-02', windowEnd: '2024-11-10' });
  });

  test('authorised absences do not count', () => {
    const weeks = [weekWith('I', 'I', 'I', 'I', 'I'), weekWith('M', 'M', 'M', 'M', 'M', 'O')];
    expect(penaltyNoticeCheck(registerWeeks(weeks), DFE_2024)).toMatchObject({ reached: false, maxInWindow: 1 });
  });

  test('10 spread over 11 school weeks: not reached', () => {
    const weeks = [weekWith('G', 'G', 'G', 'G', 'G'), ...Array.from({ length: 9 }, presentWeek), weekWith('G', 'G', 'G', 'G', 'G')];
    const check = penaltyNoticeCheck(registerWeeks(weeks), DFE_2024);
    expect(check.reached).toBe(false);
    expect(check.maxInWindow).toBe(5);
  });

  test('a holiday week with no sessions is not a school week: 10 across 11 calendar weeks IS reached', () => {
    const weeks = [weekWith('G', 'G', 'G', 'G', 'G'), ...Array.from({ length: 4 }, presentWeek), [], ...Array.from({ length: 4 }, presentWeek), weekWith('G', 'G', 'G', 'G', 'G')];
    const check = penaltyNoticeCheck(registerWeeks(weeks), DFE_2024);
    expect(check.reached).toBe(true);
    expect(check.windowStart).toBe('2024-09-02');
    expect(check.windowEnd).toBe('2024-11-17');
  });

  test('a week of only planned-closure marks (#) is not a school week either', () => {
    const weeks = [weekWith('O', 'O', 'O', 'O', 'O'), ...Array.from({ length: 4 }, presentWeek), repeat('#', 10), ...Array.from({ length: 4 }, presentWeek), weekWith('O', 'O', 'O', 'O', 'O')];
    expect(penaltyNoticeCheck(registerWeeks(weeks), DFE_2024).reached).toBe(true);
  });

  test('the window crosses terms: a two-week Christmas break is skipped', () => {
    const weeks = [weekWith('G', 'G', 'G', 'G', 'G'), presentWeek(), [], [], weekWith('U', 'U', 'U', 'U', 'U')];
    const check = penaltyNoticeCheck(registerWeeks(weeks, '2024-12-09'), DFE_2024);
    expect(check).toMatchObject({ reached: true, maxInWindow: 10, windowStart: '2024-12-09', windowEnd: '2025-01-12' });
  });

  test('no marks: not reached, no window', () => {
    expect(penaltyNoticeCheck([], DFE_2024)).toEqual({ reached: false, maxInWindow: 0, windowStart: null, windowEnd: null });
  });
});

describe('formatPercent', () => {
  test('display to the given decimals; it is never used to classify', () => {
    expect(formatPercent(0.9)).toBe('90.0%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(364 / 380, 2)).toBe('95.79%');
    expect(formatPercent(0.5, 0)).toBe('50%');
  });
  test('rejects a non-number', () => {
    expect(() => formatPercent(Number.NaN)).toThrow(/finite/);
  });
});

// Speed is measured by `npm run bench` (bench/evaluate.bench.ts), not asserted in a test.
