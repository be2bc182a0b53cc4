/**
 * Setup on the built bundle in the emulator: a school's own tracker (1,000 students, columns
 * reordered and renamed) is adopted; tabs, columns, dropdowns and warning-only protections are
 * created; a second run changes nothing; a tracker without a Student ID column gets a clear
 * message and nothing is created.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { loadBuiltProject as loadProject } from '../helpers/project';
import { putSampleSchool, schoolDayNoon } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');

/** Every tab: values, frozen rows, grid size, protections and every cell's validation. */
function snapshot(emu: Emulator): unknown {
  return emu.direct(() =>
    emu.spreadsheet.getSheets().map((sheet) => {
      const rows = sheet.getMaxRows();
      const cols = sheet.getMaxColumns();
      const validations = sheet
        .getRange(1, 1, rows, cols)
        .getDataValidations()
        .map((r) => r.map((v) => (v ? `${v.getCriteriaType()}:${JSON.stringify(v.getCriteriaValues())}:${v.getAllowInvalid()}` : '')).join(','));
      const protections = ['RANGE', 'SHEET'].flatMap((t) =>
        sheet.getProtections(t as unknown as GoogleAppsScript.Spreadsheet.ProtectionType).map((p) => `${t}|${p.getDescription()}|${p.isWarningOnly()}|${(p.getRange() as GoogleAppsScript.Spreadsheet.Range).getA1Notation()}`),
      );
      return { name: sheet.getName(), rows, cols, frozen: sheet.getFrozenRows(), values: sheet.getDataRange().getValues(), validations, protections };
    }),
  );
}

const ADMIN = 'head@school.example';
/** A school's own layout: renamed (aliases) and reordered, with a column of its own. */
const SCHOOL_HEADERS = ['Pupil', 'House', 'UPN', 'Reg Group', 'NC Year', 'Primary Contact', 'Mobile', 'Contact Email', 'Notes'];

function schoolTracker(headers = SCHOOL_HEADERS): Emulator {
  const emu = createEmulator({ users: [ADMIN], now: schoolDayNoon('2024-11-29') });
  putSampleSchool(emu, { students: 1000, headers, omit: ['register', 'settings', 'log'], cell: (h) => (h === 'House' ? 'Kestrel' : undefined) });
  loadProject(emu);
  return emu;
}

describe('setup adopts a renamed, reordered tracker', () => {
  const emu = schoolTracker();
  let first: unknown;

  test('the menu shows the mapping for confirmation, then creates tabs, columns, dropdowns and protections', () => {
    emu.ui.queueAlertResponse('YES');
    emu.run('menuSetup', [], { user: ADMIN });
    expect(emu.ui.alerts[0]).toMatch(/Student ID ← column C "UPN"/);
    expect(emu.ui.alerts[0]).toMatch(/Year Group ← column E "NC Year"/);
    expect(emu.ui.alerts[0]).toMatch(/"House" — your column: kept as it is/);
    expect(emu.ui.alerts[1]).toMatch(/Setup done/);

    const names = emu.direct(() => emu.spreadsheet.getSheets().map((s) => s.getName()));
    expect(names.sort()).toEqual(['Interventions Log', 'Letters Ledger', 'Register', 'Register Amendments', 'SOL Tracker', 'Settings', 'Weekly Report'].sort());

    emu.direct(() => {
      const tracker = emu.spreadsheet.getSheetByName('SOL Tracker')!;
      const header = tracker.getRange(1, 1, 1, tracker.getLastColumn()).getValues()[0];
      expect(header.slice(0, SCHOOL_HEADERS.length)).toEqual(SCHOOL_HEADERS);
      expect(header.slice(SCHOOL_HEADERS.length)).toEqual(['RTC', 'ROPC', 'Attendance %', 'Possible', 'Unauthorised', 'PA', 'Severe', 'Step', 'Why', 'Review due', 'Last contact', 'Contact due', 'Letters']);
      // Headers only: the new columns are empty below row 1, the school's data untouched.
      const body = tracker.getRange(2, SCHOOL_HEADERS.length + 1, 1000, 13).getValues();
      expect(body.every((r) => r.every((v) => v === ''))).toBe(true);
      expect(tracker.getRange(2, 2).getValue()).toBe('Kestrel');
      expect(tracker.getFrozenRows()).toBe(1);
      const rtc = tracker.getRange(2, SCHOOL_HEADERS.length + 1).getDataValidation()!;
      expect(rtc.getCriteriaType()).toBe('VALUE_IN_LIST');
      expect((rtc.getCriteriaValues()[0] as string[]).slice(0, 2)).toEqual(['Yes', 'Spoke to parent/carer']);
      expect(rtc.getAllowInvalid()).toBe(true);
      const prot = tracker.getProtections('RANGE' as unknown as GoogleAppsScript.Spreadsheet.ProtectionType);
      expect(prot).toHaveLength(1);
      expect(prot[0].isWarningOnly()).toBe(true);
      expect((prot[0].getRange() as GoogleAppsScript.Spreadsheet.Range).getA1Notation()).toMatch(/^L1:V\d+$/);

      const log = emu.spreadsheet.getSheetByName('Interventions Log')!;
      expect(log.getRange(1, 1, 1, 13).getValues()[0]).toEqual(['Recorded at', 'Date', 'Student ID', 'Student name', 'Step', 'Method', 'Outcome', 'Next action', 'By', 'Attendance at time', 'Letter key', 'Document', 'Notes']);
      expect(log.getFrozenRows()).toBe(1);
      expect(log.getRange(2, 6).getDataValidation()!.getCriteriaValues()[0]).toEqual(['Conversation', 'Phone call', 'Email', 'Letter', 'Meeting', 'Home visit', 'Referral', 'Note']);
      expect(log.getRange(500, 5).getDataValidation()!.getCriteriaValues()).toEqual([0, 10]);
      const logProt = log.getProtections('SHEET' as unknown as GoogleAppsScript.Spreadsheet.ProtectionType);
      expect(logProt).toHaveLength(1);
      expect(logProt[0].isWarningOnly()).toBe(true);

      const settings = emu.spreadsheet.getSheetByName('Settings')!.getDataRange().getValues();
      const staffAt = settings.findIndex((r) => r[0] === '[Staff]');
      expect(settings[staffAt + 2].slice(0, 3)).toEqual([ADMIN, '', 'Admin']);
    });
    const props = emu.properties.document();
    expect(props['sol.trackerSheet']).toBe('SOL Tracker');
    expect(JSON.parse(props['sol.columnMapping'])).toMatchObject({ studentId: 2, studentName: 0, yearGroup: 4, tutorGroup: 3, rtc: 9, letterStatus: 21 });
    first = snapshot(emu);
  });

  test('a second run reports nothing to do and changes nothing (values, validations, protections)', async () => {
    const preview = (await emu.rpc('previewSetup', [], ADMIN)) as { willCreate: string[]; missing: string[] };
    expect(preview).toMatchObject({ willCreate: [], missing: [] });
    const result = (await emu.rpc('runSetup', [], ADMIN)) as { created: string[]; message: string };
    expect(result.created).toEqual([]);
    expect(result.message).toMatch(/nothing to do/);
    expect(snapshot(emu)).toEqual(first);
  });

  test('a user who is not Admin/AL may not run setup once the Staff table exists', async () => {
    await expect(emu.rpc('runSetup', [], 'someone@school.example')).rejects.toThrow(/not in the Settings → Staff table/);
  });
});

