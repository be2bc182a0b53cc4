import { DEFAULT_PRESET_ID, PRESETS, getPreset } from '../../src/core/policy/presets';
import { PolicySchema, parsePolicy } from '../../src/core/policy/schema';
import type { Policy } from '../../src/core/policy/schema';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('presets (DESIGN.md §3: three seed policies)', () => {
  it.each(Object.keys(PRESETS))('preset %s parses with PolicySchema unchanged', (id) => {
    const preset = PRESETS[id]!;
    expect(PolicySchema.safeParse(clone(preset)).success).toBe(true);
    expect(parsePolicy(clone(preset))).toEqual(preset);
  });

  it('ships exactly the three seed presets, uk-secondary-sol being the default', () => {
    expect(Object.keys(PRESETS).sort()).toEqual(['generic', 'uk-secondary-sol', 'us-illinois-elementary']);
    expect(DEFAULT_PRESET_ID).toBe('uk-secondary-sol');
    expect(getPreset(DEFAULT_PRESET_ID)).toBe(PRESETS['uk-secondary-sol']);
  });

  it('seed 002: the default ladder has 10 steps labelled "Step N – …" with an en dash, on DfE codes', () => {
    const uk = getPreset('uk-secondary-sol');
    expect(uk.codeTableId).toBe('dfe-2024');
    expect(uk.sessionsPerDay).toBe(2);
    expect(uk.steps).toHaveLength(10);
    uk.steps.forEach((step, i) => expect(step.label.startsWith(`Step ${i + 1} – `)).toBe(true));
    const letters = uk.steps.flatMap((s) => s.actions.filter((a) => a.kind === 'letter').map((a) => `${s.number}:${a.letterId}`));
    expect(letters).toEqual(['4:letter1', '5:letter2', '6:letter3', '8:letter4']);
  });

  it('seed 004: Illinois preset uses daily sessions, yearly letter windows and the 20-day / 90% de-escalation', () => {
    const il = getPreset('us-illinois-elementary');
    expect(il.codeTableId).toBe('us-illinois');
    expect(il.sessionsPerDay).toBe(1);
    expect(il.letterWindow).toBe('academicYear');
    expect(il.deescalation).toEqual({ afterStep: 7, schoolDaysWithoutUnexcused: 20, minAttendancePercent: 90 });
    const letterIds = il.steps.flatMap((s) => s.actions.map((a) => a.letterId).filter(Boolean));
    expect(letterIds).toEqual(['probation-warning', 'probation', 'five-day', 'roe-2', 'medical', 'roe-3']);
  });

  it('seed 001: generic step 1 contact is due within 2 school days', () => {
    expect(getPreset('generic').steps[0]!.contactWithinSchoolDays).toBe(2);
  });

  it('an unknown preset id names the known ids', () => {
    const message = errorOf(() => getPreset('uk-primary'));
    expect(message).toContain('"uk-primary"');
    for (const id of Object.keys(PRESETS)) expect(message).toContain(id);
    expect(() => getPreset('toString')).toThrow(/Unknown policy preset/);
  });
});

