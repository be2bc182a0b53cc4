/**
 * Puts a generated school into an emulator spreadsheet (host side, through emu.direct): the tracker
 * tab with the school's columns (any order, any accepted header names, staff columns of its own),
 * the Register tab (wide form), the Settings tab (with the school's staff) and an empty
 * Interventions Log. Reused by every bundle test and bench that needs a school.
 */
import type { Emulator } from '../../emulator';
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { registerSheetValues } from '../../src/core/register/registerSheet';
import { DEFAULT_SETTINGS, settingsToSheet, type Settings } from '../../src/core/settings';
import { sampleCalendar, generateSchool, type SampleSchool, type SampleSchoolOptions, type SampleStudent } from '../../src/core/sample/school';
import { matchHeader, type FieldKey } from '../../src/core/tracker/columns';
import { encodeRecord } from '../../src/core/chunkedRecord';
import { CONFIG_RECORD, withoutStaff, type ConfigRecord } from '../../src/core/staffRecord';

/** Stores a staff list (and settings) in document properties exactly as the add-on's first set-up does, host side. */
export function storeStaffRecord(emu: Emulator, settings: Settings, claimedBy = 'owner@school.example'): void {
  const record: ConfigRecord = { v: 1, staff: settings.staff.map((s) => ({ ...s, email: s.email.toLowerCase() })), claimedBy, claimedAt: '', changeNo: 0, lastChange: null, settings: withoutStaff(settings) };
  const encoded = encodeRecord(CONFIG_RECORD, 1, JSON.stringify(record));
  emu.direct(() => {
    const props = emu.services.PropertiesService.getDocumentProperties();
    props.setProperties(encoded.chunks);
    props.setProperty(CONFIG_RECORD, encoded.pointerValue);
  });
}

/** The tracker as a fresh setup lays it out: staff columns, then the add-on's columns. */
export const DEFAULT_TRACKER_HEADERS = [
  'Student ID', 'Student Name', 'Year Group', 'Tutor Group', 'Parent/Guardian Name', 'Parent Email', 'Parent Phone',
  'Language', 'RTC', 'ROPC', 'Comments',
  'Attendance %', 'Possible', 'Unauthorised', 'PA', 'Severe', 'Step', 'Why', 'Review due', 'Last contact', 'Contact due', 'Letters',
];

export const TAB = { tracker: 'SOL Tracker', register: 'Register', settings: 'Settings', log: 'Interventions Log' } as const;

export interface SampleSpreadsheetOptions extends Partial<SampleSchoolOptions> {
  /** Tracker headers in sheet order; any alias works, unknown headers are staff columns (blank). */
  headers?: string[];
  /** A value for a cell the school does not fill (e.g. a staff comment), or undefined for the default. */
  cell?: (header: string, field: FieldKey | undefined, student: SampleStudent, index: number) => unknown;
  /** Settings on top of the defaults; staff come from the school unless given. */
  settings?: Partial<Settings>;
  /** An existing school instead of generating one. */
  school?: SampleSchool;
  /** Tabs to leave out (e.g. to test a missing Register). */
  omit?: (keyof typeof TAB)[];
  /**
   * Leave the tracker unclaimed: no staff record in document properties, as before its first set-up.
   * By default the school's staff are stored as the first set-up stores them (roles come only from there).
   */
  unclaimed?: boolean;
}

export interface SampleSpreadsheet {
  school: SampleSchool;
  headers: string[];
  settings: Settings;
  /** The last school day of the register: set the emulator clock to it. */
  today: string;
  /** Staff e-mail of the first member with a role. */
  staffOf(role: Settings['staff'][number]['role']): Settings['staff'][number];
}

/** Options for generateSchool with defaults: 1 UK term from Monday 2 September 2024. */
export function sampleOptions(opts: Partial<SampleSchoolOptions> = {}): SampleSchoolOptions {
  return { seed: opts.seed ?? 1, students: opts.students ?? 100, startDate: opts.startDate ?? '2024-09-02', schoolDays: opts.schoolDays ?? 60, preset: opts.preset ?? 'uk' };
}

