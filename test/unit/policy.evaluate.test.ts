import type { SchoolCalendar } from '../../src/core/calendar';
import { schoolDaysInRange } from '../../src/core/calendar';
import { DFE_2024, US_ILLINOIS } from '../../src/core/codes';
import { evaluateStudent, letterKey, reviewDateAfter } from '../../src/core/policy/evaluate';
import type { StudentContext } from '../../src/core/policy/evaluate';
import { getPreset } from '../../src/core/policy/presets';
import { computeStats } from '../../src/core/stats';
import type { AttendanceStats, CodeTable, InterventionRecord, IsoDate, MarkOnDay } from '../../src/core/types';

const uk = getPreset('uk-secondary-sol');
const illinois = getPreset('us-illinois-elementary');
const generic = getPreset('generic');

/** Autumn 2026 has no closure in September/October before half-term (26–30 Oct). */
const UK_CAL: SchoolCalendar = {
  terms: [
    { name: 'Summer', start: '2026-04-13', end: '2026-07-17' },
    { name: 'Autumn', start: '2026-09-01', end: '2026-12-18' },
    { name: 'Spring', start: '2027-01-04', end: '2027-03-26' },
  ],
  closures: ['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30'],
};

const US_CAL: SchoolCalendar = {
  terms: [
    { name: 'Semester 1', start: '2026-08-19', end: '2026-12-18' },
    { name: 'Semester 2', start: '2027-01-04', end: '2027-06-04' },
  ],
  closures: [],
};

/** Hand-built statistics: `attended` of `possible`, the rest absent (authorised unless told). */
function statsOf(attended: number, possible: number, extra: Partial<AttendanceStats> = {}): AttendanceStats {
  const absent = possible - attended;
  const unauthorised = extra.unauthorised ?? 0;
  return {
    possible,
    present: attended,
    aea: 0,
    authorised: absent - unauthorised,
    unauthorised,
    unverified: 0,
    unexcused: 0,
    lateBeforeClose: 0,
    lateAfterClose: 0,
    notPossible: 0,
    attended,
    absent,
    attendanceFraction: possible === 0 ? 1 : attended / possible,
    persistentAbsence: possible > 0 && absent * 10 >= possible,
    severeAbsence: possible > 0 && absent * 2 >= possible,
    longestUnauthorisedRun: 0,
    currentUnauthorisedRun: 0,
    lastMarkDate: null,
    ...extra,
  };
}

/** Register marks for every school day in [from, to]; `codeOn` picks the code (default present). */
function register(cal: SchoolCalendar, table: CodeTable, from: IsoDate, to: IsoDate, codeOn: (date: IsoDate, session: 'AM' | 'PM' | 'DAY') => string | undefined = () => undefined): MarkOnDay[] {
  const marks: MarkOnDay[] = [];
  for (const date of schoolDaysInRange(cal, from, to)) {
    if (table.sessionsPerDay === 2) {
      marks.push({ date, session: 'AM', code: codeOn(date, 'AM') ?? '/' });
      marks.push({ date, session: 'PM', code: codeOn(date, 'PM') ?? '\\' });
    } else {
      marks.push({ date, session: 'DAY', code: codeOn(date, 'DAY') ?? 'P' });
    }
  }
  return marks;
}

function record(step: number, date: IsoDate, extra: Partial<InterventionRecord> = {}): InterventionRecord {
  return { date, studentId: 'S1', step, method: 'Phone call', outcome: 'Spoke to parent/carer', by: 'ao@school.example', ...extra };
}

function ukContext(over: Partial<StudentContext>): StudentContext {
  return { studentId: 'S1', stats: statsOf(1000, 1000), marks: [], history: [], today: '2026-09-14', calendar: UK_CAL, table: DFE_2024, ...over };
}

function ukWithMarks(marks: MarkOnDay[], over: Partial<StudentContext> = {}): StudentContext {
  return ukContext({ marks, stats: computeStats(marks, DFE_2024), ...over });
}

