/** Conformance: DocumentApp, Blob and PDF export (§4, D1–D3). */
import { emulatorWith, thrown } from './helpers';

const code = `
  function letter(templateId, fields) {
    var template = DocumentApp.openById(templateId).getBody();
    var doc = DocumentApp.create('Letter 1 - ' + fields.name);
    var body = doc.getBody();
    body.clear();
    for (var i = 0; i < template.getNumChildren(); i++) {
      var child = template.getChild(i);
      if (child.getType() === DocumentApp.ElementType.PARAGRAPH) body.appendParagraph(child.copy());
    }
    Object.keys(fields).forEach(function (k) { body.replaceText('{{' + k + '}}', fields[k]); });
    doc.saveAndClose();
    return doc.getId();
  }
  function replace(templateId, pattern, replacement) {
    var body = DocumentApp.openById(templateId).getBody();
    body.replaceText(pattern, replacement);
    return body.getText();
  }
  function afterClose() { var d = DocumentApp.create('x'); d.saveAndClose(); d.getBody(); }
  function pdfName(id) { var b = DocumentApp.openById(id).getAs('application/pdf'); return [b.getName(), b.getContentType(), b.getDataAsString().slice(0, 8)]; }
  function staleExport() { var d = DocumentApp.create('Draft'); d.getBody().appendParagraph('new text'); return d.getAs('application/pdf').getDataAsString().indexOf('new text') >= 0; }
  function mailPdf(id) { MailApp.sendEmail({ to: 'p@home.example', subject: 'Letter', body: 'attached', attachments: [DocumentApp.openById(id).getAs(MimeType.PDF)] }); }
  function attachedTwice() { var d = DocumentApp.create('t'); var p = d.getBody().getParagraphs()[0]; d.getBody().appendParagraph(p); }
  function openMissing() { DocumentApp.openById('nope'); }
  function create() { return DocumentApp.create('n').getId(); }
  function tableAndBreak(id) { var b = DocumentApp.openById(id).getBody(); b.appendPageBreak(); b.appendTable([['Date', 'Session'], ['{{d}}', 'AM']]); b.replaceText('{{d}}', '1 Dec'); return [b.getNumChildren(), b.getText()]; }
`;

