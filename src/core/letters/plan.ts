/**
 * Planning a letter run: who gets which letter, in which language, by email or by post, and why.
 * The plan is shown to the Attendance Lead before anything is sent (peers.md §2(b): "wanted: a
 * confirmation step or preview"); every gap (no parent, bad address, no template in the family's
 * language) is a visible line, never a silent skip.
 */
import { letterKey } from '../policy/evaluate';
import { isValidEmail } from '../tracker/rows';
import { POST, recipientKeyPart } from './ledger';
import type { LetterPlacement, LetterStudent } from './render';
import { normaliseLanguage } from './render';
import { templateFor } from './templates';
import { languageName, letterName } from '../format';

export interface PlannedLetter {
  /** `${studentId}|${letterId}|${windowKey}|${email or post:<name>}` — the ledger key. */
  key: string;
  studentId: string;
  studentName: string;
  letterId: string;
  step: number;
  windowKey: string;
  /** Language of the template that will be used. */
  language: string;
  /** The family's language has no template for this letter; the English one is used. */
  fellBackToEnglish: boolean;
  /** Email address (lower case) or 'post' (goes in the print pack). */
  recipient: string;
  recipientName: string;
  /** The placement's explanation: why this letter is due. */
  why: string;
  /** Set when the Attendance Lead excluded the student: the reason (the item is kept, not sent). */
  excluded?: string;
  /**
   * Set when the letter skips the ladder's earlier letters, so the Attendance Lead sees it before
   * sending: "First letter to this family — jumps to Letter 3", "Jumps from Letter 1 to Letter 3".
   */
  jump?: string;
}

/**
 * Whether this letter jumps over the ladder's earlier letters, from the letters really sent to the
 * family (history.ts: a left-out, held or to-print letter never counts): '' when it does not.
 * `ladderLetters` are the policy's letter ids in ladder order.
 */
export function jumpNote(due: string, sent: readonly string[], ladderLetters: readonly string[]): string {
  const at = ladderLetters.indexOf(due);
  if (at <= 0) return '';
  const sentSet = new Set(sent);
  if (sent.length === 0) return `First letter to this family — jumps to ${letterName(due)}`;
  // The same letter again (a new term's window): not a jump, and never "no earlier letter was sent".
  if (sentSet.has(due)) return `${letterName(due)} again: this family had it in an earlier term`;
  if (sentSet.has(ladderLetters[at - 1]!)) return '';
  const earlier = ladderLetters.slice(0, at).filter((l) => sentSet.has(l));
  if (earlier.length === 0) return `No earlier letter of the ladder was sent to this family — jumps to ${letterName(due)}`;
  return `Jumps from ${letterName(earlier[earlier.length - 1]!)} to ${letterName(due)} (${ladderLetters.slice(ladderLetters.indexOf(earlier[earlier.length - 1]!) + 1, at).map(letterName).join(', ')} not sent)`;
}

export interface PlanInput {
  students: readonly LetterStudent[];
  placements: ReadonlyMap<string, LetterPlacement>;
  templatesAvailable: readonly { letterId: string; language: string }[];
  /** studentId → the Attendance Lead's reason for not sending (e.g. "hospital stay, medical evidence seen"). */
  exclusions: ReadonlyMap<string, string>;
  /** studentId → letter ids really sent to the family (conditions.ts lettersSent), for jump notes. */
  lettersSent?: ReadonlyMap<string, readonly string[]>;
  /** The policy's letter ids in ladder order. */
  ladderLetters?: readonly string[];
}

export interface LetterPlan {
  items: PlannedLetter[];
  problems: string[];
}

export function planLetters(input: PlanInput): LetterPlan {
  const items: PlannedLetter[] = [];
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const student of input.students) {
    const placement = input.placements.get(student.studentId);
    const due = placement?.letterDue;
    if (!placement || !due) continue;
    const who = `${student.name || '(no name)'} (${student.studentId})`;
    const choice = templateFor(due.letterId, student.language, input.templatesAvailable);
    if (!choice) {
      problems.push(`${who}: ${letterName(due.letterId)} is due but there is no template for it (not in ${languageName(student.language)}, nor in English). Add one in Settings.`);
      continue;
    }
    const parents = student.parents.filter((p) => String(p.name ?? '').trim() !== '' || String(p.email ?? '').trim() !== '');
    if (parents.length === 0) {
      problems.push(`${who}: ${letterName(due.letterId)} is due but the tracker has no parent/carer for this student; no letter is planned.`);
      continue;
    }
    const excluded = input.exclusions.get(student.studentId);
    const jump = input.ladderLetters ? jumpNote(due.letterId, input.lettersSent?.get(student.studentId) ?? [], input.ladderLetters) : '';
    parents.forEach((parent, i) => {
      const email = String(parent.email ?? '').trim();
      const name = String(parent.name ?? '').trim();
      let recipient: string;
      if (email !== '' && isValidEmail(email)) {
        recipient = email.toLowerCase();
      } else {
        recipient = POST;
        const label = name || `parent/carer ${i + 1}`;
        problems.push(
          email === ''
            ? `${who}: ${label} has no email address; the letter goes in the print pack for post.`
            : `${who}: ${label}'s email "${email}" is not a valid address; the letter goes in the print pack for post.`,
        );
      }
      const key = `${letterKey(student.studentId, due.letterId, due.windowKey)}|${recipientKeyPart(recipient, name || `parent ${i + 1}`)}`;
      if (keys.has(key)) return; // two carers sharing one address get one email
      keys.add(key);
      const item: PlannedLetter = {
        key,
        studentId: student.studentId,
        studentName: student.name,
        letterId: due.letterId,
        step: due.step,
        windowKey: due.windowKey,
        language: choice.language,
        fellBackToEnglish: choice.fellBack,
        recipient,
        recipientName: name,
        why: jump ? `${jump}. ${placement.explanation}` : placement.explanation,
      };
      if (jump) item.jump = jump;
      if (excluded !== undefined) item.excluded = excluded;
      items.push(item);
    });
    if (choice.fellBack) {
      problems.push(`${who}: no ${languageName(student.language)} template for ${letterName(due.letterId)}; the English letter will be used.`);
    }
  }
  return { items, problems };
}
