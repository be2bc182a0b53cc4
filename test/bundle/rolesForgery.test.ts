/**
 * Roles nobody can forge (issue 12 §1), on the built bundle:
 * - the first set-up belongs to the spreadsheet's owner, once; before it nobody else has a role;
 * - a tutor who edits, renames or deletes Settings, clears the [Staff] marker, or types in a
 *   protected tab gains nothing and locks nobody out;
 * - the staff list lives in document properties, chunked under the 9 KB per-value limit, saved
 *   all-or-nothing; an empty list or one without an AL/Admin is refused; every change is logged;
 * - a stale Settings form is refused with what changed;
 * - every function google.script.run can reach checks the caller: a stranger learns nothing and
 *   changes nothing; ATTEND_TIER called outside a cell applies the caller's scope.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { PROTECTED_CELL_MESSAGE } from '../../emulator/spreadsheet/protection';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';
import fs from 'node:fs';
import path from 'node:path';

interface StaffRow { email: string; name: string; role: string; yearGroup: string; tutorGroup: string }
interface SettingsView { schoolName: string; presetId: string; staff: StaffRow[]; templates: unknown[]; codeOverrides: object }
interface SaveResponse { ok: boolean; errors: { field: string; message: string }[]; settings: SettingsView }
interface Boot { user: { role: string | null }; can: Record<string, boolean> }

const OWNER = 'owner@school.example';
const school = generateSchool(sampleOptions({ students: 300, schoolDays: 30 }));
const staffWith = (role: string) => school.staff.find((s) => s.role === role)!;
const TUTOR = staffWith('Tutor');
const AL = staffWith('AL').email;
const ADMIN = staffWith('Admin').email;

function newSchool(opts: { unclaimed?: boolean } = {}): Emulator {
  const emu = createEmulator({ users: [OWNER, ...school.staff.map((s) => s.email)], now: schoolDayNoon(school.schoolDays[29]) });
  putSampleSchool(emu, { school, unclaimed: opts.unclaimed });
  loadBuiltProject(emu);
  return emu;
}

const role = async (emu: Emulator, email: string) => ((await emu.rpc('getBootstrap', [], email)) as Boot).user.role;
const errorOf = (p: Promise<unknown>) => p.then(() => '', (e: Error) => e.message);
const rowsAsStaff = (v: SettingsView) => v.staff.map((s) => ({ ...s }));

describe('the first set-up belongs to the owner, once', () => {
  const emu = newSchool({ unclaimed: true });

  test('before it, the staff typed on the Settings tab give nobody a role — not even the AL listed there', async () => {
    for (const email of [TUTOR.email, AL, ADMIN]) expect(await role(emu, email)).toBeNull();
    expect(await errorOf(emu.rpc('runSetup', [], TUTOR.email))).toMatch(/not set up in this spreadsheet yet.*Only the spreadsheet's owner/);
    expect(await errorOf(emu.rpc('getSettings', [], AL))).toMatch(/not set up in this spreadsheet yet/);
    expect(await errorOf(emu.rpc('importRegister', [{ fileName: 'a.csv', csvText: 'x', onlyValidRows: false }], ADMIN))).toMatch(/not set up|Nothing was imported/);
  });

  test('a made-up onInstall call does not make an editor the installer where the spreadsheet has an owner', async () => {
    await emu.rpc('onInstall', [{ authMode: 'FULL' }], TUTOR.email);
    expect(emu.properties.document()['sol.installer']).toBeUndefined();
    expect(await role(emu, TUTOR.email)).toBeNull();
  });

  test('the owner sees the staff list it will store, sets up, and from then on roles come from the stored list', async () => {
    const preview = (await emu.rpc('previewSetup', [], OWNER)) as { willCreate: string[] };
    expect(preview.willCreate[0]).toMatch(/Store the staff list where only the add-on writes it \(\d+ people: .*AL /);
    await emu.rpc('runSetup', [], OWNER);
    expect(await role(emu, AL)).toBe('AL');
    expect(await role(emu, TUTOR.email)).toBe('Tutor');
    const changes = tabValues(emu, 'Staff Changes');
    expect(changes[0]).toEqual(['Change', 'When', 'Changed by', 'Staff email', 'Name', 'Old role', 'New role', 'What changed']);
    expect(changes.slice(1).map((r) => r[3]).sort()).toEqual(school.staff.map((s) => s.email.toLowerCase()).concat(school.staff.some((s) => s.email === OWNER) ? [] : [OWNER]).sort());
    expect(changes[1].slice(0, 3)).toEqual(['1', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/), OWNER]);
    // Once: a second run stores nothing new.
    const before = emu.properties.document();
    await emu.rpc('runSetup', [], OWNER);
    expect(emu.properties.document()).toEqual(before);
  });

  test('the add-on tabs carry real protections limited to the owner and the roles that write them', () => {
    const editors = (name: string) => emu.direct(() => {
      const p = emu.spreadsheet.getSheetByName(name)!.getProtections(emu.services.SpreadsheetApp.ProtectionType.SHEET)[0];
      return { warningOnly: p.isWarningOnly(), editors: p.getEditors().map((u: { getEmail(): string }) => u.getEmail()).sort() };
    });
    const leads = school.staff.filter((s) => s.role === 'AL' || s.role === 'Admin').map((s) => s.email);
    const importers = school.staff.filter((s) => ['AO', 'AL', 'Admin'].includes(s.role)).map((s) => s.email);
    for (const tab of ['Settings', 'Staff Changes', 'Letters Ledger']) expect(editors(tab)).toEqual({ warningOnly: false, editors: [OWNER, ...leads].sort() });
    for (const tab of ['Register', 'Register Amendments']) expect(editors(tab)).toEqual({ warningOnly: false, editors: [OWNER, ...importers].sort() });
    // The log stays open to tutors (they log contacts from their own accounts).
    expect(editors('Interventions Log').warningOnly).toBe(true);
  });
});

describe('a tutor who edits, renames or deletes Settings gains nothing and locks nobody out', () => {
  const emu = newSchool();

  beforeAll(async () => {
    await emu.rpc('runSetup', [], OWNER); // protections on
  });

  async function unchanged(): Promise<void> {
    expect(await role(emu, TUTOR.email)).toBe('Tutor');
    expect(await errorOf(emu.rpc('getSettings', [], TUTOR.email))).toMatch(/role Tutor, which may not change settings/);
    expect(await role(emu, AL)).toBe('AL');
    expect(((await emu.rpc('getSettings', [], AL)) as SettingsView).staff.length).toBe(school.staff.length);
  }

  const settingsRowOf = (email: string) => tabValues(emu, 'Settings').findIndex((r) => String(r[0]).toLowerCase() === email.toLowerCase()) + 1;

  test('typing into the protected Settings tab is refused by Sheets', () => {
    expect(() => emu.userEdit('Settings', `C${settingsRowOf(TUTOR.email)}`, 'AL', TUTOR.email)).toThrow(PROTECTED_CELL_MESSAGE);
  });

  test('editing the staff copy (where protection was removed) changes nobody\'s role', async () => {
    emu.direct(() => emu.spreadsheet.getSheetByName('Settings')!.getRange(`C${settingsRowOf(TUTOR.email)}`).setValue('AL'));
    await unchanged();
    // Clearing the [Staff] marker, or leaving only oneself, changes nothing either.
    emu.direct(() => {
      const values = emu.spreadsheet.getSheetByName('Settings')!.getDataRange().getValues();
      const marker = values.findIndex((r) => r[0] === '[Staff]') + 1;
      emu.spreadsheet.getSheetByName('Settings')!.getRange(marker, 1).setValue('');
    });
    await unchanged();
  });

  test('a bad cell keeps the last valid settings and every role', async () => {
    emu.direct(() => {
      const sheet = emu.spreadsheet.getSheetByName('Settings')!;
      const r = sheet.getDataRange().getValues().findIndex((row) => row[0] === 'Policy preset') + 1;
      sheet.getRange(r, 2).setValue('no-such-policy');
    });
    await unchanged();
  });

  test('renaming, then deleting, the Settings tab keeps the last valid settings and every role', async () => {
    emu.direct(() => emu.spreadsheet.getSheetByName('Settings')!.setName('Old settings'));
    await unchanged();
    expect(((await emu.rpc('getSettings', [], AL)) as SettingsView).presetId).toBe('uk-secondary-sol');
    emu.direct(() => emu.spreadsheet.deleteSheet(emu.spreadsheet.getSheetByName('Old settings')!));
    await unchanged();
    const boot = (await emu.rpc('getBootstrap', [], 'stranger@school.example')) as Boot;
    expect(boot.user.role).toBeNull();
    expect(Object.values(boot.can).some(Boolean)).toBe(false);
  });

  test('a tutor cannot save a staff list of their own; the AL saves and the tab comes back', async () => {
    const mine = [{ email: TUTOR.email, name: TUTOR.name, role: 'Admin', yearGroup: '', tutorGroup: '' }];
    expect(await errorOf(emu.rpc('saveSettings', [{ staff: mine, base: { staff: [] } }], TUTOR.email))).toMatch(/may not change settings/);
    const view = (await emu.rpc('getSettings', [], AL)) as SettingsView;
    const res = (await emu.rpc('saveSettings', [{ schoolName: view.schoolName, base: view }], AL)) as SaveResponse;
    expect(res.ok).toBe(true);
    expect(tabValues(emu, 'Settings').some((r) => r[0] === '[Staff]')).toBe(true);
    await unchanged();
  });
});

describe('after a tutor tried everything: nothing gained, nobody else lost anything', () => {
  const emu = newSchool();
  const everyRole = async () => Object.fromEntries(await Promise.all(school.staff.map(async (m) => [m.email, await role(emu, m.email)] as const)));
  const tutorMay = async () => ({
    settings: await errorOf(emu.rpc('getSettings', [], TUTOR.email)),
    save: await errorOf(emu.rpc('saveSettings', [{ staff: [{ email: TUTOR.email, name: 'T', role: 'Admin', yearGroup: '', tutorGroup: '' }], base: { staff: [] } }], TUTOR.email)),
    send: await errorOf(emu.rpc('sendLetters', [{ runId: null }], TUTOR.email)),
    plan: await errorOf(emu.rpc('getLetterPlan', [], TUTOR.email)),
    importing: await errorOf(emu.rpc('importRegister', [{ fileName: 'a.csv', csvText: 'x', onlyValidRows: true }], TUTOR.email)),
    policy: await errorOf(emu.rpc('savePolicy', [{ draft: {} }], TUTOR.email)),
    schedule: await errorOf(emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], TUTOR.email)),
  });

  test('typing into every protected tab is refused; Settings edited, its marker cleared, renamed and deleted: the tutor may do exactly what a tutor may, and every member of staff keeps their role', async () => {
    await emu.rpc('runSetup', [], OWNER);
    const rolesBefore = await everyRole();
    const mayBefore = await tutorMay();
    for (const v of Object.values(mayBefore)) expect(v).toMatch(/role Tutor, which may not/);
    // Every tab only the add-on (and the leads) write refuses the tutor's typing.
    for (const tab of ['Settings', 'Staff Changes', 'Letters Ledger', 'Register', 'Register Amendments']) {
      const exists = emu.direct(() => emu.spreadsheet.getSheetByName(tab) !== null);
      if (!exists) continue;
      expect(() => emu.userEdit(tab, 'B2', 'AL', TUTOR.email)).toThrow(PROTECTED_CELL_MESSAGE);
    }
    // Where protection was taken off: the role typed, the [Staff] marker cleared, the tab renamed, then deleted.
    emu.direct(() => {
      const sheet = emu.spreadsheet.getSheetByName('Settings')!;
      const values = sheet.getDataRange().getValues();
      const mine = values.findIndex((r) => String(r[0]).toLowerCase() === TUTOR.email.toLowerCase()) + 1;
      if (mine > 0) sheet.getRange(mine, 3).setValue('Admin');
      const marker = values.findIndex((r) => r[0] === '[Staff]') + 1;
      if (marker > 0) sheet.getRange(marker, 1).setValue('');
    });
    expect(await everyRole()).toEqual(rolesBefore);
    expect(await tutorMay()).toEqual(mayBefore);
    emu.direct(() => emu.spreadsheet.getSheetByName('Settings')!.setName('Mine now'));
    expect(await everyRole()).toEqual(rolesBefore);
    expect(await tutorMay()).toEqual(mayBefore);
    emu.direct(() => emu.spreadsheet.deleteSheet(emu.spreadsheet.getSheetByName('Mine now')!));
    expect(await everyRole()).toEqual(rolesBefore);
    expect(await tutorMay()).toEqual(mayBefore);
    // The leads keep everything: the AL still reads and saves settings (the tab comes back), and plans letters.
    const view = (await emu.rpc('getSettings', [], AL)) as SettingsView;
    expect(view.staff.length).toBe(school.staff.length);
    expect(((await emu.rpc('saveSettings', [{ schoolName: view.schoolName, base: view }], AL)) as SaveResponse).ok).toBe(true);
    expect(await errorOf(emu.rpc('getLetterPlan', [], AL))).toBe('');
    expect(await everyRole()).toEqual(rolesBefore);
  });
});

describe('the staff store: chunked, all-or-nothing, never empty, every change logged', () => {
  const emu = newSchool();
  const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

  test('72 staff with long addresses (over 9 KB) are saved in chunks none of which exceeds 9 KB', async () => {
    const view = (await emu.rpc('getSettings', [], AL)) as SettingsView;
    const extra = Array.from({ length: 72 - view.staff.length }, (_, i) => ({
      email: `firstname.middlename-lastname.${String(i).padStart(2, '0')}@long-academy-trust-school-name.example.org.uk`,
      name: `Firstname Middlename Lastname-Longname ${i}`, role: 'Tutor', yearGroup: '', tutorGroup: `${7 + (i % 5)}${'ABCDEF'[i % 6]}`,
    }));
    const res = (await emu.rpc('saveSettings', [{ staff: [...rowsAsStaff(view), ...extra], base: view }], AL)) as SaveResponse;
    expect(res.errors).toEqual([]);
    expect(res.settings.staff).toHaveLength(72);
    const props = emu.properties.document();
    const total = Object.entries(props).reduce((n, [k, v]) => n + utf8(k) + utf8(v), 0);
    const record = Object.entries(props).filter(([k]) => k.startsWith('sol.config'));
    expect(record.map(([, v]) => utf8(v)).reduce((a, b) => a + b, 0)).toBeGreaterThan(9 * 1024);
    for (const [, v] of Object.entries(props)) expect(utf8(v)).toBeLessThanOrEqual(9 * 1024);
    expect(total).toBeLessThan(500 * 1024);
    expect(await role(emu, extra[5].email)).toBe('Tutor');
  });

  test('a failed store (at its commit, or at the tab write after it) changes nothing, and says so in a sentence', async () => {
    const view = (await emu.rpc('getSettings', [], AL)) as SettingsView;
    const fewer = rowsAsStaff(view).filter((s) => s.role !== 'Tutor');
    const before = { props: emu.properties.document(), tab: tabValues(emu, 'Settings') };
    for (const method of ['PropertiesService.Properties.setProperty', 'PropertiesService.Properties.setProperties', 'SpreadsheetApp.Range.setValues']) {
      emu.faults.inject(method, { nth: 1, error: 'Service unavailable: Properties' });
      const res = (await emu.rpc('saveSettings', [{ staff: fewer, base: view }], AL)) as SaveResponse;
      emu.faults.clear();
      expect(res.ok).toBe(false);
      expect(res.errors[0].message).toMatch(/nothing was (saved|changed)|Nothing was changed/i);
      expect(res.errors[0].message).not.toMatch(/Service unavailable|Exception|undefined/);
      expect(((await emu.rpc('getSettings', [], AL)) as SettingsView).staff).toHaveLength(72);
      expect(tabValues(emu, 'Settings')).toEqual(before.tab);
    }
    // Leftover chunks of a failed generation are cleaned by the next save.
    expect(Object.keys(before.props).every((k) => k in emu.properties.document())).toBe(true);
  });

  test('an empty staff list, or one without an AL or Admin, is refused', async () => {
    const view = (await emu.rpc('getSettings', [], AL)) as SettingsView;
    const empty = (await emu.rpc('saveSettings', [{ staff: [], base: view }], AL)) as SaveResponse;
    expect(empty.errors[0].message).toMatch(/cannot be empty/);
    const noLead = (await emu.rpc('saveSettings', [{ staff: rowsAsStaff(view).map((s) => ({ ...s, role: 'Tutor' })), base: view }], AL)) as SaveResponse;
    expect(noLead.errors[0].message).toMatch(/at least one Attendance Lead \(AL\) or Admin/);
    expect(await role(emu, AL)).toBe('AL');
  });

  test('a role change is logged: who, when, old role, new role', async () => {
    const view = (await emu.rpc('getSettings', [], ADMIN)) as SettingsView;
    const staff = rowsAsStaff(view).map((s) => (s.email === TUTOR.email.toLowerCase() ? { ...s, role: 'HOY', yearGroup: '9' } : s));
    const res = (await emu.rpc('saveSettings', [{ staff, base: view }], ADMIN)) as SaveResponse;
    expect(res.ok).toBe(true);
    const last = tabValues(emu, 'Staff Changes').filter((r) => r[3] === TUTOR.email.toLowerCase()).pop()!;
    expect(last.slice(2, 7)).toEqual([ADMIN.toLowerCase(), TUTOR.email.toLowerCase(), TUTOR.name, 'Tutor', 'HOY']);
    expect(String(last[1])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(await role(emu, TUTOR.email)).toBe('HOY');
  });

  test('a stale form is refused with what changed: a removed member of staff does not come back', async () => {
    const adminForm = (await emu.rpc('getSettings', [], ADMIN)) as SettingsView;
    const alForm = (await emu.rpc('getSettings', [], AL)) as SettingsView;
    const removed = alForm.staff.find((s) => s.role === 'Tutor')!;
    const saved = (await emu.rpc('saveSettings', [{ staff: rowsAsStaff(alForm).filter((s) => s.email !== removed.email), base: alForm }], AL)) as SaveResponse;
    expect(saved.ok).toBe(true);
    const stale = (await emu.rpc('saveSettings', [{ staff: rowsAsStaff(adminForm), schoolName: 'Renamed', base: adminForm }], ADMIN)) as SaveResponse;
    expect(stale.ok).toBe(false);
    expect(stale.errors[0].message).toContain(`Someone saved the settings after you opened this form: ${removed.email} was removed.`);
    expect(await role(emu, removed.email)).toBeNull();
    // Without a base a staff change is refused too (it might undo someone's change).
    const blind = (await emu.rpc('saveSettings', [{ staff: rowsAsStaff(adminForm) }], ADMIN)) as SaveResponse;
    expect(blind.errors[0].message).toMatch(/Reload the settings before changing staff/);
  });

  test('saving keeps other content on the Settings tab', async () => {
    emu.direct(() => {
      const sheet = emu.spreadsheet.getSheetByName('Settings')!;
      sheet.getRange(2, 6).setValue('Governors asked us to keep this note');
      sheet.appendRow(['[Bus routes]', 'Route 7 leaves at 15:20']);
    });
    const view = (await emu.rpc('getSettings', [], AL)) as SettingsView;
    const res = (await emu.rpc('saveSettings', [{ schoolName: 'Hillside', base: view }], AL)) as SaveResponse;
    expect(res.errors).toEqual([]);
    expect(res.ok).toBe(true);
    const tab = tabValues(emu, 'Settings');
    expect(tab[1][5]).toBe('Governors asked us to keep this note');
    expect(tab.some((r) => r[0] === '[Bus routes]' && r[1] === 'Route 7 leaves at 15:20')).toBe(true);
    expect(tab.find((r) => r[0] === 'School name')?.[1]).toBe('Hillside');
  });
});

describe('every function google.script.run can reach checks the caller', () => {
  const emu = newSchool();
  const code = fs.readFileSync(path.resolve(__dirname, '../../dist/Code.js'), 'utf8');
  const functions = [...code.matchAll(/^function ([A-Za-z0-9_]+)\(/gm)].map((m) => m[1]).filter((n) => !n.endsWith('_'));
  const pupil = school.students[0];
  const tutorsPupil = school.students.find((s) => s.tutorGroup === TUTOR.tutorGroup)!;
  const otherPupil = school.students.find((s) => s.tutorGroup !== TUTOR.tutorGroup && s.yearGroup !== TUTOR.yearGroup)!;
  const request = {
    studentId: pupil.studentId, query: pupil.name.slice(0, 3), key: `${pupil.studentId}|letter1|x|y`, runId: null, day: 'MONDAY', hour: 7,
    fileName: 'marks.csv', csvText: 'student_id,date,session,code\n', onlyValidRows: true, method: 'Phone call', outcome: 'No answer', nextAction: '', notes: '',
    reason: 'x', decision: 'markSent', staff: [{ email: 'stranger@school.example', name: 'S', role: 'Admin', yearGroup: '', tutorGroup: '' }], schoolName: 'Hacked', base: { staff: [] },
  };
  const state = () => ({
    tabs: emu.direct(() => emu.spreadsheet.getSheets().map((s) => [s.getName(), s.getDataRange().getValues()])),
    props: emu.properties.document(),
    mail: emu.mail.outbox.length,
    docs: emu.docs.all().length,
  });

  test('the bundle exposes the functions we expect to check', () => {
    expect(functions).toEqual(expect.arrayContaining(['getStudent', 'logContact', 'saveSettings', 'sendLetters', 'ATTEND_TIER', 'onEdit', 'weeklyReportTrigger', 'menuSetup']));
  });

  test('a stranger calling any of them learns nothing about any pupil and changes nothing', async () => {
    const before = state();
    const secrets = school.students.flatMap((s) => [s.name]).filter((n) => n.length > 4);
    for (const fn of functions) {
      const args = fn.startsWith('ATTEND_') ? [pupil.studentId] : fn === 'onEdit' ? [{ range: { rowStart: 2 }, value: 'Yes' }] : [request];
      const out = await emu.rpc(fn, args, 'stranger@school.example').then((r) => JSON.stringify(r) ?? '', (e: Error) => e.message);
      for (const name of secrets) if (out.includes(name)) throw new Error(`${fn} revealed "${name}" to a stranger: ${out.slice(0, 200)}`);
      expect(out).not.toMatch(/Step \d/);
      expect(out).not.toMatch(/is not a function|Cannot read|undefined|\[object Object\]/);
    }
    expect(state()).toEqual(before);
  });

  test('ATTEND_TIER called outside a cell reveals no pupil: by ID it needs SOL_UPDATED (a Date, which google.script.run cannot carry), and the caller\'s scope still applies', async () => {
    // One argument: an ID is not an attendance figure — the refusal names no pupil and no step.
    for (const pupil of [tutorsPupil, otherPupil]) {
      const refused = await errorOf(emu.rpc('ATTEND_TIER', [pupil.studentId], TUTOR.email));
      expect(refused).toMatch(/is not an attendance figure/);
      expect(refused).not.toMatch(/Step \d/);
      expect(refused).not.toContain(pupil.name);
    }
    // A made-up second argument is refused the same way for a pupil in scope and one outside it.
    const mine = await errorOf(emu.rpc('ATTEND_TIER', [tutorsPupil.studentId, 'x'], TUTOR.email));
    const other = await errorOf(emu.rpc('ATTEND_TIER', [otherPupil.studentId, 'x'], TUTOR.email));
    expect(mine).toMatch(/SOL_UPDATED/); // never written yet here, or not the stamp: either way no pupil and no step
    expect(other).toBe(mine);
    const grid = await emu.rpc('ATTEND_TIER', [[[otherPupil.studentId], [tutorsPupil.studentId]]], TUTOR.email).then((r) => JSON.stringify(r), (e: Error) => e.message);
    expect(grid).not.toMatch(/Step \d/);
  });
});
