/**
 * The weekly meeting report (seed 002: each Head of Year meets the Attendance Officer weekly "to
 * discuss all students whose attendance has dropped and/or is causing concern"; seed 003: weekly
 * statistics by year group and class for assemblies and attendance boards).
 *
 * Pure: the records, the week and the run date are passed in. Every figure comes from the core's
 * own statistics (computeStats / statsBetween / attendanceChange / penaltyNoticeCheck) on the
 * marks dated up to the end of the reported week, so a mark imported after the week closed does
 * not change a week already reported. Thresholds compare integers, never rounded percentages.
 */
import { dateFormatFor, type SchoolDateFormat } from '../format';
import { addCalendarDays, parseIsoDate, weekStartMonday } from '../calendar';
import type { Policy, Condition } from '../policy/schema';
import type { Placement } from '../policy/evaluate';
import { formatFraction } from '../format/percent';
import { isAdoptedWithoutDate, isContact, isLetterSent } from '../history';
import { attendanceChange, penaltyNoticeCheck, statsBetween } from '../stats';
import type { AttendanceStats, CodeTable, InterventionRecord, IsoDate, MarkOnDay } from '../types';

// ---------------------------------------------------------------------------------------------
// Input

/** The part of the school model's StudentRecord the report reads (a StudentRecord fits it). */
/** A contact (not a note, not "no answer") logged on or after the day the pupil first reached `step`, up to `asOf`. */
function contactSinceStep(history: readonly InterventionRecord[], step: number, asOf: IsoDate): boolean {
  let reached: IsoDate | null = null;
  for (const r of history) if (r.step >= step && (reached === null || r.date < reached)) reached = r.date;
  if (reached === null) return false;
  return history.some((r) => isContact(r) && r.date >= reached! && r.date <= asOf);
}

export interface WeeklyStudentInput {
  student: { studentId: string; name: string; yearGroup: string; tutorGroup: string };
  marks: readonly MarkOnDay[];
  history?: readonly InterventionRecord[];
  placement: Pick<Placement, 'step' | 'label' | 'explanation' | 'nextAction' | 'owner' | 'dueDate' | 'reviewDue' | 'letterDue' | 'currentStepInHistory'>;
  /** Contact due date for the current step (model's figure), null when none. */
  contactDue?: IsoDate | null;
  /** The model's own overdue flag (contact not made by its due date). */
  overdue?: boolean;
}

export interface ReportWeek {
  /** Monday. */
  start: IsoDate;
  /** Sunday. */
  end: IsoDate;
  /** ISO week, e.g. '2026-W48'. */
  label: string;
}

export interface LetterSent {
  studentId: string;
  letterId: string;
  date: IsoDate;
}

export interface WeeklyReportInput {
  records: readonly WeeklyStudentInput[];
  table: CodeTable;
  week: ReportWeek;
  /** Monday of the week before: "last week" for the week-on-week trend. */
  previousWeekStart: IsoDate;
  lettersThisWeek: readonly LetterSent[];
  /**
   * lastSchoolDay: the week's last school day in the calendar (Thursday when Friday is an INSET
   * day); the register is complete for the week once it has marks on that day. Absent: Friday.
   */
  dataUsed: { importedAt: string | null; lastMarkDate: IsoDate | null; lastSchoolDay?: IsoDate | null };
  schoolName: string;
  /** The run date: contacts and reviews due before it are overdue. Default: the Monday after the week. */
  asOf?: IsoDate;
  /** A drop of at least this many percentage points since the week began is reported. Default 1. */
  dropPoints?: number;
  /** Attendance bands in percent (e.g. 97, 95, 90): falling below one is reported as a drop whatever its size. */
  bands?: readonly number[];
  /**
   * What the previous report listed: "new" then means new since it (a pupil still waiting at the
   * same step is not new again). Absent: new since the week began.
   */
  previous?: PreviousReport | null;
}

/** The part of a sent report the next one compares with (kept by the gas layer in document properties). */
export interface PreviousReport {
  week: string;
  /** Student ID → step listed. */
  steps: Record<string, number>;
  persistent: string[];
  severe: string[];
  penalty: string[];
}

// ---------------------------------------------------------------------------------------------
// Output

export interface StudentRef {
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
}

/** Sessions attended of sessions possible; fraction null when nothing was possible. */
export interface Ratio {
  attended: number;
  possible: number;
  fraction: number | null;
}

