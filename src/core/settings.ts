/**
 * The Settings tab, as data. Layout (one tab, readable by staff):
 *
 *   A: Setting            B: Value                C: Notes
 *   School name           Hillside Academy   (the weekly report's day and hour live with its
 *                                            trigger: the sidebar's Weekly tab sets and shows them)
 *   Policy preset         UK secondary
 *   ...
 *   [Staff]                                       ← a section marker row
 *   Email | Name | Role | Year group | Tutor group   ← its header row
 *   ...rows...
 *   [Templates]
 *   Letter | Language | Document ID
 *   [Academic year]                               ← terms and the days off inside them
 *   What | Name | From | To
 *   Term | Autumn term | 2026-09-01 | 2026-12-18
 *   Half-term | Autumn half-term | 2026-10-26 | 2026-10-30
 *   INSET | INSET day | 2026-09-01 |              ← To blank: one day
 *
 * Parsing validates every cell with zod and reports problems by A1 cell, so staff can fix them;
 * the gas layer keeps the last valid settings in force when the sheet has an error.
 */
import * as z from 'zod/mini';
import type { CodeCategory, IsoDate, StaffRole } from './types';
import { STAFF_ROLES } from './types';
import { CALENDAR_KINDS, calendarKindOf, isoDateOfCell, parseDateCell, type CalendarEntry } from './calendar';
import type { PolicyBook } from './policy/book';
import { PRESETS } from './policy/presets';
import { normaliseLanguage } from './language';
import { dateFormatFor, formatSchoolDate, isoOfSchoolDate, languageCellName, letterCellName, letterIdOfName, type SchoolDateFormat } from './format';

/** The Settings tab's "Policy preset" cell in words; the preset ids are still read (tabs written before). */
export const PRESET_CELL_NAMES: Readonly<Record<string, string>> = {
  'uk-secondary-sol': 'UK secondary',
  'us-illinois-elementary': 'US elementary (Illinois)',
  generic: 'Generic',
};

export function presetCellName(presetId: string): string {
  return Object.prototype.hasOwnProperty.call(PRESET_CELL_NAMES, presetId) ? PRESET_CELL_NAMES[presetId]! : presetId;
}

/** The preset a "Policy preset" cell names (its words or its id, any case); null when none of the known ones. */
export function presetIdOfCell(text: string, knownPresetIds: readonly string[]): string | null {
  const t = String(text ?? '').trim().toLowerCase();
  return knownPresetIds.find((id) => id.toLowerCase() === t || presetCellName(id).toLowerCase() === t) ?? null;
}

/** How the Settings tab writes and reads its dates: the school's format, from its preset's code table (dd/MM/yyyy UK, MM/dd/yyyy US). */
export function settingsDateFormat(presetId: string): SchoolDateFormat {
  const preset = Object.prototype.hasOwnProperty.call(PRESETS, presetId) ? PRESETS[presetId] : undefined;
  return dateFormatFor(preset?.codeTableId);
}

