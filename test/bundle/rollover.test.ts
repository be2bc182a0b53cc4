/**
 * The new academic year on the built bundle (issue 11 point 5): it needs next year's terms and the
 * year over; the preview lists every change and writes nothing; starting it archives every tab of
 * the year whole, moves pupils up, removes leavers (kept on the archive), empties the year's tabs,
 * records it on "Academic Years"; pressing again never does it twice; a stale preview, a tutor and a
 * different request are refused; with the MIS export, leavers are the pupils it no longer lists.
 */
import type { Emulator } from '../../emulator';
import type { RolloverPreview } from '../../src/rpcTypes';
import { simsCsv } from '../helpers/registerCsv';
import { rolloverSchool, yearLived, AFTER_THE_LAST_DAY } from '../helpers/rolloverSchool';
import { schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const names = (emu: Emulator) => emu.direct(() => emu.spreadsheet.getSheets().map((sh) => sh.getName()));
const plain = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : String(v))));

describe('the new academic year', () => {
  test('it waits for next year’s terms and for the year to be over; a tutor may not start it', async () => {
    const early = rolloverSchool();
    const p = (await early.emu.rpc('previewRollover', [{}], early.who('AL'))) as RolloverPreview;
    expect(p.ok).toBe(false);
    expect(p.problems[0]).toMatch(/2024–25 year still has school days \(its last is 2025-07-18\)/);
    const noNext = rolloverSchool({ nextYear: false, now: AFTER_THE_LAST_DAY });
    noNext.emu.clock.set(AFTER_THE_LAST_DAY);
    expect(((await noNext.emu.rpc('previewRollover', [{}], noNext.who('AL'))) as RolloverPreview).problems[0]).toMatch(/Enter next year’s terms first/);
    await expect(early.emu.rpc('previewRollover', [{}], early.who('Tutor'))).rejects.toThrow(/may not/);
    await expect(early.emu.rpc('applyRollover', [{ requestKey: 'abcdef12', token: 'x' }], early.who('AL'))).rejects.toThrow(/still has school days/);
  });

  test('preview, then start: archived whole, moved up, leavers kept on the archive, the year’s tabs afresh, recorded, never twice', async () => {
    const { emu, school, who } = await yearLived();
    const before = Object.fromEntries(['SOL Tracker', 'Register', 'Interventions Log'].map((n) => [n, plain(tabValues(emu, n))]));
    const sheetsBefore = names(emu);
    const p = (await emu.rpc('previewRollover', [{}], who('AL'))) as RolloverPreview;
    expect(names(emu)).toEqual(sheetsBefore); // the preview writes nothing
    expect(p.ok).toBe(true);
    expect(p.closingYear).toBe('2024–25');
    expect(p.nextStart).toBe('2025-09-03');
    expect(p.archives.map((a) => a.to)).toEqual(expect.arrayContaining(['SOL Tracker 2024–25', 'Register 2024–25', 'Interventions Log 2024–25']));
    expect(p.lines.join('\n')).toMatch(/pupils move up a year/);
    expect(p.leaversCount).toBeGreaterThan(0);
    expect(p.movesCount + p.leaversCount).toBe(before['SOL Tracker']!.length - 1);

    // A stale preview (the tracker changed since) is refused and changes nothing.
    await expect(emu.rpc('applyRollover', [{ requestKey: 'req000001', token: 'deadbeef' }], who('AL'))).rejects.toThrow(/changed since the preview/);
    expect(names(emu)).toEqual(sheetsBefore);

    const done = (await emu.rpc('applyRollover', [{ requestKey: 'req000001', token: p.token }], who('AL'))) as { ok: boolean; message: string };
    expect(done.message).toMatch(/The 2025–26 year is ready \(first day 2025-09-03\)/);
    // Archived whole: each archive is the tab as it was.
    for (const n of Object.keys(before)) expect(plain(tabValues(emu, `${n} 2024–25`))).toEqual(before[n]);
    // Nothing lost: every pupil is on the new tracker or (a leaver) on the archived tracker only.
    const tracker = tabValues(emu, 'SOL Tracker');
    const header = tracker[0]!.map(String);
    const [id, year, step, pct] = ['Student ID', 'Year Group', 'Step', 'Attendance %'].map((h) => header.indexOf(h));
    const now = new Map(tracker.slice(1).map((r) => [String(r[id!]), r]));
    for (const r of before['SOL Tracker']!.slice(1)) {
      const moved = now.get(r[id!]!);
      if (moved) expect(Number(String(moved[year!]).replace(/\D/g, ''))).toBe(Number(r[year!]!.replace(/\D/g, '')) + 1);
    }
    expect(now.size).toBe(p.movesCount);
    expect(tracker.slice(1).every((r) => r[step!] === '' && r[pct!] === '')).toBe(true); // the ladder starts again
    expect(plain(tabValues(emu, 'Register'))).toEqual([['Student ID']]);
    expect(tabValues(emu, 'Interventions Log')).toHaveLength(1);
    expect(tabValues(emu, 'Academic Years')).toHaveLength(2);

    // Pressing again (the same request) answers with what was done; another request is refused.
    const again = (await emu.rpc('applyRollover', [{ requestKey: 'req000001', token: p.token }], who('AL'))) as { message: string };
    expect(again.message).toBe(done.message);
    await expect(emu.rpc('applyRollover', [{ requestKey: 'req000002', token: p.token }], who('AL'))).rejects.toThrow(/already been started/);
    expect(tabValues(emu, 'Academic Years')).toHaveLength(2);
    const after = (await emu.rpc('previewRollover', [{}], who('AL'))) as RolloverPreview;
    expect(after.ok).toBe(false);
    expect(after.done).toBe(done.message);

    // The new year goes on: the first import of 2025–26 lands in the fresh Register.
    emu.clock.set(schoolDayNoon('2025-09-03'));
    const staying = school.students.filter((st) => now.has(st.studentId));
    const csv = simsCsv({ ...school, students: staying, marks: staying.flatMap((st) => (['AM', 'PM'] as const).map((session) => ({ studentId: st.studentId, date: '2025-09-03', session, code: '/' }))) }, ['2025-09-03']);
    const imported = (await emu.rpc('importRegister', [{ fileName: 'first.csv', csvText: csv, onlyValidRows: false }], who('AL'))) as { ok: boolean; message: string };
    expect(imported.message).toMatch(/imported|added/i);
    expect(imported.ok).toBe(true);
    expect(tabValues(emu, 'Register')).toHaveLength(staying.length + 1);
  });

  test('with the MIS export: leavers are the pupils it no longer lists, tutor groups come from it, new pupils join', async () => {
    const { emu, school, who } = await yearLived({ students: 40 });
    const stay = school.students.slice(0, 30);
    const csv = ['UPN,Legal Surname,Legal Forename,Year,Reg Group',
      ...stay.map((s, i) => `${s.studentId},Surname${i},First${i},${Number(String(s.yearGroup).replace(/\D/g, '')) + 1},N${i % 3}`),
      'NEW001,Newton,Nia,7,7N'].join('\n');
    const p = (await emu.rpc('previewRollover', [{ exportCsv: csv, fileName: 'next-year.csv' }], who('AL'))) as RolloverPreview;
    expect(p.ok).toBe(true);
    expect([p.movesCount, p.leaversCount, p.joinersCount]).toEqual([30, 10, 1]);
    expect(p.leavers[0]!.why).toBe('not in the new export');
    // A retry must bring the same file.
    await emu.rpc('applyRollover', [{ requestKey: 'req000003', token: p.token, exportCsv: csv, fileName: 'next-year.csv' }], who('AL'));
    const tracker = tabValues(emu, 'SOL Tracker');
    const header = tracker[0]!.map(String);
    expect(tracker).toHaveLength(32);
    const nia = tracker.find((r) => r[header.indexOf('Student ID')] === 'NEW001')!;
    expect([nia[header.indexOf('Student Name')], nia[header.indexOf('Tutor Group')]]).toEqual(['Nia Newton', '7N']);
    expect(tracker.filter((r) => String(r[header.indexOf('Tutor Group')]).startsWith('N')).length).toBe(30);
  });

  test('a bad export is refused with its row and column; nothing is changed', async () => {
    const { emu, who } = await yearLived({ students: 20 });
    const before = names(emu);
    const p = (await emu.rpc('previewRollover', [{ exportCsv: 'UPN,Year\nA1,8\nA1,9\n', fileName: 'x.csv' }], who('AL'))) as RolloverPreview;
    expect(p.ok).toBe(false);
    expect(p.problems).toEqual(['x.csv, row 3, column A: Student ID A1 is also on row 2.']);
    await expect(emu.rpc('applyRollover', [{ requestKey: 'req000004', token: 'x', exportCsv: 'UPN,Year\nA1,8\nA1,9\n', fileName: 'x.csv' }], who('AL'))).rejects.toThrow(/row 3, column A/);
    expect(names(emu)).toEqual(before);
  });
});
