/**
 * The Settings tab, as data. Layout (one tab, readable by staff):
 *
 *   A: Setting            B: Value                C: Notes
 *   School name           Hillside Academy   (the weekly report's day and hour live with its
 *                                            trigger: the sidebar's Weekly tab sets and shows them)
 *   Policy preset         uk-secondary-sol
 *   ...
 *   [Staff]                                       ← a section marker row
 *   Email | Name | Role | Year group | Tutor group   ← its header row
 *   ...rows...
 *   [Templates]
 *   Letter | Language | Document ID
 *
 * Parsing validates every cell with zod and reports problems by A1 cell, so staff can fix them;
 * the gas layer keeps the last valid settings in force when the sheet has an error.
 */
import * as z from 'zod/mini';
import type { CodeCategory, IsoDate, StaffRole } from './types';
import { STAFF_ROLES } from './types';
import { isoDateOfCell } from './calendar';

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
  termName: string;
  termStart: IsoDate | null;
  termEnd: IsoDate | null;
  closures: IsoDate[];
  /** Sender name shown on emails. */
  senderName: string;
  staff: StaffMember[];
  templates: TemplateRef[];
}

export const DEFAULT_SETTINGS: Settings = {
  schoolName: 'Our School',
  presetId: 'uk-secondary-sol',
  codeOverrides: {},
  termName: '',
  termStart: null,
  termEnd: null,
  closures: [],
  senderName: 'Attendance Team',
  staff: [],
  templates: [],
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
  { label: 'Policy preset', field: 'presetId', note: 'uk-secondary-sol, us-illinois-elementary or generic.' },
  { label: 'Q and Y codes count as', field: 'codeOverrides', note: 'notPossible (default) or unauthorised/authorised — the 2024 DfE treatment of Q, Y1–Y7 is unconfirmed.' },
  { label: 'Term name', field: 'termName', note: 'e.g. Autumn 2026; letters are sent once per student, letter and term.' },
  { label: 'Term start', field: 'termStart', note: 'yyyy-mm-dd' },
  { label: 'Term end', field: 'termEnd', note: 'yyyy-mm-dd' },
  { label: 'Closures', field: 'closures', note: 'Non-school days in term, yyyy-mm-dd, comma-separated.' },
  { label: 'Email sender name', field: 'senderName', note: 'Display name on letters sent by email.' },
];

export const STAFF_SECTION = '[Staff]';
export const TEMPLATES_SECTION = '[Templates]';
export const STAFF_HEADERS = ['Email', 'Name', 'Role', 'Year group', 'Tutor group'];
export const TEMPLATE_HEADERS = ['Letter', 'Language', 'Document ID'];

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd'));
const emailSchema = z.string().check(z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'is not an email address'));
const Q_Y_CODES = ['Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7'];

/** Date cells arrive as Date objects from getValues; text cells as strings (kept as typed, for the message). */
function cellToIsoDate(v: unknown): string {
  return Object.prototype.toString.call(v) === '[object Date]' ? isoDateOfCell(v) ?? '' : String(v ?? '').trim();
}

const norm = (s: unknown) => String(s ?? '').trim().toLowerCase();

