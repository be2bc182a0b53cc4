/**
 * Sidebar RPCs about students: getStudent, getSelectedStudent, searchStudents (src/rpcTypes.ts).
 * Each checks the caller's role and what they may see (a tutor: their own groups; a Head of Year:
 * their year), and evaluates only the students it returns, reading only their Register rows.
 */
import type { SearchStudentsRequest, StudentRequest, StudentSummary, StudentView } from '../rpcTypes';
import { canSeeStudent, PermissionError, scopeWords, type Actor } from '../core/roles';
import { matchesQuery, toStudentSummary, toStudentView } from '../core/studentView';
import { readTrackerRows, type TrackerStudent } from '../core/tracker/rows';
import { todayIso } from './clock';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { loadSchool, readTracker, type LoadedSchool } from './schoolData';
import { getSpreadsheet } from './spreadsheet';
import { staleRegisterNotice } from '../core/register/staleness';
import { registerImportedAt } from './registerImported';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** At most this many search results (rpcTypes: "At most 20 results"). */
export const SEARCH_LIMIT = 20;

/** Out of the caller's scope: says nothing about the pupil (not even that they exist). */
function refusal(actor: Actor): PermissionError {
  return new PermissionError(`You may not open that row: it is not one of the students you may see${scopeWords(actor)}.`);
}

function notFound(actor: Actor, studentId: string): Error {
  return new Error(`No student with ID "${studentId}" among the students you may see${scopeWords(actor)}.`);
}

function context(ss: Spreadsheet) {
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'viewStudent');
  return { loaded, actor, today: todayIso(ss) };
}

function viewOf(school: LoadedSchool, student: TrackerStudent): StudentView {
  const record = school.model.byId.get(student.studentId);
  if (!record) {
    const un = school.model.unevaluated.get(student.studentId);
    throw new Error(un ? un.problem : `Student ${student.studentId} could not be evaluated.`);
  }
  const view = toStudentView(record, school.settings.staff);
  view.registerNotice = staleRegisterNotice(school.model.register, registerImportedAt());
  return view;
}

function studentWhere(ss: Spreadsheet, pick: (s: TrackerStudent) => boolean, actor: Actor, loaded: ReturnType<typeof loadSettings>, today: string): StudentView | null {
  const tracker = readTracker(ss);
  const student = readTrackerRows(tracker.values, tracker.columns.mapping).students.find(pick);
  if (!student) return null;
  if (!canSeeStudent(actor, student)) throw refusal(actor);
  const school = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, only: (s) => s.studentId === student.studentId });
  return viewOf(school, student);
}

/** RPC getStudent({ studentId }). */
export function getStudent(request: StudentRequest): StudentView {
  const studentId = String(request?.studentId ?? '').trim();
  if (studentId === '') throw new Error('getStudent: give a student ID.');
  const ss = getSpreadsheet();
  const { loaded, actor, today } = context(ss);
  let view: StudentView | null;
  try {
    view = studentWhere(ss, (s) => s.studentId === studentId, actor, loaded, today);
  } catch (err) {
    if (err instanceof PermissionError) throw notFound(actor, studentId);
    throw err;
  }
  if (!view) throw notFound(actor, studentId);
  return view;
}

/** RPC getSelectedStudent(): the student on the tracker row under the cursor, or null. */
export function getSelectedStudent(): StudentView | null {
  const ss = getSpreadsheet();
  const range = ss.getActiveRange();
  if (!range) return null;
  const sheet = range.getSheet();
  const row = range.getRow();
  if (row < 2) return null;
  const { loaded, actor, today } = context(ss);
  const tracker = readTracker(ss);
  if (tracker.sheet.getSheetId() !== sheet.getSheetId()) return null;
  return studentWhere(ss, (s) => s.row === row, actor, loaded, today);
}

/** RPC searchStudents({ query }): up to 20 students the caller may see, by part of a name or ID. */
export function searchStudents(request: SearchStudentsRequest): StudentSummary[] {
  const query = String(request?.query ?? '').trim();
  if (query === '') return [];
  const ss = getSpreadsheet();
  const { loaded, actor, today } = context(ss);
  const tracker = readTracker(ss);
  const matches = readTrackerRows(tracker.values, tracker.columns.mapping)
    .students.filter((s) => matchesQuery(s, query) && canSeeStudent(actor, s))
    .slice(0, SEARCH_LIMIT);
  if (matches.length === 0) return [];
  const ids = new Set(matches.map((s) => s.studentId));
  const school = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, only: (s) => ids.has(s.studentId) });
  return matches.map((s) => {
    const record = school.model.byId.get(s.studentId);
    if (record) return toStudentSummary(record);
    // Not evaluated (e.g. an unknown register code): listed, with no figures; getStudent says why.
    return { studentId: s.studentId, name: s.name, yearGroup: s.yearGroup, tutorGroup: s.tutorGroup, attendancePercent: 'not evaluated', step: 0 };
  });
}