function fieldValue(field: FieldKey | undefined, s: SampleStudent): unknown {
  const p = s.parents[0];
  switch (field) {
    case 'studentId': return s.studentId;
    case 'studentName': return s.name;
    case 'firstName': return s.name.split(' ')[0];
    case 'lastName': return s.name.split(' ').slice(1).join(' ');
    case 'yearGroup': return s.yearGroup;
    case 'tutorGroup': return s.tutorGroup;
    case 'parentName': return p?.name ?? '';
    case 'parentEmail': return p?.email ?? '';
    case 'parentPhone': return p?.phone ?? '';
    case 'secondParentName': return s.parents[1]?.name ?? '';
    case 'secondParentEmail': return s.parents[1]?.email ?? '';
    case 'secondParentPhone': return s.parents[1]?.phone ?? '';
    case 'language': return s.language;
    default: return '';
  }
}

/** Writes a sheet's values (creating the tab), host side. */
export function writeTab(emu: Emulator, name: string, values: unknown[][]): void {
  emu.direct(() => {
    const ss = emu.spreadsheet;
    const sheet = ss.getSheetByName(name) ?? ss.insertSheet(name);
    const rows = values.length;
    const cols = values[0]?.length ?? 0;
    // A new tab is 1000 × 26: grow it to fit (as a user pasting a big export would).
    if (rows > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), rows - sheet.getMaxRows());
    if (cols > sheet.getMaxColumns()) sheet.insertColumnsAfter(sheet.getMaxColumns(), cols - sheet.getMaxColumns());
    if (values.length > 0 && values[0]!.length > 0) sheet.getRange(1, 1, values.length, values[0]!.length).setValues(values as unknown[][]);
  });
}

export function putSampleSchool(emu: Emulator, opts: SampleSpreadsheetOptions = {}): SampleSpreadsheet {
  const school = opts.school ?? generateSchool(sampleOptions(opts));
  const headers = opts.headers ?? DEFAULT_TRACKER_HEADERS;
  const fields = headers.map((h) => matchHeader(h)?.field);
  const tracker: unknown[][] = [headers];
  school.students.forEach((s, i) => {
    tracker.push(headers.map((h, c) => {
      const custom = opts.cell?.(h, fields[c], s, i);
      return custom !== undefined ? custom : fieldValue(fields[c], s);
    }));
  });
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    schoolName: school.name,
    staff: school.staff.map((m) => ({ email: m.email, name: m.name, role: m.role, yearGroup: m.yearGroup ?? '', tutorGroup: m.tutorGroup ?? '' })),
    // A whole academic year fitted to the register's days, so the add-on's calendar agrees with the marks.
    calendar: school.schoolDays.length ? sampleCalendar(school.schoolDays) : [],
    ...opts.settings,
  };
  const omit = new Set(opts.omit ?? []);
  if (!omit.has('tracker')) {
    // The emulator's first tab becomes the tracker.
    emu.direct(() => {
      const first = emu.spreadsheet.getSheets()[0]!;
      if (!emu.spreadsheet.getSheetByName(TAB.tracker)) first.setName(TAB.tracker);
    });
    writeTab(emu, TAB.tracker, tracker);
  }
  if (!omit.has('register')) writeTab(emu, TAB.register, registerSheetValues(school.marks, school.students.map((s) => s.studentId)));
  if (!omit.has('settings')) writeTab(emu, TAB.settings, settingsToSheet(settings));
  if (!omit.has('log')) writeTab(emu, TAB.log, [[...LOG_HEADERS]]);
  if (!opts.unclaimed) storeStaffRecord(emu, settings);
  return {
    school,
    headers,
    settings,
    today: school.schoolDays[school.schoolDays.length - 1] ?? opts.startDate ?? '2024-09-02',
    staffOf(role) {
      const m = settings.staff.find((s) => s.role === role);
      if (!m) throw new Error(`The sample school has no ${role}`);
      return m;
    },
  };
}

/** A clock time on a school date, mid-afternoon in London (so the school date is that day). */
export function schoolDayNoon(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

/** All values of a tab, host side (not counted as the project's calls). */
export function tabValues(emu: Emulator, name: string): unknown[][] {
  return emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName(name);
    return sheet ? (sheet.getDataRange().getValues() as unknown[][]) : [];
  });
}
