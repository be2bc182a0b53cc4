/**
 * Issue 14 point 2: a retention setting says when filed letter copies are removed (seed 000 §4,
 * "dispose of old records"). On the built bundle: the step runs at the start of a letter run; it
 * moves to the Drive trash the copies older than Settings → Keep letter copies that the sender owns,
 * notes it on their Letters Ledger rows and says so in the run's message; it never removes a copy a
 * letter still needs — a letter of unknown outcome (its copy is found by the reference it carries),
 * a print pack not yet printed — nor another sender's copies; with the setting blank nothing goes.
 */
import type { Emulator } from '../../emulator';
import { LEDGER_HEADER, ledgerStatusOfCell } from '../../src/core/letters';
import type { LetterPlan, SendLettersResponse } from '../../src/rpcTypes';
import { keepLetters, letterSchool, sendAll, setTrackerCell, type LetterSchool } from '../helpers/lettersSchool';
import { tabValues } from '../helpers/sampleSpreadsheet';

const DAY = 24 * 3600 * 1000;
const docIdOf = (url: string) => /\/d\/([^/]+)/.exec(url)?.[1] ?? '';

function ledger(emu: Emulator): Array<Record<(typeof LEDGER_HEADER)[number], string>> {
  const values = tabValues(emu, 'Letters Ledger');
  const h = values[0].map(String);
  // Status read back to the ledger's state (the cell is in words).
  return values.slice(1).filter((r) => String(r[0]) !== '').map((r) => {
    const row = Object.fromEntries(h.map((k, i) => [k, String(r[i])])) as Record<(typeof LEDGER_HEADER)[number], string>;
    return { ...row, Status: ledgerStatusOfCell(row.Status) ?? `?${row.Status}` };
  });
}

/** Settings → Keep letter copies for (months), typed on the Settings tab. */
function setRetention(emu: Emulator, months: number | ''): void {
  emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName('Settings')!;
    const values = sheet.getDataRange().getValues();
    const row = values.findIndex((r) => String(r[0]).trim() === 'Keep letter copies for (months)');
    if (row < 0) throw new Error('no retention row on the Settings tab');
    sheet.getRange(row + 1, 2).setValue(months);
  });
}

async function start(emu: Emulator, user: string): Promise<SendLettersResponse> {
  return (await emu.rpc('sendLetters', [{ runId: null }], user)) as SendLettersResponse;
}

