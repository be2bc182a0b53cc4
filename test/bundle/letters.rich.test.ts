/**
 * Issue 14 point 1 (template fidelity) and point 2 / issue 13 (filed and shared copies), on the
 * built bundle: a school's own template, made by the Attendance Lead in Docs — letterhead with a
 * logo and a merge field in the header, a heading, a bold merge field, a list, a table of fields,
 * a footer field, A4 — gives letters whose PDF keeps all of it, with every field filled wherever
 * it is and values landing literally. Letters are filed in a term folder shared with the
 * attendance team; a template made by one person is shared with the staff who plan and preview.
 */
import type { Emulator, RenderedBlock, RichDocSpec } from '../../emulator';
import { letterReference } from '../../src/gas/letters/reference';
import type { LetterPlan, LetterPreview, StudentView } from '../../src/rpcTypes';
import { keepLetters, letterSchool, sendAll, setTrackerCell, type LetterSchool } from '../helpers/lettersSchool';
import { tabValues } from '../helpers/sampleSpreadsheet';

const RICH: RichDocSpec = {
  page: 'A4',
  header: [{ paragraph: [{ image: 'crest.png', width: 72, height: 72 }, '{{School name}} · Attendance team'] }],
  footer: [{ paragraph: ['Pupil ', { text: '{{Student ID}}', italic: true }, ' · please quote this reference'] }],
  body: [
    { paragraph: ['Attendance of {{Student name}}'], heading: 'HEADING1' },
    '{{Date}}',
    { paragraph: ['Dear ', { text: '{{Parent/Guardian name}}', bold: true }, ','] },
    'We are writing about attendance this year.',
    { table: [['Pupil', 'Tutor group', 'Attendance'], ['{{Student name}}', '{{Tutor group}}', [{ text: '{{Attendance %}}', bold: true }]]] },
    { list: [['Tell us about illness.'], ['We will review it on {{Review date}}.']] },
    'Yours sincerely,',
    '{{Staff name}}',
  ],
};

/** Every letter and language gets the letterhead template, made by the AL in Docs (emu.docs: not by the add-on). */
function richTemplates(emu: Emulator) {
  return ['letter1', 'letter2', 'letter3', 'letter4'].flatMap((letterId) => ['en', 'es'].map((language) => ({
    letterId, language, docId: emu.docs.createRich(`${letterId} ${language} – letterhead`, RICH),
  })));
}

const STUDENT = 'Zoë $1 O\\Brien {{Date}}';
const PARENT = 'Ms \\ $& {{Student name}}';
const staffOf = (s: LetterSchool, role: string) => s.school.staff.filter((m) => m.role === role).map((m) => m.email.toLowerCase()).sort();
const ledgerUrl = (emu: Emulator, key: string) => {
  const rows = tabValues(emu, 'Letters Ledger');
  const h = rows[0].map(String);
  return String(rows.find((r) => r[h.indexOf('Key')] === key)![h.indexOf('Document URL')]);
};
const docIdOf = (url: string) => /\/d\/([^/]+)/.exec(url)![1];
const yearOf = (s: LetterSchool, studentId: string) => s.school.students.find((p) => p.studentId === studentId)!.yearGroup;
const hoysOf = (s: LetterSchool, year: string) => s.school.staff.filter((m) => m.role === 'HOY' && (m.yearGroup ?? '').split(/[,;]\s*/).includes(year)).map((m) => m.email.toLowerCase()).sort();
/** A probe function in the project: opens a document as the calling user (DocumentApp.openById). */
function loadProbe(emu: Emulator): void {
  emu.loadSources({ ...projectFiles(), 'Probe.js': 'function probeOpen(id) { return DocumentApp.openById(id).getBody().getText().length > 0; }' });
}