/** A date cell of the Settings tab: a date, yyyy-mm-dd, or the school's own format ('02/09/2026'). */
function settingsDate(value: unknown, format: SchoolDateFormat): { date: IsoDate } | { error: string } {
  const parsed = parseDateCell(value);
  if (!('error' in parsed)) return parsed;
  const text = String(value ?? '').trim().replace(/^'/, '');
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (dmy) {
    const iso = isoOfSchoolDate(text, format);
    if (iso) return { date: iso };
    // Why not, in the words parseDateCell gives ('February 2024 has 29 days'), quoting what is written.
    const [a, b] = [dmy[1]!.padStart(2, '0'), dmy[2]!.padStart(2, '0')];
    const asIso = format === 'MM/dd/yyyy' ? `${dmy[3]}-${a}-${b}` : `${dmy[3]}-${b}-${a}`;
    const why = parseDateCell(asIso);
    return { error: 'error' in why ? why.error.replace(`"${asIso}"`, `"${text}"`) : `"${text}" is not a date (written ${format.toLowerCase()})` };
  }
  if (typeof value === 'number' || /^\d{4}-\d{1,2}-\d{1,2}$/.test(text)) return parsed; // its own words: 'there is no month 13'
  return { error: `"${text}" is not a date: write it ${format.toLowerCase()} (for example ${formatSchoolDate('2026-09-03', format)})` };
}

export const WEEK_DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type WeekDayName = (typeof WEEK_DAYS)[number];

export interface StaffMember {
  email: string;
  name: string;
  role: StaffRole;
  yearGroup: string;
  tutorGroup: string;
}

export interface TemplateRef {
  letterId: string;
  language: string;
  docId: string;
}

export interface Settings {
  schoolName: string;
  presetId: string;
  /** Q and Y1–Y7: the reference marks their 2024 classification unconfirmed, so schools may set it. */
  codeOverrides: Record<string, CodeCategory>;
  /**
   * The academic year (Settings ▸ Academic year): terms, half-terms, holidays, INSET, bank
   * holidays, closures and extra school days. Empty: the policy's country's usual pattern.
   */
  calendar: CalendarEntry[];
  /** Sender name shown on emails. */
  senderName: string;
  staff: StaffMember[];
  templates: TemplateRef[];
  /**
   * The school's own policy, saved from the policy editor (never from a cell: the gas layer reads it
   * from document properties). When present it is in force instead of the preset and Q/Y row.
   */
  policyBook?: PolicyBook | null;
  /** Sent letters' documents are moved to the Drive trash after this many months (null: kept; seed 000 §4). */
  letterRetentionMonths: number | null;
}

export const DEFAULT_SETTINGS: Settings = {
  schoolName: 'Our School',
  presetId: 'uk-secondary-sol',
  codeOverrides: {},
  calendar: [],
  senderName: 'Attendance Team',
  staff: [],
  templates: [],
  letterRetentionMonths: null,
};

export interface SettingsProblem {
  /** A1 cell on the Settings tab, e.g. 'B3'. */
  cell: string;
  field: string;
  message: string;
}

/** Key-value rows: label on the sheet → field. Labels match case-insensitively. */
export const SETTING_ROWS: { label: string; field: keyof Settings; note: string }[] = [
  { label: 'School name', field: 'schoolName', note: 'Shown on letters and reports.' },
  { label: 'Policy preset', field: 'presetId', note: 'UK secondary, US elementary (Illinois) or Generic.' },
  { label: 'Q and Y codes count as', field: 'codeOverrides', note: 'not possible (default), unauthorised or authorised — the 2024 DfE treatment of Q, Y1–Y7 is unconfirmed.' },
  { label: 'Email sender name', field: 'senderName', note: 'Display name on letters sent by email.' },
  { label: 'Keep letter copies for (months)', field: 'letterRetentionMonths', note: "Sent letters' documents are moved to the Drive trash after this many months, following the school's retention policy; blank keeps them." },
];

export const STAFF_SECTION = '[Staff]';
export const TEMPLATES_SECTION = '[Templates]';
export const STAFF_HEADERS = ['Email', 'Name', 'Role', 'Year group', 'Tutor group'];
export const TEMPLATE_HEADERS = ['Letter', 'Language', 'Document ID'];
export const CALENDAR_SECTION = '[Academic year]';
export const CALENDAR_HEADERS = ['What', 'Name', 'From', 'To'];
/** Rows of Settings tabs written before the academic year had its own section: read into it. */
const LEGACY_TERM_LABELS: Record<string, 'termName' | 'termStart' | 'termEnd' | 'closures'> = {
  'term name': 'termName',
  'term start': 'termStart',
  'term end': 'termEnd',
  closures: 'closures',
};

const emailSchema = z.string().check(z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'is not an email address'));
const Q_Y_CODES = ['Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7'];

const norm = (s: unknown) => String(s ?? '').trim().toLowerCase();

