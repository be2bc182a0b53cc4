/**
 * The new academic year (issue 11 point 5): RPCs previewRollover and applyRollover. Service calls
 * only — every decision (which year closes, who moves, who leaves, what resets, what the new tracker
 * holds) is core/rollover.ts.
 *
 * Fault-safe and retriable: a journal in a document property (only the add-on writes it) records
 * the rollover once it starts and each step once it is complete. Every step is safe to redo: an
 * archive tab left half-written by a fault is deleted and copied again from its source, which is not
 * touched until every archive is complete; the new tracker is computed from the archived copy of the
 * old one, never from the half-changed live tab; emptying a tab twice empties it once. Pressing the
 * button again (the same request key, or the sidebar reopened) continues where it stopped, and a
 * finished rollover answers with what it did instead of doing it twice.
 */
import { calendarFor } from '../core/schoolModel';
import { resolveActivePolicy } from '../core/activePolicy';
import {
  archiveName,
  describeRollover,
  fnv,
  planRollover,
  planToken,
  readNewYearExport,
  rolloverTiming,
  yearLabel,
  type RolloverPlan,
  type RolloverTiming,
} from '../core/rollover';
import { REGISTER_ID_HEADER } from '../core/register/registerSheet';
import { asSheetText } from '../core/sanitise';
import type { ApplyRolloverRequest, RolloverPreview, RolloverRequest, RolloverResult } from '../rpcTypes';
import { timestampIso, todayIso } from './clock';
import { markTrackerChanged } from './dataVersion';
import { ensureRows } from './grow';
import { withDocumentLock } from './lock';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { findTrackerSheet, getSpreadsheet, trackerColumns } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Document property: the rollover journal (JSON Journal). */
export const ROLLOVER_KEY = 'sol.rollover';
/** One row per new year started: when, who, what (the rollover's own record). */
export const YEARS_TAB = 'Academic Years';
const YEARS_HEADER = ['Started', 'By', 'Year closed', 'Archived to', 'Moved up', 'Left', 'Joined', 'Request'];
/** The year's tabs that are archived then emptied (the tracker is archived first, then rewritten). */
const YEAR_TABS = [SHEET_NAMES.register, SHEET_NAMES.log, SHEET_NAMES.ledger, SHEET_NAMES.amendments] as const;
/** Document properties of the year that start again: the weekly report's "new since last time", the letter run. */
const YEAR_PROPERTY_PREFIXES = ['sol.weeklySnapshot', PROPERTY_KEYS.letterRun];

/** A value written back as it was read: text stays text (never a formula), numbers and dates as they are. */
const asCell = (v: unknown): unknown => (typeof v === 'string' ? asSheetText(v) : v);

interface Journal {
  v: 1;
  year: number;
  key: string;
  token: string;
  exportHash: string | null;
  fileName: string | null;
  leavingYearGroup: string | null;
  done: string[];
  complete: boolean;
  startedAt: string;
  by: string;
  message: string | null;
}

function readJournal(): Journal | null {
  const raw = PropertiesService.getDocumentProperties().getProperty(ROLLOVER_KEY);
  if (!raw) return null;
  try {
    const j = JSON.parse(raw) as Journal;
    return j && j.v === 1 && Array.isArray(j.done) ? j : null;
  } catch {
    return null;
  }
}

function writeJournal(j: Journal): void {
  PropertiesService.getDocumentProperties().setProperty(ROLLOVER_KEY, JSON.stringify(j));
}

interface Context {
  ss: Spreadsheet;
  tracker: Sheet;
  timing: RolloverTiming | { problem: string };
  today: string;
}

function context(ss: Spreadsheet): Context & { email: string } {
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'setup');
  const tracker = findTrackerSheet(ss);
  if (!tracker) throw new Error(`No tracker tab found: run SOL Tracker ▸ Set up… first.`);
  const today = todayIso(ss);
  const own = (loaded.settings.calendar ?? []).some((e) => e.kind === 'Term');
  const calendar = calendarFor(loaded.settings, resolveActivePolicy(loaded.settings).table, today);
  return { ss, tracker, timing: rolloverTiming(calendar, own, today), today, email: actor.email };
}

