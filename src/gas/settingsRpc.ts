/**
 * RPCs getSettings / saveSettings (AL and Admin). Saving rebuilds the Settings tab from the request
 * merged over the settings in force, validates the result exactly as the tab is validated when read
 * (parseSettingsSheet) and reports each problem against the request field it came from. Only a
 * fully valid result is written — one setValues — and it is read back and checked again; otherwise
 * the tab and the settings in force stay as they were.
 */
import { settingsTextProblems } from '../core/settingsText';
import type { CalendarRowSetting, FieldError, SaveSettingsRequest, SaveSettingsResponse, SettingsView, StaffSetting, TemplateSetting } from '../rpcTypes';
import { calendarFromEntries, calendarKindOf, englandPattern, schoolDaysOf, type CalendarEntry, type CalendarKind } from '../core/calendar';
import type { SettingsBase } from '../rpcTypes';
import { PRESETS } from '../core/policy/presets';
import { SETTING_ROWS, parseSettingsSheet, settingsDateFormat, settingsToSheet, type Settings, type SettingsProblem } from '../core/settings';
import { formatSchoolDate, type SchoolDateFormat } from '../core/format';
import { mergeSettingsIntoSheet } from '../core/settingsSheet';
import { diffStaff, staffListProblem, withoutStaff, type ConfigRecord, type StaffChange } from '../core/staffRecord';
import { timestampIso } from './clock';
import { ensureRows } from './grow';
import { StoreError, forgetStaffCache, reconcileStaffChanges, saveConfig, staffAccess, syncProtections } from './staffStore';
import { describeMapping } from '../core/tracker/columns';
import { headsOfYearWithoutReport } from '../core/report/recipients';
import type { CodeCategory } from '../core/types';
import { withDocumentLock } from './lock';
import { authorise } from './session';
import { loadSettings } from './settingsStore';
import { SHEET_NAMES } from './sheetNames';
import { getSpreadsheet, openTracker } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const Q_Y_CODES = ['Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7'];
const CATEGORIES = ['notPossible', 'authorised', 'unauthorised'];
const EDITABLE = ['schoolName', 'presetId', 'timeZone', 'templates', 'staff', 'codeOverrides', 'calendar', 'base'];

function columnMappingLines(ss: Spreadsheet): string[] {
  try {
    const tracker = openTracker(ss);
    return describeMapping(tracker.columns, tracker.headers);
  } catch (err) {
    return [(err as Error).message];
  }
}

export function settingsView(ss: Spreadsheet, settings: Settings): SettingsView {
  return {
    schoolName: settings.schoolName,
    presetId: settings.presetId,
    presets: Object.values(PRESETS).map((p) => ({ id: p.id, label: p.label })),
    timeZone: ss.getSpreadsheetTimeZone(),
    templates: settings.templates.map((t) => ({ letterId: t.letterId, language: t.language, docId: t.docId })),
    staff: settings.staff.map((s) => ({ email: s.email, name: s.name, role: s.role, yearGroup: s.yearGroup, tutorGroup: s.tutorGroup })),
    columnMapping: columnMappingLines(ss),
    codeOverrides: { ...settings.codeOverrides },
    calendar: (settings.calendar ?? []).map(calendarRowOf),
    calendarPattern: patternOffer(settings, todayIn(ss)),
    calendarSummary: calendarSummary(settings.calendar ?? [], settingsDateFormat(settings.presetId)),
    schoolPolicy: settings.policyBook ? settings.policyBook.policy.label : null,
  };
}

const calendarRowOf = (e: CalendarEntry): CalendarRowSetting => ({ kind: e.kind, name: e.name, from: e.start, to: e.end === e.start ? '' : e.end });

function todayIn(ss: Spreadsheet): string {
  return Utilities.formatDate(new Date(), ss.getSpreadsheetTimeZone(), 'yyyy-MM-dd');
}

const academicYearOf = (date: string) => (Number(date.slice(5, 7)) >= 8 ? Number(date.slice(0, 4)) : Number(date.slice(0, 4)) - 1);

/**
 * England's usual pattern to start from: for the school year containing today, or — when the year
 * entered runs past today — for the year after it (getting ready for September).
 */
