/**
 * Words, not identifiers (issue 14 point 5): the sample school lives a little — recalculate, a
 * contact logged in the sidebar, an RTC typed in the sheet, a register re-import, the letter plan,
 * a letter left out, a preview, a test letter, a letter run, the weekly report — and then every
 * string a person reads is scanned: the tabs as Sheets displays them, every email with its PDF
 * letter, and the sidebar's RPC results (the fields the sidebar shows as they are). No internal
 * identifier, ISO date or timestamp, ISO week or raw fraction may appear.
 *
 * Every tab is scanned (the Register's session headers, Settings, the Interventions Log's letter
 * column, Register Amendments, the Letters Ledger, the Weekly Report…). Not scanned, and why: the
 * Letters Ledger's Key and Run columns (the add-on's references of each send: the key is also the
 * idempotency key, the run id what resume finds). RPC fields the sidebar formats itself (ISO dates
 * typed IsoDateString, keys) are left to the browser tests, which scan the rendered tabs.
 */
import { formatSchoolDate } from '../../src/core/format';
import { LEDGER_STATUS_CELL } from '../../src/core/letters';
import type { LetterPlan, StudentView } from '../../src/rpcTypes';
import { FORMAT_RULES, findRawFormats, type RawFormatHit } from '../helpers/peopleWords';
import { keepLetters, letterSchool, sendAll, type LetterSchool } from '../helpers/lettersSchool';
import { simsCsv } from '../helpers/registerCsv';

jest.setTimeout(180_000);

let ctx: LetterSchool;
const seen: { where: string; text: string }[] = [];
const see = (where: string, text: unknown) => { if (text !== null && text !== undefined && String(text) !== '') seen.push({ where, text: String(text) }); };

function displayValues(name: string): string[][] {
  return ctx.emu.direct(() => {
    const sheet = ctx.emu.spreadsheet.getSheetByName(name);
    return sheet ? sheet.getDataRange().getDisplayValues() : [];
  });
}

beforeAll(async () => {
  ctx = letterSchool({ students: 400, seed: 11 });
  const { emu, al, school } = ctx;
  const rpc = <T>(name: string, ...args: unknown[]) => emu.rpc(name, args, al) as Promise<T>;

  see('recalculate', (await rpc<{ message: string }>('recalculate')).message);
  const plan0 = await keepLetters(emu, al, 12);
  const someone = plan0.items[0]!;
  const student = await rpc<StudentView>('getStudent', { studentId: someone.studentId });
  for (const f of ['stepLabel', 'explanation', 'nextAction', 'attendancePercent', 'owner'] as const) see(`getStudent.${f}`, student[f]);
  student.reasons.forEach((r, i) => see(`getStudent.reasons[${i}]`, r));
  const logged = await rpc<{ student: StudentView }>('logContact', { studentId: someone.studentId, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: 'Call again next week', notes: '' });
  for (const h of logged.student.history) { see('history.method', h.method); see('history.outcome', h.outcome); see('history.nextAction', h.nextAction); see('history.by', h.by); }
  const found = await rpc<{ name: string; attendancePercent: string; tutorGroup: string }[]>('searchStudents', { query: someone.studentName.split(' ')[0] });
  for (const f of found) { see('searchStudents.attendancePercent', f.attendancePercent); }
  // A tutor types an RTC in the sheet (onEdit).
  const rtcCol = emu.direct(() => { const t = emu.spreadsheet.getSheetByName('SOL Tracker')!; return t.getRange(1, 1, 1, t.getLastColumn()).getValues()[0].map(String).indexOf('RTC'); }) + 1;
  emu.userEdit('SOL Tracker', `${String.fromCharCode(64 + rtcCol)}3`, 'Yes', al);
  // The register again: nothing new, said in words.
  const imported = await rpc<{ layout: string | null; message: string }>('importRegister', { fileName: 'sims.csv', csvText: simsCsv(school, school.schoolDays), onlyValidRows: false });
  see('importRegister.layout', imported.layout);
  see('importRegister.message', imported.message);
  // A corrected mark: the Register Amendments tab gets a row people read.
  const day = school.schoolDays[school.schoolDays.length - 2]!;
  const mark = school.marks.find((m) => m.date === day && m.session === 'AM' && m.code !== 'M')!;
  const corrected = { ...school, marks: school.marks.map((m) => (m === mark ? { ...m, code: 'M' } : m)) };
  const amended = await rpc<{ amended: number; message: string }>('importRegister', { fileName: 'sims-corrected.csv', csvText: simsCsv(corrected, school.schoolDays), onlyValidRows: false });
  expect(amended.amended).toBe(1);
  see('importRegister.message', amended.message);

  // Letters: leave one out, preview one, a test letter, send the rest.
  const plan = await rpc<LetterPlan>('setExclusion', { studentId: plan0.items[1]!.studentId, reason: 'Hospital stay, medical evidence seen' });
  const preview = await rpc<{ subject: string; paragraphs: string[]; emailHtml: string }>('previewLetter', { key: plan.items[0]!.key });
  see('previewLetter.subject', preview.subject);
  preview.paragraphs.forEach((p) => see('previewLetter.paragraph', p));
  see('sendTestLetter.message', (await rpc<{ message: string }>('sendTestLetter', { key: plan.items[0]!.key })).message);
  for (const r of await sendAll(emu, al)) see('sendLetters.message', r.message);
  const after = await rpc<LetterPlan>('getLetterPlan');
  for (const p of [plan, after]) {
    p.problems.forEach((x) => see('plan.problems', x));
    see('plan.quotaResets', p.quotaResets);
    for (const i of p.items) {
      for (const f of ['studentName', 'tutorGroup', 'letterName', 'stepName', 'languageName', 'why', 'excluded', 'heldBack'] as const) see(`plan.items.${f}`, i[f]);
    }
  }
  // The weekly report, run now.
  see('runWeeklyNow.message', (await rpc<{ message: string }>('runWeeklyNow')).message);
  const status = await rpc<{ lastRun: { message: string } | null }>('getWeeklyStatus');
  see('getWeeklyStatus.lastRun.message', status.lastRun?.message);

  // Tabs, as Sheets displays them.
  // Every tab, as Sheets displays it. The Letters Ledger's Key and Run columns are the add-on's own
  // references of each send (what the Sent folder search and resume use); everything else is read.
  const tabs = emu.direct(() => emu.spreadsheet.getSheets().map((s) => s.getName()));
  for (const tab of tabs) {
    const values = displayValues(tab);
    const header = values[0] ?? [];
    values.forEach((row, r) => row.forEach((cell, c) => {
      if (tab === 'Letters Ledger' && (header[c] === 'Key' || header[c] === 'Run')) return;
      see(`${tab}!R${r + 1}C${c + 1} (${header[c] ?? ''})`, cell);
    }));
  }
  // Emails and their letters.
  for (const m of emu.mail.outbox) {
    see(`email to ${m.to}: subject`, m.subject);
    see(`email to ${m.to}: body`, m.body);
    see(`email to ${m.to}: html`, (m.htmlBody ?? '').replace(/<[^>]*>/g, ' '));
    for (const a of m.attachments) {
      see(`email to ${m.to}: attachment name`, a.name);
      see(`email to ${m.to}: ${a.name}`, a.text);
    }
  }
});

