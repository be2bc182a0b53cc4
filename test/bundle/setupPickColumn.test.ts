/**
 * Setup lets the person pick a column (issue 11 point 4): a tracker whose parent email and phone
 * columns have the school's own names ("Home contact", "Mum mobile") is told plainly what that means
 * (no letters by email, no number to ring), offered its own headers to pick from, and the choice is
 * kept (a document property only the add-on writes), used wherever the tracker is read (Today's
 * calls show the picked phone) and stored in the column mapping by setup.
 */
import { sessionHeader } from '../../src/core/register/registerSheet';
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon } from '../helpers/sampleSpreadsheet';

const HEADERS = ['UPN', 'Pupil', 'Year', 'Form', 'Mum', 'Mum mobile', 'Home contact', 'Notes'];

interface Pick { field: string; options: string[]; current: string | null; suggested: string | null; label: string; meaning: string }
interface Preview { mapping: string[]; warnings: string[]; picks: Pick[]; willCreate: string[] }

describe('setup: pick the parent email / phone column from the sheet', () => {
  const school = generateSchool(sampleOptions({ students: 60, schoolDays: 20 }));
  const today = school.schoolDays[school.schoolDays.length - 1]!;
  const admin = school.staff.find((s) => s.role === 'Admin')?.email ?? school.staff.find((s) => s.role === 'AL')!.email;
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const tutor = school.staff.find((s) => s.role === 'Tutor')!.email;
  let emu: Emulator;

  beforeAll(() => {
    emu = createEmulator({ users: [admin, ao, tutor], now: schoolDayNoon(today) });
    putSampleSchool(emu, {
      school,
      headers: HEADERS,
      cell: (h, _f, s) => (h === 'Mum mobile' ? s.parents[0]?.phone ?? '' : h === 'Home contact' ? s.parents[0]?.email ?? '' : h === 'Mum' ? s.parents[0]?.name ?? '' : undefined),
    });
    loadBuiltProject(emu);
  });

  test('the preview says plainly what a missing email / phone column means and offers the sheet\'s own headers', async () => {
    const p = (await emu.rpc('previewSetup', [], admin)) as Preview;
    expect(p.warnings.join('\n')).toMatch(/No parent\/carer email column was found, so no letter can go by email/);
    expect(p.warnings.join('\n')).toMatch(/"Mum mobile" may be it: pick it below/);
    const email = p.picks.find((x) => x.field === 'parentEmail')!;
    const phone = p.picks.find((x) => x.field === 'parentPhone')!;
    expect(email.meaning).toMatch(/no letter goes by email/);
    expect(email.options).toEqual(expect.arrayContaining(['Home contact', 'Mum mobile', 'Mum']));
    expect(email.options).not.toContain('Notes'); // a column the add-on reads as something else is never offered
    expect(phone.suggested).toBe('Mum mobile');
  });

  test('only a setup role may pick, and only one of the offered columns', async () => {
    await expect(emu.rpc('chooseSetupColumn', [{ field: 'parentEmail', header: 'Home contact' }], tutor)).rejects.toThrow(/may not set up/);
    await expect(emu.rpc('chooseSetupColumn', [{ field: 'parentEmail', header: 'UPN' }], admin)).rejects.toThrow(/"UPN" is not one of the tracker's own columns/);
    await expect(emu.rpc('chooseSetupColumn', [{ field: 'studentId', header: 'Notes' }], admin)).rejects.toThrow(/parents' email or phone/);
    const stored = (emu.properties.document()['sol.columnChoices'] ?? null);
    expect(stored).toBeNull();
  });

  test('picking the columns: the warnings go, the mapping says so, setup stores it, Today shows the picked number', async () => {
    await emu.rpc('chooseSetupColumn', [{ field: 'parentEmail', header: 'Home contact' }], admin);
    const p = (await emu.rpc('chooseSetupColumn', [{ field: 'parentPhone', header: 'Mum mobile' }], admin)) as Preview;
    expect(p.warnings).toEqual([]);
    expect(p.mapping).toEqual(expect.arrayContaining(['Parent Email ← column G "Home contact" (picked in setup)', 'Parent Phone ← column F "Mum mobile" (picked in setup)']));
    // Still offered, so the choice can be changed back.
    expect(p.picks.find((x) => x.field === 'parentEmail')!.current).toBe('Home contact');

    await emu.rpc('runSetup', [], admin);
    const mapping = JSON.parse(emu.properties.document()['sol.columnMapping']!) as Record<string, number>;
    expect(mapping).toMatchObject({ parentEmail: 6, parentPhone: 5 });

    const target = school.students.find((s) => s.parents[0]?.phone)!;
    emu.direct(() => {
      const reg = emu.spreadsheet.getSheetByName('Register')!;
      const values = reg.getDataRange().getValues();
      reg.getRange(values.findIndex((r) => r[0] === target.studentId) + 1, values[0]!.map(String).indexOf(sessionHeader(today, "AM")) + 1).setValue('N');
    });
    const calls = (await emu.rpc('getTodayCalls', [], ao)) as { students: { studentId: string; phone: string }[] };
    expect(calls.students.find((s) => s.studentId === target.studentId)?.phone).toBe(target.parents[0]!.phone);
  });

  test('forgetting the choice brings the warning back', async () => {
    const p = (await emu.rpc('chooseSetupColumn', [{ field: 'parentEmail', header: null }], admin)) as Preview;
    expect(p.warnings.join('\n')).toMatch(/No parent\/carer email column was found/);
    expect(JSON.parse((emu.properties.document()['sol.columnChoices'] ?? null)!)).toEqual({ parentPhone: 'Mum mobile' });
  });
});
