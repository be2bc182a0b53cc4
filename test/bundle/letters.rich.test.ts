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
import type { LetterPlan, LetterPreview } from '../../src/rpcTypes';
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

  test('every letter is filed in its term folder, shared with AL/Admin (edit) and AO/HOY (view), and linked from the Log', () => {
    const folders = s.emu.docs.folders();
    const root = folders.find((f) => f.name.startsWith('SOL Tracker letters – '))!;
    expect(root.owner).toBe(s.al.toLowerCase());
    expect(root.editors.sort()).toEqual([...staffOf(s, 'AL'), ...staffOf(s, 'Admin')].filter((e) => e !== s.al.toLowerCase()).sort());
    expect(root.viewers.sort()).toEqual([...staffOf(s, 'AO'), ...staffOf(s, 'HOY')].sort());
    const term = folders.find((f) => f.parents.includes(root.id))!;
    for (const item of plan.items) {
      const doc = s.emu.docs.get(docIdOf(ledgerUrl(s.emu, item.key)))!;
      expect(doc.parents).toEqual([term.id]);
      expect(doc.owner).toBe(s.al.toLowerCase());
    }
    const log = tabValues(s.emu, 'Interventions Log').slice(1).filter((r) => r[6] === 'Letter sent');
    expect(log).toHaveLength(6);
    expect(log.every((r) => String(r[11]).startsWith('https://docs.google.com/document/d/'))).toBe(true);
  });

  test('a Head of Year can open the filed letter; a tutor cannot', async () => {
    const hoy = staffOf(s, 'HOY')[0];
    const tutor = staffOf(s, 'Tutor')[0];
    const id = docIdOf(ledgerUrl(s.emu, target.key));
    s.emu.loadSources({ ...projectFiles(), 'Probe.js': 'function probeOpen_(id) { return DocumentApp.openById(id).getBody().getText().length > 0; } function probeOpen(id) { return probeOpen_(id); }' });
    expect(s.emu.run('probeOpen', [id], { user: hoy })).toBe(true);
    expect(() => s.emu.run('probeOpen', [id], { user: tutor })).toThrow(/is missing \(perhaps it was deleted, or you don't have read access\?\)/);
  });
});

describe('templates made by one person', () => {
  test('an Attendance Officer cannot preview until the template is shared; the Attendance Lead\'s run shares it', async () => {
    const s = letterSchool({ students: 300, templates: richTemplates });
    const ao = staffOf(s, 'AO')[0];
    const plan = await keepLetters(s.emu, s.al, 2);
    const item = plan.items[0];
    await expect(s.emu.rpc('previewLetter', [{ key: item.key }], ao)).rejects.toThrow(/could not be opened: .*ask the template's owner to share it/);
    await sendAll(s.emu, s.al);
    const template = s.templates.find((t) => t.letterId === item.letterId && t.language === item.language)!;
    expect(s.emu.docs.get(template.docId)!.viewers).toContain(ao);
    const preview = (await s.emu.rpc('previewLetter', [{ key: item.key }], ao)) as LetterPreview;
    expect(preview.paragraphs[0]).toBe(`Attendance of ${item.studentName}`);
  }, 120_000);
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
