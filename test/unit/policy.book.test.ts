/**
 * Issue 15 point 5: changes apply from their date; nothing already done is re-judged. The policy
 * book's versions, step renumbering, the steps as they were on a date, the changes in words, and
 * the evaluation keeping a step's review date across a policy change.
 */
import type { SchoolCalendar } from '../../src/core/calendar';
import { CODE_TABLES, DFE_2024, US_ILLINOIS } from '../../src/core/codes';
import { resolveActivePolicy } from '../../src/core/activePolicy';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { MAX_VERSIONS, addVersion, describeChanges, historyInCurrentSteps, renumbering, stepsOnDate, stepsOnFor, versionOn, type PolicyBook } from '../../src/core/policy/book';
import { evaluateStudent, letterKey, type StudentContext } from '../../src/core/policy/evaluate';
import type { SchoolPolicy } from '../../src/core/policy/file';
import { PRESETS } from '../../src/core/policy/presets';
import type { Policy } from '../../src/core/policy/schema';
import type { AttendanceStats, InterventionRecord } from '../../src/core/types';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const uk = (): SchoolPolicy => ({ policy: clone(PRESETS['uk-secondary-sol']!), table: CODE_TABLES['dfe-2024']! });
const meta = (today: string, extra: object = {}) => ({ today, savedAt: `${today}T09:15:00`, savedBy: 'al@school.example', ...extra });