/** The tabs archived, the tracker first, with their sizes (one getLastRow each). */
function yearTabs(ss: Spreadsheet, tracker: Sheet): { name: string; sheet: Sheet; rows: number }[] {
  const out = [{ name: tracker.getName(), sheet: tracker, rows: tracker.getLastRow() }];
  for (const name of YEAR_TABS) {
    const sheet = ss.getSheetByName(name);
    if (sheet) out.push({ name, sheet, rows: sheet.getLastRow() });
  }
  return out;
}

function exportOf(req: RolloverRequest) {
  const text = typeof req?.exportCsv === 'string' && req.exportCsv.trim() !== '' ? req.exportCsv : null;
  if (text === null) return null;
  const fileName = typeof req.fileName === 'string' && req.fileName.trim() ? req.fileName.trim().slice(0, 120) : 'the export';
  return { text, fileName, hash: fnv(text), ...readNewYearExport(text, fileName) };
}

/**
 * The plan: from the archived tracker once it is archived (so a retry after a fault plans exactly
 * what was previewed), from the live tracker before.
 */
function planFor(c: Context, year: number, req: RolloverRequest, journal: Journal | null): { plan: RolloverPlan; problems: string[] } {
  const exp = exportOf(req);
  if (exp && exp.problems.length > 0) return { plan: null as unknown as RolloverPlan, problems: exp.problems.slice(0, 20) };
  const tabs = yearTabs(c.ss, c.tracker);
  const trackerArchive = archiveName(c.tracker.getName(), year);
  const resuming = journal !== null && !journal.complete && journal.year === year;
  const fromArchive = resuming && journal.done.includes(`archive:${c.tracker.getName()}`);
  const source = fromArchive ? c.ss.getSheetByName(trackerArchive) : c.tracker;
  if (!source) throw new Error(`The archived tracker "${trackerArchive}" is missing: the new year was half started. Ask the person who started it; nothing more was changed.`);
  const values = source.getDataRange().getValues() as unknown[][];
  const columns = trackerColumns(values[0] ?? []);
  const leaving = typeof req?.leavingYearGroup === 'string' && req.leavingYearGroup.trim() ? req.leavingYearGroup.trim().slice(0, 20) : null;
  const plan = planRollover({
    trackerValues: values,
    mapping: columns.mapping,
    closingYear: year,
    leavingYearGroup: leaving,
    newExport: exp ? exp.pupils : null,
    tabs: tabs.map((t, i) => ({ name: t.name, rows: i === 0 && fromArchive ? values.length : t.rows })),
  });
  const problems: string[] = [];
  if (!resuming) {
    for (const a of plan.archives) if (c.ss.getSheetByName(a.to)) problems.push(`A tab named "${a.to}" already exists: rename or remove it first, so last year's archive can be made.`);
  }
  if (plan.newTracker.length < 2) problems.push('No pupil would be left on the tracker: check the export (or the leaving year group) before starting the new year.');
  return { plan, problems };
}