describe('parsePolicy', () => {
  const minimal = (): Record<string, unknown> => ({
    id: 'school',
    label: 'My school',
    codeTableId: 'dfe-2024',
    sessionsPerDay: 2,
    steps: [
      { number: 1, label: 'Step 1 – Talk', owner: 'Tutor', actions: [{ kind: 'conversation', description: 'Talk' }], entry: { kind: 'anyAbsence' }, reviewSchoolDays: 10 },
    ],
  });

  it('accepts a minimal policy and defaults the letter window to a term', () => {
    expect(parsePolicy(minimal()).letterWindow).toBe('term');
  });

  it('lists every issue as path: message', () => {
    const bad = minimal();
    bad.label = '';
    bad.sessionsPerDay = 3;
    bad.steps = [
      {
        number: 1,
        label: 'Step 1',
        owner: 'Tutor',
        actions: [{ kind: 'letter', description: 'Letter with no template' }],
        entry: { kind: 'attendanceBelow', percent: 92.95 },
        reviewSchoolDays: 10,
      },
      {
        number: 3,
        label: 'Step 2',
        owner: 'AO',
        actions: [{ kind: 'fax', description: 'x' }],
        entry: { kind: 'anyOf', conditions: [{ kind: 'attendanceBelow', percent: 95 }, { kind: 'noImprovementSinceStepp', step: 1 }] },
        reviewSchoolDays: 0,
      },
    ];
    const message = errorOf(() => parsePolicy(bad));
    expect(message).toMatch(/^Invalid policy \(\d+ issues\):/);
    expect(message).toMatch(/^label: /m);
    expect(message).toMatch(/^sessionsPerDay: /m);
    expect(message).toMatch(/^steps\.0\.actions\.0\.letterId: a letter action must name its letter/m);
    expect(message).toMatch(/^steps\.0\.entry\.percent: must have at most one decimal place/m);
    expect(message).toMatch(/^steps\.1\.actions\.0\.kind: /m);
    expect(message).toMatch(/^steps\.1\.entry\.conditions\.1\.kind: /m);
    expect(message).toMatch(/^steps\.1\.reviewSchoolDays: /m);
  });

  it('checks ladder numbering and step references once fields are valid', () => {
    const bad = minimal();
    const steps = bad.steps as Record<string, unknown>[];
    steps.push({ ...steps[0], number: 3, entry: { kind: 'noImprovementSinceStep', step: 3 } });
    bad.deescalation = { afterStep: 4, schoolDaysWithoutUnexcused: 20, minAttendancePercent: 90 };
    const message = errorOf(() => parsePolicy(bad));
    expect(message).toContain('steps.1.number: steps must be numbered 1..2 in order; expected 2, got 3');
    expect(message).toContain('steps.1.entry.step: refers to step 3 but the ladder has 2 steps');
    expect(message).toContain('deescalation.afterStep: refers to step 4 but the ladder has 2 steps');
  });

  it('rejects a condition that looks at its own or a later step (it could never be entered)', () => {
    const bad = minimal();
    (bad.steps as Record<string, unknown>[])[0]!.entry = { kind: 'reviewPassed', step: 1 };
    expect(errorOf(() => parsePolicy(bad))).toContain('steps.0.entry.step: refers to step 1, which is not before step 1');
  });

  it('unexcusedAtLeast needs exactly one of sessions or percentOfPossible', () => {
    const both = minimal();
    (both.steps as Record<string, unknown>[])[0]!.entry = { kind: 'unexcusedAtLeast', sessions: 5, percentOfPossible: 5 };
    expect(errorOf(() => parsePolicy(both))).toContain('give exactly one of sessions or percentOfPossible');
    const neither = minimal();
    (neither.steps as Record<string, unknown>[])[0]!.entry = { kind: 'unexcusedAtLeast' };
    expect(errorOf(() => parsePolicy(neither))).toContain('give exactly one of sessions or percentOfPossible');
  });

  it('rejects unknown fields (a typo in Settings must not be silently ignored)', () => {
    const bad = minimal();
    (bad.steps as Record<string, unknown>[])[0]!.reviewDays = 10;
    expect(errorOf(() => parsePolicy(bad))).toMatch(/^steps\.0: .*reviewDays/m);
  });

  it('a non-object names the whole policy', () => {
    expect(errorOf(() => parsePolicy('uk'))).toMatch(/^\(policy\): /m);
  });

  it('a parsed policy keeps nested anyOf/allOf conditions', () => {
    const p = minimal();
    const entry = { kind: 'allOf', conditions: [{ kind: 'anyOf', conditions: [{ kind: 'persistentAbsence' }, { kind: 'unverifiedAtLeast', sessions: 5 }] }, { kind: 'atStep', step: 1 }] };
    (p.steps as Record<string, unknown>[])[0]!.entry = { kind: 'anyAbsence' };
    (p.steps as Record<string, unknown>[]).push({ ...(p.steps as Record<string, unknown>[])[0], number: 2, entry });
    const parsed: Policy = parsePolicy(p);
    expect(parsed.steps[1]!.entry).toEqual(entry);
  });
});