describe('UK secondary ladder (seed 002) thresholds, both sides', () => {
  it.each([
    [1000, 1000, 0],
    [999, 1000, 1],
    [970, 1000, 1],
    [9699, 10000, 3],
    [950, 1000, 3],
    [949, 1000, 4],
    [930, 1000, 4],
    [929, 1000, 5],
    [900, 1000, 5],
    [8999, 10000, 6],
  ])('attendance %i/%i → step %i', (attended, possible, step) => {
    const placement = evaluateStudent(uk, ukContext({ stats: statsOf(attended, possible) }));
    expect(placement.step).toBe(step);
    expect(placement.label).toBe(step === 0 ? 'No step' : uk.steps[step - 1]!.label);
  });

  it('a new Step 4 has Letter 1 due this term, owner AO/HOY and a review 10 school days on', () => {
    const p = evaluateStudent(uk, ukContext({ stats: statsOf(949, 1000) }));
    expect(p.label.startsWith('Step 4')).toBe(true);
    expect(p.owner).toBe('AO/HOY');
    expect(p.letterDue).toEqual({ letterId: 'letter1', step: 4, windowKey: 'Autumn 2026' });
    expect(p.reviewDue).toBe('2026-09-28'); // Mon 14 Sep + 10 school days = Mon 28 Sep
    expect(p.dueDate).toBeNull(); // the UK ladder sets no contact deadline
    expect(p.reasons).toEqual(['attendance 94.9% is below 95%']);
    expect(p.nextAction).toContain('Letter 1');
    // No history: straight from no step to Step 4 is a jump.
    expect(p.jumpedFrom).toBe(0);
    expect(p.explanation).toBe('Step 4 because attendance 94.9% is below 95%, jumping from no step');
  });

  it('100% attendance is no step and says so', () => {
    const p = evaluateStudent(uk, ukContext({ stats: statsOf(40, 40) }));
    expect(p).toMatchObject({ step: 0, label: 'No step', letterDue: null, reviewDue: null, currentStepInHistory: 0 });
    expect(p.explanation).toBe('No step: attendance 100.0% with no absence');
  });

  it('PA boundary: 341/379 rounds to 90.0% under the one rule, so the counts are added not to read "90.0% is below 90%" (attendance-rules.md §5)', () => {
    const p = evaluateStudent(uk, ukContext({ stats: statsOf(341, 379) }));
    expect(p.step).toBe(6);
    expect(p.reasons[0]).toBe('attendance 90.0% (341 of 379 sessions) is below 90%');
  });
});

describe('jump escalation (seed 002: "Jump escalations at any stage")', () => {
  it('no history and 85% attendance → Step 6 straight away, jumpedFrom 0, Letter 3 due', () => {
    const p = evaluateStudent(uk, ukContext({ stats: statsOf(85, 100) }));
    expect(p.step).toBe(6);
    expect(p.jumpedFrom).toBe(0);
    expect(p.currentStepInHistory).toBe(0);
    expect(p.letterDue).toEqual({ letterId: 'letter3', step: 6, windowKey: 'Autumn 2026' });
    expect(p.explanation).toBe('Step 6 because attendance 85.0% is below 90%, jumping from no step');
  });

  it('from Step 3 in history to Step 6 records jumpedFrom 3; one step up (5 → 6) is not a jump', () => {
    const fromThree = evaluateStudent(uk, ukContext({ stats: statsOf(85, 100), history: [record(3, '2026-09-07')] }));
    expect(fromThree).toMatchObject({ step: 6, jumpedFrom: 3, currentStepInHistory: 3 });
    const fromFive = evaluateStudent(uk, ukContext({ stats: statsOf(85, 100), history: [record(5, '2026-09-07')] }));
    expect(fromFive.step).toBe(6);
    expect(fromFive.jumpedFrom).toBeUndefined();
  });
});

