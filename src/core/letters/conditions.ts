/**
 * Wording that follows the family's history (issue 10: "Letters claim history that never
 * happened" — a first letter that jumps to Letter 3 said "since our last meeting").
 *
 * A template holds both wordings in a conditional block, written inside ONE paragraph:
 *
 *   {{#if Earlier letter}}We wrote to you recently about …{{else}}We are writing to you about …{{/if}}
 *   {{#if Meeting held}}… since our last meeting …{{/if}}
 *
 * - the condition is one of LETTER_CONDITIONS (case and spaces inside the braces do not matter);
 * - `{{else}}` is optional; blocks do not nest; a block opens and closes in the same paragraph.
 *   That is what survives Google Docs: Body.replaceText matches inside one paragraph only
 *   (semantics D2.4), so a block is resolved in a template COPY by one replaceText per block
 *   (`blockReplaceSteps`: the block's exact text → the chosen wording, escaped), and in plain
 *   paragraph text by `resolveBlocks`. Both give the same words. In a copy, the chosen wording takes
 *   the formatting of the block's first character (the merge fields inside it are filled after).
 *
 * The conditions come from what really happened (`letterConditions`): a letter counts only when it
 * was SENT (a Log row of a letter that went: not left out, held back, failed, unknown or still to
 * print), a meeting only when it was held (not "Parent did not attend").
 */
import { isLetterSent, isMeetingHeld } from '../history';
import type { InterventionRecord, IsoDate } from '../types';
import { editDistance } from './fields';

export interface LetterConditionInfo {
  name: string;
  description: string;
}

export const LETTER_CONDITIONS: readonly LetterConditionInfo[] = [
  { name: 'Earlier letter', description: 'An earlier attendance letter was sent to this family (not left out, held back or waiting to be printed).' },
  { name: 'Meeting held', description: 'A meeting with this family was held (the parent/carer came).' },
];

/** Condition values by name (as in LETTER_CONDITIONS). */
export type LetterConditions = Record<string, boolean>;

const canonical = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const CONDITION_BY_KEY = new Map(LETTER_CONDITIONS.map((c) => [canonical(c.name), c.name]));

/** The catalogue name of a condition as written ('earlier  LETTER' → 'Earlier letter'), or null. */
export function conditionName(written: string): string | null {
  return CONDITION_BY_KEY.get(canonical(written)) ?? null;
}

const MARKER = /\{\{\s*(#if\b[^{}]*|else|\/if)\s*\}\}/gi;

/** True for `{{#if …}}`, `{{else}}`, `{{/if}}` (the inside of the braces): not merge fields. */
export function isBlockMarker(inner: string): boolean {
  return /^\s*(#if\b.*|else|\/if)\s*$/i.test(inner);
}

export interface ConditionalBlock {
  /** Offset of the block's first '{' and one past its last '}' in the paragraph. */
  start: number;
  end: number;
  /** The block's exact text. */
  raw: string;
  /** The condition as written, and its catalogue name (null when unknown). */
  written: string;
  condition: string | null;
  ifText: string;
  elseText: string;
}

export interface BlockProblem {
  /** 1-based paragraph number. */
  paragraph: number;
  text: string;
  message: string;
}

/** The blocks of one paragraph, and what is wrong with its markers (never throws). */
export function findBlocks(text: string, paragraph = 1): { blocks: ConditionalBlock[]; problems: BlockProblem[] } {
  const blocks: ConditionalBlock[] = [];
  const problems: BlockProblem[] = [];
  const problem = (raw: string, message: string) => problems.push({ paragraph, text: raw, message });
  let open: { start: number; written: string; bodyStart: number; elseAt: number; elseEnd: number } | null = null;
  MARKER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKER.exec(text)) !== null) {
    const inner = m[1]!;
    const raw = m[0];
    if (/^#if/i.test(inner)) {
      if (open) {
        problem(raw, `${raw} opens a block inside another one: blocks cannot be nested — close the first with {{/if}} before opening the next.`);
        continue;
      }
      const written = inner.replace(/^#if/i, '').trim();
      open = { start: m.index, written, bodyStart: m.index + raw.length, elseAt: -1, elseEnd: -1 };
      if (written === '') problem(raw, `${raw} has no condition: write e.g. {{#if Earlier letter}}.`);
      else if (!conditionName(written)) {
        const near = LETTER_CONDITIONS.map((c) => ({ c, d: editDistance(canonical(written), canonical(c.name)) })).sort((a, b) => a.d - b.d)[0]!;
        problem(
          raw,
          `Unknown condition "${written}" in ${raw}` +
            (near.d <= Math.max(2, Math.floor(near.c.name.length / 3)) ? `: did you mean {{#if ${near.c.name}}}?` : `. Conditions: ${LETTER_CONDITIONS.map((c) => c.name).join(', ')}.`),
        );
      }
    } else if (/^else$/i.test(inner)) {
      if (!open) problem(raw, `${raw} is not inside a {{#if …}} block (a block opens and closes in the same paragraph).`);
      else if (open.elseAt >= 0) problem(raw, `A block has two {{else}}: keep one.`);
      else {
        open.elseAt = m.index;
        open.elseEnd = m.index + raw.length;
      }
    } else {
      if (!open) {
        problem(raw, `${raw} closes a block that was not opened in this paragraph (a block opens and closes in the same paragraph).`);
        continue;
      }
      const end = m.index + raw.length;
      const ifText = text.slice(open.bodyStart, open.elseAt >= 0 ? open.elseAt : m.index);
      const elseText = open.elseAt >= 0 ? text.slice(open.elseEnd, m.index) : '';
      blocks.push({ start: open.start, end, raw: text.slice(open.start, end), written: open.written, condition: conditionName(open.written), ifText, elseText });
      open = null;
    }
  }
  if (open) problem(text.slice(open.start, open.bodyStart), `{{#if ${open.written}}} is not closed in this paragraph: end the block with {{/if}} in the same paragraph.`);
  return { blocks, problems };
}

/** Every block problem of a template's paragraphs. */
export function blockProblems(paragraphs: readonly string[]): BlockProblem[] {
  return paragraphs.flatMap((p, i) => findBlocks(p, i + 1).problems);
}

/** True when any paragraph holds a block marker. */
export function hasBlocks(paragraphs: readonly string[]): boolean {
  return paragraphs.some((p) => new RegExp(MARKER.source, 'i').test(p));
}

function chosen(block: ConditionalBlock, conditions: Readonly<LetterConditions>): string {
  if (!block.condition) throw new Error(`Letters: unknown condition "${block.written}" in ${block.raw} — fix the template.`);
  return conditions[block.condition] === true ? block.ifText : block.elseText;
}

/** One paragraph with each block replaced by the wording its condition chooses (throws on a malformed block). */
export function resolveBlocks(text: string, conditions: Readonly<LetterConditions>): string {
  const { blocks, problems } = findBlocks(text);
  if (problems.length > 0) throw new Error(`Letters: ${problems[0]!.message}`);
  let out = '';
  let at = 0;
  for (const b of blocks) {
    out += text.slice(at, b.start) + chosen(b, conditions);
    at = b.end;
  }
  return out + text.slice(at);
}

/**
 * A paragraph that held nothing but blocks and resolves to nothing is dropped (a follow-up-only
 * paragraph in a first letter leaves no empty line).
 */
export function resolveParagraphs(paragraphs: readonly string[], conditions: Readonly<LetterConditions>): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    const r = resolveBlocks(p, conditions);
    if (r.trim() === '' && p.trim() !== '' && findBlocks(p).blocks.length > 0) continue;
    out.push(r);
  }
  return out;
}

/** RE2 metacharacters (and `%`, `/`): a block's exact text as a literal pattern. */
function literalRe2(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}%\/]/g, '\\$&');
}

