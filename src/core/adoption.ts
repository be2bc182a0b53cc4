/**
 * Adopting mid-year (issue 10): a school that installs the add-on in November already has pupils
 * at AIM 2 or past Letter 1 in its own tracker. Setup finds what the sheet records — a current
 * step / intervention column, dated letter columns, dated meeting columns — proposes it per pupil
 * for a person to confirm, and the confirmed items become Interventions Log rows marked as adopted
 * history (notes "Adopted history: …"), so the first plan neither repeats a letter the school sent
 * nor skips the school's own steps. Pure: the sheet's values, the policy and the calendar come in.
 *
 * What counts (history.ts): an adopted letter is a letter sent (it carries the letter key of the
 * window it went in, so the same letter is not due again in that window); an adopted meeting is a
 * meeting held; an adopted current step with no dated action is a Note at that step — it holds the
 * pupil at the school's step (the ladder never goes below it) without claiming a letter or meeting.
 * Anything unclear (a value that names no step, a tick with no date) is listed as a question, never
 * guessed silently.
 */
import { isoDateOfCell } from './calendar';
import type { SchoolCalendar } from './calendar';
import { ADOPTED_NO_DATE, ADOPTED_NOTE } from './history';
import { formatSchoolDate, isoOfSchoolDate, type SchoolDateFormat } from './format/dates';
import { letterKey, letterWindowKey } from './policy/evaluate';
import type { Policy } from './policy/schema';
import type { InterventionRecord, IsoDate } from './types';

export type AdoptionColumnKind = 'step' | 'letter' | 'meeting';

export interface AdoptionColumn {
  kind: AdoptionColumnKind;
  /** 0-based column of the tracker. */
  column: number;
  header: string;
  /** letter columns: the letter ('letter2'); meeting columns: the step of the meeting (AIM 1 → 5), when known. */
  letterId?: string;
  step?: number;
}

const norm = (s: unknown) => String(s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Columns of the school's tracker that record history, by header: "Current step", "Intervention",
 * "Stage", "Step" (before the add-on writes it); "Letter 1", "Letter 2 sent", "L3 date";
 * "AIM 1", "AIM 2 date", "Meeting date".
 */
export function findAdoptionColumns(headers: readonly unknown[], policy: Policy): AdoptionColumn[] {
  const out: AdoptionColumn[] = [];
  const letterSteps = stepOfLetter(policy);
  headers.forEach((h, column) => {
    const t = norm(h);
    if (t === '') return;
    if (/^(current |ladder |sol |intervention )?(step|stage|intervention|intervention (number|no\.?|level))$/.test(t)) {
      out.push({ kind: 'step', column, header: String(h).trim() });
      return;
    }
    const letter = /^(?:letter|l)\s*(\d)(?:\s*(?:sent|date|issued|sent date|date sent))?$/.exec(t);
    if (letter && letterSteps.has(`letter${letter[1]}`)) {
      out.push({ kind: 'letter', column, header: String(h).trim(), letterId: `letter${letter[1]}`, step: letterSteps.get(`letter${letter[1]}`) });
      return;
    }
    const aim = /^(?:aim|attendance improvement meeting)\s*(\d)?(?:\s*(?:meeting|date|held|meeting date))?$/.exec(t);
    if (aim) {
      const n = aim[1] ? Number(aim[1]) : null;
      const step = n === 1 ? meetingStep(policy, 'AIM 1') : n === 2 ? meetingStep(policy, 'AIM 2') : undefined;
      out.push({ kind: 'meeting', column, header: String(h).trim(), ...(step ? { step } : {}) });
      return;
    }
    if (/^(parent )?meeting( date| held)?$/.test(t)) out.push({ kind: 'meeting', column, header: String(h).trim() });
  });
  return out;
}

function stepOfLetter(policy: Policy): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of policy.steps) for (const a of s.actions) if (a.kind === 'letter' && a.letterId && !m.has(a.letterId)) m.set(a.letterId, s.number);
  return m;
}

function meetingStep(policy: Policy, words: string): number | undefined {
  const w = words.toLowerCase();
  return policy.steps.find((s) => s.label.toLowerCase().includes(w) || s.actions.some((a) => a.kind === 'meeting' && a.description.toLowerCase().includes(w)))?.number;
}

