/**
 * The whole school in one pure evaluation: tracker rows, register marks and the Interventions Log
 * (each read once by the gas layer) → one record per student with statistics, flags and a ladder
 * placement. Recalculate, the sidebar and =ATTEND_TIER(id) all read from this model, so they never
 * disagree. Pure: today is passed in.
 *
 * Hot path (2,000 students × 380 sessions): one Map lookup per student, the statistics passes of
 * stats.ts and one evaluation; nothing here walks the whole register more than once.
 */
import { isContact } from './history';
import { staffReviewOf } from './reviewDate';
import { resolveActivePolicy, type ActivePolicy } from './activePolicy';
import { calendarFromEntries, countUpTo, defaultUkCalendar, defaultUsCalendar, isoDateOfCell, isSchoolDay, schoolDaysAfter, schoolDaysOf, whyNotSchoolDay, type SchoolCalendar } from './calendar';
import { codeIndex, normaliseCode } from './codes';
import { readInterventionsLog } from './interventionsLog';
import { evaluateStudent, registerStaleness, type Placement } from './policy/evaluate';
import { reachFromSessionDates } from './register/staleness';
import { dateFormatFor, formatSchoolDate, isoOfSchoolDate, schoolDatesIn, type SchoolDateFormat } from './format';
import type { Policy } from './policy/schema';
import { parseSessionHeader, readRegisterSheet, sessionHeader } from './register/registerSheet';
import type { Settings } from './settings';
import { computeStats, penaltyNoticeCheck, statsBetween, type PenaltyNoticeCheck } from './stats';
import { columnLetter, type ColumnMappingResult } from './tracker/columns';
import { readTrackerRows, type TrackerStudent } from './tracker/rows';
import type { AttendanceStats, CodeTable, InterventionRecord, IsoDate, MarkOnDay } from './types';

/**
 * Seed 001: "initiate contact within 1–2 school days of identifying the attendance concern".
 * Used for steps whose policy sets no contactWithinSchoolDays of its own (the UK ladder).
 */
export const DEFAULT_CONTACT_SCHOOL_DAYS = 2;

/** An unanswered call is an attempt, not a contact: it does not stop a contact being overdue. */

export interface StudentRecord {
  student: TrackerStudent;
  marks: MarkOnDay[];
  /** This student's Interventions Log records, oldest first. */
  history: InterventionRecord[];
  stats: AttendanceStats;
  penalty: PenaltyNoticeCheck;
  /** Attendance now against attendance before the last 7 calendar days (as stats.attendanceChange; computed on first read). */
  change: { before: AttendanceStats; changePoints: number };
  placement: Placement;
  /** Latest logged contact (any method; "No answer" is an attempt, not a contact). */
  lastContact: IsoDate | null;
  /** When the current step's contact is due (school days after the step was entered). */
  contactDue: IsoDate | null;
  /** The contact due date has passed and no contact was logged since the step was entered. */
  overdue: boolean;
}

/** A tracker student whose marks or log could not be evaluated: shown as such, never guessed. */
export interface UnevaluatedStudent {
  student: TrackerStudent;
  problem: string;
}

/** What each data row of the tracker (row 2 … last row) holds, in sheet order. */
export type TrackerRowOutcome =
  | { kind: 'student'; row: number; record: StudentRecord }
  | { kind: 'unevaluated'; row: number; student: TrackerStudent; problem: string }
  | { kind: 'invalid'; row: number; problem: string }
  | { kind: 'blank'; row: number };

export interface SchoolModel {
  /** Every valid tracker student (the selected ones when `only` was given), in sheet order. */
  students: TrackerStudent[];
  /** Evaluated students by ID. */
  byId: Map<string, StudentRecord>;
  /** Students that could not be evaluated, by ID, with why. */
  unevaluated: Map<string, UnevaluatedStudent>;
  /** One entry per tracker data row, row 2 to the last row of the values. */
  rows: TrackerRowOutcome[];
  calendar: SchoolCalendar;
  policy: Policy;
  table: CodeTable;
  today: IsoDate;
  /** How this school writes dates for people (dd/MM/yyyy UK, MM/dd/yyyy US): src/core/format. */
  dateFormat: SchoolDateFormat;
  /** Everything staff should fix, each naming the sheet, row and column. */
  problems: string[];
  /** The register's latest mark, and whether it is stale (no marks for several school days). */
  register?: { lastMarkDate: IsoDate | null; stale: boolean; missingSchoolDays: number };
}

