/**
 * The weekly meeting report on a time-driven trigger (seed 002: each Head of Year meets the
 * Attendance Officer weekly; seed 003: weekly class statistics for assemblies).
 *
 * Trigger design (semantics T1.9: an add-on may have ONE trigger of each type per user per
 * document, and time-driven triggers at most hourly). A weekly `onWeekDay().atHour()` trigger
 * leaves no room for a one-off retry trigger (it would be a second clock trigger), so the schedule
 * is ONE `everyHours(1)` trigger whose handler decides, from the school's wall clock, whether this
 * hour is due (core/report/weekly.ts `weeklyDecision`): the scheduled day and hour has passed and
 * that week is not yet sent — which also catches up an hour Google skipped — or a failed week's
 * single retry is due an hour later. An hour that is not due reads one user property and returns
 * (a few milliseconds; 168 runs a week are far inside the 90 min/day trigger quota).
 *
 * Time-driven triggers have no active document (engineering §1.4), so scheduling stores the
 * spreadsheet ID and the schedule in user properties keyed by the trigger's unique ID (that is
 * what the handler can always read, as the trigger's creator) and in document properties (what
 * every staff member's sidebar reads). The per-week state (which recipients were sent) lives in
 * document properties; where a trigger cannot reach them it is mirrored in the creator's user
 * properties, and readers merge both copies, so nobody gets the same week twice.
 */
import * as z from 'zod/mini';
import { can } from '../core/roles';
import {
  attendanceBands,
  buildWeeklyReport,
  decodeSnapshot,
  encodeSnapshot,
  EMPTY_WEEKLY_STATE,
  lettersInWeek,
  MAX_HOLIDAY_CATCH_UPS,
  stateForNewWeek,
  mergeWeeklyStates,
  snapshotOf,
  weeklyDecision,
  weekToReport,
  type PreviousReport,
  type ReportWeek,
  type WallHour,
  type WeeklyReport,
  type WeeklyState,
} from '../core/report/weekly';
import { dateText, renderWeeklyEmail } from '../core/report/weeklyHtml';
import { recipientsFor, reportWeekFor } from '../core/report/recipients';
import { weeklyReportSheetValues, WEEKLY_SHEET_COLUMNS } from '../core/report/weeklySheet';
import { addCalendarDays, schoolWeeks, type SchoolCalendar } from '../core/calendar';
import { asSheetText, outboundText } from '../core/sanitise';
import { WEEK_DAYS, type WeekDayName } from '../core/settings';
import type { WeeklyRunResponse, WeeklySchedule, WeeklyStatus } from '../rpcTypes';
import { timestampIso, todayIso } from './clock';
import { LeaseBusyError, withDocumentLock, withSpreadsheetLease } from './lock';
import { recalculateWithin } from './recalc';
import type { SchoolModel } from '../core/schoolModel';
import { loadSchool } from './schoolData';
import { activeUserEmail, actorOf, authorise } from './session';
import { loadSettings } from './settingsStore';
import { ensureRows } from './grow';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';
import { noteTriggerContext } from './selfCheck';
import { RecordTooLargeError, recordText, saveRecord } from './chunkedProperty';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Properties = GoogleAppsScript.Properties.Properties;

/** The last of a week's school days, or null for a week with none. */
function lastSchoolDayOf(days: readonly string[]): string | null {
  return days.length > 0 ? days[days.length - 1]! : null;
}

export const WEEKLY_HANDLER = 'weeklyReportTrigger';
/** Document property: the schedule in force for this document (JSON ScheduleRecord). */
export const WEEKLY_SCHEDULE_KEY = 'sol.weeklySchedule';
/** User property prefix: one ScheduleRecord per trigger unique ID. */
export const TRIGGER_RECORD_PREFIX = 'sol.weeklyTrigger.';
/** User property prefix: the creator's mirror of the week state, per spreadsheet ID. */
const USER_STATE_PREFIX = 'sol.weeklyState.';
/** Document property the register import may set (ISO timestamp of the last import); shown as "data used". */
export const REGISTER_IMPORTED_AT_KEY = 'sol.registerImportedAt';

export interface ScheduleRecord {
  spreadsheetId: string;
  day: WeekDayName;
  hour: number;
  timeZone: string;
  /** Email of the member of staff whose trigger it is: the trigger runs as them (T1.8). */
  owner: string;
  triggerUid: string;
  /** School wall clock when scheduled: slots before it are never reported. */
  scheduledAt: WallHour;
  scheduledAtIso: string;
}

export interface WeeklyStatusDetail extends WeeklyStatus {
  /** Whose trigger sends the report (it stops if their account is suspended or deleted). */
  owner: string | null;
  /** The week being sent or last sent, and who has had it. */
  week: string | null;
  recipientsSent: string[];
  complete: boolean;
  /**
   * Emails a run stopped while sending (claimed, never confirmed): they are not sent again by
   * themselves, so nobody gets two; a person looks in the Sent folder and settles each
   * (resolveWeeklyUnknown).
   */
  unconfirmed: { email: string; week: string }[];
}