function words(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function previewOf(c: Context, req: RolloverRequest): RolloverPreview {
  const journal = readJournal();
  const empty: RolloverPreview = { ok: false, problems: [], closingYear: null, nextStart: null, lines: [], archives: [], moves: [], movesCount: 0, leavers: [], leaversCount: 0, joiners: [], joinersCount: 0, token: null, inProgress: null, done: null };
  if ('problem' in c.timing) {
    // A finished rollover of the year that just closed explains itself rather than "no year to close".
    if (journal?.complete) return { ...empty, done: journal.message, problems: [c.timing.problem] };
    return { ...empty, problems: [c.timing.problem] };
  }
  const year = c.timing.closingYear;
  if (journal?.complete && journal.year === year) return { ...empty, closingYear: yearLabel(year), done: journal.message, problems: [`The ${yearLabel(year + 1)} year has already been started.`] };
  const inProgress = journal && !journal.complete && journal.year === year ? journal : null;
  const { plan, problems } = planFor(c, year, req, inProgress);
  if (!plan) return { ...empty, closingYear: yearLabel(year), problems };
  const leaversShown = plan.leavers.slice(0, 400);
  return {
    ok: problems.length === 0,
    problems,
    closingYear: yearLabel(year),
    nextStart: c.timing.nextStart,
    lines: describeRollover(plan, c.timing),
    archives: plan.archives,
    moves: plan.moves.slice(0, 60).map((m) => ({ name: m.name, fromYear: m.fromYear, toYear: m.toYear, fromGroup: m.fromGroup, toGroup: m.toGroup })),
    movesCount: plan.moves.length,
    leavers: leaversShown.map((l) => ({ name: l.name, yearGroup: l.yearGroup, why: l.why })),
    leaversCount: plan.leavers.length,
    joiners: plan.joiners.slice(0, 60).map((j) => ({ name: j.name, yearGroup: j.yearGroup, tutorGroup: j.tutorGroup })),
    joinersCount: plan.joiners.length,
    token: planToken(plan),
    inProgress: inProgress
      ? `Starting the new year stopped part-way on ${inProgress.startedAt.slice(0, 10)} (${words(inProgress.done.length, 'step')} done). Press “Start the new year” to finish it: nothing is lost and nothing is done twice.`
      : null,
    done: null,
  };
}

/** RPC previewRollover: every change the new year would make, in words and lists. Writes nothing. */
export function previewRollover(req: RolloverRequest = {}): RolloverPreview {
  return previewOf(context(getSpreadsheet()), req ?? {});
}

/** Copies a tab to its archive tab, whole (one read, one write); a half-made archive is made again. */
function archiveTab(ss: Spreadsheet, source: Sheet, to: string): void {
  const stale = ss.getSheetByName(to);
  if (stale) ss.deleteSheet(stale);
  const values = source.getDataRange().getValues();
  const sheet = ss.insertSheet(to, ss.getNumSheets());
  const width = Math.max(1, values[0]?.length ?? 1);
  ensureRows(sheet, values.length, width);
  if (values.length > 0 && width > 0) sheet.getRange(1, 1, values.length, width).setValues(values.map((row) => row.map(asCell)));
}

/** Empties a tab below its header row (the Register: everything but "Student ID"). */
function emptyTab(sheet: Sheet, name: string): void {
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  if (name === SHEET_NAMES.register) {
    if (lastRow > 0 && lastColumn > 0) sheet.getRange(1, 1, lastRow, lastColumn).clearContent();
    sheet.getRange(1, 1).setValue(REGISTER_ID_HEADER);
  } else if (lastRow > 1 && lastColumn > 0) {
    sheet.getRange(2, 1, lastRow - 1, lastColumn).clearContent();
  }
}

/** Writes the new tracker whole, then empties the rows below it (leavers gone) and the old colours. */
function writeTracker(tracker: Sheet, plan: RolloverPlan): void {
  const rows = plan.newTracker;
  const width = rows[0]!.length;
  const before = tracker.getLastRow();
  ensureRows(tracker, rows.length, width);
  tracker.getRange(1, 1, rows.length, width).setValues(rows.map((r) => r.map(asCell)));
  if (before > rows.length) tracker.getRange(rows.length + 1, 1, before - rows.length, width).clearContent();
  // The step colours belonged to last year's steps; the next Recalculate colours the new year.
  const colouredRows = Math.max(before, rows.length) - 1;
  if (colouredRows > 0) tracker.getRange(2, 1, colouredRows, width).setBackground(null);
}

function recordYear(ss: Spreadsheet, j: Journal, plan: RolloverPlan): void {
  const sheet = ss.getSheetByName(YEARS_TAB) ?? ss.insertSheet(YEARS_TAB, ss.getNumSheets());
  // A tab made by a run that stopped before its header was written gets it now.
  if (sheet.getLastRow() === 0) sheet.getRange(1, 1, 1, YEARS_HEADER.length).setValues([YEARS_HEADER]);
  const last = sheet.getLastRow();
  if (last > 1) {
    const keys = sheet.getRange(2, YEARS_HEADER.length, last - 1, 1).getValues().map((r) => String(r[0]));
    if (keys.includes(j.key)) return; // recorded before a fault stopped the run: not twice
  }
  ensureRows(sheet, last + 1, YEARS_HEADER.length);
  sheet.getRange(last + 1, 1, 1, YEARS_HEADER.length).setValues([[
    j.startedAt.replace('T', ' ').slice(0, 16), j.by, yearLabel(j.year), plan.archives.map((a) => a.to).join(', '),
    plan.moves.length, plan.leavers.length, plan.joiners.length, j.key,
  ].map(asCell)]);
}

function resultMessage(j: Journal, plan: RolloverPlan, timing: RolloverTiming): string {
  return `The ${yearLabel(j.year + 1)} year is ready (first day ${timing.nextStart}): last year is kept on ${words(plan.archives.length, 'archive tab')} (${plan.archives.map((a) => `"${a.to}"`).join(', ')}); ${words(plan.moves.length, 'pupil')} moved up, ${words(plan.leavers.length, 'leaver')} left the tracker${plan.joiners.length ? `, ${words(plan.joiners.length, 'pupil')} joined` : ''}. Import the register when term starts.`;
}

/**
 * RPC applyRollover: starts the new year as previewed (the token must match what the preview
 * showed). Safe to press again after any failure: it finishes the same rollover.
 */
export function applyRollover(req: ApplyRolloverRequest): RolloverResult {
  const ss = getSpreadsheet();
  const c = context(ss);
  const r = (req ?? {}) as ApplyRolloverRequest;
  const key = typeof r.requestKey === 'string' && /^[A-Za-z0-9_-]{6,64}$/.test(r.requestKey) ? r.requestKey : null;
  if (!key) throw new Error('Starting the new year needs the preview first: press “Check the new year”, then start it.');
  return withDocumentLock(() => {
    let journal = readJournal();
    if (journal?.complete && journal.key === key) return { ok: true, message: journal.message ?? 'The new year was already started.' };
    if ('problem' in c.timing) throw new Error(c.timing.problem);
    const year = c.timing.closingYear;
    if (journal?.complete && journal.year === year) throw new Error(`The ${yearLabel(year + 1)} year has already been started (${journal.message ?? ''}). Nothing was changed.`);
    if (journal && (journal.complete || journal.year !== year)) journal = null; // an older year's record
    const exp = exportOf(r);
    if (journal) {
      if ((exp?.hash ?? null) !== journal.exportHash) {
        throw new Error(journal.exportHash ? `The new year was half started with the export "${journal.fileName}": choose that same file and press again to finish it. Nothing more was changed.` : 'The new year was half started without an export file: remove the file and press again to finish it. Nothing more was changed.');
      }
      r.leavingYearGroup = journal.leavingYearGroup ?? undefined;
    }
    const { plan, problems } = planFor(c, year, r, journal);
    if (problems.length > 0) throw new Error(`The new year was not started: ${problems.join(' ')}`);
    if (planToken(plan) !== r.token) throw new Error('The tracker changed since the preview: press “Check the new year” again, check the changes, then start it. Nothing was changed.');
    if (!journal) {
      journal = {
        v: 1, year, key, token: r.token, exportHash: exp?.hash ?? null, fileName: exp?.fileName ?? null,
        leavingYearGroup: typeof r.leavingYearGroup === 'string' && r.leavingYearGroup.trim() ? r.leavingYearGroup.trim().slice(0, 20) : null,
        done: [], complete: false, startedAt: timestampIso(ss), by: c.email, message: null,
      };
      writeJournal(journal); // before anything is written: from here a retry continues this rollover
    }
    const j = journal;
    const step = (name: string, fn: () => void) => {
      if (j.done.includes(name)) return;
      fn();
      j.done.push(name);
      writeJournal(j);
    };
    // 1. Archive every tab of the year (the tracker first); the sources are not touched yet.
    const tabs = yearTabs(ss, c.tracker);
    for (const t of tabs) step(`archive:${t.name}`, () => archiveTab(ss, t.sheet, archiveName(t.name, year)));
    // 2. The new tracker, from the archived copy of the old one.
    step('tracker', () => writeTracker(c.tracker, plan));
    // 3. The year's tabs start afresh.
    for (const t of tabs.slice(1)) step(`empty:${t.name}`, () => emptyTab(t.sheet, t.name));
    // 4. What the add-on remembers of the year.
    step('state', () => {
      const props = PropertiesService.getDocumentProperties();
      for (const k of props.getKeys()) if (YEAR_PROPERTY_PREFIXES.some((p) => k === p || k.startsWith(`${p}.`))) props.deleteProperty(k);
      markTrackerChanged(ss);
    });
    // 5. The record of it.
    step('record', () => recordYear(ss, j, plan));
    j.complete = true;
    j.message = resultMessage(j, plan, c.timing as RolloverTiming);
    writeJournal(j);
    console.log(j.message);
    return { ok: true, message: j.message };
  }, 30000);
}
