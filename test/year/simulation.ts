/**
 * A school year, lived (issue 10): a seeded generated school run day by day through an English
 * academic year on the BUILT bundle in the emulator, with the invariants checked after every
 * simulated day. Used by test/year/year.test.ts (small profile, in `npm test`) and by
 * bench/year.bench.ts (large profile, whole year, `npm run bench`).
 *
 * What happens each calendar day:
 * - school days: the day's register marks are imported by the Admin (importRegister RPC, a SIMS
 *   export) — usually the same day, sometimes late (two days in one file), sometimes missing for a
 *   week (a stale register), sometimes correcting an earlier day ('N' no-reason marks become I or O);
 * - tutors type RTC / ROPC on the tracker (onEdit), the AO logs calls and meetings in the sidebar
 *   (logContact), some with "No answer" or "Parent did not attend";
 * - Fridays: the Attendance Lead plans letters, leaves some out with a reason, includes some
 *   again, sends them (a consumer account: the email quota stops runs; the rest goes next day),
 *   with injected service faults; print packs are marked printed the next school day;
 * - Settings hold the whole year's calendar (terms, half-terms, INSET days, bank holidays);
 * - every hour the weekly-report trigger fires (holidays too); the last day of the year is lived.
 *
 * Invariants after every day (each check counted; every failure recorded as a violation):
 * I1 no Log row, Letters cell or report counts a letter that was not sent (left out, to print,
 *    failed, unknown, planned): every Log "Letter sent" row has a 'sent' ledger entry;
 * I2 each letter goes at most once (one email per letter reference, ledger keys unique) and no
 *    planned letter vanishes (every ledger entry has a known state; left out have a reason);
 * I3 no step rises on a day without new register marks; Step 7+ only after a Step 6+ letter or
 *    meeting in the Log (or a missed meeting for Step 7);
 * I4 one figure: the tracker's Attendance % reads formatPercentOf(attended, possible) computed by
 *    the core from the Register tab; the Log's figure of a row written today equals the tracker's;
 * I5 no letter is held back for a missing review date (end of term);
 * I6 every Head of Year gets exactly one weekly report per school week and none in holidays;
 * I7 every letter's wording is true to that family's history: a letter emailed today says "We wrote
 *    to you recently" / "We have written to you" only when an earlier letter really went (a Log
 *    letter row, not a leave-out), and "since our last meeting" / "met with you" only after a meeting
 *    held — and it uses the follow-up wording whenever that history exists (starter templates;
 *    letters going by post are in print packs and are checked by the unit and bundle tests).
 * I8 Today on a partial import (half the pupils' marks in, the rest later): it lists exactly the
 *    pupils whose mark today is N — nobody without a mark — and says the marks are in;
 * I9 posted letters (families without email): a letter in a print pack is 'to print' — no Log letter
 *    row, and the tracker's Letters column does not call it sent — until the pack is marked printed;
 *    then it has exactly one Log letter row; and its own page (the filled copy filed in Drive) is
 *    checked for I7 like an emailed letter's attachment;
 * IA mid-year adoption (profile.adopt): the school installs the add-on on its first day with history
 *    in its own tracker (columns "Intervention", "Letter 1", "Letter 2", "AIM 1"); Set up… runs, the
 *    Attendance Lead confirms the history shown per pupil and it is adopted into the Log. From then
 *    on no adopted letter is planned, left out or sent again (its key never reaches the ledger) and
 *    no adopted pupil is below the school's own step (the ladder holds it unless de-escalated);
 *    adopted letters and meetings are the earlier letters and meetings I7 judges wording by.
 * R  the new academic year (profile.rollover: on the last day of 2025–26, with 2026–27 in Settings
 *    from the start and the MIS's export of next year): the preview's counts are what is done; every
 *    tab of the year is archived whole; every pupil is on the new tracker moved up a year or, a
 *    leaver, on the archived tracker; joiners are added; the Register and the Log start empty; the
 *    new year's imports, letters and weekly reports then go on under the same invariants.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { DFE_2024, lookupCode } from '../../src/core/codes';
import { formatPercentOf } from '../../src/core/format/percent';
import { formatSchoolDate } from '../../src/core/format';
import { letterReference } from '../../src/gas/letters/reference';
import { isAdoptedWithoutDate, isLetterSent, isMeetingHeld } from '../../src/core/history';
import { LOG_ATTENDANCE_COLUMN, readInterventionsLog } from '../../src/core/interventionsLog';
import { LEDGER_HEADER, LEDGER_STATUS_CELL, ledgerStatusOfCell, letterConditions } from '../../src/core/letters';
import { parseSessionHeader, readRegisterSheet } from '../../src/core/register/registerSheet';
import { SeededRandom } from '../../src/core/sample/random';
import { generateSchool, type SampleSchool } from '../../src/core/sample/school';
import { stepFromLabel } from '../../src/core/schoolModel';
import { yearGroupLabel } from '../../src/core/report/weekly';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { computeStats } from '../../src/core/stats';
import type { RegisterMark } from '../../src/core/types';
import { calendarFromEntries, englandPattern, schoolDaysOf, type CalendarEntry } from '../../src/core/calendar';
import type { RolloverPreview, TodayCallsResponse } from '../../src/rpcTypes';
import type { LetterPlan } from '../../src/rpcTypes';
import { createTemplateDocs, sendAll } from '../helpers/lettersSchool';
import { loadBuiltProject } from '../helpers/project';
import { simsCsv } from '../helpers/registerCsv';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool } from '../helpers/sampleSpreadsheet';
import { LETTER_REF_PROPERTY } from '../../src/gas/letters/filing';
import type { AdoptHistoryResult, AdoptionPreview } from '../../src/rpcTypes';

// ---------------------------------------------------------------------------------- calendar

export interface Term {
  name: string;
  start: string;
  end: string;
  closures: string[];
}

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const weekday = (d: string) => new Date(`${d}T12:00:00Z`).getUTCDay();
const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/** England 2025-26: INSET days, half-terms and bank holidays inside each term. */
export const YEAR_2025_26: Term[] = [
  { name: 'Autumn 2025', start: '2025-09-01', end: '2025-12-19', closures: ['2025-09-01', '2025-09-02', ...range('2025-10-27', '2025-10-31')] },
  { name: 'Spring 2026', start: '2026-01-05', end: '2026-03-27', closures: ['2026-01-05', ...range('2026-02-16', '2026-02-20')] },
  { name: 'Summer 2026', start: '2026-04-13', end: '2026-07-22', closures: ['2026-05-04', ...range('2026-05-25', '2026-05-29'), '2026-07-21', '2026-07-22'] },
];

const INSET_DAYS = ['2025-09-01', '2025-09-02', '2026-01-05', '2026-07-21', '2026-07-22'];

export function schoolDaysOfYear(terms: readonly Term[]): string[] {
  const out: string[] = [];
  for (const t of terms) for (const d of range(t.start, t.end)) if (weekday(d) !== 0 && weekday(d) !== 6 && !t.closures.includes(d)) out.push(d);
  return out;
}

// ---------------------------------------------------------------------------------- profile

