/**
 * SOL Tracker ▸ Check this installation (Admin and Attendance Lead): verifies on the school's own
 * Google account what no offline test can — what the hourly trigger gets (its spreadsheet, settings,
 * lock), a test email to yourself (whether it lands in Sent is for you to see: no Gmail scope),
 * who can open each letter template, the spreadsheet and script time zones, how each template's
 * text splits into paragraphs, and timings of a full-size read, a tracker-sized write and one
 * letter — then writes a dated "Installation Check" tab. The words are src/core/selfCheck.ts.
 */
import { resolveActivePolicy } from '../core/activePolicy';
import { dateFormatFor } from '../core/format/dates';
import type { StaffRole } from '../core/types';
import { asSheetText } from '../core/sanitise';
import { installationReport, installationReportValues, type InstallationFacts, type TemplateFacts, type TriggerContext } from '../core/selfCheck';
import { timestampIso } from './clock';
import { readFileRecord, writeFileRecord } from './fileRecord';
import { addOnCanCopy, buildMaster, createLetterDocument } from './letters/letterDoc';
import { readTemplate } from './letters/templates';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { SHEET_NAMES } from './sheetNames';
import { findTrackerSheet, getSpreadsheet } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const CHECK_SHEET = 'Installation Check';
/** Developer-metadata key where the hourly trigger records what it got (fileRecord.ts). */
export const TRIGGER_CONTEXT_KEY = 'sol.triggerContext';
const SCRATCH_SHEET = 'SOL Check (temporary)';
/** Document property that says the weekly report is scheduled (weekly.ts WEEKLY_SCHEDULE_KEY). */
const WEEKLY_SCHEDULE_KEY = 'sol.weeklySchedule';

function documentProperties(): GoogleAppsScript.Properties.Properties | null {
  try {
    return PropertiesService.getDocumentProperties();
  } catch {
    return null;
  }
}

function documentLock(): GoogleAppsScript.Lock.Lock | null {
  try {
    return LockService.getDocumentLock();
  } catch {
    return null;
  }
}

/**
 * Called by the hourly trigger: records what this run got, in the spreadsheet file (readable by
 * everyone's check, whoever's trigger it is). Written when it changes or once a day; never stops
 * the trigger.
 */
export function noteTriggerContext(spreadsheetId: string, owner: string, dayKey: string): void {
  try {
    const seen = {
      spreadsheet: SpreadsheetApp.getActiveSpreadsheet() !== null,
      documentProperties: documentProperties() !== null,
      documentLock: documentLock() !== null,
    };
    const user = PropertiesService.getUserProperties();
    const key = `${TRIGGER_CONTEXT_KEY}.${spreadsheetId}`;
    const mark = `${JSON.stringify(seen)}|${dayKey}`;
    if (user.getProperty(key) === mark) return;
    const ss = SpreadsheetApp.openById(spreadsheetId);
    const record: TriggerContext = { at: timestampIso(ss), owner, ...seen };
    writeFileRecord(ss, TRIGGER_CONTEXT_KEY, JSON.stringify(record));
    user.setProperty(key, mark);
  } catch (err) {
    console.warn(`The trigger's context was not recorded: ${(err as Error).message}`);
  }
}