export function patternOffer(settings: Settings, today: string): { label: string; rows: CalendarRowSetting[] } {
  const ends = (settings.calendar ?? []).filter((e) => e.kind === 'Term').map((e) => e.end).sort();
  const lastEnd = ends[ends.length - 1];
  const y = lastEnd && lastEnd >= today ? academicYearOf(lastEnd) + 1 : academicYearOf(today);
  return { label: `England's usual pattern for ${y}–${String(y + 1).slice(2)}`, rows: englandPattern(y).map(calendarRowOf) };
}

export function calendarSummary(entries: CalendarEntry[], format: SchoolDateFormat = 'dd/MM/yyyy'): string {
  const terms = entries.filter((e) => e.kind === 'Term').sort((a, b) => (a.start < b.start ? -1 : 1));
  if (terms.length === 0) return "No academic year entered: the add-on uses England's (or the US) usual pattern, which may not match your school's dates.";
  const days = schoolDaysOf(calendarFromEntries(entries)).length;
  return `${days} school days in ${terms.length} term${terms.length === 1 ? '' : 's'}, ${formatSchoolDate(terms[0]!.start, format)} to ${formatSchoolDate(terms[terms.length - 1]!.end, format)}.`;
}

/** RPC getSettings. */
export function getSettings(): SettingsView {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  authorise(loaded.settings, 'editSettings');
  return settingsView(ss, loaded.settings);
}

const isText = (v: unknown): v is string => typeof v === 'string';

/**
 * The request merged over the settings in force; shape errors (wrong types, unknown fields) are
 * reported here, value errors by parseSettingsSheet below.
 */
