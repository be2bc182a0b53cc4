/**
 * Issue 15 on the built bundle (dist/) in the emulator: the policy editor's RPCs with a generated
 * school. Role-checked on the server; edit → impact preview (counts) → save → the recalculation
 * uses the new policy; an invalid policy is refused naming the field and nothing is written; a
 * stale editor is refused; the policy is stored where only the add-on writes (document properties,
 * every value under 9 KB) and shown on read-only Policy / Policy History tabs; a policy change
 * leaves past history unchanged (the log and ledger as they were, a step keeps its review date,
 * a letter already sent is not due again, inserted steps keep pupils on the same step).
 */
import { createEmulator, type Emulator } from '../../emulator';
import { CODE_TABLES } from '../../src/core/codes';
import { LOG_HEADERS, logRow } from '../../src/core/interventionsLog';
import { letterKey } from '../../src/core/policy/evaluate';
import { policyFile } from '../../src/core/policy/file';
import { PRESETS } from '../../src/core/policy/presets';
import type { Condition, Policy } from '../../src/core/policy/schema';
import type { PolicyDraft, PolicyEditorView, PolicyPreviewResponse, SavePolicyResponse } from '../../src/rpcTypes';
import { loadBuiltProject } from '../helpers/project';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, schoolDayNoon, TAB, tabValues, writeTab, type SampleSpreadsheet } from '../helpers/sampleSpreadsheet';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const col = (h: string) => DEFAULT_TRACKER_HEADERS.indexOf(h);

function ukDraft(): PolicyDraft {
  const file = policyFile(clone(PRESETS['uk-secondary-sol']!), CODE_TABLES['dfe-2024']!);
  return { policy: file.policy, codeTable: file.codeTable! };
}

function schoolIn(students: number): { emu: Emulator; s: SampleSpreadsheet } {
  const probe = putSampleSchool(createEmulator(), { students });
  const users = [probe.staffOf('Admin').email, probe.staffOf('AL').email, probe.staffOf('AO').email, probe.staffOf('Tutor').email];
  const emu = createEmulator({ now: schoolDayNoon(probe.today), users });
  const s = putSampleSchool(emu, { students, school: probe.school });
  loadBuiltProject(emu);
  return { emu, s };
}

function stepsOf(emu: Emulator): Map<string, string> {
  const values = tabValues(emu, TAB.tracker);
  return new Map(values.slice(1).map((r) => [String(r[col('Student ID')]), String(r[col('Step')])]));
}

const stepNumber = (label: string | undefined) => Number(/^Step (\d+)/.exec(label ?? '')?.[1] ?? 0);

