/**
 * A policy in staff's words: each entry condition as a sentence ("attendance below 95%, or no
 * improvement by the review of Step 3"), and each field of a policy file named as staff see it in
 * the editor ('Step 4 "Letter 1", entry condition 2, threshold (%)') instead of a zod path.
 */
import type { Condition, Policy, Step } from './schema';

/** 'absences' for a daily (US) register, 'sessions' for AM/PM registers. */
export type CountUnit = 'absences' | 'sessions';

export function unitOf(sessionsPerDay: number): CountUnit {
  return sessionsPerDay === 1 ? 'absences' : 'sessions';
}

const n = (count: number, unit: CountUnit, kind: string) =>
  `${count} ${kind} ${unit === 'absences' ? (count === 1 ? 'absence' : 'absences') : count === 1 ? 'session' : 'sessions'}`;

/** One condition as words, e.g. "at least 5 unverified absences". */
export function describeCondition(c: Condition, unit: CountUnit = 'sessions'): string {
  switch (c.kind) {
    case 'attendanceBelow':
      return c.sinceStep === undefined ? `attendance below ${c.percent}%` : `attendance since Step ${c.sinceStep} below ${c.percent}%`;
    case 'attendanceAtOrAbove':
      return `attendance at or above ${c.percent}%`;
    case 'absenceRateAtLeast':
      return `absence of at least ${c.percent}%`;
    case 'unauthorisedAtLeast': {
      const where = [c.withinSchoolDays !== undefined ? `in the last ${c.withinSchoolDays} school days` : '', c.withinCurrentTerm ? 'this term' : ''].filter(Boolean).join(' and ');
      return `at least ${n(c.sessions, unit, 'unauthorised')}${where ? ` ${where}` : ''}`;
    }
    case 'unverifiedAtLeast':
      return `at least ${n(c.sessions, unit, 'unverified')}`;
    case 'unexcusedAtLeast': {
      const since = c.sinceStep === undefined ? '' : ` since Step ${c.sinceStep}`;
      return c.sessions !== undefined ? `at least ${n(c.sessions, unit, 'unexcused')}${since}` : `unexcused absence of at least ${c.percentOfPossible}% of possible${since}`;
    }
    case 'consecutiveUnauthorisedAtLeast':
      return `${n(c.sessions, unit, 'consecutive unauthorised')} or more`;
    case 'anyAbsence':
      return 'any absence';
    case 'noImprovementSinceStep':
      return `no improvement by the review of Step ${c.step}${c.whileBelowPercent === undefined ? '' : ` while attendance since and overall is below ${c.whileBelowPercent}%`}`;
    case 'reviewPassed':
      return `the review date of Step ${c.step} has passed`;
    case 'failedToAttendMeeting':
      return c.atOrAfterStep === undefined ? 'the parent/carer did not attend a meeting at the previous step or later' : `the parent/carer did not attend a meeting at Step ${c.atOrAfterStep} or later`;
    case 'penaltyThresholdReached':
      return '10 unauthorised sessions within 10 school weeks (penalty-notice threshold)';
    case 'brokenWeeks':
      return `absences in at least ${c.count} separate weeks within the last ${c.withinSchoolDays} school days`;
    case 'persistentAbsence':
      return 'persistent absence (10% or more absent)';
    case 'severeAbsence':
      return 'severe absence (50% or more absent)';
    case 'atStep':
      return `already at Step ${c.step} or later`;
    case 'anyOf':
      return c.conditions.map((x) => wrap(x, unit)).join(', or ');
    case 'allOf':
      return c.conditions.map((x) => wrap(x, unit)).join(', and ');
  }
}

function wrap(c: Condition, unit: CountUnit): string {
  const text = describeCondition(c, unit);
  return c.kind === 'anyOf' || c.kind === 'allOf' ? `(${text})` : text;
}

/** The names staff know each condition kind by (the editor's kind menu). */
export const CONDITION_NAMES: Record<Condition['kind'], string> = {
  attendanceBelow: 'Attendance below a percentage',
  attendanceAtOrAbove: 'Attendance at or above a percentage',
  absenceRateAtLeast: 'Absence rate at least a percentage',
  unauthorisedAtLeast: 'Unauthorised absences, at least',
  unverifiedAtLeast: 'Unverified absences, at least',
  unexcusedAtLeast: 'Unexcused absences, at least',
  consecutiveUnauthorisedAtLeast: 'Consecutive unauthorised absences, at least',
  anyAbsence: 'Any absence',
  noImprovementSinceStep: 'No improvement by a step’s review',
  reviewPassed: 'A step’s review date has passed',
  failedToAttendMeeting: 'Parent/carer did not attend a meeting',
  penaltyThresholdReached: 'Penalty-notice threshold (10 in 10 school weeks)',
  brokenWeeks: 'Broken weeks',
  persistentAbsence: 'Persistent absence (10%+)',
  severeAbsence: 'Severe absence (50%+)',
  atStep: 'Already at a step',
  anyOf: 'Any of these',
  allOf: 'All of these',
};

