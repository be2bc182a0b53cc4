/**
 * Places one student on a policy's ladder and says why (DESIGN.md §3). The placement is the
 * highest step whose entry condition holds (jump escalation is the rule, not a special case),
 * never below the step already reached in the Interventions Log unless the policy's
 * de-escalation rule is met. Pure: today, the calendar and the history are passed in.
 */
import type { SchoolCalendar } from '../calendar';
import { countUpTo, schoolDaysAfter, schoolDaysOf, termOf } from '../calendar';
import { lookupCode } from '../codes';
import { attendanceImproved, computeStats, countInWindow, penaltyNoticeCheck, statsBetween } from '../stats';
import { formatFraction, formatPercentOf, percentTenths } from '../format/percent';
import type { AttendanceCode, AttendanceStats, CodeTable, InterventionRecord, IsoDate, MarkOnDay } from '../types';
import type { PastStep } from './book';
import type { Condition, Policy, Step } from './schema';
import { isAction, isContact, isLetterSent, isMeetingHeld, letterIdOf } from '../history';
import { reviewNextAction } from './reviewWords';

export interface StudentContext {
  studentId: string;
  stats: AttendanceStats;
  marks: readonly MarkOnDay[];
  /** The student's Interventions Log records (other students' records are ignored). */
  history: readonly InterventionRecord[];
  today: IsoDate;
  calendar: SchoolCalendar;
  table: CodeTable;
  /**
   * The steps as they were on a date (policy versions, book.ts), in today's numbering: a step
   * entered before a policy change keeps the review period and contact deadline it was given.
   */
  stepsOn?: (date: IsoDate) => readonly (PastStep | undefined)[];
  /**
   * The latest mark date in the whole register (the last import's reach). When the register has no
   * marks for more than STALE_AFTER_SCHOOL_DAYS school days before today, nobody is escalated on it.
   */
  registerLastMarkDate?: IsoDate | null;
  /** A review date staff set for this pupil's current step (sidebar or the tracker's Review date column). */
  staffReviewDate?: IsoDate | null;
  /** The step staffReviewDate was set at (reviewDate.ts); absent: the step reached in the Log. */
  staffReviewStep?: number;
}

/** A register with no marks on more than this many school days before today is stale. */
export const STALE_AFTER_SCHOOL_DAYS = 3;

/** Whether the register is stale on `today`, and since when: pure, for the model and the reports. */
export function registerStaleness(days: readonly IsoDate[], lastMarkDate: IsoDate | null | undefined, today: IsoDate): { stale: boolean; missingSchoolDays: number } {
  if (!lastMarkDate) return { stale: false, missingSchoolDays: 0 };
  // School days after the last mark and before today (today's marks may not be taken yet).
  const missing = Math.max(0, countUpTo(days, addDaysIso(today, -1)) - countUpTo(days, lastMarkDate));
  return { stale: missing > STALE_AFTER_SCHOOL_DAYS, missingSchoolDays: missing };
}

function addDaysIso(date: IsoDate, n: number): IsoDate {
  const utc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * 86_400_000;
  return new Date(utc).toISOString().slice(0, 10);
}

/**
 * The n-th school day after `date` by the school's calendar; past the calendar's last entered day
 * the count goes on over Monday–Friday, so a review date is never "missing" at the end of a term
 * or year (issue 10: letters were held back for three weeks before every term end).
 */
export function reviewDateAfter(days: readonly IsoDate[], date: IsoDate, n: number): IsoDate {
  const inCalendar = schoolDaysAfter(days, date, n);
  if (inCalendar !== null) return inCalendar;
  const last = days.length > 0 && days[days.length - 1]! > date ? days[days.length - 1]! : date;
  let remaining = n - (countUpTo(days, last) - countUpTo(days, date));
  let d = last;
  while (remaining > 0) {
    d = addDaysIso(d, 1);
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) remaining--;
  }
  return d;
}