describe('no improvement since the last review (seed 002 steps 4–10), judged on the marks after the letter', () => {
  // One AM absence every 8th school day: 15/16 sessions = 93.75 %, Step 4 by attendance (93–95 %).
  const days = schoolDaysInRange(UK_CAL, '2026-04-13', '2027-03-26');
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const marksTo = (to: IsoDate, absentAfter: (date: IsoDate) => boolean = () => true) =>
    register(UK_CAL, DFE_2024, '2026-04-13', to, (date, session) => {
      const i = dayIndex.get(date)!;
      const patterned = session === 'AM' && i % 8 === 0;
      if (date > '2026-09-14') return patterned && absentAfter(date) ? 'O' : undefined;
      return patterned ? 'O' : undefined;
    });
  const letter1 = (extra: Partial<InterventionRecord> = {}) =>
    record(4, '2026-09-14', { method: 'Letter', outcome: 'Letter sent', letterKey: letterKey('S1', 'letter1', 'Autumn 2026'), ...extra });

  it('review date not reached → remains at Step 4 with entry and review dates', () => {
    const p = evaluateStudent(uk, ukWithMarks(marksTo('2026-09-25'), { history: [letter1()], today: '2026-09-25' }));
    expect(p.step).toBe(4);
    expect(p.currentStepInHistory).toBe(4);
    expect(p.reviewDue).toBe('2026-09-28');
    expect(p.explanation).toContain('remains at Step 4 (entered 2026-09-14), review due 2026-09-28');
    expect(p.letterDue).toBeNull(); // Letter 1 already sent this term
    expect(p.nextAction).toBe('Review attendance on 2026-09-28');
  });

  it('review passed, marks cover it, attendance since the letter no better → Step 5', () => {
    const p = evaluateStudent(uk, ukWithMarks(marksTo('2026-09-28'), { history: [letter1()], today: '2026-09-28' }));
    expect(p.step).toBe(5);
    expect(p.jumpedFrom).toBeUndefined();
    expect(p.reasons[0]).toMatch(/^Step 4 – Letter 1 review \(action 2026-09-14, review 2026-09-28\) passed with no improvement: attendance \d+\.\d% on the 20 sessions since \(below 95%\), 93\.\d% before/);
    expect(p.letterDue).toEqual({ letterId: 'letter2', step: 5, windowKey: 'Autumn 2026' });
    expect(p.reviewDue).toBe('2026-10-19'); // 28 Sep + 15 school days
  });

  it('review passed and attendance since the letter improved (no absence) → stays at Step 4', () => {
    const p = evaluateStudent(uk, ukWithMarks(marksTo('2026-09-28', () => false), { history: [letter1()], today: '2026-09-28' }));
    expect(p.step).toBe(4);
    // Issue 10 (E): what the review found, from the register — not "record the review outcome".
    expect(p.nextAction).toMatch(/^Review on 2026-09-28: attendance improved \(100\.0% since the letter, 93\.\d% before\): keep monitoring$/);
  });

  it('full attendance since the letter is never "no improvement", even when it was full before (preview walk: Letter 2 for pupils at 100%)', () => {
    // Old main: "passed with no improvement: attendance 100.0% on the 28 sessions since, 100.0% before (no better)" → Step 5, Letter 2.
    const perfect = register(UK_CAL, DFE_2024, '2026-04-13', '2026-09-28', () => undefined);
    const p = evaluateStudent(uk, ukWithMarks(perfect, { history: [letter1()], today: '2026-09-28' }));
    expect(p.step).toBe(4);
    expect(p.letterDue).toBeNull();
    expect(p.reasons.join(' ')).not.toMatch(/no improvement/);
  });

  it('no new marks since the letter (or not up to the review date) → no "no improvement" (issue 10)', () => {
    // Old main escalated to Step 5 here: it compared today's figure, from the same old marks, with itself.
    expect(evaluateStudent(uk, ukWithMarks(marksTo('2026-09-14'), { history: [letter1()], today: '2026-09-28' })).step).toBe(4);
    expect(evaluateStudent(uk, ukWithMarks(marksTo('2026-09-25'), { history: [letter1()], today: '2026-09-28' })).step).toBe(4);
  });

  it('a staff-set review date is the one used (plan, letter and "no improvement")', () => {
    const p = evaluateStudent(uk, ukWithMarks(marksTo('2026-09-28'), { history: [letter1()], today: '2026-09-28', staffReviewDate: '2026-10-05' }));
    expect(p.step).toBe(4);
    expect(p.reviewDue).toBe('2026-10-05');
    const later = evaluateStudent(uk, ukWithMarks(marksTo('2026-10-05'), { history: [letter1()], today: '2026-10-05', staffReviewDate: '2026-10-05' }));
    expect(later.step).toBe(5);
  });

  it('"no improvement" only while attendance since the letter is still below the step\'s concern (issue 10 walk: Letter 2 at 97.9%)', () => {
    // Before Letter 1: one AM absence every 25 school days (98%); since: `absentSince` AM absences in the 10 days to the review.
    const since = (absentSince: number, everyNthBefore = 25) =>
      register(UK_CAL, DFE_2024, '2026-04-13', '2026-09-28', (date, session) => {
        const i = dayIndex.get(date)!;
        if (session !== 'AM') return undefined;
        if (date <= '2026-09-14') return i % everyNthBefore === 0 ? 'O' : undefined;
        const after = days.filter((d) => d > '2026-09-14' && d <= date).length;
        return after <= absentSince ? 'O' : undefined;
      });
    // 19 of 20 sessions since = 95.0%, below the 98% before: worse, but no longer below Letter 1's 95%.
    // Old main: "passed with no improvement: attendance 95.0% on the 20 sessions since, 98.x% before" → Step 5, Letter 2.
    const recovered = evaluateStudent(uk, ukWithMarks(since(1), { history: [letter1()], today: '2026-09-28' }));
    expect(recovered.step).toBe(4);
    expect(recovered.letterDue).toBeNull();
    expect(recovered.reasons.join(' ')).not.toMatch(/no improvement/);
    // 18 of 20 = 90.0% since, but 97.x% for the year: a dip, not a concern yet (preview walk: Letter 2s at 97.4–98.5% overall).
    const dip = evaluateStudent(uk, ukWithMarks(since(2), { history: [letter1()], today: '2026-09-28' }));
    expect(dip.step).toBe(4);
    expect(dip.letterDue).toBeNull();
    // 90.0% since, 93.8% before and below 95% overall: no improvement → Step 5, and the reason says against what.
    const still = evaluateStudent(uk, ukWithMarks(since(2, 8), { history: [letter1()], today: '2026-09-28' }));
    expect(still.step).toBe(5);
    expect(still.reasons[0]).toMatch(/attendance 90\.0% on the 20 sessions since \(below 95%\), 93\.\d% before, 93\.\d% overall$/);
  });

  it('after a home visit (Step 7, reached by a missed AIM 1), Letter 4 only while attendance since is below 90% (issue 10 year run: Letter 4 at 96.9%)', () => {
    // AIM 1 missed at Step 5 on 14 Sep → Step 7; home visit 21 Sep; review 15 school days on (12 Oct).
    const history = [
      record(5, '2026-09-14', { method: 'Meeting', outcome: 'Parent did not attend' }),
      record(7, '2026-09-21', { method: 'Home visit', outcome: 'Spoke to parent/carer' }),
    ];
    const marks = (everyNth: number, everyNthBefore = 17) =>
      register(UK_CAL, DFE_2024, '2026-04-13', '2026-10-12', (date, session) => {
        const i = dayIndex.get(date)!;
        if (session !== 'AM') return undefined;
        if (date <= '2026-09-21') return i % everyNthBefore === 0 ? 'O' : undefined; // about 97% before (every 17th day)
        return i % everyNth === 0 ? 'O' : undefined;
      });
    // One AM absence every 11 school days since: 95.5% since, below the 97% before.
    // Old main: "Step 8 because Step 7 – Home visit / AIM review … passed with no improvement: attendance 95.5% … since, 97.1% before".
    const fine = evaluateStudent(uk, ukWithMarks(marks(11), { history, today: '2026-10-12' }));
    expect(fine.step).toBe(7);
    expect(fine.letterDue).toBeNull();
    // Absent every third morning before (83%), every other morning since (75%), below 90% overall → Step 8, Letter 4.
    const worse = evaluateStudent(uk, ukWithMarks(marks(2, 3), { history, today: '2026-10-12' }));
    expect(worse.step).toBe(8);
    expect(worse.letterDue).toMatchObject({ letterId: 'letter4' });
  });

  it('a review date past the last term Settings know is counted on over weekdays, never missing (issue 10)', () => {
    const letterInMarch = [record(4, '2027-03-22', { method: 'Letter', outcome: 'Letter sent', letterKey: letterKey('S1', 'letter1', 'Spring 2027') })];
    const p = evaluateStudent(uk, ukContext({ stats: statsOf(940, 1000), history: letterInMarch, today: '2027-03-23' }));
    // 23–26 Mar are school days (4), then 6 weekdays after the calendar ends: Mon 5 Apr 2027.
    expect(p.reviewDue).toBe('2027-04-05');
    expect(reviewDateAfter(schoolDaysInRange(UK_CAL, '2027-01-04', '2027-03-26'), '2027-03-22', 10)).toBe('2027-04-05');
  });
});