export interface GroupFigures {
  name: string;
  students: number;
  yearToDate: Ratio;
  thisWeek: Ratio;
  lastWeek: Ratio;
  /** This week minus last week, in percentage points; null when either week had no possible session. */
  trendPoints: number | null;
  /** Students persistently / severely absent at the end of the week (year to date). */
  persistent: number;
  severe: number;
  /** 1-based position in its ranking by this week's attendance (ties share a rank); 0 when unranked. */
  rank: number;
}

export interface DropItem extends StudentRef {
  before: number;
  now: number;
  /** How far attendance fell, in percentage points (positive). */
  dropPoints: number;
  /** The band (percent) fallen below, the lowest one when several; null when none. */
  crossedBand: number | null;
}

export interface FlagItem extends StudentRef {
  now: number;
  absent: number;
  possible: number;
  severe: boolean;
}

export interface StepItem extends StudentRef {
  step: number;
  label: string;
  fromStep: number;
  entering: boolean;
  /** Not at this step (or higher) in the previous report: new since it. */
  isNew: boolean;
  /** The reason in a few words, for a phone screen ("attendance 91.7% is below 93%"). */
  shortWhy: string;
  letterDue: string | null;
  explanation: string;
  nextAction: string;
  owner: string;
}

export interface OverdueItem extends StudentRef {
  kind: 'contact' | 'review';
  /** null when the model flagged the contact overdue without a due date. */
  due: IsoDate | null;
  step: number;
  label: string;
}

export interface LetterItem extends StudentRef {
  letterId: string;
  date: IsoDate;
}

export interface PenaltyItem extends StudentRef {
  unauthorisedInWindow: number;
  windowStart: IsoDate | null;
  windowEnd: IsoDate | null;
}

export interface ReportSection extends SectionLists {
  /** 'Year 9', or 'Whole school'. */
  name: string;
  /** IDs of every student persistently / severely absent / over the penalty threshold at the week's end (for the next report's "new"). */
  allPersistent: string[];
  allSevere: string[];
  allPenalty: string[];
  figures: GroupFigures;
  /** Tutor groups ranked by this week's attendance (assemblies, attendance boards). */
  tutorGroups: GroupFigures[];
  summary: string;
}

export interface WeeklyReport {
  schoolName: string;
  /** How the school writes dates (src/core/format), from the code table. */
  dateFormat: SchoolDateFormat;
  week: ReportWeek;
  previousWeek: { start: IsoDate; end: IsoDate };
  asOf: IsoDate;
  /**
   * lastSchoolDay: the week's last school day in the calendar (Thursday when Friday is an INSET
   * day); the register is complete for the week once it has marks on that day. Absent: Friday.
   */
  dataUsed: { importedAt: string | null; lastMarkDate: IsoDate | null; lastSchoolDay?: IsoDate | null };
  dropPoints: number;
  bands: number[];
  /** Year groups in natural order (Year 7 before Year 10). */
  yearGroups: ReportSection[];
  school: ReportSection;
  /** Letters logged for students not on the tracker (shown so nothing is silently lost). */
  unmatchedLetters: LetterSent[];
}

export const NO_YEAR_GROUP = '(no year group)';
export const WHOLE_SCHOOL = 'Whole school';

// ---------------------------------------------------------------------------------------------
// Weeks

const DAY_MS = 86_400_000;

