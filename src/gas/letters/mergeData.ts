/**
 * The merge values of one ledger entry, from the school model (pure: no Apps Script globals).
 * A letter whose template uses a field with no value is held back with the reason — never sent
 * with a blank (peers.md §2(b): "leaves placeholders blank").
 */
import { lookupCode } from '../../core/codes';
import { buildMergeValues, letterConditions, missingValues, type LedgerEntry } from '../../core/letters';
import type { StudentRecord, SchoolModel } from '../../core/schoolModel';
import type { Settings } from '../../core/settings';
import type { IsoDate } from '../../core/types';

export interface MergeContext {
  model: SchoolModel;
  settings: Settings;
  /** Who signs the letter: the sender's name from the Staff table, else Settings → Email sender name. */
  staffName: string;
  today: IsoDate;
}

/** Dates of absence sessions (authorised or unauthorised), one per day, sorted. */
export function absenceDates(record: StudentRecord, model: SchoolModel): IsoDate[] {
  const out = new Set<IsoDate>();
  for (const m of record.marks) {
    const code = lookupCode(model.table, m.code);
    if (code && (code.category === 'authorised' || code.category === 'unauthorised')) out.add(m.date);
  }
  return [...out].sort();
}

export type MergeResult =
  | { ok: true; values: Record<string, string>; record: StudentRecord }
  | { ok: false; reason: string };

/** The longest text that goes into a letter from one field (a name, an address line…). */
export const MAX_MERGE_VALUE = 500;
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/**
 * The address the Attendance Lead approved with the plan: it is part of the letter's key (written by
 * the add-on when it planned the letter), never re-read from the ledger's editable Recipient cell.
 * '' when the row was edited so the two disagree (then the letter is held back).
 */
export function approvedRecipient(entry: LedgerEntry): string {
  const part = entry.key.slice(entry.key.lastIndexOf('|') + 1);
  if (entry.recipient === 'post') return part.startsWith('post:') ? 'post' : '';
  return part === entry.recipient.trim().toLowerCase() && EMAIL.test(part) ? part : '';
}

/** Values for every catalogue field of this entry, or why it cannot be built. */
export function mergeValuesFor(entry: LedgerEntry, ctx: MergeContext): MergeResult {
  if (approvedRecipient(entry) === '') {
    return { ok: false, reason: 'its Recipient in the Letters Ledger is not the address approved with the plan (the row was edited, or the address is not valid) — it is not sent; plan the letters again' };
  }
  const built = mergeValuesUnchecked(entry, ctx);
  if (!built.ok) return built;
  // Text leaves the add-on here (document, PDF, email): no control characters, nothing absurdly long.
  const values: Record<string, string> = {};
  for (const [field, value] of Object.entries(built.values)) {
    const clean = String(value).replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
    if (clean.length > MAX_MERGE_VALUE) {
      return { ok: false, reason: `its {{${field}}} is ${clean.length.toLocaleString('en-GB')} characters long (at most ${MAX_MERGE_VALUE} go into a letter) — shorten it on the tracker` };
    }
    values[field] = clean;
  }
  return { ok: true, values, record: built.record };
}

function mergeValuesUnchecked(entry: LedgerEntry, ctx: MergeContext): MergeResult {
  const record = ctx.model.byId.get(entry.studentId);
  if (!record) {
    const un = ctx.model.unevaluated.get(entry.studentId);
    return { ok: false, reason: un ? `student ${entry.studentId} could not be evaluated: ${un.problem}` : `student ${entry.studentId} is no longer on the tracker` };
  }
  const email = entry.recipient === 'post' ? '' : entry.recipient;
  const parent = record.student.parents.find((p) => email !== '' && p.email.trim().toLowerCase() === email)
    ?? { name: entry.recipientName ?? '', email };
  const values = buildMergeValues({
    student: record.student,
    parent: { name: entry.recipientName || parent.name, email },
    placement: { ...record.placement, step: entry.step ?? record.placement.step },
    stats: { attended: record.stats.attended, unauthorised: record.stats.unauthorised, possible: record.stats.possible },
    absenceDates: absenceDates(record, ctx.model),
    schoolName: ctx.settings.schoolName,
    staffName: ctx.staffName,
    today: ctx.today,
    language: entry.language || 'en',
    reviewDue: record.placement.reviewDue,
    englishLocale: ctx.model.table.sessionsPerDay === 1 ? 'en-US' : 'en-GB',
    // Wording follows what really happened to this family (a sent letter, a meeting held).
    conditions: letterConditions(record.history, { letterId: entry.letterId, windowKey: entry.windowKey }, ctx.today),
  });
  return { ok: true, values, record };
}

/** The reason a letter is held back ('' when it can go): missing data for the fields its template uses. */
export function holdBackReason(fieldsUsed: readonly string[], values: Readonly<Record<string, string>>): string {
  const missing = missingValues(fieldsUsed, values);
  if (missing.length === 0) return '';
  return `no value for ${missing.map((f) => `{{${f}}}`).join(', ')} — fill it in on the tracker (or remove the field from the template)`;
}
