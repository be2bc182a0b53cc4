/**
 * Conformance: the Docs model a real letter template needs (D2.x) — header and footer sections,
 * inline images, headings, bold/italic runs, list items, tables, page size — replaceText in every
 * section keeping formatting; document owners and sharing (D2.5); the advanced Drive service under
 * drive.file (copy, folders, permissions, list, trash).
 * References: https://developers.google.com/apps-script/reference/document/document (getHeader,
 * getFooter, addHeader, addEditor(s), addViewer(s)), …/document/body (replaceText, getPageWidth),
 * https://developers.google.com/apps-script/advanced/drive, https://developers.google.com/workspace/drive/api/guides/api-specific-auth.
 */
import { createEmulator, type Emulator, type RichDocSpec } from '../../emulator';
import { AUTH, PROJECT_SCOPES, emulatorWith, thrown } from './helpers';

const AL = 'lead@school.example';
const AO = 'officer@school.example';
const HOY = 'hoy@school.example';

const RICH: RichDocSpec = {
  page: 'A4',
  header: [{ paragraph: [{ image: 'crest.png', width: 80, height: 80 }, 'Hillside Academy'] }],
  footer: ['Ref {{Student ID}} · {{School name}}'],
  body: [
    { paragraph: ['Attendance letter'], heading: 'HEADING1' },
    { paragraph: ['Dear ', { text: '{{Parent/Guardian name}}', bold: true }, ','] },
    { list: [['first point'], [{ text: 'second ', italic: true }, '{{Student name}}']] },
    { table: [['Name', 'Attendance'], ['{{Student name}}', [{ text: '{{Attendance %}}', bold: true }]]] },
  ],
};

const code = `
  function fill(id, pairs) {
    var doc = DocumentApp.openById(id);
    var sections = [doc.getBody(), doc.getHeader(), doc.getFooter()];
    pairs.forEach(function (p) { sections.forEach(function (s) { if (s) s.replaceText(p[0], p[1]); }); });
    doc.saveAndClose();
    return [doc.getName()];
  }
  function read(id) {
    var doc = DocumentApp.openById(id);
    var b = doc.getBody();
    return {
      header: doc.getHeader() ? doc.getHeader().getText() : null,
      footer: doc.getFooter() ? doc.getFooter().getText() : null,
      children: b.getNumChildren(),
      types: Array.from({ length: b.getNumChildren() }, function (_, i) { return String(b.getChild(i).getType()); }),
      paragraphs: b.getParagraphs().length,
      lists: b.getListItems().length,
      tables: b.getTables().length,
      images: doc.getHeader() ? doc.getHeader().getImages().length : 0,
      width: b.getPageWidth(), height: b.getPageHeight(),
      heading: String(b.getParagraphs()[0].getHeading()),
      boldAt5: b.getParagraphs()[1].editAsText().isBold(5),
      boldAt0: b.getParagraphs()[1].editAsText().isBold(0),
    };
  }
  function text(id) { return DocumentApp.openById(id).getBody().getText(); }
  function write(id) { DocumentApp.openById(id).getBody().appendParagraph('x'); }
  function share(id, editors, viewers) { var d = DocumentApp.openById(id); if (editors.length) d.addEditors(editors); if (viewers.length) d.addViewers(viewers); return [d.getEditors().map(function (u) { return u.getEmail(); }), d.getViewers().map(function (u) { return u.getEmail(); })]; }
  function make(name) { var d = DocumentApp.create(name); d.getBody().setText('hello'); d.saveAndClose(); return d.getId(); }
  function pdf(id) { return DocumentApp.openById(id).getAs('application/pdf').getName(); }
  function copy(id, name, parent) { return Drive.Files.copy({ name: name, parents: parent ? [parent] : undefined }, id).id; }
  function folder(name, readers, writers) {
    var f = Drive.Files.create({ name: name, mimeType: 'application/vnd.google-apps.folder' });
    readers.forEach(function (e) { Drive.Permissions.create({ role: 'reader', type: 'user', emailAddress: e }, f.id, { sendNotificationEmail: false }); });
    writers.forEach(function (e) { Drive.Permissions.create({ role: 'writer', type: 'user', emailAddress: e }, f.id, { sendNotificationEmail: false }); });
    return f.id;
  }
  function list(q) { return Drive.Files.list({ q: q }).files.map(function (f) { return f.name; }); }
  function trash(id) { return Drive.Files.update({ trashed: true }, id, null, { fields: "trashed" }).trashed; }
  function noDrive() { return typeof Drive; }
  function tagged(id, name, ref) { return Drive.Files.copy({ name: name, appProperties: { solLetter: ref } }, id).id; }
  function getDefault(id) { return Drive.Files.get(id); }
  function getFields(id, fields) { return Drive.Files.get(id, { fields: fields }); }
  function listFields(q, fields) { return Drive.Files.list({ q: q, fields: fields }); }
`;