test('the sample school was exercised: tabs, emails with letters, a weekly report and sidebar results were collected', () => {
  const where = new Set(seen.map((s) => s.where.split(/[!:.[]/)[0]));
  expect([...where]).toEqual(expect.arrayContaining(['SOL Tracker', 'Interventions Log', 'Weekly Report', 'plan', 'getStudent', 'history']));
  expect(ctx.emu.mail.outbox.filter((m) => m.attachments.length > 0).length).toBeGreaterThan(5);
  expect(ctx.emu.mail.outbox.some((m) => /weekly attendance/i.test(m.subject))).toBe(true);
});

test('no identifier, ISO date or timestamp, ISO week or raw fraction in anything a person reads', () => {
  const hits: (RawFormatHit & { where: string })[] = [];
  for (const s of seen) for (const h of findRawFormats(s.text)) hits.push({ where: s.where, ...h });
  // One line per kind of problem and place, so a failure is readable.
  const byKind = new Map<string, string>();
  for (const h of hits) {
    const k = `${h.rule} in ${h.where.replace(/R\d+C\d+ \((\d{4}-\d{2}-\d{2}).*\)/, 'C (a session)').replace(/R\d+C/, 'C')}`;
    if (!byKind.has(k)) byKind.set(k, h.context);
  }
  expect([...byKind].map(([k, v]) => `${k}: …${v}…`)).toEqual([]);
});

test('the Letters Ledger shows no ISO timestamp or raw fraction (its reference columns keep the ids)', () => {
  const values = displayValues('Letters Ledger');
  expect(values.length).toBeGreaterThan(5);
  const hits = values.flatMap((row) => row.flatMap((cell) => findRawFormats(cell, FORMAT_RULES)));
  expect(hits).toEqual([]);
});

test('the Letters Ledger says each letter\'s status in words (Sent, Left out, In the print pack…), not its state name', () => {
  const values = displayValues('Letters Ledger');
  const col = values[0]!.indexOf('Status');
  const statuses = new Set(values.slice(1).map((r) => r[col]).filter(Boolean));
  expect(statuses.size).toBeGreaterThan(0);
  expect([...statuses].filter((s) => !(Object.values(LEDGER_STATUS_CELL) as string[]).includes(s!))).toEqual([]);
});

test('every tab was scanned, the Register, Settings and the Letters Ledger included', () => {
  const where = new Set(seen.map((s) => s.where.split('!')[0]));
  expect([...where]).toEqual(expect.arrayContaining(['Register', 'Register Amendments', 'Settings', 'Letters Ledger', 'Interventions Log', 'SOL Tracker', 'Weekly Report']));
  const register = displayValues('Register')[0]!;
  expect(register[1]).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d{1,2} [A-Z][a-z]{2} \d{4} (AM|PM)$/);
});

test("dates are in the school's format (dd/MM/yyyy for this UK school)", () => {
  const log = displayValues('Interventions Log');
  const header = log[0]!;
  const last = log[log.length - 1]!;
  expect(last[header.indexOf('Date')]).toBe(formatSchoolDate(ctx.sample.today, 'dd/MM/yyyy'));
  expect(last[header.indexOf('Recorded at')]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  expect(log.slice(1).map((r) => r[header.indexOf('Attendance at time')]).filter(Boolean).every((v) => /^\d{1,3}\.\d%$/.test(v))).toBe(true);
});