export interface SchoolModelInput {
  /** The whole tracker, header row 1 included (one getValues). */
  trackerValues: unknown[][];
  columns: ColumnMappingResult;
  /** The Register tab, header row first; may hold only some students' rows (see registerRows). */
  registerValues: unknown[][];
  /** The Interventions Log, header row first. */
  logValues: unknown[][];
  settings: Settings;
  today: IsoDate;
  /** Evaluate only these students (sidebar look-ups, custom functions). */
  only?: (student: TrackerStudent) => boolean;
  /**
   * Sheet row of each entry of registerValues (index 0 = header) when only some rows were read;
   * absent: registerValues is the whole tab, so the k-th entry is row k + 1.
   */
  registerRows?: number[];
  /** A calendar to use instead of the settings / default one. */
  calendar?: SchoolCalendar;
}

/** Academic year start (September/August) containing today. */
function academicYearOf(today: IsoDate): number {
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 8 ? year : year - 1;
}

/**
 * The calendar in force: the academic year entered in Settings (its terms, half-terms, INSET,
 * bank holidays, closures and extra school days) when it has a term, else the usual pattern of the
 * policy's country for the school year containing today (approximate; README: known limits).
 */
export function calendarFor(settings: Settings, table: CodeTable, today: IsoDate): SchoolCalendar {
  const entries = settings.calendar ?? [];
  if (entries.some((e) => e.kind === 'Term')) return calendarFromEntries(entries);
  const year = academicYearOf(today);
  return table.sessionsPerDay === 1 ? defaultUsCalendar(year) : defaultUkCalendar(year);
}


/** The school day n school days before date (date itself when n = 0); the first school day at worst. */
function schoolDaysBefore(days: readonly IsoDate[], date: IsoDate, n: number): IsoDate {
  if (n === 0 || days.length === 0) return date;
  const upTo = countUpTo(days, date);
  const onDay = upTo > 0 && days[upTo - 1] === date;
  const index = (onDay ? upTo - 1 : upTo) - n;
  return days[Math.max(0, index)]!;
}

/** 'Step 5 – Letter 2' → 5; 'No step' → 0; anything else → null. */
export function stepFromLabel(value: unknown): number | null {
  const text = String(value ?? '').trim();
  const m = /^step\s+(\d+)/i.exec(text);
  if (m) return Number(m[1]);
  return /^no step/i.test(text) ? 0 : null;
}



/** When the current step was entered, and the contact due date that follows from it. */
function contactTiming(
  placement: Placement,
  policy: Policy,
  history: readonly InterventionRecord[],
  days: readonly IsoDate[],
  today: IsoDate,
  previous: { step: number | null; contactDue: IsoDate | null },
  stepsOn?: ActivePolicy['stepsOn'],
): { entered: IsoDate; contactDue: IsoDate | null } | null {
  if (placement.step === 0) return null;
  const step = policy.steps[placement.step - 1];
  const within = step?.contactWithinSchoolDays ?? DEFAULT_CONTACT_SCHOOL_DAYS;
  if (placement.step <= placement.currentStepInHistory) {
    // Already at (or past) this step in the log: it was entered with the first record at or above it.
    let entered: IsoDate | null = null;
    for (const r of history) if (r.step >= placement.step && (entered === null || r.date < entered)) entered = r.date;
    entered ??= today;
    // A step entered before a policy change keeps the contact deadline it was given then.
    const asEntered = stepsOn?.(entered)[placement.step - 1];
    const withinThen = asEntered ? asEntered.contactWithinSchoolDays ?? DEFAULT_CONTACT_SCHOOL_DAYS : within;
    return { entered, contactDue: schoolDaysAfter(days, entered, withinThen) };
  }
  // Newly placed by the evaluation. The tracker remembers when: the last Recalculate wrote this
  // same step and its contact due date, so the due date carries over instead of moving daily.
  if (previous.step === placement.step && previous.contactDue !== null && previous.contactDue <= (schoolDaysAfter(days, today, within) ?? previous.contactDue)) {
    return { entered: schoolDaysBefore(days, previous.contactDue, within), contactDue: previous.contactDue };
  }
  return { entered: today, contactDue: schoolDaysAfter(days, today, within) };
}

