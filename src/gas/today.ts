/**
 * RPC getTodayCalls (seed 003: first-day absence calls). Reads the tracker, and of the Register
 * only the ID column and today's session columns (found from the header row), so the cost does
 * not grow with the length of the year.
 */
import type { TodayCallsResponse } from '../rpcTypes';
import { resolveActivePolicy } from '../core/activePolicy';
import { isSchoolDay, schoolDaysOf } from '../core/calendar';
import { reachFromSessionDates, staleRegisterNotice } from '../core/register/staleness';
import { registerImportedAt } from './registerImported';
import { parseSessionHeader } from '../core/register/registerSheet';
import { canSeeStudent } from '../core/roles';
import { calendarFor } from '../core/schoolModel';
import { selectTodayCalls, todaysMarksImported, type ContactToday } from '../core/todayCalls';
import { readInterventionsLog } from '../core/interventionsLog';
import { dateText } from '../core/report/weeklyHtml';
import { REGISTER_IMPORTED_AT_KEY } from './weekly';
import { readTrackerRows } from '../core/tracker/rows';
import type { SessionName } from '../core/types';
import { todayIso } from './clock';
import { readTracker } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Today's marks per student, from the Register tab's columns for today. */
function marksToday(ss: Spreadsheet, today: string, sessionDates: Set<string>): Map<string, Partial<Record<SessionName, string>>> {
  const out = new Map<string, Partial<Record<SessionName, string>>>();
  const sheet = ss.getSheetByName(SHEET_NAMES.register);
  if (!sheet) return out;
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  if (lastRow < 2 || lastColumn < 2) return out;
  const header = sheet.getRange(1, 1, 1, lastColumn).getValues()[0];
  for (const h of header) {
    const s = parseSessionHeader(String(h ?? ''));
    if (s) sessionDates.add(s.date);
  }
  const todayColumns: { col: number; session: SessionName }[] = [];
  header.forEach((h, c) => {
    const s = c === 0 ? null : parseSessionHeader(String(h ?? ''));
    if (s && s.date === today) todayColumns.push({ col: c, session: s.session });
  });
  if (todayColumns.length === 0) return out;
  const first = Math.min(...todayColumns.map((t) => t.col));
  const last = Math.max(...todayColumns.map((t) => t.col));
  const ids = sheet.getRange(2, 1, lastRow - 1, 1).getValues();
  const block = sheet.getRange(2, first + 1, lastRow - 1, last - first + 1).getValues();
  for (let r = 0; r < ids.length; r++) {
    const id = String(ids[r][0] ?? '').trim();
    if (!id) continue;
    const marks: Partial<Record<SessionName, string>> = {};
    for (const t of todayColumns) {
      const code = String(block[r][t.col - first] ?? '').trim();
      if (code) marks[t.session] = code;
    }
    out.set(id, marks);
  }
  return out;
}

export function getTodayCalls(): TodayCallsResponse {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'viewStudent');
  const today = todayIso(ss);
  const { table } = resolveActivePolicy(loaded.settings);
  const calendar = calendarFor(loaded.settings, table, today);
  const tracker = readTracker(ss);
  const students = readTrackerRows(tracker.values, tracker.columns.mapping).students.map((s) => ({
    studentId: s.studentId,
    name: s.name,
    yearGroup: s.yearGroup,
    tutorGroup: s.tutorGroup,
    parents: s.parents.map((p) => ({ name: p.name, phone: p.phone })),
  }));
  const sessionDates = new Set<string>();
  const marks = marksToday(ss, today, sessionDates);
  const schoolDay = isSchoolDay(calendar, today);
  const rows = selectTodayCalls({
    today,
    schoolDay,
    registerClosed: true,
    marksToday: marks,
    students,
    table,
    mayView: (s) => canSeeStudent(actor, s),
    contactsToday: contactsLoggedToday(ss, today),
  });
  // The register's reach from its session columns: a stale register is said here too (with the last import).
  const reach = reachFromSessionDates(schoolDaysOf(calendar), sessionDates, today);
  const registerNotice = staleRegisterNotice(reach, registerImportedAt());
  return { date: today, students: rows, schoolDay, marksImported: todaysMarksImported(marks), lastImported: lastImportedWords(), registerNotice };
}

/** Contacts logged today, from the Interventions Log (one read of the tab). */
function contactsLoggedToday(ss: Spreadsheet, today: string): ContactToday[] {
  const sheet = ss.getSheetByName(SHEET_NAMES.log);
  if (!sheet || sheet.getLastRow() < 2) return [];
  const log = readInterventionsLog(sheet.getDataRange().getValues());
  const out: ContactToday[] = [];
  for (const records of log.byStudent.values()) {
    for (const r of records) if (r.date === today) out.push({ studentId: r.studentId, method: r.method, outcome: String(r.outcome ?? ''), by: r.by });
  }
  return out;
}

/** The register's last import time in words, from the document property the import sets. */
function lastImportedWords(): string | null {
  let at: string | null = null;
  try {
    at = PropertiesService.getDocumentProperties().getProperty(REGISTER_IMPORTED_AT_KEY);
  } catch {
    return null;
  }
  const m = at ? /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(at) : null;
  return m ? `${dateText(m[1]!)} at ${m[2]}` : null;
}
