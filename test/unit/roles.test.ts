/** Role-based access (seed 000 §3.5): who may do what, and refusals that say why. */
import { actorFor, can, canSeeStudent, PERMISSIONS, requirePermission, trackerContactRefusal } from '../../src/core/roles';
import type { StaffMember } from '../../src/core/settings';

const staff: StaffMember[] = [
  { email: 'tutor@school.example', name: 'Ms Patel', role: 'Tutor', yearGroup: '', tutorGroup: '7A, 7B' },
  { email: 'hoy@school.example', name: 'Mr Jones', role: 'HOY', yearGroup: '9', tutorGroup: '' },
  { email: 'al@school.example', name: 'Sam Lead', role: 'AL', yearGroup: '', tutorGroup: '' },
];

test('a tutor sees only their own tutor groups, a Head of Year their year, the AL everyone', () => {
  const tutor = actorFor('Tutor@School.example', staff);
  expect(canSeeStudent(tutor, { yearGroup: '7', tutorGroup: '7B' })).toBe(true);
  expect(canSeeStudent(tutor, { yearGroup: '7', tutorGroup: '7C' })).toBe(false);
  const hoy = actorFor('hoy@school.example', staff);
  expect(canSeeStudent(hoy, { yearGroup: '9', tutorGroup: '9X' })).toBe(true);
  expect(canSeeStudent(hoy, { yearGroup: '10', tutorGroup: '10X' })).toBe(false);
  expect(canSeeStudent(actorFor('al@school.example', staff), { yearGroup: '11', tutorGroup: '11Q' })).toBe(true);
});

test('only the AL and Admin send letters; refusals say who, their role and who can', () => {
  expect(PERMISSIONS.sendLetters).toEqual(['AL', 'Admin']);
  expect(can(actorFor('al@school.example', staff), 'sendLetters')).toBe(true);
  expect(() => requirePermission(actorFor('hoy@school.example', staff), 'sendLetters')).toThrow('hoy@school.example has the role HOY, which may not send letters; only AL, Admin can.');
});

test('someone not in the Staff table is refused and told to ask an Admin', () => {
  expect(() => requirePermission(actorFor('visitor@school.example', staff), 'viewStudent')).toThrow(/visitor@school\.example is not in the Settings → Staff table, so it may not view students\. Ask an Admin/);
  expect(canSeeStudent(actorFor('visitor@school.example', staff), { yearGroup: '7', tutorGroup: '7A' })).toBe(false);
});

test('before the first set-up nobody is Admin except the owner or the installer (never "everyone is Admin")', () => {
  const first = actorFor('head@school.example', [], { claimed: false, isOwner: false });
  expect(first).toMatchObject({ role: null, bootstrap: false, notSetUp: true });
  expect(() => requirePermission(first, 'setup')).toThrow(/not set up in this spreadsheet yet.*Only the spreadsheet's owner \(or the person who installed the add-on\) can do the first set-up/);
  expect(actorFor('owner@school.example', [], { claimed: false, isOwner: true })).toMatchObject({ role: 'Admin', bootstrap: true });
  expect(actorFor('installer@school.example', [], { claimed: false, isOwner: false, isInstaller: true })).toMatchObject({ role: 'Admin', bootstrap: true });
  // Once set up, the installer is just whoever the list says; an empty list gives nobody a role.
  expect(actorFor('installer@school.example', [], { claimed: true, isOwner: false, isInstaller: true }).role).toBeNull();
  expect(actorFor('anyone@school.example', []).role).toBeNull();
  // The owner always acts at least as Admin.
  expect(actorFor('owner@school.example', staff, { claimed: true, isOwner: true }).role).toBe('Admin');
});

describe('issue 10 (J): an RTC/ROPC typed in the tracker, judged by the role store', () => {
  const at = { column: 'RTC' as const, row: 12 };
  test('a Tutor records their own groups only, and is told both groups', () => {
    const tutor = actorFor('tutor@school.example', staff);
    expect(trackerContactRefusal(tutor, { yearGroup: '7', tutorGroup: '7B' }, at)).toBeNull();
    expect(trackerContactRefusal(tutor, { yearGroup: '7', tutorGroup: '7C' }, at)).toBe(
      'The RTC entry on row 12 was not recorded: as a Tutor you record RTC/ROPC for your own pupils (tutor group 7A, 7B), and this pupil is in tutor group 7C. Nothing was logged and the cell was put back as it was. Their tutor, Head of Year or the attendance team can record it.',
    );
  });
  test('a Head of Year records their year; "Year 10" is not written "year Year 10"', () => {
    const hoy = actorFor('hoy@school.example', staff);
    expect(trackerContactRefusal(hoy, { yearGroup: '9', tutorGroup: '9X' }, at)).toBeNull();
    expect(trackerContactRefusal(hoy, { yearGroup: 'Year 10', tutorGroup: '10X' }, { column: 'ROPC', row: 3 })).toContain('as Head of Year you record RTC/ROPC for pupils of your year (year 9), and this pupil is in Year 10.');
  });
  test('the attendance team records anyone; someone not on the staff list nobody', () => {
    expect(trackerContactRefusal(actorFor('al@school.example', staff), { yearGroup: '11', tutorGroup: '11Q' }, at)).toBeNull();
    expect(trackerContactRefusal(actorFor('al@school.example', staff), null, at)).toBeNull();
    expect(trackerContactRefusal(actorFor('visitor@school.example', staff), { yearGroup: '7', tutorGroup: '7A' }, at)).toMatch(/^The RTC entry on row 12 was not recorded: visitor@school\.example is not in the Settings → Staff table/);
  });
  test('a Tutor on a row whose pupil cannot be found is refused (fail closed)', () => {
    expect(trackerContactRefusal(actorFor('tutor@school.example', staff), null, at)).toContain('that row has no pupil SOL Tracker can find by its Student ID');
  });
});
