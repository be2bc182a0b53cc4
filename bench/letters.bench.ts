/**
 * Letters (issue 14 point 3): the modelled wall time of 300 letters, before and after.
 *
 *  - before: the path on main before this change (one sidebar loop, one execution at a time, each
 *    letter made with DocumentApp.create + setText under the lock) measured with this bench on
 *    commit 240b61b: BEFORE_WALL_S below (the README quotes it).
 *  - one sender: today's code with the sidebar's loop run one execution at a time.
 *  - parallel: today's code as the sidebar runs it — a start call, then PARALLEL_SENDERS loops of
 *    sendLetters at once — in the emulator's concurrent runs (executions interleaved at service
 *    calls, each on its own modelled time line). Target: at most 12 minutes for 300.
 * Beside them, the mail-merge baseline (Google's sample pattern) for calls per letter.
 * The school and templates come from test/helpers/lettersSchool.ts, shared with the letter tests.
 */
import { keepLetters, letterSchool, parallelSend, sendAll } from '../test/helpers/lettersSchool';
import { row } from './util';

/** 300 letters on commit 240b61b (before): 663 s per 100 modelled, one execution at a time. */
const BEFORE_WALL_S = 1989;

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

const minutes = (ms: number) => `${(ms / 60000).toFixed(1)} min`;

export async function bench(): Promise<void> {
  // one sender (sequential calls)
  const seq = letterSchool();
  await keepLetters(seq.emu, seq.al, 300);
  seq.emu.calls.reset();
  const t0 = seq.emu.clock.now().getTime();
  const responses = await sendAll(seq.emu, seq.al);
  const seqWall = seq.emu.clock.now().getTime() - t0;
  const sent = responses[responses.length - 1]!.sent;
  const calls = seq.emu.calls.total();
  const snapshot = seq.emu.calls.snapshot();

  // parallel senders (the sidebar)
  const par = letterSchool();
  await keepLetters(par.emu, par.al, 300);
  par.emu.calls.reset();
  const p = parallelSend(par.emu, [par.al], { workers: 4, seed: 1 });
  const parSent = par.emu.mail.outbox.length;
  const parCalls = par.emu.calls.total();
  const dup = parSent - new Set(par.emu.mail.outbox.map((m) => /Ref (L-[0-9A-F]{8})$/.exec(m.body)?.[1])).size;

  // the baseline in a fresh emulator of the same school (so quotas and sheets start equal)
  const base = letterSchool();
  base.emu.loadSources({
    'appsscript.json': JSON.stringify({ timeZone: 'Europe/London', runtimeVersion: 'V8', oauthScopes: ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/documents', 'https://www.googleapis.com/auth/script.send_mail'] }),
    'Code.js': BASELINE_SOURCE,
  });
  const baseTemplate = base.templates.find((t) => t.letterId === 'letter1' && t.language === 'en')!;
  base.emu.calls.reset();
  let baseSent = 0;
  let baseCalls = 0;
  let baseMs = 0;
  while (baseSent < 100) {
    const c0 = base.emu.calls.total();
    const m0 = base.emu.modelledMs();
    const n = base.emu.run<number>('baselineMerge', [baseTemplate.docId, Math.min(40, 100 - baseSent)]);
    baseSent += n;
    baseCalls += base.emu.calls.total() - c0;
    baseMs += base.emu.modelledMs() - m0;
    if (n === 0) break;
  }

  row('', 'letters', 'wall time (modelled)', 'calls/letter', 'executions');
  row('before (240b61b: one execution at a time, plain text)', 300, `${minutes(BEFORE_WALL_S * 1000)} (recorded)`, '10.5', '8');
  row('now, one sender (sequential calls)', sent, minutes(seqWall), (calls / sent).toFixed(1), responses.length);
  row('now, sidebar: 4 parallel senders (target ≤ 12 min)', parSent, minutes(p.wallMs), (parCalls / parSent).toFixed(1), p.responses.length);
  row('mail-merge sample pattern, per 100 (baseline)', baseSent, minutes((baseMs / baseSent) * 300), (baseCalls / baseSent).toFixed(1), Math.ceil(baseSent / 40));
  console.log(`\nparallel run: ${parSent} emails for 300 letters, ${dup} duplicate(s), ${300 - parSent} lost; ${parCalls} service calls in all.`);
  const perLetter = Object.entries(snapshot)
    .map(([k, v]) => [k, v / sent] as const)
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  console.log('\nsendLetters calls per letter (one sender), by method (≥ 0.05):');
  for (const [k, v] of perLetter) row(`  ${k}`, v.toFixed(2));
}