function withDrive(opts: { scopes?: string[]; users?: string[] } = {}): Emulator {
  const emu = createEmulator({ users: opts.users ?? [AL, AO, HOY] });
  emu.loadSources({
    'appsscript.json': JSON.stringify({
      timeZone: 'Europe/London', runtimeVersion: 'V8', oauthScopes: opts.scopes ?? [...PROJECT_SCOPES, `${AUTH}drive.file`],
      dependencies: { enabledAdvancedServices: [{ userSymbol: 'Drive', serviceId: 'drive', version: 'v3' }] },
    }),
    'Code.js': code,
  });
  return emu;
}

describe('D2 rich documents', () => {
  test('a template with a letterhead image, heading, bold field, list, table and footer reads back with its structure', () => {
    const emu = withDrive();
    const id = emu.docs.createRich('Letter 1', RICH, AL);
    const r = emu.run<Record<string, unknown>>('read', [id], { user: AL });
    expect(r).toMatchObject({
      header: 'Hillside Academy', footer: 'Ref {{Student ID}} · {{School name}}', children: 5,
      types: ['PARAGRAPH', 'PARAGRAPH', 'LIST_ITEM', 'LIST_ITEM', 'TABLE'], paragraphs: 4, lists: 2, tables: 1, images: 1, heading: 'HEADING1',
      boldAt5: true, boldAt0: false,
    });
    expect(r.width).toBeCloseTo(595.3, 0);
    expect(r.height).toBeCloseTo(841.9, 0);
  });

  test('D2.3 replaceText in body, header, footer and table cells; the replacement keeps the bold of the field; values with $ and \\ literal when escaped', () => {
    const emu = withDrive();
    const id = emu.docs.createRich('Letter 1', RICH, AL);
    emu.run('fill', [id, [
      ['\\{\\{Parent/Guardian name\\}\\}', 'Ms O\\\\Brien \\$1'],
      ['\\{\\{Student name\\}\\}', 'Kai'],
      ['\\{\\{Attendance %\\}\\}', '88.5%'],
      ['\\{\\{Student ID\\}\\}', 'S007'],
      ['\\{\\{School name\\}\\}', 'Hillside'],
    ]], { user: AL });
    const doc = emu.docs.get(id)!;
    expect(doc.footer).toEqual(['Ref S007 · Hillside']);
    expect(doc.paragraphs[1]).toBe('Dear Ms O\\Brien $1,');
    const body = doc.rendered.body;
    expect(body[1].runs).toEqual([
      { text: 'Dear ', bold: false, italic: false, underline: false },
      { text: 'Ms O\\Brien $1', bold: true, italic: false, underline: false },
      { text: ',', bold: false, italic: false, underline: false },
    ]);
    expect(body[3]).toMatchObject({ type: 'LIST_ITEM', text: 'second Kai' });
    expect(body[4]).toMatchObject({ type: 'TABLE', rows: [['Name', 'Attendance'], ['Kai', '88.5%']] });
    expect(body[4].cellRuns![1][1]).toEqual([{ text: '88.5%', bold: true, italic: false, underline: false }]);
    expect(doc.rendered.header[0].images).toEqual([{ name: 'crest.png', width: 80, height: 80 }]);
    expect(doc.rendered.page.size).toBe('A4');
  });
});

describe('D2.5 owners and sharing', () => {
  test('a document is private to the user whose execution made it; others get Google\'s "missing or no read access" error', () => {
    const emu = withDrive();
    const id = emu.run<string>('make', ['Template'], { user: AL });
    expect(emu.docs.get(id)).toMatchObject({ owner: AL, editors: [], viewers: [] });
    expect(thrown(() => emu.run('text', [id], { user: AO })).message).toBe(`Document ${id} is missing (perhaps it was deleted, or you don't have read access?)`);
  });
  test('addViewers lets a person read but not change it ("Action not allowed"); addEditors lets them change it; only owners/editors share', () => {
    const emu = withDrive();
    const id = emu.run<string>('make', ['Template'], { user: AL });
    expect(thrown(() => emu.run('share', [id, [], [HOY]], { user: AO })).message).toMatch(/is missing/);
    expect(emu.run('share', [id, [], [AO]], { user: AL })).toEqual([[AL], [AO]]);
    expect(emu.run<string>('pdf', [id], { user: AO })).toBe('Template.pdf');
    expect(thrown(() => emu.run('write', [id], { user: AO })).message).toBe('Action not allowed');
    expect(thrown(() => emu.run('share', [id, [], [HOY]], { user: AO })).message).toBe('Action not allowed');
    emu.run('share', [id, [AO], []], { user: AL });
    emu.run('write', [id], { user: AO });
    expect(emu.docs.get(id)).toMatchObject({ editors: [AO], viewers: [] });
  });
});

