/**
 * Rendering merge fields: the values of one letter, the text of its paragraphs, the email that
 * carries it, and the data the Apps Script side needs to put the values into a Google Doc safely.
 *
 * Design choice (Docs): every value is inserted in ONE pass computed here, in TypeScript.
 * Calling `Body.replaceText` once per field is order-dependent: a value that itself contains
 * `{{Other field}}` (a parent's name typed as "{{Student name}}", say) would be expanded by the
 * later call. `renderPlan` therefore gives, per paragraph that holds a field, both
 *  - `after`: the fully rendered text, for `paragraph.setText(after)` (simplest; loses inline
 *    formatting inside that paragraph, paragraph style is kept), and
 *  - `edits`: the placeholder spans in the ORIGINAL text, last first, for
 *    `text.deleteText(e.start, e.endInclusive); text.insertText(e.start, e.value)` on
 *    `paragraph.editAsText()` — keeps formatting; since offsets come from the original text and
 *    are applied right to left, an inserted value is never scanned again.
 * Both are order-independent and single-pass. `replaceTextCall` exists for headers/footers or one-off
 * replacements, with both the RE2 pattern and the Java replacement escaped (semantics D2.3/D2.4).
 */
import { escapeHtml } from '../sanitise';
import type { IsoDate } from '../types';
import { PLACEHOLDER_SOURCE, findFields, isKnownField } from './fields';
import { formatPercentOf } from '../format/percent';
import { normaliseLanguage } from '../language';
import { conditionValues, type LetterConditions } from './conditions';

export { normaliseLanguage };

/** What rendering needs of a tracker student (structurally a subset of TrackerStudent). */
export interface LetterStudent {
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
  parents: { name: string; email: string }[];
  language: string;
}

/** What rendering and planning need of a policy placement (structurally a subset of Placement). */
export interface LetterPlacement {
  step: number;
  label?: string;
  explanation: string;
  letterDue: { letterId: string; step: number; windowKey: string } | null;
}

export type LetterLanguage = 'en' | 'es';
export const SUPPORTED_LANGUAGES: readonly LetterLanguage[] = ['en', 'es'];

const MONTHS: Record<'en' | 'es', string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
};

/** How dates are written: en-GB '23 November 2026', en-US 'November 23, 2026', es '23 de noviembre de 2026'. */
export type DateStyle = 'en-GB' | 'en-US' | 'es';

export function dateStyleFor(language: string, englishLocale: 'en-GB' | 'en-US' = 'en-GB'): DateStyle {
  return normaliseLanguage(language) === 'es' ? 'es' : englishLocale;
}

function parseIso(date: IsoDate): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date));
  if (!m) throw new Error(`Letters: "${date}" is not a date in yyyy-MM-dd form.`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > dim) throw new Error(`Letters: "${date}" is not a real calendar date.`);
  return { y, m: mo, d };
}

/** A school date written out in full for a letter. */
export function formatLetterDate(date: IsoDate, style: DateStyle): string {
  const { y, m, d } = parseIso(date);
  if (style === 'es') return `${d} de ${MONTHS.es[m - 1]} de ${y}`;
  if (style === 'en-US') return `${MONTHS.en[m - 1]} ${d}, ${y}`;
  return `${d} ${MONTHS.en[m - 1]} ${y}`;
}

function formatRange(a: IsoDate, b: IsoDate, style: DateStyle): string {
  if (a === b) return formatLetterDate(a, style);
  const p = parseIso(a);
  const q = parseIso(b);
  if (p.y !== q.y) return `${formatLetterDate(a, style)} – ${formatLetterDate(b, style)}`;
  if (p.m === q.m) {
    if (style === 'es') return `${p.d}–${q.d} de ${MONTHS.es[p.m - 1]} de ${p.y}`;
    if (style === 'en-US') return `${MONTHS.en[p.m - 1]} ${p.d}–${q.d}, ${p.y}`;
    return `${p.d}–${q.d} ${MONTHS.en[p.m - 1]} ${p.y}`;
  }
  if (style === 'es') return `${p.d} de ${MONTHS.es[p.m - 1]} – ${q.d} de ${MONTHS.es[q.m - 1]} de ${p.y}`;
  if (style === 'en-US') return `${MONTHS.en[p.m - 1]} ${p.d} – ${MONTHS.en[q.m - 1]} ${q.d}, ${p.y}`;
  return `${p.d} ${MONTHS.en[p.m - 1]} – ${q.d} ${MONTHS.en[q.m - 1]} ${p.y}`;
}

function dayNumber(date: IsoDate): number {
  const { y, m, d } = parseIso(date);
  return Date.UTC(y, m - 1, d) / 86400000;
}

export const MAX_LISTED_ABSENCES = 10;