const POLICY_FIELDS: Record<string, string> = {
  id: 'policy id',
  label: 'policy name',
  codeTableId: 'code table',
  sessionsPerDay: 'sessions per day',
  letterWindow: 'letter window',
  steps: 'steps',
  deescalation: 'de-escalation',
};

const STEP_FIELDS: Record<string, string> = {
  number: 'number',
  label: 'name',
  owner: 'owner',
  actions: 'actions',
  entry: 'entry condition',
  reviewSchoolDays: 'review period (school days)',
  contactWithinSchoolDays: 'contact within (school days)',
  note: 'note',
};

const CONDITION_FIELDS: Record<string, string> = {
  kind: 'kind',
  percent: 'threshold (%)',
  sessions: 'number of absences',
  withinSchoolDays: 'within the last (school days)',
  withinCurrentTerm: 'this term only',
  percentOfPossible: 'share of possible (%)',
  sinceStep: 'since step',
  step: 'step',
  atOrAfterStep: 'at or after step',
  count: 'number of weeks',
  conditions: 'conditions',
};

const ACTION_FIELDS: Record<string, string> = { kind: 'kind', letterId: 'letter', description: 'description' };

const DEESCALATION_FIELDS: Record<string, string> = {
  afterStep: 'after step',
  schoolDaysWithoutUnexcused: 'school days with no unexcused absence',
  minAttendancePercent: 'minimum attendance (%)',
};

const TABLE_FIELDS: Record<string, string> = { id: 'id', label: 'name', sessionsPerDay: 'sessions per day', codes: 'codes' };
const CODE_FIELDS: Record<string, string> = { code: 'code', category: 'category', meaning: 'meaning', late: 'late', unverified: 'unverified', unexcused: 'unexcused' };

type Path = readonly PropertyKey[];

function stepName(steps: unknown, i: number): string {
  const step = Array.isArray(steps) ? (steps[i] as Partial<Step> | undefined) : undefined;
  const label = typeof step?.label === 'string' ? step.label.replace(/^step\s+\d+\s*[–-]\s*/i, '').trim() : '';
  return label ? `Step ${i + 1} "${label}"` : `Step ${i + 1}`;
}

function conditionPath(rest: Path): string[] {
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i];
    if (key === 'conditions' && typeof rest[i + 1] === 'number') {
      words.push(`condition ${(rest[i + 1] as number) + 1}`);
      i++;
    } else if (typeof key === 'string') words.push(CONDITION_FIELDS[key] ?? key);
  }
  return words;
}

/**
 * A path inside a policy file ({ policy, codeTable }) as the editor names it. `file` is the input
 * that was checked (for step names and codes). Paths may start at the file or at the policy.
 */
export function fieldInWords(path: Path, file: unknown): string {
  const root = (file ?? {}) as { policy?: Partial<Policy>; codeTable?: { codes?: unknown } };
  if (path.length === 0) return 'the policy file';
  const [head, ...rest] = path;
  if (head === 'codeTable') {
    if (rest.length === 0) return 'Code table';
    if (rest[0] === 'codes' && typeof rest[1] === 'number') {
      const codes = root.codeTable?.codes;
      const entry = Array.isArray(codes) ? (codes[rest[1]] as { code?: unknown } | undefined) : undefined;
      const name = typeof entry?.code === 'string' && entry.code.trim() ? `code "${entry.code.trim()}"` : `code ${rest[1] + 1}`;
      return [`Code table, ${name}`, ...(typeof rest[2] === 'string' ? [CODE_FIELDS[rest[2]] ?? rest[2]] : [])].join(', ');
    }
    return `Code table, ${TABLE_FIELDS[String(rest[0])] ?? String(rest[0])}`;
  }
  if (head !== 'policy') return head === 'format' || head === 'formatVersion' ? 'file format' : String(head);
  return policyFieldInWords(rest, root.policy);
}

/** A path inside a policy ('steps', 3, 'entry', …) in words. */
export function policyFieldInWords(path: Path, policy: unknown): string {
  if (path.length === 0) return 'policy';
  const [head, ...rest] = path;
  const steps = (policy as Partial<Policy> | undefined)?.steps;
  if (head === 'steps' && typeof rest[0] === 'number') {
    const [, field, ...more] = rest;
    const parts = [stepName(steps, rest[0])];
    if (field === 'entry') parts.push('entry condition', ...conditionPath(more));
    else if (field === 'actions' && typeof more[0] === 'number') {
      parts.push(`action ${more[0] + 1}`);
      if (typeof more[1] === 'string') parts.push(ACTION_FIELDS[more[1]] ?? more[1]);
    } else if (typeof field === 'string') parts.push(STEP_FIELDS[field] ?? field);
    return parts.join(', ');
  }
  if (head === 'deescalation') {
    return ['De-escalation', ...(typeof rest[0] === 'string' ? [DEESCALATION_FIELDS[rest[0]] ?? rest[0]] : [])].join(', ');
  }
  const word = POLICY_FIELDS[String(head)] ?? String(head);
  return word.charAt(0).toUpperCase() + word.slice(1);
}
