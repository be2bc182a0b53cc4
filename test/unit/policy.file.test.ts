/**
 * Issue 15: a policy as a shareable JSON file. The three presets are such files; export then
 * import reproduces each exactly; a bad file is refused with the field named in the editor's words.
 * Seed 004 item 12: the Illinois medical letter is a step of its preset, with its letter.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { SchoolCalendar } from '../../src/core/calendar';
import { schoolDaysInRange } from '../../src/core/calendar';
import { CODE_TABLES, US_ILLINOIS } from '../../src/core/codes';
import { starterTemplate } from '../../src/core/letters/templates';
import { evaluateStudent, letterKey, type StudentContext } from '../../src/core/policy/evaluate';
import { checkSchoolPolicy, policyFileName, policyFileText, readPolicyFile } from '../../src/core/policy/file';
import { PRESETS, PRESET_FILES, getPreset } from '../../src/core/policy/presets';
import { describeCondition } from '../../src/core/policy/words';
import { computeStats } from '../../src/core/stats';
import type { InterventionRecord, IsoDate, MarkOnDay } from '../../src/core/types';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const PRESET_DIR = join(__dirname, '../../src/core/policy/presets');

function problemsOf(text: string): string[] {
  const result = readPolicyFile(text);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems.map((p) => p.message);
}

function ukFile(): { format: string; formatVersion: number; policy: Record<string, any>; codeTable: Record<string, any> } {
  return JSON.parse(policyFileText(PRESETS['uk-secondary-sol']!, CODE_TABLES['dfe-2024']!));
}

describe('the presets are policy files', () => {
  it.each(Object.keys(PRESETS))('%s.json in the repo reads back as exactly the preset and its built-in code table', (id) => {
    const text = readFileSync(join(PRESET_DIR, `${id}.json`), 'utf8');
    const result = readPolicyFile(text);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    expect(result.policy).toEqual(PRESETS[id]);
    expect(result.table).toEqual(CODE_TABLES[PRESETS[id]!.codeTableId]);
    expect(JSON.parse(text)).toEqual(PRESET_FILES[id]);
  });

  it.each(Object.keys(PRESETS))('export then import reproduces %s exactly (policy and code table)', (id) => {
    const preset = PRESETS[id]!;
    const table = CODE_TABLES[preset.codeTableId]!;
    const text = policyFileText(preset, table);
    const result = readPolicyFile(text);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    expect(result.policy).toEqual(preset);
    expect(result.table).toEqual(table);
    // …and exporting what was imported gives the same file, byte for byte.
    expect(policyFileText(result.policy, result.table)).toBe(text);
    expect(policyFileName(preset)).toBe(`sol-tracker-policy-${id}.json`);
  });
});

describe('an invalid policy file is refused, naming the field in words', () => {
  it('a threshold above 100% names the step, its condition and the threshold', () => {
    const file = ukFile();
    file.policy.steps[3].entry.conditions[0].percent = 120;
    expect(problemsOf(JSON.stringify(file))).toEqual(['Step 4 "Letter 1", entry condition, condition 1, threshold (%): must be at most 100.']);
  });

  it('several problems at once, each naming its field; none in zod\'s words', () => {
    const file = ukFile();
    file.policy.steps[1].reviewSchoolDays = 0;
    file.policy.steps[4].owner = ' ';
    file.policy.steps[3].actions[1] = { kind: 'letter', description: 'Letter 1' };
    file.policy.steps[0].entry = { kind: 'attendanceBelowish', percent: 90 };
    file.policy.sessionsPerDay = '2';
    const problems = problemsOf(JSON.stringify(file));
    expect(problems).toEqual(
      expect.arrayContaining([
        'Step 2 "Tutor contacts parent", review period (school days): must be at least 1.',
        'Step 5 "Letter 2, AIM 1", owner: must name who owns the step.',
        'Step 4 "Letter 1", action 2, letter: a letter action must name its letter.',
        'Step 1 "Tutor conversation", entry condition, kind: is not a known kind of condition (check "kind" and its fields).',
        'Sessions per day: must be 1 (one daily session) or 2 (AM and PM sessions).',
      ]),
    );
    for (const p of problems) expect(p).not.toMatch(/Invalid input|expected|steps\.\d|ZodError|undefined/);
  });

  it('a step referring to a later step, and de-escalation past the ladder', () => {
    const file = ukFile();
    file.policy.steps[3].entry = { kind: 'noImprovementSinceStep', step: 6 };
    file.policy.deescalation = { afterStep: 12, schoolDaysWithoutUnexcused: 20, minAttendancePercent: 90 };
    expect(problemsOf(JSON.stringify(file))).toEqual([
      'Step 4 "Letter 1", entry condition, step: refers to step 6, which is not before step 4.',
      'De-escalation, after step: refers to step 12 but the ladder has 10 steps.',
    ]);
  });

  it('the code table: a code twice, an unknown category, lower-case, a table that does not match the policy', () => {
    const file = ukFile();
    file.codeTable.codes.push({ code: 'N', category: 'unauthorised', meaning: 'Again' });
    file.codeTable.codes.push({ code: 'ZZ', category: 'truant', meaning: 'Truant' });
    file.codeTable.codes.push({ code: 'ab', category: 'present', meaning: 'Lower case' });
    expect(problemsOf(JSON.stringify(file))).toEqual([
      'Code table, code "ZZ", category: must be one of present, aea, authorised, unauthorised, notPossible.',
      'Code table, code "ab", code: must be written as the register shows it: capitals, no spaces.',
    ]);
    file.codeTable.codes.splice(-2);
    expect(problemsOf(JSON.stringify(file))).toEqual(['Code table, code "N", code: "N" is listed twice (also code 20).']);
    file.codeTable.codes.pop();
    file.codeTable.sessionsPerDay = 1;
    expect(problemsOf(JSON.stringify(file))).toEqual(['Code table, sessions per day: is 1 but the policy has 2 sessions per day.']);
  });

  it('not JSON, not a policy file, another format version, unknown fields', () => {
    expect(problemsOf('{\n  "format": "sol-tracker-policy",\n  oops\n}')).toEqual(['The policy file is not valid JSON (line 3): it may be damaged or not a policy file.']);
    expect(problemsOf('{"hello": 1}')).toEqual(['The file is not a SOL Tracker policy file (it should start with "format": "sol-tracker-policy").']);
    expect(problemsOf('{"format": "sol-tracker-policy", "formatVersion": 2}')).toEqual(['The policy file is format version 2; this add-on reads version 1.']);
    const file = ukFile() as Record<string, unknown>;
    file.extra = 1;
    expect(problemsOf(JSON.stringify(file))).toEqual(['The policy file has unknown field "extra".']);
  });

  it('a file without a code table uses the built-in one its policy names; an unknown one is refused', () => {
    const file = ukFile() as Record<string, any>;
    delete file.codeTable;
    const ok = checkSchoolPolicy(file);
    expect(ok.ok && ok.table).toBe(CODE_TABLES['dfe-2024']);
    file.policy.codeTableId = 'ohio';
    expect(problemsOf(JSON.stringify(file))).toEqual(['Code table: is missing, and "ohio" is not a built-in code table (dfe-2024, us-illinois).']);
  });
});

describe('seed 004 item 12: the Illinois medical letter', () => {
  const illinois = getPreset('us-illinois-elementary');
  const CAL: SchoolCalendar = {
    terms: [
      { name: 'Semester 1', start: '2026-08-19', end: '2026-12-18' },
      { name: 'Semester 2', start: '2027-01-04', end: '2027-06-04' },
    ],
    closures: [],
  };
  /** Truancy case opened: the ROE 2nd notification (Step 4) on 1 September. */
  const roe2: InterventionRecord = { date: '2026-09-01', studentId: 'S1', step: 4, method: 'Letter', outcome: 'Letter sent', by: 'ti@district.example', letterKey: letterKey('S1', 'roe-2', '2026-27') };
  const caseHistory: InterventionRecord[] = [
    { date: '2026-08-28', studentId: 'S1', step: 3, method: 'Letter', outcome: 'Letter sent', by: 'sec@district.example', letterKey: letterKey('S1', 'five-day', '2026-27') },
    roe2,
  ];
  /** Five unexcused days in August; `excused` days after the 2nd notification. */
  function context(today: IsoDate, excused: IsoDate[], history: InterventionRecord[] = caseHistory): StudentContext {
    const early = new Set(['2026-08-19', '2026-08-20', '2026-08-21', '2026-08-24', '2026-08-25']);
    const marks: MarkOnDay[] = schoolDaysInRange(CAL, '2026-08-19', today).map((date) => ({ date, session: 'DAY', code: early.has(date) ? 'UNX' : excused.includes(date) ? 'EXC' : 'P' }));
    return { studentId: 'S1', stats: computeStats(marks, US_ILLINOIS), marks, history, today, calendar: CAL, table: US_ILLINOIS };
  }
  const fourAbsences = ['2026-09-14', '2026-09-21', '2026-10-01', '2026-10-06'];

  it('is Step 5, between the ROE 2nd and 3rd notifications, owned by the truancy interventionist, with the medical letter', () => {
    const step = illinois.steps[4]!;
    expect(step).toMatchObject({ number: 5, label: 'Step 5 – Medical letter', owner: 'Truancy Interventionist' });
    expect(step.actions).toEqual([expect.objectContaining({ kind: 'letter', letterId: 'medical' })]);
    expect(step.actions[0]!.description).toContain('all further absences to be excused by a doctor and/or school nurse');
    expect(illinois.steps.map((s) => s.label)).toEqual([
      'Step 1 – Probation warning letter',
      'Step 2 – Attendance probation letter',
      'Step 3 – 5-day letter',
      'Step 4 – ROE 2nd notification',
      'Step 5 – Medical letter',
      'Step 6 – ROE 3rd notification & home visit',
      'Step 7 – Truancy hearing packet',
      "Step 8 – State's attorney referral",
    ]);
    expect(describeCondition(step.entry, 'absences')).toBe('the review date of Step 4 has passed, and attendance since Step 4 below 90%');
  });

  it('after the truancy case is opened, attendance not improved (below 90% since) once its review has passed → Step 5, medical letter due', () => {
    // 28 school days 2 Sep–9 Oct, 4 excused absences: 24/28 = 85.7%; Step 4's review (20 school days) was 29 Sep.
    const p = evaluateStudent(illinois, context('2026-10-09', fourAbsences));
    expect(p).toMatchObject({ step: 5, label: 'Step 5 – Medical letter', letterDue: { letterId: 'medical', step: 5, windowKey: '2026-27' } });
    expect(p.explanation).toBe('Step 5 because Step 4 – ROE 2nd notification review date 2026-09-29 has passed and attendance since 2026-09-01 is 85.7%, below 90%');
  });

  it('improved (90% or more since the 2nd notification) → stays at Step 4, no medical letter', () => {
    const p = evaluateStudent(illinois, context('2026-10-09', fourAbsences.slice(0, 2)));
    expect(p.step).toBe(4);
    expect(p.letterDue).toBeNull();
  });

  it('before Step 4’s review date → stays at Step 4 even when attendance is low', () => {
    expect(evaluateStudent(illinois, context('2026-09-28', fourAbsences.slice(0, 2))).step).toBe(4);
  });

  it('no truancy case opened (never at Step 4) → no medical letter, however low attendance is', () => {
    const p = evaluateStudent(illinois, context('2026-10-09', fourAbsences, caseHistory.slice(0, 1)));
    expect(p.step).toBe(3);
  });

  it('sent once: with the medical letter in the log the student stays at Step 5 with nothing due', () => {
    const sent: InterventionRecord = { date: '2026-10-09', studentId: 'S1', step: 5, method: 'Letter', outcome: 'Letter sent', by: 'ti@district.example', letterKey: letterKey('S1', 'medical', '2026-27') };
    const p = evaluateStudent(illinois, context('2026-10-12', fourAbsences, [...caseHistory, sent]));
    expect(p.step).toBe(5);
    expect(p.letterDue).toBeNull();
  });

  it('has English and Spanish starter templates in the seed’s words', () => {
    const en = starterTemplate('medical', 'en')!;
    expect(en.paragraphs.join(' ')).toContain('all further absences must be excused by a doctor and/or the school nurse');
    const es = starterTemplate('medical', 'es')!;
    expect(es.paragraphs.join(' ')).toContain('justificadas por un médico y/o la enfermera escolar');
  });
});