// ------------------------------------------------------------------------------ properties

function documentProperties(): Properties | null {
  try {
    return PropertiesService.getDocumentProperties();
  } catch {
    return null; // no containing document (a time-driven trigger may have none)
  }
}

function parseJson<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function readState(spreadsheetId: string): WeeklyState {
  const doc = documentProperties();
  const user = PropertiesService.getUserProperties();
  return mergeWeeklyStates([
    parseJson<WeeklyState>(doc?.getProperty(PROPERTY_KEYS.weeklyState) ?? null),
    parseJson<WeeklyState>(user.getProperty(USER_STATE_PREFIX + spreadsheetId)),
  ]);
}

function writeState(spreadsheetId: string, state: WeeklyState): void {
  const json = JSON.stringify(state);
  const doc = documentProperties();
  if (doc) doc.setProperty(PROPERTY_KEYS.weeklyState, json);
  PropertiesService.getUserProperties().setProperty(USER_STATE_PREFIX + spreadsheetId, json);
}

/** Why a trigger without its document sends nothing (SOL Tracker ▸ Check this installation tells whether Google gives it). */
export const NO_DOCUMENT_MESSAGE = "Google ran the hourly trigger without this spreadsheet's own settings (its document properties), so the staff list and roles could not be read and nothing was sent. Send this week's report with Weekly report now in the sidebar; SOL Tracker ▸ Check this installation says whether Google gives the trigger its spreadsheet";

/** Marks a recipient claimed before the send and not yet confirmed after it. */
const UNCONFIRMED = 'unconfirmed:';

function logLine(message: string): void {
  if (typeof Logger !== 'undefined') Logger.log(message);
  else console.log(message);
}

// ------------------------------------------------------------------------------ wall clock

function wallHour(timeZone: string, now: Date): WallHour {
  const [date, hour] = Utilities.formatDate(now, timeZone, 'yyyy-MM-dd HH').split(' ');
  return { date: date!, hour: Number(hour) };
}

// ------------------------------------------------------------------------------ triggers

/** This user's weekly triggers for this document (getUserTriggers, plus records naming it). */
function myWeeklyTriggers(ss: Spreadsheet, userProps: Properties): GoogleAppsScript.Script.Trigger[] {
  const id = ss.getId();
  const found = new Map<string, GoogleAppsScript.Script.Trigger>();
  let inFile: GoogleAppsScript.Script.Trigger[] = [];
  try {
    inFile = ScriptApp.getUserTriggers(ss);
  } catch {
    inFile = [];
  }
  for (const t of inFile) if (t.getHandlerFunction() === WEEKLY_HANDLER) found.set(t.getUniqueId(), t);
  for (const t of ScriptApp.getProjectTriggers()) {
    if (t.getHandlerFunction() !== WEEKLY_HANDLER) continue;
    const record = parseJson<ScheduleRecord>(userProps.getProperty(TRIGGER_RECORD_PREFIX + t.getUniqueId()));
    // No record at all: a leftover of this add-on that cannot name another file; it goes too.
    if (!record || record.spreadsheetId === id) found.set(t.getUniqueId(), t);
  }
  return [...found.values()];
}

function deleteTriggers(triggers: GoogleAppsScript.Script.Trigger[], userProps: Properties): void {
  for (const t of triggers) {
    userProps.deleteProperty(TRIGGER_RECORD_PREFIX + t.getUniqueId());
    ScriptApp.deleteTrigger(t);
  }
}

const ScheduleSchema = z.object({
  day: z.enum(WEEK_DAYS),
  hour: z.number().check(z.int(), z.gte(0), z.lte(23)),
});

function parseScheduleRequest(req: unknown): WeeklySchedule {
  const parsed = ScheduleSchema.safeParse(req);
  if (parsed.success) return parsed.data;
  const r = (req ?? {}) as { day?: unknown; hour?: unknown };
  const problems: string[] = [];
  if (!(WEEK_DAYS as readonly unknown[]).includes(r.day)) problems.push(`the day ${JSON.stringify(r.day)} must be one of ${WEEK_DAYS.join(', ')}`);
  if (!(typeof r.hour === 'number' && Number.isInteger(r.hour) && r.hour >= 0 && r.hour <= 23)) problems.push(`the hour ${JSON.stringify(r.hour)} must be a whole hour from 0 to 23`);
  throw new Error(`Cannot schedule the weekly report: ${problems.join('; ') || 'the request must be { day, hour }'}.`);
}

// ------------------------------------------------------------------------------ RPCs

