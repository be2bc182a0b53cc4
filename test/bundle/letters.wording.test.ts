/**
 * Wording follows history, on the built bundle (issue 10: on the sample school's first run, 187
 * Letter 3s said "since our last meeting" and 75 Letter 2s "We wrote to you recently" though
 * every one was a jump from no step). The plan marks the jump; the letter sent says only what
 * happened: a SENT earlier letter, a meeting HELD.
 */
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { letterReference } from '../../src/gas/letters/reference';
import type { LetterPlan } from '../../src/rpcTypes';
import { letterSchool, sendAll } from '../helpers/lettersSchool';
import { tabValues, writeTab } from '../helpers/sampleSpreadsheet';

jest.setTimeout(180_000);

function logRow(date: string, id: string, step: number, method: string, outcome: string, letterKey = ''): unknown[] {
  const row: Record<string, unknown> = { 'Recorded at': `${date} 10:00`, Date: date, 'Student ID': id, 'Student name': '', Step: step, Method: method, Outcome: outcome, 'Next action': '', By: 'ao@school.example', 'Attendance at time': '', 'Letter key': letterKey, Document: '', Notes: '' };
  return LOG_HEADERS.map((h) => row[h]);
}

test('a first letter that jumps is marked in the plan and claims no history; follow-up wording only after a sent letter / a held meeting', async () => {
  const { emu, al, sample } = letterSchool({ students: 400, seed: 7 });
  const first = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  const l3 = first.items.filter((i) => i.letterId === 'letter3' && i.status === 'planned' && i.recipient !== 'post');
  const l2 = first.items.filter((i) => i.letterId === 'letter2' && i.status === 'planned' && i.recipient !== 'post');
  expect(l3.length).toBeGreaterThan(3);
  expect(l2.length).toBeGreaterThan(3);
  // Nothing was ever sent to these families: every Letter 2/3 is a jump, and the plan says so.
  for (const i of [...l2, ...l3]) expect(i.why).toMatch(new RegExp(`^First letter to this family — jumps to Letter ${i.letterId.slice(-1)}\\. `));

  // History for a few families: a Letter 1 that went, a Letter 1 left out (a note, not a letter),
  // a meeting held, a phone call (not a meeting).
  const earlier = '2024-10-01';
  const sentL1 = l2[0]!.studentId;
  const leftOutL1 = l2[1]!.studentId;
  const met = l3[0]!.studentId;
  const missed = l3[1]!.studentId;
  const log = tabValues(emu, 'Interventions Log');
  writeTab(emu, 'Interventions Log', [
    ...log,
    logRow(earlier, sentL1, 4, 'Letter', 'Letter sent', `${sentL1}|letter1|2024-T1`),
    logRow(earlier, leftOutL1, 4, 'Letter', 'Letter left out'),
    logRow(earlier, met, 5, 'Meeting', 'Attended'),
    logRow(earlier, met, 5, 'Letter', 'Letter sent', `${met}|letter2|2024-T1`),
    logRow(earlier, missed, 5, 'Phone call', 'Spoke to parent'),
  ]);
  const plan = (await emu.rpc('getLetterPlan', [], al)) as LetterPlan;
  const whyOf = (id: string) => plan.items.find((i) => i.studentId === id)!.why;
  expect(whyOf(sentL1)).not.toMatch(/jumps/);
  expect(whyOf(leftOutL1)).toMatch(/^First letter to this family — jumps to Letter 2/);
  expect(whyOf(met)).not.toMatch(/jumps/);

  // "Send a test letter to me" shows the same wording, never the raw {{#if …}} markers.
  const outboxBefore = emu.mail.outbox.length;
  await emu.rpc('sendTestLetter', [{ key: plan.items.find((i) => i.studentId === leftOutL1 && i.recipient !== 'post')!.key }], al);
  const testText = String(emu.mail.outbox[outboxBefore]!.attachments[0]!.text);
  expect(testText).not.toMatch(/\{\{|\}\}/);
  expect(testText).toMatch(/We are writing because .+'s attendance is now/);

  const runs = await sendAll(emu, al);
  expect(runs[runs.length - 1]!.done).toBe(true);
  const textOf = (studentId: string) => {
    const item = plan.items.find((i) => i.studentId === studentId && i.recipient !== 'post');
    if (!item) throw new Error(`no letter planned for ${studentId}: ${plan.items.filter((i) => i.studentId === studentId).map((i) => i.why).join(' / ')}`);
    const mail = emu.mail.outbox.find((m) => m.body.includes(letterReference(item.key)));
    if (!mail) throw new Error(`no email for ${studentId}`);
    return mail.attachments[0]!.text as string;
  };
  expect(textOf(sentL1)).toMatch(/We wrote to you recently/);
  expect(textOf(leftOutL1)).not.toMatch(/We wrote to you recently/);
  expect(textOf(leftOutL1)).toMatch(/We are writing because .+'s attendance is now/);
  expect(textOf(met)).toMatch(/meet you again, .*since our last meeting/);
  expect(textOf(missed)).not.toMatch(/since our last meeting|meet you again/);
  // The rest of the first run: no Letter 2 or 3 claims a letter or meeting that never happened.
  for (const i of [...l2.slice(2), ...l3.slice(2)]) {
    if (i.language !== 'en') continue;
    expect(textOf(i.studentId)).not.toMatch(/We wrote to you recently|since our last meeting|meet you again/);
  }
  void sample;
});
