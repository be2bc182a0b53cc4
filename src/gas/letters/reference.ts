/**
 * Pure helpers shared by the letter adapters (no Apps Script globals): the short reference a
 * family's email carries, the letter's display label, the document name, and the run id.
 */
import { STARTER_TEMPLATES } from '../../core/letters';
import { dateWords, letterName } from '../../core/format';

/**
 * A short, stable reference for one ledger entry, printed at the foot of the email. When a run
 * stopped mid-send, the Attendance Lead searches the Sent folder for it before deciding
 * ("Ref L-3F9A2C1B"); it carries no student data (a UPN must not go into an email subject/body).
 * FNV-1a 32-bit of the ledger key.
 */
export function letterReference(ledgerKey: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < ledgerKey.length; i++) {
    h ^= ledgerKey.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `L-${h.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** 'letter1' → 'Letter 1' (the English starter template's short name), else the letter id itself. */
export function letterLabel(letterId: string): string {
  const starter = STARTER_TEMPLATES.find((t) => t.letterId === letterId && t.language === 'en');
  if (starter) return starter.name.split(' – ')[0].trim() || letterId;
  return letterId;
}

/**
 * The name of a letter's document (and of the family's PDF): 'Letter 1 – Amy Smith – 23 Nov 2026'
 * (the date in words: no ISO date where families read, and no '/' in a file name). Periods are dropped and
 * line breaks flattened: getAs('application/pdf') replaces whatever follows the last period with
 * "pdf" (semantics D1.3), so "J. Smith" would otherwise give the attachment "Letter 1 – J.pdf".
 */
export function letterDocumentName(letterId: string, studentName: string, today: string): string {
  const clean = (s: string) => String(s).replace(/[\r\n\t]+/g, ' ').replace(/\./g, '').replace(/\s+/g, ' ').trim();
  return `${clean(letterName(letterId))} – ${clean(studentName) || 'student'} – ${dateWords(today)}`;
}

/** A run id people can read in the ledger: 'run-20261123-0815-7f3a'. */
export function newRunId(nowIso: string, random: number): string {
  const stamp = nowIso.replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  const suffix = Math.floor(random * 0x10000).toString(16).padStart(4, '0');
  return `run-${stamp}-${suffix}`;
}
