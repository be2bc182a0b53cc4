/**
 * "See before you save" (issue 15): today's school evaluated under a candidate policy, against the
 * placements in force — how many pupils move between steps, which letters become due (or stop being
 * due), and who could no longer be evaluated (a code the new table lacks), with names for each group.
 * It evaluates exactly as the school will be evaluated after the save: the candidate becomes a new
 * version (book.ts), so past steps keep their numbers and review dates.
 */
import type { SchoolModel } from '../schoolModel';
import { computeStats } from '../stats';
import type { AttendanceStats, InterventionRecord } from '../types';
import { addVersion, historyInCurrentSteps, stepsOnFor, type PolicyBook } from './book';
import { evaluateStudent, type Placement } from './evaluate';
import type { SchoolPolicy } from './file';

export interface ImpactStudent {
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
}

export interface StepMove {
  from: number;
  fromLabel: string;
  to: number;
  toLabel: string;
  students: ImpactStudent[];
}

export interface LetterChange {
  letterId: string;
  /** The step (of the policy that has it) the letter belongs to. */
  step: number;
  stepLabel: string;
  description: string;
  students: ImpactStudent[];
}

export interface PolicyImpact {
  /** Pupils evaluated under both policies. */
  evaluated: number;
  /** Pupils whose step and letter due stay the same. */
  unchanged: number;
  moves: StepMove[];
  lettersNewlyDue: LetterChange[];
  lettersNoLongerDue: LetterChange[];
  /** Pupils the candidate cannot evaluate (e.g. a register code its table lacks), with why. */
  notEvaluated: (ImpactStudent & { problem: string })[];
}

function who(s: { studentId: string; name: string; yearGroup: string; tutorGroup: string }): ImpactStudent {
  return { studentId: s.studentId, name: s.name, yearGroup: s.yearGroup, tutorGroup: s.tutorGroup };
}

const sameTable = (a: SchoolPolicy['table'], b: SchoolPolicy['table']) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * The impact of replacing `current` (with its book, null while a preset is in force) by `candidate`
 * on `model` (evaluated under `current`). `origins`: for each candidate step, the current step it
 * came from (null: new), as the editor tracks them.
 */
export function policyImpact(model: SchoolModel, current: SchoolPolicy, book: PolicyBook | null, candidate: SchoolPolicy, origins?: readonly (number | null)[]): PolicyImpact {
  let next: PolicyBook;
  try {
    next = addVersion(book, current, candidate, { today: model.today, savedAt: '', savedBy: '', origins });
  } catch {
    // Nothing changed: the same placements.
    next = { ...candidate, versions: book?.versions ?? [] };
  }
  const stepsOn = stepsOnFor(next);
  const newVersion = next.versions[next.versions.length - 1];
  const tableChanged = !sameTable(current.table, candidate.table);

  const moves = new Map<string, StepMove>();
  const newlyDue = new Map<string, LetterChange>();
  const noLongerDue = new Map<string, LetterChange>();
  const notEvaluated: PolicyImpact['notEvaluated'] = [];
  let evaluated = 0;
  let unchanged = 0;

  const letterGroup = (groups: Map<string, LetterChange>, placement: Placement, policy: SchoolPolicy['policy']) => {
    const due = placement.letterDue!;
    let group = groups.get(due.letterId);
    if (!group) {
      const step = policy.steps[due.step - 1]!;
      const action = step.actions.find((a) => a.letterId === due.letterId);
      group = { letterId: due.letterId, step: due.step, stepLabel: step.label, description: action?.description ?? due.letterId, students: [] };
      groups.set(due.letterId, group);
    }
    return group;
  };

  for (const record of model.byId.values()) {
    const before = record.placement;
    let stats: AttendanceStats = record.stats;
    let after: Placement;
    try {
      if (tableChanged) stats = computeStats(record.marks, candidate.table);
      // The model's history is in the current numbering; records before today move with the new version.
      const history: InterventionRecord[] =
        newVersion?.renumbered && newVersion.effectiveFrom === model.today
          ? historyInCurrentSteps({ versions: [{ ...newVersion, renumbered: undefined, removedSteps: undefined, effectiveFrom: '0000-01-01' }, newVersion] }, record.history)
          : record.history;
      after = evaluateStudent(candidate.policy, { studentId: record.student.studentId, stats, marks: record.marks, history, today: model.today, calendar: model.calendar, table: candidate.table, stepsOn });
    } catch (err) {
      notEvaluated.push({ ...who(record.student), problem: (err as Error).message });
      continue;
    }
    evaluated++;
    const student = who(record.student);
    const moved = before.step !== after.step;
    const letterBefore = before.letterDue?.letterId ?? null;
    const letterAfter = after.letterDue?.letterId ?? null;
    if (!moved && letterBefore === letterAfter) {
      unchanged++;
      continue;
    }
    if (moved) {
      const key = `${before.step}>${after.step}`;
      let move = moves.get(key);
      if (!move) {
        move = { from: before.step, fromLabel: before.label, to: after.step, toLabel: after.label, students: [] };
        moves.set(key, move);
      }
      move.students.push(student);
    }
    if (letterAfter !== letterBefore) {
      if (letterAfter) letterGroup(newlyDue, after, candidate.policy).students.push(student);
      if (letterBefore) letterGroup(noLongerDue, before, current.policy).students.push(student);
    }
  }

  const byStep = (a: StepMove, b: StepMove) => a.from - b.from || a.to - b.to;
  const byLetter = (a: LetterChange, b: LetterChange) => a.step - b.step || a.letterId.localeCompare(b.letterId);
  return {
    evaluated,
    unchanged,
    moves: [...moves.values()].sort(byStep),
    lettersNewlyDue: [...newlyDue.values()].sort(byLetter),
    lettersNoLongerDue: [...noLongerDue.values()].sort(byLetter),
    notEvaluated,
  };
}