describe('the policy editor on the built add-on', () => {
  let emu: Emulator;
  let s: SampleSpreadsheet;
  let admin: string;

  beforeAll(() => {
    ({ emu, s } = schoolIn(150));
    admin = s.staffOf('Admin').email;
    emu.run('recalculate', [], { user: admin });
  });

  test('only the Attendance Lead and Admin: a tutor and an AO are refused on the server, and nothing is stored', async () => {
    await expect(emu.rpc('getPolicyEditor', [], s.staffOf('Tutor').email)).rejects.toThrow(/role Tutor, which may not change the attendance policy; only AL, Admin can/);
    await expect(emu.rpc('savePolicy', [{ draft: ukDraft() }], s.staffOf('AO').email)).rejects.toThrow(/role AO, which may not change the attendance policy/);
    await expect(emu.rpc('previewPolicy', [{ draft: ukDraft() }], s.staffOf('Tutor').email)).rejects.toThrow(/may not change the attendance policy/);
    await expect(emu.rpc('importPolicyFile', [{ text: '{}' }], s.staffOf('Tutor').email)).rejects.toThrow(/may not change the attendance policy/);
    expect(Object.keys(emu.properties.document()).filter((k) => k.startsWith('sol.policyBook'))).toEqual([]);
    const al = (await emu.rpc('getPolicyEditor', [], s.staffOf('AL').email)) as PolicyEditorView;
    expect(al.source).toBe('preset');
  });

  test('opens on the preset in force: version 0, its file to export, the three presets', async () => {
    const view = (await emu.rpc('getPolicyEditor', [], admin)) as PolicyEditorView;
    expect(view).toMatchObject({ source: 'preset', version: 0, history: [], problem: null, fileName: 'sol-tracker-policy-uk-secondary-sol.json' });
    expect(view.draft).toEqual(ukDraft());
    expect(view.presets.map((p) => p.id)).toEqual(['uk-secondary-sol', 'us-illinois-elementary', 'generic']);
    expect(JSON.parse(view.fileText)).toEqual({ format: 'sol-tracker-policy', formatVersion: 1, ...ukDraft() });
  });

  test('an invalid policy is refused naming the field; nothing is written', async () => {
    const draft = ukDraft();
    (draft.policy.steps[3]!.entry as Extract<Condition, { kind: 'anyOf' }>).conditions[0] = { kind: 'attendanceBelow', percent: 150 };
    draft.codeTable.codes.push({ code: 'N', category: 'present', meaning: 'twice' });
    const preview = (await emu.rpc('previewPolicy', [{ draft }], admin)) as PolicyPreviewResponse;
    expect(preview.ok).toBe(false);
    expect(preview.problems.map((p) => p.message)).toEqual([
      'Step 4 "Letter 1", entry condition, condition 1, threshold (%): must be at most 100.',
      'Code table, code "N", code: "N" is listed twice (also code 20).',
    ]);
    draft.policy.steps[3]!.entry = { kind: 'attendanceBelow', percent: 95 };
    const saved = (await emu.rpc('savePolicy', [{ draft, baseVersion: 0 }], admin)) as SavePolicyResponse;
    expect(saved.ok).toBe(false);
    expect(saved.message).toBe('Code table, code "N", code: "N" is listed twice (also code 20).');
    expect(Object.keys(emu.properties.document()).filter((k) => k.startsWith('sol.policyBook'))).toEqual([]);
    expect(emu.direct(() => emu.spreadsheet.getSheetByName('Policy'))).toBeNull();
  });

  describe('edit → impact preview → save → recalculation uses the new policy', () => {
    let before: Map<string, string>;
    let preview: PolicyPreviewResponse;
    let saved: SavePolicyResponse;
    const draft = ukDraft();

    beforeAll(async () => {
      before = stepsOf(emu);
      // Letter 1 from 96% instead of 95%.
      (draft.policy.steps[3]!.entry as Extract<Condition, { kind: 'anyOf' }>).conditions[0] = { kind: 'attendanceBelow', percent: 96 };
      preview = (await emu.rpc('previewPolicy', [{ draft, baseVersion: 0 }], admin)) as PolicyPreviewResponse;
      saved = (await emu.rpc('savePolicy', [{ draft, baseVersion: 0 }], admin)) as SavePolicyResponse;
    });

    test('the preview says what changes in words and counts who moves and which letters become due', () => {
      expect(preview.ok).toBe(true);
      expect(preview.changes).toEqual(['Step 4 "Letter 1": entered when attendance below 96%, or no improvement by the review of Step 3 while attendance since and overall is below 97% (was: attendance below 95%, or no improvement by the review of Step 3 while attendance since and overall is below 97%).']);
      const impact = preview.impact!;
      expect(impact.notEvaluated).toEqual([]);
      expect(impact.moves.length).toBeGreaterThan(0);
      for (const m of impact.moves) expect(m).toMatchObject({ from: 3, to: 4, fromLabel: 'Step 3 – Parent contact & 2-week monitoring', toLabel: 'Step 4 – Letter 1' });
      const moving = impact.moves.flatMap((m) => m.students.map((x) => x.studentId));
      expect(impact.lettersNewlyDue.map((l) => [l.letterId, l.step, l.students.length])).toEqual([['letter1', 4, moving.length]]);
      expect(impact.unchanged + moving.length).toBe(impact.evaluated);
      expect(impact.evaluated).toBe(150);
    });

    test('the save recalculates with the new policy: exactly the pupils the preview named moved', () => {
      expect(saved.ok).toBe(true);
      expect(saved.message).toMatch(/^Saved as version 1, in force from \w{3} \d+ \w{3} \d{4}\. Recalculated 150 students/);
      const after = stepsOf(emu);
      const moved = [...after].filter(([id, step]) => before.get(id) !== step).map(([id]) => id).sort();
      expect(moved).toEqual(preview.impact!.moves.flatMap((m) => m.students.map((x) => x.studentId)).sort());
      for (const id of moved) expect(stepNumber(after.get(id))).toBe(4);
    });

    test('stored where only the add-on writes, in parts under 7 KB, and shown on read-only tabs', () => {
      const props = emu.properties.document();
      const parts = Object.keys(props).filter((k) => k.startsWith('sol.policyBook.g'));
      expect(parts.length).toBeGreaterThan(1);
      for (const k of parts) expect(Buffer.byteLength(props[k]!, 'utf8') + Buffer.byteLength(k, 'utf8')).toBeLessThan(7 * 1024);
      const tab = tabValues(emu, 'Policy').map((r) => r.join(' | '));
      expect(tab.join('\n')).toContain('4 | Step 4 – Letter 1 | attendance below 96%, or no improvement by the review of Step 3');
      expect(tab[2]).toMatch(/^Version \| 1, in force from \w{3} \d+ \w{3} \d{4}, saved by /);
      const history = tabValues(emu, 'Policy History');
      expect(history[0]).toEqual(['Version', 'In force from', 'Saved', 'Saved by', 'What changed', 'Policy file']);
      expect(history.slice(1).map((r) => [r[0], r[3]])).toEqual([['0', ''], ['1', admin]]);
      expect(String(history[2]![4])).toBe(preview.changes.join('\n'));
      // The history row carries the version's policy file (to share or restore).
      expect(JSON.parse(String(history[2]![5])).policy.steps[3].entry.conditions[0].percent).toBe(96);
      const protections = emu.direct(() =>
        emu.spreadsheet.getSheetByName('Policy')!.getProtections('SHEET' as unknown as GoogleAppsScript.Spreadsheet.ProtectionType).map((p) => [p.getDescription(), p.isWarningOnly()]),
      );
      expect(protections).toEqual([['Written by the SOL Tracker add-on: change the policy in the sidebar’s Policy tab.', true]]);
    });

    test('editing the Policy tab by hand changes nothing', async () => {
      writeTab(emu, 'Policy', [['Attendance policy in force', 'hacked'], ['Policy', 'hacked'], ['Version', 'hacked']]);
      const view = (await emu.rpc('getPolicyEditor', [], admin)) as PolicyEditorView;
      expect(view).toMatchObject({ source: 'school', version: 1 });
      expect(view.draft).toEqual(draft);
      expect(view.history.map((v) => [v.version, v.savedBy, v.changes])).toEqual([[1, admin, preview.changes], [0, '', [`The preset “${PRESETS['uk-secondary-sol']!.label}” in force before the school's own policy.`]]]);
    });

    test('a stale editor (opened on version 0) is refused and nothing changes', async () => {
      const stale = clone(draft);
      stale.policy.label = 'Someone else’s change';
      const result = (await emu.rpc('savePolicy', [{ draft: stale, baseVersion: 0 }], s.staffOf('AL').email)) as SavePolicyResponse;
      expect(result.ok).toBe(false);
      expect(result.message).toBe(`The policy was changed by ${admin} while you were editing (it is now version 1). Reload the policy editor and make your change again.`);
      expect(result.editor.version).toBe(1);
    });

    test('saving the policy in force unchanged is refused: nothing has changed', async () => {
      const result = (await emu.rpc('savePolicy', [{ draft, baseVersion: 1 }], admin)) as SavePolicyResponse;
      expect(result).toMatchObject({ ok: false, message: 'Nothing has changed: the policy is the same as the one in force.' });
    });
  });

  test('a code table without a code the Register uses is refused on save (pupils would not be evaluated)', async () => {
    const view = (await emu.rpc('getPolicyEditor', [], admin)) as PolicyEditorView;
    const draft = clone(view.draft);
    draft.codeTable.codes = draft.codeTable.codes.filter((c) => c.code !== '/');
    const result = (await emu.rpc('savePolicy', [{ draft, baseVersion: view.version }], admin)) as SavePolicyResponse;
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Code table: 150 pupils could not be evaluated with it \(the Register uses code \/, which the new code table does not have\)/);
  });
});