describe('a school letterhead template', () => {
  let s: LetterSchool;
  let plan: LetterPlan;
  let target: LetterPlan['items'][number];
  beforeAll(async () => {
    s = letterSchool({ students: 300, templates: richTemplates });
    plan = await keepLetters(s.emu, s.al, 6);
    target = plan.items.find((i) => i.language === 'en')!;
    setTrackerCell(s.emu, target.studentId, 'Student Name', STUDENT);
    setTrackerCell(s.emu, target.studentId, 'Parent/Guardian Name', PARENT);
    const responses = await sendAll(s.emu, s.al);
    expect(responses[responses.length - 1]).toMatchObject({ done: true, sent: 6, failed: 0 });
  }, 120_000);

  test('the PDF keeps the letterhead image, heading, bold field, table, list, footer field and A4, every field filled literally', () => {
    const mail = s.emu.mail.outbox.filter((m) => m.body.includes(letterReference(target.key)));
    expect(mail).toHaveLength(1);
    const pdf = mail[0].attachments[0];
    expect(pdf.contentType).toBe('application/pdf');
    const r = pdf.rendered!;
    expect(r.page.size).toBe('A4');
    // header: the logo and the school's name
    expect(r.header).toHaveLength(1);
    expect(r.header[0].images).toEqual([{ name: 'crest.png', width: 72, height: 72 }]);
    expect(r.header[0].text).toMatch(/^.+ · Attendance team$/);
    expect(r.header[0].text).not.toContain('{{');
    // body: heading, bold parent name, table with the bold percentage, list item with the review date
    const body = r.body;
    expect(body[0]).toMatchObject({ type: 'PARAGRAPH', heading: 'HEADING1', text: `Attendance of ${STUDENT}` });
    const dear = body.find((b) => b.text.startsWith('Dear '))!;
    expect(dear.text).toBe(`Dear ${PARENT},`);
    expect(dear.runs).toEqual([
      { text: 'Dear ', bold: false, italic: false, underline: false },
      { text: PARENT, bold: true, italic: false, underline: false },
      { text: ',', bold: false, italic: false, underline: false },
    ]);
    const table = body.find((b): b is RenderedBlock => b.type === 'TABLE')!;
    expect(table.rows![0]).toEqual(['Pupil', 'Tutor group', 'Attendance']);
    expect(table.rows![1][0]).toBe(STUDENT);
    expect(table.rows![1][2]).toMatch(/^\d{1,3}\.\d%$/);
    expect(table.cellRuns![1][2]).toEqual([{ text: table.rows![1][2], bold: true, italic: false, underline: false }]);
    const list = body.filter((b) => b.type === 'LIST_ITEM');
    expect(list).toHaveLength(2);
    expect(list[1].text).toMatch(/^We will review it on .+\.$/);
    expect(list[1].text).not.toContain('{{');
    // footer: the pupil's ID, still in italics
    expect(r.footer[0].text).toBe(`Pupil ${target.studentId} · please quote this reference`);
    expect(r.footer[0].runs![1]).toEqual({ text: target.studentId, bold: false, italic: true, underline: false });
    // nothing left unfilled anywhere, and the values' own braces stayed literal
    const all = [...r.header, ...r.body, ...r.footer].map((b) => b.text).join('\n');
    expect(all.replaceAll(STUDENT, '').replaceAll(PARENT, '')).not.toMatch(/\{\{|\}\}/);
  });

  test('every letter is filed in its year folder of the term: the folder is shared with AL/Admin (edit) and AOs (view), the year folder with that year\'s Heads of Year; linked from the Log', () => {
    const folders = s.emu.docs.folders();
    const root = folders.find((f) => f.name.startsWith('SOL Tracker letters – '))!;
    expect(root.owner).toBe(s.al.toLowerCase());
    expect(root.editors.sort()).toEqual([...staffOf(s, 'AL'), ...staffOf(s, 'Admin')].filter((e) => e !== s.al.toLowerCase()).sort());
    expect(root.viewers.sort()).toEqual(staffOf(s, 'AO'));
    const term = folders.find((f) => f.parents.includes(root.id))!;
    for (const item of plan.items) {
      const doc = s.emu.docs.get(docIdOf(ledgerUrl(s.emu, item.key)))!;
      const year = yearOf(s, item.studentId);
      const folder = folders.find((f) => f.id === doc.parents[0])!;
      expect(folder.parents).toEqual([term.id]);
      expect(folder.name).toBe(/^\d+$/.test(year) ? `Year ${year}` : year);
      expect(folder.viewers.sort()).toEqual(hoysOf(s, year));
      expect(doc.owner).toBe(s.al.toLowerCase());
    }
    const log = tabValues(s.emu, 'Interventions Log').slice(1).filter((r) => r[6] === 'Letter sent');
    expect(log).toHaveLength(6);
    expect(log.every((r) => String(r[11]).startsWith('https://docs.google.com/document/d/'))).toBe(true);
  });

  test('the pupil\'s history in the sidebar links the filed letter (as the Log does), for the Head of Year and the Attendance Officer', async () => {
    const url = ledgerUrl(s.emu, target.key);
    const logRow = tabValues(s.emu, 'Interventions Log').slice(1).find((r) => r[6] === 'Letter sent' && String(r[12]).includes(letterReference(target.key)))!;
    expect(String(logRow[11])).toBe(url);
    for (const user of [hoysOf(s, yearOf(s, target.studentId))[0], staffOf(s, 'AO')[0]]) {
      const view = (await s.emu.rpc('getStudent', [{ studentId: target.studentId }], user)) as StudentView;
      const letter = view.history.find((e) => e.outcome === 'Letter sent')!;
      expect(letter.documentUrl).toBe(url);
    }
  });

  test('the pupil\'s Head of Year and an Attendance Officer can open the filed letter; another year\'s Head of Year and a tutor cannot', async () => {
    const year = yearOf(s, target.studentId);
    const hoy = hoysOf(s, year)[0];
    const otherHoy = s.school.staff.find((m) => m.role === 'HOY' && !(m.yearGroup ?? '').split(/[,;]\s*/).includes(year))!.email.toLowerCase();
    const tutor = staffOf(s, 'Tutor')[0];
    const id = docIdOf(ledgerUrl(s.emu, target.key));
    loadProbe(s.emu);
    expect(s.emu.run('probeOpen', [id], { user: hoy })).toBe(true);
    expect(s.emu.run('probeOpen', [id], { user: staffOf(s, 'AO')[0] })).toBe(true);
    for (const user of [otherHoy, tutor]) {
      expect(() => s.emu.run('probeOpen', [id], { user })).toThrow(/is missing \(perhaps it was deleted, or you don't have read access\?\)/);
    }
  });
});

describe('templates and print packs made by one person, opened by another', () => {
  test('an Attendance Officer cannot open or preview a template the Attendance Lead made until it is shared; the Attendance Lead\'s run shares it, and the print pack it makes', async () => {
    const s = letterSchool({ students: 300, templates: richTemplates });
    const ao = staffOf(s, 'AO')[0];
    const tutor = staffOf(s, 'Tutor')[0];
    const first = await keepLetters(s.emu, s.al, 3);
    setTrackerCell(s.emu, first.items[2].studentId, 'Parent Email', ''); // a family without email: a posted letter
    const plan = (await s.emu.rpc('getLetterPlan', [], s.al)) as LetterPlan;
    const item = plan.items.find((i) => i.recipient !== 'post')!;
    const template = s.templates.find((t) => t.letterId === item.letterId && t.language === item.language)!;
    loadProbe(s.emu);
    expect(() => s.emu.run('probeOpen', [template.docId], { user: ao })).toThrow(/you don't have read access/);
    await expect(s.emu.rpc('previewLetter', [{ key: item.key }], ao)).rejects.toThrow(/could not be opened: .*ask the template's owner to share it/);
    const responses = await sendAll(s.emu, s.al);
    expect(responses[responses.length - 1]).toMatchObject({ done: true });
    // the template: AO view, as a person in Docs would have shared it
    expect(s.emu.docs.get(template.docId)!.viewers).toContain(ao);
    expect(s.emu.run('probeOpen', [template.docId], { user: ao })).toBe(true);
    const preview = (await s.emu.rpc('previewLetter', [{ key: item.key }], ao)) as LetterPreview;
    expect(preview.paragraphs[0]).toBe(`Attendance of ${item.studentName}`);
    // the print pack: in the term folder, for the attendance team (AO opens it; a tutor cannot)
    const view = (await s.emu.rpc('getLetterPlan', [], ao)) as LetterPlan;
    const pack = view.printPacks!.find((p) => p.toPrint > 0)!;
    const packId = docIdOf(pack.url);
    expect(s.emu.docs.get(packId)!.owner).toBe(s.al.toLowerCase());
    expect(s.emu.run('probeOpen', [packId], { user: ao })).toBe(true);
    expect(() => s.emu.run('probeOpen', [packId], { user: tutor })).toThrow(/you don't have read access/);
  }, 180_000);
});

function projectFiles(): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('node:path') as typeof import('node:path');
  const dist = path.join(__dirname, '..', '..', 'dist');
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dist)) out[f] = fs.readFileSync(path.join(dist, f), 'utf8');
  return out;
}
