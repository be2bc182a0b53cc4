/**
 * "Include again" only for a letter still due. A letter left out in one term is, in the next, no
 * longer due (the Letters tab lists it "(no longer due)"); including it again put it back in the
 * plan as "Carried over from an earlier run" and the next Send mailed last term's letter (preview
 * walk: a Letter 3 left out on 9 Jan came back for a pupil who had since moved to Step 7).
 */
import { letterReference } from '../../src/gas/letters/reference';
import type { LetterPlan } from '../../src/rpcTypes';
import { letterSchool, sendAll } from '../helpers/lettersSchool';
import { tabValues } from '../helpers/sampleSpreadsheet';

jest.setTimeout(90_000);

test('a left-out letter no longer due stays left out: "Include again" refuses it, says why, and Send never mails it', async () => {
  const { emu, al } = letterSchool({ students: 120 });
  const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  const item = plan.items.find((i) => i.status === 'planned')!;
  const left = (await emu.rpc('setExclusion', [{ studentId: item.studentId, reason: 'family in hospital' }], al)) as LetterPlan;
  expect(left.leftOut).toEqual([expect.objectContaining({ key: item.key, stillDue: true })]);

  // The next term (the register's last marks were in the autumn term): that letter is no longer due.
  emu.clock.set(new Date('2025-01-08T12:00:00Z'));
  const spring = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  expect(spring.leftOut).toEqual([expect.objectContaining({ key: item.key, stillDue: false })]);

  const logBefore = tabValues(emu, 'Interventions Log').length;
  await expect(emu.rpc('setExclusion', [{ studentId: item.studentId, reason: null }], al)).rejects.toThrow(/is no longer due: .* It stays on the left-out list and is not sent; nothing was changed\./);
  const ledger = tabValues(emu, 'Letters Ledger');
  const row = ledger.find((r) => r[0] === item.key)!;
  expect(String(row[ledger[0]!.indexOf('Status')])).toBe('Left out');
  expect(tabValues(emu, 'Interventions Log').length).toBe(logBefore);

  const after = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  expect(after.items.find((i) => i.key === item.key)).toBeUndefined();
  expect(after.leftOut).toEqual([expect.objectContaining({ key: item.key, stillDue: false })]);
  await sendAll(emu, al);
  expect(emu.mail.outbox.some((m) => m.body.includes(letterReference(item.key)))).toBe(false);
});