describe('Step 10 follows a penalty-notice referral really made (issue 10 year run)', () => {
  // Step 9 reached on 14 Sep; absent every other morning before and every morning since (worse: 50%).
  const marks = register(UK_CAL, DFE_2024, '2026-09-01', '2026-10-09', (date, session) => {
    if (session !== 'AM') return undefined;
    return date > '2026-09-14' || Number(date.slice(8, 10)) % 2 === 0 ? 'O' : undefined;
  });
  it('a phone call at Step 9 is not the referral: no Step 10 however long it has been (old main: Step 10)', () => {
    const call = [record(9, '2026-09-14', { method: 'Phone call', outcome: 'Spoke to parent/carer' })];
    const p = evaluateStudent(uk, ukWithMarks(marks, { history: call, today: '2026-10-09' }));
    expect(p.step).toBe(9);
  });
  it('the referral logged at Step 9, its review passed with no improvement → Step 10', () => {
    const referral = [record(9, '2026-09-14', { method: 'Referral', outcome: 'Referred' })];
    const p = evaluateStudent(uk, ukWithMarks(marks, { history: referral, today: '2026-10-09' }));
    expect(p.step).toBe(10);
    expect(p.reasons[0]).toMatch(/^Step 9 – Penalty notice referral review \(action 2026-09-14, review 2026-10-05\) passed with no improvement/);
  });
});

describe('what a Log row counts for (issue 10)', () => {
  const leftOut = record(6, '2026-09-20', { method: 'Letter', outcome: 'Letter left out', notes: 'Letter not sent: left out by al@school.example — illness' });
  const legacyLeftOut = record(6, '2026-09-20', { method: 'Letter', outcome: 'Other', notes: 'Letter not sent: left out by al@school.example — illness' });

  it('a left-out letter (new or earlier-version row) never counts as a step reached or a letter sent', () => {
    for (const note of [leftOut, legacyLeftOut]) {
      const p = evaluateStudent(uk, ukContext({ stats: statsOf(940, 1000), history: [note], today: '2026-09-28' }));
      expect(p.currentStepInHistory).toBe(0);
      expect(p.step).toBe(4);
      expect(p.letterDue).toEqual({ letterId: 'letter1', step: 4, windowKey: 'Autumn 2026' });
    }
  });

  it('the register is stale (no marks for more than 3 school days) → nobody escalates on time alone; with fresh marks → escalation', () => {
    // AIM 2 held 1 Sep; 10 unauthorised sessions after it; its review date is 22 Sep. Marks stop on 18 Sep.
    const aim2 = [record(6, '2026-09-01', { method: 'Meeting', outcome: 'Meeting held' })];
    const days = schoolDaysInRange(UK_CAL, '2026-09-02', '2026-09-15');
    const marks = (to: IsoDate) => register(UK_CAL, DFE_2024, '2026-09-01', to, (date, session) => (session === 'AM' && days.includes(date) ? 'O' : undefined));
    const stale = evaluateStudent(uk, ukWithMarks(marks('2026-09-18'), { history: aim2, today: '2026-10-01', registerLastMarkDate: '2026-09-18' }));
    expect(stale.step).toBe(6);
    expect(stale.heldForStaleRegister).toEqual({ lastMarkDate: '2026-09-18', missingSchoolDays: 8, wouldBeStep: 9 });
    expect(stale.explanation).toContain('the register has no marks since 2026-09-18 (8 school days)');
    const fresh = evaluateStudent(uk, ukWithMarks(marks('2026-09-30'), { history: aim2, today: '2026-10-01', registerLastMarkDate: '2026-09-30' }));
    expect(fresh.step).toBe(9);
    expect(fresh.heldForStaleRegister).toBeUndefined();
  });

  it('a time-driven rule (unauthorised this term within N school days) is judged as of the last marked day when the register is stale', () => {
    const marks = register(UK_CAL, DFE_2024, '2026-09-01', '2026-09-18', (date, session) => (session === 'AM' && date <= '2026-09-04' ? 'O' : undefined));
    const last = evaluateStudent(uk, ukWithMarks(marks, { today: '2026-09-18', registerLastMarkDate: '2026-09-18' }));
    const later = evaluateStudent(uk, ukWithMarks(marks, { today: '2026-10-01', registerLastMarkDate: '2026-09-18' }));
    expect(later.step).toBe(last.step);
  });
});