function firstUnknownMark(marks: readonly MarkOnDay[], table: CodeTable): MarkOnDay | null {
  const index = codeIndex(table);
  for (const mark of marks) {
    if (index.has(mark.code)) continue;
    const code = normaliseCode(mark.code);
    if (code !== '' && !index.has(code)) return mark;
  }
  return null;
}

/**
 * Dates of the Register's session columns that fall inside the calendar's year but are not school
 * days. Dates before its first term or after its last (last year's marks) are left alone.
 */
function nonSchoolDaysOf(calendar: SchoolCalendar, header: unknown[]): Set<IsoDate> {
  const off = new Set<IsoDate>();
  if (calendar.terms.length === 0) return off;
  const first = calendar.terms.reduce((a, t) => (t.start < a ? t.start : a), calendar.terms[0]!.start);
  const last = calendar.terms.reduce((a, t) => (t.end > a ? t.end : a), calendar.terms[0]!.end);
  for (const h of header) {
    const date = parseSessionHeader(String(h ?? ''))?.date;
    if (date && date >= first && date <= last && !off.has(date) && !isSchoolDay(calendar, date)) off.add(date);
  }
  return off;
}

function describeStudent(s: TrackerStudent): string {
  return `${s.studentId} (${s.name}, tracker row ${s.row})`;
}