/** The step a school's cell names: 5, "Step 5", "Intervention 5", "Letter 2", "AIM 2", a step's label; null when unclear. */
export function stepOfValue(value: unknown, policy: Policy): number | null {
  const t = norm(value);
  if (t === '') return null;
  const max = policy.steps.length;
  const n = /^(?:step|intervention|stage)?\s*(\d{1,2})(?:\b.*)?$/.exec(t);
  if (n && Number(n[1]) >= 1 && Number(n[1]) <= max) return Number(n[1]);
  const letter = /\bletter\s*(\d)\b/.exec(t);
  if (letter) return stepOfLetter(policy).get(`letter${letter[1]}`) ?? null;
  const aim = /\baim\s*([12])\b/.exec(t);
  if (aim) return meetingStep(policy, `AIM ${aim[1]}`) ?? null;
  const byLabel = policy.steps.filter((s) => norm(s.label) === t || norm(s.label).includes(t));
  return byLabel.length === 1 ? byLabel[0]!.number : null;
}

export interface AdoptionItem {
  /** Stable: `${studentId}|${kind}|${column header}` — what the person ticks. */
  key: string;
  studentId: string;
  step: number;
  method: 'Letter' | 'Meeting' | 'Note';
  /** What will be recorded, in words: "Letter 1 sent on 3 Nov 2025 (column "Letter 1")". */
  what: string;
  date: IsoDate;
  /** False when the sheet gave no date: the setup day is used, and the item is a question. */
  dateKnown: boolean;
  letterId?: string;
}

export interface AdoptionPupil {
  studentId: string;
  name: string;
  row: number;
  items: AdoptionItem[];
}

export interface AdoptionProposal {
  columns: AdoptionColumn[];
  pupils: AdoptionPupil[];
  /** Cells that could not be read, each naming its row and column: asked, never guessed. */
  questions: string[];
}

const TICK = /^(y|yes|✓|✔|x|true|sent|done|held|attended)$/i;

function dateOf(value: unknown, format: SchoolDateFormat): IsoDate | null {
  return isoDateOfCell(value) ?? isoOfSchoolDate(value, format);
}

export interface ProposeInput {
  /** The whole tracker, header row first. */
  values: readonly (readonly unknown[])[];
  /** 0-based columns of the student ID and name. */
  idColumn: number;
  nameColumn?: number;
  policy: Policy;
  calendar: SchoolCalendar;
  today: IsoDate;
  format: SchoolDateFormat;
  /** Pupils whose Log already holds adopted history (setup run again): not proposed twice. */
  alreadyAdopted?: ReadonlySet<string>;
  /** Columns never read (the add-on's own Step column once it has written it: its own evaluation, not the school's history). */
  skipColumns?: ReadonlySet<number>;
}