describe('parent fails to attend a meeting → Step 7 home visit (seed 002 step 7)', () => {
  it('AIM 1 (Step 5) not attended → Step 7', () => {
    const history = [record(5, '2026-09-14', { method: 'Meeting', outcome: 'Parent did not attend' })];
    const p = evaluateStudent(uk, ukContext({ stats: statsOf(92, 100), history, today: '2026-09-16' }));
    expect(p.step).toBe(7);
    expect(p.jumpedFrom).toBe(5);
    expect(p.reasons).toEqual(['parent/carer did not attend the meeting on 2026-09-14 (Step 5)']);
    expect(p.owner).toBe('AO/HOY/AL');
  });

  it('meeting held → stays at Step 5; a missed call-back at Step 4 is not an AIM meeting', () => {
    const held = [record(5, '2026-09-14', { method: 'Meeting', outcome: 'Meeting held' })];
    expect(evaluateStudent(uk, ukContext({ stats: statsOf(92, 100), history: held, today: '2026-09-16' })).step).toBe(5);
    const early = [record(4, '2026-09-14', { method: 'Meeting', outcome: 'Parent did not attend' })];
    expect(evaluateStudent(uk, ukContext({ stats: statsOf(94, 100), history: early, today: '2026-09-16' })).step).toBe(4);
  });
});

describe('penalty-notice threshold (seed 002 step 9; attendance-rules.md §1.6: 10 unauthorised in 10 school weeks)', () => {
  /** `count` unauthorised AM sessions on the first school days after `after`. */
  const withUnauthorised = (count: number, after = '2026-09-01') => {
    const days = schoolDaysInRange(UK_CAL, '2026-09-01', '2026-10-23').filter((d) => d > after);
    const oDays = new Set(days.slice(0, count));
    return register(UK_CAL, DFE_2024, '2026-09-01', '2026-10-23', (date, session) => (session === 'AM' && oDays.has(date) ? 'O' : undefined));
  };
  const aim2Held = [record(6, '2026-09-01', { method: 'Meeting', outcome: 'Meeting held' })];

  it('Letter 3 / AIM 2 done, its review passed, 10 unauthorised sessions after it → Step 9', () => {
    const p = evaluateStudent(uk, ukWithMarks(withUnauthorised(10), { history: aim2Held, today: '2026-10-09' }));
    expect(p.step).toBe(9);
    expect(p.reasons[0]).toBe('Step 6 – Letter 3, AIM 2 review date 2026-09-22 has passed');
    expect(p.reasons[1]).toMatch(/^10 unauthorised sessions in the school weeks from \S+ to \S+ reach the penalty-notice threshold \(10 within 10 school weeks\)$/);
  });

  it('not before the review has passed; 9 after it → Step 7 (no improvement after AIM 2), not the penalty notice', () => {
    expect(evaluateStudent(uk, ukWithMarks(withUnauthorised(10), { history: aim2Held, today: '2026-09-21' })).step).toBe(6);
    expect(evaluateStudent(uk, ukWithMarks(withUnauthorised(9), { history: aim2Held, today: '2026-10-09' })).step).toBe(7);
  });

  it('absences from before Letter 3 are not evidence after it (issue 10: Step 9 on pre-letter absences)', () => {
    const letter3 = [record(6, '2026-10-01', { method: 'Letter', outcome: 'Letter sent', letterKey: letterKey('S1', 'letter3', 'Autumn 2026') })];
    const p = evaluateStudent(uk, ukWithMarks(withUnauthorised(10), { history: letter3, today: '2026-10-23' }));
    expect(p.step).toBe(6);
  });

  it('any Log row at Step 6 (a call with no answer) is not Letter 3 or AIM 2: no Step 9', () => {
    const noAnswer = [record(6, '2026-09-01', { method: 'Phone call', outcome: 'No answer' })];
    const p = evaluateStudent(uk, ukWithMarks(withUnauthorised(10), { history: noAnswer, today: '2026-10-09' }));
    expect(p.step).toBe(6);
  });

  it('10 but only at Step 5 → support first, Step 6 by attendance', () => {
    const atStep5 = [record(5, '2026-09-01')];
    const p = evaluateStudent(uk, ukWithMarks(withUnauthorised(10), { history: atStep5, today: '2026-10-09' }));
    expect(p.step).toBe(6);
    expect(p.reasons[0]).toMatch(/^attendance \d+\.\d% is below 90%$/);
  });
});