export interface YearProfile {
  students: number;
  seed: number;
  /** First and last calendar day lived (inclusive); marks before `from` are the school's existing register. */
  from: string;
  to: string;
  /** RTC/ROPC edits and sidebar contacts per school day. */
  edits: number;
  contacts: number;
  /** Check the one-figure invariant (I4) every n school days (it reads every row). */
  figureEvery: number;
  /** Start 2026–27 on the last day of 2025–26 (Settings hold next year's terms from the start). */
  rollover?: boolean;
  /** Import half the pupils first, check Today, then the rest: on about this share of import days. */
  partialShare?: number;
  /** A week (its Monday) with no import at all (the MIS is down): the next school day imports it all. */
  noMarksWeek?: string;
  /** Days the weekly report's emails cannot go (the sender's mail fails all day). */
  mailDownOn?: string[];
  /** Mid-year adoption: the add-on is installed on `from` in a tracker with the school's own history (IA). */
  adopt?: boolean;
  log?: (line: string) => void;
}

export interface YearCounts {
  calendarDays: number;
  schoolDays: number;
  imports: number;
  corrections: number;
  edits: number;
  contacts: number;
  letterRuns: number;
  lettersEmailed: number;
  /** Letters whose wording was checked against the family's history (I7). */
  lettersWordingChecked: number;
  lettersToPrint: number;
  /** Posted letters whose page was checked against the family's history (I7 for posted letters). */
  postedWordingChecked: number;
  packsPrinted: number;
  /** Log rows adopted from the school's own tracker (IA), and the pupils they belong to. */
  adoptedRecords: number;
  adoptedPupils: number;
  leftOut: number;
  includedAgain: number;
  quotaStops: number;
  faults: number;
  partialImports: number;
  rollovers: number;
  weeklyReports: number;
  invariantChecks: number;
  /** "No improvement" reasons checked against the Register (I3), and letters planned again in a later term (B). */
  noImprovementChecked: number;
  repeatLettersPlanned: number;
  /** Year-group "N letters sent" lines of weekly emails checked against the Log (I6). */
  weeklyLetterCountsChecked: number;
  violations: string[];
}

// ---------------------------------------------------------------------------------- marks

/** The register as the MIS will export it: every pupil's marks for each school day of the year. */
function yearMarks(school: SampleSchool, days: readonly string[], rng: SeededRandom): RegisterMark[] {
  const marks: RegisterMark[] = [];
  school.students.forEach((s, i) => {
    // A mix like the national one: most attend well, a persistent group, a few severe.
    const r = (i * 7919) % 100;
    const pAbsent = r < 70 ? 0.02 : r < 90 ? 0.08 : r < 97 ? 0.16 : 0.45;
    let bout = 0;
    for (const d of days) {
      let code: string[] = ['/', '\\'];
      if (bout > 0) {
        bout--;
        code = ['I', 'I'];
      } else if (rng.next() < pAbsent) {
        const kind = rng.next();
        if (kind < 0.35) { bout = rng.int(0, 2); code = ['I', 'I']; }
        else if (kind < 0.7) code = ['O', 'O'];
        else if (kind < 0.85) code = ['N', 'N']; // no reason yet: corrected by a later import
        else code = ['/', 'M'];
      } else if (rng.next() < 0.01) code = ['L', '\\'];
      marks.push({ studentId: s.studentId, date: d, session: 'AM', code: code[0]! });
      marks.push({ studentId: s.studentId, date: d, session: 'PM', code: code[1]! });
    }
  });
  return marks;
}

// ---------------------------------------------------------------------------------- the run