function readTriggerContext(ss: Spreadsheet): TriggerContext | null {
  try {
    const v = JSON.parse(readFileRecord(ss, TRIGGER_CONTEXT_KEY) ?? 'null') as TriggerContext | null;
    return v && typeof v.at === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Roles that plan, preview or send letters: they must be able to open the templates. */
const NEEDS_TEMPLATES: readonly StaffRole[] = ['AO', 'AL', 'Admin'];

function shortened(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

function templateFacts(ref: { letterId: string; language: string; docId: string }, needing: readonly { email: string; role: StaffRole }[]): TemplateFacts {
  try {
    const doc = DocumentApp.openById(ref.docId);
    const body = doc.getBody();
    const paragraphs = body.getParagraphs();
    const text = body.getText();
    const people = new Set<string>();
    for (const u of [...doc.getEditors(), ...doc.getViewers()]) people.add(u.getEmail().toLowerCase());
    return {
      letterId: ref.letterId,
      language: ref.language,
      name: doc.getName(),
      paragraphs: paragraphs.length,
      lines: text.split('\n').length,
      opening: paragraphs.map((p) => p.getText()).filter((t) => t.trim() !== '').slice(0, 2).map(shortened),
      noAccess: needing.filter((m) => !people.has(m.email.toLowerCase())),
    };
  } catch (err) {
    return { letterId: ref.letterId, language: ref.language, error: (err as Error).message, noAccess: [] };
  }
}

function readCells(ss: Spreadsheet): { ms: number; cells: number; rows: number; columns: number } {
  const t0 = Date.now();
  let cells = 0;
  let rows = 1;
  let columns = 1;
  const tracker = findTrackerSheet(ss);
  if (tracker) {
    const v = tracker.getDataRange().getValues();
    rows = v.length;
    columns = v[0]?.length ?? 1;
    cells += rows * columns;
  }
  const register = ss.getSheetByName(SHEET_NAMES.register);
  if (register) {
    const v = register.getDataRange().getValues();
    cells += v.length * (v[0]?.length ?? 0);
  }
  return { ms: Date.now() - t0, cells, rows, columns };
}

/** A block the tracker's size written on a temporary tab, which is deleted again. */
function timeWrite(ss: Spreadsheet, rows: number, columns: number): number {
  const active = ss.getActiveSheet();
  const sheet = ss.getSheetByName(SCRATCH_SHEET) ?? ss.insertSheet(SCRATCH_SHEET);
  try {
    if (sheet.getMaxRows() < rows) sheet.insertRowsAfter(sheet.getMaxRows(), rows - sheet.getMaxRows());
    if (sheet.getMaxColumns() < columns) sheet.insertColumnsAfter(sheet.getMaxColumns(), columns - sheet.getMaxColumns());
    const block = Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => `check ${r + 1}.${c + 1}`));
    const t0 = Date.now();
    sheet.getRange(1, 1, rows, columns).setValues(block);
    SpreadsheetApp.flush();
    return Date.now() - t0;
  } finally {
    ss.deleteSheet(sheet);
    if (active) ss.setActiveSheet(active);
  }
}

function timeLetter(refs: readonly { letterId: string; language: string; docId: string }[], schoolName: string, today: string): { ms: number | null; note: string } {
  for (const ref of refs) {
    const { template } = readTemplate(ref);
    if (!template) continue;
    const values: Record<string, string> = {};
    for (const field of template.fields) values[field] = `[${field}]`;
    const t0 = Date.now();
    // Made as a run makes it: a copy of the template (the add-on's own copy when it cannot copy a
    // person-made template), filled with replaceText, and its PDF.
    const templateId = template.ref.docId;
    const master = addOnCanCopy(templateId) ? templateId : buildMaster(templateId, `Template copy – installation check – ${today}`, null);
    const file = createLetterDocument(master, `SOL Tracker check – sample letter (${schoolName || 'school'}) ${today}`, null, template, values, true);
    return { ms: Date.now() - t0, note: `The sample letter is in your Google Drive: ${file.url}` };
  }
  return { ms: null, note: 'No template could be used, so no letter was timed.' };
}

/** The report tab, written whole (grown to fit, blanks beyond the new report), never cleared first. */
function writeReport(ss: Spreadsheet, values: string[][]): GoogleAppsScript.Spreadsheet.Sheet {
  const sheet = ss.getSheetByName(CHECK_SHEET) ?? ss.insertSheet(CHECK_SHEET);
  const width = Math.max(values[0]!.length, sheet.getLastColumn());
  const height = Math.max(values.length, sheet.getLastRow());
  if (sheet.getMaxRows() < height) sheet.insertRowsAfter(sheet.getMaxRows(), height - sheet.getMaxRows());
  if (sheet.getMaxColumns() < width) sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());
  const block = Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => asSheetText(values[r]?.[c] ?? '')));
  sheet.getRange(1, 1, height, width).setValues(block);
  return sheet;
}

/** Gathers the facts and writes the report; returns the report for the caller (and the tests). */
export function checkInstallation(): { problems: number; byHand: number; message: string } {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'checkInstallation');
  const settings = loaded.settings;
  let format = dateFormatFor('');
  try {
    format = dateFormatFor(resolveActivePolicy(settings).policy.codeTableId);
  } catch {
    /* an unknown preset is reported by Settings */
  }
  const now = timestampIso(ss);
  const today = now.slice(0, 10);

  const props = documentProperties();
  const subject = `SOL Tracker installation check ${now.replace('T', ' ')}`;
  let mail: InstallationFacts['mail'];
  try {
    MailApp.sendEmail(actor.email, subject, `This email was sent by SOL Tracker ▸ Check this installation in "${ss.getName()}". Look for it in your Sent folder: the Installation Check tab says what it means.`);
    mail = { to: actor.email, subject };
  } catch (err) {
    mail = { error: (err as Error).message };
  }

  const needing = settings.staff.filter((m) => NEEDS_TEMPLATES.includes(m.role as StaffRole)).map((m) => ({ email: m.email, role: m.role as StaffRole }));
  const templates = settings.templates.map((ref) => templateFacts(ref, needing));
  const read = readCells(ss);
  const writeMs = timeWrite(ss, read.rows, read.columns);
  const letter = timeLetter(settings.templates, settings.schoolName, today);

  const facts: InstallationFacts = {
    format,
    now,
    runner: actor.email,
    menu: { documentProperties: props !== null, documentLock: documentLock() !== null },
    trigger: readTriggerContext(ss),
    weeklyScheduled: Boolean(props?.getProperty(WEEKLY_SCHEDULE_KEY)),
    mail,
    templates,
    zones: { spreadsheet: ss.getSpreadsheetTimeZone() || Session.getScriptTimeZone(), script: Session.getScriptTimeZone() },
    timings: { readMs: read.ms, readCells: read.cells, writeMs, writeCells: read.rows * read.columns, letterMs: letter.ms, letterNote: letter.note },
  };
  const report = installationReport(facts);
  writeReport(ss, installationReportValues(report));
  const problems = report.rows.filter((r) => r.status === 'Problem').length;
  const byHand = report.rows.filter((r) => r.status === 'Check by hand' || r.status === 'Not known yet').length;
  const message = `The installation check is in the "${CHECK_SHEET}" tab: ${problems} problem${problems === 1 ? '' : 's'}, ${byHand} to look at yourself.`;
  return { problems, byHand, message };
}

/** Menu SOL Tracker ▸ Check this installation: the summary as a toast (the details are on the tab). */
export function menuCheckInstallation(): void {
  const ss = getSpreadsheet();
  try {
    ss.toast(checkInstallation().message, 'SOL Tracker', 15);
  } catch (err) {
    console.error(err);
    ss.toast(`The installation check did not finish: ${(err as Error).message}`, 'SOL Tracker', 15);
  }
}
