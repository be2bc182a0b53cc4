/**
 * setReviewDate RPC: a Head of Year (their year), the Attendance Officer, the Attendance Lead or
 * Admin sets the review date of a pupil's current step from the sidebar's Student tab (issue 10).
 * The role and scope are checked here, the date is checked against the school's calendar
 * (core/reviewDate.ts), and the decision is written to the Interventions Log as a note row — the
 * record the ladder, the plan and the letter's {{Review date}} read it from. Under the document lock.
 */
import type { SetReviewDateRequest, StudentView } from '../rpcTypes';
import { logRow, LOG_ATTENDANCE_COLUMN, LOG_HEADERS } from '../core/interventionsLog';
import { PERCENT_CELL_FORMAT } from '../core/format/percent';
import { REVIEW_DATE_SET } from '../core/history';
import { checkReviewDate, reviewNoteText } from '../core/reviewDate';
import { canSeeStudent, scopeWords } from '../core/roles';
import { toStudentView } from '../core/studentView';
import { ownedColumnRuns, ownedValues } from '../core/tracker/ownedColumns';
import { timestampIso, todayIso } from './clock';
import { markTrackerChanged } from './dataVersion';
import { withDocumentLock } from './lock';
import { loadSchool, readTracker } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';
import { staleRegisterNotice } from '../core/register/staleness';
import { registerImportedAt } from './registerImported';

export function setReviewDate(request: SetReviewDateRequest): StudentView {
  const studentId = String(request?.studentId ?? '').trim();
  if (studentId === '' || studentId.length > 64) throw new Error('Review date: choose a student first.');
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'setReviewDate');
  return withDocumentLock(() => {
    const today = todayIso(ss);
    const tracker = readTracker(ss);
    const only = (s: { studentId: string }) => s.studentId === studentId;
    const before = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, only }).model;
    const record = before.byId.get(studentId);
    if (!record || !canSeeStudent(actor, record.student)) {
      // The same words whether the pupil is unknown or outside the caller's scope: nothing is revealed.
      throw new Error(`Review date: no student with ID "${studentId}" among the students you may see${scopeWords(actor)}. Nothing was changed.`);
    }
    if (record.placement.step === 0) {
      throw new Error(`Review date: ${record.student.name} is at no step of the ladder, so there is nothing to review. Nothing was changed.`);
    }
    const checked = checkReviewDate(request?.date, today, before.calendar);
    if (!checked.ok) throw new Error(`${checked.message} Nothing was changed.`);
    const sheet = ss.getSheetByName(SHEET_NAMES.log);
    if (!sheet) throw new Error(`Review date: there is no "${SHEET_NAMES.log}" tab. Run set-up first; nothing was changed.`);
    const row = logRow(
      {
        date: today,
        studentId,
        step: record.placement.step,
        method: 'Note',
        outcome: REVIEW_DATE_SET,
        nextAction: reviewNoteText(checked.date, before.dateFormat),
        by: actor.email || 'unknown user',
        attendanceAtTime: record.stats.attendanceFraction,
        notes: checked.date ? `Review date of Step ${record.placement.step} set by ${actor.email || 'unknown user'} (was ${record.placement.reviewDue ?? 'none'}).` : `Review date of Step ${record.placement.step} cleared by ${actor.email || 'unknown user'}.`,
      },
      timestampIso(ss),
      record.student.name,
      before.dateFormat,
    );
    sheet.appendRow(row);
    sheet.getRange(sheet.getLastRow(), LOG_ATTENDANCE_COLUMN).setNumberFormat(PERCENT_CELL_FORMAT);
    void LOG_HEADERS;
    // The tracker's own cells of this row (Review due, Why…) follow at once.
    const after = loadSchool(ss, today, { settings: loaded.settings, settingsProblems: loaded.problems, tracker, only }).model;
    const updated = after.byId.get(studentId) ?? record;
    const runs = ownedColumnRuns(tracker.columns.mapping);
    ownedValues([{ kind: 'student', row: updated.student.row, record: updated }], runs, after.dateFormat).forEach((values, i) => {
      tracker.sheet.getRange(updated.student.row, runs[i]!.startColumn + 1, 1, values[0]!.length).setValues(values);
    });
    markTrackerChanged(ss);
    const view = toStudentView(updated, loaded.settings.staff);
    view.registerNotice = staleRegisterNotice(after.register, registerImportedAt());
    return view;
  });
}
