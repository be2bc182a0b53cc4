/**
 * A school's escalation ladder as data (DESIGN.md §3): ordered steps, each with an entry
 * condition, its actions, owner and review period in school days. Settings store a policy as JSON;
 * `parsePolicy` validates it and names every bad field.
 *
 * The zod schema is built on first use (z.lazy), not at load: Apps Script re-runs all top-level
 * code on every execution, including every custom-function cell.
 */
import * as z from 'zod/mini';
import type { $RefinementCtx } from 'zod/v4/core';

/**
 * Entry conditions. Percentages allow one decimal (92.9) and are compared on integers scaled x10,
 * never on rounded display values. Counts are in register sessions (one a day for US registers).
 */
export type Condition =
  /** attended / possible < percent. With sinceStep: only marks after that step was entered. */
  | { kind: 'attendanceBelow'; percent: number; sinceStep?: number }
  | { kind: 'attendanceAtOrAbove'; percent: number }
  /** absent / possible >= percent. */
  | { kind: 'absenceRateAtLeast'; percent: number }
  /** Unauthorised sessions, in all marks, the last N school days, or the current term. */
  | { kind: 'unauthorisedAtLeast'; sessions: number; withinSchoolDays?: number; withinCurrentTerm?: boolean }
  | { kind: 'unverifiedAtLeast'; sessions: number }
  /** Unexcused sessions (US); a count or a share of possible; with sinceStep only after that step was entered. */
  | { kind: 'unexcusedAtLeast'; sessions?: number; percentOfPossible?: number; sinceStep?: number }
  | { kind: 'consecutiveUnauthorisedAtLeast'; sessions: number }
  | { kind: 'anyAbsence' }
  /**
   * Seed 002 "no improvement": `step`'s own action was done (its letter sent or meeting held, else
   * its contact), its review date has passed, the register has marks for the whole review period,
   * and attendance on the marks AFTER that action is not above attendance before it. With
   * whileBelowPercent, only while attendance since the action, and overall, is still below that
   * percent: a pupil whose attendance since (or for the year) is above the step's concern has
   * improved enough, whatever it was before (seed 002's thresholds: "no improvement" is no improvement of a concern).
   */
  | { kind: 'noImprovementSinceStep'; step: number; whileBelowPercent?: number }
  /** `step`'s action done (letter sent / meeting held / contact) and its review date passed. */
  | { kind: 'reviewPassed'; step: number }
  /** A log outcome 'Parent did not attend' on a record at step >= atOrAfterStep (default: the previous step). */
  | { kind: 'failedToAttendMeeting'; atOrAfterStep?: number }
  /**
   * 10 unauthorised sessions in 10 school weeks (attendance-rules.md §1.6), via stats.penaltyNoticeCheck.
   * With sinceStep: only marks after that step's letter or meeting (seed 002: evidence after support).
   */
  | { kind: 'penaltyThresholdReached'; sinceStep?: number }
  /** At least `count` Monday–Sunday weeks with an absence, within the last N school days. */
  | { kind: 'brokenWeeks'; count: number; withinSchoolDays: number }
  | { kind: 'persistentAbsence' }
  | { kind: 'severeAbsence' }
  /** The history already has a record at step >= `step`. */
  | { kind: 'atStep'; step: number }
  | { kind: 'anyOf'; conditions: Condition[] }
  | { kind: 'allOf'; conditions: Condition[] };

export type ConditionKind = Condition['kind'];

