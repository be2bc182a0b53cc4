/**
 * The chunked property record (9 KB per value, 500 KB per store: quotas page), the staff record's
 * rules, and writing settings back without erasing the tab's other content.
 */
import fc from 'fast-check';
import { CHUNK_BYTES, chunkText, decodeRecord, encodeRecord, utf8Length } from '../../src/core/chunkedRecord';
import { diffStaff, firstStaffList, staffListProblem } from '../../src/core/staffRecord';
import { mergeSettingsIntoSheet } from '../../src/core/settingsSheet';
import { DEFAULT_SETTINGS, parseSettingsSheet, settingsToSheet, type StaffMember } from '../../src/core/settings';

test('utf8Length counts as UTF-8 does', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => utf8Length(s) === Buffer.byteLength(s, 'utf8')));
});

test('chunks never exceed the chunk size, never split a surrogate pair, and join back to the text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 20000 }), (s) => {
      const parts = chunkText(s, 1000);
      expect(parts.join('')).toBe(s);
      for (const p of parts) {
        expect(utf8Length(p)).toBeLessThanOrEqual(1000);
        expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p); // no lone surrogate
      }
    }),
    { numRuns: 60 },
  );
});

test('a record round-trips; a missing or foreign chunk makes it unreadable, never half-read', () => {
  const text = JSON.stringify({ staff: Array.from({ length: 200 }, (_, i) => ({ email: `person.${i}@school.example`, name: `Persón ${i} 🎓` })) });
  const enc = encodeRecord('sol.config', 3, text);
  expect(Object.keys(enc.chunks).length).toBeGreaterThan(1);
  for (const v of Object.values(enc.chunks)) expect(utf8Length(v)).toBeLessThanOrEqual(CHUNK_BYTES);
  const store = { ...enc.chunks, 'sol.config': enc.pointerValue };
  expect(decodeRecord('sol.config', store)).toMatchObject({ state: 'ok', text });
  const missing: Record<string, string> = { ...store };
  delete missing['sol.config.g3.1'];
  expect(decodeRecord('sol.config', missing)).toEqual({ state: 'unreadable', reason: expect.stringMatching(/part 2 of \d+ is missing/) });
  const older = encodeRecord('sol.config', 3, text.replace('Persón 7', 'Person 7'));
  expect(decodeRecord('sol.config', { ...store, 'sol.config.g3.0': older.chunks['sol.config.g3.0'] })).toMatchObject({ state: 'unreadable' });
  expect(decodeRecord('sol.config', {})).toEqual({ state: 'absent' });
});

const member = (email: string, role: StaffMember['role'], extra: Partial<StaffMember> = {}): StaffMember => ({ email, name: email.split('@')[0], role, yearGroup: '', tutorGroup: '', ...extra });

test('a staff list must keep an AL or Admin and cannot be empty', () => {
  expect(staffListProblem([])).toMatch(/cannot be empty/);
  expect(staffListProblem([member('t@s.example', 'Tutor')])).toMatch(/at least one Attendance Lead/);
  expect(staffListProblem([member('a@s.example', 'AL')])).toBeNull();
});

test('diffStaff names who was added, removed or changed, with old and new roles', () => {
  const before = [member('a@s.example', 'AL'), member('t@s.example', 'Tutor', { tutorGroup: '7A' }), member('x@s.example', 'AO')];
  const after = [member('a@s.example', 'AL'), member('t@s.example', 'HOY', { yearGroup: '7' }), member('n@s.example', 'Tutor', { tutorGroup: '8B' })];
  expect(diffStaff(before, after)).toEqual([
    { email: 't@s.example', name: 't', oldRole: 'Tutor', newRole: 'HOY', detail: 'role changed (year 7)' },
    { email: 'n@s.example', name: 'n', oldRole: '', newRole: 'Tutor', detail: 'added (tutor group 8B)' },
    { email: 'x@s.example', name: 'x', oldRole: 'AO', newRole: '', detail: 'removed' },
  ]);
});

test('the first set-up keeps the staff shown on the tab and makes the claimer Admin', () => {
  expect(firstStaffList([member('T@s.example', 'Tutor')], 'owner@s.example').map((s) => [s.email, s.role])).toEqual([['owner@s.example', 'Admin'], ['t@s.example', 'Tutor']]);
  expect(firstStaffList([member('owner@s.example', 'Tutor')], 'owner@s.example')[0].role).toBe('Admin');
});

test('saving settings rewrites values and the staff copy, and keeps notes, other columns and unknown sections', () => {
  const settings = { ...DEFAULT_SETTINGS, schoolName: 'Old', staff: [member('a@s.example', 'AL'), member('t@s.example', 'Tutor')] };
  const tab: unknown[][] = settingsToSheet(settings).map((r) => [...r, '']);
  tab[1][3] = 'a note of ours';
  tab.push(['[Bus routes]', 'Route 7', '', ''], ['', 'Route 9', '', '']);
  const next = { ...settings, schoolName: 'New', staff: [member('a@s.example', 'AL')] };
  const out = mergeSettingsIntoSheet(tab, next);
  const text = out.map((r) => r.map((v) => String(v).replace(/^'/, '')));
  expect(text[1].slice(0, 2)).toEqual(['School name', 'New']);
  expect(text[1][3]).toBe('a note of ours');
  expect(text.some((r) => r[0] === '[Bus routes]' && r[1] === 'Route 7')).toBe(true);
  expect(text.some((r) => r[1] === 'Route 9')).toBe(true);
  expect(text.flat().filter((v) => v === 't@s.example')).toHaveLength(0);
  expect(out.length).toBeGreaterThanOrEqual(tab.length);
  const reparsed = parseSettingsSheet(text, ['uk-secondary-sol']);
  expect(reparsed.problems).toEqual([]);
  expect(reparsed.settings.schoolName).toBe('New');
  expect(reparsed.settings.staff.map((s) => s.email)).toEqual(['a@s.example']);
});
