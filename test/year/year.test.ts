/**
 * The year simulation's small profiles (issues 10 and 11), in `npm test`, every invariant of
 * test/year/simulation.ts checked after every day, on the built bundle:
 * - 600 pupils from 8 December across the Christmas holiday into the spring term (term end,
 *   holidays, quota stops, faults, stale and correcting imports, weekly reports);
 * - 150 pupils across the February half-term with a week without any import and partial imports
 *   (Today checked on each), the weekly report across both — a school that adopts the add-on on
 *   2 February with its own history in its tracker (Intervention, Letter 1, Letter 2, AIM 1 columns)
 *   and lives on with it (IA);
 * - in each, one family in 30 has no email: their letters go to print packs, count as sent only once
 *   a pack is marked printed, and their pages are checked for wording true to history (I9, I7);
 * - 120 pupils across the end of the year: the new academic year started on its last day (with a
 *   fault half-way and the Admin pressing again), the summer holiday — its first Monday's weekly
 *   report cannot be emailed all day, so the last week of term goes out on a later holiday run — and
 *   the first weeks of 2026–27.
 * The whole year at 1,500 pupils is the large profile: `npm run bench -- year`.
 */
import { liveTheYear } from './simulation';

jest.setTimeout(900_000);

test('a school lived day by day keeps every invariant (small profile: 600 pupils, term end to spring)', async () => {
  const counts = await liveTheYear({ students: 600, seed: 11, from: '2025-12-08', to: '2026-01-09', edits: 2, contacts: 1, figureEvery: 3 });
  expect(counts.violations).toEqual([]);
  expect(counts.schoolDays).toBeGreaterThanOrEqual(14);
  expect(counts.imports).toBeGreaterThan(4);
  expect(counts.letterRuns).toBeGreaterThanOrEqual(2);
  expect(counts.lettersWordingChecked).toBeGreaterThan(20);
  expect(counts.leftOut).toBeGreaterThan(0);
  expect(counts.weeklyReports).toBeGreaterThan(0);
  expect(counts.invariantChecks).toBeGreaterThan(5_000);
  expect(counts.lettersToPrint).toBeGreaterThan(0);
  expect(counts.packsPrinted).toBeGreaterThan(0);
  expect(counts.postedWordingChecked).toBe(counts.lettersToPrint);
});

test('adopted mid-year with the school\'s own history, across a half-term, a week without marks and partial imports: every invariant', async () => {
  const counts = await liveTheYear({ students: 150, seed: 13, from: '2026-02-02', to: '2026-03-06', edits: 1, contacts: 1, figureEvery: 4, partialShare: 0.35, noMarksWeek: '2026-02-23', adopt: true });
  expect(counts.violations).toEqual([]);
  expect(counts.adoptedPupils).toBeGreaterThan(10);
  expect(counts.adoptedRecords).toBeGreaterThan(counts.adoptedPupils);
  expect(counts.partialImports).toBeGreaterThan(0);
  expect(counts.weeklyReports).toBeGreaterThan(0);
});

test('across the end of the year: the new academic year on the last day, the summer, the first weeks of 2026–27', async () => {
  const counts = await liveTheYear({ students: 120, seed: 12, from: '2026-07-13', to: '2026-09-18', edits: 1, contacts: 1, figureEvery: 3, rollover: true, partialShare: 0.3, mailDownOn: ['2026-07-27'] });
  expect(counts.violations).toEqual([]);
  expect(counts.rollovers).toBe(1);
  expect(counts.schoolDays).toBeGreaterThanOrEqual(17);
  expect(counts.weeklyReports).toBeGreaterThan(0);
});
