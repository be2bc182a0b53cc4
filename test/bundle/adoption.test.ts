/**
 * Mid-year adoption (issue 10): a school installing in the autumn already has pupils past Letter 1
 * or at AIM 2 in its own tracker. Set-up shows what the sheet records per pupil (and asks about what
 * it cannot read), the confirmed history goes to the Interventions Log as adopted history, and the
 * first plan neither repeats a letter nor skips the school's own steps.
 */
import { createEmulator } from '../../emulator';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';
import { createTemplateDocs, trackerCell } from '../helpers/lettersSchool';
import { loadBuiltProject } from '../helpers/project';
import type { AdoptHistoryResult, AdoptionPreview, LetterPlan } from '../../src/rpcTypes';
import { stepFromLabel } from '../../src/core/schoolModel';

jest.setTimeout(120_000);

test('the school\'s own letters, meetings and steps are adopted after confirmation, and the first plan builds on them', async () => {
  const emu = createEmulator({ account: 'workspace', now: new Date('2024-09-02T12:00:00Z') });
  const templates = createTemplateDocs(emu, ['letter1', 'letter2', 'letter3', 'letter4'], ['en']);
  const headers = [...DEFAULT_TRACKER_HEADERS, 'Intervention', 'Letter 1', 'AIM 1'];
  let lastDay = '';
  const sample = putSampleSchool(emu, {
    students: 120, seed: 9, schoolDays: 45, headers, settings: { templates },
    cell: (h, _f, _s, i) => {
      if (h === 'Letter 1' && i % 10 === 0) return '14/10/2024';
      if (h === 'Letter 1' && i === 2) return 'soon';
      if (h === 'Intervention' && i % 10 === 1) return 'AIM 2';
      if (h === 'AIM 1' && i % 10 === 1) return '21/10/2024';
      return h === 'Intervention' || h === 'Letter 1' || h === 'AIM 1' ? '' : undefined;
    },
  });
  lastDay = sample.today;
  emu.clock.set(schoolDayNoon(lastDay));
  loadBuiltProject(emu);
  const al = sample.staffOf('AL').email;
  const ids = sample.school.students.map((s) => s.studentId);

  const preview = (await emu.rpc('previewAdoption', [], al)) as AdoptionPreview;
  expect(preview.columns).toEqual(expect.arrayContaining(['Intervention', 'Letter 1', 'AIM 1']));
  const of = (id: string) => preview.pupils.find((p) => p.studentId === id);
  expect(of(ids[0]!)!.items.map((i) => i.what)).toEqual(['Letter 1 sent on 14/10/2024 (column "Letter 1")']);
  expect(of(ids[1]!)!.items.map((i) => i.what)).toEqual([
    expect.stringMatching(/^At Step 6 .*in the school's own tracker \(column "Intervention": "AIM 2"\)$/),
    expect.stringMatching(/^Letter 3 \(the letter of Step 6\) taken as sent — the sheet gives no date/),
    'Meeting held on 21/10/2024 (column "AIM 1", Step 5)',
  ]);
  expect(preview.questions).toEqual([expect.stringMatching(/^SOL Tracker row 4, column [A-Z]+ "Letter 1": "soon" is neither a date nor a tick/)]);
  expect(of(ids[3]!)).toBeUndefined();

  const tutor = sample.settings.staff.find((s) => s.role === 'Tutor')!.email;
  await expect(emu.rpc('previewAdoption', [], tutor)).rejects.toThrow(/set up the tracker/);

  const keys = preview.pupils.flatMap((p) => p.items.map((i) => i.key));
  const result = (await emu.rpc('adoptHistory', [{ keys }], al)) as AdoptHistoryResult;
  expect(result).toEqual({ recorded: keys.length, pupils: preview.pupils.length });
  const log = tabValues(emu, 'Interventions Log').slice(1);
  expect(log).toHaveLength(keys.length);
  expect(log.every((r) => String(r[12]).startsWith('Adopted history:'))).toBe(true);

  // The first plan: no Letter 1 again for the pupils the school wrote to; nothing at or below Letter 3
  // for the pupils at AIM 2, who stay at Step 6 or above.
  const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  for (let i = 0; i < ids.length; i += 10) {
    expect(plan.items.filter((p) => p.studentId === ids[i] && p.letterId === 'letter1')).toEqual([]);
    const atAim2 = ids[i + 1]!;
    expect(plan.items.filter((p) => p.studentId === atAim2 && /letter[123]/.test(p.letterId))).toEqual([]);
    expect(stepFromLabel(trackerCell(emu, atAim2, 'Step'))).toBeGreaterThanOrEqual(6);
    expect(String(trackerCell(emu, atAim2, 'Last contact'))).not.toBe('');
  }
  // A pupil past Letter 1 who is now due Letter 2 is not "first letter to this family".
  for (const p of plan.items.filter((x) => ids.indexOf(x.studentId) % 10 === 0)) expect(p.why).not.toMatch(/First letter to this family/);

  // Set-up run again proposes nothing already adopted.
  const again = (await emu.rpc('previewAdoption', [], al)) as AdoptionPreview;
  expect(again.pupils).toEqual([]);
});