export function mergeSettingsRequest(current: Settings, req: SaveSettingsRequest, timeZone: string): { next: Settings; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const next: Settings = { ...current, codeOverrides: { ...current.codeOverrides }, staff: [...current.staff], templates: [...current.templates] };
  for (const key of Object.keys(req)) {
    if (!EDITABLE.includes(key)) errors.push({ field: key, message: `"${key}" cannot be changed here (editable: ${EDITABLE.join(', ')}).` });
  }
  if (req.schoolName !== undefined) {
    if (!isText(req.schoolName)) errors.push({ field: 'schoolName', message: 'School name must be text.' });
    else next.schoolName = req.schoolName.trim();
  }
  if (req.presetId !== undefined) {
    if (!isText(req.presetId)) errors.push({ field: 'presetId', message: 'Policy preset must be text.' });
    else next.presetId = req.presetId.trim();
  }
  if (req.timeZone !== undefined && req.timeZone !== timeZone) {
    errors.push({ field: 'timeZone', message: `The time zone is the spreadsheet's own (${timeZone}); change it in File ▸ Settings, not here.` });
  }
  if (req.staff !== undefined) {
    if (!Array.isArray(req.staff)) errors.push({ field: 'staff', message: 'Staff must be a list.' });
    else {
      next.staff = [];
      req.staff.forEach((s: StaffSetting, i) => {
        const fields = ['email', 'name', 'role', 'yearGroup', 'tutorGroup'] as const;
        const bad = s && typeof s === 'object' ? fields.filter((f) => s[f] !== undefined && !isText(s[f])) : ['email'];
        if (bad.length > 0) {
          for (const f of bad) errors.push({ field: `staff.${i}.${f}`, message: `Staff row ${i + 1}: ${f} must be text.` });
          return;
        }
        next.staff.push({ email: (s.email ?? '').trim(), name: (s.name ?? '').trim(), role: s.role, yearGroup: (s.yearGroup ?? '').trim(), tutorGroup: (s.tutorGroup ?? '').trim() });
      });
    }
  }
  if (req.templates !== undefined) {
    if (!Array.isArray(req.templates)) errors.push({ field: 'templates', message: 'Templates must be a list.' });
    else {
      next.templates = [];
      req.templates.forEach((t: TemplateSetting, i) => {
        const fields = ['letterId', 'language', 'docId'] as const;
        const bad = t && typeof t === 'object' ? fields.filter((f) => !isText(t[f])) : ['letterId'];
        if (bad.length > 0) {
          for (const f of bad) errors.push({ field: `templates.${i}.${f}`, message: `Template row ${i + 1}: ${f} must be text.` });
          return;
        }
        next.templates.push({ letterId: t.letterId.trim(), language: t.language.trim(), docId: t.docId.trim() });
      });
    }
  }
  if (req.codeOverrides !== undefined) {
    const entries = req.codeOverrides && typeof req.codeOverrides === 'object' ? Object.entries(req.codeOverrides) : null;
    if (!entries) errors.push({ field: 'codeOverrides', message: 'Code overrides must be a map of code → category.' });
    else {
      const badCodes = entries.filter(([code]) => !Q_Y_CODES.includes(code)).map(([code]) => code);
      const categories = [...new Set(entries.map(([, c]) => String(c)))];
      if (badCodes.length > 0) errors.push({ field: 'codeOverrides', message: `Only Q and Y1–Y7 can be re-classified (the 2024 DfE treatment is unconfirmed); not ${badCodes.join(', ')}.` });
      else if (categories.some((c) => !CATEGORIES.includes(c))) errors.push({ field: 'codeOverrides', message: `A category must be one of ${CATEGORIES.join(', ')}.` });
      else if (categories.length > 1) errors.push({ field: 'codeOverrides', message: 'Q and Y1–Y7 share one setting: give them all the same category.' });
      else next.codeOverrides = categories.length === 0 ? {} : Object.fromEntries(Q_Y_CODES.map((c) => [c, categories[0] as CodeCategory]));
    }
  }
  if (req.calendar !== undefined) {
    if (!Array.isArray(req.calendar)) errors.push({ field: 'calendar', message: 'The academic year must be a list of rows.' });
    else if (req.calendar.length > 200) errors.push({ field: 'calendar', message: `The academic year has ${req.calendar.length} rows; at most 200 fit.` });
    else {
      next.calendar = [];
      req.calendar.forEach((row: CalendarRowSetting, i) => {
        const fields = ['kind', 'name', 'from', 'to'] as const;
        const bad = row && typeof row === 'object' ? fields.filter((f) => row[f] !== undefined && !isText(row[f])) : ['kind'];
        if (bad.length > 0) {
          for (const f of bad) errors.push({ field: `calendar.${i}.${f}`, message: `Academic year row ${i + 1}: ${f} must be text.` });
          return;
        }
        // Values go onto the tab as typed; parseSettingsSheet below judges them and names the cell.
        const from = (row.from ?? '').trim();
        const to = (row.to ?? '').trim();
        next.calendar.push({ kind: (calendarKindOf(row.kind) ?? (row.kind ?? '').trim()) as CalendarKind, name: (row.name ?? '').trim(), start: from, end: to || from });
      });
    }
  }
  return { next, errors };
}

/** Which request field a problem found on the rebuilt tab belongs to (settingsToSheet's row layout). */
export function fieldOfProblem(problem: SettingsProblem, settings: Settings): string {
  const m = /^([A-Z]+)(\d+)$/.exec(problem.cell);
  if (!m) return problem.field === 'Academic year' ? 'calendar' : problem.field;
  const row = Number(m[2]);
  const column = m[1];
  const firstSetting = 2;
  if (row >= firstSetting && row < firstSetting + SETTING_ROWS.length) return String(SETTING_ROWS[row - firstSetting].field);
  const firstStaff = firstSetting + SETTING_ROWS.length + 3;
  if (row >= firstStaff && row < firstStaff + settings.staff.length) {
    return `staff.${row - firstStaff}.${({ A: 'email', B: 'name', C: 'role', D: 'yearGroup', E: 'tutorGroup' } as Record<string, string>)[column] ?? 'email'}`;
  }
  const firstTemplate = firstStaff + settings.staff.length + 3;
  const firstCalendar = firstTemplate + settings.templates.length + 3;
  if (row >= firstCalendar) return `calendar.${row - firstCalendar}.${({ A: 'kind', B: 'name', C: 'from', D: 'to' } as Record<string, string>)[column] ?? 'kind'}`;
  if (row >= firstTemplate) return `templates.${row - firstTemplate}.${({ A: 'letterId', B: 'language', C: 'docId' } as Record<string, string>)[column] ?? 'letterId'}`;
  return problem.field;
}