export const ACTION_KINDS = ['conversation', 'call', 'letter', 'meeting', 'homeVisit', 'referral', 'email'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface StepAction {
  kind: ActionKind;
  /** Letter template id, for letter actions (the letters feature looks up per language). */
  letterId?: string;
  description: string;
}

export interface Step {
  number: number;
  /** 'Step 4 – Letter 1' */
  label: string;
  /** Role(s) who own the step, in the school's abbreviations: 'Tutor', 'AO/HOY', 'AL'. */
  owner: string;
  actions: StepAction[];
  entry: Condition;
  reviewSchoolDays: number;
  /** Contact must be made within this many school days of entering the step (seed 001: 1–2). */
  contactWithinSchoolDays?: number;
  /** Why the step is built this way (its source in the SOP), shown in the policy editor and tab. */
  note?: string;
}

/** Seed 004: after a truancy hearing, N clean school days at min% attendance end the probation. */
export interface Deescalation {
  afterStep: number;
  schoolDaysWithoutUnexcused: number;
  minAttendancePercent: number;
}

export interface Policy {
  id: string;
  label: string;
  /** 'dfe-2024' | 'us-illinois' | a school's own table id. */
  codeTableId: string;
  sessionsPerDay: 1 | 2;
  /** Letters are sent once per student, letter and window: a term (UK) or an academic year (US). */
  letterWindow: 'term' | 'academicYear';
  steps: Step[];
  deescalation?: Deescalation;
}

const MAX_CONDITION_DEPTH = 8;
/** Caps on what a person can send (fail closed: a hostile draft cannot make evaluation slow). */
const MAX_STEPS = 30;
const MAX_CHILDREN = 20;

function buildPolicySchema() {
  const wholeCount = (min: number) => z.int({ error: 'must be a whole number' }).check(z.minimum(min, `must be at least ${min}`));
  // One decimal place at most: 92.9 is fine, 92.95 is not (thresholds compare on x10 integers).
  const percent = z.number().check(
    z.minimum(0, 'must be at least 0'),
    z.maximum(100, 'must be at most 100'),
    z.refine((p) => Math.abs(Math.round(p * 10) - p * 10) < 1e-9, 'must have at most one decimal place'),
  );
  const text = (message: string, max = 300) => z.string().check(z.trim(), z.minLength(1, message), z.maxLength(max, `must be at most ${max} characters`));

  const condition: z.ZodMiniType<Condition> = z.lazy(() =>
    z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('attendanceBelow'), percent, sinceStep: z.optional(wholeCount(1)) }),
      z.strictObject({ kind: z.literal('attendanceAtOrAbove'), percent }),
      z.strictObject({ kind: z.literal('absenceRateAtLeast'), percent }),
      z.strictObject({
        kind: z.literal('unauthorisedAtLeast'),
        sessions: wholeCount(1),
        withinSchoolDays: z.optional(wholeCount(1)),
        withinCurrentTerm: z.optional(z.boolean()),
      }),
      z.strictObject({ kind: z.literal('unverifiedAtLeast'), sessions: wholeCount(1) }),
      z
        .strictObject({
          kind: z.literal('unexcusedAtLeast'),
          sessions: z.optional(wholeCount(1)),
          percentOfPossible: z.optional(percent),
          sinceStep: z.optional(wholeCount(1)),
        })
        .check(
          z.refine((c) => (c.sessions === undefined) !== (c.percentOfPossible === undefined), {
            message: 'give exactly one of sessions or percentOfPossible',
          }),
        ),
      z.strictObject({ kind: z.literal('consecutiveUnauthorisedAtLeast'), sessions: wholeCount(1) }),
      z.strictObject({ kind: z.literal('anyAbsence') }),
      z.strictObject({ kind: z.literal('noImprovementSinceStep'), step: wholeCount(1), whileBelowPercent: z.optional(percent) }),
      z.strictObject({ kind: z.literal('reviewPassed'), step: wholeCount(1) }),
      z.strictObject({ kind: z.literal('failedToAttendMeeting'), atOrAfterStep: z.optional(wholeCount(1)) }),
      z.strictObject({ kind: z.literal('penaltyThresholdReached'), sinceStep: z.optional(wholeCount(1)) }),
      z.strictObject({ kind: z.literal('brokenWeeks'), count: wholeCount(1), withinSchoolDays: wholeCount(1) }),
      z.strictObject({ kind: z.literal('persistentAbsence') }),
      z.strictObject({ kind: z.literal('severeAbsence') }),
      z.strictObject({ kind: z.literal('atStep'), step: wholeCount(1) }),
      z.strictObject({ kind: z.literal('anyOf'), conditions: z.array(condition).check(z.minLength(1, 'needs at least one condition'), z.maxLength(MAX_CHILDREN, `has more than ${MAX_CHILDREN} conditions`)) }),
      z.strictObject({ kind: z.literal('allOf'), conditions: z.array(condition).check(z.minLength(1, 'needs at least one condition'), z.maxLength(MAX_CHILDREN, `has more than ${MAX_CHILDREN} conditions`)) }),
    ]),
  );

  const action = z
    .strictObject({
      kind: z.enum(ACTION_KINDS),
      letterId: z.optional(text('must not be empty')),
      description: text('must describe the action'),
    })
    .check(z.refine((a) => a.kind !== 'letter' || a.letterId !== undefined, { message: 'a letter action must name its letter', path: ['letterId'] }));

  const step = z.strictObject({
    number: wholeCount(1),
    label: text('must not be empty'),
    owner: text('must name who owns the step'),
    actions: z.array(action).check(z.minLength(1, 'needs at least one action'), z.maxLength(10, 'has more than 10 actions')),
    entry: condition,
    reviewSchoolDays: wholeCount(1),
    contactWithinSchoolDays: z.optional(wholeCount(0)),
    note: z.optional(z.string().check(z.maxLength(1000, 'must be at most 1000 characters'))),
  });

  return z
    .strictObject({
      id: text('must not be empty'),
      label: text('must not be empty'),
      codeTableId: text('must not be empty'),
      sessionsPerDay: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 (one daily session) or 2 (AM and PM sessions)' }),
      letterWindow: z._default(z.enum(['term', 'academicYear']), 'term'),
      steps: z.array(step).check(z.minLength(1, 'needs at least one step'), z.maxLength(MAX_STEPS, `has more than ${MAX_STEPS} steps`)),
      deescalation: z.optional(
        z.strictObject({
          afterStep: wholeCount(1),
          schoolDaysWithoutUnexcused: wholeCount(1),
          minAttendancePercent: percent,
        }),
      ),
    })
    .check(z.superRefine((policy, ctx) => checkLadder(policy as Policy, ctx)));
}