export interface Placement {
  /** 0 = no step. */
  step: number;
  label: string;
  reasons: string[];
  /** One sentence, e.g. "Step 5 because attendance 91.2% is below 93% and …". */
  explanation: string;
  nextAction: string;
  owner: string;
  /** Contact/action due (contactWithinSchoolDays after entering the step), in school days. */
  dueDate: IsoDate | null;
  reviewDue: IsoDate | null;
  letterDue: { letterId: string; step: number; windowKey: string } | null;
  /** Set when the student skipped steps: the step they came from (0 = none). */
  jumpedFrom?: number;
  /** Set when escalation was held because the register is stale (school days with no marks). */
  heldForStaleRegister?: { lastMarkDate: IsoDate; missingSchoolDays: number; wouldBeStep: number };
  currentStepInHistory: number;
  deescalated?: boolean;
}

/** The key that makes each letter go exactly once per student, letter and window (DESIGN.md §5). */
export function letterKey(studentId: string, letterId: string, windowKey: string): string {
  return `${studentId}|${letterId}|${windowKey}`;
}

// ---------------------------------------------------------------------------------------------
// School days: one sorted list per calendar object, so stepping N school days is an index move.


/** First day of the last n school days up to and including today; null before the first. */
function startOfLastSchoolDays(days: readonly IsoDate[], today: IsoDate, n: number): IsoDate | null {
  const upTo = countUpTo(days, today);
  if (upTo === 0) return null;
  return days[Math.max(0, upTo - n)]!;
}

/** Week starts are asked for the same school days for every student: remember them. */
const mondays = new Map<IsoDate, IsoDate>();

