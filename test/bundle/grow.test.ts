/**
 * Every tab grows before it is written (issue 12 §3, DESIGN.md §5). A tab has a fixed number of rows
 * (1,000 when made); writing past the last one fails with "The coordinates of the range are outside
 * the dimensions of the sheet." On old main letters stopped for good once the Letters Ledger passed
 * 999 rows, and at a full Interventions Log the emails went out with no log row.
 *
 * Here: a ledger of 2,000+ letters and a 20,000-row log, each filled to its tab's last row, then a
 * letter run; a 5,000-pupil import into a fresh Register tab, its Amendments and the Weekly Report.
 */
import { LEDGER_HEADER, ledgerStatusOfCell, toLedgerRows, type LedgerEntry } from '../../src/core/letters';
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { keepLetters, letterSchool, sendAll } from '../helpers/lettersSchool';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues, writeTab } from '../helpers/sampleSpreadsheet';
import { createEmulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { simsCsv } from '../helpers/registerCsv';

/** Makes a tab exactly as tall as its content, so the next row needs the tab to grow. */
function fillToTheLastRow(emu: ReturnType<typeof letterSchool>['emu'], name: string, values: unknown[][]): void {
  writeTab(emu, name, values);
  emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName(name)!;
    const extra = sheet.getMaxRows() - values.length;
    if (extra > 0) sheet.deleteRows(values.length + 1, extra);
  });
}

describe('the Letters Ledger past 2,000 rows and the Interventions Log past 20,000', () => {
  const { emu, al } = letterSchool({ students: 300 });
  const oldLetters = 1990;
  const logRows = 20000;

  beforeAll(() => {
    const old: LedgerEntry[] = Array.from({ length: oldLetters }, (_, i) => ({
      key: `OLD${i}|letter1|2023-autumn|parent${i}@home.example`, studentId: `OLD${i}`, letterId: 'letter1', windowKey: '2023-autumn',
      recipient: `parent${i}@home.example`, status: 'sent', attempts: 1, updatedAt: '2023-10-02T09:00:00', runId: 'r0', recipientName: 'A Parent', language: 'en', step: 4,
    }));
    fillToTheLastRow(emu, 'Letters Ledger', toLedgerRows(old));
    const log: unknown[][] = [[...LOG_HEADERS]];
    for (let i = 1; i < logRows; i++) log.push(['2023-10-02T09:00:00', '2023-10-02', `OLD${i % 500}`, 'Former pupil', 1, 'Phone call', 'No answer', '', 'ao@school.example', '', '', '', '']);
    fillToTheLastRow(emu, 'Interventions Log', log);
  });

  test('a letter run writes past the last row of both tabs: every letter sent once, each in the ledger and the log', async () => {
    const plan = await keepLetters(emu, al, 20);
    expect(emu.direct(() => emu.spreadsheet.getSheetByName('Letters Ledger')!.getMaxRows())).toBe(oldLetters + 1);
    const runs = await sendAll(emu, al);
    const last = runs[runs.length - 1];
    expect(last.message).not.toMatch(/coordinates|outside the dimensions/);
    expect(last.done).toBe(true);
    expect(emu.mail.outbox.length).toBe(plan.items.filter((i) => i.recipient !== 'post').length);
    const ledger = tabValues(emu, 'Letters Ledger');
    expect(ledger[0]).toEqual([...LEDGER_HEADER]);
    expect(ledger.length).toBe(oldLetters + 1 + plan.items.length);
    expect(ledger.slice(oldLetters + 1).every((r) => ledgerStatusOfCell(String(r[8])) === 'sent')).toBe(true);
    const log = tabValues(emu, 'Interventions Log');
    expect(log.length).toBe(logRows + plan.items.length);
    expect(log.slice(logRows).every((r) => r[6] === 'Letter sent')).toBe(true);
  });

  test('a contact logged at a full log is appended, not lost', async () => {
    const student = (tabValues(emu, 'SOL Tracker')[1] as string[])[0];
    const before = tabValues(emu, 'Interventions Log').length;
    fillToTheLastRow(emu, 'Interventions Log', tabValues(emu, 'Interventions Log'));
    await emu.rpc('logContact', [{ studentId: student, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: '', notes: '' }], al);
    expect(tabValues(emu, 'Interventions Log').length).toBe(before + 1);
  });
});

describe('5,000 pupils: a fresh Register, over 1,000 amendments and the whole tracker', () => {
  // Imports need the AO; the tabs are made as small as Sheets makes them (a new tab has 1,000 rows).
  const school = generateSchool(sampleOptions({ students: 5000, schoolDays: 6, seed: 5 }));
  const today = school.schoolDays[school.schoolDays.length - 1]!;
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const emu = createEmulator({ account: 'workspace', now: schoolDayNoon(today), users: [ao] });
  putSampleSchool(emu, { school, omit: ['register'] });
  loadBuiltProject(emu);

  test('the import makes the Register (5,001 rows from a 1,000-row tab) and a correction of 1,500 marks records 1,500 amendments', async () => {
    const tracker = tabValues(emu, 'SOL Tracker');
    fillToTheLastRow(emu, 'SOL Tracker', tracker); // exactly 5,001 rows: nothing to spare
    const first = (await emu.rpc('importRegister', [{ fileName: 'sims.csv', csvText: simsCsv(school, school.schoolDays), onlyValidRows: false }], ao)) as { ok: boolean; message: string };
    expect(first.message).not.toMatch(/coordinates|outside the dimensions/);
    const register = tabValues(emu, 'Register');
    expect(register.length).toBe(5001);
    // The MIS corrects the first AM mark of 1,500 pupils.
    const day = school.schoolDays[0]!;
    const corrected = new Set(school.students.slice(0, 1500).map((s) => s.studentId));
    const changed = { ...school, marks: school.marks.map((m) => (corrected.has(m.studentId) && m.date === day && m.session === 'AM' ? { ...m, code: m.code === 'O' ? '/' : 'O' } : m)) };
    const second = (await emu.rpc('importRegister', [{ fileName: 'sims.csv', csvText: simsCsv(changed, school.schoolDays), onlyValidRows: false }], ao)) as { ok: boolean; message: string };
    expect(second.message).not.toMatch(/coordinates|outside the dimensions/);
    const amendments = tabValues(emu, 'Register Amendments');
    expect(amendments.length).toBe(1501);
    // The import recalculated the whole tracker: every row has its attendance.
    const after = tabValues(emu, 'SOL Tracker');
    expect(after.length).toBe(5001);
    const pct = after[0]!.indexOf('Attendance %');
    expect(after.slice(1).filter((r) => r[pct] === '' || r[pct] === undefined)).toEqual([]);
  }, 600_000);
});
