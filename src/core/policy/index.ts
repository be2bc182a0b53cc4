/** The policy engine: ladders as data, the shipped presets, and placing a student on a ladder. */
export { ACTION_KINDS, PolicySchema, parsePolicy } from './schema';
export type { ActionKind, Condition, ConditionKind, Deescalation, Policy, PolicyInput, Step, StepAction } from './schema';
export { DEFAULT_PRESET_ID, PRESETS, getPreset } from './presets';
export { readAttendanceInput, tierForAttendance } from './tier';
export { evaluateStudent, letterKey, letterWindowKey } from './evaluate';
export type { Placement, StudentContext } from './evaluate';