/** Monday of the Monday–Sunday week of an ISO date (UTC arithmetic: no time zone involved). */
function mondayOf(date: IsoDate): IsoDate {
  let monday = mondays.get(date);
  if (monday === undefined) {
    const utc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
    const weekday = new Date(utc).getUTCDay();
    monday = new Date(utc - ((weekday + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    if (mondays.size > 20_000) mondays.clear();
    mondays.set(date, monday);
  }
  return monday;
}

// ---------------------------------------------------------------------------------------------
// Letter windows

/** The term containing today, else the latest one already started (holidays), else the first. */
function currentTerm(cal: SchoolCalendar, today: IsoDate) {
  const inTerm = termOf(cal, today);
  if (inTerm) return inTerm;
  let latest: SchoolCalendar['terms'][number] | null = null;
  for (const term of cal.terms) if (term.start <= today && (!latest || term.start > latest.start)) latest = term;
  return latest ?? cal.terms[0] ?? null;
}

/** 'Autumn 2026' for a term (its name plus start year, so keys never repeat across years), '2026-27' for a year. */
export function letterWindowKey(policy: Policy, cal: SchoolCalendar, today: IsoDate): string {
  if (policy.letterWindow === 'term') {
    const term = currentTerm(cal, today);
    if (term) return /\d{4}/.test(term.name) ? term.name : `${term.name} ${term.start.slice(0, 4)}`;
  }
  if (cal.terms.length > 0) {
    let first = cal.terms[0]!.start;
    let last = cal.terms[0]!.end;
    for (const term of cal.terms) {
      if (term.start < first) first = term.start;
      if (term.end > last) last = term.end;
    }
    const from = first.slice(0, 4);
    const to = last.slice(0, 4);
    return from === to ? from : `${from}-${to.slice(2)}`;
  }
  // No calendar entered: a school year runs from August.
  const year = Number(today.slice(0, 4));
  const start = Number(today.slice(5, 7)) >= 8 ? year : year - 1;
  return `${start}-${String(start + 1).slice(2)}`;
}

// ---------------------------------------------------------------------------------------------
// Figures in words

/**
 * Attendance in words under THE percent rule (format/percent.ts). When the rounded figure would
 * seem to contradict the exact test (569 of 600 is 94.83 %, shown "94.8%", fine; 1899 of 2000 is
 * 94.95 %, shown "95.0%", "below 95%"), the session counts are added so the sentence stays true.
 */
function attendanceText(attended: number, possible: number, thresholdTenths: number | null): string {
  const shown = formatPercentOf(attended, possible);
  if (thresholdTenths === null || possible === 0) return shown;
  const exactBelow = attended * 1000 < thresholdTenths * possible;
  const shownBelow = percentTenths(attended, possible) < thresholdTenths;
  return shownBelow === exactBelow ? shown : `${shown} (${attended} of ${possible} sessions)`;
}

const percentText = (percent: number) => `${percent}%`;
const tenths = (percent: number) => Math.round(percent * 10);

// ---------------------------------------------------------------------------------------------
// One evaluation

interface StepEntry {
  /** When the step's own action (letter sent, meeting held, contact) was done. */
  date: IsoDate;
  /** Attendance before that action, from the marks. */
  baseline: number;
  attendedBefore: number;
  possibleBefore: number;
}

class Evaluation {
  readonly records: InterventionRecord[];
  readonly historyStep: number;
  readonly days: readonly IsoDate[];
  private readonly entries = new Map<number, StepEntry | null>();
  private penalty: ReturnType<typeof penaltyNoticeCheck> | undefined;

  constructor(
    readonly policy: Policy,
    readonly ctx: StudentContext,
  ) {
    this.records = [];
    let historyStep = 0;
    for (const record of ctx.history) {
      if (record.studentId !== ctx.studentId) continue;
      if (!Number.isInteger(record.step) || record.step < 0 || record.step > policy.steps.length) {
        throw new Error(
          `Interventions Log record of ${record.date} for student ${ctx.studentId}: step ${String(record.step)} is not a step of policy "${policy.id}" (0 to ${policy.steps.length})`,
        );
      }
      // A note about a letter decision (left out / included again) is not something done.
      if (!isAction(record)) continue;
      this.records.push(record);
      if (record.step > historyStep) historyStep = record.step;
    }
    this.historyStep = historyStep;
    this.days = schoolDaysOf(ctx.calendar);
  }

  get stats(): AttendanceStats {
    return this.ctx.stats;
  }

  absenceNoun(count: number, kind: string): string {
    // US registers have one session a day, so a session is an absence (a day).
    return this.ctx.table.sessionsPerDay === 1 ? `${count} ${kind} absence${count === 1 ? '' : 's'}` : `${count} ${kind} session${count === 1 ? '' : 's'}`;
  }

  step(n: number): Step {
    return this.policy.steps[n - 1]!;
  }

  /**
   * When step n's own action was done: for a step with a letter or a meeting, the earliest sent
   * letter of that step or meeting held at it (seed 002: "Letter 2 … review date", "Review date
   * from letter 3"); for a step of conversations and calls, its earliest contact. A log row at the
   * step that is neither (a call with no answer at Step 6, a note) does not start a review.
   */
  entryOf(n: number): StepEntry | null {
    if (this.entries.has(n)) return this.entries.get(n)!;
    const kinds = new Set(this.step(n).actions.map((a) => a.kind));
    const letterIds = new Set(this.step(n).actions.filter((a) => a.kind === 'letter' && a.letterId).map((a) => a.letterId!));
    let first: InterventionRecord | null = null;
    for (const record of this.records) {
      if (record.step !== n || !stepActionDone(record, kinds, letterIds)) continue;
      if (!first || record.date < first.date) first = record;
    }
    let entry: StepEntry | null = null;
    if (first) {
      // Attendance before the action, on the marks (exact counts; the Log's figure is display only).
      const before = statsBetween(this.ctx.marks, this.ctx.table, '0000-01-01', first.date);
      entry = { date: first.date, baseline: before.attendanceFraction, attendedBefore: before.attended, possibleBefore: before.possible };
    }
    this.entries.set(n, entry);
    return entry;
  }

  /** Date the student first reached step n or later. */
  reachedDate(n: number): IsoDate | null {
    let date: IsoDate | null = null;
    for (const record of this.records) if (record.step >= n && (date === null || record.date < date)) date = record.date;
    return date;
  }

  /** Step n as it was when entered on `date` (a later policy change does not move its dates). */
  stepAsEntered(n: number, date: IsoDate): PastStep {
    return this.ctx.stepsOn?.(date)[n - 1] ?? this.step(n);
  }

  /** Review date of step n entered on entryDate: the staff-set date for the current step, else school days. */
  reviewDate(n: number, entryDate: IsoDate): IsoDate {
    const staff = this.ctx.staffReviewDate;
    if (staff && n === (this.ctx.staffReviewStep ?? this.historyStep) && staff > entryDate) return staff;
    return reviewDateAfter(this.days, entryDate, this.stepAsEntered(n, entryDate).reviewSchoolDays);
  }

  penaltyCheck() {
    return (this.penalty ??= penaltyNoticeCheck(this.ctx.marks, this.ctx.table));
  }

  /** Marks strictly after `after` up to today. */
  statsAfter(after: IsoDate, until: IsoDate = this.ctx.today): AttendanceStats {
    return computeStats(this.ctx.marks.filter((m) => m.date > after && m.date <= until), this.ctx.table);
  }

  /** Reasons in words when the condition holds, null when it does not. */
  check(c: Condition, ownStep: number): string[] | null {
    const { stats, ctx } = this;
    switch (c.kind) {
      case 'attendanceBelow': {
        const t = tenths(c.percent);
        if (c.sinceStep !== undefined) {
          const since = this.reachedDate(c.sinceStep);
          if (since === null) return null;
          const window = this.statsAfter(since);
          if (window.possible === 0 || window.attended * 1000 >= t * window.possible) return null;
          return [`attendance since ${since} is ${attendanceText(window.attended, window.possible, t)}, below ${percentText(c.percent)}`];
        }
        if (stats.attended * 1000 >= t * stats.possible) return null;
        return [`attendance ${attendanceText(stats.attended, stats.possible, t)} is below ${percentText(c.percent)}`];
      }
      case 'attendanceAtOrAbove': {
        const t = tenths(c.percent);
        if (stats.attended * 1000 < t * stats.possible) return null;
        return [`attendance ${attendanceText(stats.attended, stats.possible, t)} is at or above ${percentText(c.percent)}`];
      }
      case 'absenceRateAtLeast': {
        if (stats.possible === 0 || stats.absent * 1000 < tenths(c.percent) * stats.possible) return null;
        return [`absence ${formatPercentOf(stats.absent, stats.possible)} is at least ${percentText(c.percent)}`];
      }
      case 'unauthorisedAtLeast': {
        let from: IsoDate | null = null;
        const where: string[] = [];
        if (c.withinSchoolDays !== undefined) {
          from = startOfLastSchoolDays(this.days, ctx.today, c.withinSchoolDays);
          if (from === null) return null;
          where.push(`in the last ${c.withinSchoolDays} school days`);
        }
        if (c.withinCurrentTerm) {
          const term = currentTerm(ctx.calendar, ctx.today);
          if (!term) return null;
          if (from === null || term.start > from) from = term.start;
          where.push(`this term (${term.name}, since ${term.start})`);
        }
        const count = from === null ? stats.unauthorised : countInWindow(ctx.marks, ctx.table, from, ctx.today, isUnauthorised);
        if (count < c.sessions) return null;
        return [`${this.absenceNoun(count, 'unauthorised')} ${where.join(' and ')}`.trim() + ` (threshold ${c.sessions})`];
      }
      case 'unverifiedAtLeast':
        if (stats.unverified < c.sessions) return null;
        return [`${this.absenceNoun(stats.unverified, 'unverified')} (threshold ${c.sessions})`];
      case 'unexcusedAtLeast': {
        let window = stats;
        let where = '';
        if (c.sinceStep !== undefined) {
          const since = this.reachedDate(c.sinceStep);
          if (since === null) return null;
          window = this.statsAfter(since);
          where = ` since Step ${c.sinceStep} (${since})`;
        }
        if (c.sessions !== undefined) {
          if (window.unexcused < c.sessions) return null;
          return [`${this.absenceNoun(window.unexcused, 'unexcused')}${where} (threshold ${c.sessions})`];
        }
        const p = c.percentOfPossible!;
        if (window.possible === 0 || window.unexcused * 1000 < tenths(p) * window.possible) return null;
        return [`unexcused absence ${formatPercentOf(window.unexcused, window.possible)} of possible${where} is at least ${percentText(p)}`];
      }
      case 'consecutiveUnauthorisedAtLeast':
        if (stats.longestUnauthorisedRun < c.sessions) return null;
        return [`${this.absenceNoun(stats.longestUnauthorisedRun, 'consecutive unauthorised')} (threshold ${c.sessions})`];
      case 'anyAbsence':
        if (stats.absent === 0) return null;
        return [`attendance ${attendanceText(stats.attended, stats.possible, 1000)} is below 100% (${this.absenceNoun(stats.absent, 'absent')})`];
      case 'noImprovementSinceStep': {
        if (this.historyStep < c.step) return null;
        const entry = this.entryOf(c.step);
        if (!entry) return null;
        const review = this.reviewDate(c.step, entry.date);
        if (ctx.today < review) return null;
        // Judged on the marks after the action only, and only once the register covers the whole
        // review period: no new marks, no judgement (issue 10: Step 9 on pre-letter absences).
        const after = this.statsAfter(entry.date);
        if (after.possible === 0 || after.lastMarkDate === null || after.lastMarkDate < review) return null;
        // Improvement = attendance after the action above attendance before it (exact integers), or full
        // since (a pupil at 100% both before and after is not "no improvement": preview walk).
        if (attendanceImproved(after, { attended: entry.attendedBefore, possible: entry.possibleBefore })) return null;
        // Attendance since back above the step's concern is improvement enough (issue 10: Letter 2 at
        // 97.9% overall, 96.3% since vs 98.9% before; Letter 4 at 96.9% after a home visit).
        // Overall attendance too: a pupil at 98% for the year is not written to because of a dip since
        // (preview walk: Letter 2s at 97.4–98.5% overall, 94% since Letter 1).
        const below = c.whileBelowPercent === undefined ? null : tenths(c.whileBelowPercent);
        if (below !== null && (after.attended * 1000 >= below * after.possible || stats.attended * 1000 >= below * stats.possible)) return null;
        const afterText = below === null ? formatPercentOf(after.attended, after.possible) : attendanceText(after.attended, after.possible, below);
        const beforeText = entry.possibleBefore === 0 ? 'no marks' : formatPercentOf(entry.attendedBefore, entry.possibleBefore);
        return [
          `${this.step(c.step).label} review (action ${entry.date}, review ${review}) passed with no improvement: attendance ${afterText} on the ${after.possible} sessions since${below === null ? '' : ` (below ${percentText(c.whileBelowPercent!)})`}, ${beforeText} before${afterText === beforeText ? ' (no better)' : ''}${below === null ? '' : `, ${attendanceText(stats.attended, stats.possible, below)} overall`}`,
        ];
      }
      case 'reviewPassed': {
        if (this.historyStep < c.step) return null;
        const entry = this.entryOf(c.step);
        if (!entry) return null;
        const review = this.reviewDate(c.step, entry.date);
        if (ctx.today < review) return null;
        return [`${this.step(c.step).label} review date ${review} has passed`];
      }
      case 'failedToAttendMeeting': {
        const from = c.atOrAfterStep ?? Math.max(1, ownStep - 1);
        let missed: InterventionRecord | null = null;
        for (const record of this.records) {
          if (record.step >= from && String(record.outcome).trim().toLowerCase() === 'parent did not attend' && (!missed || record.date > missed.date)) missed = record;
        }
        if (!missed) return null;
        return [`parent/carer did not attend the meeting on ${missed.date} (Step ${missed.step})`];
      }
      case 'penaltyThresholdReached': {
        let check = this.penaltyCheck();
        if (c.sinceStep !== undefined) {
          const entry = this.entryOf(c.sinceStep);
          if (!entry) return null;
          check = penaltyNoticeCheck(this.ctx.marks.filter((m) => m.date > entry.date && m.date <= ctx.today), this.ctx.table);
        }
        if (!check.reached) return null;
        return [`${this.absenceNoun(check.maxInWindow, 'unauthorised')} in the school weeks from ${check.windowStart} to ${check.windowEnd} reach the penalty-notice threshold (10 within 10 school weeks)`];
      }
      case 'brokenWeeks': {
        const from = startOfLastSchoolDays(this.days, ctx.today, c.withinSchoolDays);
        if (from === null) return null;
        const weeks = new Set<IsoDate>();
        for (const mark of ctx.marks) {
          if (mark.date < from || mark.date > ctx.today) continue;
          const code = lookupCode(ctx.table, mark.code);
          if (code && (code.category === 'authorised' || code.category === 'unauthorised')) weeks.add(mondayOf(mark.date));
        }
        if (weeks.size < c.count) return null;
        return [`absences in ${weeks.size} separate weeks within the last ${c.withinSchoolDays} school days (weeks of ${[...weeks].sort().join(', ')})`];
      }
      case 'persistentAbsence':
        if (!stats.persistentAbsence) return null;
        return [`absence ${formatPercentOf(stats.absent, stats.possible)} is at least 10% (persistent absence)`];
      case 'severeAbsence':
        if (!stats.severeAbsence) return null;
        return [`absence ${formatPercentOf(stats.absent, stats.possible)} is at least 50% (severe absence)`];
      case 'atStep': {
        if (this.historyStep < c.step) return null;
        return [`already at Step ${this.historyStep} (Step ${c.step} or later since ${this.reachedDate(c.step)})`];
      }
      case 'anyOf': {
        let reasons: string[] | null = null;
        for (const child of c.conditions) {
          const met = this.check(child, ownStep);
          if (met) reasons = reasons ? reasons.concat(met) : met;
        }
        return reasons;
      }
      case 'allOf': {
        const reasons: string[] = [];
        for (const child of c.conditions) {
          const met = this.check(child, ownStep);
          if (!met) return null;
          reasons.push(...met);
        }
        return reasons;
      }
    }
  }

  /** Highest step whose entry condition holds, with its reasons. */
  conditionStep(): { step: number; reasons: string[] } {
    for (let n = this.policy.steps.length; n >= 1; n--) {
      const reasons = this.check(this.step(n).entry, n);
      if (reasons) return { step: n, reasons };
    }
    return { step: 0, reasons: [] };
  }

  /** The policy's de-escalation rule (seed 004: 20 clean school days at 90% after the hearing). */
  deescalation(): string | null {
    const rule = this.policy.deescalation;
    if (!rule || this.historyStep < rule.afterStep) return null;
    const since = this.reachedDate(rule.afterStep);
    if (since === null) return null;
    const end = schoolDaysAfter(this.days, since, rule.schoolDaysWithoutUnexcused);
    if (end === null || this.ctx.today < end) return null;
    const window = this.statsAfter(since, end);
    if (window.possible === 0 || window.unexcused > 0) return null;
    const t = tenths(rule.minAttendancePercent);
    if (window.attended * 1000 < t * window.possible) return null;
    return (
      `${rule.schoolDaysWithoutUnexcused} school days after ${this.step(rule.afterStep).label} (${since} to ${end}) with no unexcused absence ` +
      `and attendance ${attendanceText(window.attended, window.possible, t)} (at least ${percentText(rule.minAttendancePercent)})`
    );
  }
}

/**
 * Whether a Log row is its step's own action done: the step's letter sent, a meeting held, a home
 * visit or referral made, or a call / conversation / email that reached someone where the step's
 * actions include one. A call with no answer, or a row of a kind the step does not have, is not.
 */
function stepActionDone(record: InterventionRecord, kinds: ReadonlySet<string>, letterIds: ReadonlySet<string>): boolean {
  // A step of referrals only (a penalty-notice referral, a truancy hearing) is done when the referral
  // is made or the hearing held (a Referral row, a meeting held), not by a call or a letter at that
  // step: prosecution follows a penalty-notice referral really made (issue 10 year run: Step 10 after
  // a phone call at Step 9).
  if (!kinds.has('letter') && !kinds.has('meeting') && !kinds.has('call') && !kinds.has('conversation') && !kinds.has('email')) {
    return record.method === 'Referral' || (record.method === 'Meeting' && isMeetingHeld(record));
  }
  if (isLetterSent(record)) {
    const id = letterIdOf(record);
    return kinds.has('letter') && (id === null || letterIds.has(id));
  }
  switch (record.method) {
    case 'Meeting':
      return kinds.has('meeting') && isMeetingHeld(record);
    case 'Home visit':
      return kinds.has('homeVisit');
    case 'Referral':
      return kinds.has('referral');
    case 'Phone call':
    case 'Conversation':
    case 'Email':
      return (kinds.has('call') || kinds.has('conversation') || kinds.has('email')) && isContact(record);
    default:
      return false;
  }
}

function isUnauthorised(code: AttendanceCode): boolean {
  return code.category === 'unauthorised';
}

/**
 * The step's letter not yet sent in this letter window. A letter the family already had in an
 * earlier window (last term) goes again only while the step's own entry condition holds today:
 * a pupil who stays at a step because the ladder does not go down, but whose attendance has
 * recovered, is not written to again each term (issue 10: 318 of 404 January letters repeated
 * November's, one at 99.3%), and only once the earlier letter's review date has passed.
 */
function letterDueFor(ev: Evaluation, step: Step, conditionHoldsToday: boolean): Placement['letterDue'] {
  const { ctx, policy } = ev;
  let windowKey: string | null = null;
  for (const action of step.actions) {
    if (action.kind !== 'letter' || !action.letterId) continue;
    windowKey ??= letterWindowKey(policy, ctx.calendar, ctx.today);
    const key = letterKey(ctx.studentId, action.letterId, windowKey);
    if (ev.records.some((record) => record.letterKey === key)) continue;
    let lastSent: IsoDate | null = null;
    for (const record of ev.records) if (isLetterSent(record) && letterIdOf(record) === action.letterId && (lastSent === null || record.date > lastSent)) lastSent = record.date;
    // Nor while that letter's own review is still running (Letter 2 sent on 12 December is not sent
    // again on 9 January because a term began: its review on 19 January decides what comes next).
    if (lastSent !== null && (!conditionHoldsToday || ctx.today < ev.reviewDate(step.number, lastSent))) continue;
    return { letterId: action.letterId, step: step.number, windowKey };
  }
  return null;
}

const NO_STEP_LABEL = 'No step';

export function evaluateStudent(policy: Policy, ctx: StudentContext): Placement {
  const ev = new Evaluation(policy, ctx);
  const { stats, today } = ctx;
  const historyStep = ev.historyStep;
  const attendanceNow = formatPercentOf(stats.attended, stats.possible);

  const deescalated = ev.deescalation();
  if (deescalated) {
    return {
      step: 0,
      label: NO_STEP_LABEL,
      reasons: [deescalated],
      explanation: `No step: de-escalated after ${deescalated}`,
      nextAction: 'Probation ended: keep monitoring attendance',
      owner: ev.step(policy.deescalation!.afterStep).owner,
      dueDate: null,
      reviewDue: null,
      letterDue: null,
      currentStepInHistory: historyStep,
      deescalated: true,
    };
  }

  let met = ev.conditionStep();
  // Nobody escalates on stale data: with no marks for several school days, the ladder's conditions
  // are judged as of the register's last marked day (what the data can show), so time passing with
  // no new marks raises no one; the placement says why.
  let held: Placement['heldForStaleRegister'];
  if (met.step > historyStep && ctx.registerLastMarkDate && ctx.registerLastMarkDate < today) {
    const staleness = registerStaleness(ev.days, ctx.registerLastMarkDate, today);
    if (staleness.stale) {
      const asOf = new Evaluation(policy, { ...ctx, today: ctx.registerLastMarkDate }).conditionStep();
      if (asOf.step < met.step) {
        held = { lastMarkDate: ctx.registerLastMarkDate, missingSchoolDays: staleness.missingSchoolDays, wouldBeStep: met.step };
        met = asOf;
      }
    }
  }
  const stepNumber = Math.max(historyStep, met.step);
  const staleText = held ? `the register has no marks since ${held.lastMarkDate} (${held.missingSchoolDays} school days): no step is raised until it is imported` : '';
  if (stepNumber === 0) {
    const reason = held ? staleText : stats.absent === 0 ? `attendance ${attendanceNow} with no absence` : `attendance ${attendanceNow} meets no step's entry condition`;
    return {
      step: 0,
      label: NO_STEP_LABEL,
      reasons: [reason],
      explanation: `No step: ${reason}`,
      nextAction: 'None',
      owner: '',
      dueDate: null,
      reviewDue: null,
      letterDue: null,
      currentStepInHistory: 0,
      ...(held ? { heldForStaleRegister: held } : {}),
    };
  }

  const step = ev.step(stepNumber);
  const newlyEntered = met.step > historyStep;
  const entryDate = newlyEntered ? today : ev.entryOf(stepNumber)?.date ?? ev.reachedDate(stepNumber) ?? today;
  const asEntered = ev.stepAsEntered(stepNumber, entryDate);
  const reviewDue: IsoDate | null = ev.reviewDate(stepNumber, entryDate);
  const dueDate = asEntered.contactWithinSchoolDays === undefined ? null : schoolDaysAfter(ev.days, entryDate, asEntered.contactWithinSchoolDays);
  const letterDue = letterDueFor(ev, step, met.step >= stepNumber);
  const reviewText = reviewDue ? `review due ${reviewDue}` : 'review date beyond the school calendar';

  let reasons: string[];
  let explanation: string;
  let jumpedFrom: number | undefined;
  let nextAction: string;
  if (newlyEntered) {
    reasons = met.reasons;
    if (stepNumber > historyStep + 1) jumpedFrom = historyStep;
    const jump = jumpedFrom === undefined ? '' : `, jumping from ${jumpedFrom === 0 ? 'no step' : `Step ${jumpedFrom}`}`;
    explanation = `Step ${stepNumber} because ${reasons.join(' and ')}${jump}`;
    nextAction = step.actions.map((action) => action.description).join('; ');
  } else {
    // UK ladder: a student stays at the step reached while attendance recovers.
    const remains = `remains at Step ${stepNumber} (entered ${entryDate}), ${reviewText}`;
    const still = met.step === stepNumber ? met.reasons : [held ? staleText : `attendance now ${attendanceNow}`];
    reasons = [remains, ...still];
    explanation = `Step ${stepNumber}: ${remains}; ${still.join(' and ')}`;
    if (letterDue) nextAction = step.actions.find((a) => a.letterId === letterDue.letterId)!.description;
    else if (reviewDue && today < reviewDue) nextAction = `Review attendance on ${reviewDue}`;
    else if (reviewDue) nextAction = reviewNextAction({ step: stepNumber, reviewDue, entryDate, actionDone: ev.entryOf(stepNumber) !== null, marks: ctx.marks, table: ctx.table, history: ev.records, today });
    else nextAction = 'Keep monitoring attendance';
  }

  if (held && !explanation.includes(staleText)) {
    reasons = [...reasons, staleText];
    explanation = `${explanation}; ${staleText}`;
  }

  const placement: Placement = {
    step: stepNumber,
    label: step.label,
    reasons,
    explanation,
    nextAction,
    owner: step.owner,
    dueDate,
    reviewDue,
    letterDue,
    currentStepInHistory: historyStep,
  };
  if (jumpedFrom !== undefined) placement.jumpedFrom = jumpedFrom;
  if (held) placement.heldForStaleRegister = held;
  return placement;
}