function statusFor(ss: Spreadsheet): WeeklyStatusDetail {
  const id = ss.getId();
  const doc = documentProperties();
  const userProps = PropertiesService.getUserProperties();
  let schedule = parseJson<ScheduleRecord>(doc?.getProperty(WEEKLY_SCHEDULE_KEY) ?? null);
  if (!schedule) {
    // No document copy (e.g. properties unavailable): this user's own record for this file.
    for (const t of myWeeklyTriggers(ss, userProps)) {
      const record = parseJson<ScheduleRecord>(userProps.getProperty(TRIGGER_RECORD_PREFIX + t.getUniqueId()));
      if (record) schedule = record;
    }
  }
  const state = readState(id);
  return {
    schedule: schedule ? { day: schedule.day, hour: schedule.hour } : null,
    lastRun: state.lastRun,
    owner: schedule?.owner ?? null,
    week: state.week,
    recipientsSent: state.recipientsSent.map((k) => k.replace(UNCONFIRMED, "")),
    complete: state.complete,
    unconfirmed: state.recipientsSent.filter((k) => k.startsWith(UNCONFIRMED)).map((k) => ({ email: k.slice(UNCONFIRMED.length).split('|')[0]!, week: state.week ?? '' })),
  };
}

/**
 * RPC resolveWeeklyUnknown (AO, AL, Admin): a person's decision about a weekly email a run stopped
 * while sending — 'markSent' (it is in the Sent folder of the account that runs the report) or
 * 'resend' (it is not: the next run, or Weekly report now, sends it once). Pressing it again
 * after it went through changes nothing.
 */
export function resolveWeeklyUnknown(request: { email?: unknown; decision?: unknown }): WeeklyStatusDetail {
  const email = typeof request?.email === 'string' ? request.email.trim().toLowerCase() : '';
  const decision = request?.decision;
  if (!email || email.length > 254) throw new Error('Choose the email (the person) the weekly report may not have reached.');
  if (decision !== 'markSent' && decision !== 'resend') throw new Error('Say whether the weekly email was sent (it is in the Sent folder) or should be sent again.');
  const ss = getSpreadsheet();
  authorise(loadSettings(ss).settings, 'scheduleReport');
  return withDocumentLock(() => {
    const state = readState(ss.getId());
    const claimed = state.recipientsSent.filter((k) => k.startsWith(UNCONFIRMED) && k.slice(UNCONFIRMED.length).split('|')[0] === email);
    if (claimed.length > 0) {
      const keys = new Set(claimed);
      const rest = state.recipientsSent.filter((k) => !keys.has(k));
      const settled = decision === 'markSent' ? claimed.map((k) => k.slice(UNCONFIRMED.length)) : [];
      writeState(ss.getId(), { ...state, complete: false, recipientsSent: [...rest, ...settled] });
    }
    return statusFor(ss);
  });
}

/** RPC: the schedule, who owns it, and the last run. Anyone who may run the report may see it. */
export function getWeeklyStatus(): WeeklyStatusDetail {
  const ss = getSpreadsheet();
  authorise(loadSettings(ss).settings, 'runReport');
  return statusFor(ss);
}

/**
 * RPC: schedule the weekly report. Replaces this user's previous weekly trigger for this document
 * (one clock trigger per user per document, T1.9) with one hourly trigger, and records the schedule.
 * Another user's trigger cannot be deleted from here: it sees the new schedule is not its own on
 * its next run and deletes itself.
 */
export function scheduleWeekly(request: WeeklySchedule): WeeklyStatusDetail {
  const schedule = parseScheduleRequest(request);
  const ss = getSpreadsheet();
  const actor = authorise(loadSettings(ss).settings, 'scheduleReport');
  return withDocumentLock(() => {
    const userProps = PropertiesService.getUserProperties();
    deleteTriggers(myWeeklyTriggers(ss, userProps), userProps);
    let trigger: GoogleAppsScript.Script.Trigger;
    try {
      trigger = ScriptApp.newTrigger(WEEKLY_HANDLER).timeBased().everyHours(1).create();
    } catch (err) {
      throw new Error(`Could not create the weekly report trigger: ${(err as Error).message} (an add-on may hold one clock trigger per user per document; SOL Tracker's weekly report uses it).`);
    }
    const now = new Date();
    const timeZone = ss.getSpreadsheetTimeZone() || Session.getScriptTimeZone();
    const record: ScheduleRecord = {
      spreadsheetId: ss.getId(),
      day: schedule.day,
      hour: schedule.hour,
      timeZone,
      owner: actor.email || activeUserEmail(),
      triggerUid: trigger.getUniqueId(),
      scheduledAt: wallHour(timeZone, now),
      scheduledAtIso: timestampIso(ss, now),
    };
    const json = JSON.stringify(record);
    userProps.setProperty(TRIGGER_RECORD_PREFIX + record.triggerUid, json);
    const doc = documentProperties();
    if (doc) {
      doc.setProperty(WEEKLY_SCHEDULE_KEY, json);
      doc.setProperty(PROPERTY_KEYS.spreadsheetId, record.spreadsheetId);
    }
    return statusFor(ss);
  });
}