describe('a policy change leaves past history unchanged', () => {
  test('log and ledger as they were; a step keeps its number and review date across inserted steps; a sent letter is not due again', async () => {
    const { emu, s } = schoolIn(60);
    const admin = s.staffOf('Admin').email;
    emu.run('recalculate', [], { user: admin });
    const first = stepsOf(emu);
    // A pupil at Step 1–3 who was sent Letter 1 (Step 4) five school days ago: review not yet due.
    const student = s.school.students.find((x) => [1, 2, 3].includes(stepNumber(first.get(x.studentId))))!;
    const days = s.school.schoolDays;
    const sentOn = days[days.length - 6]!;
    const letter = { date: sentOn, studentId: student.studentId, step: 4, method: 'Letter' as const, outcome: 'Letter sent', by: admin, letterKey: letterKey(student.studentId, 'letter1', 'Autumn 2024') };
    const meeting = { date: days[days.length - 20]!, studentId: student.studentId, step: 3, method: 'Phone call' as const, outcome: 'Spoke to parent/carer', by: admin };
    writeTab(emu, TAB.log, [[...LOG_HEADERS], logRow(meeting, `${meeting.date}T09:00:00`, student.name), logRow(letter, `${sentOn}T09:00:00`, student.name)]);
    emu.run('recalculate', [], { user: admin });
    const row = () => tabValues(emu, TAB.tracker).find((r) => r[col('Student ID')] === student.studentId)!;
    const beforeRow = row();
    expect(beforeRow[col('Step')]).toBe('Step 4 – Letter 1');
    const logBefore = tabValues(emu, TAB.log);

    // The change: a new Step 2 is inserted (everything from Step 2 moves down one) and Letter 1's
    // review period goes from 10 to 30 school days.
    const draft = ukDraft();
    const shift = (c: Condition): void => {
      const any = c as unknown as Record<string, unknown>;
      for (const k of ['step', 'sinceStep', 'atOrAfterStep']) if (typeof any[k] === 'number' && (any[k] as number) >= 2) any[k] = (any[k] as number) + 1;
      if (c.kind === 'anyOf' || c.kind === 'allOf') c.conditions.forEach(shift);
    };
    const steps = draft.policy.steps;
    steps.forEach((st) => shift(st.entry));
    const inserted: Policy['steps'][number] = { number: 2, label: 'Step 2 – Attendance Monday', owner: 'Tutor', actions: [{ kind: 'conversation', description: 'Attendance Monday chat' }], entry: { kind: 'unauthorisedAtLeast', sessions: 40 }, reviewSchoolDays: 10 };
    steps.splice(1, 0, inserted);
    steps.forEach((st, i) => {
      st.number = i + 1;
      st.label = st.label.replace(/^Step \d+/, `Step ${i + 1}`);
    });
    steps[4]!.reviewSchoolDays = 30;
    const origins = [1, null, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const preview = (await emu.rpc('previewPolicy', [{ draft, origins, baseVersion: 0 }], admin)) as PolicyPreviewResponse;
    expect(preview.ok).toBe(true);
    expect(preview.changes).toEqual(expect.arrayContaining(['Step 2 "Tutor contacts parent" is now Step 3.', 'Step 5 "Letter 1": review after 30 school days (was 10).']));
    const saved = (await emu.rpc('savePolicy', [{ draft, origins, baseVersion: 0 }], admin)) as SavePolicyResponse;
    expect(saved.ok).toBe(true);

    const afterRow = row();
    // The same step (Letter 1), now numbered 5; its review date set when it was entered does not move.
    expect(afterRow[col('Step')]).toBe('Step 5 – Letter 1');
    expect(afterRow[col('Review due')]).toEqual(beforeRow[col('Review due')]);
    expect(afterRow[col('Letters')]).toEqual(beforeRow[col('Letters')]);
    // The preview showed this pupil moving from the old Step 4 to the same step under its new number.
    const move = preview.impact!.moves.find((m) => m.students.some((x) => x.studentId === student.studentId));
    expect(move).toMatchObject({ from: 4, to: 5, toLabel: 'Step 5 – Letter 1' });
    // Nothing already done is rewritten.
    expect(tabValues(emu, TAB.log)).toEqual(logBefore);
    // Nobody drops a step because of the renumbering: every pupil is at the same step or its new number.
    const after = stepsOf(emu);
    for (const [id, label] of stepsOf(emu)) {
      const old = stepNumber(first.get(id));
      if (id === student.studentId) continue;
      expect(stepNumber(label)).toBeGreaterThanOrEqual(old >= 2 ? old + 1 : old);
    }
    expect(after.size).toBe(60);
  });
});