function utcOf(date: IsoDate): number {
  parseIsoDate(date);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** ISO 8601 week label ('2026-W48') of the week containing date. */
export function isoWeekLabel(date: IsoDate): string {
  const utc = utcOf(date);
  const weekday = (new Date(utc).getUTCDay() + 6) % 7; // 0 = Monday
  const thursday = new Date(utc + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday–Sunday week containing date. */
export function weekContaining(date: IsoDate): ReportWeek {
  const start = weekStartMonday(date);
  return { start, end: addCalendarDays(start, 6), label: isoWeekLabel(start) };
}

/**
 * The week a report run on runDate covers: the latest Monday–Sunday week whose school days
 * (Monday–Friday) are all before runDate. A Monday morning run reports last week; a Saturday or
 * Sunday run reports the week just finished. A run never reports a half-finished week, so the
 * figures of a week do not depend on the hour it ran.
 */
export function weekToReport(runDate: IsoDate): ReportWeek {
  const weekday = (new Date(utcOf(runDate)).getUTCDay() + 6) % 7; // 0 = Monday … 6 = Sunday
  return weekContaining(weekday >= 5 ? runDate : addCalendarDays(runDate, -7));
}

/** Letters in the Interventions Log histories dated inside the week (letter key, else method Letter). */
export function lettersInWeek(records: readonly WeeklyStudentInput[], week: ReportWeek): LetterSent[] {
  const out: LetterSent[] = [];
  for (const record of records) {
    for (const entry of record.history ?? []) {
      if (entry.date < week.start || entry.date > week.end) continue;
      if (!isLetterSent(entry)) continue; // left out / included again are notes, not letters
      // Adopted at setup with no date in the school's sheet: dated the day of adoption, it was not
      // sent that week (preview walk: 75 such Letter 3s in the first report's "Letters sent this week").
      if (isAdoptedWithoutDate(entry)) continue;
      if (entry.letterKey) out.push({ studentId: entry.studentId, letterId: entry.letterKey.split('|')[1] ?? entry.letterKey, date: entry.date });
      else out.push({ studentId: entry.studentId, letterId: `Step ${entry.step} letter`, date: entry.date });
    }
  }
  return out;
}

/** The attendance thresholds (percent) of a policy's ladder, highest first: the report's bands. */
export function attendanceBands(policy: Pick<Policy, 'steps'>): number[] {
  const found = new Set<number>();
  const visit = (c: Condition) => {
    if (c.kind === 'attendanceBelow' && c.sinceStep === undefined) found.add(c.percent);
    if (c.kind === 'anyOf' || c.kind === 'allOf') c.conditions.forEach(visit);
  };
  for (const step of policy.steps) visit(step.entry);
  return [...found].sort((a, b) => b - a);
}

// ---------------------------------------------------------------------------------------------
// Building

interface Sums {
  attended: number;
  possible: number;
}

interface Accumulator {
  name: string;
  students: number;
  ytd: Sums;
  week: Sums;
  last: Sums;
  persistent: number;
  severe: number;
}

function newAccumulator(name: string): Accumulator {
  return { name, students: 0, ytd: { attended: 0, possible: 0 }, week: { attended: 0, possible: 0 }, last: { attended: 0, possible: 0 }, persistent: 0, severe: 0 };
}

function ratio(s: Sums): Ratio {
  return { attended: s.attended, possible: s.possible, fraction: s.possible === 0 ? null : s.attended / s.possible };
}

function figuresOf(a: Accumulator): GroupFigures {
  const thisWeek = ratio(a.week);
  const lastWeek = ratio(a.last);
  return {
    name: a.name,
    students: a.students,
    yearToDate: ratio(a.ytd),
    thisWeek,
    lastWeek,
    trendPoints: thisWeek.fraction === null || lastWeek.fraction === null ? null : (thisWeek.fraction - lastWeek.fraction) * 100,
    persistent: a.persistent,
    severe: a.severe,
    rank: 0,
  };
}

/** Exact comparison of two ratios (cross-multiplied integers); groups with nothing possible sort last. */
function compareRatioDesc(a: Ratio, b: Ratio): number {
  if (a.possible === 0 || b.possible === 0) return (a.possible === 0 ? 1 : 0) - (b.possible === 0 ? 1 : 0);
  return b.attended * a.possible - a.attended * b.possible;
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });

/** Classes ranked by this week's attendance, then year to date, then name; equal figures share a rank. */
export function rankTutorGroups(groups: GroupFigures[]): GroupFigures[] {
  const sorted = [...groups].sort((a, b) => compareRatioDesc(a.thisWeek, b.thisWeek) || compareRatioDesc(a.yearToDate, b.yearToDate) || naturalOrder(a.name, b.name));
  let rank = 0;
  return sorted.map((g, i) => {
    const prev = sorted[i - 1];
    if (g.thisWeek.possible === 0) return { ...g, rank: 0 };
    if (!prev || compareRatioDesc(prev.thisWeek, g.thisWeek) !== 0) rank = i + 1;
    return { ...g, rank };
  });
}

/** Percent x10 as an integer, for exact band tests (92.9 → 929). */
const tenths = (percent: number) => Math.round(percent * 10);

/** attended / possible < percent, exactly. */
function below(attended: number, possible: number, percent: number): boolean {
  return possible > 0 && attended * 1000 < tenths(percent) * possible;
}

function refOf(record: WeeklyStudentInput, yearGroup: string): StudentRef {
  const s = record.student;
  return { studentId: s.studentId, name: s.name, yearGroup, tutorGroup: s.tutorGroup };
}

interface SectionLists {
  dropped: DropItem[];
  newlyPersistent: FlagItem[];
  newlySevere: FlagItem[];
  steps: StepItem[];
  overdue: OverdueItem[];
  letters: LetterItem[];
  penalty: PenaltyItem[];
}

const emptyLists = (): SectionLists => ({ dropped: [], newlyPersistent: [], newlySevere: [], steps: [], overdue: [], letters: [], penalty: [] });

const byName = (a: StudentRef, b: StudentRef) => naturalOrder(a.name, b.name) || naturalOrder(a.studentId, b.studentId);

function sortLists(l: SectionLists): SectionLists {
  return {
    dropped: [...l.dropped].sort((a, b) => b.dropPoints - a.dropPoints || byName(a, b)),
    newlyPersistent: [...l.newlyPersistent].sort((a, b) => a.now - b.now || byName(a, b)),
    newlySevere: [...l.newlySevere].sort((a, b) => a.now - b.now || byName(a, b)),
    steps: [...l.steps].sort((a, b) => Number(b.isNew) - Number(a.isNew) || b.step - a.step || byName(a, b)),
    overdue: [...l.overdue].sort((a, b) => (a.due ?? '').localeCompare(b.due ?? '') || byName(a, b)),
    letters: [...l.letters].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || byName(a, b)),
    penalty: [...l.penalty].sort((a, b) => b.unauthorisedInWindow - a.unauthorisedInWindow || byName(a, b)),
  };
}

/** "+0.4 points" / "−1.2 points" / "no change"; for summaries (display only). */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return 'no change';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)} points`;
}

/** Display percent of a ratio, 'no sessions' when nothing was possible. */
export function ratioText(r: Ratio): string {
  return r.fraction === null ? 'no sessions' : formatFraction(r.fraction);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A letter's id as staff read it: 'letter3' → 'Letter 3', 'roe_notice' → 'Roe notice' (i14b's format module may replace this). */
export function letterWords(letterId: string): string {
  const m = /^letter[\s_-]*(\d+)$/i.exec(letterId.trim());
  if (m) return `Letter ${m[1]}`;
  const words = letterId.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : letterId;
}

/** How a year group reads in words: a bare number (the MIS's "7") becomes "Year 7". */
export function yearGroupLabel(name: string): string {
  return /^\d+$/.test(name.trim()) ? `Year ${name.trim()}` : name;
}

/**
 * The headline: every count is the length of the list shown under the same words, so the summary
 * and the lists always agree.
 */
function summaryOf(name: string, f: GroupFigures, l: SectionLists): string {
  const trend = f.trendPoints === null ? '' : ` (${formatPoints(f.trendPoints)} on last week)`;
  const newSteps = l.steps.filter((x) => x.isNew).length;
  return (
    `${yearGroupLabel(name)} — ${plural(f.students, 'student')}: ${ratioText(f.thisWeek)} this week${trend}, ${ratioText(f.yearToDate)} this year; ` +
    `${f.persistent} persistently absent (${l.newlyPersistent.length} new), ${f.severe} severely absent (${l.newlySevere.length} new); ` +
    `${l.dropped.length} dropped; ${l.steps.length} at a step needing action (${newSteps} new); ${l.overdue.length} overdue; ` +
    `${plural(l.letters.length, 'letter')} sent; ${l.penalty.length} newly reached the penalty-notice threshold.`
  );
}

/**
 * A placement's explanation in a few words for a phone: the reason after "because", up to its first
 * clause, at most 90 characters ("attendance 91.7% is below 93%").
 */
export function shortWhy(explanation: string): string {
  let text = explanation.replace(/\s+/g, ' ').trim();
  const because = /\bbecause\s+/i.exec(text);
  if (because) text = text.slice(because.index + because[0].length);
  text = text.split(/;|, jumping| — |\. /)[0]!.trim().replace(/\.$/, '');
  return text.length > 90 ? `${text.slice(0, 89).trimEnd()}…` : text;
}

/** What a report listed, for the next one to compare with. */
export function snapshotOf(report: WeeklyReport): PreviousReport {
  const steps: Record<string, number> = {};
  const persistent: string[] = [];
  const severe: string[] = [];
  const penalty: string[] = [];
  for (const y of report.yearGroups) {
    for (const x of y.steps) steps[x.studentId] = x.step;
    for (const x of y.allPersistent) persistent.push(x);
    for (const x of y.allSevere) severe.push(x);
    for (const x of y.allPenalty) penalty.push(x);
  }
  return { week: report.week.label, steps, persistent, severe, penalty };
}

/** A snapshot as compact text (document properties hold strings of at most 9 KB each: the caller chunks it). */
export function encodeSnapshot(p: PreviousReport): string {
  const steps = Object.entries(p.steps).map(([id, step]) => `${id}:${step}`);
  return JSON.stringify({ w: p.week, s: steps.join(','), p: p.persistent.join(','), v: p.severe.join(','), n: p.penalty.join(',') });
}

/** The snapshot back from its text; null when the text is not one (it is then simply not used). */
export function decodeSnapshot(text: string | null): PreviousReport | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as { w?: unknown; s?: unknown; p?: unknown; v?: unknown; n?: unknown };
    if (typeof o.w !== 'string' || typeof o.s !== 'string' || typeof o.p !== 'string' || typeof o.v !== 'string' || typeof o.n !== 'string') return null;
    const list = (x: string) => (x ? x.split(',') : []);
    const steps: Record<string, number> = {};
    for (const pair of list(o.s)) {
      const at = pair.lastIndexOf(':');
      const step = Number(pair.slice(at + 1));
      if (at > 0 && Number.isInteger(step)) steps[pair.slice(0, at)] = step;
    }
    return { week: o.w, steps, persistent: list(o.p), severe: list(o.v), penalty: list(o.n) };
  } catch {
    return null;
  }
}

export function buildWeeklyReport(input: WeeklyReportInput): WeeklyReport {
  const { week, table } = input;
  parseIsoDate(week.start);
  parseIsoDate(week.end);
  parseIsoDate(input.previousWeekStart);
  if (week.end < week.start) throw new Error(`Weekly report: the week ends (${week.end}) before it starts (${week.start})`);
  if (input.previousWeekStart >= week.start) throw new Error(`Weekly report: last week's start ${input.previousWeekStart} must be before this week's start ${week.start}`);
  const dropPoints = input.dropPoints ?? 1;
  if (!Number.isFinite(dropPoints) || dropPoints <= 0) throw new Error(`Weekly report: the drop threshold must be a positive number of points, got ${dropPoints}`);
  const dropTenths = tenths(dropPoints);
  const bands = [...new Set(input.bands ?? [])].sort((a, b) => b - a);
  for (const b of bands) if (!Number.isFinite(b) || b <= 0 || b > 100) throw new Error(`Weekly report: band ${b} must be a percentage above 0 and at most 100`);
  const asOf = input.asOf ?? addCalendarDays(week.end, 1);
  parseIsoDate(asOf);
  const lastWeekEnd = addCalendarDays(week.start, -1);

  const years = new Map<string, { acc: Accumulator; groups: Map<string, Accumulator>; lists: SectionLists; all: { persistent: string[]; severe: string[]; penalty: string[] } }>();
  const previous = input.previous ?? null;
  const prevPersistent = new Set(previous?.persistent ?? []);
  const prevSevere = new Set(previous?.severe ?? []);
  const prevPenalty = new Set(previous?.penalty ?? []);
  const school = newAccumulator(WHOLE_SCHOOL);
  const byId = new Map<string, { record: WeeklyStudentInput; yearGroup: string }>();

  for (const record of input.records) {
    const id = record.student.studentId;
    const yearGroup = record.student.yearGroup.trim() || NO_YEAR_GROUP;
    byId.set(id, { record, yearGroup });
    let year = years.get(yearGroup);
    if (!year) {
      year = { acc: newAccumulator(yearGroup), groups: new Map(), lists: emptyLists(), all: { persistent: [], severe: [], penalty: [] } };
      years.set(yearGroup, year);
    }
    const groupName = record.student.tutorGroup.trim() || '(no tutor group)';
    let group = year.groups.get(groupName);
    if (!group) {
      group = newAccumulator(groupName);
      year.groups.set(groupName, group);
    }

    let upToEnd: MarkOnDay[];
    let change: ReturnType<typeof attendanceChange>;
    let thisWeek: AttendanceStats;
    let lastWeek: AttendanceStats;
    let penaltyNow: ReturnType<typeof penaltyNoticeCheck>;
    try {
      upToEnd = record.marks.filter((m) => m.date <= week.end);
      change = attendanceChange(upToEnd, table, week.start);
      thisWeek = statsBetween(upToEnd, table, week.start, week.end);
      lastWeek = statsBetween(upToEnd, table, input.previousWeekStart, lastWeekEnd);
      penaltyNow = penaltyNoticeCheck(upToEnd, table);
    } catch (err) {
      throw new Error(`Weekly report, student ${id} (${record.student.name}): ${err instanceof Error ? err.message : String(err)}`);
    }
    const { before, now } = change;

    for (const acc of [school, year.acc, group]) {
      acc.students++;
      acc.ytd.attended += now.attended;
      acc.ytd.possible += now.possible;
      acc.week.attended += thisWeek.attended;
      acc.week.possible += thisWeek.possible;
      acc.last.attended += lastWeek.attended;
      acc.last.possible += lastWeek.possible;
      if (now.persistentAbsence) acc.persistent++;
      if (now.severeAbsence) acc.severe++;
    }

    const ref = refOf(record, yearGroup);
    const lists = year.lists;

    // Dropped: (before − now) ≥ dropPoints, exactly: (bA·nP − nA·bP)·1000 ≥ dropTenths·bP·nP.
    if (before.possible > 0 && now.possible > 0) {
      const fallScaled = (before.attended * now.possible - now.attended * before.possible) * 1000;
      const bigDrop = fallScaled >= dropTenths * before.possible * now.possible;
      let crossedBand: number | null = null;
      for (const band of bands) {
        if (!below(before.attended, before.possible, band) && below(now.attended, now.possible, band)) crossedBand = band; // lowest crossed wins
      }
      if (bigDrop || crossedBand !== null) {
        lists.dropped.push({ ...ref, before: before.attendanceFraction, now: now.attendanceFraction, dropPoints: -change.changePoints, crossedBand });
      }
    }

    // "New" is new since the previous report when it is known, else since the week began.
    if (now.persistentAbsence) year.all.persistent.push(id);
    if (now.severeAbsence) year.all.severe.push(id);
    if (now.persistentAbsence && (previous ? !prevPersistent.has(id) : !before.persistentAbsence)) {
      lists.newlyPersistent.push({ ...ref, now: now.attendanceFraction, absent: now.absent, possible: now.possible, severe: now.severeAbsence });
    }
    if (now.severeAbsence && (previous ? !prevSevere.has(id) : !before.severeAbsence)) {
      lists.newlySevere.push({ ...ref, now: now.attendanceFraction, absent: now.absent, possible: now.possible, severe: true });
    }

    const p = record.placement;
    const entering = p.step > p.currentStepInHistory;
    if (entering || p.letterDue) {
      lists.steps.push({
        ...ref,
        step: p.step,
        label: p.label,
        fromStep: p.currentStepInHistory,
        entering,
        isNew: previous ? (previous.steps[id] ?? 0) < p.step : entering,
        shortWhy: shortWhy(p.explanation),
        letterDue: p.letterDue ? letterWords(p.letterDue.letterId) : null,
        explanation: p.explanation,
        nextAction: p.nextAction,
        owner: p.owner,
      });
    }

    const contactDue = record.contactDue ?? p.dueDate ?? null;
    // The model's flag was computed at its own "today"; a due date before the run date also counts —
    // unless a contact was logged since the pupil reached this step, late or not (preview walk: a
    // call logged on 5 Dec was still listed "contact overdue, due 2 Dec" week after week).
    if (record.overdue || (contactDue !== null && contactDue < asOf && !contactSinceStep(record.history ?? [], p.step, asOf))) {
      lists.overdue.push({ ...ref, kind: 'contact', due: contactDue, step: p.step, label: p.label });
    }
    if (p.reviewDue !== null && p.reviewDue < asOf) {
      lists.overdue.push({ ...ref, kind: 'review', due: p.reviewDue, step: p.step, label: p.label });
    }

    if (penaltyNow.reached) {
      year.all.penalty.push(id);
      const beforeMarks = upToEnd.filter((m) => m.date < week.start);
      if (previous ? !prevPenalty.has(id) : !penaltyNoticeCheck(beforeMarks, table).reached) {
        lists.penalty.push({ ...ref, unauthorisedInWindow: penaltyNow.maxInWindow, windowStart: penaltyNow.windowStart, windowEnd: penaltyNow.windowEnd });
      }
    }
  }

  const unmatchedLetters: LetterSent[] = [];
  for (const letter of input.lettersThisWeek) {
    if (letter.date < week.start || letter.date > week.end) continue;
    const found = byId.get(letter.studentId);
    if (!found) {
      unmatchedLetters.push(letter);
      continue;
    }
    years.get(found.yearGroup)!.lists.letters.push({ ...refOf(found.record, found.yearGroup), letterId: letter.letterId, date: letter.date });
  }

  const yearNames = [...years.keys()].sort((a, b) => (a === NO_YEAR_GROUP ? 1 : b === NO_YEAR_GROUP ? -1 : naturalOrder(a, b)));
  const allGroups: GroupFigures[] = [];
  const schoolLists = emptyLists();
  const yearGroups: ReportSection[] = yearNames.map((name) => {
    const year = years.get(name)!;
    const figures = figuresOf(year.acc);
    const groups = [...year.groups.values()].map(figuresOf);
    allGroups.push(...groups);
    const lists = sortLists(year.lists);
    for (const key of Object.keys(schoolLists) as (keyof SectionLists)[]) (schoolLists[key] as unknown[]).push(...lists[key]);
    return { name, figures, tutorGroups: rankTutorGroups(groups), ...lists, allPersistent: year.all.persistent, allSevere: year.all.severe, allPenalty: year.all.penalty, summary: summaryOf(name, figures, lists) };
  });
  const schoolFigures = figuresOf(school);
  const schoolSorted = sortLists(schoolLists);

  return {
    schoolName: input.schoolName,
    dateFormat: dateFormatFor(table.id),
    week: { ...week },
    // Shown as that week (Mon–Sun): after a holiday the last school week is weeks back, and
    // "last week 15 Dec – 4 Jan" reads as three weeks (the figures are the same: no school in between).
    previousWeek: { start: input.previousWeekStart, end: addCalendarDays(input.previousWeekStart, 6) < lastWeekEnd ? addCalendarDays(input.previousWeekStart, 6) : lastWeekEnd },
    asOf,
    dataUsed: { ...input.dataUsed },
    dropPoints,
    bands,
    yearGroups,
    school: {
      name: WHOLE_SCHOOL,
      figures: schoolFigures,
      tutorGroups: rankTutorGroups(allGroups),
      ...schoolSorted,
      allPersistent: yearGroups.flatMap((y) => y.allPersistent),
      allSevere: yearGroups.flatMap((y) => y.allSevere),
      allPenalty: yearGroups.flatMap((y) => y.allPenalty),
      summary: summaryOf(WHOLE_SCHOOL, schoolFigures, schoolSorted),
    },
    unmatchedLetters,
  };
}

// ---------------------------------------------------------------------------------------------
// When the hourly trigger should send (pure: the gas layer passes the school's wall clock)

/**
 * The weekly job's memory, kept per document (and mirrored per user, see src/gas/weekly.ts).
 * `week` is the ISO week being sent; `recipientsSent` holds the keys of the emails already sent
 * for it, so a retry or a second run skips them and nobody gets the same week twice.
 */
export interface WeeklyState {
  week: string | null;
  recipientsSent: string[];
  /** Every recipient of `week` was sent (or skipped for a reason that a retry cannot fix). */
  complete: boolean;
  /** Automatic attempts at `week` (a started run counts, so a run that dies mid-way counts too). */
  attempts: number;
  /** When the latest automatic attempt started (ms since epoch). */
  lastAttemptMs: number | null;
  lastSentWeek: string | null;
  lastRun: { at: string; week: string; ok: boolean; message: string } | null;
  /**
   * A school week the trigger moved on from before it was completely sent (its scheduled run and
   * retry failed): who already had it, and how many holiday catch-ups were tried, so a holiday run
   * can still send the last week of term once, to the rest only.
   */
  carried?: { week: string; recipientsSent: string[]; attempts: number } | null;
}

/** The state when the trigger moves on to `week`: an unfinished earlier week is carried along. */
export function stateForNewWeek(state: WeeklyState, week: string): WeeklyState {
  const carried = state.week !== null && state.week !== week && !state.complete && state.recipientsSent !== undefined
    ? { week: state.week, recipientsSent: [...state.recipientsSent], attempts: state.carried?.week === state.week ? state.carried.attempts : 0 }
    : state.carried ?? null;
  return { ...EMPTY_WEEKLY_STATE, recipientsSent: [], week, lastSentWeek: state.lastSentWeek, lastRun: state.lastRun, carried };
}

/** Holiday catch-ups of the last school week: beyond these it waits for a person (Weekly report now). */
export const MAX_HOLIDAY_CATCH_UPS = 2;

export const EMPTY_WEEKLY_STATE: WeeklyState = { week: null, recipientsSent: [], complete: false, attempts: 0, lastAttemptMs: null, lastSentWeek: null, lastRun: null };

/** Automatic attempts per week: the scheduled one and one retry. */
export const MAX_AUTOMATIC_ATTEMPTS = 2;
/** A retry waits for the next hourly run (hourly triggers drift by a few minutes, hence not 60). */
export const RETRY_AFTER_MS = 50 * 60 * 1000;

export const WEEKDAY_NUMBERS = { MONDAY: 1, TUESDAY: 2, WEDNESDAY: 3, THURSDAY: 4, FRIDAY: 5, SATURDAY: 6, SUNDAY: 7 } as const;
export type ScheduleDay = keyof typeof WEEKDAY_NUMBERS;

/** A moment on the school's wall clock: date and hour (0–23). */
export interface WallHour {
  date: IsoDate;
  hour: number;
}

const hourKey = (w: WallHour) => `${w.date} ${String(w.hour).padStart(2, '0')}`;

/** The latest scheduled slot (day at hour, school time) at or before now. */
export function latestSlot(now: WallHour, day: ScheduleDay, hour: number): WallHour {
  const isoWeekday = ((new Date(utcOf(now.date)).getUTCDay() + 6) % 7) + 1;
  let back = (isoWeekday - WEEKDAY_NUMBERS[day] + 7) % 7;
  if (back === 0 && now.hour < hour) back = 7;
  return { date: addCalendarDays(now.date, -back), hour };
}

export type WeeklyDecision =
  | { action: 'send'; week: ReportWeek; retry: boolean; reason: string }
  | { action: 'wait'; week: ReportWeek | null; reason: string };

/**
 * Decides, on each hourly run, whether the weekly report is due. It is due once the latest slot
 * (scheduled day and hour) has passed and that slot's week is not yet complete — so a run Google
 * skipped is caught up the next hour — and never for a slot before the schedule was made. A week
 * gets the scheduled attempt and one retry an hour later; after that it waits for a person
 * (Weekly report now), so a broken mailbox is not hammered every hour.
 */
export function weeklyDecision(args: { now: WallHour; nowMs: number; schedule: { day: ScheduleDay; hour: number }; scheduledAt: WallHour; state: WeeklyState }): WeeklyDecision {
  const { now, nowMs, schedule, scheduledAt, state } = args;
  const slot = latestSlot(now, schedule.day, schedule.hour);
  if (hourKey(slot) <= hourKey(scheduledAt)) return { action: 'wait', week: null, reason: `not due: the first report is on the next ${schedule.day.toLowerCase()} at ${schedule.hour}:00` };
  const week = weekToReport(slot.date);
  if (state.week !== week.label) return { action: 'send', week, retry: false, reason: `due: ${schedule.day.toLowerCase()} ${schedule.hour}:00 has passed` };
  if (state.complete) return { action: 'wait', week, reason: `week ${week.label} was already sent` };
  if (state.attempts >= MAX_AUTOMATIC_ATTEMPTS) return { action: 'wait', week, reason: `week ${week.label} failed ${state.attempts} times; use Weekly report now to send the rest` };
  if (state.attempts > 0 && state.lastAttemptMs !== null && nowMs - state.lastAttemptMs < RETRY_AFTER_MS) return { action: 'wait', week, reason: `week ${week.label}: retry due at the next hourly run` };
  return { action: 'send', week, retry: state.attempts > 0, reason: state.attempts > 0 ? `retrying week ${week.label}` : `due: week ${week.label}` };
}

/** Two copies of the state (document and user stores) as one: the newer week wins; the same week unites what was sent. */
export function mergeWeeklyStates(states: readonly (WeeklyState | null)[]): WeeklyState {
  let merged: WeeklyState = { ...EMPTY_WEEKLY_STATE, recipientsSent: [] };
  for (const s of states) {
    if (!s) continue;
    const lastRun = [merged.lastRun, s.lastRun].filter((r): r is NonNullable<WeeklyState['lastRun']> => r !== null).sort((a, b) => (a.at < b.at ? 1 : -1))[0] ?? null;
    const lastSentWeek = [merged.lastSentWeek, s.lastSentWeek].filter((w): w is string => !!w).sort().pop() ?? null;
    if (merged.week === null || (s.week !== null && s.week > merged.week)) {
      merged = { ...s, recipientsSent: [...s.recipientsSent], lastRun, lastSentWeek };
    } else if (s.week === merged.week) {
      merged = {
        ...merged,
        recipientsSent: [...new Set([...merged.recipientsSent, ...s.recipientsSent])],
        complete: merged.complete || s.complete,
        attempts: Math.max(merged.attempts, s.attempts),
        lastAttemptMs: Math.max(merged.lastAttemptMs ?? 0, s.lastAttemptMs ?? 0) || null,
        lastRun,
        lastSentWeek,
      };
    } else {
      merged = { ...merged, lastRun, lastSentWeek };
    }
  }
  return merged;
}