/**
 * Absence dates for a letter: de-duplicated (AM and PM of one day are one date), sorted, runs of
 * consecutive calendar days written as one range ('3–5 November 2026'), at most `max` entries
 * and then 'and N more dates' / 'y N fechas más' (N counts dates, not entries). '' when none.
 */
export function formatAbsenceDates(dates: readonly IsoDate[], style: DateStyle, max = MAX_LISTED_ABSENCES): string {
  const sorted = [...new Set(dates)].sort();
  const runs: { from: IsoDate; to: IsoDate; days: number }[] = [];
  for (const d of sorted) {
    const last = runs[runs.length - 1];
    if (last && dayNumber(d) === dayNumber(last.to) + 1) {
      last.to = d;
      last.days++;
    } else {
      runs.push({ from: d, to: d, days: 1 });
    }
  }
  const shown = runs.slice(0, max);
  const more = runs.slice(max).reduce((n, r) => n + r.days, 0);
  const list = shown.map((r) => formatRange(r.from, r.to, style)).join('; ');
  if (more === 0) return list;
  if (style === 'es') return `${list} y ${more} ${more === 1 ? 'fecha' : 'fechas'} más`;
  return `${list} and ${more} more ${more === 1 ? 'date' : 'dates'}`;
}

/**
 * Attendance as a letter shows it: THE percent rule (format/percent.ts: one decimal, half-up, from
 * the exact counts), so the letter reads the same figure as the tracker, the sidebar and the
 * weekly report; Spanish writes a decimal comma ("86,7 %").
 */
export function formatLetterPercent(attended: number, possible: number, language: string): string {
  return formatPercentOf(attended, possible, language);
}

export interface MergeInput {
  student: LetterStudent;
  parent: { name: string; email: string };
  placement: LetterPlacement;
  stats: { attended: number; unauthorised: number; possible: number };
  absenceDates: readonly IsoDate[];
  schoolName: string;
  staffName: string;
  today: IsoDate;
  /** The language of the letter actually used (after any fallback to English). */
  language: string;
  reviewDue: IsoDate | null;
  /** How English dates are written; Spanish always uses '23 de noviembre de 2026'. */
  englishLocale?: 'en-GB' | 'en-US';
  maxAbsenceDates?: number;
  /** What really happened before this letter (conditions.ts): chooses the wording of {{#if …}} blocks. */
  conditions?: Readonly<LetterConditions>;
}

/** Every catalogue field's value for one letter to one parent/carer; '' where the data is missing. */
export function buildMergeValues(input: MergeInput): Record<string, string> {
  const style = dateStyleFor(input.language, input.englishLocale);
  const t = (s: string | null | undefined) => String(s ?? '').trim();
  return {
    'Student name': t(input.student.name),
    'Parent/Guardian name': t(input.parent.name),
    'Attendance %': formatLetterPercent(input.stats.attended, input.stats.possible, input.language),
    'Absence dates': formatAbsenceDates(input.absenceDates, style, input.maxAbsenceDates),
    'Review date': input.reviewDue ? formatLetterDate(input.reviewDue, style) : '',
    'School name': t(input.schoolName),
    'Staff name': t(input.staffName),
    Date: formatLetterDate(input.today, style),
    'Year group': t(input.student.yearGroup),
    'Tutor group': t(input.student.tutorGroup),
    Step: String(input.placement.step),
    'Unauthorised sessions': String(input.stats.unauthorised),
    'Possible sessions': String(input.stats.possible),
    'Student ID': t(input.student.studentId),
    ...conditionValues(input.conditions ?? {}),
  };
}

/** Fields the template uses that have no value (absent or blank): check BEFORE anything is sent. */
export function missingValues(fieldsUsed: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return fieldsUsed.filter((f) => !Object.prototype.hasOwnProperty.call(values, f) || String(values[f]).trim() === '');
}

export interface RenderOptions {
  /** 'throw' (default): a placeholder without a value is an error. 'keep': leave it as written (previews). */
  missing?: 'throw' | 'keep';
}

function valueFor(field: string, raw: string, values: Readonly<Record<string, string>>, opts?: RenderOptions): string {
  const has = Object.prototype.hasOwnProperty.call(values, field) && String(values[field]).trim() !== '';
  if (has && isKnownField(field)) return String(values[field]);
  if (opts?.missing === 'keep') return raw;
  throw new Error(
    isKnownField(field)
      ? `Letters: no value for ${raw} — fill in the missing data before sending.`
      : `Letters: ${raw} is not a merge field — fix the template (validateTemplate names it).`,
  );
}

/**
 * One paragraph with every placeholder replaced, in a single pass: values appear literally
 * (`$1`, `\`, `<script>`), and a value containing `{{x}}` is never expanded again.
 */
export function renderText(text: string, values: Readonly<Record<string, string>>, opts?: RenderOptions): string {
  return text.replace(new RegExp(PLACEHOLDER_SOURCE, 'g'), (raw: string, inner: string) =>
    valueFor(inner.trim(), raw, values, opts),
  );
}

