/**
 * The merge values of one ledger entry, from the school model (pure: no Apps Script globals).
 * A letter whose template uses a field with no value is held back with the reason — never sent
 * with a blank (peers.md §2(b): "leaves placeholders blank").
 */
import { lookupCode } from '../../core/codes';
import { buildMergeValues, missingValues, type LedgerEntry } from '../../core/letters';
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

/** Values for every catalogue field of this entry, or why it cannot be built. */
export function mergeValuesFor(entry: LedgerEntry, ctx: MergeContext): MergeResult {
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
  });
  return { ok: true, values, record };
}

/** The reason a letter is held back ('' when it can go): missing data for the fields its template uses. */
export function holdBackReason(fieldsUsed: readonly string[], values: Readonly<Record<string, string>>): string {
  const missing = missingValues(fieldsUsed, values);
  if (missing.length === 0) return '';
  return `no value for ${missing.map((f) => `{{${f}}}`).join(', ')} — fill it in on the tracker (or remove the field from the template)`;
}