/**
 * Writes settings to the Settings tab, keeping whatever else staff keep there (notes, other
 * columns, sections of their own): src/core/settingsSheet.ts. The caller holds the document lock
 * and has validated the values.
 */
export function writeSettingsTab(ss: Spreadsheet, settings: Settings): void {
  const sheet = ss.getSheetByName(SHEET_NAMES.settings) ?? ss.insertSheet(SHEET_NAMES.settings);
  const existing = sheet.getLastRow() === 0 ? [] : sheet.getDataRange().getValues();
  const block = mergeSettingsIntoSheet(existing, settings);
  ensureRows(sheet, block.length, block[0].length);
  sheet.getRange(1, 1, block.length, block[0].length).setValues(block);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed since the form was loaded (base) — in words, field by field — or [] when nothing did.
 * A save made from an older copy would silently undo someone else's change (a removed member of
 * staff coming back), so it is refused with this list.
 */
export function staleFormChanges(base: SettingsBase, current: SettingsView): string[] {
  const out: string[] = [];
  if (base.schoolName !== current.schoolName) out.push(`School name is now "${current.schoolName}"`);
  if (base.presetId !== current.presetId) out.push(`Policy preset is now ${current.presetId}`);
  if (!sameJson(base.codeOverrides ?? {}, current.codeOverrides)) out.push('the Q and Y code setting changed');
  if (!sameJson(base.templates ?? [], current.templates)) out.push('the letter templates changed');
  if (base.calendar !== undefined && !sameJson(base.calendar, current.calendar)) out.push('the academic year changed');
  const was = new Map((base.staff ?? []).map((m) => [String(m.email).toLowerCase(), m]));
  const now = new Map(current.staff.map((m) => [m.email.toLowerCase(), m]));
  for (const [email, m] of now) {
    const o = was.get(email);
    if (!o) out.push(`${email} was added as ${m.role}`);
    else if (!sameJson({ ...o, email }, { ...m, email })) out.push(`${email} was changed (now ${m.role})`);
  }
  for (const email of was.keys()) if (!now.has(email)) out.push(`${email} was removed`);
  return out;
}

/**
 * Year groups written on the tracker (one column read): to flag a Head of Year who would get no
 * weekly report. [] when the tracker cannot be read (setup not run): nothing is flagged then.
 */
function trackerYearGroups(ss: Spreadsheet): string[] {
  try {
    const tracker = openTracker(ss);
    const column = tracker.mapping.yearGroup;
    if (column === undefined || tracker.lastRow < 2) return [];
    const values = tracker.sheet.getRange(2, column + 1, tracker.lastRow - 1, 1).getValues();
    return [...new Set(values.map((r) => String(r[0] ?? '').trim()).filter(Boolean))];
  } catch {
    return [];
  }
}

