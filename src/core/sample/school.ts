/**
 * A generated sample school: students, parents, staff, school days and register marks, for the
 * preview, demos and load tests. Deterministic for a seed. All contact details are fictional:
 * e-mails at example.org / school.example (reserved domains), UK phones in Ofcom's drama range
 * 07700 900xxx and US phones in 555-01xx.
 *
 * The attendance mix is shaped on national figures (attendance-rules.md §1.5: PA around 20 %,
 * severe around 2 %): most students attend 95–100 %, a persistently absent group, a small severe
 * group, with absence in bouts (illness over consecutive days), Monday/Friday patterns, term-time
 * holidays, lates and appointments.
 */
import type { IsoDate, RegisterMark, SessionName, StaffRole } from '../types';
import { SeededRandom } from './random';
import { englandPattern, type CalendarEntry } from '../calendar';

export type SamplePreset = 'uk' | 'us';

export interface SampleParent {
  name: string;
  email: string;
  phone: string;
}

export interface SampleStudent {
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
  parents: SampleParent[];
  /** 'en' or 'es'. */
  language: string;
}

export interface SampleStaff {
  email: string;
  name: string;
  role: StaffRole;
  yearGroup?: string;
  tutorGroup?: string;
}

export interface SampleSchool {
  name: string;
  timeZone: string;
  students: SampleStudent[];
  staff: SampleStaff[];
  schoolDays: IsoDate[];
  marks: RegisterMark[];
}

export interface SampleSchoolOptions {
  seed: number;
  students: number;
  startDate: IsoDate;
  schoolDays: number;
  preset?: SamplePreset;
}

const FIRST_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Freya', 'Lily', 'Ella', 'Poppy', 'Zoë', 'Chloé', 'Siobhán', 'Aoife',
  'Niamh', 'Anne-Marie', 'Priya', 'Aisha', 'Fatima', 'Maryam', 'Zainab', 'Amara', 'Ngozi', 'Chidinma', 'Mei', 'Yuki', 'Ananya',
  'Hannah', 'Zuzanna', 'Maja', 'Noah', 'Oliver', 'George', 'Arthur', 'Leo', 'Harry', 'Oscar', 'Jack', 'Charlie', 'Muhammad',
  'Ibrahim', 'Yusuf', 'Omar', 'Kwame', 'Oluwaseun', 'Tomasz', 'Łukasz', 'Kacper', 'Wei', 'Hiroshi', 'Arjun', 'Rohan',
  'Jean-Luc', 'Seán', 'Callum', 'Rhys', 'Dylan', 'Ethan', 'Kai', 'Reuben', 'Tariq', 'Dmitri', 'Luca', 'Matteo',
];
const SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Roberts', 'Johnson', 'Walker',
  "O'Brien", "O'Connor", "D'Souza", 'McAllister', 'Smith-Jones', 'Ahmed', 'Khan', 'Hussain', 'Patel', 'Begum', 'Singh',
  'Okafor', 'Adeyemi', 'Mensah', 'Nguyen', 'Chen', 'Wang', 'Kowalski', 'Nowak', 'Wiśniewski', 'Müller', 'Novák', 'Ó Súilleabháin',
  'Rossi', 'Kaur', 'Ali', 'Mahmoud', 'Ivanova', 'Jensen', 'Lindqvist', 'Zhou', 'Tanaka', 'Kim', 'Abubakar', 'Henderson-Clarke',
];
const SPANISH_FIRST_NAMES = [
  'José', 'María', 'Sofía', 'Mateo', 'Valentina', 'Santiago', 'Camila', 'Diego', 'Lucía', 'Alejandro', 'Ximena', 'Iker',
  'Renata', 'Emiliano', 'Jimena', 'Joaquín',
];
const SPANISH_SURNAMES = [
  'García', 'Hernández', 'López', 'Martínez', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Núñez',
  'Ortiz', 'Gutiérrez', 'Castillo', 'Morales', 'Peña',
];
const ADULT_FIRST_NAMES = [
  'Sarah', 'Emma', 'Rebecca', 'Laura', 'Claire', 'Gemma', 'Nadia', 'Farah', 'Yasmin', 'Joanna', 'Agnieszka', 'Funmilayo',
  'Lin', 'Deepa', 'Bronwen', 'Mark', 'David', 'James', 'Paul', 'Daniel', 'Tom', 'Imran', 'Kofi', 'Piotr', 'Andrew', 'Gareth',
  'Chinedu', 'Raj', 'Stephen', 'Michael',
];
const SPANISH_ADULT_FIRST_NAMES = ['Guadalupe', 'Rosa', 'Carmen', 'Ana', 'Verónica', 'Juan', 'Luis', 'Carlos', 'Miguel', 'Jorge'];

