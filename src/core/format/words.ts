/**
 * Words, not identifiers: how the add-on names its own things wherever staff or families read them
 * (sidebar, emails, letters, tabs). Internal ids ('letter3', 'es', 'arbor-long', step numbers) stay
 * in the data; people see 'Letter 3', 'Spanish', 'Arbor', 'Step 6'. One module, used by every output.
 */
import { normaliseLanguage } from '../language';

/** Letters whose id is not 'letterN': the SOPs' own names (seed 004 for Illinois, seeds 000/001). */
const LETTER_NAMES: Record<string, string> = {
  'probation-warning': 'Probation warning letter',
  probation: 'Attendance probation letter',
  'five-day': '5-day letter',
  'roe-2': 'ROE 2nd notification',
  'roe-3': 'ROE 3rd notification',
  notification: 'Parent notification letter',
  medical: 'Medical letter',
};

/** 'letter3' → 'Letter 3'; a preset's named letter → its name; anything else in words ('home-visit' → 'Home visit'). */
export function letterName(letterId: string): string {
  const id = String(letterId ?? '').trim();
  const numbered = /^letter[\s_-]?(\d+)$/i.exec(id);
  if (numbered) return `Letter ${Number(numbered[1])}`;
  const known = LETTER_NAMES[id.toLowerCase()];
  if (known) return known;
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Letter';
}

/**
 * The letter id a name stands for: 'Letter 3' → 'letter3', 'Medical letter' → 'medical'; null for
 * any other text (a letter the school named itself in the policy editor is shown by its own name).
 */
export function letterIdOfName(name: string): string | null {
  const text = String(name ?? '').trim();
  const numbered = /^Letter (\d+)$/.exec(text);
  if (numbered) return `letter${Number(numbered[1])}`;
  for (const [id, known] of Object.entries(LETTER_NAMES)) if (known === text) return id;
  return null; // a school's own letter id is shown as it is (see letterCellName)
}

/** How a letter shows in a column people read and the add-on reads back: its name when that names it exactly, else its id. */
export function letterCellName(letterId: string): string {
  const name = letterName(letterId);
  return letterIdOfName(name) === letterId ? name : letterId;
}

/** Separator between a letter and its term in a letter-key cell ('Letter 3 · Autumn term 2024'). */
const KEY_SEPARATOR = ' · ';

/**
 * A letter key (`${studentId}|${letterId}|${window}`, what the ladder matches letters by) as people
 * read it in the Interventions Log: 'Letter 3 · Autumn term 2024'. The student is the row's own;
 * letterKeyOfWords gives the key back.
 */
export function letterKeyWords(letterKey: string): string {
  const parts = String(letterKey ?? '').split('|');
  if (parts.length < 3) return String(letterKey ?? '');
  const [, letterId, ...window] = parts;
  return `${letterCellName(letterId!)}${KEY_SEPARATOR}${window.join('|')}`;
}

/**
 * The letter key back from the Log's letter cell and the row's student ID. Rows written before the
 * words ('A123|letter3|Autumn term 2024') are read as they are; other text staff typed is kept as it is.
 */
export function letterKeyOfWords(cell: string, studentId: string): string {
  const text = String(cell ?? '').trim();
  if (text === '' || text.includes('|')) return text;
  const at = text.indexOf(KEY_SEPARATOR);
  if (at < 0) return text;
  const name = text.slice(0, at);
  const window = text.slice(at + KEY_SEPARATOR.length);
  return `${studentId}|${letterIdOfName(name) ?? name}|${window}`;
}

/** Language names in English (what staff read), by ISO 639-1 code. */
const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English', es: 'Spanish', fr: 'French', pl: 'Polish', pt: 'Portuguese', ar: 'Arabic', ur: 'Urdu',
  ro: 'Romanian', de: 'German', it: 'Italian', zh: 'Chinese', bn: 'Bengali', pa: 'Punjabi', so: 'Somali',
  tr: 'Turkish', lt: 'Lithuanian', ru: 'Russian', uk: 'Ukrainian', vi: 'Vietnamese', ko: 'Korean', hi: 'Hindi',
  gu: 'Gujarati', ta: 'Tamil', fa: 'Persian', ps: 'Pashto', ku: 'Kurdish', ti: 'Tigrinya', am: 'Amharic',
};

/** 'es' / 'Español' / 'es-MX' → 'Spanish'. A language we cannot name is shown as staff typed it. */
export function languageName(language: string | null | undefined): string {
  const code = normaliseLanguage(language);
  const name = LANGUAGE_NAMES[code];
  if (name) return name;
  const typed = String(language ?? '').trim();
  return typed ? typed.charAt(0).toUpperCase() + typed.slice(1) : code;
}

/** How a language shows in a cell the add-on reads back: its name when that gives the code back ('es' → 'Spanish'), else the code ('es-MX'). */
export function languageCellName(code: string): string {
  const name = languageName(code);
  return normaliseLanguage(name) === code ? name : code;
}

/** A ladder step in words: 0 → 'No step', 6 → 'Step 6'. */
export function stepName(step: number | null | undefined): string {
  const n = Number(step);
  return !Number.isFinite(n) || n <= 0 ? 'No step' : `Step ${n}`;
}

/** What staff call each register export (the import's layout ids). */
const LAYOUT_NAMES: Record<string, string> = {
  'sims-wide': 'SIMS',
  'arbor-long': 'Arbor',
  'powerschool-daily': 'PowerSchool',
  'generic-long': 'the generic layout (student_id, date, session, code)',
};

/** 'arbor-long' → 'Arbor'. */
export function layoutName(layoutId: string | null | undefined): string {
  const id = String(layoutId ?? '');
  return LAYOUT_NAMES[id] ?? id.replace(/[-_]+/g, ' ');
}

/** A Letters Ledger status in words ('toPrint' → 'in the print pack'). */
const STATUS_WORDS: Record<string, string> = {
  planned: 'planned',
  sending: 'being sent',
  sent: 'sent',
  failed: 'not sent (failed)',
  unknown: 'waiting for a decision',
  skipped: 'left out',
  toPrint: 'in the print pack',
};

export function ledgerStatusWords(status: string | null | undefined): string {
  const s = String(status ?? '');
  return STATUS_WORDS[s] ?? s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
