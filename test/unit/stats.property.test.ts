import fc from 'fast-check';
import { DFE_2024, US_ILLINOIS } from '../../src/core/codes';
import { computeStats } from '../../src/core/stats';
import type { AttendanceStats, CodeCategory, CodeTable, MarkOnDay } from '../../src/core/types';

const codesOf = (table: CodeTable, category: CodeCategory) => table.codes.filter((c) => c.category === category).map((c) => c.code);

const dateArb = fc
  .record({ month: fc.integer({ min: 9, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ month, day }) => `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

function markArb(codes: readonly string[]): fc.Arbitrary<MarkOnDay> {
  return fc.record({
    date: dateArb,
    session: fc.constantFrom<MarkOnDay['session']>('AM', 'PM'),
    code: fc.constantFrom(...codes),
  });
}

const allDfeCodes = ['', ...DFE_2024.codes.map((c) => c.code)];
const marksArb = fc.array(markArb(allDfeCodes), { maxLength: 120 });

/** Independent oracle: category counts straight from the code list, no ordering involved. */
function oracleCounts(marks: readonly MarkOnDay[], table: CodeTable) {
  const categoryOf = new Map(table.codes.map((c) => [c.code, c.category]));
  let attended = 0;
  let absent = 0;
  for (const mark of marks) {
    const category = categoryOf.get(mark.code);
    if (category === 'present' || category === 'aea') attended++;
    if (category === 'authorised' || category === 'unauthorised') absent++;
  }
  return { attended, absent, possible: attended + absent };
}

const withoutDates = ({ lastMarkDate: _ignored, ...rest }: AttendanceStats) => rest;

describe('attendance statistics: properties (attendance-rules.md §6.2, §6.3)', () => {
  test('attendanceFraction stays within [0, 1]', () => {
    fc.assert(
      fc.property(marksArb, (marks) => {
        const { attendanceFraction } = computeStats(marks, DFE_2024);
        return attendanceFraction >= 0 && attendanceFraction <= 1;
      }),
    );
  });

  test('counts add up: attended + absent = possible; marked sessions = possible + notPossible', () => {
    fc.assert(
      fc.property(marksArb, (marks) => {
        const stats = computeStats(marks, DFE_2024);
        expect(stats.attended + stats.absent).toBe(stats.possible);
        expect(stats.present + stats.aea + stats.authorised + stats.unauthorised).toBe(stats.possible);
        expect(stats.possible + stats.notPossible).toBe(marks.filter((m) => m.code !== '').length);
        expect(stats).toMatchObject(oracleCounts(marks, DFE_2024));
      }),
    );
  });

  test('adding a present mark never lowers attendance', () => {
    fc.assert(
      fc.property(marksArb, markArb(codesOf(DFE_2024, 'present')), (marks, extra) => {
        expect(computeStats([...marks, extra], DFE_2024).attendanceFraction).toBeGreaterThanOrEqual(computeStats(marks, DFE_2024).attendanceFraction);
      }),
    );
  });

  test('adding an unauthorised mark never raises attendance', () => {
    fc.assert(
      fc.property(marksArb, markArb(codesOf(DFE_2024, 'unauthorised')), (marks, extra) => {
        expect(computeStats([...marks, extra], DFE_2024).attendanceFraction).toBeLessThanOrEqual(computeStats(marks, DFE_2024).attendanceFraction);
      }),
    );
  });

  test('adding a not-possible mark changes nothing but notPossible (and the latest mark date)', () => {
    fc.assert(
      fc.property(marksArb, markArb(codesOf(DFE_2024, 'notPossible')), (marks, extra) => {
        const before = computeStats(marks, DFE_2024);
        const after = computeStats([...marks, extra], DFE_2024);
        expect(withoutDates(after)).toEqual({ ...withoutDates(before), notPossible: before.notPossible + 1 });
        const latest = before.lastMarkDate === null || extra.date > before.lastMarkDate ? extra.date : before.lastMarkDate;
        expect(after.lastMarkDate).toBe(latest);
      }),
    );
  });

  test('PA and severe agree with the exact rational tests absent/possible ≥ 1/10 and ≥ 1/2 (BigInt)', () => {
    // Many sessions, so the ratio lands near the 10 % boundary often.
    const bigYear = fc.record({
      possible: fc.integer({ min: 1, max: 400 }),
      ratio: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(bigYear, ({ possible, ratio }) => {
        const missed = Math.min(possible, Math.round(possible * ratio));
        const marks: MarkOnDay[] = [];
        for (let i = 0; i < possible; i++) {
          marks.push({ date: `2024-09-${String(1 + (i % 28)).padStart(2, '0')}`, session: 'DAY', code: i < missed ? 'UNX' : 'P' });
        }
        const stats = computeStats(marks, US_ILLINOIS);
        // absent/possible >= 1/10  ⇔  absent·10 ≥ possible·1 (both positive), exact in BigInt.
        expect(stats.persistentAbsence).toBe(BigInt(missed) * 10n >= BigInt(possible));
        expect(stats.severeAbsence).toBe(BigInt(missed) * 2n >= BigInt(possible));
      }),
      { numRuns: 500 },
    );
  });

  test('PA agrees with an oracle on random DfE registers', () => {
    fc.assert(
      fc.property(marksArb, (marks) => {
        const { absent, possible } = oracleCounts(marks, DFE_2024);
        const stats = computeStats(marks, DFE_2024);
        expect(stats.persistentAbsence).toBe(possible > 0 && BigInt(absent) * 10n >= BigInt(possible));
      }),
    );
  });

  test('the order marks arrive in does not matter', () => {
    fc.assert(
      fc.property(
        marksArb.chain((marks) => fc.tuple(fc.constant(marks), fc.shuffledSubarray(marks, { minLength: marks.length, maxLength: marks.length }))),
        ([marks, shuffled]) => {
          // Duplicate (date, session) keys could legitimately order differently; keep one of each.
          const seen = new Set<string>();
          const unique = marks.filter((m) => !seen.has(`${m.date}${m.session}`) && seen.add(`${m.date}${m.session}`));
          const uniqueShuffled = shuffled.filter((m) => unique.includes(m));
          expect(computeStats(uniqueShuffled, DFE_2024)).toEqual(computeStats(unique, DFE_2024));
        },
      ),
    );
  });

  test('runs: current ≤ longest ≤ unauthorised', () => {
    fc.assert(
      fc.property(marksArb, (marks) => {
        const stats = computeStats(marks, DFE_2024);
        return stats.currentUnauthorisedRun <= stats.longestUnauthorisedRun && stats.longestUnauthorisedRun <= stats.unauthorised;
      }),
    );
  });
});
