/**
 * A school's policy as one shareable document: the ladder plus its code table. The same shape is
 * the JSON file a trust exports and imports, the preset files in ./presets, and what the add-on
 * stores for a school (gas/policyStore.ts). Checking one gives every problem as a sentence naming
 * the field as the editor shows it ('Step 4 "Letter 1", entry condition, threshold (%): must be at
 * most 100'), never zod's own wording or a path.
 */
import * as z from 'zod/mini';
import { CODE_TABLES } from '../codes';
import type { AttendanceCode, CodeCategory, CodeTable } from '../types';
import { PolicySchema, describeIssue, type Policy } from './schema';
import { fieldInWords } from './words';

export const POLICY_FILE_FORMAT = 'sol-tracker-policy';
export const POLICY_FILE_VERSION = 1;

export const CODE_CATEGORIES: readonly CodeCategory[] = ['present', 'aea', 'authorised', 'unauthorised', 'notPossible'];

/** What each category means, in the editor's words. */
export const CATEGORY_NAMES: Record<CodeCategory, string> = {
  present: 'Present',
  aea: 'Approved educational activity (counts as attending)',
  authorised: 'Authorised / excused absence',
  unauthorised: 'Unauthorised / unexcused absence',
  notPossible: 'Not a possible session',
};

export interface PolicyFile {
  format: typeof POLICY_FILE_FORMAT;
  formatVersion: typeof POLICY_FILE_VERSION;
  policy: Policy;
  /** Absent in the shipped preset files: the built-in table named by policy.codeTableId. */
  codeTable?: CodeTable;
}

/** The policy and code table in force for a school. */
export interface SchoolPolicy {
  policy: Policy;
  table: CodeTable;
}

export interface PolicyProblem {
  /** The field in the editor's words, e.g. 'Step 4 "Letter 1", review period (school days)'. */
  field: string;
  /** One sentence: field, then what is wrong. */
  message: string;
}

export type PolicyCheck = ({ ok: true } & SchoolPolicy) | { ok: false; problems: PolicyProblem[] };

function buildTableSchema() {
  const text = (message: string) => z.string().check(z.trim(), z.minLength(1, message), z.maxLength(300, 'must be at most 300 characters'));
  const code = z.strictObject({
    code: z.string().check(
      z.minLength(1, 'must not be empty'),
      z.maxLength(8, 'must be at most 8 characters'),
      z.refine((c) => c === c.trim().toUpperCase() && !/\s/.test(c), 'must be written as the register shows it: capitals, no spaces'),
    ),
    category: z.enum(CODE_CATEGORIES as [CodeCategory, ...CodeCategory[]], { error: `must be one of ${CODE_CATEGORIES.join(', ')}` }),
    meaning: text('must say what the code means'),
    late: z.optional(z.enum(['beforeClose', 'afterClose'], { error: 'must be beforeClose or afterClose' })),
    unverified: z.optional(z.boolean()),
    unexcused: z.optional(z.boolean()),
  });
  return z.strictObject({
    id: text('must not be empty'),
    label: text('must not be empty'),
    sessionsPerDay: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 (one daily session) or 2 (AM and PM sessions)' }),
    codes: z.array(code).check(z.minLength(1, 'needs at least one code'), z.maxLength(200, 'has more than 200 codes')),
  });
}

let tableSchema: ReturnType<typeof buildTableSchema> | undefined;

interface RawIssue {
  path: PropertyKey[];
  code: string;
  message: string;
}