describe('advanced Drive service (v3) under drive.file', () => {
  test('exists only when the manifest enables it', () => {
    expect(emulatorWith(code).run('noDrive')).toBe('undefined');
    expect(withDrive().run('noDrive', [], { user: AL })).toBe('object');
  });
  test('drive.file: a copy of a document this project made works; of one a person made in Docs it is "File not found"', () => {
    const emu = withDrive();
    const mine = emu.run<string>('make', ['Template'], { user: AL });
    const theirs = emu.docs.createRich('Letterhead', RICH, AL);
    const copy = emu.run<string>('copy', [mine, 'Letter – Kai', null], { user: AL });
    expect(emu.docs.get(copy)).toMatchObject({ name: 'Letter – Kai', owner: AL, paragraphs: ['hello'] });
    const err = thrown(() => emu.run('copy', [theirs, 'x', null], { user: AL }));
    expect(err.name).toBe('GoogleJsonResponseException');
    expect(err.message).toBe(`API call to drive.files.copy failed with error: File not found: ${theirs}.`);
    // with the full (restricted) drive scope it would work — the add-on does not ask for it
    const full = withDrive({ scopes: [...PROJECT_SCOPES, `${AUTH}drive`] });
    const t2 = full.docs.createRich('Letterhead', RICH, AL);
    expect(full.docs.get(full.run<string>('copy', [t2, 'y', null], { user: AL }))!.rendered.header[0].images).toHaveLength(1);
  });
  test('a folder shared with readers and writers: files inside inherit access; list and trash', () => {
    const emu = withDrive();
    const folder = emu.run<string>('folder', ['Letters – Autumn 2026', [HOY], [AO]], { user: AL });
    const tpl = emu.run<string>('make', ['Template'], { user: AL });
    const letter = emu.run<string>('copy', [tpl, 'Letter – Kai', folder], { user: AL });
    expect(emu.run('text', [letter], { user: HOY })).toBe('hello'); // reader through the folder
    expect(thrown(() => emu.run('write', [letter], { user: HOY })).message).toBe('Action not allowed');
    emu.run('write', [letter], { user: AO }); // writer through the folder
    expect(thrown(() => emu.run('text', [tpl], { user: HOY })).message).toMatch(/is missing/); // not in the folder
    expect(emu.run('list', [`'${folder}' in parents and trashed = false`], { user: AL })).toEqual(['Letter – Kai']);
    expect(emu.run('trash', [letter], { user: AL })).toBe(true);
    expect(emu.run('list', [`'${folder}' in parents and trashed = false`], { user: AL })).toEqual([]);
    expect(thrown(() => emu.run('text', [letter], { user: AL })).message).toMatch(/is missing/);
  });
  test('fields: without a mask only kind, id, name and mimeType come back; a mask (nested too) returns what it names; appProperties are kept', () => {
    // https://developers.google.com/workspace/drive/api/guides/fields-parameter
    const emu = withDrive();
    const folder = emu.run<string>('folder', ['Term', [], []], { user: AL });
    const tpl = emu.run<string>('make', ['Template'], { user: AL });
    const letter = emu.run<string>('tagged', [tpl, 'Letter', 'L-0000ABCD'], { user: AL });
    emu.run('copy', [tpl, 'In folder', folder], { user: AL });
    expect(Object.keys(emu.run<object>('getDefault', [letter], { user: AL })).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
    expect(emu.run('getFields', [letter, 'id, trashed, appProperties'], { user: AL })).toEqual({ id: letter, trashed: false, appProperties: { solLetter: 'L-0000ABCD' } });
    const page = emu.run<{ files: Array<Record<string, unknown>>; nextPageToken?: string }>('listFields', [`'${folder}' in parents`, 'nextPageToken, files(id, owners(emailAddress), appProperties)'], { user: AL });
    expect(page.files).toHaveLength(1);
    expect(Object.keys(page.files[0]).sort()).toEqual(['appProperties', 'id', 'owners']);
    expect(page.files[0].owners).toEqual([{ emailAddress: AL }]);
    const plain = emu.run<{ files: Array<Record<string, unknown>> }>('list', [`'${folder}' in parents`], { user: AL });
    expect(plain).toEqual(['In folder']);
  });
  test('DriveApp stays refused under drive.file (it needs the restricted drive scope)', () => {
    const emu = createEmulator({ users: [AL] });
    emu.loadSources({ 'appsscript.json': JSON.stringify({ timeZone: 'Europe/London', runtimeVersion: 'V8', oauthScopes: [...PROJECT_SCOPES, `${AUTH}drive.file`] }), 'Code.js': 'function f(id) { return DriveApp.getFileById(id).makeCopy(); }' });
    expect(thrown(() => emu.run('f', ['x'])).message).toMatch(/Required permissions: \(https:\/\/www\.googleapis\.com\/auth\/drive \|\| /);
  });
});