describe('D2 DocumentApp', () => {
  test('D2.3/D2.4 a letter built from a template: copied paragraphs, {{name}} needs no escaping, replaced per paragraph', () => {
    const emu = emulatorWith(code);
    const tpl = emu.docs.create('Template', ['Dear {{parent}},', '{{child}} attended {{pct}} of sessions.', 'Yours, {{school}}']);
    const id = emu.run<string>('letter', [tpl, { name: 'Aisha', parent: 'Ms Khan', child: 'Aisha', pct: '88.5%', school: 'Hill School' }]);
    expect(emu.docs.get(id)).toMatchObject({ name: 'Letter 1 - Aisha', paragraphs: ['Dear Ms Khan,', 'Aisha attended 88.5% of sessions.', 'Yours, Hill School'], trashed: false });
    expect(emu.docs.get(tpl)!.paragraphs[0]).toBe('Dear {{parent}},'); // the template is untouched
    expect(emu.docs.get(id)!.url).toBe(`https://docs.google.com/document/d/${id}/edit`);
  });
  test('D2.4 a match never spans paragraphs; ^ and $ anchor to the paragraph', () => {
    const emu = emulatorWith(code);
    const id = emu.docs.create('T', ['ab', 'cd']);
    expect(emu.run('replace', [id, 'b\\s*c', 'X'])).toBe('ab\ncd');
    expect(emu.run('replace', [id, '^c', 'C'])).toBe('ab\nCd');
  });
  test('D2.4 Java replacement semantics (INF — unverified): $1 group, \\$ literal, bare $ throws "Illegal group reference"', () => {
    const emu = emulatorWith(code);
    const id = emu.docs.create('T', ['Fee: {{fee}}', 'Name: Smith, John']);
    expect(emu.run('replace', [id, '(\\w+), (\\w+)', '$2 $1'])).toBe('Fee: {{fee}}\nName: John Smith');
    expect(emu.run('replace', [id, '\\{\\{fee\\}\\}', '\\$20'])).toBe('Fee: $20\nName: John Smith');
    const id2 = emu.docs.create('T', ['Fee: {{fee}}']);
    expect(thrown(() => emu.run('replace', [id2, '{{fee}}', '$20.00 + $x'])).message).toMatch(/^No group 2|^Illegal group reference/);
    expect(thrown(() => emu.run('replace', [id2, '{{fee}}', 'US$'])).message).toMatch(/^Illegal group reference/);
  });
  test('D2.4 an illegal replacement does not throw when nothing matches (Java only parses on a match; INF)', () => {
    const emu = emulatorWith(code);
    const id = emu.docs.create('T', ['nothing here']);
    expect(emu.run('replace', [id, '{{fee}}', 'US$'])).toBe('nothing here');
  });
  test('D2.4 RE2 has no back-references or look-around: such patterns throw', () => {
    const emu = emulatorWith(code);
    const id = emu.docs.create('T', ['aa']);
    expect(() => emu.run('replace', [id, '(a)\\1', 'b'])).toThrow(/back-references/);
    expect(() => emu.run('replace', [id, 'a(?=a)', 'b'])).toThrow(/look-around/);
  });
  test('D2.2 using a document after saveAndClose throws (INF text)', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('afterClose')).message).toBe('Document is closed, its contents cannot be updated.');
  });
  test('D2.1/D2.5 openById on a missing id: Google\'s one message for "missing" and "no read access" (RPT: public execution logs)', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('openMissing')).message).toBe("Document nope is missing (perhaps it was deleted, or you don't have read access?)");
  });
  test('E0.4/E0.5 creating more than 250 documents a day (consumer) → "Service invoked too many times for one day: docs create."', () => {
    const emu = emulatorWith(code);
    for (let i = 0; i < 250; i++) emu.run('create');
    expect(thrown(() => emu.run('create')).message).toBe('Service invoked too many times for one day: docs create.');
  });
  test('elements are attached once: appending an attached paragraph throws (INF)', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('attachedTwice')).message).toBe('Element must be detached.');
  });
  test('page breaks and tables are body children; replaceText reaches table cells', () => {
    const emu = emulatorWith(code);
    const id = emu.docs.create('T', ['Intro']);
    expect(emu.run('tableAndBreak', [id])).toEqual([3, 'Intro\n\nDate\tSession\n1 Dec\tAM']);
  });
});

describe('D1/D3 export and blobs', () => {
  test('D1.3 getAs(application/pdf) is named "<doc name>.pdf" and is a PDF', () => {
    const emu = emulatorWith(code);
    const id = emu.docs.create('Letter 2 - Ben', ['Hello']);
    expect(emu.run('pdfName', [id])).toEqual(['Letter 2 - Ben.pdf', 'application/pdf', '%PDF-1.4']);
    const dotted = emu.docs.create('ShoppingList.12.25.2014', ['x']);
    expect((emu.run('pdfName', [dotted]) as string[])[0]).toBe('ShoppingList.12.25.pdf');
  });
  test('D1.3 (RPT) a PDF exported before saveAndClose holds the last saved content (the emulator is strict)', () => {
    const emu = emulatorWith(code);
    expect(emu.run('staleExport')).toBe(false);
  });
  test('a mailed PDF exposes the merged text to tests', () => {
    const emu = emulatorWith(code);
    const tpl = emu.docs.create('Template', ['Dear {{parent}},']);
    const id = emu.run<string>('letter', [tpl, { parent: 'Mr Lee', name: 'Lee' }]);
    emu.run('mailPdf', [id]);
    const att = emu.mail.outbox[0].attachments[0];
    expect(att).toMatchObject({ name: 'Letter 1 - Lee.pdf', contentType: 'application/pdf', text: 'Dear Mr Lee,' });
  });
  test('D3.1 Blob.getBytes gives signed bytes; name null and text/plain for newBlob(string) (XT)', () => {
    const emu = emulatorWith(`function f() { var b = Utilities.newBlob('é'); return [b.getBytes(), b.getName(), b.getContentType(), b.setName('n.txt').getName(), b.copyBlob().getDataAsString()]; }`);
    expect(emu.run('f')).toEqual([[-61, -87], null, 'text/plain', 'n.txt', 'é']);
  });
});