/** UK preset with a new Step 2 inserted (every later step and its references move down one). */
function withInsertedStep(base: SchoolPolicy): { next: SchoolPolicy; origins: (number | null)[] } {
  const next = clone(base);
  const shift = (c: any): void => {
    for (const k of ['step', 'sinceStep', 'atOrAfterStep']) if (typeof c[k] === 'number' && c[k] >= 2) c[k] += 1;
    (c.conditions ?? []).forEach(shift);
  };
  next.policy.steps.forEach((s) => shift(s.entry));
  next.policy.steps.splice(1, 0, { number: 2, label: 'Step 2 – Attendance Monday', owner: 'Tutor', actions: [{ kind: 'conversation', description: 'Chat' }], entry: { kind: 'unauthorisedAtLeast', sessions: 40 }, reviewSchoolDays: 5 });
  next.policy.steps.forEach((s, i) => {
    s.number = i + 1;
    s.label = s.label.replace(/^Step \d+/, `Step ${i + 1}`);
  });
  return { next, origins: [1, null, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
}

describe('renumbering (for each new step, the step it came from)', () => {
  it('same steps in the same order: nothing to record', () => {
    expect(renumbering(3, [1, 2, 3])).toBeNull();
  });
  it('an inserted step moves the later ones down', () => {
    expect(renumbering(3, [1, null, 2, 3])).toEqual({ map: { 1: 1, 2: 3, 3: 4 }, removed: [] });
  });
  it('a removed step counts as the kept step before it — never higher', () => {
    expect(renumbering(4, [1, 2, 4])).toEqual({ map: { 1: 1, 2: 2, 3: 2, 4: 3 }, removed: [3] });
    expect(renumbering(2, [2])).toEqual({ map: { 1: 0, 2: 1 }, removed: [1] });
  });
  it('a step claimed twice or out of range is refused in words', () => {
    expect(() => renumbering(3, [1, 1, 2])).toThrow('Step 2: it says it came from step 1, which is not a step of the policy in force (1 to 3) or is claimed twice.');
    expect(() => renumbering(3, [4])).toThrow(/not a step of the policy in force/);
  });
});

describe('versions', () => {
  it('the first save keeps the preset as version 0 and records who, when, from when and what changed', () => {
    const next = uk();
    next.policy.steps[3]!.reviewSchoolDays = 15;
    const book = addVersion(null, uk(), next, meta('2026-11-26'));
    expect(book.versions.map((v) => [v.version, v.effectiveFrom, v.savedBy])).toEqual([[0, '0000-01-01', ''], [1, '2026-11-26', 'al@school.example']]);
    expect(book.versions[1]!.changes).toEqual(['Step 4 "Letter 1": review after 15 school days (was 10).']);
    expect(book.policy).toBe(next.policy);
    expect(versionOn(book, '2026-11-25')).toBe(0);
    expect(versionOn(book, '2026-11-26')).toBe(1);
  });

  it('nothing changed, or a date before the version in force, is refused', () => {
    expect(() => addVersion(null, uk(), uk(), meta('2026-11-26'))).toThrow('Nothing has changed: the policy is the same as the one in force.');
    const next = uk();
    next.policy.label = 'Ours';
    const book = addVersion(null, uk(), next, meta('2026-11-26'));
    const again = clone(next);
    again.policy.label = 'Ours 2';
    expect(() => addVersion(book, next, again, meta('2026-11-20'))).toThrow('A change cannot apply from 2026-11-20: the version in force applies from 2026-11-26.');
  });

  it(`keeps at most ${MAX_VERSIONS} versions; the oldest kept stands for every earlier date`, () => {
    let current = uk();
    let book: PolicyBook | null = null;
    for (let i = 0; i < MAX_VERSIONS + 5; i++) {
      const next = clone(current);
      next.policy.label = `Version ${i + 1}`;
      book = addVersion(book, current, next, meta('2026-11-26'));
      current = next;
    }
    expect(book!.versions).toHaveLength(MAX_VERSIONS);
    expect(book!.versions[0]!.renumbered).toBeUndefined();
    expect(book!.versions[MAX_VERSIONS - 1]!.version).toBe(MAX_VERSIONS + 5);
  });
});

describe('the changes in words', () => {
  it('steps added, moved, removed; entry conditions, owners, de-escalation; codes added, re-categorised, removed', () => {
    const before = { policy: clone(PRESETS['us-illinois-elementary']!), table: US_ILLINOIS };
    const after = clone(before);
    after.policy.steps[0]!.owner = 'Office';
    after.policy.steps[2]!.entry = { kind: 'unexcusedAtLeast', sessions: 4 };
    after.policy.deescalation!.schoolDaysWithoutUnexcused = 15;
    after.table = { ...after.table, codes: [...after.table.codes.filter((c) => c.code !== 'NS').map((c) => (c.code === 'VAC' ? { ...c, category: 'unauthorised' as const } : c)), { code: 'TRU', category: 'unauthorised', meaning: 'Truant', unexcused: true }] };
    expect(describeChanges(before, after)).toEqual([
      'Step 1 "Probation warning letter": owner Building Secretary → Office.',
      'Step 3 "5-day letter": entered when at least 4 unexcused absences (was: at least 5 unexcused absences).',
      'De-escalation: after Step 7, 15 school days with no unexcused absence at 90% or more (was: after Step 7, 20 school days with no unexcused absence at 90% or more).',
      'Code VAC: counts as unauthorised (was authorised).',
      'Code TRU added: Truant (unauthorised, unexcused).',
      'Code NS removed.',
    ]);
    const { next, origins } = withInsertedStep(uk());
    const words = describeChanges(uk(), next, origins);
    expect(words[0]).toBe('Step 2 "Attendance Monday" added: at least 40 unauthorised sessions; Chat; owner Tutor; review after 5 school days.');
    expect(words).toContain('Step 10 "Referral for prosecution" is now Step 11.');
    const removed = clone(uk());
    removed.policy.steps.pop();
    expect(describeChanges(uk(), removed)).toEqual(['Step 10 "Referral for prosecution" removed.']);
  });
});

describe('past steps keep the policy in force when they were taken', () => {
  const { next, origins } = withInsertedStep(uk());
  next.policy.steps[4]!.reviewSchoolDays = 30; // Letter 1, now Step 5
  const book = addVersion(null, uk(), next, meta('2026-10-01', { origins }));

  it('log records before the change are read in today’s numbering; records from the change on as written', () => {
    const history: InterventionRecord[] = [
      { date: '2026-09-14', studentId: 'S1', step: 4, method: 'Letter', outcome: 'Letter sent', by: 'x' },
      { date: '2026-10-01', studentId: 'S1', step: 5, method: 'Meeting', outcome: 'Meeting held', by: 'x' },
    ];
    expect(historyInCurrentSteps(book, history).map((r) => r.step)).toEqual([5, 5]);
    // The log itself is not touched: a copy is translated.
    expect(history[0]!.step).toBe(4);
    const plain = addVersion(null, uk(), { ...uk(), policy: { ...uk().policy, label: 'Ours' } }, meta('2026-10-01'));
    expect(historyInCurrentSteps(plain, history)).toBe(history);
  });

  it('the steps as on a date, in today’s numbering: Letter 1 entered before the change keeps its 10 days; the new step has none', () => {
    const then = stepsOnDate(book, '2026-09-14');
    expect(then[4]).toEqual({ label: 'Step 4 – Letter 1', reviewSchoolDays: 10 });
    expect(then[1]).toBeUndefined();
    expect(stepsOnDate(book, '2026-10-02')[4]).toEqual({ label: 'Step 5 – Letter 1', reviewSchoolDays: 30 });
  });

  it('the evaluation: a step entered before the change keeps its review date; one entered after gets the new period', () => {
    const cal: SchoolCalendar = { terms: [{ name: 'Autumn', start: '2026-09-01', end: '2026-12-18' }], closures: [] };
    const stats: AttendanceStats = { possible: 100, present: 96, aea: 0, authorised: 4, unauthorised: 0, unverified: 0, unexcused: 0, lateBeforeClose: 0, lateAfterClose: 0, notPossible: 0, attended: 96, absent: 4, attendanceFraction: 0.96, persistentAbsence: false, severeAbsence: false, longestUnauthorisedRun: 0, currentUnauthorisedRun: 0, lastMarkDate: null };
    const active = resolveActivePolicy({ ...DEFAULT_SETTINGS, policyBook: book });
    const letter = (date: string, step: number): InterventionRecord => ({ date, studentId: 'S1', step, method: 'Letter', outcome: 'Letter sent', by: 'al', attendanceAtTime: 0.96, letterKey: letterKey('S1', 'letter1', 'Autumn 2026') });
    const ctx = (history: InterventionRecord[]): StudentContext => ({ studentId: 'S1', stats, marks: [], history: active.currentSteps(history), today: '2026-10-05', calendar: cal, table: DFE_2024, stepsOn: active.stepsOn });
    // Entered Fri 25 Sep under version 0 (as Step 4): review 10 school days later, Fri 9 Oct — not 30 days later.
    const before = evaluateStudent(active.policy, ctx([letter('2026-09-25', 4)]));
    expect(before).toMatchObject({ step: 5, label: 'Step 5 – Letter 1', reviewDue: '2026-10-09', letterDue: null });
    // Entered 1 Oct under version 1 (as Step 5): 30 school days.
    const after = evaluateStudent(active.policy, ctx([letter('2026-10-01', 5)]));
    expect(after).toMatchObject({ step: 5, reviewDue: '2026-11-12' });
    // Without the versions the old record would be re-judged: read as the new Step 4, another step.
    const naive = evaluateStudent(next.policy, { ...ctx([]), history: [letter('2026-09-25', 4)], stepsOn: undefined });
    expect(naive.label).toBe('Step 4 – Parent contact & 2-week monitoring');
  });

  it('one version only: no lookup is needed', () => {
    expect(stepsOnFor(null)).toBeUndefined();
    expect(resolveActivePolicy({ ...DEFAULT_SETTINGS }).book).toBeNull();
  });
});

it('a preset policy is not changed by a saved book (resolveActivePolicy prefers the book)', () => {
  const next = uk();
  next.policy.label = 'Ours';
  const book = addVersion(null, uk(), next, meta('2026-11-26'));
  expect(resolveActivePolicy({ ...DEFAULT_SETTINGS, policyBook: book }).policy.label).toBe('Ours');
  expect((PRESETS['uk-secondary-sol'] as Policy).label).toBe('UK secondary: SOL Tracker attendance procedures (10 interventions)');
});