export async function liveTheYear(profile: YearProfile): Promise<YearCounts> {
  const log = profile.log ?? (() => undefined);
  const terms = YEAR_2025_26;
  // 2026–27 (England's usual pattern) after it, when the simulation crosses into the new year.
  const nextYear = profile.rollover ? englandPattern(2026) : [];
  const nextDays = profile.rollover ? schoolDaysOf(calendarFromEntries(nextYear)) : [];
  const yearDays = [...schoolDaysOfYear(terms), ...nextDays];
  const lastDayOfYear = '2026-07-22';
  const rng = new SeededRandom(profile.seed);
  let school = generateSchool({ seed: profile.seed, students: profile.students, startDate: '2025-09-03', schoolDays: 5, preset: 'uk' });
  // Next September's Year 7, in the MIS's export at the rollover.
  const joiners = profile.rollover
    ? generateSchool({ seed: profile.seed + 1, students: Math.max(5, Math.round(profile.students / 5)), startDate: '2025-09-03', schoolDays: 1, preset: 'uk' }).students.map((s, i) => ({ ...s, studentId: `J${s.studentId}`, yearGroup: '7', tutorGroup: `7${String.fromCharCode(65 + (i % 3))}` }))
    : [];
  const finalMarks = [...yearMarks(school, yearDays, rng), ...yearMarks({ ...school, students: joiners }, nextDays, rng)];
  // What the MIS says on a day: 'N' marks are corrected (to I or O) 3 school days later.
  const corrected = new Map<string, string>();
  for (const m of finalMarks) if (m.code === 'N') corrected.set(`${m.studentId}|${m.date}|${m.session}`, rng.next() < 0.5 ? 'I' : 'O');

  const staff = (role: string) => school.staff.filter((m) => m.role === role);
  const admin = staff('Admin')[0]?.email ?? staff('AL')[0]!.email;
  const al = staff('AL')[0]!.email;
  const ao = staff('AO')[0]!.email;
  const hoys = staff('HOY');
  const tutors = staff('Tutor');
  const emu: Emulator = createEmulator({ account: 'consumer', now: new Date(`${profile.from}T07:00:00Z`), users: [al, ao, admin, ...hoys.map((h) => h.email), ...tutors.map((t) => t.email)], spreadsheetTimeZone: 'Europe/London' });
  const templates = createTemplateDocs(emu, ['letter1', 'letter2', 'letter3', 'letter4']);

  const termOn = (d: string) => terms.find((t) => t.start <= d && d <= t.end) ?? [...terms].reverse().find((t) => t.start <= d) ?? terms[0]!;
  // The whole year's calendar in Settings (terms, half-terms, INSET days, bank holidays).
  const calendar: CalendarEntry[] = [];
  for (const t of terms) {
    calendar.push({ kind: 'Term', name: t.name, start: t.start, end: t.end });
    for (const d of t.closures) {
      const kind = d === '2026-05-04' ? 'Bank holiday' : INSET_DAYS.includes(d) ? 'INSET' : 'Half-term';
      calendar.push({ kind, name: kind, start: d, end: d });
    }
  }
  const settingsFor = (_t: Term): Settings => ({
    ...DEFAULT_SETTINGS,
    schoolName: school.name,
    staff: school.staff.map((m) => ({ email: m.email, name: m.name, role: m.role, yearGroup: m.yearGroup ?? '', tutorGroup: m.tutorGroup ?? '' })),
    templates,
    senderName: 'Attendance Team',
    calendar: [...calendar, ...nextYear],
  });
  // The school's existing register up to the day before the simulation starts.
  const existingDays = yearDays.filter((d) => d < profile.from);
  const markAsOf = (m: RegisterMark, asOf: string) => {
    const fix = corrected.get(`${m.studentId}|${m.date}|${m.session}`);
    if (!fix) return m;
    const daysSince = yearDays.filter((d) => d > m.date && d <= asOf).length;
    return daysSince >= 3 ? { ...m, code: fix } : m;
  };
  const dayMarks = new Map<string, RegisterMark[]>();
  for (const m of finalMarks) {
    let list = dayMarks.get(m.date);
    if (!list) dayMarks.set(m.date, (list = []));
    list.push(m);
  }
  // About one family in 30 has no email: their letters go by post (print packs).
  school.students.forEach((s, i) => {
    if (i % 30 === 7) s.parents = s.parents.map((p) => ({ ...p, email: '' }));
  });
  const existing = { ...school, marks: existingDays.flatMap((d) => dayMarks.get(d)!.map((m) => markAsOf(m, addDays(profile.from, -1)))) };
  // Mid-year adoption: the school's own tracker records its history before the add-on (IA).
  const ownHistory = profile.adopt ? schoolsOwnHistory(school, existingDays) : new Map<string, Record<string, unknown>>();
  putSampleSchool(emu, {
    school: existing,
    settings: settingsFor(termOn(profile.from)),
    ...(profile.adopt ? { headers: [...DEFAULT_TRACKER_HEADERS, ...ADOPTION_HEADERS], cell: (h: string, _f: unknown, s: { studentId: string }) => ((ADOPTION_HEADERS as readonly string[]).includes(h) ? ownHistory.get(s.studentId)?.[h] ?? '' : undefined) } : {}),
  });
  loadBuiltProject(emu);
  await emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], ao);

  const counts: YearCounts = {
    calendarDays: 0, schoolDays: 0, imports: 0, corrections: 0, edits: 0, contacts: 0, letterRuns: 0, lettersEmailed: 0, lettersToPrint: 0, lettersWordingChecked: 0,
    postedWordingChecked: 0, packsPrinted: 0, adoptedRecords: 0, adoptedPupils: 0,
    leftOut: 0, includedAgain: 0, quotaStops: 0, faults: 0, partialImports: 0, rollovers: 0, weeklyReports: 0, invariantChecks: 0, noImprovementChecked: 0, repeatLettersPlanned: 0, weeklyLetterCountsChecked: 0, violations: [],
  };
  const violate = (day: string, text: string) => {
    if (counts.violations.length < 200) counts.violations.push(`${day}: ${text}`);
  };
  const check = (day: string, ok: boolean, text: () => string) => {
    counts.invariantChecks++;
    if (!ok) violate(day, text());
  };

  const trackerValues = () => emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getDataRange().getValues()) as unknown[][];
  const trackerDisplay = () => emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getDataRange().getDisplayValues()) as string[][];
  const tab = (name: string) => emu.direct(() => emu.spreadsheet.getSheetByName(name)?.getDataRange().getValues() ?? []) as unknown[][];
  const header = trackerValues()[0]!.map(String);
  const col = (h: string) => header.indexOf(h);
  const [cId, cStep, cPct, cLetters, cRtc, cRopc] = ['Student ID', 'Step', 'Attendance %', 'Letters', 'RTC', 'ROPC'].map(col);
  const columnLetter = (c: number) => String.fromCharCode(65 + c);

  // IA: what was adopted — letter keys never to be planned again, and each pupil's own step.
  const adoptedLetterKeys = new Set<string>();
  const adoptedFloor = new Map<string, number>();
  const cWhy = col('Why');
  // I3: "no improvement" reasons already checked (each pupil's Why text once); the Register as read today.
  const noImprovementSeen = new Set<string>();
  let registerNow: ReturnType<typeof readRegisterSheet> | null = null;
  if (profile.adopt) await adoptTheSchoolsHistory(profile.from);
  // I9 / I7: posted letters whose page was checked already.
  const postedChecked = new Set<string>();

  let pending: string[] = []; // school days whose marks are not imported yet
  let staleUntil = '';
  let currentTerm = termOn(profile.from).name;
  let packsToPrint = false;
  let lastLetterDay = '';
  let mailSeen = 0;
  let weeklySeen = 0;
  const printedOnce = new Set<string>();

  const importDays = async (days: string[], asOf: string, correctDay: string | null, only?: SampleSchool['students']) => {
    const all = correctDay ? [correctDay, ...days.filter((d) => d !== correctDay)].sort() : days;
    const pupils = only ?? school.students;
    const roster = new Set(pupils.map((s) => s.studentId));
    const marks = all.flatMap((d) => dayMarks.get(d)!.filter((m) => roster.has(m.studentId)).map((m) => markAsOf(m, asOf)));
    const res = (await emu.rpc('importRegister', [{ fileName: `sims-${asOf}.csv`, csvText: simsCsv({ ...school, students: pupils, marks }, all), onlyValidRows: false }], admin)) as { ok: boolean; amended: number; message: string };
    if (!res.ok) violate(asOf, `import refused: ${res.message}`);
    counts.imports++;
    if (res.amended > 0) counts.corrections++;
  };

  for (let day = profile.from; day <= profile.to; day = addDays(day, 1)) {
    counts.calendarDays++;
    const isSchoolDay = yearDays.includes(day);
    const term = termOn(day);
    if (term.name !== currentTerm && day >= term.start) {
      currentTerm = term.name;
      log(`${day}: ${term.name} begins`);
    }
    const before = trackerValues();
    let imported = false;
    if (isSchoolDay) {
      counts.schoolDays++;
      emu.clock.set(new Date(`${day}T15:30:00Z`));
      pending.push(day);
      // Once a term, the register is not imported for six school days (MIS outage): stale.
      if (!staleUntil && rng.next() < 0.012) staleUntil = yearDays[Math.min(yearDays.length - 1, yearDays.indexOf(day) + 6)]!;
      const stale = (staleUntil !== '' && day < staleUntil) || (profile.noMarksWeek !== undefined && day >= profile.noMarksWeek && day <= addDays(profile.noMarksWeek, 6));
      if (staleUntil && day >= staleUntil) staleUntil = '';
      const late = rng.next() < 0.1;
      if (!stale && (!late || weekday(day) === 5)) {
        const earlier = yearDays.filter((d) => d < pending[0]! && yearDays.indexOf(d) >= yearDays.indexOf(day) - 8);
        const correctDay = rng.next() < 0.15 && earlier.length > 3 ? earlier[earlier.length - 4]! : null;
        if (profile.partialShare && pending.length === 1 && !correctDay && rng.next() < profile.partialShare) {
          // The morning file has half the pupils; Today is checked; the rest come in later.
          const half = school.students.slice(0, Math.ceil(school.students.length / 2));
          await importDays(pending, day, null, half);
          await checkToday(day);
          counts.partialImports++;
        }
        await importDays(pending, day, correctDay);
        pending = [];
        imported = true;
      }

      // Print packs made last time are printed and marked the next school day.
      if (packsToPrint) {
        const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
        for (const p of plan.printPacks ?? []) {
          if (p.toPrint === 0 || printedOnce.has(p.url)) continue;
          await emu.rpc('markPackPrinted', [{ url: p.url }], al);
          printedOnce.add(p.url);
          counts.packsPrinted++;
        }
        packsToPrint = false;
      }

      // Tutors type RTC / ROPC for pupils with a step; the AO logs calls and meetings.
      const rows = trackerValues();
      const withStep = rows.map((r, i) => ({ r, i })).filter(({ r, i }) => i > 0 && (stepFromLabel(r[cStep]) ?? 0) > 0);
      for (let k = 0; k < profile.edits && withStep.length > 0; k++) {
        const { r, i } = withStep[rng.int(0, withStep.length - 1)]!;
        const tutor = tutors.find((t) => school.students.find((s) => s.studentId === String(r[cId]))?.tutorGroup === t.tutorGroup)?.email ?? ao;
        const which = rng.next() < 0.5 ? cRtc : cRopc;
        emu.userEdit('SOL Tracker', `${columnLetter(which)}${i + 1}`, rng.next() < 0.2 ? 'no answer' : 'Yes', tutor);
        counts.edits++;
      }
      const outcomes: [string, string][] = [['Phone call', 'Spoke to parent/carer'], ['Phone call', 'No answer'], ['Meeting', 'Meeting held'], ['Meeting', 'Parent did not attend'], ['Home visit', 'Spoke to parent/carer']];
      for (let k = 0; k < profile.contacts && withStep.length > 0; k++) {
        const { r } = withStep[rng.int(0, withStep.length - 1)]!;
        const step = stepFromLabel(r[cStep]) ?? 0;
        const [method, outcome] = step >= 5 ? outcomes[rng.int(0, outcomes.length - 1)]! : outcomes[rng.int(0, 1)]!;
        try {
          await emu.rpc('logContact', [{ studentId: String(r[cId]), method, outcome, nextAction: '', notes: '' }], ao);
          counts.contacts++;
        } catch (err) {
          violate(day, `logContact refused: ${(err as Error).message}`);
        }
      }

      // Fridays (and the next school day after a quota stop): plan, leave out, include again, send.
      if (weekday(day) === 5 || lastLetterDay === 'carry') {
        const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
        for (const p of plan.problems) check(day, !/Review date/.test(p), () => `I5 a letter is held back for its review date: ${p}`);
        checkRepeats(day, plan);
        const planned = plan.items.filter((i) => i.status === 'planned' && i.excluded === null);
        for (let k = 0; k < 2 && planned.length > 0; k++) {
          const item = planned.splice(rng.int(0, planned.length - 1), 1)[0]!;
          await emu.rpc('setExclusion', [{ studentId: item.studentId, reason: 'Medical evidence seen' }], al);
          counts.leftOut++;
        }
        const left = ((await emu.rpc('getLetterPlan', [], al)) as LetterPlan).leftOut ?? [];
        const again = left.find((l) => l.stillDue && rng.next() < 0.3);
        if (again) {
          await emu.rpc('setExclusion', [{ studentId: again.studentId, reason: null }], al);
          counts.includedAgain++;
        }
        // An injected Drive fault now and then: the run goes on, the letter is retried.
        if (rng.next() < 0.25) {
          emu.faults.inject('DocumentApp.Document.getAs', { nth: 2, error: "We're sorry, a server error occurred. Please wait a bit and try again." });
          counts.faults++;
        }
        const runs = await sendAll(emu, al);
        emu.faults.clear();
        counts.letterRuns++;
        const last = runs[runs.length - 1]!;
        if (last.stoppedBecause === 'quota') counts.quotaStops++;
        lastLetterDay = last.stoppedBecause === 'quota' || last.remaining > 0 ? 'carry' : day;
        packsToPrint = true;
      }
    } else {
      emu.clock.set(new Date(`${day}T15:30:00Z`));
    }
    if (profile.rollover && day === lastDayOfYear) {
      // Marks not yet imported go in first (the last day's register belongs to last year).
      if (pending.length > 0) await importDays(pending, day, null);
      pending = [];
      staleUntil = '';
      await startTheNewYear(day);
    }
    // The hourly weekly trigger, up to the end of the day.
    if (profile.mailDownOn?.includes(day)) {
      emu.faults.inject('MailApp.sendEmail', { every: true, error: 'Service unavailable: Gmail' });
      counts.faults++;
    }
    const fired = emu.fireDueTriggers(new Date(`${day}T23:30:00Z`));
    if (profile.mailDownOn?.includes(day)) emu.faults.clear();
    for (const f of fired) if (f.error) violate(day, `weekly trigger failed: ${f.error}`);

    checkDay(day, before, imported);
  }
  checkWeekly();
  counts.weeklyReports = emu.mail.outbox.filter((m) => /weekly attendance/.test(m.subject)).length;
  counts.lettersEmailed = emu.mail.outbox.filter((m) => !/weekly attendance/.test(m.subject)).length;
  counts.lettersToPrint = ledger().filter((e) => e.Recipient === 'post').length;
  return counts;

  /**
   * IA: the school installs the add-on on `day`: Set up… (the Admin), then the Attendance Lead looks
   * at the history the tracker records per pupil, confirms it all, and it is adopted into the Log.
   */
  async function adoptTheSchoolsHistory(day: string): Promise<void> {
    await emu.rpc('runSetup', [], admin);
    const preview = (await emu.rpc('previewAdoption', [], al)) as AdoptionPreview;
    const expectedPupils = [...ownHistory.entries()].filter(([, cells]) => Object.values(cells).some((v) => v !== '' && v !== 'sent?')).length;
    check(day, preview.pupils.length === expectedPupils, () => `IA the adoption preview shows ${preview.pupils.length} pupils with history, the tracker has ${expectedPupils}`);
    check(day, preview.questions.length === [...ownHistory.values()].filter((c) => c['Letter 1'] === 'sent?').length, () => `IA the adoption asks ${preview.questions.length} questions: ${preview.questions.join(' | ')}`);
    const keys = preview.pupils.flatMap((p) => p.items.map((i) => i.key));
    const result = (await emu.rpc('adoptHistory', [{ keys }], al)) as AdoptHistoryResult;
    counts.adoptedRecords = result.recorded;
    counts.adoptedPupils = result.pupils;
    check(day, result.recorded === keys.length, () => `IA ${keys.length} items confirmed, ${result.recorded} recorded`);
    for (const [id, records] of readInterventionsLog(tab('Interventions Log')).byStudent) {
      for (const r of records) {
        if (!String(r.notes ?? '').startsWith('Adopted history:')) continue;
        if (r.letterKey) adoptedLetterKeys.add(r.letterKey);
        adoptedFloor.set(id, Math.max(adoptedFloor.get(id) ?? 0, r.step));
      }
    }
    // The first plan neither repeats an adopted letter nor skips the school's own steps.
    const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
    for (const item of plan.items) check(day, !adoptedLetterKeys.has(letterKeyOf(item.key)), () => `IA the first plan has ${item.key} again, a letter the school already sent`);
    checkAdopted(day, new Map());
    // Running it again proposes nothing already adopted.
    const again = (await emu.rpc('previewAdoption', [], al)) as AdoptionPreview;
    check(day, again.pupils.length === 0, () => `IA a second look proposes ${again.pupils.length} pupils again`);
    log(`${day}: the add-on is adopted with ${result.recorded} history rows for ${result.pupils} pupils`);
  }

  /** IA after every day: no adopted letter in the ledger; no adopted pupil below the school's own step. */
  function checkAdopted(day: string, byKey: ReadonlyMap<string, Record<string, string>>): void {
    if (adoptedFloor.size === 0) return;
    for (const [key, e] of byKey) check(day, !adoptedLetterKeys.has(letterKeyOf(key)), () => `IA ${key}, a letter adopted as sent, is in the ledger again (${e.Status})`);
    const rows = trackerValues();
    for (let i = 1; i < rows.length; i++) {
      const id = String(rows[i]![cId]);
      const floor = adoptedFloor.get(id);
      if (floor === undefined) continue;
      const step = stepFromLabel(rows[i]![cStep]) ?? 0;
      check(day, step >= floor || /de-escalated/i.test(String(rows[i]![cWhy] ?? '')), () => `IA ${id} is at Step ${step}, below Step ${floor} the school had recorded`);
    }
  }

  // ------------------------------------------------------------------------------ invariants

  /** I8: Today lists exactly the pupils whose mark today is unexplained (N), and says the marks are in. */
  async function checkToday(day: string): Promise<void> {
    const today = (await emu.rpc('getTodayCalls', [], ao)) as TodayCallsResponse;
    const reg = tab('Register');
    const head = (reg[0] ?? []).map(String);
    // Session headers are in words ("Thu 3 Sep 2026 AM") since the words-not-identifiers change; read them as the add-on does.
    const cols = head.map((h, c) => (parseSessionHeader(h)?.date === day ? c : -1)).filter((c) => c >= 0);
    const expected = new Set(reg.slice(1).filter((r) => cols.some((c) => lookupCode(DFE_2024, String(r[c] ?? ''))?.unverified === true)).map((r) => String(r[0])));
    const listed = new Set(today.students.map((s) => s.studentId));
    check(day, today.marksImported, () => `I8 Today says today's marks are not imported after a partial import`);
    check(day, [...listed].every((id) => expected.has(id)), () => `I8 Today lists ${[...listed].filter((id) => !expected.has(id)).length} pupil(s) without an N today (partial import)`);
    check(day, [...expected].every((id) => listed.has(id)), () => `I8 Today misses ${[...expected].filter((id) => !listed.has(id)).length} pupil(s) marked N today`);
    check(day, today.students.every((s) => s.code !== ''), () => 'I8 Today lists a pupil with no mark');
  }

  /** R: the new academic year, started by the Admin on the last day, with the MIS's export of next year. */
  async function startTheNewYear(day: string): Promise<void> {
    const before = { tracker: tab('SOL Tracker'), register: tab('Register').length, log: tab('Interventions Log').length, ledger: tab('Letters Ledger').length };
    const header = before.tracker[0]!.map(String);
    const [cYear, cGroup] = ['Year Group', 'Tutor Group'].map((h) => header.indexOf(h));
    const staying = school.students.filter((s) => Number(s.yearGroup.replace(/\D/g, '')) < 11);
    const moved = staying.map((s) => {
      const y = Number(s.yearGroup.replace(/\D/g, ''));
      return { ...s, yearGroup: String(y + 1), tutorGroup: s.tutorGroup.replace(/^\d+/, String(y + 1)) };
    });
    const nextRoster = [...moved, ...joiners];
    const csv = ['UPN,Legal Surname,Legal Forename,NC Year,Reg Group', ...nextRoster.map((s) => {
      const [first, ...rest] = s.name.split(' ');
      return [s.studentId, rest.join(' '), first, s.yearGroup, s.tutorGroup].join(',');
    })].join('\n');
    const req = { exportCsv: csv, fileName: 'sims-2026-27.csv' };
    const preview = (await emu.rpc('previewRollover', [req], admin)) as RolloverPreview;
    check(day, preview.ok, () => `R the new year cannot start on the last day: ${preview.problems.join(' ')}`);
    if (!preview.ok) return;
    check(day, preview.movesCount === moved.length && preview.leaversCount === school.students.length - moved.length && preview.joinersCount === joiners.length,
      () => `R the preview counts ${preview.movesCount} up / ${preview.leaversCount} leavers / ${preview.joinersCount} joiners, expected ${moved.length} / ${school.students.length - moved.length} / ${joiners.length}`);
    // A fault half-way (the Sheets service), then the Admin presses again: the same rollover, finished.
    emu.faults.injectAtCall(40, 'Service error: Spreadsheets');
    try {
      await emu.rpc('applyRollover', [{ ...req, requestKey: 'newyear2026', token: preview.token }], admin);
    } catch {
      counts.faults++;
    }
    emu.faults.clear();
    await emu.rpc('applyRollover', [{ ...req, requestKey: 'newyear2026', token: preview.token }], admin);
    counts.rollovers++;
    const archived = tab('SOL Tracker 2025–26');
    check(day, JSON.stringify(archived) === JSON.stringify(before.tracker), () => 'R the archived tracker is not the tracker as it was');
    check(day, tab('Register 2025–26').length === before.register && tab('Interventions Log 2025–26').length === before.log && tab('Letters Ledger 2025–26').length === before.ledger,
      () => 'R an archive tab is not the whole of its tab');
    const after = tab('SOL Tracker');
    const byId = new Map(after.slice(1).map((r) => [String(r[0]), r]));
    for (const s of moved) {
      const r = byId.get(s.studentId);
      check(day, r !== undefined && String(r[cYear!]).replace(/\D/g, '') === s.yearGroup && String(r[cGroup!]) === s.tutorGroup, () => `R ${s.studentId} is not in ${s.yearGroup} ${s.tutorGroup} on the new tracker`);
    }
    for (const s of joiners) check(day, byId.has(s.studentId), () => `R joiner ${s.studentId} is not on the new tracker`);
    const archivedIds = new Set(archived.slice(1).map((r) => String(r[0])));
    for (const s of school.students) check(day, byId.has(s.studentId) || archivedIds.has(s.studentId), () => `R ${s.studentId} is lost`);
    check(day, byId.size === nextRoster.length, () => `R the new tracker has ${byId.size} pupils, expected ${nextRoster.length}`);
    check(day, tab('Register').length === 1 && tab('Interventions Log').length === 1, () => 'R the Register or the Log did not start afresh');
    check(day, tab('Academic Years').length === 2, () => `R "Academic Years" has ${tab('Academic Years').length - 1} records, expected 1`);
    school = { ...school, students: nextRoster };
    log(`${day}: the 2026–27 year is started (${moved.length} moved up, ${joiners.length} joined)`);
  }

  function ledger(): Record<string, string>[] {
    const v = tab('Letters Ledger');
    if (v.length === 0) return [];
    const h = v[0]!.map(String);
    // Status as the ledger's state (the cell is in words: 'Sent', 'Left out'); the cell itself as StatusCell.
    return v.slice(1).map((r) => {
      const row = Object.fromEntries(h.map((k, i) => [k, String(r[i] ?? '')]));
      return { ...row, StatusCell: row.Status ?? '', Status: ledgerStatusOfCell(row.Status ?? '') ?? `?${row.Status}` };
    });
  }

  function checkDay(day: string, before: unknown[][], imported: boolean): void {
    registerNow = null;
    const after = trackerValues();
    const entries = ledger();
    const byKey = new Map<string, Record<string, string>>();
    for (const e of entries) {
      check(day, !byKey.has(e.Key!), () => `I2 ledger key ${e.Key} appears twice`);
      byKey.set(e.Key!, e);
      check(day, (Object.values(LEDGER_STATUS_CELL) as string[]).includes(e.StatusCell!), () => `I2 ledger ${e.Key} has status "${e.StatusCell}" (not in words)`);
      if (e.Status === 'skipped') check(day, (e.Reason ?? '').length > 0, () => `I2 left-out ${e.Key} has no reason`);
    }
    void LEDGER_HEADER;
    checkAdopted(day, byKey);
    const keyByRef = new Map([...byKey.keys()].map((k) => [letterReference(k), k]));
    // I1: Log letters are sent letters.
    const logValues = tab('Interventions Log');
    const logs = readInterventionsLog(logValues).byStudent;
    const sentKeysByStudent = new Map<string, number>();
    for (const e of entries) if (e.Status === 'sent') sentKeysByStudent.set(e['Student ID']!, (sentKeysByStudent.get(e['Student ID']!) ?? 0) + 1);
    for (let r = 1; r < logValues.length; r++) {
      const row = logValues[r]!;
      const notes = String(row[12] ?? '');
      // The row names its letter by the reference the family's email carries ('Ref L-3F9A2C1B.').
      const ref = /Ref (L-[0-9A-F]{8})\./.exec(notes)?.[1];
      const marker = ref ? keyByRef.get(ref) : /Ledger: (.+)$/.exec(notes)?.[1]?.trim();
      if (String(row[5]) === 'Letter' && String(row[6]) === 'Letter sent' && marker) {
        check(day, byKey.get(marker)?.Status === 'sent', () => `I1 Log row ${r + 1} records ${marker} as sent but the ledger says ${byKey.get(marker)?.Status}`);
      }
    }
    // I1: the Letters column says "sent" only for a pupil with a sent letter.
    for (let i = 1; i < after.length; i++) {
      const id = String(after[i]![cId]);
      const letters = String(after[i]![cLetters] ?? '');
      if (/\bsent\b/.test(letters) && !/0 of/.test(letters)) {
        const logged = (logs.get(id) ?? []).some(isLetterSent);
        check(day, (sentKeysByStudent.get(id) ?? 0) > 0 || logged, () => `I1 tracker row ${i + 1} (${id}) says "${letters}" with no letter sent`);
      }
    }
    // I2: one email per letter reference.
    const refs = new Map<string, number>();
    for (const m of emu.mail.outbox) {
      const ref = /Ref (L-[0-9A-F]{8})/.exec(m.body)?.[1];
      if (ref) refs.set(ref, (refs.get(ref) ?? 0) + 1);
    }
    for (const [ref, n] of refs) check(day, n === 1, () => `I2 letter ${ref} emailed ${n} times`);
    // I6: each weekly email's "N letters sent" for a year group counts the letters really sent that
    // week to its pupils' families (one per letter, however many parents it went to), from the Log.
    const cYearGroup = header.indexOf('Year Group');
    const yearOf = new Map(after.slice(1).map((r) => [String(r[cId]), String(r[cYearGroup] ?? '')]));
    for (; weeklySeen < emu.mail.outbox.length; weeklySeen++) {
      const m = emu.mail.outbox[weeklySeen]!;
      const monday = /weekly attendance/.test(m.subject) ? isoOfWeekWords(m.subject) : null;
      // A week of the year before the rollover is judged on its archived Log: not here.
      if (!monday || (counts.rollovers > 0 && monday <= lastDayOfYear)) continue;
      const sunday = addDays(monday, 6);
      const truth = new Map<string, Set<string>>();
      for (const [id, history] of logs) {
        for (const h of history) {
          // A letter adopted with no date in the school's sheet carries the day of adoption: not sent that week.
          if (!isLetterSent(h) || isAdoptedWithoutDate(h) || h.date < monday || h.date > sunday) continue;
          const label = yearGroupLabel(yearOf.get(id) ?? '');
          if (!truth.has(label)) truth.set(label, new Set());
          truth.get(label)!.add(h.letterKey ?? `${id}|${h.step}|${h.date}`);
        }
      }
      for (const line of m.body.matchAll(/^\s*(Year [^\n]+?) — [^\n]*?; (\d+) letters? sent;/gm)) {
        const expected = truth.get(line[1]!)?.size ?? 0;
        check(day, Number(line[2]) === expected, () => `I6 ${m.to}'s weekly report for the week of ${monday} says ${line[2]} letters sent in ${line[1]}, the Log has ${expected}`);
        counts.weeklyLetterCountsChecked++;
      }
    }
    // I7: the wording of each letter emailed since yesterday is true to the family's history.
    const entryByRef = new Map(entries.map((e) => [letterReference(e.Key!), e]));
    for (; mailSeen < emu.mail.outbox.length; mailSeen++) {
      const m = emu.mail.outbox[mailSeen]!;
      const ref = /Ref (L-[0-9A-F]{8})/.exec(m.body)?.[1];
      const entry = ref ? entryByRef.get(ref) : undefined;
      if (!entry || !m.attachments[0]) continue;
      const text = String(m.attachments[0].text ?? '');
      const id = entry['Student ID']!;
      const [, letterId, windowKey] = entry.Key!.split('|');
      const truth = letterConditions(logs.get(id) ?? [], { letterId: letterId!, windowKey: windowKey! }, day);
      checkWording(day, text, entry.Key!, id, letterId!, truth);
      counts.lettersWordingChecked++;
    }
    // I9: posted letters count as sent only once their pack is marked printed; I7 for their pages.
    const lettersCell = new Map(after.slice(1).map((r) => [String(r[cId]), String(r[cLetters] ?? '')]));
    for (const e of entries) {
      if (e.Recipient !== 'post' || (e.Status !== 'toPrint' && e.Status !== 'sent')) continue;
      const id = e['Student ID']!;
      const [, letterId, windowKey] = e.Key!.split('|');
      // The Log names a letter by its key without the recipient (one family, maybe two parents).
      const ofLetter = letterKeyOf(e.Key!);
      const rowsOfLetter = (logs.get(id) ?? []).filter((h) => h.letterKey === ofLetter && isLetterSent(h));
      // Another parent of the same letter emailed (sent) has its own Log row and Letters cell.
      const sentToo = entries.some((o) => o.Status === 'sent' && letterKeyOf(o.Key!) === ofLetter);
      if (e.Status === 'toPrint') {
        if (!sentToo) {
          check(day, rowsOfLetter.length === 0, () => `I9 posted ${e.Key} waits to be printed but the Log has it as sent`);
          const label = letterId!.replace(/^letter(\d)$/, 'Letter $1');
          check(day, !new RegExp(`${label} sent`).test(lettersCell.get(id) ?? ''), () => `I9 tracker says "${lettersCell.get(id)}" for ${id} while ${e.Key} waits to be printed`);
        }
      } else {
        check(day, rowsOfLetter.length >= 1, () => `I9 posted ${e.Key} marked printed has no Log letter row`);
      }
      if (postedChecked.has(e.Key!)) continue;
      postedChecked.add(e.Key!);
      const pages = emu.docs.withAppProperty(LETTER_REF_PROPERTY, letterReference(e.Key!)).filter((d) => !d.trashed);
      check(day, pages.length > 0, () => `I9 posted ${e.Key} has no page of its own in Drive`);
      if (pages.length === 0) continue;
      // Judged on the history before its pack was printed (the row written by "Mark printed" is its own).
      const history = (logs.get(id) ?? []).filter((h) => h.letterKey !== ofLetter);
      const truth = letterConditions(history, { letterId: letterId!, windowKey: windowKey! }, day);
      for (const page of pages) checkWording(day, page.paragraphs.join('\n'), e.Key!, id, letterId!, truth);
      counts.postedWordingChecked++;
    }
    // I3: no step rises without new marks; Step 7+ only after Step 6+ letter or meeting.
    const prior = new Map(before.slice(1).map((r) => [String(r[cId]), stepFromLabel(r[cStep]) ?? 0]));
    for (let i = 1; i < after.length; i++) {
      const id = String(after[i]![cId]);
      const step = stepFromLabel(after[i]![cStep]) ?? 0;
      // Without new marks only recorded history may raise a step: a meeting the parent missed today.
      const missedToday = (logs.get(id) ?? []).some((h) => h.date === day && /did not attend/i.test(String(h.outcome)));
      if (!imported && !missedToday) check(day, step <= (prior.get(id) ?? 0), () => `I3 ${id} rose from Step ${prior.get(id)} to ${step} with no new marks`);
      if (step >= 7) {
        const history = logs.get(id) ?? [];
        // A step's own action done at or above a step: a letter sent, a meeting held, a home visit, a referral.
        const doneAt = (min: number) => history.some((h) => h.step >= min && (isLetterSent(h) || isMeetingHeld(h) || h.method === 'Home visit' || h.method === 'Referral'));
        const missedMeeting = history.some((h) => h.step >= 5 && /did not attend/i.test(String(h.outcome)));
        // Step 7: after Letter 3 / AIM 2, or a missed meeting; Step 8+: after the step below's own action
        // (Step 9 also on the penalty-notice route after Letter 3 / AIM 2), never on a bare Log row.
        const supported = step === 7 ? doneAt(6) || missedMeeting : step === 9 ? doneAt(8) || history.some((h) => h.step >= 6 && (isLetterSent(h) || isMeetingHeld(h))) : doneAt(step - 1);
        check(day, supported, () => `I3 ${id} at Step ${step} without ${step === 7 ? 'a Step 6 letter or meeting, or a missed meeting,' : `a Step ${step - 1} action`} in the Log`);
      }
      // I3: "no improvement" is said only while attendance since the action is below the step's
      // concern, and the register shows it (issue 10: Letter 4 at 96.9% after a home visit).
      const why = String(after[i]![cWhy] ?? '');
      if (/no improvement/.test(why) && !noImprovementSeen.has(`${id}|${why}`)) {
        noImprovementSeen.add(`${id}|${why}`);
        checkNoImprovement(day, id, why);
      }
    }
    // I4: one figure (every few school days: it reads the whole register).
    if (imported && counts.imports % profile.figureEvery === 0) {
      const display = trackerDisplay();
      const reg = readRegisterSheet(tab('Register'));
      for (let i = 1; i < display.length; i++) {
        const id = String(after[i]![cId]);
        const stats = computeStats(reg.marksByStudent.get(id) ?? [], DFE_2024);
        const expected = formatPercentOf(stats.attended, stats.possible);
        check(day, display[i]![cPct] === expected, () => `I4 tracker shows ${display[i]![cPct]} for ${id}, the register gives ${expected}`);
      }
      const logDisplay = emu.direct(() => emu.spreadsheet.getSheetByName('Interventions Log')?.getDataRange().getDisplayValues() ?? []) as string[][];
      const shown = new Map(display.slice(1).map((r, i) => [String(after[i + 1]![cId]), r[cPct]]));
      for (let r = 1; r < logDisplay.length; r++) {
        const row = logDisplay[r]!;
        if (row[1] !== formatSchoolDate(day, 'dd/MM/yyyy') || row[LOG_ATTENDANCE_COLUMN - 1] === '') continue;
        check(day, row[LOG_ATTENDANCE_COLUMN - 1] === shown.get(row[2]!), () => `I4 Log row ${r + 1} shows ${row[LOG_ATTENDANCE_COLUMN - 1]} for ${row[2]}, the tracker ${shown.get(row[2]!)}`);
      }
    }
  }

  /** I3: each "no improvement" in a Why cell, checked against the Register: the figure since the action, below the concern. */
  function checkNoImprovement(day: string, id: string, why: string): void {
    const m = /\(action (\d{4}-\d\d-\d\d|\d\d\/\d\d\/\d{4}), review [^)]*\) passed with no improvement: attendance ([\d.]+%)(?: \(\d+ of \d+ sessions\))? on the (\d+) sessions since(?: \(below ([\d.]+)%\))?/.exec(why);
    check(day, m !== null, () => `I3 ${id}'s Why says "no improvement" without the figures since the action: ${why}`);
    if (!m) return;
    check(day, m[4] !== undefined, () => `I3 ${id} escalated for "no improvement" with no concern threshold: ${why}`);
    const action = m[1]!.includes('/') ? `${m[1]!.slice(6)}-${m[1]!.slice(3, 5)}-${m[1]!.slice(0, 2)}` : m[1]!;
    registerNow ??= readRegisterSheet(tab('Register'));
    const since = computeStats((registerNow.marksByStudent.get(id) ?? []).filter((mk) => mk.date > action && mk.date <= day), DFE_2024);
    check(day, since.possible === Number(m[3]) && formatPercentOf(since.attended, since.possible) === m[2], () => `I3 ${id}: Why says ${m[2]} on ${m[3]} sessions since ${action}, the register gives ${formatPercentOf(since.attended, since.possible)} on ${since.possible}`);
    if (m[4] !== undefined) {
      check(day, since.attended * 1000 < Math.round(Number(m[4]) * 10) * since.possible, () => `I3 ${id}: "no improvement" at ${formatPercentOf(since.attended, since.possible)} since ${action}, not below ${m[4]}%`);
      const year = computeStats((registerNow.marksByStudent.get(id) ?? []).filter((mk) => mk.date <= day), DFE_2024);
      check(day, year.attended * 1000 < Math.round(Number(m[4]) * 10) * year.possible, () => `I3 ${id}: "no improvement" at ${formatPercentOf(year.attended, year.possible)} overall, not below ${m[4]}%`);
    }
    counts.noImprovementChecked++;
  }

  /**
   * B: a letter the family already had in an earlier term is planned again only while its step's
   * condition holds: attendance below the step's threshold, or its own "no improvement" (Why).
   */
  function checkRepeats(day: string, plan: LetterPlan): void {
    registerNow = null;
    const logs = readInterventionsLog(tab('Interventions Log')).byStudent;
    const rows = trackerValues();
    const whyOf = new Map(rows.slice(1).map((r) => [String(r[cId]), String(r[cWhy] ?? '')]));
    const threshold: Record<string, number | undefined> = { letter1: 95, letter2: 93, letter3: 90 };
    for (const item of plan.items) {
      if (item.status !== 'planned') continue;
      const [, letterId, windowKey] = item.key.split('|');
      const earlier = (logs.get(item.studentId) ?? []).some((h) => isLetterSent(h) && h.letterKey?.split('|')[1] === letterId && h.letterKey?.split('|')[2] !== windowKey);
      if (!earlier) continue;
      counts.repeatLettersPlanned++;
      registerNow ??= readRegisterSheet(tab('Register'));
      const stats = computeStats(registerNow.marksByStudent.get(item.studentId) ?? [], DFE_2024);
      const t = threshold[letterId!];
      const below = t !== undefined && stats.attended * 1000 < t * 10 * stats.possible;
      const why = whyOf.get(item.studentId) ?? '';
      check(day, below || /no improvement|did not attend|penalty-notice/.test(why), () => `B ${item.key} planned again at ${formatPercentOf(stats.attended, stats.possible)} (had it in an earlier term; ${why})`);
    }
  }

  /** I7: a letter's words claim an earlier letter / a meeting only when that history exists, and use it when it does. */
  function checkWording(day: string, text: string, key: string, id: string, letterId: string, truth: ReturnType<typeof letterConditions>): void {
    const claimsLetter = /We wrote to you recently|We have written to you|Hace poco le escribimos|Le hemos escrito|Ya le hemos escrito/.test(text);
    const claimsMeeting = /since our last meeting|met with you|desde la última reunión|nos hemos reunido/.test(text);
    check(day, !claimsLetter || truth['Earlier letter'], () => `I7 ${key} claims an earlier letter, but none was sent to ${id}`);
    check(day, !claimsMeeting || truth['Meeting held'], () => `I7 ${key} claims a meeting, but none was held with ${id}'s family`);
    if (/^letter[24]$/.test(letterId)) check(day, claimsLetter === truth['Earlier letter'], () => `I7 ${key}: an earlier letter ${truth['Earlier letter'] ? 'was' : 'was not'} sent, but the wording says otherwise`);
    if (letterId === 'letter3') check(day, claimsMeeting === truth['Meeting held'], () => `I7 ${key}: a meeting ${truth['Meeting held'] ? 'was' : 'was not'} held, but the wording says otherwise`);
  }

  function checkWeekly(): void {
    const weekly = emu.mail.outbox.filter((m) => /weekly attendance/.test(m.subject));
    const weekOf = (d: string) => addDays(d, -((weekday(d) + 6) % 7));
    const schoolWeeks = new Set(yearDays.filter((d) => d >= profile.from && d <= profile.to).map(weekOf));
    // Reports go on the Monday after the week; the week of `to` is reported after the simulation.
    const lastReported = weekOf(addDays(profile.to, -6));
    for (const h of hoys) {
      const mine = weekly.filter((m) => m.to.toLowerCase().includes(h.email.toLowerCase()));
      // Subjects name the week in words ('week of 8 Dec 2025'): back to its ISO label to compare.
      const labels = mine.map((m) => {
        const monday = isoOfWeekWords(m.subject);
        return monday ? isoWeek(monday) : '?';
      });
      for (const week of schoolWeeks) {
        if (week >= lastReported || week < weekOf(profile.from)) continue;
        const label = isoWeek(week);
        const n = labels.filter((l) => l === label).length;
        check(profile.to, n === 1, () => `I6 ${h.email} got ${n} weekly reports for ${label}`);
      }
      for (const l of labels) {
        const monday = [...schoolWeeks].find((w) => isoWeek(w) === l);
        check(profile.to, monday !== undefined, () => `I6 ${h.email} got a weekly report for ${l}, a week with no school day`);
      }
    }
  }
}