/** RPC: stop the weekly report (this user's trigger; another user's stops itself on its next run). */
export function unscheduleWeekly(): WeeklyStatusDetail {
  const ss = getSpreadsheet();
  authorise(loadSettings(ss).settings, 'scheduleReport');
  return withDocumentLock(() => {
    const userProps = PropertiesService.getUserProperties();
    deleteTriggers(myWeeklyTriggers(ss, userProps), userProps);
    documentProperties()?.deleteProperty(WEEKLY_SCHEDULE_KEY);
    return statusFor(ss);
  });
}

// ------------------------------------------------------------------------------ the run

/** Errors that concern one address only: the others still go, and a retry would not help it. */
const RECIPIENT_ERROR = /Invalid email|no recipient/i;

interface RunOutcome {
  report: WeeklyReport;
  emailsSent: number;
  ok: boolean;
  message: string;
}

/**
 * The previous reports' snapshots ("new since the previous report"), two records of the add-on's one
 * chunked store (chunkedProperty.ts: UTF-8 bytes, never half-saved). Snapshots stored before it
 * (`sol.weeklySnapshot.last.n` + 8,000-character parts) are still read, and replaced by the next save.
 */
const SNAPSHOT_KEY = 'sol.weeklySnapshot';
type SnapshotName = 'last' | 'before';

interface SnapshotPair {
  /** The latest report sent. */
  last: PreviousReport | null;
  /** The one before it: the comparison when the latest week is reported again. */
  before: PreviousReport | null;
}

function readSnapshots(): SnapshotPair {
  const doc = documentProperties();
  if (!doc) return { last: null, before: null };
  const all = doc.getProperties();
  const read = (name: SnapshotName): PreviousReport | null => {
    try {
      return decodeSnapshot(recordText(all, `${SNAPSHOT_KEY}.${name}`));
    } catch {
      return null; // a damaged snapshot only means nothing is marked "new"
    }
  };
  return { last: read('last'), before: read('before') };
}

function writeSnapshot(doc: Properties, name: SnapshotName, snapshot: PreviousReport | null): void {
  saveRecord(doc, `${SNAPSHOT_KEY}.${name}`, snapshot ? encodeSnapshot(snapshot) : '');
}

/** Remembers what this report listed, for the next report's "new". */
function rememberReport(report: WeeklyReport): string {
  const doc = documentProperties();
  if (!doc) return '';
  try {
    rememberIn(doc, report);
    return '';
  } catch (err) {
    const why = (err as Error).name === RecordTooLargeError.name ? (err as Error).message : 'Google did not accept the write';
    return `What this report listed could not be kept for next week's "new" marks (${why}).`;
  }
}

function rememberIn(doc: Properties, report: WeeklyReport): void {
  const pair = readSnapshots();
  const snapshot = snapshotOf(report);
  if (pair.last && pair.last.week === snapshot.week) {
    writeSnapshot(doc, 'last', snapshot);
  } else if (!pair.last || pair.last.week < snapshot.week) {
    writeSnapshot(doc, 'before', pair.last);
    writeSnapshot(doc, 'last', snapshot);
  }
}

/** The report to compare with: the latest one of an earlier week. */
function previousReportFor(week: ReportWeek): PreviousReport | null {
  const pair = readSnapshots();
  if (pair.last && pair.last.week < week.label) return pair.last;
  if (pair.before && pair.before.week < week.label) return pair.before;
  return null;
}

/**
 * Writes the Weekly Report tab whole: the tab first grows to fit (rows and columns), then ONE
 * setValues covers the new report and blanks whatever the old one had beyond it. Nothing is
 * cleared first, so if the write fails the previous report stays as it was.
 */
function writeWeeklyTab(ss: Spreadsheet, values: string[][], status: string): GoogleAppsScript.Spreadsheet.Sheet {
  const sheet = ss.getSheetByName(SHEET_NAMES.weekly) ?? ss.insertSheet(SHEET_NAMES.weekly);
  const statusRow = [asSheetText(status), ...Array<string>(WEEKLY_SHEET_COLUMNS - 1).fill('')];
  const blank = Array<string>(WEEKLY_SHEET_COLUMNS).fill('');
  const rows = [statusRow, blank, ...values];
  const height = Math.max(rows.length, sheet.getLastRow());
  const width = Math.max(WEEKLY_SHEET_COLUMNS, sheet.getLastColumn());
  ensureRows(sheet, height, width);
  const block = Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => rows[r]?.[c] ?? ''));
  sheet.getRange(1, 1, height, width).setValues(block);
  return sheet;
}

/** The tab's address for the email's "full list" link; '' when the spreadsheet has no URL. */
function tabUrl(ss: Spreadsheet, sheet: GoogleAppsScript.Spreadsheet.Sheet): string {
  try {
    const url = ss.getUrl();
    return url ? `${url.replace(/[#?].*$/, '')}#gid=${sheet.getSheetId()}` : '';
  } catch {
    return '';
  }
}