export function proposeAdoption(input: ProposeInput): AdoptionProposal {
  const columns = findAdoptionColumns(input.values[0] ?? [], input.policy).filter((c) => !input.skipColumns?.has(c.column));
  const pupils: AdoptionPupil[] = [];
  const questions: string[] = [];
  const letterName = (id: string) => id.replace(/^letter(\d)$/, 'Letter $1');
  const columnLetter = (c: number) => (c < 26 ? String.fromCharCode(65 + c) : String.fromCharCode(64 + Math.floor(c / 26)) + String.fromCharCode(65 + (c % 26)));
  for (let r = 1; r < input.values.length; r++) {
    const row = input.values[r] ?? [];
    const studentId = String(row[input.idColumn] ?? '').trim();
    if (!studentId || input.alreadyAdopted?.has(studentId)) continue;
    const name = input.nameColumn === undefined ? '' : String(row[input.nameColumn] ?? '').trim();
    const items: AdoptionItem[] = [];
    const where = (c: AdoptionColumn) => `row ${r + 1}, column ${columnLetter(c.column)} "${c.header}"`;
    for (const c of columns) {
      const cell = row[c.column];
      const text = String(cell ?? '').trim();
      if (text === '') continue;
      const key = `${studentId}|${c.kind}|${c.header}`;
      if (c.kind === 'step') {
        const step = stepOfValue(cell, input.policy);
        if (step === null) {
          questions.push(`SOL Tracker ${where(c)}: "${text.slice(0, 40)}" names no step of the ladder — set the pupil's step by hand, or fix the cell and look again.`);
          continue;
        }
        items.push({ key, studentId, step, method: 'Note', date: input.today, dateKnown: false, what: `At Step ${step} (${input.policy.steps[step - 1]!.label}) in the school's own tracker (column "${c.header}": "${text.slice(0, 40)}")` });
        // The letter of that step: most likely sent, but the sheet does not say when — a question
        // the person answers by leaving it ticked or not (so the first plan does not send it again).
        const stepLetter = input.policy.steps[step - 1]!.actions.find((a) => a.kind === 'letter' && a.letterId)?.letterId;
        if (stepLetter && !columns.some((o) => o.kind === 'letter' && o.letterId === stepLetter && String(row[o.column] ?? '').trim() !== '')) {
          items.push({ key: `${studentId}|stepLetter|${c.header}`, studentId, step, method: 'Letter', date: input.today, dateKnown: false, letterId: stepLetter, what: `${letterName(stepLetter)} (the letter of Step ${step}) taken as sent — the sheet gives no date ${ADOPTED_NO_DATE}; untick it if it was not sent` });
        }
        continue;
      }
      const date = dateOf(cell, input.format);
      const ticked = date === null && TICK.test(text);
      if (date === null && !ticked) {
        questions.push(`SOL Tracker ${where(c)}: "${text.slice(0, 40)}" is neither a date nor a tick — write the date it happened, or leave it empty.`);
        continue;
      }
      if (date !== null && date > input.today) {
        questions.push(`SOL Tracker ${where(c)}: ${text} is after today — a letter or meeting that has not happened is not history.`);
        continue;
      }
      const when = date ?? input.today;
      const dateWords = date ? `on ${formatSchoolDate(date, input.format)}` : `on a date the sheet does not give ${ADOPTED_NO_DATE}`;
      if (c.kind === 'letter') {
        items.push({ key, studentId, step: c.step!, method: 'Letter', date: when, dateKnown: date !== null, letterId: c.letterId, what: `${letterName(c.letterId!)} sent ${dateWords} (column "${c.header}")` });
      } else {
        if (!c.step) {
          questions.push(`SOL Tracker ${where(c)}: a meeting, but the column does not say which (AIM 1 or AIM 2) — rename the column "AIM 1" or "AIM 2" and look again.`);
          continue;
        }
        items.push({ key, studentId, step: c.step, method: 'Meeting', date: when, dateKnown: date !== null, what: `Meeting held ${dateWords} (column "${c.header}", Step ${c.step})` });
      }
    }
    if (items.length > 0) pupils.push({ studentId, name, row: r + 1, items });
  }
  return { columns, pupils, questions };
}

/** The Log records of the confirmed items (each key at most once), marked as adopted history. */
export function adoptedRecords(proposal: AdoptionProposal, confirmed: ReadonlySet<string>, input: { policy: Policy; calendar: SchoolCalendar; by: string }): InterventionRecord[] {
  const out: InterventionRecord[] = [];
  for (const p of proposal.pupils) {
    for (const i of p.items) {
      if (!confirmed.has(i.key)) continue;
      const record: InterventionRecord = {
        date: i.date,
        studentId: i.studentId,
        step: i.step,
        method: i.method as InterventionRecord['method'],
        outcome: i.method === 'Letter' ? 'Letter sent' : i.method === 'Meeting' ? 'Meeting held' : 'Other',
        by: input.by,
        notes: `${ADOPTED_NOTE} ${i.what}; confirmed by ${input.by}. [${i.key}]`,
      };
      if (i.method === 'Letter' && i.letterId) record.letterKey = letterKey(i.studentId, i.letterId, letterWindowKey(input.policy, input.calendar, i.date));
      out.push(record);
    }
  }
  return out;
}

/** Pupils whose Log already holds adopted history. */
export function pupilsWithAdoptedHistory(records: Iterable<InterventionRecord>): Set<string> {
  const out = new Set<string>();
  for (const r of records) if (String(r.notes ?? '').startsWith(ADOPTED_NOTE)) out.add(r.studentId);
  return out;
}
