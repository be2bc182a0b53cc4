/**
 * Strict input (issue 12 §4): free text capped at sensible lengths with a message naming where, and
 * control characters stripped wherever text leaves the add-on.
 */
import { outboundText, TEXT_LIMITS } from '../../src/core/sanitise';
import { settingsTextProblems } from '../../src/core/settingsText';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { readTrackerRows } from '../../src/core/tracker/rows';

const headers = ['UPN', 'Name', 'Year', 'Form', 'Parent Name', 'Parent Email', 'Parent Phone'];
const mapping = { studentId: 0, studentName: 1, yearGroup: 2, tutorGroup: 3, parentName: 4, parentEmail: 5, parentPhone: 6 };

describe('the tracker: names a person typed or an MIS exported', () => {
  test('a 49,990-character parent name is cut to 100 and reported at its cell; the pupil stays (letters to others are not blocked)', () => {
    const { students, errors } = readTrackerRows([headers, ['A1', 'Ann Smith', '7', '7A', 'P'.repeat(49_990), 'mum@example.org', '0123']], mapping);
    expect(students).toHaveLength(1);
    expect(students[0]!.parents[0]!.name).toHaveLength(TEXT_LIMITS.name);
    expect(errors).toEqual([{ row: 2, column: 'E', field: expect.any(String), message: expect.stringMatching(/is 49,990 characters long; at most 100 are used — shorten it\.$/) }]);
  });

  test('NUL, BEL and ESC in a name never travel on (letters, emails, tabs all read these values)', () => {
    const { students, errors } = readTrackerRows([headers, ['A1', 'Ann\u0000e\u0007 \u001bSmith', '7', '7A', 'Mum\u0000', 'mum@example.org', '']], mapping);
    expect(errors).toEqual([]);
    expect(students[0]!.name).toBe('Anne Smith');
    expect(students[0]!.parents[0]!.name).toBe('Mum');
  });

  test('a student ID past 50 characters leaves the row out, said at its cell', () => {
    const { students, errors } = readTrackerRows([headers, ['9'.repeat(60), 'Ann', '7', '7A', '', '', '']], mapping);
    expect(students).toEqual([]);
    expect(errors[0]).toMatchObject({ row: 2, column: 'A', message: 'Student ID is 60 characters long; at most 50 are allowed — correct it.' });
  });
});

describe('the Settings form', () => {
  test('a long school name or staff name is refused naming the field and the staff row; control characters too', () => {
    const next = { ...DEFAULT_SETTINGS, schoolName: 'S'.repeat(5000), staff: [{ email: 'al@school.example', name: 'Al\u0000ex', role: 'AL' as const, yearGroup: '', tutorGroup: 'T'.repeat(41) }] };
    expect(settingsTextProblems(next, { schoolName: next.schoolName, staff: next.staff })).toEqual([
      { field: 'schoolName', message: 'School name is 5,000 characters long; at most 100 are allowed — shorten it.' },
      { field: 'staff.0.name', message: 'Staff row 1: the name contains a control character (pasted from another program?): type it again.' },
      { field: 'staff.0.tutorGroup', message: 'Staff row 1: the tutor group is 41 characters long; at most 40 are allowed — shorten it.' },
    ]);
    // Fields the form did not send are not checked (stored settings never block a save).
    expect(settingsTextProblems(next, {})).toEqual([]);
  });
});

test('outboundText keeps newlines and tabs, turns CR into newlines, drops every other control character', () => {
  expect(outboundText('a\u0000b\r\nc\rd\te\u007f\u001b')).toBe('ab\nc\nd\te');
});