/** '2024-10-21T07:00:13' (the school's wall clock) as staff read it: 'Mon 21 Oct 2024 at 07:00'. */
function whenText(at: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(at);
  return m ? `${dateText(m[1]!)} at ${m[2]}` : at;
}

/** The school week before `week` (after half-term, the week before it). */
function previousSchoolWeekStart(calendar: SchoolCalendar, week: ReportWeek): string {
  const earlier = schoolWeeks(calendar, addCalendarDays(week.start, -7 * 10), addCalendarDays(week.start, -1));
  return earlier[earlier.length - 1]?.monday ?? addCalendarDays(week.start, -7);
}

/** A school week is still worth sending from a holiday run within three weeks of it (Christmas, Easter). */
function weekIsRecent(last: ReportWeek, holidayWeek: ReportWeek): boolean {
  return addCalendarDays(last.start, 7 * 3) >= holidayWeek.start;
}

/**
 * The week state moves back to the unsent school week, with the recipients who already had it (so
 * nobody gets it twice) and one more holiday catch-up counted.
 */
function onUnsentWeek(spreadsheetId: string, week: ReportWeek, carried: WeeklyState['carried']): void {
  const state = readState(spreadsheetId);
  const attempts = (carried?.attempts ?? 0) + 1;
  writeState(spreadsheetId, {
    ...EMPTY_WEEKLY_STATE,
    week: week.label,
    recipientsSent: [...(carried?.recipientsSent ?? [])],
    lastSentWeek: state.lastSentWeek,
    lastRun: state.lastRun,
    attempts: 1,
    lastAttemptMs: state.lastAttemptMs,
    carried: { week: week.label, recipientsSent: [...(carried?.recipientsSent ?? [])], attempts },
  });
}

/** Who asked: the trigger (everyone), or a person from the sidebar (a Head of Year: their year groups, to them). */
type RunBy = { trigger: { owner: string } } | { person: { email: string; headOfYear: boolean } };

/**
 * Build, write and send the report of `requested` (null: the last school week that has ended).
 * Holds the document lock. Each recipient is recorded in the week state right after their email
 * goes, so a stop at any point (quota, time, error) resumes without a duplicate or a gap.
 */