/** Parse the Settings tab values (from getValues). Unknown rows are ignored; bad values reported by cell. */
export function parseSettingsSheet(values: unknown[][], knownPresetIds: readonly string[]): { settings: Settings; problems: SettingsProblem[] } {
  const settings: Settings = { ...DEFAULT_SETTINGS, codeOverrides: {}, calendar: [], staff: [], templates: [] };
  const problems: SettingsProblem[] = [];
  const byLabel = new Map(SETTING_ROWS.map((r) => [norm(r.label), r]));
  let section: 'main' | 'staff' | 'templates' | 'calendar' | 'other' = 'main';
  let headerPending = false;
  const legacy: { termName?: string; termStart?: IsoDate; termEnd?: IsoDate; closures: IsoDate[]; row: number } = { closures: [], row: 0 };
  const calendarRows: number[] = [];

  values.forEach((row, i) => {
    const r = i + 1;
    const a = String(row[0] ?? '').trim();
    if (a === STAFF_SECTION) { section = 'staff'; headerPending = true; return; }
    if (a === TEMPLATES_SECTION) { section = 'templates'; headerPending = true; return; }
    if (a.toLowerCase() === CALENDAR_SECTION.toLowerCase()) { section = 'calendar'; headerPending = true; return; }
    // A section of the school's own ("[Bus routes]"): kept on the tab, not read as settings.
    if (/^\[.+\]$/.test(a)) { section = 'other'; headerPending = false; return; }
    if (section === 'other') return;
    if (headerPending) { headerPending = false; return; }
    if (row.every((c) => String(c ?? '').trim() === '')) return;

    if (section === 'main') {
      const legacyField = LEGACY_TERM_LABELS[norm(a)];
      if (legacyField) {
        readLegacyTermRow(legacyField, row[1], r, legacy, problems);
        return;
      }
      const def = byLabel.get(norm(a));
      if (!def) return;
      const raw = row[1];
      const cell = `B${r}`;
      const bad = (message: string) => problems.push({ cell, field: def.label, message: `${def.label}: ${message}` });
      switch (def.field) {
        case 'schoolName':
        case 'senderName': {
          const s = String(raw ?? '').trim();
          if (def.field === 'schoolName' && !s) bad('must not be blank');
          else if (s.length > 200) bad('is longer than 200 characters');
          else if (s) (settings[def.field] as string) = s;
          break;
        }
        case 'presetId': {
          const s = String(raw ?? '').trim();
          const id = presetIdOfCell(s, knownPresetIds);
          if (id === null) bad(`"${s}" is not a known preset (use one of: ${knownPresetIds.map(presetCellName).join(', ')})`);
          else settings.presetId = id;
          break;
        }
        case 'codeOverrides': {
          const s = String(raw ?? '').trim();
          if (!s) break;
          const cat = ['notPossible', 'authorised', 'unauthorised'].find((c) => c.toLowerCase() === s.toLowerCase().replace(/\s+/g, ''));
          if (!cat) bad(`"${s}" must be not possible, authorised or unauthorised`);
          // notPossible is already the tables' default: only a change is an override.
          else if (cat !== 'notPossible') for (const code of Q_Y_CODES) settings.codeOverrides[code] = cat as CodeCategory;
          break;
        }
        case 'letterRetentionMonths': {
          const s = String(raw ?? '').trim();
          if (!s) { settings.letterRetentionMonths = null; break; }
          const n = Number(s);
          if (!Number.isInteger(n) || n < 1 || n > 1200) bad(`"${s}" must be a whole number of months (1 or more), or blank to keep letters`);
          else settings.letterRetentionMonths = n;
          break;
        }
        default:
          break;
      }
      return;
    }

    if (section === 'staff') {
      const [email, name, role, yearGroup, tutorGroup] = row.map((c) => String(c ?? '').trim());
      const e = emailSchema.safeParse(email);
      if (!e.success) { problems.push({ cell: `A${r}`, field: 'Staff email', message: `Staff row ${r}: "${email}" is not an email address` }); return; }
      const roleMatch = STAFF_ROLES.find((x) => x.toLowerCase() === (role ?? '').toLowerCase());
      if (!roleMatch) { problems.push({ cell: `C${r}`, field: 'Staff role', message: `Staff row ${r}: role "${role}" must be one of ${STAFF_ROLES.join(', ')}` }); return; }
      if (settings.staff.some((s) => s.email.toLowerCase() === email.toLowerCase())) {
        problems.push({ cell: `A${r}`, field: 'Staff email', message: `Staff row ${r}: ${email} is listed twice` });
        return;
      }
      settings.staff.push({ email: email.toLowerCase(), name: name ?? '', role: roleMatch, yearGroup: yearGroup ?? '', tutorGroup: tutorGroup ?? '' });
      return;
    }

    if (section === 'templates') {
      const [letterText, languageText, docId] = row.map((c) => String(c ?? '').trim());
      // People read 'Letter 3' and 'Spanish'; ids and codes typed before ('letter3', 'es') are read too.
      const letterId = letterText ? letterIdOfName(letterText) ?? letterText : '';
      const language = /^[a-z]{2}(-[A-Z]{2})?$/.test(languageText ?? '') ? languageText! : normaliseLanguage(languageText);
      if (!letterId) { problems.push({ cell: `A${r}`, field: 'Template letter', message: `Template row ${r}: the letter is blank` }); return; }
      if (!languageText || !/^[a-z]{2}(-[A-Z]{2})?$/.test(language)) { problems.push({ cell: `B${r}`, field: 'Template language', message: `Template row ${r}: language "${languageText}" is not one we know: write it as a name (Spanish) or a code (es)` }); return; }
      if (!/^[A-Za-z0-9_-]{10,}$/.test(docId ?? '')) { problems.push({ cell: `C${r}`, field: 'Template document', message: `Template row ${r}: "${docId}" is not a Google Docs document ID` }); return; }
      settings.templates.push({ letterId, language, docId });
      return;
    }

    if (section === 'calendar') {
      const entry = readCalendarRow(row, r, problems, settingsDateFormat(settings.presetId));
      if (entry) {
        settings.calendar.push(entry);
        calendarRows.push(r);
      }
    }
  });

  if (settings.calendar.length === 0 && legacy.termStart && legacy.termEnd) settings.calendar = legacyCalendar(legacy, problems);
  checkCalendar(settings.calendar, calendarRows, problems, settingsDateFormat(settings.presetId));
  return { settings, problems };
}