export interface BlockReplaceStep {
  pattern: string;
  replacement: string;
}

/**
 * replaceText calls that resolve the blocks of a template copy (run them BEFORE the merge-field
 * calls): one per distinct block text, the block's exact text → the chosen wording, escaped for
 * Java's replacement syntax. Two identical blocks hold the same condition, so replacing every
 * occurrence is right. No capture groups: Docs' findText/replaceText do not promise them (D2.3).
 */
export function blockReplaceSteps(paragraphs: readonly string[], conditions: Readonly<LetterConditions>): BlockReplaceStep[] {
  const steps: BlockReplaceStep[] = [];
  const seen = new Set<string>();
  paragraphs.forEach((p, i) => {
    const { blocks, problems } = findBlocks(p, i + 1);
    if (problems.length > 0) throw new Error(`Letters: paragraph ${i + 1}: ${problems[0]!.message}`);
    for (const b of blocks) {
      if (seen.has(b.raw)) continue;
      seen.add(b.raw);
      steps.push({ pattern: literalRe2(b.raw), replacement: chosen(b, conditions).replace(/[\\$]/g, '\\$&') });
    }
  });
  return steps;
}

/** ['S1', 'letter2', '2025-11'] from 'S1|letter2|2025-11|…' (null when the key has no letter part). */
function letterOfKey(key: string | undefined): { letterId: string; windowKey: string } | null {
  if (!key) return null;
  const parts = key.split('|');
  if (parts.length < 3) return null;
  return { letterId: parts[1]!, windowKey: parts[2]! };
}

/**
 * The conditions of one letter from the pupil's Interventions Log rows (oldest first): an earlier
 * letter that really went (not this same letter to another carer), a meeting that was held — each
 * dated on or before today.
 */
export function letterConditions(history: readonly InterventionRecord[], letter: { letterId: string; windowKey: string }, today: IsoDate): LetterConditions {
  let earlierLetter = false;
  let meetingHeld = false;
  for (const r of history) {
    if (r.date > today) continue;
    if (isLetterSent(r)) {
      const of = letterOfKey(r.letterKey);
      if (!of || of.letterId !== letter.letterId || of.windowKey !== letter.windowKey) earlierLetter = true;
    }
    if (isMeetingHeld(r)) meetingHeld = true;
  }
  return { 'Earlier letter': earlierLetter, 'Meeting held': meetingHeld };
}

/**
 * Letters sent to this family before (the letter ids of Log rows of letters that went, oldest
 * first; a letter logged by hand without a key counts as 'a letter').
 */
export function lettersSent(history: readonly InterventionRecord[], today: IsoDate): string[] {
  const out: string[] = [];
  for (const r of history) {
    if (r.date > today || !isLetterSent(r)) continue;
    out.push(letterOfKey(r.letterKey)?.letterId ?? 'letter');
  }
  return out;
}

/** Merge values carry each condition as '#if <name>' → 'yes' / 'no', so they travel with the letter's values. */
export const CONDITION_VALUE_PREFIX = '#if ';

export function conditionValues(conditions: Readonly<LetterConditions>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of LETTER_CONDITIONS) out[`${CONDITION_VALUE_PREFIX}${c.name}`] = conditions[c.name] ? 'yes' : 'no';
  return out;
}

/** The conditions carried by merge values (a condition that is absent is false: the first-contact wording). */
export function conditionsOf(values: Readonly<Record<string, string>>): LetterConditions {
  const out: LetterConditions = {};
  for (const c of LETTER_CONDITIONS) out[c.name] = values[`${CONDITION_VALUE_PREFIX}${c.name}`] === 'yes';
  return out;
}
