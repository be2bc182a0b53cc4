/**
 * The merge-field catalogue and template validation.
 *
 * A merge field is written `{{Field name}}` in a letter template; spaces just inside the braces
 * are allowed (`{{ Student name }}`), the name itself must match the catalogue exactly
 * (case and inner spacing included) so a typo is reported, never silently left blank
 * (peers.md §2(b): "fragile templates ... leaves placeholders blank").
 */

import { blockProblems, isBlockMarker } from './conditions';

export interface MergeFieldInfo {
  /** The name written between the double braces. */
  name: string;
  /** What it becomes in the letter (shown in the template help). */
  description: string;
}

export const MERGE_FIELDS: readonly MergeFieldInfo[] = [
  { name: 'Student name', description: "The student's name as it is on the SOL Tracker." },
  { name: 'Parent/Guardian name', description: 'The name of the parent/carer the letter is addressed to.' },
  { name: 'Attendance %', description: 'Attendance this year, e.g. 91.2% (never rounded up).' },
  { name: 'Absence dates', description: 'Dates of absence, condensed (first 10, then "and N more").' },
  { name: 'Review date', description: 'The date the school will review attendance again.' },
  { name: 'School name', description: 'The school name from Settings.' },
  { name: 'Staff name', description: 'The member of staff who sends the letter.' },
  { name: 'Date', description: "Today's date, written for the family's language." },
  { name: 'Year group', description: "The student's year group / grade." },
  { name: 'Tutor group', description: "The student's tutor group / homeroom." },
  { name: 'Step', description: 'The ladder step the letter belongs to.' },
  { name: 'Unauthorised sessions', description: 'Unauthorised (unexcused) absences, in sessions.' },
  { name: 'Possible sessions', description: 'Possible sessions so far.' },
  { name: 'Student ID', description: "The student's ID (UPN / student number)." },
];

export const MERGE_FIELD_NAMES: readonly string[] = MERGE_FIELDS.map((f) => f.name);
const KNOWN = new Set(MERGE_FIELD_NAMES);

export function isKnownField(name: string): boolean {
  return KNOWN.has(name);
}

export interface FoundField {
  /** The field name, trimmed (e.g. 'Student name'). */
  field: string;
  /** The placeholder exactly as written, braces included (e.g. '{{ Student name }}'). */
  raw: string;
  /** Offset of the first '{' in the text. */
  index: number;
}

/** One placeholder: two braces, no brace inside, two braces. Whitespace inside is trimmed. */
export const PLACEHOLDER_SOURCE = '\\{\\{([^{}]*)\\}\\}';

/** Every `{{...}}` placeholder in the text, in order (unknown names included). */
export function findFields(text: string): FoundField[] {
  const out: FoundField[] = [];
  const re = new RegExp(PLACEHOLDER_SOURCE, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out.push({ field: m[1].trim(), raw: m[0], index: m.index });
  }
  return out;
}

/** Distinct known field names used by the paragraphs, in first-use order. */
export function fieldsUsed(paragraphs: readonly string[]): string[] {
  const seen: string[] = [];
  for (const p of paragraphs) {
    for (const f of findFields(p)) if (isKnownField(f.field) && !seen.includes(f.field)) seen.push(f.field);
  }
  return seen;
}

/** Levenshtein distance (small strings only: field names). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Words schools use for the same thing (UK/US). */
const WORD_ALIASES: Record<string, string> = {
  carer: 'parent',
  guardian: 'parent',
  pupil: 'student',
  child: 'student',
  homeroom: 'tutor',
  form: 'tutor',
  grade: 'year',
  unexcused: 'unauthorised',
  unauthorized: 'unauthorised',
  teacher: 'staff',
};

/** The catalogue field closest to a mistyped name, or null when nothing is reasonably close. */
export function suggestField(name: string): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const words = (s: string) =>
    norm(s)
      .split(/[\s/]+/)
      .filter(Boolean)
      .map((w) => WORD_ALIASES[w] ?? w);
  const n = norm(name);
  // Every word typed is a word of one field ("Parent name", "carer name", "attendance"): that field.
  const typed = words(name);
  const containing = MERGE_FIELD_NAMES.filter((f) => typed.length > 0 && typed.every((w) => words(f).includes(w)));
  if (containing.length === 1) return containing[0];
  let best: string | null = null;
  let bestD = Infinity;
  for (const f of MERGE_FIELD_NAMES) {
    const d = editDistance(n, norm(f));
    if (d < bestD) {
      bestD = d;
      best = f;
    }
  }
  // Close enough: at most a third of the longer name differs (case differences are free).
  if (best !== null && bestD <= Math.max(2, Math.floor(Math.max(n.length, best.length) / 3))) return best;
  return null;
}

export interface TemplateProblem {
  template: string;
  /** 1-based paragraph number; 0 for a problem of the whole template. */
  paragraph: number;
  /** The offending text (the placeholder or the paragraph excerpt). */
  text: string;
  message: string;
  /** 'error' blocks sending; 'warning' is shown but does not block. */
  level: 'error' | 'warning';
}

export interface LetterTemplateText {
  name: string;
  paragraphs: readonly string[];
}

function excerpt(text: string, at: number): string {
  const start = Math.max(0, at - 20);
  const end = Math.min(text.length, at + 25);
  return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
}

/**
 * Every problem of a template, paragraph by paragraph: unknown field (with a suggestion),
 * empty `{{}}`, unbalanced or stray braces (`{Student name}}`, `{{Student name}`), and a
 * template that uses no field at all (warning).
 */
export function validateTemplate(template: LetterTemplateText): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  let anyField = false;
  template.paragraphs.forEach((text, i) => {
    const paragraph = i + 1;
    const add = (t: string, message: string, level: 'error' | 'warning' = 'error') =>
      problems.push({ template: template.name, paragraph, text: t, message, level });
    for (const f of findFields(text)) {
      if (isBlockMarker(f.field)) continue; // {{#if …}} {{else}} {{/if}}: checked by blockProblems below
      if (f.field === '') {
        add(f.raw, `Empty placeholder ${f.raw}: write a field name between the braces, e.g. {{Student name}}.`);
      } else if (!isKnownField(f.field)) {
        const s = suggestField(f.field);
        add(
          f.raw,
          `Unknown field ${f.raw}` +
            (s ? `: did you mean {{${s}}}?` : `. Known fields: ${MERGE_FIELD_NAMES.map((n) => `{{${n}}}`).join(', ')}.`),
        );
      } else {
        anyField = true;
      }
    }
    // Whatever braces remain once the well-formed placeholders are blanked out are unbalanced.
    const rest = text.replace(new RegExp(PLACEHOLDER_SOURCE, 'g'), (m) => ' '.repeat(m.length));
    const stray = /[{}]/.exec(rest);
    if (stray) {
      add(
        excerpt(text, stray.index),
        `Unbalanced braces near "${excerpt(text, stray.index)}": a merge field needs two opening and two closing braces, e.g. {{Student name}}.`,
      );
    }
  });
  for (const b of blockProblems(template.paragraphs)) {
    problems.push({ template: template.name, paragraph: b.paragraph, text: b.text, message: b.message, level: 'error' });
  }
  if (!anyField) {
    problems.push({
      template: template.name,
      paragraph: 0,
      text: '',
      message: `Template "${template.name}" uses no merge field: every family would get the same letter. Add e.g. {{Student name}}.`,
      level: 'warning',
    });
  }
  return problems;
}