/** One row of [Academic year]: What | Name | From | To (To blank = one day). Problems name the cell. */
function readCalendarRow(row: unknown[], r: number, problems: SettingsProblem[], format: SchoolDateFormat): CalendarEntry | null {
  const d = (iso: string) => formatSchoolDate(iso, format);
  const kind = calendarKindOf(row[0]);
  const typed = String(row[0] ?? '').trim();
  const name = String(row[1] ?? '').trim();
  const label = `Academic year row ${r}${name ? ` (${name})` : ''}`;
  if (!kind) {
    problems.push({ cell: `A${r}`, field: 'Academic year', message: `${label}: "${typed}" must be one of ${CALENDAR_KINDS.join(', ')}` });
    return null;
  }
  if (name.length > 100) {
    problems.push({ cell: `B${r}`, field: 'Academic year', message: `${label}: the name is longer than 100 characters` });
    return null;
  }
  const from = settingsDate(row[2], format);
  if ('error' in from) {
    problems.push({ cell: `C${r}`, field: 'Academic year', message: `${label}: From ${from.error}` });
    return null;
  }
  const blankTo = String(row[3] ?? '').trim() === '';
  const to = blankTo ? { date: from.date } : settingsDate(row[3], format);
  if ('error' in to) {
    problems.push({ cell: `D${r}`, field: 'Academic year', message: `${label}: To ${to.error}` });
    return null;
  }
  if (to.date < from.date) {
    problems.push({ cell: `D${r}`, field: 'Academic year', message: `${label}: To ${d(to.date)} is before From ${d(from.date)}` });
    return null;
  }
  return { kind, name: name || kind, start: from.date, end: to.date };
}

/** Whole-year checks: a row given twice, terms that overlap, a term of more than a year. */
function checkCalendar(entries: CalendarEntry[], rows: number[], problems: SettingsProblem[], format: SchoolDateFormat): void {
  const d = (iso: string) => formatSchoolDate(iso, format);
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    const key = `${e.kind}|${e.start}|${e.end}`;
    const r = rows[i] ?? 0;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ cell: `A${r}`, field: 'Academic year', message: `Academic year row ${r} repeats row ${first} (${e.kind} ${d(e.start)}${e.end !== e.start ? ` to ${d(e.end)}` : ''}): delete one of them` });
    } else seen.set(key, r);
  });
  const terms = entries.map((e, i) => ({ e, r: rows[i] ?? 0 })).filter((t) => t.e.kind === 'Term').sort((a, b) => (a.e.start < b.e.start ? -1 : 1));
  for (let i = 1; i < terms.length; i++) {
    const before = terms[i - 1]!;
    const t = terms[i]!;
    if (t.e.start <= before.e.end && !(t.e.start === before.e.start && t.e.end === before.e.end)) {
      problems.push({ cell: `C${t.r}`, field: 'Academic year', message: `Academic year row ${t.r}: ${t.e.name} starts ${d(t.e.start)}, before ${before.e.name} (row ${before.r}) ends on ${d(before.e.end)}` });
    }
  }
  for (const t of terms) {
    const days = (Date.parse(`${t.e.end}T00:00:00Z`) - Date.parse(`${t.e.start}T00:00:00Z`)) / 86400000;
    if (days > 366) problems.push({ cell: `D${t.r}`, field: 'Academic year', message: `Academic year row ${t.r}: ${t.e.name} runs more than a year (${d(t.e.start)} to ${d(t.e.end)})` });
  }
}