function runReport(ss: Spreadsheet, requested: ReportWeek | null, by: RunBy): RunOutcome {
  const trigger = 'trigger' in by ? by.trigger : null;
  const runner = 'trigger' in by ? by.trigger.owner : by.person.email;
  return withSpreadsheetLease(ss, 'weekly', () => {
    const loaded = loadSettings(ss);
    const settings = loaded.settings;
    if (trigger) {
      // The trigger runs as its creator: a member of staff who lost the role stops sending.
      const actor = actorOf(trigger.owner, ss);
      if (!can(actor, 'scheduleReport')) throw new Error(`The weekly report is scheduled by ${trigger.owner}, who is no longer AO, AL or Admin in Settings → Staff. Another AO or AL should schedule it again.`);
    }
    const notes: string[] = [];
    let model: SchoolModel | null = null;
    try {
      model = recalculateWithin(ss, loaded).model; // the report uses the same evaluation: the school is read once
    } catch (err) {
      notes.push(`Recalculate failed, the tracker columns were not updated: ${(err as Error).message}`);
    }
    const today = todayIso(ss);
    model ??= loadSchool(ss, today, { settings, settingsProblems: loaded.problems }).model;
    // A week with no school day (half-term, holidays) has nothing to discuss. The hourly trigger
    // records it as done and sends nothing; "Weekly report now" reports the last week that had school.
    let week = requested ?? reportWeekFor(model.calendar, today) ?? weekToReport(today);
    let holiday = schoolWeeks(model.calendar, week.start, week.start).length === 0;
    if (holiday && !trigger) week = reportWeekFor(model.calendar, week.start) ?? week;
    if (holiday && trigger) {
      // The last school week before a holiday is reported on the holiday's first scheduled run; if
      // that run could not send it (both attempts failed, or the hour was skipped), the next
      // holiday run would move on to an empty week and the term's last week would never go out.
      // So a holiday run first sends the last school week if it was never completely sent.
      const last = reportWeekFor(model.calendar, week.start);
      const now = readState(ss.getId());
      const carried = now.carried?.week === last?.label ? now.carried : null;
      if (last && (now.lastSentWeek ?? '') < last.label && weekIsRecent(last, week) && (carried?.attempts ?? 0) < MAX_HOLIDAY_CATCH_UPS) {
        week = last;
        holiday = false;
        onUnsentWeek(ss.getId(), week, carried);
      }
    }
    // Exactly its week: run late (after the Monday following it), the school is evaluated as it stood
    // then, so later marks, steps and contacts belong to the next report.
    const reportDay = addCalendarDays(week.end, 1);
    if (today > reportDay) model = loadSchool(ss, reportDay, { settings, settingsProblems: loaded.problems }).model;
    const records = [...model.byId.values()];
    let lastMarkDate: string | null = null;
    for (const r of records) if (r.stats.lastMarkDate && (!lastMarkDate || r.stats.lastMarkDate > lastMarkDate)) lastMarkDate = r.stats.lastMarkDate;
    const report = buildWeeklyReport({
      records,
      table: model.table,
      week,
      previousWeekStart: previousSchoolWeekStart(model.calendar, week),
      lettersThisWeek: lettersInWeek(records, week),
      dataUsed: {
        importedAt: documentProperties()?.getProperty(REGISTER_IMPORTED_AT_KEY) ?? null,
        lastMarkDate,
        // The register is complete once it reaches the week's last school day (an INSET Friday is not one).
        lastSchoolDay: lastSchoolDayOf(schoolWeeks(model.calendar, week.start, week.start)[0]?.days ?? []),
      },
      schoolName: settings.schoolName,
      asOf: today < reportDay ? today : reportDay,
      bands: attendanceBands(model.policy),
      previous: previousReportFor(week),
    });
    if (model.unevaluated.size > 0) notes.push(`${model.unevaluated.size} student(s) could not be evaluated and are not in the report (see the tracker's grey rows).`);
    if (holiday && trigger) {
      const message = `Weekly report for ${dateText(week.start)} – ${dateText(week.end)}: no school days that week, so nothing was sent.`;
      const before = readState(ss.getId());
      writeState(ss.getId(), { ...before, week: week.label, complete: true, lastSentWeek: week.label, lastRun: { at: timestampIso(ss), week: week.label, ok: true, message } });
      logLine(message);
      return { report, emailsSent: 0, ok: true, message };
    }

    const sheet = writeWeeklyTab(ss, weeklyReportSheetValues(report), `Weekly report for ${dateText(week.start)} – ${dateText(week.end)}: sending…`);
    const fullListUrl = tabUrl(ss, sheet);

    const all = recipientsFor(settings.staff, report.yearGroups.map((y) => y.name));
    let recipients = all.recipients;
    if ('person' in by && by.person.headOfYear) {
      // A Head of Year running it from the sidebar gets their own year group(s), to themselves only.
      recipients = recipients.filter((r) => r.email === by.person.email.toLowerCase() && r.scope !== 'school');
      if (recipients.length === 0) notes.push(`You have no year group on the tracker to report on: ${all.problems.join(' ') || 'check your year group in Settings → Staff.'}`);
    } else notes.push(...all.problems);
    let state = readState(ss.getId());
    if (state.week !== week.label) state = { ...EMPTY_WEEKLY_STATE, recipientsSent: [], lastSentWeek: state.lastSentWeek, lastRun: state.lastRun, week: week.label };
    // A recipient is claimed (written as unconfirmed) BEFORE their email is sent, and confirmed after:
    // a run that stops between the two never sends that email again — never twice (issue 12).
    const done = new Set(state.recipientsSent.map((k) => k.replace(UNCONFIRMED, '')));
    const unconfirmed = state.recipientsSent.filter((k) => k.startsWith(UNCONFIRMED)).map((k) => k.slice(UNCONFIRMED.length));
    for (const key of unconfirmed) {
      const who = recipients.find((r) => r.key === key)?.email ?? key;
      notes.push(`The email to ${who} may not have gone (an earlier run stopped while sending it); it is not sent again so nobody gets it twice — check the Sent folder of the account that runs the report.`);
    }
    const pending = recipients.filter((r) => !done.has(r.key));
    const withKey = (keys: string[], from: string, to: string | null) => [...keys.filter((k) => k !== from), ...(to === null ? [] : [to])];

    let sent = 0;
    let stopped: string | null = null;
    let quota = MailApp.getRemainingDailyQuota();
    for (const r of pending) {
      if (quota < 1) {
        stopped = `the daily email quota is used up (${pending.length - sent} email(s) left to send)`;
        break;
      }
      let email;
      try {
        email = renderWeeklyEmail(report, r.scope, { fullListUrl });
      } catch (err) {
        notes.push(`Not sent to ${r.email}: the report for them could not be built.`);
        console.error(err);
        state = { ...state, recipientsSent: [...state.recipientsSent, r.key] }; // a retry cannot fix it
        writeState(ss.getId(), state);
        continue;
      }
      state = { ...state, recipientsSent: [...state.recipientsSent, UNCONFIRMED + r.key] };
      writeState(ss.getId(), state);
      try {
        // No control character leaves the add-on (a pupil or school name pasted with one).
        MailApp.sendEmail({ to: r.email, subject: outboundText(email.subject).replace(/\n/g, ' '), body: outboundText(email.text), htmlBody: outboundText(email.html), name: outboundText(settings.senderName).replace(/\n/g, ' ') });
      } catch (err) {
        const message = (err as Error).message;
        // MailApp threw: the email did not go. Release the claim so a later run sends it once.
        const permanent = RECIPIENT_ERROR.test(message);
        state = { ...state, recipientsSent: withKey(state.recipientsSent, UNCONFIRMED + r.key, permanent ? r.key : null) };
        writeState(ss.getId(), state);
        if (permanent) {
          notes.push(`Not sent to ${r.email}: ${message}`);
          continue;
        }
        stopped = message;
        break;
      }
      sent++;
      quota--;
      state = { ...state, recipientsSent: withKey(state.recipientsSent, UNCONFIRMED + r.key, r.key) };
      writeState(ss.getId(), state);
    }

    const ok = stopped === null;
    const kept = ok ? rememberReport(report) : '';
    if (kept) notes.push(kept);
    const allDone = all.recipients.every((r) => state.recipientsSent.includes(r.key) || state.recipientsSent.includes(UNCONFIRMED + r.key));
    const already = recipients.length - pending.length;
    const period = `for ${dateText(week.start)} – ${dateText(week.end)}`;
    const message = ok
      ? `Weekly report ${period}: ${sent} email(s) sent${already ? `, ${already} already sent earlier` : ''}.${notes.length ? ` ${notes.join(' ')}` : ''}`
      : `Weekly report ${period}: stopped after ${sent} email(s) because ${stopped}. The rest will be sent once (next hourly run, or Weekly report now).${notes.length ? ` ${notes.join(' ')}` : ''}`;
    state = {
      ...state,
      complete: ok && allDone,
      lastSentWeek: ok && allDone ? week.label : state.lastSentWeek,
      lastRun: { at: timestampIso(ss), week: week.label, ok, message },
    };
    writeState(ss.getId(), state);
    sheet.getRange(1, 1).setValue(asSheetText(`${ok ? 'Last run' : 'FAILED'} ${whenText(state.lastRun!.at)}: ${message}`));
    logLine(message);
    return { report, emailsSent: sent, ok, message };
  }, { by: runner });
}

