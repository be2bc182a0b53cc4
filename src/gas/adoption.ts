/**
 * Adopting the school's own history at set-up (issue 10; core/adoption.ts): previewAdoption shows,
 * per pupil, what the tracker already records (a current step, dated letters and meetings) and
 * what cannot be read; adoptHistory writes the items the person confirmed to the Interventions Log
 * as adopted history, then recalculates so the first plan builds on it. Attendance Lead and Admin
 * (the set-up role); under the document lock; a second run proposes nothing already adopted.
 */
import type { AdoptHistoryRequest, AdoptHistoryResult, AdoptionPreview } from '../rpcTypes';
import { resolveActivePolicy } from '../core/activePolicy';
import { adoptedRecords, proposeAdoption, pupilsWithAdoptedHistory, type AdoptionProposal } from '../core/adoption';
import { dateFormatFor, formatSchoolDate, schoolDatesIn } from '../core/format';
import { LOG_HEADERS, logRow, readInterventionsLog } from '../core/interventionsLog';
import { calendarFor } from '../core/schoolModel';
import { timestampIso, todayIso } from './clock';
import { ensureRows } from './grow';
import { withDocumentLock } from './lock';
import { recalculateWithin } from './recalc';
import { readTracker } from './schoolData';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

function proposal(ss: Spreadsheet, settings: ReturnType<typeof loadSettings>['settings']): { proposal: AdoptionProposal; format: ReturnType<typeof dateFormatFor>; ctx: { policy: ReturnType<typeof resolveActivePolicy>['policy']; calendar: ReturnType<typeof calendarFor> } } {
  const today = todayIso(ss);
  const { policy, table } = resolveActivePolicy(settings);
  const calendar = calendarFor(settings, table, today);
  const format = dateFormatFor(table.id);
  const tracker = readTracker(ss);
  const log = ss.getSheetByName(SHEET_NAMES.log);
  const records = log ? [...readInterventionsLog(log.getDataRange().getValues(), format).byStudent.values()].flat() : [];
  // Once Recalculate has written the add-on's columns, its Step column is its own evaluation, not
  // the school's history: it is not read again.
  const mapping = tracker.columns.mapping;
  const written = mapping.attendancePercent !== undefined && tracker.values.slice(1).some((r) => String(r[mapping.attendancePercent!] ?? '').trim() !== '');
  const skipColumns = new Set<number>(written && mapping.ladderStep !== undefined ? [mapping.ladderStep] : []);
  const p = proposeAdoption({
    skipColumns,
    values: tracker.values,
    idColumn: tracker.columns.mapping.studentId ?? 0,
    nameColumn: tracker.columns.mapping.studentName,
    policy,
    calendar,
    today,
    format,
    alreadyAdopted: pupilsWithAdoptedHistory(records),
  });
  return { proposal: p, format, ctx: { policy, calendar } };
}

/** previewAdoption RPC (AL, Admin): what the tracker already records, per pupil, for confirmation. */
export function previewAdoption(): AdoptionPreview {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  authorise(loaded.settings, 'setup');
  const { proposal: p, format } = proposal(ss, loaded.settings);
  return {
    columns: p.columns.map((c) => c.header),
    pupils: p.pupils.map((pupil) => ({
      studentId: pupil.studentId,
      name: pupil.name,
      row: pupil.row,
      items: pupil.items.map((i) => ({ key: i.key, what: schoolDatesIn(i.what, format), date: formatSchoolDate(i.date, format), dateKnown: i.dateKnown, step: i.step })),
    })),
    questions: p.questions.map((q) => schoolDatesIn(q, format)),
  };
}

/** adoptHistory RPC (AL, Admin): the confirmed items become Log rows, then the tracker is recalculated. */
export function adoptHistory(req: AdoptHistoryRequest): AdoptHistoryResult {
  const keys = Array.isArray(req?.keys) ? req.keys.map((k) => String(k)).slice(0, 20000) : [];
  if (keys.length === 0) throw new Error('Tick the history to record first (nothing was recorded).');
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'setup');
  return withDocumentLock(() => {
    const { proposal: p, format, ctx } = proposal(ss, loaded.settings);
    const offered = new Set(p.pupils.flatMap((x) => x.items.map((i) => i.key)));
    const confirmed = new Set(keys.filter((k) => offered.has(k)));
    const records = adoptedRecords(p, confirmed, { ...ctx, by: actor.email || 'unknown user' });
    if (records.length === 0) throw new Error('None of the ticked history is still to record (it may have been recorded already): nothing was recorded.');
    const names = new Map(p.pupils.map((x) => [x.studentId, x.name]));
    let sheet = ss.getSheetByName(SHEET_NAMES.log);
    if (!sheet) {
      sheet = ss.insertSheet(SHEET_NAMES.log);
      sheet.getRange(1, 1, 1, LOG_HEADERS.length).setValues([[...LOG_HEADERS]]);
    }
    const at = timestampIso(ss);
    const rows = records.map((r) => logRow(r, at, names.get(r.studentId) ?? '', format));
    const start = sheet.getLastRow() + 1;
    ensureRows(sheet, start + rows.length - 1, LOG_HEADERS.length);
    sheet.getRange(start, 1, rows.length, LOG_HEADERS.length).setValues(rows);
    recalculateWithin(ss, loaded);
    return { recorded: records.length, pupils: new Set(records.map((r) => r.studentId)).size };
  });
}
