/**
 * The step a ladder gives an attendance figure on its own (=ATTEND_TIER): only steps entered by
 * a pure attendance threshold count; history-dependent alternatives ("no improvement", broken
 * weeks, counts of unverified absences) are ignored, since a bare percentage cannot show them.
 */
import type { Condition, Policy } from './schema';

/**
 * Attendance in millionths (0.9699 → 969_900): thresholds are whole tenths of a percent, i.e.
 * multiples of 1_000 on this scale, so comparisons are on integers with no float artefacts.
 */
const SCALE = 1_000_000;
const toScaled = (fraction: number): number => Math.round(fraction * SCALE);
const percentToScaled = (percent: number): number => Math.round(percent * 10) * 1_000;

/**
 * A cell value as an attendance fraction: 0–1 is already a fraction, above 1 up to 100 is a
 * percentage. Anything else is rejected rather than guessed.
 */
export function readAttendanceInput(value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new Error(`Attendance value ${String(value)} is not valid: give a fraction from 0 to 1 (e.g. 0.94) or a percentage from 0 to 100 (e.g. 94)`);
  }
  return value <= 1 ? value : value / 100;
}

type ScaledTest = (scaled: number) => boolean;

/** A test on attendance alone, or null when the condition needs more than the attendance figure. */
function attendanceOnlyTest(c: Condition): ScaledTest | null {
  switch (c.kind) {
    case 'attendanceBelow': {
      if (c.sinceStep !== undefined) return null;
      const threshold = percentToScaled(c.percent);
      return (scaled) => scaled < threshold;
    }
    case 'attendanceAtOrAbove': {
      const threshold = percentToScaled(c.percent);
      return (scaled) => scaled >= threshold;
    }
    case 'anyAbsence':
      return (scaled) => scaled < SCALE;
    case 'absenceRateAtLeast': {
      const threshold = percentToScaled(c.percent);
      return (scaled) => SCALE - scaled >= threshold;
    }
    // attendance-rules.md §1.4: PA is absence >= 10%, severe absence >= 50%.
    case 'persistentAbsence':
      return (scaled) => SCALE - scaled >= percentToScaled(10);
    case 'severeAbsence':
      return (scaled) => SCALE - scaled >= percentToScaled(50);
    case 'anyOf': {
      // Alternatives that need history are dropped; the attendance ones still decide.
      const tests = c.conditions.map(attendanceOnlyTest).filter((t): t is ScaledTest => t !== null);
      return tests.length === 0 ? null : (scaled) => tests.some((t) => t(scaled));
    }
    case 'allOf': {
      const tests = c.conditions.map(attendanceOnlyTest);
      if (tests.some((t) => t === null)) return null;
      return (scaled) => tests.every((t) => t!(scaled));
    }
    default:
      return null;
  }
}

/** Per policy object: its attendance-only steps, highest first. Built once, reused per cell. */
const tiersByPolicy = new WeakMap<Policy, { step: number; label: string; test: ScaledTest }[]>();

function attendanceTiers(policy: Policy) {
  let tiers = tiersByPolicy.get(policy);
  if (!tiers) {
    tiers = [];
    for (const step of policy.steps) {
      const test = attendanceOnlyTest(step.entry);
      if (test) tiers.push({ step: step.number, label: step.label, test });
    }
    tiers.sort((a, b) => b.step - a.step);
    tiersByPolicy.set(policy, tiers);
  }
  return tiers;
}

/** The highest step the attendance fraction alone reaches, or null when it reaches none. */
export function tierForAttendance(policy: Policy, fraction: number): { step: number; label: string } | null {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new Error(`tierForAttendance: attendance must be a fraction from 0 to 1, got ${String(fraction)}`);
  }
  const scaled = toScaled(fraction);
  for (const tier of attendanceTiers(policy)) {
    if (tier.test(scaled)) return { step: tier.step, label: tier.label };
  }
  return null;
}