/** RPC: build and send this week's report now (to whoever has not had it yet). */
export function runWeeklyNow(): WeeklyRunResponse {
  const ss = getSpreadsheet();
  const actor = authorise(loadSettings(ss).settings, 'runReport');
  const outcome = runReport(ss, null, { person: { email: actor.email, headOfYear: actor.role === 'HOY' } });
  // The week actually reported (after half-term, the last week that had school).
  return { week: outcome.report.week.start, yearGroups: outcome.report.yearGroups.length, emailsSent: outcome.emailsSent, message: outcome.message };
}

/** Menu SOL Tracker ▸ Weekly report now: the outcome as a toast. */
export function menuWeeklyReport(): void {
  const ss = getSpreadsheet();
  try {
    ss.toast(runWeeklyNow().message, 'SOL Tracker', 15);
  } catch (err) {
    ss.toast((err as Error).message, 'SOL Tracker: weekly report not sent', 20);
    console.error(err);
  }
}

// ------------------------------------------------------------------------------ the trigger

function recordForTrigger(userProps: Properties, uid: string | undefined): ScheduleRecord | null {
  if (uid) return parseJson<ScheduleRecord>(userProps.getProperty(TRIGGER_RECORD_PREFIX + uid));
  // No uid in the event: this user's only record, if there is exactly one.
  const keys = userProps.getKeys().filter((k) => k.startsWith(TRIGGER_RECORD_PREFIX));
  return keys.length === 1 ? parseJson<ScheduleRecord>(userProps.getProperty(keys[0]!)) : null;
}

/**
 * A failed scheduled run is emailed to the person who scheduled it (the trigger runs as them, so
 * the email goes from and to their own account); the sidebar's Weekly tab shows it too (lastRun).
 */
function tellScheduler(record: ScheduleRecord, message: string): void {
  try {
    if (MailApp.getRemainingDailyQuota() < 1) return;
    MailApp.sendEmail({
      to: record.owner,
      subject: 'SOL Tracker: the weekly attendance report did not go out',
      body: `${message}\n\nOpen the tracker, then SOL Tracker ▸ Open sidebar ▸ Weekly to see what happened and run it again ("Run the report now").`,
    });
  } catch (err) {
    logLine(`Could not email ${record.owner} about the failed weekly report: ${(err as Error).message}`);
  }
}

function deleteTriggerById(uid: string): void {
  for (const t of ScriptApp.getProjectTriggers()) if (t.getUniqueId() === uid) ScriptApp.deleteTrigger(t);
}

/**
 * Handler of the hourly trigger: no UI (a trigger has none). Returns what it did, for the logs.
 */
