/**
 * Register import on the built bundle (1,000 students): SIMS and Arbor exports, re-import, a
 * corrected mark with its audit trail, and bad files that leave every tab unchanged.
 */
import { formatSchoolDate } from '../../src/core/format';
import { sessionHeader } from '../../src/core/register/registerSheet';
import { dateText } from '../../src/core/report/weeklyHtml';
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool, type SampleSchool } from '../../src/core/sample/school';
import { loadBuiltProject as loadProject } from '../helpers/project';
import { dmy, quote, simsCsv } from '../helpers/registerCsv';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');

/** Every tab's values: the "sheet unchanged" check. */
function snapshot(emu: Emulator): unknown {
  // The hidden "SOL Updates" stamp changes on every Recalculate by design (it re-runs =ATTEND_TIER(id, SOL_UPDATED)).
  return emu.direct(() => emu.spreadsheet.getSheets().filter((s) => s.getName() !== 'SOL Updates').map((s) => ({ name: s.getName(), values: s.getDataRange().getValues(), formulas: s.getDataRange().getFormulas() })));
}

/** An Arbor export (long) of the school's marks on the given days; `edit` may change a line. */
function arborCsv(school: SampleSchool, days: string[], edit: (cells: string[]) => string[] = (c) => c): string {
  const wanted = new Set(days);
  const names = new Map(school.students.map((s) => [s.studentId, s.name]));
  const lines = ['Student ID,Student Name,Date,Session,Mark'];
  for (const m of school.marks) if (wanted.has(m.date)) lines.push(edit([m.studentId, quote(names.get(m.studentId)!), dmy(m.date), m.session, m.code]).join(','));
  return lines.join('\n');
}

interface ImportResponse { ok: boolean; layout: string | null; added: number; unchanged: number; amended: number; errors: { row: number; column: string; value: string; reason: string }[]; message: string }