/** RPC saveSettings. */
export function saveSettings(request: SaveSettingsRequest): SaveSettingsResponse {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  const actor = authorise(loaded.settings, 'editSettings');
  const unchanged = (errors: FieldError[], settings: Settings = loaded.settings): SaveSettingsResponse => ({ ok: false, errors, settings: settingsView(ss, settings) });
  if (!request || typeof request !== 'object' || Array.isArray(request)) return unchanged([{ field: '', message: 'Nothing to save: the request is empty.' }]);
  const { base, ...fields } = request;
  const { next, errors } = mergeSettingsRequest(loaded.settings, fields, ss.getSpreadsheetTimeZone());
  if (errors.length > 0) return unchanged(errors);
  const textProblems = settingsTextProblems(next, fields);
  if (textProblems.length > 0) return unchanged(textProblems);
  const values = settingsToSheet(next);
  const presetIds = Object.keys(PRESETS);
  const check = parseSettingsSheet(values, presetIds);
  if (check.problems.length > 0) return unchanged(check.problems.map((p) => ({ field: fieldOfProblem(p, next), message: `${p.message} (Settings cell ${p.cell})` })));
  const staffProblem = fields.staff !== undefined ? staffListProblem(next.staff) : null;
  if (staffProblem) return unchanged([{ field: 'staff', message: staffProblem }]);
  if (fields.staff !== undefined && (!base || typeof base !== 'object')) {
    return unchanged([{ field: 'staff', message: 'Reload the settings before changing staff: this form did not say which staff list it started from, so it might undo someone else\'s change.' }]);
  }

  return withDocumentLock(() => {
    // Again under the lock: someone may have saved between this form's load and now.
    forgetStaffCache();
    const now = loadSettings(ss);
    const access = staffAccess();
    if (!access.claimed || !access.record) {
      return unchanged([{ field: '', message: access.unreadable ? `The stored staff list cannot be read (${access.unreadable}); the spreadsheet's owner should run SOL Tracker ▸ Set up….` : 'SOL Tracker is not set up yet: run SOL Tracker ▸ Set up… first.' }], now.settings);
    }
    if (base && typeof base === 'object') {
      const changes = staleFormChanges(base as SettingsBase, settingsView(ss, now.settings));
      if (changes.length > 0) {
        return unchanged([{ field: '', message: `Someone saved the settings after you opened this form: ${changes.join('; ')}. Nothing was saved; your form now shows the settings in force — make your change again.` }], now.settings);
      }
    }
    // The previous staff change reaches the Staff Changes tab before a new one is made (exactly once).
    reconcileStaffChanges(ss, access.record.lastChange);

    const entries = diffStaff(access.record.staff, next.staff);
    const change: StaffChange | null = entries.length > 0
      ? { no: access.record.changeNo + 1, at: timestampIso(ss).replace('T', ' ').slice(0, 16), by: actor.email || 'unknown user', entries }
      : access.record.lastChange;
    const record: ConfigRecord = { ...access.record, staff: next.staff, changeNo: entries.length > 0 ? access.record.changeNo + 1 : access.record.changeNo, lastChange: change, settings: withoutStaff(next) };

    const sheet = ss.getSheetByName(SHEET_NAMES.settings) ?? ss.insertSheet(SHEET_NAMES.settings);
    const existing = sheet.getLastRow() === 0 ? [] : sheet.getDataRange().getValues();
    const block = mergeSettingsIntoSheet(existing, next);

    let stored: { rollback: () => void; cleanup: () => void };
    try {
      stored = saveConfig(record); // the commit: staff, roles and settings together
    } catch (err) {
      return unchanged([{ field: '', message: err instanceof StoreError ? err.message : 'The settings were not saved: Google did not accept the write. Nothing was changed; try again.' }], now.settings);
    }
    try {
      ensureRows(sheet, block.length, block[0].length);
      sheet.getRange(1, 1, block.length, block[0].length).setValues(block);
    } catch {
      try {
        stored.rollback();
        forgetStaffCache();
        return unchanged([{ field: '', message: 'The Settings tab could not be written, so nothing was saved (the staff list and settings are as they were). Try again.' }], now.settings);
      } catch {
        forgetStaffCache();
        return { ok: false, errors: [{ field: '', message: 'The staff list and settings were saved, but the Settings tab could not be updated to show them. Save again to update the tab.' }], settings: settingsView(ss, { ...next }) };
      }
    }
    const notes: string[] = [];
    try {
      stored.cleanup();
      reconcileStaffChanges(ss, entries.length > 0 ? change : null);
      if (entries.length > 0) syncProtections(ss, next.staff);
    } catch {
      notes.push('Saved. The Staff Changes tab or the tab protections could not be updated just now; they are completed on the next save.');
    }
    forgetStaffCache();
    const reread = loadSettings(ss);
    if (reread.problems.length > 0) {
      return { ok: false, errors: reread.problems.map((p) => ({ field: fieldOfProblem(p, next), message: `${p.message} (Settings cell ${p.cell})` })), settings: settingsView(ss, reread.settings) };
    }
    const years = trackerYearGroups(ss);
    const warnings = years.length ? headsOfYearWithoutReport(reread.settings.staff, years) : [];
    return { ok: true, errors: notes.map((message) => ({ field: '', message })), settings: settingsView(ss, reread.settings), ...(warnings.length ? { warnings } : {}) };
  });
}