export function weeklyReportTrigger(e?: GoogleAppsScript.Events.TimeDriven): string {
  const uid = e?.triggerUid;
  const userProps = PropertiesService.getUserProperties();
  const record = recordForTrigger(userProps, uid);
  if (!record) {
    if (uid) deleteTriggerById(uid);
    const message = `Weekly report trigger ${uid ?? '(no id)'} has no schedule record: it was removed. Schedule the report again from the sidebar.`;
    logLine(message);
    return message;
  }
  // Superseded: another user scheduled (or someone unscheduled) the report for this document.
  const doc = documentProperties();
  if (doc) {
    const current = parseJson<ScheduleRecord>(doc.getProperty(WEEKLY_SCHEDULE_KEY));
    if (!current || current.triggerUid !== record.triggerUid) {
      deleteTriggerById(record.triggerUid);
      userProps.deleteProperty(TRIGGER_RECORD_PREFIX + record.triggerUid);
      const message = `Weekly report trigger of ${record.owner} stopped: ${current ? `the report is now scheduled by ${current.owner}` : 'the report was unscheduled'}.`;
      logLine(message);
      return message;
    }
  }

  const now = new Date();
  // What this run got (spreadsheet, settings, lock), for SOL Tracker ▸ Check this installation.
  noteTriggerContext(record.spreadsheetId, record.owner, wallHour(record.timeZone, now).date);
  const decide = (state: WeeklyState) => weeklyDecision({ now: wallHour(record.timeZone, now), nowMs: now.getTime(), schedule: { day: record.day, hour: record.hour }, scheduledAt: record.scheduledAt, state });
  const first = decide(readState(record.spreadsheetId));
  if (first.action === 'wait') return first.reason;
  // Fail closed (issue 13): the staff list, roles and policy live in this spreadsheet's document
  // properties. Google does not document whether an add-on's time-driven trigger gets them; when it
  // does not, nothing can be sent correctly — so nothing is sent (nor written in the spreadsheet), and
  // the scheduler is told.
  if (!documentProperties()) return triggerFailed(record, null, first.week, first.retry, now, new Error(NO_DOCUMENT_MESSAGE), true);
  let ss: Spreadsheet | null = null;
  try {
    ss = SpreadsheetApp.openById(record.spreadsheetId);
    const spreadsheet = ss;
    // The decision, the attempt count, the report and a failure's record all happen under the
    // spreadsheet's lease: a "Weekly report now" (or an import, a recalculation) running at the same
    // moment is never overwritten by this run's stale copy of the week's state or status line.
    return withSpreadsheetLease(spreadsheet, 'weekly', () => {
      const state = readState(record.spreadsheetId);
      const decision = decide(state); // again: another run may have sent the week meanwhile
      if (decision.action === 'wait') return decision.reason;
      const week = decision.week;
      // Count the attempt before doing anything, so a run that dies mid-way still counts.
      const fresh = state.week === week.label ? state : stateForNewWeek(state, week.label);
      writeState(record.spreadsheetId, { ...fresh, attempts: fresh.attempts + 1, lastAttemptMs: now.getTime() });
      try {
        const outcome = runReport(spreadsheet, week, { trigger: { owner: record.owner } });
        if (!outcome.ok) tellScheduler(record, outcome.message);
        return outcome.message;
      } catch (err) {
        return triggerFailed(record, spreadsheet, week, decision.retry, now, err, false);
      }
    }, { by: record.owner });
  } catch (err) {
    if (err instanceof LeaseBusyError) {
      // Another job is working on the spreadsheet (another run of this report, an import…): this run
      // did not start and changed nothing; the next hourly run tries again. Nobody needs to act.
      const message = `Weekly report ${first.week.label} not started: ${err.message.replace(/ Try again when it has finished.*$/, '')} The next hourly run tries again.`;
      logLine(message);
      return message;
    }
    // Google failed before the lease was held (opening the spreadsheet, the lease's check-and-set).
    return triggerFailed(record, null, first.week, first.retry, now, err, true);
  }
}

/**
 * A scheduled run that failed: the log, the week's state (the attempt counted when it was not yet),
 * the Weekly tab's status line (only under the lease: `ss` is given then) and an email to the scheduler.
 */
function triggerFailed(record: ScheduleRecord, ss: Spreadsheet | null, week: ReportWeek, retry: boolean, now: Date, err: unknown, countAttempt: boolean): string {
  const message = `Weekly report ${week.label} failed: ${(err as Error).message}${retry ? ' (after its retry: use Weekly report now)' : ' (it will be retried once at the next hourly run)'}`;
  logLine(message);
  const latest = readState(record.spreadsheetId);
  const at = ss ? timestampIso(ss, now) : now.toISOString();
  const counted = countAttempt ? (() => {
    const fresh = latest.week === week.label ? latest : stateForNewWeek(latest, week.label);
    return { ...fresh, attempts: fresh.attempts + 1, lastAttemptMs: now.getTime() };
  })() : latest;
  writeState(record.spreadsheetId, { ...counted, lastRun: { at, week: week.label, ok: false, message } });
  try {
    ss?.getSheetByName(SHEET_NAMES.weekly)?.getRange(1, 1).setValue(asSheetText(`FAILED ${whenText(at)}: ${message}`));
  } catch {
    /* the status line is best effort; the log and the state have it */
  }
  tellScheduler(record, message);
  return message;
}