function sentence(field: string, message: string): string {
  const text = `${field}: ${message}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Checks { policy, codeTable? } (a parsed file, or what the editor sends). A missing table means the
 * built-in one named by policy.codeTableId. Returns the policy as the schema outputs it (defaults
 * filled) and the table, or every problem in words.
 */
export function checkSchoolPolicy(value: unknown): PolicyCheck {
  const file = (value && typeof value === 'object' ? value : {}) as { policy?: unknown; codeTable?: unknown };
  const problems: PolicyProblem[] = [];
  const add = (path: PropertyKey[], message: string) => {
    const field = fieldInWords(path, file);
    problems.push({ field, message: sentence(field, message) });
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    add([], 'must be a policy (an object with "policy" and "codeTable")');
    return { ok: false, problems };
  }
  const policyResult = PolicySchema.safeParse(file.policy);
  if (!policyResult.success) for (const issue of policyResult.error.issues as unknown as RawIssue[]) add(['policy', ...issue.path], describeIssue(issue));

  let table: CodeTable | undefined;
  if (file.codeTable === undefined) {
    const id = (file.policy as { codeTableId?: unknown } | undefined)?.codeTableId;
    table = typeof id === 'string' && Object.prototype.hasOwnProperty.call(CODE_TABLES, id) ? CODE_TABLES[id] : undefined;
    if (!table && policyResult.success) add(['codeTable'], `is missing, and "${String(id)}" is not a built-in code table (${Object.keys(CODE_TABLES).join(', ')})`);
  } else {
    const tableResult = (tableSchema ??= buildTableSchema()).safeParse(file.codeTable);
    if (!tableResult.success) for (const issue of tableResult.error.issues as unknown as RawIssue[]) add(['codeTable', ...issue.path], describeIssue(issue));
    else {
      table = tableResult.data as CodeTable;
      const seen = new Map<string, number>();
      table.codes.forEach((c, i) => {
        const first = seen.get(c.code);
        if (first !== undefined) add(['codeTable', 'codes', i, 'code'], `"${c.code}" is listed twice (also code ${first + 1})`);
        else seen.set(c.code, i);
      });
      if (!table.codes.some((c) => c.category === 'present')) add(['codeTable', 'codes'], 'needs at least one code in the category present');
    }
  }
  if (policyResult.success && table) {
    const policy = policyResult.data as Policy;
    if (table.id !== policy.codeTableId) add(['policy', 'codeTableId'], `is "${policy.codeTableId}" but the code table's id is "${table.id}"`);
    if (table.sessionsPerDay !== policy.sessionsPerDay) add(['codeTable', 'sessionsPerDay'], `is ${table.sessionsPerDay} but the policy has ${policy.sessionsPerDay} sessions per day`);
  }
  if (problems.length > 0 || !policyResult.success || !table) return { ok: false, problems };
  return { ok: true, policy: policyResult.data as Policy, table };
}

/** Reads a policy file's text: JSON, then the format header, then the policy and table. */
export function readPolicyFile(text: string): PolicyCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(text ?? '').replace(/^\uFEFF/, ''));
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const where = m ? ` (line ${String(text).slice(0, Number(m[1])).split('\n').length})` : '';
    return { ok: false, problems: [{ field: 'the policy file', message: `The policy file is not valid JSON${where}: it may be damaged or not a policy file.` }] };
  }
  const head = (parsed ?? {}) as { format?: unknown; formatVersion?: unknown };
  if (!parsed || typeof parsed !== 'object' || head.format !== POLICY_FILE_FORMAT) {
    return { ok: false, problems: [{ field: 'file format', message: `The file is not a SOL Tracker policy file (it should start with "format": "${POLICY_FILE_FORMAT}").` }] };
  }
  if (head.formatVersion !== POLICY_FILE_VERSION) {
    return { ok: false, problems: [{ field: 'file format', message: `The policy file is format version ${String(head.formatVersion)}; this add-on reads version ${POLICY_FILE_VERSION}.` }] };
  }
  const unknown = Object.keys(parsed).filter((k) => !['format', 'formatVersion', 'policy', 'codeTable'].includes(k));
  if (unknown.length > 0) {
    return { ok: false, problems: [{ field: 'the policy file', message: `The policy file has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}.` }] };
  }
  return checkSchoolPolicy(parsed);
}

function codeEntry(c: AttendanceCode): AttendanceCode {
  const out: AttendanceCode = { code: c.code, category: c.category, meaning: c.meaning };
  if (c.late !== undefined) out.late = c.late;
  if (c.unverified !== undefined) out.unverified = c.unverified;
  if (c.unexcused !== undefined) out.unexcused = c.unexcused;
  return out;
}

/** The file a school exports: self-contained (the code table always included), readable JSON. */
export function policyFile(policy: Policy, table: CodeTable): PolicyFile {
  return {
    format: POLICY_FILE_FORMAT,
    formatVersion: POLICY_FILE_VERSION,
    policy,
    codeTable: { id: table.id, label: table.label, sessionsPerDay: table.sessionsPerDay, codes: table.codes.map(codeEntry) },
  };
}

export function policyFileText(policy: Policy, table: CodeTable): string {
  return `${JSON.stringify(policyFile(policy, table), null, 2)}\n`;
}

/** A file name for the export: 'sol-tracker-policy-uk-secondary-sol.json'. */
export function policyFileName(policy: Policy): string {
  return `sol-tracker-policy-${policy.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'school'}.json`;
}