const UK_YEARS = ['7', '8', '9', '10', '11'];
const US_GRADES = ['K', '1', '2', '3', '4', '5'];
/** A typical class size: tutor groups are split to roughly this many. */
const GROUP_SIZE = 28;
/** The week (0-based, from the week of the start date) skipped as half-term. */
const HALF_TERM_WEEK = 7;
/** N ("reason not yet provided") is amended within days; older unexplained absences become O. */
const N_STAYS_FOR_DAYS = 10;

type AbsenceKind = 'illness' | 'unexplained' | 'other' | 'holiday' | 'medical';
type Profile = 'good' | 'atRisk' | 'persistent' | 'severe';

interface CodeSet {
  presentAm: string;
  presentPm: string;
  late: string;
  lateAfterClose: string;
  /** One code for the kind; the US splits some kinds over two codes. */
  absence(kind: AbsenceKind, rng: SeededRandom): string;
  /** Appointments take one session in the UK (M for the morning); a whole day in the US. */
  appointmentSessions: 1 | 2;
}

const UK_CODES: CodeSet = {
  presentAm: '/',
  presentPm: '\\',
  late: 'L',
  lateAfterClose: 'U',
  absence: (kind) => ({ illness: 'I', unexplained: 'N', other: 'O', holiday: 'G', medical: 'M' })[kind],
  appointmentSessions: 1,
};

const US_CODES: CodeSet = {
  presentAm: 'P',
  presentPm: 'P',
  late: 'T',
  lateAfterClose: 'T',
  absence: (kind, rng) => {
    switch (kind) {
      case 'illness':
        return rng.chance(0.6) ? 'EXC' : 'ECE';
      case 'unexplained':
        return 'UNX';
      case 'other':
        return rng.chance(0.5) ? 'ECE' : 'UNX';
      case 'holiday':
        return rng.chance(0.5) ? 'VAC' : 'VACU';
      case 'medical':
        return 'MED';
    }
  },
  appointmentSessions: 2,
};

// ---- calendar (ISO dates as whole days since 1970-01-01, UTC, so no time zone is involved) ----