export interface PlaceholderEdit {
  field: string;
  value: string;
  /** Offset of the placeholder's first '{' in the ORIGINAL paragraph text. */
  start: number;
  /** Offset of its last '}' (Text.deleteText takes an inclusive end). */
  endInclusive: number;
}

export interface ParagraphRender {
  /** 0-based index into the paragraphs given (body.getParagraphs() order). */
  index: number;
  before: string;
  after: string;
  /** Last placeholder first: apply in this order and earlier offsets stay valid. */
  edits: PlaceholderEdit[];
}

/**
 * What to do to a document: only paragraphs that hold a placeholder are listed. Throws, naming
 * every missing field, when a value is missing — so nothing half-rendered is ever produced.
 */
export function renderPlan(paragraphs: readonly string[], values: Readonly<Record<string, string>>): ParagraphRender[] {
  const used: string[] = [];
  const unknown: string[] = [];
  for (const p of paragraphs) {
    for (const f of findFields(p)) {
      if (!isKnownField(f.field)) {
        if (!unknown.includes(f.raw)) unknown.push(f.raw);
      } else if (!used.includes(f.field)) used.push(f.field);
    }
  }
  if (unknown.length) throw new Error(`Letters: the template has placeholders that are not merge fields: ${unknown.join(', ')}.`);
  const missing = missingValues(used, values);
  if (missing.length) throw new Error(`Letters: no value for ${missing.map((f) => `{{${f}}}`).join(', ')}.`);
  const out: ParagraphRender[] = [];
  paragraphs.forEach((before, index) => {
    const found = findFields(before);
    if (!found.length) return;
    const edits = found
      .map((f) => ({ field: f.field, value: values[f.field], start: f.index, endInclusive: f.index + f.raw.length - 1 }))
      .reverse();
    out.push({ index, before, after: renderText(before, values), edits });
  });
  return out;
}

/** RE2 (and JS) metacharacters, plus '%' and '/' which are escaped too for clarity (RE2 allows `\` before any punctuation). */
const RE2_META = /[\\^$.|?*+()[\]{}%\/]/g;

export function escapeRe2(text: string): string {
  return text.replace(RE2_META, '\\$&');
}

/**
 * Arguments for `body.replaceText(pattern, replacement)` for one field (semantics D2.3/D2.4):
 * the pattern is the RE2 pattern of `{{ field }}` (spaces inside the braces allowed, field name
 * escaped); the replacement is the value escaped for Java Matcher.appendReplacement (`\` → `\\`,
 * `$` → `\$`) so it is inserted literally. NOTE: per-field calls are order-dependent when a value
 * contains another placeholder; for letter bodies use renderPlan.
 */
export function replaceTextCall(field: string, value: string): { pattern: string; replacement: string } {
  return {
    pattern: `\\{\\{\\s*${escapeRe2(field)}\\s*\\}\\}`,
    replacement: String(value).replace(/[\\$]/g, '\\$&'),
  };
}

export interface EmailBody {
  subject: string;
  text: string;
  html: string;
}

/**
 * The covering email, in the family's language (Spanish or English), saying the letter is
 * attached. Every value is HTML-escaped in `html`; the subject has no line breaks.
 */
export function emailBody(language: string, values: Readonly<Record<string, string>>): EmailBody {
  const v = (f: string) => String(values[f] ?? '').trim();
  const student = v('Student name');
  const parent = v('Parent/Guardian name');
  const school = v('School name');
  const staff = v('Staff name');
  const es = normaliseLanguage(language) === 'es';
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();
  const subject = oneLine(
    es ? `Asistencia de ${student}${school ? ` – ${school}` : ''}` : `Attendance of ${student}${school ? ` – ${school}` : ''}`,
  );
  const lines: string[] = es
    ? [
        parent ? `Estimado/a ${parent}:` : 'Estimada familia:',
        `Le adjuntamos una carta sobre la asistencia de ${student} a la escuela. Por favor, léala cuando pueda.`,
        'Si ha habido una enfermedad u otra dificultad, díganoslo: queremos ayudar.',
        'Puede responder a este correo o llamar a la escuela.',
        'Atentamente,',
        [staff, school].filter(Boolean).join('\n'),
      ]
    : [
        parent ? `Dear ${parent},` : 'Dear parent/carer,',
        `Please find attached a letter about ${student}'s attendance at school.`,
        'If there has been an illness or anything else making attendance difficult, please let us know: we want to help.',
        'You can reply to this email or call the school.',
        'Kind regards,',
        [staff, school].filter(Boolean).join('\n'),
      ];
  const text = lines.filter((l) => l !== '').join('\n\n');
  const html = lines
    .filter((l) => l !== '')
    .map((l) => `<p>${l.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
  return { subject, text, html };
}