/** Cross-field rules zod cannot express per field: step numbering and step references. */
function checkLadder(policy: Policy, ctx: $RefinementCtx): void {
  const count = policy.steps.length;
  policy.steps.forEach((step, i) => {
    if (step.number !== i + 1) {
      ctx.addIssue({ code: 'custom', path: ['steps', i, 'number'], message: `steps must be numbered 1..${count} in order; expected ${i + 1}, got ${step.number}` });
    }
    walkCondition(step.entry, ['steps', i, 'entry'], 0, ctx, count, step.number);
  });
  if (policy.deescalation && policy.deescalation.afterStep > count) {
    ctx.addIssue({ code: 'custom', path: ['deescalation', 'afterStep'], message: `refers to step ${policy.deescalation.afterStep} but the ladder has ${count} steps` });
  }
}

function walkCondition(c: Condition, path: (string | number)[], depth: number, ctx: $RefinementCtx, count: number, ownStep: number): void {
  if (depth > MAX_CONDITION_DEPTH) {
    ctx.addIssue({ code: 'custom', path, message: `conditions are nested more than ${MAX_CONDITION_DEPTH} deep` });
    return;
  }
  const refersTo = (n: number | undefined, field: string) => {
    if (n === undefined) return;
    if (n > count) ctx.addIssue({ code: 'custom', path: [...path, field], message: `refers to step ${n} but the ladder has ${count} steps` });
    else if (n >= ownStep && c.kind !== 'atStep') {
      // A step's entry may only look back at earlier steps; otherwise it could never be entered.
      ctx.addIssue({ code: 'custom', path: [...path, field], message: `refers to step ${n}, which is not before step ${ownStep}` });
    }
  };
  switch (c.kind) {
    case 'anyOf':
    case 'allOf':
      c.conditions.forEach((child, i) => walkCondition(child, [...path, 'conditions', i], depth + 1, ctx, count, ownStep));
      return;
    case 'noImprovementSinceStep':
    case 'reviewPassed':
    case 'atStep':
      refersTo(c.step, 'step');
      return;
    case 'attendanceBelow':
    case 'unexcusedAtLeast':
    case 'penaltyThresholdReached':
      refersTo(c.sinceStep, 'sinceStep');
      return;
    case 'failedToAttendMeeting':
      refersTo(c.atOrAfterStep, 'atOrAfterStep');
      return;
    default:
      return;
  }
}

let builtSchema: ReturnType<typeof buildPolicySchema> | undefined;

/** The policy schema, built on first parse. */
export const PolicySchema = z.lazy(() => (builtSchema ??= buildPolicySchema()));

/** Parses settings JSON into a policy; throws one Error listing every issue as `path: message`. */
export function parsePolicy(json: unknown): Policy {
  const result = PolicySchema.safeParse(json);
  if (result.success) return result.data as Policy;
  const lines = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(policy)'}: ${describeIssue(issue)}`);
  return failWith(lines);
}

/**
 * zod/mini ships no message locale (that is what keeps the bundle small), so generic issues
 * read "Invalid input"; say what is wrong in words instead.
 */
export function describeIssue(issue: { code: string; message: string; keys?: string[]; expected?: unknown; values?: unknown[] }): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys && issue.keys.length > 1 ? 's' : ''} ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return `must be ${EXPECTED_WORDS[String(issue.expected)] ?? String(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'is not a known kind of condition (check "kind" and its fields)';
    default:
      return issue.message || 'is not valid';
  }
}

const EXPECTED_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
};

function failWith(lines: string[]): never {
  throw new Error(`Invalid policy (${lines.length} issue${lines.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
}

/** Compile-time check that the hand-written types and the schema agree (no runtime code). */
type InferredPolicy = z.output<ReturnType<typeof buildPolicySchema>>;
export type PolicyInput = z.input<ReturnType<typeof buildPolicySchema>>;
type Assert<T extends true> = T;
export type SchemaMatchesTypes = Assert<InferredPolicy extends Policy ? (Policy extends InferredPolicy ? true : false) : false>;