it('the preset data is not shared with a parsed copy (editing an import never changes the preset)', () => {
  const result = readPolicyFile(policyFileText(PRESETS.generic!, CODE_TABLES['us-illinois']!));
  if (!result.ok) throw new Error('expected ok');
  result.policy.steps[0]!.label = 'changed';
  expect(PRESETS.generic!.steps[0]!.label).toBe('Step 1 – Parent notification');
  expect(clone(PRESETS.generic)).toEqual(PRESETS.generic);
});

describe('caps on what a person can send (fail closed)', () => {
  it('too many steps, actions, conditions or codes, and over-long text, are refused naming the field', () => {
    const file = JSON.parse(policyFileText(PRESETS['uk-secondary-sol']!, CODE_TABLES['dfe-2024']!));
    file.policy.steps[0].label = `Step 1 – ${'x'.repeat(400)}`;
    file.policy.steps[1].note = 'n'.repeat(1001);
    file.policy.steps[2].actions = Array.from({ length: 11 }, () => ({ kind: 'call', description: 'Call' }));
    file.policy.steps[3].entry = { kind: 'anyOf', conditions: Array.from({ length: 21 }, () => ({ kind: 'anyAbsence' })) };
    expect(problemsOf(JSON.stringify(file))).toEqual([
      `Step 1 "${'x'.repeat(400)}", name: must be at most 300 characters.`,
      'Step 2 "Tutor contacts parent", note: must be at most 1000 characters.',
      'Step 3 "Parent contact & 2-week monitoring", actions: has more than 10 actions.',
      'Step 4 "Letter 1", entry condition, conditions: has more than 20 conditions.',
    ]);
    const many = JSON.parse(policyFileText(PRESETS.generic!, CODE_TABLES['us-illinois']!));
    many.policy.steps = Array.from({ length: 31 }, (_, i) => ({ ...many.policy.steps[0], number: i + 1, entry: { kind: 'anyAbsence' } }));
    expect(problemsOf(JSON.stringify(many))).toEqual(['Steps: has more than 30 steps.']);
  });
});