describe("setup knows the MIS's contact headers (issue 11)", () => {
  test('a SIMS tracker ("Contact 1 Name", "Contact 1 Email") maps its contacts; one with no email column gets a plain warning', async () => {
    const sims = schoolTracker(['UPN', 'Legal Surname', 'Legal Forename', 'Year', 'Reg Group', 'Contact 1 Name', 'Contact 1 Relationship', 'Contact 1 Email', 'Contact 1 Telephone']);
    const ok = (await sims.rpc('previewSetup', [], ADMIN)) as { mapping: string[]; missing: string[]; warnings: string[] };
    expect(ok.mapping.join('\n')).toMatch(/Parent Email ← column H "Contact 1 Email"/);
    expect(ok.warnings).toEqual([]);
    const noEmail = schoolTracker(['UPN', 'Pupil', 'Year', 'Form', 'Mum', 'Mum mobile']);
    const warned = (await noEmail.rpc('previewSetup', [], ADMIN)) as { warnings: string[] };
    expect(warned.warnings[0]).toMatch(/No parent\/carer email column was found, so no letter can go by email/);
  });
});

describe('setup refuses a tracker it cannot adopt', () => {
  test('no Student ID column: the message lists what is missing and the headers found; nothing is created', async () => {
    const emu = schoolTracker(['Pupil', 'Reg Group', 'NC Year', 'Mobile']);
    const before = snapshot(emu);
    const preview = (await emu.rpc('previewSetup', [], ADMIN)) as { missing: string[]; willCreate: string[] };
    expect(preview.missing[0]).toBe('Student ID');
    expect(preview.willCreate).toEqual([]);
    await expect(emu.rpc('runSetup', [], ADMIN)).rejects.toThrow(/No "Student ID" column found[\s\S]*Headers found on "SOL Tracker" row 1: "Pupil", "Reg Group", "NC Year", "Mobile"\. Nothing was created\./);
    emu.run('menuSetup', [], { user: ADMIN });
    expect(emu.ui.alerts[0]).toMatch(/No "Student ID" column found/);
    expect(snapshot(emu)).toEqual(before);
    expect(emu.properties.document()['sol.columnMapping']).toBeUndefined();
  });

  test('answering NO in the menu changes nothing', () => {
    const emu = schoolTracker();
    const before = snapshot(emu);
    emu.ui.queueAlertResponse('NO');
    emu.run('menuSetup', [], { user: ADMIN });
    expect(snapshot(emu)).toEqual(before);
  });
});
