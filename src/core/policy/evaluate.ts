/**
 * Places one student on a policy's ladder and says why (DESIGN.md §3). The placement is the
 * highest step whose entry condition holds (jump escalation is the rule, not a special case),
 * never below the step already reached in the Interventions Log unless the policy's
 * de-escalation rule is met. Pure: today, the calendar and the history are passed in.
 */
import type { SchoolCalendar } from '../calendar';
import { countUpTo, schoolDaysAfter, schoolDaysOf, termOf } from '../calendar';
import { lookupCode } from '../codes';
import { computeStats, countInWindow, penaltyNoticeCheck, statsBetween } from '../stats';
import { formatFraction, formatPercentOf, percentTenths } from '../format/percent';
import type { AttendanceCode, AttendanceStats, CodeTable, InterventionRecord, IsoDate, MarkOnDay } from '../types';
import type { PastStep } from './book';
import type { Condition, Policy, Step } from './schema';

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
  date: IsoDate;
  /** Attendance fraction when the step was entered: the log's figure, else recomputed from marks. */
  baseline: number;
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

  /** Earliest record at exactly step n (exact = "when that step was entered"). */
  entryOf(n: number): StepEntry | null {
    if (this.entries.has(n)) return this.entries.get(n)!;
    let first: InterventionRecord | null = null;
    let baselineRecord: InterventionRecord | null = null;
    for (const record of this.records) {
      if (record.step !== n) continue;
      if (!first || record.date < first.date) first = record;
      if (record.attendanceAtTime !== undefined && (!baselineRecord || record.date < baselineRecord.date)) baselineRecord = record;
    }
    let entry: StepEntry | null = null;
    if (first) {
      const baseline =
        baselineRecord?.attendanceAtTime ?? statsBetween(this.ctx.marks, this.ctx.table, '0000-01-01', first.date).attendanceFraction;
      entry = { date: first.date, baseline };
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

  reviewDate(n: number, entryDate: IsoDate): IsoDate | null {
    return schoolDaysAfter(this.days, entryDate, this.stepAsEntered(n, entryDate).reviewSchoolDays);
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
        if (review === null || ctx.today < review) return null;
        const now = Math.round(stats.attendanceFraction * 1e6);
        const then = Math.round(entry.baseline * 1e6);
        if (now > then) return null;
        const nowText = formatPercentOf(stats.attended, stats.possible);
        const thenText = formatFraction(entry.baseline);
        return [
          `${this.step(c.step).label} review (due ${review}) passed with no improvement: attendance ${nowText}, was ${thenText}${nowText === thenText ? (now < then ? ' (slightly lower)' : ' (unchanged)') : ''} on ${entry.date}`,
        ];
      }
      case 'reviewPassed': {
        if (this.historyStep < c.step) return null;
        const entry = this.entryOf(c.step);
        if (!entry) return null;
        const review = this.reviewDate(c.step, entry.date);
        if (review === null || ctx.today < review) return null;
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
        const check = this.penaltyCheck();
        if (!check.reached) return null;
        return [`${this.absenceNoun(check.maxInWindow, 'unauthorised')} within 10 school weeks (${check.windowStart} to ${check.windowEnd}) reach the penalty-notice threshold of 10`];
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

function isUnauthorised(code: AttendanceCode): boolean {
  return code.category === 'unauthorised';
}

function letterDueFor(ev: Evaluation, step: Step): Placement['letterDue'] {
  const { ctx, policy } = ev;
  let windowKey: string | null = null;
  for (const action of step.actions) {
    if (action.kind !== 'letter' || !action.letterId) continue;
    windowKey ??= letterWindowKey(policy, ctx.calendar, ctx.today);
    const key = letterKey(ctx.studentId, action.letterId, windowKey);
    if (!ev.records.some((record) => record.letterKey === key)) return { letterId: action.letterId, step: step.number, windowKey };
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

  const met = ev.conditionStep();
  const stepNumber = Math.max(historyStep, met.step);
  if (stepNumber === 0) {
    const reason = stats.absent === 0 ? `attendance ${attendanceNow} with no absence` : `attendance ${attendanceNow} meets no step's entry condition`;
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
    };
  }

  const step = ev.step(stepNumber);
  const newlyEntered = met.step > historyStep;
  const entryDate = newlyEntered ? today : ev.entryOf(stepNumber)?.date ?? ev.reachedDate(stepNumber) ?? today;
  const asEntered = ev.stepAsEntered(stepNumber, entryDate);
  const reviewDue = schoolDaysAfter(ev.days, entryDate, asEntered.reviewSchoolDays);
  const dueDate = asEntered.contactWithinSchoolDays === undefined ? null : schoolDaysAfter(ev.days, entryDate, asEntered.contactWithinSchoolDays);
  const letterDue = letterDueFor(ev, step);
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
    const still = met.step === stepNumber ? met.reasons : [`attendance now ${attendanceNow}`];
    reasons = [remains, ...still];
    explanation = `Step ${stepNumber}: ${remains}; ${still.join(' and ')}`;
    if (letterDue) nextAction = step.actions.find((a) => a.letterId === letterDue.letterId)!.description;
    else if (reviewDue && today < reviewDue) nextAction = `Review attendance on ${reviewDue}`;
    else if (reviewDue) nextAction = `Review was due ${reviewDue}: record the review outcome`;
    else nextAction = 'Keep monitoring attendance';
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
  return placement;
}