export function buildSchoolModel(input: SchoolModelInput): SchoolModel {
  const { settings, today, columns } = input;
  const active = resolveActivePolicy(settings);
  const { policy, table } = active;
  const calendar = input.calendar ?? calendarFor(settings, table, today);
  const dateFormat = dateFormatFor(table.id);
  const days = schoolDaysOf(calendar);
  const problems: string[] = [];

  const tracker = readTrackerRows(input.trackerValues, columns.mapping);
  const rowErrors = new Map<number, string>();
  for (const e of tracker.errors) {
    const text = `Tracker row ${e.row}, column ${e.column || '?'} (${e.field}): ${e.message}`;
    problems.push(text);
    if (!rowErrors.has(e.row)) rowErrors.set(e.row, text);
  }

  const register = readRegisterSheet(input.registerValues);
  const registerRowOf = new Map<string, number>();
  for (let i = 1; i < input.registerValues.length; i++) {
    const id = String(input.registerValues[i]?.[0] ?? '').trim();
    if (id && !registerRowOf.has(id)) registerRowOf.set(id, input.registerRows?.[i] ?? i + 1);
  }
  const sessionColumn = new Map<string, number>();
  // Keyed by the session as sessionHeader writes it, whatever form the tab's header has.
  (input.registerValues[0] ?? []).forEach((h, c) => {
    const s = parseSessionHeader(String(h ?? ''));
    if (s) sessionColumn.set(sessionHeader(s.date, s.session), c);
  });
  for (const p of register.problems) problems.push(`Register row ${p.row}, column ${columnLetter(p.column - 1)}: ${p.message}`);

  // Marks on a day the school's own calendar says was not a school day (a weekend, a half-term,
  // an INSET day) are not counted: import refuses them, and any already there are named here.
  const ownCalendar = !input.calendar && (settings.calendar ?? []).some((e) => e.kind === 'Term') ? calendar : null;
  const offDays = ownCalendar ? nonSchoolDaysOf(ownCalendar, input.registerValues[0] ?? []) : new Set<IsoDate>();
  if (offDays.size > 0) {
    const sample = [...offDays].sort().slice(0, 3).map((d) => `${formatSchoolDate(d, dateFormat)} (${whyNotSchoolDay(ownCalendar!, d)})`).join(', ');
    problems.push(`Register: marks on ${offDays.size} day${offDays.size === 1 ? '' : 's'} that ${offDays.size === 1 ? 'is' : 'are'} not a school day in Settings ▸ Academic year are not counted: ${sample}${offDays.size > 3 ? ', …' : ''}. If the school was open, add the day as an "Extra school day".`);
  }

  // A model "as of" a past day (the weekly report of a week already gone) ignores marks and log
  // entries dated after it, so a report covers exactly its week (later events belong to the next).
  const futureMarks = (input.registerValues[0] ?? []).some((h) => String(h ?? '').trim().slice(0, 10) > today);

  const log = readInterventionsLog(input.logValues, dateFormat);
  for (const p of log.problems) problems.push(`${p.message} (column ${p.message.includes(': method') ? 'F "Method"' : 'B "Date"'}); the row is left out.`);

  const mapping = columns.mapping;
  const previousStep = (row: number) => (mapping.ladderStep === undefined ? null : stepFromLabel(input.trackerValues[row - 1]?.[mapping.ladderStep]));
  const previousDue = (row: number) => {
    if (mapping.contactDue === undefined) return null;
    const cell = input.trackerValues[row - 1]?.[mapping.contactDue];
    return isoDateOfCell(cell) ?? isoOfSchoolDate(cell, dateFormat);
  };

  const students = input.only ? tracker.students.filter(input.only) : tracker.students;
  const byId = new Map<string, StudentRecord>();
  const unevaluated = new Map<string, UnevaluatedStudent>();
  // "Change since last week": everything dated before today − 7 days.
  const before = addDaysIso(today, -8);
  const noMarks: string[] = [];

  // The register's reach (its latest mark): a stale register escalates nobody (evaluate.ts). It is
  // the register's as a whole: when only some pupils' rows were read (the Student tab), it is the
  // latest session column up to today — as the Today tab judges it (staleness.ts) — never those
  // pupils' own latest marks (a pupil absent and unmarked is not a stale register; issue 10).
  let registerLastMarkDate: IsoDate | null = null;
  if (input.registerRows) {
    registerLastMarkDate = reachFromSessionDates(days, register.sessions.map((s) => s.date), today).lastMarkDate;
  } else {
    for (const marks of register.marksByStudent.values()) {
      for (let i = marks.length - 1; i >= 0; i--) {
        const m = marks[i]!;
        if (!m.code) continue;
        if (registerLastMarkDate === null || m.date > registerLastMarkDate) registerLastMarkDate = m.date;
        break;
      }
    }
  }

  for (const student of students) {
    const id = student.studentId;
    const allMarks = register.marksByStudent.get(id) ?? [];
    const marks = offDays.size > 0 || futureMarks ? allMarks.filter((m) => !offDays.has(m.date) && m.date <= today) : allMarks;
    if (!register.marksByStudent.has(id)) noMarks.push(id);
    // Steps in today's numbering when a policy change inserted or removed steps (book.ts); a model
    // "as of" a past day leaves out log entries dated after it.
    const fullHistory = log.byStudent.get(id) ?? [];
    const history = active.currentSteps(fullHistory.length > 0 && fullHistory[fullHistory.length - 1]!.date > today ? fullHistory.filter((r) => r.date <= today) : fullHistory);
    let stats: AttendanceStats;
    try {
      stats = computeStats(marks, table);
    } catch (err) {
      // Find the mark to name its Register cell (only on this rare path: the hot path makes one pass).
      const bad = firstUnknownMark(marks, table);
      if (!bad) throw err;
      const where = sessionColumn.get(sessionHeader(bad.date, bad.session));
      const cell = `Register row ${registerRowOf.get(id) ?? '?'}, column ${where === undefined ? '?' : columnLetter(where)}`;
      const problem = `${cell} (${formatSchoolDate(bad.date, dateFormat)}${bad.session === 'DAY' ? '' : ` ${bad.session}`}): "${bad.code}" is not a code of ${table.label}, so student ${describeStudent(student)} is not evaluated. Correct the mark, or set the code in Settings.`;
      problems.push(problem);
      unevaluated.set(id, { student, problem });
      continue;
    }
    try {
      // A review date staff set (a Log note) is the review date of the step it was set at.
      const staffReview = staffReviewOf(history, dateFormat);
      const evaluated = evaluateStudent(policy, { studentId: id, stats, marks, history, today, calendar, table, stepsOn: active.stepsOn, registerLastMarkDate, staffReviewDate: staffReview?.date ?? null, staffReviewStep: staffReview?.step });
      // The policy's sentences are composed with ISO dates; people read them in the school's format.
      const placement: Placement = {
        ...evaluated,
        explanation: schoolDatesIn(evaluated.explanation, dateFormat),
        nextAction: schoolDatesIn(evaluated.nextAction, dateFormat),
        reasons: evaluated.reasons.map((r) => schoolDatesIn(r, dateFormat)),
      };
      let lastContact: IsoDate | null = null;
      for (const r of history) if (isContact(r) && (lastContact === null || r.date > lastContact)) lastContact = r.date;
      const timing = contactTiming(placement, policy, history, days, today, { step: previousStep(student.row), contactDue: previousDue(student.row) }, active.stepsOn);
      const contactDue = timing?.contactDue ?? null;
      let overdue = false;
      if (timing && contactDue !== null && today > contactDue) {
        overdue = !history.some((r) => isContact(r) && r.date >= timing.entered);
      }
      byId.set(id, lazyRecord({ student, marks, history, stats, placement, lastContact, contactDue, overdue }, table, before, calendar));
    } catch (err) {
      const problem = `Student ${describeStudent(student)} is not evaluated: ${(err as Error).message}`;
      problems.push(problem);
      unevaluated.set(id, { student, problem });
    }
  }

  if (noMarks.length > 0 && register.marksByStudent.size > 0) {
    problems.push(`Register: no row for ${noMarks.length} tracker student${noMarks.length === 1 ? '' : 's'} (${noMarks.slice(0, 5).join(', ')}${noMarks.length > 5 ? ', …' : ''}); they show 100% until marks are imported.`);
  }
  if (!input.only && !input.registerRows) {
    const onTracker = new Set(tracker.students.map((s) => s.studentId));
    const extra = [...register.marksByStudent.keys()].filter((id) => !onTracker.has(id));
    if (extra.length > 0) {
      problems.push(`Register: ${extra.length} student ID${extra.length === 1 ? ' is' : 's are'} not on the tracker (${extra.slice(0, 5).map((id) => `${id} on row ${registerRowOf.get(id)}`).join(', ')}${extra.length > 5 ? ', …' : ''}); their marks are ignored.`);
    }
  }

  const rows: TrackerRowOutcome[] = [];
  const studentByRow = new Map(tracker.students.map((s) => [s.row, s]));
  for (let row = 2; row <= input.trackerValues.length; row++) {
    const student = studentByRow.get(row);
    if (student) {
      const record = byId.get(student.studentId);
      const un = unevaluated.get(student.studentId);
      if (record) rows.push({ kind: 'student', row, record });
      else if (un) rows.push({ kind: 'unevaluated', row, student, problem: un.problem });
      else rows.push({ kind: 'blank', row }); // not selected by `only`
      continue;
    }
    const error = rowErrors.get(row);
    rows.push(error ? { kind: 'invalid', row, problem: error } : { kind: 'blank', row });
  }

  const staleness = registerStaleness(days, registerLastMarkDate, today);
  if (staleness.stale && registerLastMarkDate !== null) {
    problems.push(`Register: no marks since ${formatSchoolDate(registerLastMarkDate, dateFormat)} (${staleness.missingSchoolDays} school days). Import the latest register: until then no student is moved up a step.`);
  }
  return { students, byId, unevaluated, rows, calendar, policy, table, today, dateFormat, problems, register: { lastMarkDate: registerLastMarkDate, ...staleness } };
}

/**
 * The record with its two rarely read figures (penalty-notice window, change since last week)
 * computed on first use: Recalculate never reads them, the sidebar and weekly report do.
 */
function lazyRecord(
  base: Omit<StudentRecord, 'penalty' | 'change'>,
  table: CodeTable,
  lastDayBefore: IsoDate,
  calendar: SchoolCalendar,
): StudentRecord {
  let penalty: PenaltyNoticeCheck | undefined;
  let change: StudentRecord['change'] | undefined;
  return {
    ...base,
    get penalty() {
      return (penalty ??= penaltyNoticeCheck(base.marks, table, calendar));
    },
    get change() {
      if (!change) {
        const before = statsBetween(base.marks, table, '0000-01-01', lastDayBefore);
        const changePoints = base.stats.possible === 0 || before.possible === 0 ? 0 : (base.stats.attendanceFraction - before.attendanceFraction) * 100;
        change = { before, changePoints };
      }
      return change;
    },
  };
}

/** ISO date n calendar days from date (UTC arithmetic: no time zone involved). */
function addDaysIso(date: IsoDate, n: number): IsoDate {
  const utc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(utc + n * 86_400_000).toISOString().slice(0, 10);
}
