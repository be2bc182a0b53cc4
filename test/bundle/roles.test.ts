/**
 * Roles on the built bundle (seed 000 §3.5): getBootstrap's capabilities per role, server-side
 * refusals, and getSettings / saveSettings (AL and Admin; per-field validation; the last valid
 * settings stay in force).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject as loadProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');

interface SettingsView { schoolName: string; presetId: string; staff: { email: string; role: string }[]; columnMapping: string[]; presets: { id: string }[]; templates: unknown[]; codeOverrides: object }
interface SaveResponse { ok: boolean; errors: { field: string; message: string }[]; settings: SettingsView }

describe('roles', () => {
  const school = generateSchool(sampleOptions({ students: 1000, schoolDays: 60 }));
  const who = (role: string) => school.staff.find((s) => s.role === role)!.email;
  const emu = createEmulator({ users: ['owner@school.example', who('Admin'), who('AO'), who('Tutor'), who('HOY'), who('AL')], now: schoolDayNoon(school.schoolDays[59]) });
  putSampleSchool(emu, { school });
  loadProject(emu);

  test.each([
    ['Tutor', { logContact: true, generateLetters: false, schedule: false, runReport: false, recalculate: false, settings: false, import: false, policy: false, reviewDate: false }],
    // The README's roles table: a Head of Year runs their year's report and recalculates (issue 11).
    ['HOY', { logContact: true, generateLetters: false, schedule: false, runReport: true, recalculate: true, settings: false, import: false, policy: false, reviewDate: true }],
    ['AO', { logContact: true, generateLetters: true, schedule: true, runReport: true, recalculate: true, settings: false, import: true, policy: false, reviewDate: true }],
    ['AL', { logContact: true, generateLetters: true, schedule: true, runReport: true, recalculate: true, settings: true, import: true, policy: true, reviewDate: true }],
    ['Admin', { logContact: true, generateLetters: true, schedule: true, runReport: true, recalculate: true, settings: true, import: true, policy: true, reviewDate: true }],
  ])('getBootstrap for a %s', async (role, can) => {
    const boot = (await emu.rpc('getBootstrap', [], who(role))) as { user: { email: string; role: string; name: string }; can: object; today: string; schoolName: string };
    expect(boot.user).toMatchObject({ email: who(role), role });
    expect(boot.user.name).not.toBe('');
    expect(boot.can).toEqual(can);
    expect(boot.today).toBe(school.schoolDays[59]);
    expect(boot.schoolName).toBe(school.name);
  });

  test('someone not in the Staff table gets no role and no capabilities, and every action refuses them', async () => {
    const boot = (await emu.rpc('getBootstrap', [], 'stranger@elsewhere.example')) as { user: { role: null }; can: Record<string, boolean> };
    expect(boot.user.role).toBeNull();
    expect(Object.values(boot.can).every((v) => v === false)).toBe(true);
    await expect(emu.rpc('getTodayCalls', [], 'stranger@elsewhere.example')).rejects.toThrow(/not in the Settings → Staff table/);
    await expect(emu.rpc('logContact', [{ studentId: school.students[0].studentId, method: 'Phone call', outcome: 'No answer', nextAction: '', notes: '' }], 'stranger@elsewhere.example')).rejects.toThrow(/not in the Settings → Staff table/);
  });

  test('a Tutor may not read or change settings, nor run setup', async () => {
    await expect(emu.rpc('getSettings', [], who('Tutor'))).rejects.toThrow(/role Tutor, which may not change settings; only AL, Admin can/);
    await expect(emu.rpc('saveSettings', [{ schoolName: 'Hacked' }], who('Tutor'))).rejects.toThrow(/may not change settings/);
    await expect(emu.rpc('runSetup', [], who('Tutor'))).rejects.toThrow(/may not set up the tracker/);
  });

  test('getSettings shows the settings in force and the column mapping', async () => {
    const view = (await emu.rpc('getSettings', [], who('Admin'))) as SettingsView;
    expect(view.schoolName).toBe(school.name);
    expect(view.presets.map((p) => p.id)).toContain('uk-secondary-sol');
    expect(view.columnMapping[0]).toBe('Student ID ← column A "Student ID"');
    expect(view.staff).toHaveLength(school.staff.length);
  });

  test('invalid values are reported per field and nothing is written', async () => {
    const before = tabValues(emu, 'Settings');
    const staff = [{ email: 'not-an-email', name: 'X', role: 'Tutor', yearGroup: '7', tutorGroup: '7A' }];
    const res = (await emu.rpc('saveSettings', [{ presetId: 'no-such-policy', staff, schoolName: '' }], who('AL'))) as SaveResponse;
    expect(res.ok).toBe(false);
    expect(res.errors).toEqual(
      expect.arrayContaining([
        { field: 'presetId', message: expect.stringMatching(/"no-such-policy" is not a known preset/) },
        { field: 'schoolName', message: expect.stringMatching(/must not be blank/) },
        { field: 'staff.0.email', message: expect.stringMatching(/"not-an-email" is not an email address/) },
      ]),
    );
    expect(res.settings.presetId).toBe('uk-secondary-sol');
    expect(tabValues(emu, 'Settings')).toEqual(before);
    const tz = (await emu.rpc('saveSettings', [{ timeZone: 'Asia/Tokyo' }], who('AL'))) as SaveResponse;
    expect(tz.errors[0].field).toBe('timeZone');
  });

  test('a valid save writes the tab once, drops removed staff rows, and the last valid settings stay in force when the tab is broken', async () => {
    const keep = school.staff.filter((s) => s.role !== 'Tutor').map((s) => ({ email: s.email, name: s.name, role: s.role, yearGroup: s.yearGroup ?? '', tutorGroup: s.tutorGroup ?? '' }));
    const base = (await emu.rpc('getSettings', [], who('Admin'))) as SettingsView;
    emu.calls.reset();
    const res = (await emu.rpc('saveSettings', [{ schoolName: '=Riverside "Academy"', presetId: 'generic', staff: keep, base }], who('Admin'))) as SaveResponse;
    expect(res.errors).toEqual([]);
    expect(res.ok).toBe(true);
    // The Settings tab once; the Staff Changes tab: its header and this change's rows.
    expect(emu.calls.get('SpreadsheetApp.Range.setValues')).toBe(3);
    expect(res.settings).toMatchObject({ schoolName: '=Riverside "Academy"', presetId: 'generic' });
    expect(res.settings.staff).toHaveLength(keep.length);
    const tab = tabValues(emu, 'Settings');
    expect(tab.flat().filter((v) => String(v).includes('@school.example'))).toHaveLength(keep.length);
    expect(emu.direct(() => emu.spreadsheet.getSheetByName('Settings')!.getDataRange().getFormulas().flat().every((f) => f === ''))).toBe(true);

    // A person breaks the preset cell: it is reported, and 'generic' stays in force.
    emu.direct(() => {
      const sheet = emu.spreadsheet.getSheetByName('Settings')!;
      const r = sheet.getDataRange().getValues().findIndex((row) => row[0] === 'Policy preset');
      sheet.getRange(r + 1, 2).setValue('typo-preset');
    });
    const view = (await emu.rpc('getSettings', [], who('Admin'))) as SettingsView;
    expect(view.presetId).toBe('generic');
    // A Tutor removed from the table is no longer known.
    const boot = (await emu.rpc('getBootstrap', [], who('Tutor'))) as { user: { role: string | null } };
    expect(boot.user.role).toBeNull();
  });
});