describe('broken weeks (seed 002 step 2: "broken weeks or second bout of illness")', () => {
  // A long run of presence keeps attendance above 97%, so only the pattern can give Step 2.
  const withAbsences = (absent: IsoDate[]) =>
    register(UK_CAL, DFE_2024, '2026-04-13', '2026-10-23', (date, session) => (session === 'AM' && absent.includes(date) ? 'I' : undefined));

  it('absences in 2 separate weeks within 20 school days → Step 2', () => {
    const p = evaluateStudent(uk, ukWithMarks(withAbsences(['2026-10-06', '2026-10-20']), { today: '2026-10-23' }));
    expect(p.step).toBe(2);
    expect(p.reasons).toEqual(['absences in 2 separate weeks within the last 20 school days (weeks of 2026-10-05, 2026-10-19)']);
  });

  it('two absences in the same week, or one week outside the 20 school days → Step 1 only', () => {
    expect(evaluateStudent(uk, ukWithMarks(withAbsences(['2026-10-19', '2026-10-20']), { today: '2026-10-23' })).step).toBe(1);
    // 20 school days back from Fri 23 Oct starts Mon 28 Sep: 25 Sep is outside.
    expect(evaluateStudent(uk, ukWithMarks(withAbsences(['2026-09-25', '2026-10-20']), { today: '2026-10-23' })).step).toBe(1);
    expect(evaluateStudent(uk, ukWithMarks(withAbsences(['2026-09-28', '2026-10-20']), { today: '2026-10-23' })).step).toBe(2);
  });
});

describe('letters go once per window (DESIGN.md §5: keyed per student, letter and window)', () => {
  it('letterKey is student|letter|window', () => {
    expect(letterKey('S1', 'letter1', 'Autumn 2026')).toBe('S1|letter1|Autumn 2026');
  });

  it('Letter 1 sent last term is due again this term; sent this term it is not', () => {
    // Attendance improved since then (93% → 94%), so the student stays at Step 4.
    const lastTerm = [record(4, '2026-06-01', { method: 'Letter', outcome: 'Letter sent', attendanceAtTime: 0.93, letterKey: letterKey('S1', 'letter1', 'Summer 2026') })];
    const thisTerm = [record(4, '2026-09-07', { method: 'Letter', outcome: 'Letter sent', letterKey: letterKey('S1', 'letter1', 'Autumn 2026') })];
    expect(evaluateStudent(uk, ukContext({ stats: statsOf(94, 100), history: lastTerm, today: '2026-09-14' })).letterDue).toEqual({ letterId: 'letter1', step: 4, windowKey: 'Autumn 2026' });
    expect(evaluateStudent(uk, ukContext({ stats: statsOf(94, 100), history: thisTerm, today: '2026-09-14' })).letterDue).toBeNull();
  });

  it('a step\'s letter from an earlier term goes again only while the step\'s condition holds today (issue 10 walk: 318 of 404 January letters repeated November\'s, one at 99.3%)', () => {
    const lastTerm = [record(4, '2026-06-01', { method: 'Letter', outcome: 'Letter sent', letterKey: letterKey('S1', 'letter1', 'Summer 2026') })];
    // At 98%: stays at Step 4 (the UK ladder does not go down), but no Letter 1 again. Old main: letter1 due, Autumn 2026.
    const recovered = evaluateStudent(uk, ukContext({ stats: statsOf(98, 100), history: lastTerm, today: '2026-09-14' }));
    expect(recovered.step).toBe(4);
    expect(recovered.letterDue).toBeNull();
    // Not the letter's action ("Letter 1: general concern…"); the review's words may name the letter already sent (reviewWords.ts).
    expect(recovered.nextAction).not.toMatch(/Letter 1:/);
    // Still below 95%, but the letter of 13 July is still under review (10 school days: 14–17 Jul, then 1–8 Sep):
    // not again on 2 September because a term began; due once its review date has passed.
    const july = [record(4, '2026-07-13', { method: 'Letter', outcome: 'Letter sent', letterKey: letterKey('S1', 'letter1', 'Summer 2026') })];
    const underReview = evaluateStudent(uk, ukContext({ stats: statsOf(94, 100), history: july, today: '2026-09-02' }));
    expect(underReview.reviewDue).toBe('2026-09-08');
    expect(underReview.letterDue).toBeNull();
    expect(evaluateStudent(uk, ukContext({ stats: statsOf(94, 100), history: july, today: '2026-09-08' })).letterDue).toEqual({ letterId: 'letter1', step: 4, windowKey: 'Autumn 2026' });
    // A letter never sent at the step is still due however attendance stands (the step's own action).
    const neverSent = [record(4, '2026-09-07', { method: 'Phone call', outcome: 'Spoke to parent/carer' })];
    expect(evaluateStudent(uk, ukContext({ stats: statsOf(98, 100), history: neverSent, today: '2026-09-14' })).letterDue).toEqual({ letterId: 'letter1', step: 4, windowKey: 'Autumn 2026' });
  });

  it("another student's record neither counts as this student's letter nor as their step", () => {
    const other = [record(6, '2026-09-07', { studentId: 'S2', letterKey: letterKey('S2', 'letter1', 'Autumn 2026') })];
    const p = evaluateStudent(uk, ukContext({ stats: statsOf(94, 100), history: other }));
    expect(p).toMatchObject({ step: 4, currentStepInHistory: 0, letterDue: { letterId: 'letter1' } });
  });

  it('a log record with a step outside the ladder is an error naming the record', () => {
    expect(() => evaluateStudent(uk, ukContext({ history: [record(11, '2026-09-07')] }))).toThrow(
      'Interventions Log record of 2026-09-07 for student S1: step 11 is not a step of policy "uk-secondary-sol" (0 to 10)',
    );
  });
});