describe('register import (1,000 students)', () => {
  const school = generateSchool(sampleOptions({ students: 1000, schoolDays: 15 }));
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const tutor = school.staff.find((s) => s.role === 'Tutor')!.email;
  const emu = createEmulator({ users: ['owner@school.example', ao, tutor], now: schoolDayNoon(school.schoolDays[14]) });
  putSampleSchool(emu, { school, omit: ['register'] });
  loadProject(emu);
  const simsDays = school.schoolDays.slice(0, 5);
  const arborDays = school.schoolDays.slice(5, 10);
  const marksOn = (days: string[]) => school.marks.filter((m) => days.includes(m.date)).length;
  const importFile = (fileName: string, csvText: string, onlyValidRows = false) => emu.rpc('importRegister', [{ fileName, csvText, onlyValidRows }], ao) as Promise<ImportResponse>;

  test('a SIMS wide export is imported into the Register tab with one setValues, then the tracker is recalculated', async () => {
    emu.calls.reset();
    const res = await importFile('sims.csv', simsCsv(school, simsDays));
    expect(res).toMatchObject({ ok: true, layout: 'SIMS', added: marksOn(simsDays), unchanged: 0, amended: 0, errors: [] });
    expect(res.message).toMatch(/Recalculated 1,000 students/);
    const reg = tabValues(emu, 'Register');
    expect(reg[0]).toEqual(['Student ID', ...simsDays.flatMap((d) => [sessionHeader(d, "AM"), sessionHeader(d, "PM")])]);
    expect(reg).toHaveLength(1001);
    const first = school.marks.find((m) => m.studentId === reg[1][0] && m.date === simsDays[0] && m.session === 'AM')!;
    expect(reg[1][1]).toBe(first.code);
    const registerWrites = emu.calls.snapshot();
    expect(registerWrites['SpreadsheetApp.Range.setValues']).toBeLessThanOrEqual(3); // register + owned-column run(s)
  });

  test('an Arbor long export adds the next days; re-importing either file adds nothing', async () => {
    const arbor = arborCsv(school, arborDays);
    const res = await importFile('arbor.csv', arbor);
    expect(res).toMatchObject({ ok: true, layout: 'Arbor', added: marksOn(arborDays), amended: 0 });
    const before = snapshot(emu);
    expect(await importFile('arbor.csv', arbor)).toMatchObject({ ok: true, added: 0, unchanged: marksOn(arborDays), amended: 0 });
    expect(await importFile('sims.csv', simsCsv(school, simsDays))).toMatchObject({ ok: true, added: 0, unchanged: marksOn(simsDays), amended: 0 });
    expect(snapshot(emu)).toEqual(before);
  });

  test('a corrected mark replaces the old one and is logged in Register Amendments', async () => {
    const target = school.marks.find((m) => m.date === arborDays[0] && m.session === 'AM' && m.code !== 'M')!;
    const csv = arborCsv(school, arborDays, (c) => (c[0] === target.studentId && c[2] === dmy(target.date) && c[3] === 'AM' ? [c[0], c[1], c[2], c[3], 'M'] : c));
    const res = await importFile('arbor-corrected.csv', csv);
    expect(res).toMatchObject({ ok: true, added: 0, amended: 1 });
    const reg = tabValues(emu, 'Register');
    const col = reg[0].indexOf(sessionHeader(target.date, "AM"));
    expect(reg.find((r) => r[0] === target.studentId)![col]).toBe('M');
    const amendments = tabValues(emu, 'Register Amendments');
    expect(amendments[0]).toEqual(['Amended at', 'Student ID', 'Date', 'Session', 'Original mark', 'Amended mark', 'Reason', 'Amended by']);
    // People read the audit trail: the time and the date in the school's format (UK here).
    expect(amendments.slice(1)).toEqual([[expect.stringMatching(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/), target.studentId, formatSchoolDate(target.date, 'dd/MM/yyyy'), 'AM', target.code, 'M', 'Corrected in MIS import arbor-corrected.csv', expect.stringMatching(/\(AO\)$/)]]);
  });

  test.each([
    ['malformed (unterminated quote)', `Student ID,Student Name,Date,Session,Mark\n${school.students[0].studentId},"Unclosed,02/09/2024,AM,/\n`, /quote/i],
    ['unknown student', `Student ID,Student Name,Date,Session,Mark\nZ999,Nobody,${dmy(arborDays[0])},AM,/\n`, /No student with this ID/],
    ['conflicting duplicate row', `Student ID,Student Name,Date,Session,Mark\n${school.students[0].studentId},X,${dmy(arborDays[1])},PM,/\n${school.students[0].studentId},X,${dmy(arborDays[1])},PM,N\n`, /Conflicts with row 2/],
    ['missing required column', `Student ID,Student Name,Date,Session\n${school.students[0].studentId},X,${dmy(arborDays[1])},PM\n`, /Unrecognised register layout/],
  ])('%s: a clear message, nothing written', async (_name, csv, reason) => {
    const before = snapshot(emu);
    const res = await importFile('bad.csv', csv);
    expect(res.ok).toBe(false);
    expect(res.added).toBe(0);
    expect(res.errors.length).toBeGreaterThan(0);
    expect(res.errors[0].row).toBeGreaterThanOrEqual(1);
    expect(res.errors.map((e) => e.reason).join('\n')).toMatch(reason);
    expect(res.message).toMatch(/nothing was imported/);
    expect(snapshot(emu)).toEqual(before);
  });

  test('onlyValidRows imports the good rows and reports the bad ones; errors are capped at 50 with the count', async () => {
    const lines = ['Student ID,Student Name,Date,Session,Mark'];
    for (let i = 0; i < 60; i++) lines.push(`NOPE${i},X,${dmy(arborDays[2])},AM,/`);
    const good = school.marks.find((m) => m.date === school.schoolDays[10] && m.session === 'AM')!;
    lines.push(`${good.studentId},X,${dmy(good.date)},AM,${good.code}`);
    const strict = await importFile('mixed.csv', lines.join('\n'));
    expect(strict).toMatchObject({ ok: false, added: 0 });
    expect(strict.errors).toHaveLength(50);
    expect(strict.message).toMatch(/60 problems/);
    const lenient = await importFile('mixed.csv', lines.join('\n'), true);
    expect(lenient).toMatchObject({ ok: true, added: 1 });
    expect(lenient.message).toMatch(/60 row problems were skipped/);
  });

  test('imported text is never a formula; a Tutor may not import', async () => {
    const formulas = emu.direct(() => emu.spreadsheet.getSheets().flatMap((s) => s.getDataRange().getFormulas().flat()));
    expect(formulas.every((f) => f === '')).toBe(true);
    await expect(emu.rpc('importRegister', [{ fileName: 'x.csv', csvText: arborCsv(school, arborDays), onlyValidRows: false }], tutor)).rejects.toThrow(/role Tutor, which may not import register marks/);
  });

  test('a bad request is refused in words', async () => {
    await expect(emu.rpc('importRegister', [{ fileName: '', csvText: '', onlyValidRows: 'yes' }], ao)).rejects.toThrow(/fileName must be the name of the uploaded file; .*onlyValidRows must be true or false/);
  });
});

describe('a school day missing from every import (preview walk: an export without Wednesday went unmentioned)', () => {
  const school = generateSchool(sampleOptions({ students: 60, schoolDays: 6 }));
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const emu = createEmulator({ users: ['owner@school.example', ao], now: schoolDayNoon(school.schoolDays[5]) });
  putSampleSchool(emu, { school, omit: ['register'] });
  loadProject(emu);
  const importFile = (fileName: string, days: string[]) => emu.rpc('importRegister', [{ fileName, csvText: simsCsv(school, days), onlyValidRows: false }], ao) as Promise<ImportResponse>;
  const [mon, tue, wed, thu, fri] = school.schoolDays as [string, string, string, string, string];

  test('the import names the unmarked school day between imported days; importing it clears the sentence', async () => {
    const first = await importFile('week-without-wednesday.csv', [mon, tue, thu, fri]);
    expect(first.ok).toBe(true);
    const wedWords = dateText(wed); // 'Wed 4 Sep 2024'
    expect(wedWords).toMatch(/^Wed \d+ [A-Z][a-z]{2} \d{4}$/);
    expect(first.message).toContain(`The register has no marks at all on ${wedWords} (a school day between days already imported)`);
    const second = await importFile('wednesday.csv', [wed]);
    expect(second.ok).toBe(true);
    expect(second.message).not.toMatch(/no marks at all/);
  });
});