/** A ledger key (student|letter|window|recipient) without its recipient: the letter's key in the Log. */
const letterKeyOf = (ledgerKey: string) => ledgerKey.split('|').slice(0, 3).join('|');

/** The history columns a school kept in its own tracker before the add-on (IA). */
export const ADOPTION_HEADERS = ['Intervention', 'Letter 1', 'Letter 2', 'AIM 1'] as const;

/**
 * What the school's own tracker records on the day it adopts the add-on, for its persistent and
 * severe absentees: AIM 2 reached (after Letter 1, Letter 2 and AIM 1, dated), Letter 1 and often
 * Letter 2 sent (some this term), a step written as a number, a tick without a date, and one cell
 * nobody can read ("sent?": asked, never guessed). Dates in the school's format, school days before.
 */
function schoolsOwnHistory(school: SampleSchool, before: readonly string[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  // A date typed in a UK sheet is a date value (the emulator parses typed text as en_US would, so
  // "07/01/2026" would become 1 July): letters as text in the school's format when unambiguous, as
  // the date a person typed otherwise, meetings always as dates.
  const isoAgo = (n: number) => before[Math.max(0, before.length - n)]!;
  const asDate = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)), 12));
  const ago = (n: number): unknown => (Number(isoAgo(n).slice(8, 10)) > 12 ? formatSchoolDate(isoAgo(n), 'dd/MM/yyyy') : asDate(isoAgo(n)));
  const meetingAgo = (n: number) => asDate(isoAgo(n));
  let question = false;
  let tick = false;
  school.students.forEach((s, i) => {
    const r = (i * 7919) % 100; // the same groups as yearMarks: 90+ persistent, 97+ severe
    const cells: Record<string, unknown> = {};
    if (r >= 97) Object.assign(cells, { Intervention: 'AIM 2', 'Letter 1': ago(45), 'Letter 2': ago(30), 'AIM 1': meetingAgo(18) });
    else if (r >= 93) Object.assign(cells, { 'Letter 1': ago(12), ...(i % 2 === 1 ? { 'Letter 2': ago(3) } : {}) });
    else if (r >= 90) Object.assign(cells, { Intervention: '3' });
    else if (r < 70 && !question) { cells['Letter 1'] = 'sent?'; question = true; }
    else if (r >= 70 && r < 80 && !tick) { cells['Letter 1'] = 'Yes'; tick = true; }
    if (Object.keys(cells).length > 0) out.set(s.studentId, cells);
  });
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'week of 8 Dec 2025' (anywhere in a text) → '2025-12-08'. */
function isoOfWeekWords(text: string): string | null {
  const m = /week of (\d{1,2}) ([A-Z][a-z]{2}) (\d{4})/.exec(text);
  if (!m || !MONTHS.includes(m[2]!)) return null;
  return `${m[3]}-${String(MONTHS.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

function isoWeek(monday: string): string {
  const d = new Date(`${monday}T12:00:00Z`);
  const thursday = new Date(d.getTime() + 3 * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