/** A student on a daily US register (Illinois and generic presets). */
const usContext = (over: Partial<StudentContext>): StudentContext => ({
  studentId: 'S1',
  stats: statsOf(100, 100),
  marks: [],
  history: [],
  today: '2026-10-09',
  calendar: US_CAL,
  table: US_ILLINOIS,
  ...over,
});

describe('Illinois elementary (seed 004)', () => {
  const usWithMarks = (marks: MarkOnDay[], over: Partial<StudentContext>) => usContext({ marks, stats: computeStats(marks, US_ILLINOIS), ...over });

  it.each([
    [4, 0, null],
    [5, 1, 'probation-warning'],
    [9, 1, 'probation-warning'],
    [10, 2, 'probation'],
  ])('%i unverified absences → step %i (letter %s)', (unverified, step, letterId) => {
    const p = evaluateStudent(illinois, usContext({ stats: statsOf(100 - unverified, 100, { unverified }) }));
    expect(p.step).toBe(step);
    expect(p.letterDue?.letterId ?? null).toBe(letterId);
    if (letterId) expect(p.letterDue?.windowKey).toBe('2026-27'); // one letter per academic year
    if (step > 0) expect(p.reasons).toEqual([`${unverified} unverified absences (threshold ${step === 1 ? 5 : 10})`]);
  });

  it('4 unexcused → nothing; 5 unexcused → Step 3 five-day letter', () => {
    expect(evaluateStudent(illinois, usContext({ stats: statsOf(96, 100, { unauthorised: 4, unexcused: 4 }) })).step).toBe(0);
    const p = evaluateStudent(illinois, usContext({ stats: statsOf(95, 100, { unauthorised: 5, unexcused: 5 }) }));
    expect(p).toMatchObject({ step: 3, label: 'Step 3 – 5-day letter', letterDue: { letterId: 'five-day' } });
  });

  it('ROE 2nd notification: below 90% with an unexcused absence after the 5-day letter', () => {
    const unexcusedBefore = ['2026-09-01', '2026-09-02', '2026-09-03', '2026-09-04', '2026-09-08'];
    const excused = ['2026-09-09', '2026-09-10', '2026-09-11'];
    const build = (after: IsoDate[]) =>
      register(US_CAL, US_ILLINOIS, '2026-08-19', '2026-10-09', (date) => (unexcusedBefore.includes(date) || after.includes(date) ? 'UNX' : excused.includes(date) ? 'EXC' : undefined));
    const history = [record(3, '2026-10-01', { method: 'Letter', outcome: 'Letter sent', letterKey: letterKey('S1', 'five-day', '2026-27') })];
    const stays = evaluateStudent(illinois, usWithMarks(build([]), { history }));
    expect(stays.step).toBe(3);
    const p = evaluateStudent(illinois, usWithMarks(build(['2026-10-06']), { history }));
    expect(p.step).toBe(4);
    expect(p.letterDue).toEqual({ letterId: 'roe-2', step: 4, windowKey: '2026-27' });
    // 38 school days 19 Aug–9 Oct, 9 absent: 29/38 = 76.3%.
    expect(p.reasons).toEqual(['attendance 76.3% is below 90%', '1 unexcused absence since Step 3 (2026-10-01) (threshold 1)']);
  });

  describe('after the truancy hearing: 20 school days with no unexcused absence at 90%+ end the probation', () => {
    const hearing = [record(7, '2026-10-01', { method: 'Meeting', outcome: 'Meeting held' })];
    // Before the hearing: 10 unexcused days, so overall attendance stays below 90%.
    const build = (today: IsoDate, codeAfter: (date: IsoDate) => string | undefined = () => undefined) =>
      register(US_CAL, US_ILLINOIS, '2026-09-01', today, (date) => (date < '2026-09-15' ? 'UNX' : date > '2026-10-01' ? codeAfter(date) : undefined));

    it('20th clean school day (Thu 29 Oct) → de-escalated, no step', () => {
      const p = evaluateStudent(illinois, usWithMarks(build('2026-10-29'), { history: hearing, today: '2026-10-29' }));
      expect(p).toMatchObject({ step: 0, deescalated: true, currentStepInHistory: 7, letterDue: null });
      expect(p.reasons).toEqual([
        '20 school days after Step 7 – Truancy hearing packet (2026-10-01 to 2026-10-29) with no unexcused absence and attendance 100.0% (at least 90%)',
      ]);
    });

    it('19th school day → still at Step 7, not de-escalated', () => {
      const p = evaluateStudent(illinois, usWithMarks(build('2026-10-28'), { history: hearing, today: '2026-10-28' }));
      expect(p.step).toBe(7);
      expect(p.deescalated).toBeUndefined();
    });

    it("an unexcused absence after the hearing → Step 8 state's attorney referral", () => {
      const p = evaluateStudent(illinois, usWithMarks(build('2026-10-20', (d) => (d === '2026-10-15' ? 'UNX' : undefined)), { history: hearing, today: '2026-10-20' }));
      expect(p.step).toBe(8);
      expect(p.label).toBe("Step 8 – State's attorney referral");
    });

    it('3 excused days in the 20 (85%) → no de-escalation; Step 8 once the 20 days are over', () => {
      const excused = new Set(['2026-10-05', '2026-10-06', '2026-10-07']);
      const p = evaluateStudent(illinois, usWithMarks(build('2026-10-29', (d) => (excused.has(d) ? 'EXC' : undefined)), { history: hearing, today: '2026-10-29' }));
      expect(p.deescalated).toBeUndefined();
      expect(p.step).toBe(8);
      expect(p.reasons.join(' ')).toContain('attendance since 2026-10-01 is 85.0%, below 90%');
    });
  });
});

