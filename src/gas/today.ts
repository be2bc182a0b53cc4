/**
 * RPC getTodayCalls (seed 003: first-day absence calls). Reads the tracker, and of the Register
 * only the ID column and today's session columns (found from the header row), so the cost does
 * not grow with the length of the year.
 */
import type { TodayCallsResponse } from '../rpcTypes';
import { resolveActivePolicy } from '../core/activePolicy';
import { isSchoolDay } from '../core/calendar';
import { parseSessionHeader } from '../core/register/registerSheet';
import { canSeeStudent } from '../core/roles';
import { calendarFor } from '../core/schoolModel';
import { DEFAULT_REGISTER_CLOSES, minutesOf, selectTodayCalls } from '../core/todayCalls';
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
function marksToday(ss: Spreadsheet, today: string): Map<string, Partial<Record<SessionName, string>>> {
  const out = new Map<string, Partial<Record<SessionName, string>>>();
  const sheet = ss.getSheetByName(SHEET_NAMES.register);
  if (!sheet) return out;
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  if (lastRow < 2 || lastColumn < 2) return out;
  const header = sheet.getRange(1, 1, 1, lastColumn).getValues()[0];
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
  const tz = ss.getSpreadsheetTimeZone() || Session.getScriptTimeZone();
  const now = Utilities.formatDate(new Date(), tz, 'HH:mm');
  const tracker = readTracker(ss);
  const students = readTrackerRows(tracker.values, tracker.columns.mapping).students.map((s) => ({
    studentId: s.studentId,
    name: s.name,
    yearGroup: s.yearGroup,
    tutorGroup: s.tutorGroup,
    parents: s.parents.map((p) => ({ name: p.name, phone: p.phone })),
  }));
  const rows = selectTodayCalls({
    today,
    schoolDay: isSchoolDay(calendar, today),
    registerClosed: minutesOf(now) >= minutesOf(DEFAULT_REGISTER_CLOSES),
    marksToday: marksToday(ss, today),
    students,
    table,
    mayView: (s) => canSeeStudent(actor, s),
  });
  return { date: today, students: rows };
}