function readLegacyTermRow(
  field: 'termName' | 'termStart' | 'termEnd' | 'closures',
  raw: unknown,
  r: number,
  legacy: { termName?: string; termStart?: IsoDate; termEnd?: IsoDate; closures: IsoDate[]; row: number },
  problems: SettingsProblem[],
): void {
  const label = { termName: 'Term name', termStart: 'Term start', termEnd: 'Term end', closures: 'Closures' }[field];
  if (field === 'termName') { legacy.termName = String(raw ?? '').trim(); return; }
  if (field === 'closures') {
    const parts = String(raw ?? '').split(/[,;\n]+/).map((x) => x.trim()).filter(Boolean);
    for (const part of parts) {
      const parsed = parseDateCell(part);
      if ('error' in parsed) problems.push({ cell: `B${r}`, field: label, message: `${label}: ${parsed.error}` });
      else legacy.closures.push(parsed.date);
    }
    return;
  }
  if (String(raw ?? '').trim() === '' && Object.prototype.toString.call(raw) !== '[object Date]') return;
  const parsed = parseDateCell(raw);
  if ('error' in parsed) problems.push({ cell: `B${r}`, field: label, message: `${label}: ${parsed.error}` });
  else {
    legacy[field] = parsed.date;
    legacy.row = r;
  }
}

/** A Settings tab from before [Academic year]: its one term and closures, as rows of the new section. */
function legacyCalendar(legacy: { termName?: string; termStart?: IsoDate; termEnd?: IsoDate; closures: IsoDate[]; row: number }, problems: SettingsProblem[]): CalendarEntry[] {
  if (legacy.termStart! > legacy.termEnd!) {
    problems.push({ cell: `B${legacy.row}`, field: 'Term end', message: `Term end ${legacy.termEnd} is before term start ${legacy.termStart}` });
    return [];
  }
  return [
    { kind: 'Term', name: legacy.termName || 'Term', start: legacy.termStart!, end: legacy.termEnd! },
    ...legacy.closures.map((d): CalendarEntry => ({ kind: 'Closure', name: 'Closure', start: d, end: d })),
  ];
}

/** The Settings tab as written by setup: values for setValues (labels, values, notes). */
export function settingsToSheet(settings: Settings): string[][] {
  const rows: string[][] = [['Setting', 'Value', 'Notes']];
  for (const def of SETTING_ROWS) {
    let v: string;
    switch (def.field) {
      case 'codeOverrides': v = settings.codeOverrides.Q ?? 'not possible'; break;
      case 'presetId': v = presetCellName(settings.presetId); break;
      default: v = String(settings[def.field] ?? '');
    }
    rows.push([def.label, v, def.note]);
  }
  rows.push(['', '', '']);
  rows.push([STAFF_SECTION, '', 'Who may do what: Tutor (own groups), HOY (own year), AO, AL, Admin.']);
  rows.push([...STAFF_HEADERS]);
  for (const s of settings.staff) rows.push([s.email, s.name, s.role, s.yearGroup, s.tutorGroup]);
  rows.push(['', '', '']);
  rows.push([TEMPLATES_SECTION, '', 'One Google Docs template per letter and language.']);
  rows.push([...TEMPLATE_HEADERS]);
  for (const t of settings.templates) rows.push([letterCellName(t.letterId), languageCellName(t.language), t.docId]);
  rows.push(['', '', '']);
  const format = settingsDateFormat(settings.presetId);
  rows.push([CALENDAR_SECTION, '', `Terms and days off: ${CALENDAR_KINDS.join(', ')}. Dates ${format.toLowerCase()}; To blank = one day.`]);
  rows.push([...CALENDAR_HEADERS]);
  // Dates as text (the apostrophe): Sheets would read '02/09/2026' by the spreadsheet's locale, not the school's.
  const dateText = (iso: string) => `'${formatSchoolDate(iso, format)}`;
  for (const e of settings.calendar ?? []) rows.push([e.kind, e.name, dateText(e.start), e.end === e.start ? '' : dateText(e.end)]);
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array(width - r.length).fill('')]);
}