describe('retention of filed letter copies', () => {
  let s: LetterSchool;
  let plan: LetterPlan;
  let unknownKey: string;
  const termDocs = () => {
    // documents in the term folders and their year folders (letters, print packs)
    const folders = s.emu.docs.folders();
    const root = folders.find((f) => f.name.startsWith('SOL Tracker letters – '))!;
    const terms = new Set(folders.filter((f) => f.parents.includes(root.id)).map((f) => f.id));
    const under = new Set([...terms, ...folders.filter((f) => f.parents.some((p) => terms.has(p))).map((f) => f.id)]);
    return s.emu.docs.all().filter((d) => d.parents.some((p) => under.has(p)));
  };

  beforeAll(async () => {
    s = letterSchool({ seed: 9, students: 400 });
    const first = await keepLetters(s.emu, s.al, 10);
    // two families without email: their letters go in the print pack
    for (const item of first.items.slice(-2)) setTrackerCell(s.emu, item.studentId, 'Parent Email', '');
    plan = (await s.emu.rpc('getLetterPlan', [], s.al)) as LetterPlan;
    expect(plan.items.filter((i) => i.recipient === 'post')).toHaveLength(2);
    // the execution dies while the 3rd email is going: that letter's outcome is unknown
    s.emu.faults.inject('MailApp.sendEmail', { nth: 3, error: 'timeout' });
    await expect(sendAll(s.emu, s.al)).rejects.toThrow(/Exceeded maximum execution time/);
    s.emu.faults.clear();
    const run = ledger(s.emu).find((r) => r.Status === 'sending')!;
    unknownKey = run.Key;
    s.emu.clock.advance(7 * 60 * 1000); // that execution cannot be running any more
    const rest = await sendAll(s.emu, s.al);
    expect(rest[rest.length - 1]).toMatchObject({ done: true });
    const rows = ledger(s.emu);
    expect(rows.filter((r) => r.Status === 'sent')).toHaveLength(7);
    expect(rows.filter((r) => r.Status === 'toPrint')).toHaveLength(2);
    expect(rows.find((r) => r.Key === unknownKey)!.Status).toBe('unknown');
  }, 300_000);

  test('with the setting blank nothing is removed, however old', async () => {
    s.emu.clock.advance(400 * DAY);
    const before = termDocs().filter((d) => !d.trashed).length;
    const r = await start(s.emu, s.al);
    expect(r.message ?? '').not.toMatch(/trash/);
    expect(termDocs().filter((d) => !d.trashed).length).toBe(before);
  }, 120_000);

  test('a run moves old copies to the trash, except those of a letter of unknown outcome and of posted letters not yet printed (their copies and the pack)', async () => {
    setRetention(s.emu, 12);
    const r = await start(s.emu, s.al);
    // removed: the 7 sent letters' copies (and template copies of runs no longer kept)
    expect(r.message).toMatch(/\d+ letter copies older than 12 months moved to the Drive trash/);
    const removedNow = s.emu.docs.all().filter((d) => d.trashed);
    expect(removedNow.filter((d) => !d.name.startsWith('Template copy')).length).toBe(7);
    const rows = ledger(s.emu);
    const pack = docIdOf(rows.find((x) => x.Status === 'toPrint')!['Document URL']);
    const alive = termDocs().filter((d) => !d.trashed);
    // kept: the print pack and the two posted letters' own copies (not printed yet), and the unknown letter's copy
    expect(alive.map((d) => d.id)).toContain(pack);
    expect(alive).toHaveLength(4);
    const names = (key: string) => plan.items.find((i) => i.key === key)!.studentName.replace(/\./g, '');
    for (const key of [unknownKey, ...plan.items.filter((i) => i.recipient === 'post').map((i) => i.key)]) {
      expect(alive.filter((d) => d.id !== pack && d.name.includes(names(key)))).toHaveLength(1);
    }
    expect(r.message).toMatch(/\d+ letter copies past that age kept: their letters are not settled yet/);
    // the sent letters' ledger rows say when their copy went; the Log keeps every letter sent
    for (const row of rows.filter((x) => x.Status === 'sent')) {
      expect(row.Reason).toMatch(/Copy removed \d{2}\/\d{2}\/\d{4} \(kept 12 months\)/);
      expect(s.emu.docs.get(docIdOf(row['Document URL']))!.trashed).toBe(true);
    }
    const log = tabValues(s.emu, 'Interventions Log').slice(1).filter((x) => x[6] === 'Letter sent');
    expect(log).toHaveLength(7);
    // the pack and the unknown letter are not noted
    for (const row of rows.filter((x) => x.Status !== 'sent')) expect(row.Reason).not.toMatch(/Copy removed/);
  }, 120_000);

  test('another sender removes none of the Attendance Lead\'s copies (only the owner may trash them)', async () => {
    s.emu.clock.advance(DAY);
    const admin = s.school.staff.find((m) => m.role === 'Admin')!.email;
    // settle the two open letters so that their copies are old and no longer needed
    const view = (await s.emu.rpc('getLetterPlan', [], s.al)) as LetterPlan;
    await s.emu.rpc('markPackPrinted', [{ url: view.printPacks!.find((p) => p.toPrint > 0)!.url }], s.al);
    await s.emu.rpc('resolveUnknown', [{ key: unknownKey, decision: 'markSent' }], s.al);
    const r = await start(s.emu, admin);
    expect(r.message).toMatch(/\d+ letter copies past that age were made by another sender and are removed when that person next sends letters/);
    expect(r.message).not.toMatch(/moved to the Drive trash/);
    expect(termDocs().filter((d) => !d.trashed)).toHaveLength(4);
  }, 120_000);

  test('once settled (pack printed, "It was sent"), the owner\'s next run removes them too; nothing twice', async () => {
    const r = await start(s.emu, s.al);
    expect(r.message).toMatch(/\d+ letter copies older than 12 months moved to the Drive trash/);
    expect(termDocs().filter((d) => !d.trashed)).toHaveLength(0);
    const rows = ledger(s.emu);
    for (const row of rows.filter((x) => x.Status === 'sent')) expect(row.Reason.match(/Copy removed /g)).toHaveLength(1);
    const again = await start(s.emu, s.al);
    expect(again.message ?? '').not.toMatch(/trash/);
  }, 120_000);
});
