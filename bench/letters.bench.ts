/**
 * Issue "Generate letters": Apps Script calls per letter and modelled time per 100 letters, for
 * sendLetters on the built bundle, beside a baseline written the way Google's mail-merge sample
 * works (a service call per cell read, the template read again for every row, the document filled
 * with one replaceText per field, a setValue of the status per row) — both run in the same
 * emulator with the same latency table. Aim: at most 8 calls per letter.
 *
 * The school and templates come from test/helpers/lettersSchool.ts, shared with the letter tests.
 */
import { letterSchool, sendAll } from '../test/helpers/lettersSchool';
import { row } from './util';

const BASELINE_SOURCE = `
function baselineMerge(templateId, count) {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('SOL Tracker');
  var header = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0];
  var col = function (name) { return header.indexOf(name) + 1; };
  var statusCol = col('Letters');
  var sent = 0;
  for (var r = 2; sent < count && r <= sheet.getLastRow(); r++) {
    var email = sheet.getRange(r, col('Parent Email')).getValue();
    if (!email) continue;
    var values = {
      'Student name': sheet.getRange(r, col('Student Name')).getValue(),
      'Parent/Guardian name': sheet.getRange(r, col('Parent/Guardian Name')).getValue(),
      'Tutor group': sheet.getRange(r, col('Tutor Group')).getValue(),
      'Year group': sheet.getRange(r, col('Year Group')).getValue(),
      'Attendance %': sheet.getRange(r, col('Attendance %')).getValue() || '94.0%',
      'Review date': '7 December 2026', 'Date': '23 November 2026', 'School name': 'Hillside', 'Staff name': 'Ms Lead'
    };
    var template = DocumentApp.openById(templateId).getBody().getParagraphs();
    var doc = DocumentApp.create('Letter for ' + values['Student name']);
    var body = doc.getBody();
    for (var p = 0; p < template.length; p++) body.appendParagraph(template[p].getText());
    for (var key in values) body.replaceText('{{' + key + '}}', String(values[key]));
    var id = doc.getId();
    doc.saveAndClose();
    var pdf = DocumentApp.openById(id).getAs('application/pdf');
    MailApp.sendEmail(email, 'Attendance of ' + values['Student name'], 'Please find the letter attached.', { attachments: [pdf] });
    sheet.getRange(r, statusCol).setValue('Sent');
    sent++;
  }
  return sent;
}
`;

export async function bench(): Promise<void> {
  const { emu, al, templates } = letterSchool();

  emu.calls.reset();
  const before = emu.modelledMs();
  const responses = await sendAll(emu, al);
  const sent = responses[responses.length - 1]!.sent;
  const calls = emu.calls.total();
  const ms = emu.modelledMs() - before;
  const snapshot = emu.calls.snapshot();

  // The baseline in a fresh emulator of the same school (so quotas and sheets start equal).
  const base = letterSchool();
  base.emu.loadSources({
    'appsscript.json': JSON.stringify({ timeZone: 'Europe/London', runtimeVersion: 'V8', oauthScopes: ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/documents', 'https://www.googleapis.com/auth/script.send_mail'] }),
    'Code.js': BASELINE_SOURCE,
  });
  const baseTemplate = templates.find((t) => t.letterId === 'letter1' && t.language === 'en')!;
  base.emu.calls.reset();
  let baseSent = 0;
  let baseCalls = 0;
  let baseMs = 0;
  // 40 letters per execution keeps the baseline inside the 6-minute limit.
  while (baseSent < 100) {
    const c0 = base.emu.calls.total();
    const m0 = base.emu.modelledMs();
    const n = base.emu.run<number>('baselineMerge', [baseTemplate.docId, Math.min(40, 100 - baseSent)]);
    baseSent += n;
    baseCalls += base.emu.calls.total() - c0;
    baseMs += base.emu.modelledMs() - m0;
    if (n === 0) break;
  }

  row('', 'letters', 'calls', 'calls/letter', 'modelled s/100', 'executions');
  row('sendLetters (this add-on)', sent, calls, (calls / sent).toFixed(2), ((ms / sent) * 100 / 1000).toFixed(1), responses.length);
  row('mail-merge sample pattern (baseline)', baseSent, baseCalls, (baseCalls / baseSent).toFixed(2), ((baseMs / baseSent) * 100 / 1000).toFixed(1), Math.ceil(baseSent / 40));
  const perLetter = Object.entries(snapshot)
    .map(([k, v]) => [k, v / sent] as const)
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  console.log('\nsendLetters calls per letter, by method (≥ 0.05):');
  for (const [k, v] of perLetter) row(`  ${k}`, v.toFixed(2));
}