/** Parse the Settings tab values (from getValues). Unknown rows are ignored; bad values reported by cell. */
export function parseSettingsSheet(values: unknown[][], knownPresetIds: readonly string[]): { settings: Settings; problems: SettingsProblem[] } {
  const settings: Settings = { ...DEFAULT_SETTINGS, codeOverrides: {}, closures: [], staff: [], templates: [] };
  const problems: SettingsProblem[] = [];
  const byLabel = new Map(SETTING_ROWS.map((r) => [norm(r.label), r]));
  let section: 'main' | 'staff' | 'templates' = 'main';
  let headerPending = false;

  values.forEach((row, i) => {
    const r = i + 1;
    const a = String(row[0] ?? '').trim();
    if (a === STAFF_SECTION) { section = 'staff'; headerPending = true; return; }
    if (a === TEMPLATES_SECTION) { section = 'templates'; headerPending = true; return; }
    if (headerPending) { headerPending = false; return; }
    if (row.every((c) => String(c ?? '').trim() === '')) return;

    if (section === 'main') {
      const def = byLabel.get(norm(a));
      if (!def) return;
      const raw = row[1];
      const cell = `B${r}`;
      const bad = (message: string) => problems.push({ cell, field: def.label, message: `${def.label}: ${message}` });
      switch (def.field) {
        case 'schoolName':
        case 'senderName':
        case 'termName': {
          const s = String(raw ?? '').trim();
          if (def.field === 'schoolName' && !s) bad('must not be blank');
          else if (s.length > 200) bad('is longer than 200 characters');
          else if (s) (settings[def.field] as string) = s;
          break;
        }
        case 'presetId': {
          const s = String(raw ?? '').trim();
          if (!knownPresetIds.includes(s)) bad(`"${s}" is not a known preset (use one of: ${knownPresetIds.join(', ')})`);
          else settings.presetId = s;
          break;
        }
        case 'codeOverrides': {
          const s = String(raw ?? '').trim();
          if (!s) break;
          const cat = ['notPossible', 'authorised', 'unauthorised'].find((c) => c.toLowerCase() === s.toLowerCase());
          if (!cat) bad(`"${s}" must be notPossible, authorised or unauthorised`);
          // notPossible is already the tables' default: only a change is an override.
          else if (cat !== 'notPossible') for (const code of Q_Y_CODES) settings.codeOverrides[code] = cat as CodeCategory;
          break;
        }
        case 'termStart':
        case 'termEnd': {
          const s = cellToIsoDate(raw);
          if (!s) { settings[def.field] = null; break; }
          const p = isoDate.safeParse(s);
          if (!p.success || Number.isNaN(Date.parse(s + 'T00:00:00Z'))) bad(`"${s}" must be a date written yyyy-mm-dd`);
          else settings[def.field] = s;
          break;
        }
        case 'closures': {
          const parts = String(raw ?? '').split(/[,;\n]+/).map((x) => x.trim()).filter(Boolean);
          const badOnes = parts.filter((x) => !isoDate.safeParse(x).success);
          if (badOnes.length) bad(`${badOnes.map((x) => `"${x}"`).join(', ')} must be dates written yyyy-mm-dd`);
          else settings.closures = parts;
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
      const [letterId, language, docId] = row.map((c) => String(c ?? '').trim());
      if (!letterId) { problems.push({ cell: `A${r}`, field: 'Template letter', message: `Template row ${r}: the letter id is blank` }); return; }
      if (!/^[a-z]{2}(-[A-Z]{2})?$/.test(language ?? '')) { problems.push({ cell: `B${r}`, field: 'Template language', message: `Template row ${r}: language "${language}" must be a code such as en or es` }); return; }
      if (!/^[A-Za-z0-9_-]{10,}$/.test(docId ?? '')) { problems.push({ cell: `C${r}`, field: 'Template document', message: `Template row ${r}: "${docId}" is not a Google Docs document ID` }); return; }
      settings.templates.push({ letterId, language, docId });
    }
  });

  if (settings.termStart && settings.termEnd && settings.termStart > settings.termEnd) {
    problems.push({ cell: 'B?', field: 'Term end', message: `Term end ${settings.termEnd} is before term start ${settings.termStart}` });
  }
  return { settings, problems };
}

/** The Settings tab as written by setup: values for setValues (labels, values, notes). */
export function settingsToSheet(settings: Settings): string[][] {
  const rows: string[][] = [['Setting', 'Value', 'Notes']];
  for (const def of SETTING_ROWS) {
    let v: string;
    switch (def.field) {
      case 'codeOverrides': v = settings.codeOverrides.Q ?? 'notPossible'; break;
      case 'closures': v = settings.closures.join(', '); break;
      case 'termStart': case 'termEnd': v = settings[def.field] ?? ''; break;
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
  for (const t of settings.templates) rows.push([t.letterId, t.language, t.docId]);
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array(width - r.length).fill('')]);
}

