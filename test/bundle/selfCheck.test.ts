/**
 * SOL Tracker ▸ Check this installation (issue 13) on the built bundle: the report tab in words,
 * dated in the school's format; the trigger's context as the hourly trigger recorded it (with and
 * without its document); a test email to yourself; who cannot open each template; paragraphs;
 * zones; timings; Admin and Attendance Lead only.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { createTemplateDocs } from '../helpers/lettersSchool';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const school = generateSchool(sampleOptions({ students: 120, schoolDays: 40, seed: 4 }));
const al = school.staff.find((s) => s.role === 'AL')!.email;
const ao = school.staff.find((s) => s.role === 'AO')!.email;
const admin = school.staff.find((s) => s.role === 'Admin')!.email;
const tutor = school.staff.find((s) => s.role === 'Tutor')!.email;
const today = school.schoolDays[school.schoolDays.length - 1]!;

function install(opts: { zone?: string; triggerHasDocument?: boolean } = {}): { emu: Emulator; templates: ReturnType<typeof createTemplateDocs> } {
  // The Attendance Lead made the templates: private to her until shared.
  const emu = createEmulator({ account: 'workspace', users: [al, ao, admin, tutor], now: schoolDayNoon(today), spreadsheetTimeZone: opts.zone ?? 'Europe/London', triggerHasDocument: opts.triggerHasDocument ?? true });
  const templates = createTemplateDocs(emu, ['letter1'], ['en']);
  putSampleSchool(emu, { school, settings: { templates, senderName: 'Attendance Team' } });
  loadBuiltProject(emu);
  return { emu, templates };
}

function report(emu: Emulator): { title: string; rows: Record<string, string[]> } {
  const values = tabValues(emu, 'Installation Check').map((r) => r.map(String));
  const rows: Record<string, string[]> = {};
  for (const r of values.slice(3)) if (r[0]) rows[r[0]] = r.slice(1);
  return { title: values[0]![0]!, rows };
}

test('the report: dated in words, each result with what it means and what to do', () => {
  const { emu } = install();
  emu.run('menuCheckInstallation', [], { user: al });
  const { title, rows } = report(emu);
  const [y, m, d] = today.split('-');
  expect(title).toMatch(new RegExp(`^Installation check — ${d}/${m}/${y} \\d\\d:\\d\\d, run by ${al}$`));
  expect(tabValues(emu, 'Installation Check')[2]).toEqual(['Check', 'Result', 'Details', 'What it means', 'What to do']);
  expect(rows['This spreadsheet, from the menu']![0]).toBe('OK');
  expect(rows['The hourly trigger (weekly report)']).toEqual(['Not known yet', expect.stringMatching(/not scheduled/), expect.any(String), expect.stringMatching(/^Schedule the weekly report/)]);
  // The test email went to the person running the check; whether it is in Sent is theirs to see.
  const sent = emu.mail.outbox.filter((m) => m.to === al);
  expect(sent).toHaveLength(1);
  expect(rows['Email to yourself']![0]).toBe('Check by hand');
  expect(rows['Email to yourself']![1]).toContain(sent[0]!.subject);
  expect(rows['Email to yourself']![3]).toMatch(/^Open Gmail as .*: if the test email is in Sent/);
  // The template is the Attendance Lead's own: the Officer and the Admin cannot open it.
  expect(rows['Who can open: Letter 1 (English)']![0]).toBe('Problem');
  expect(rows['Who can open: Letter 1 (English)']![1]).toMatch(new RegExp(`is not shared with ${ao} \\(AO\\), ${admin} \\(Admin\\)\\.$`));
  expect(rows['Paragraphs: Letter 1 (English)']![0]).toBe('OK');
  expect(rows['Paragraphs: Letter 1 (English)']![1]).toMatch(/^\d+ paragraphs; it begins: "/);
  expect(rows['Time zones']).toEqual(['OK', 'The spreadsheet and SOL Tracker both use Europe/London.', expect.any(String), expect.any(String)]);
  expect(rows['Reading the tracker and Register']![1]).toMatch(/^[\d,]+ cells read in [\d.]+ s\.$/);
  expect(rows['Writing a tracker-sized block']![1]).toMatch(/cells written in [\d.]+ s \(on a temporary tab, deleted again\)\.$/);
  expect(rows['One letter']![0]).toBe('OK');
  expect(rows['One letter']![1]).toMatch(/took [\d.]+ s; 100 letters would take about \d+ minute\(s\).*https:\/\/docs\.google\.com\/document\/d\//);
  // The temporary tab is gone; no identifier or ISO timestamp reaches the tab.
  expect(emu.direct(() => emu.spreadsheet.getSheetByName('SOL Check (temporary)'))).toBeNull();
  expect(tabValues(emu, 'Installation Check').flat().join(' ')).not.toMatch(/\d{4}-\d\d-\d\dT|undefined|\[object/);
}, 120_000);

test('shared with the Officer and the Admin, the template is OK; a sheet in another zone is flagged to look at', () => {
  const { emu, templates } = install({ zone: 'Europe/Berlin' });
  emu.direct(() => {
    const doc = emu.services.DocumentApp.openById(templates[0]!.docId);
    doc.addViewer(ao);
    doc.addEditor(admin);
  });
  emu.run('menuCheckInstallation', [], { user: admin });
  const { rows } = report(emu);
  expect(rows['Who can open: Letter 1 (English)']![0]).toBe('OK');
  expect(rows['Time zones']![0]).toBe('Check by hand');
  expect(rows['Time zones']![1]).toBe("The spreadsheet uses Europe/Berlin; SOL Tracker's own clock is Europe/London.");
}, 120_000);

test.each([
  [true, 'OK', /it could read the settings and staff roles; it could lock the spreadsheet/],
  [false, 'Problem', /without its spreadsheet open; it could NOT read the settings and staff roles/],
])('the hourly trigger records what it got (document %s) and the check reports it', async (hasDocument, status, words) => {
  const { emu } = install({ triggerHasDocument: hasDocument });
  await emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], ao);
  emu.fireDueTriggers(new Date(emu.clock.now().getTime() + 2 * 3600 * 1000));
  emu.run('menuCheckInstallation', [], { user: al });
  const row = report(emu).rows['The hourly trigger (weekly report)']!;
  expect(row[0]).toBe(status);
  expect(row[1]).toMatch(new RegExp(`^On \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d the trigger of ${ao} ran`));
  expect(row[1]).toMatch(words);
}, 120_000);

test('only the Attendance Lead and Admin may run it', () => {
  const { emu } = install();
  for (const who of [ao, tutor]) {
    emu.run('menuCheckInstallation', [], { user: who });
    expect(emu.direct(() => emu.spreadsheet.getSheetByName('Installation Check'))).toBeNull();
  }
  expect(emu.ui.toasts.map((t) => t.msg).join(' ')).toMatch(/may not check this installation/);
  expect(emu.mail.outbox).toHaveLength(0);
}, 120_000);