describe('generic SOP (seeds 000/001)', () => {
  // The generic SOP uses the same daily US register as the Illinois tests.
  const genericContext = usContext;

  it('2 consecutive unexcused days → nothing; 3 → Step 1, contact within 2 school days', () => {
    const two = statsOf(98, 100, { unauthorised: 2, longestUnauthorisedRun: 2 });
    expect(evaluateStudent(generic, genericContext({ stats: two })).step).toBe(0);
    const three = statsOf(97, 100, { unauthorised: 3, longestUnauthorisedRun: 3 });
    const p = evaluateStudent(generic, genericContext({ stats: three }));
    expect(p.step).toBe(1);
    expect(p.dueDate).toBe('2026-10-13'); // Fri 9 Oct + 2 school days, over the weekend
    expect(p.letterDue).toEqual({ letterId: 'notification', step: 1, windowKey: 'Semester 1 2026' });
    expect(p.reasons).toEqual(['3 consecutive unauthorised absences (threshold 3)']);
  });

  it('4 unexcused in the current term → nothing; 5 → Step 1; an absence last term does not count', () => {
    const build = (days: IsoDate[]) => register(US_CAL, US_ILLINOIS, '2026-08-19', '2027-02-05', (date) => (days.includes(date) ? 'UNX' : undefined));
    const ctx = (days: IsoDate[]) => {
      const marks = build(days);
      return genericContext({ marks, stats: computeStats(marks, US_ILLINOIS), today: '2027-02-05' });
    };
    const four = ['2027-01-05', '2027-01-07', '2027-01-12', '2027-01-14'];
    expect(evaluateStudent(generic, ctx(four)).step).toBe(0);
    const p = evaluateStudent(generic, ctx([...four, '2027-01-19']));
    expect(p.step).toBe(1);
    expect(p.reasons).toEqual(['5 unauthorised absences this term (Semester 2, since 2027-01-04) (threshold 5)']);
    expect(evaluateStudent(generic, ctx([...four, '2026-12-01'])).step).toBe(0);
  });

  it('unresolved after the Step 1 review (an unexcused day every week since the call) → Step 2 meeting', () => {
    const history = [record(1, '2026-10-09')];
    const marks = (to: IsoDate) => register(US_CAL, US_ILLINOIS, '2026-08-19', to, (date) => (['2026-10-06', '2026-10-07', '2026-10-08', '2026-10-14', '2026-10-21'].includes(date) ? 'UNX' : undefined));
    const at = (today: IsoDate) => genericContext({ marks: marks(today), stats: computeStats(marks(today), US_ILLINOIS), history, today });
    expect(evaluateStudent(generic, at('2026-10-22')).step).toBe(1);
    const p = evaluateStudent(generic, at('2026-10-23'));
    expect(p).toMatchObject({ step: 2, label: 'Step 2 – Parent meeting', dueDate: '2026-10-27' });
  });
});

// Evaluation speed is measured by `npm run bench` (bench/evaluate.bench.ts), not asserted in a test.