function isoToDay(date: IsoDate): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`startDate must be an ISO date yyyy-MM-dd, got "${date}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(m[2]) - 1) throw new Error(`startDate "${date}" is not a real date`);
  return Math.round(ms / 86400000);
}

function dayToIso(day: number): IsoDate {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Weekdays from the start date, skipping one half-term week. */
export function sampleSchoolDays(startDate: IsoDate, count: number): IsoDate[] {
  const start = isoToDay(startDate);
  const firstMonday = start - ((weekday(start) + 6) % 7);
  const days: IsoDate[] = [];
  for (let d = start; days.length < count; d++) {
    const wd = weekday(d);
    if (wd === 0 || wd === 6) continue;
    if (Math.floor((d - firstMonday) / 7) === HALF_TERM_WEEK) continue;
    days.push(dayToIso(d));
  }
  return days;
}

/**
 * The sample school's academic year, as its Settings tab states it: England's usual pattern for
 * the year of its first register day (three terms, six half-terms, INSET, the early-May bank
 * holiday), fitted to the generated register so the calendar and the marks agree — the autumn
 * term starts on the first register day, the week the generator skipped is the autumn half-term,
 * and an INSET day that would fall on a register day moves to the last day of the autumn term.
 * A register longer than the autumn term (load tests) gets one term spanning it instead.
 */
export function sampleCalendar(schoolDays: readonly IsoDate[]): CalendarEntry[] {
  const first = schoolDays[0]!;
  const last = schoolDays[schoolDays.length - 1]!;
  const year = Number(first.slice(5, 7)) >= 8 ? Number(first.slice(0, 4)) : Number(first.slice(0, 4)) - 1;
  const open = new Set(schoolDays);
  const gaps: IsoDate[] = [];
  for (let d = isoToDay(first); d <= isoToDay(last); d++) {
    const wd = weekday(d);
    if (wd !== 0 && wd !== 6 && !open.has(dayToIso(d))) gaps.push(dayToIso(d));
  }
  const pattern = englandPattern(year);
  const autumn = pattern.find((e) => e.kind === 'Term')!;
  const autumnEnd = autumn.end;
  if (first < '2000-01-01' || last >= autumnEnd || Number(first.slice(5, 7)) < 8) {
    // One term around the register, its gaps as closures (the register is not a real year).
    return [
      { kind: 'Term', name: `Term ${first.slice(0, 4)}`, start: first, end: dayToIso(isoToDay(last) + 28) },
      ...(gaps.length ? [{ kind: 'Half-term' as const, name: 'Half-term', start: gaps[0]!, end: gaps[gaps.length - 1]! }] : []),
    ];
  }
  const rows: CalendarEntry[] = [];
  for (const e of pattern) {
    const inAutumn = e.start <= autumnEnd;
    if (e.kind === 'Term' && inAutumn) rows.push({ ...e, start: first });
    else if (inAutumn && e.kind === 'Half-term' && gaps.length) rows.push({ ...e, start: gaps[0]!, end: gaps[gaps.length - 1]! });
    else if (inAutumn && e.kind === 'INSET') rows.push({ ...e, name: 'INSET day', start: autumnEnd, end: autumnEnd });
    else if (inAutumn && e.kind === 'Half-term' && e.end <= last) continue; // the register ran through it: no gap
    else rows.push(e);
  }
  return rows;
}

// ---- people ----

/** 'Zoë O'Brien-Núñez' → 'zoe.obrien-nunez': ASCII for the local part of an e-mail address. */
function emailPart(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9-]/g, '');
}

class EmailBook {
  private readonly used = new Map<string, number>();
  make(first: string, last: string, domain: string): string {
    const base = `${emailPart(first)}.${emailPart(last)}`;
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return `${base}${n === 1 ? '' : n}@${domain}`;
  }
}

// ---- attendance ----

interface AttendancePlan {
  /** Chance a new absence bout starts on a day with none. */
  boutStart: number;
  boutLengths: readonly number[];
  boutKinds: readonly AbsenceKind[];
  /** Extra one-day absences on Mondays and Fridays. */
  mondayFriday: number;
  holidayDays: number;
  late: number;
  lateAfterClose: number;
  appointment: number;
}

const SHORT_BOUTS = [1, 1, 1, 2, 2, 3, 3, 4, 5];
const LONG_BOUTS = [2, 3, 4, 5, 6, 8, 10, 12];

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Chance per day of starting a bout so that the long-run share of days absent is `target`. */
function boutStartFor(target: number, lengths: readonly number[]): number {
  const len = mean(lengths);
  return Math.min(0.9, target / ((1 - target) * len));
}

function planFor(profile: Profile, rng: SeededRandom): AttendancePlan {
  switch (profile) {
    case 'good':
      return {
        boutStart: boutStartFor(rng.between(0, 0.035), SHORT_BOUTS),
        boutLengths: SHORT_BOUTS,
        boutKinds: ['illness', 'illness', 'illness', 'illness', 'illness', 'unexplained', 'medical'],
        mondayFriday: 0,
        holidayDays: rng.chance(0.03) ? rng.int(2, 5) : 0,
        late: rng.chance(0.3) ? 0.02 : 0.003,
        lateAfterClose: 0.001,
        appointment: 0.004,
      };
    case 'atRisk':
      return {
        boutStart: boutStartFor(rng.between(0.045, 0.08), SHORT_BOUTS),
        boutLengths: SHORT_BOUTS,
        boutKinds: ['illness', 'illness', 'illness', 'unexplained', 'other', 'medical'],
        mondayFriday: 0,
        holidayDays: rng.chance(0.08) ? rng.int(3, 5) : 0,
        late: 0.03,
        lateAfterClose: 0.005,
        appointment: 0.006,
      };
    case 'persistent': {
      const mondayFriday = rng.chance(0.35) ? rng.between(0.15, 0.3) : 0;
      // Monday/Friday absences supply part of the target (they fall on 2 days of 5).
      const target = Math.max(0.03, rng.between(0.12, 0.3) - mondayFriday * 0.4);
      return {
        boutStart: boutStartFor(target, SHORT_BOUTS),
        boutLengths: SHORT_BOUTS,
        boutKinds: ['illness', 'illness', 'unexplained', 'other', 'unexplained', 'medical'],
        mondayFriday,
        holidayDays: rng.chance(0.15) ? rng.int(4, 10) : 0,
        late: 0.05,
        lateAfterClose: 0.02,
        appointment: 0.008,
      };
    }
    case 'severe':
      return {
        boutStart: boutStartFor(rng.between(0.55, 0.8), LONG_BOUTS),
        boutLengths: LONG_BOUTS,
        boutKinds: ['other', 'other', 'unexplained', 'illness', 'holiday'],
        mondayFriday: 0,
        holidayDays: 0,
        late: 0.05,
        lateAfterClose: 0.04,
        appointment: 0.005,
      };
  }
}

/** Profiles in national proportions, shuffled: at least one severe student in any school. */
function assignProfiles(n: number, rng: SeededRandom): Profile[] {
  const severe = n === 0 ? 0 : Math.max(1, Math.round(n * 0.02));
  const persistent = Math.round(n * 0.17);
  const atRisk = Math.round(n * 0.12);
  const profiles: Profile[] = [];
  for (let i = 0; i < n; i++) {
    profiles.push(i < severe ? 'severe' : i < severe + persistent ? 'persistent' : i < severe + persistent + atRisk ? 'atRisk' : 'good');
  }
  return rng.shuffle(profiles);
}

function generateMarks(
  studentId: string,
  plan: AttendancePlan,
  days: readonly IsoDate[],
  weekdays: readonly number[],
  codes: CodeSet,
  sessions: readonly SessionName[],
  rng: SeededRandom,
  out: RegisterMark[],
): void {
  const n = days.length;
  const holidayStart = plan.holidayDays > 0 ? rng.int(0, Math.max(0, n - plan.holidayDays)) : -1;
  const holidayCode = codes.absence('holiday', rng);
  let boutLeft = 0;
  let boutKind: AbsenceKind = 'illness';
  let boutCode = '';
  const twoSessions = sessions.length === 2;

  for (let i = 0; i < n; i++) {
    const date = days[i];
    let dayCode = '';
    if (holidayStart >= 0 && i >= holidayStart && i < holidayStart + plan.holidayDays) {
      dayCode = holidayCode;
    } else if (boutLeft > 0) {
      boutLeft--;
      dayCode = boutCode;
    } else if (rng.chance(plan.boutStart)) {
      boutKind = rng.pick(plan.boutKinds);
      boutLeft = rng.pick(plan.boutLengths) - 1;
      if (boutKind === 'medical') boutLeft = 0;
      boutCode = codeFor(boutKind, i, n, codes, rng);
      if (boutKind === 'medical' && codes.appointmentSessions === 1) {
        // An appointment takes one session; the student is in school for the other.
        const am = rng.chance(0.5);
        out.push({ studentId, date, session: 'AM', code: am ? boutCode : codes.presentAm });
        out.push({ studentId, date, session: 'PM', code: am ? codes.presentPm : boutCode });
        continue;
      }
      dayCode = boutCode;
    } else if (plan.mondayFriday > 0 && (weekdays[i] === 1 || weekdays[i] === 5) && rng.chance(plan.mondayFriday)) {
      dayCode = codeFor(rng.chance(0.5) ? 'unexplained' : 'illness', i, n, codes, rng);
    }

    if (dayCode !== '') {
      for (const session of sessions) out.push({ studentId, date, session, code: dayCode });
      continue;
    }
    // Present; sometimes late (morning only).
    const r = rng.next();
    const am = r < plan.lateAfterClose ? codes.lateAfterClose : r < plan.lateAfterClose + plan.late ? codes.late : codes.presentAm;
    if (twoSessions) {
      out.push({ studentId, date, session: 'AM', code: am });
      out.push({ studentId, date, session: 'PM', code: codes.presentPm });
    } else {
      out.push({ studentId, date, session: 'DAY', code: am });
    }
  }
}

function codeFor(kind: AbsenceKind, dayIndex: number, dayCount: number, codes: CodeSet, rng: SeededRandom): string {
  // An old "N" would have been amended by now (WTISA expects the reason to be chased).
  if (kind === 'unexplained' && codes === UK_CODES && dayIndex < dayCount - N_STAYS_FOR_DAYS) {
    return codes.absence(rng.chance(0.6) ? 'other' : 'illness', rng);
  }
  return codes.absence(kind, rng);
}

// ---- the school ----

export function generateSchool(opts: SampleSchoolOptions): SampleSchool {
  const preset: SamplePreset = opts.preset ?? 'uk';
  if (!Number.isInteger(opts.students) || opts.students < 0) throw new Error(`students must be a whole number ≥ 0, got ${opts.students}`);
  if (!Number.isInteger(opts.schoolDays) || opts.schoolDays < 0) throw new Error(`schoolDays must be a whole number ≥ 0, got ${opts.schoolDays}`);
  const rng = new SeededRandom(opts.seed);
  const uk = preset === 'uk';
  const years = uk ? UK_YEARS : US_GRADES;
  const codes = uk ? UK_CODES : US_CODES;
  const sessions: SessionName[] = uk ? ['AM', 'PM'] : ['DAY'];
  const parentEmails = new EmailBook();
  const staffEmails = new EmailBook();

  // Students spread evenly over the years, then split into groups of about GROUP_SIZE.
  const perYear = years.map((_, y) => {
    const from = Math.floor((y * opts.students) / years.length);
    const to = Math.floor(((y + 1) * opts.students) / years.length);
    return to - from;
  });
  const groupsByYear = years.map((year, y) => {
    const groups = Math.max(1, Math.ceil(perYear[y] / GROUP_SIZE));
    return Array.from({ length: groups }, (_, g) => `${year}${String.fromCharCode(65 + g)}`);
  });

  const ids = new Set<string>();
  const newId = (): string => {
    for (;;) {
      const id = uk
        ? `A${String(rng.int(0, 999999)).padStart(6, '0')}${String(rng.int(0, 999999)).padStart(6, '0')}`
        : String(rng.int(100000, 999999));
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };

  const students: SampleStudent[] = [];
  years.forEach((year, y) => {
    const groups = groupsByYear[y];
    for (let k = 0; k < perYear[y]; k++) {
      const spanish = rng.chance(0.15);
      const first = rng.pick(spanish ? SPANISH_FIRST_NAMES : FIRST_NAMES);
      const last = rng.pick(spanish ? SPANISH_SURNAMES : SURNAMES);
      const parents: SampleParent[] = [];
      const parentCount = rng.chance(0.65) ? 2 : 1;
      for (let p = 0; p < parentCount; p++) {
        const pFirst = rng.pick(spanish ? SPANISH_ADULT_FIRST_NAMES : ADULT_FIRST_NAMES);
        const pLast = rng.chance(0.8) ? last : rng.pick(spanish ? SPANISH_SURNAMES : SURNAMES);
        parents.push({
          name: `${pFirst} ${pLast}`,
          email: parentEmails.make(pFirst, pLast, 'example.org'),
          phone: uk ? `07700 900${String(rng.int(0, 999)).padStart(3, '0')}` : `(312) 555-01${String(rng.int(0, 99)).padStart(2, '0')}`,
        });
      }
      students.push({
        studentId: newId(),
        name: `${first} ${last}`,
        yearGroup: year,
        tutorGroup: groups[Math.floor((k * groups.length) / Math.max(1, perYear[y]))],
        parents,
        // Spanish-speaking families mostly ask for Spanish letters (seed 004 sends them).
        language: spanish && rng.chance(0.9) ? 'es' : 'en',
      });
    }
  });

  const staff: SampleStaff[] = [];
  const addStaff = (role: StaffRole, extra: { yearGroup?: string; tutorGroup?: string } = {}): void => {
    const first = rng.pick(ADULT_FIRST_NAMES);
    const last = rng.pick(SURNAMES);
    staff.push({ email: staffEmails.make(first, last, 'school.example'), name: `${first} ${last}`, role, ...extra });
  };
  years.forEach((year, y) => {
    for (const group of groupsByYear[y]) addStaff('Tutor', { yearGroup: year, tutorGroup: group });
    addStaff('HOY', { yearGroup: year });
  });
  addStaff('AO');
  addStaff('AL');
  addStaff('Admin');

  const schoolDays = sampleSchoolDays(opts.startDate, opts.schoolDays);
  const weekdays = schoolDays.map((d) => weekday(isoToDay(d)));
  const profiles = assignProfiles(students.length, rng);
  const marks: RegisterMark[] = [];
  students.forEach((student, i) => {
    generateMarks(student.studentId, planFor(profiles[i], rng), schoolDays, weekdays, codes, sessions, rng, marks);
  });

  return {
    name: uk ? 'Riverside Academy (sample)' : 'Prairie View Elementary School (sample)',
    timeZone: uk ? 'Europe/London' : 'America/Chicago',
    students,
    staff,
    schoolDays,
    marks,
  };
}
