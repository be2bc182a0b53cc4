/**
 * The tracker sheet contract (DESIGN.md §2): columns are found by header name with aliases,
 * never by position; the add-on owns only the columns it writes.
 */
import {
  TRACKER_FIELDS,
  columnLetter,
  describeMapping,
  headerKey,
  mapColumns,
  mappingProblems,
} from '../../src/core/tracker/columns';
import { isValidEmail, normaliseLanguage, readTrackerRows } from '../../src/core/tracker/rows';

describe('columnLetter', () => {
  it.each([
    [0, 'A'],
    [2, 'C'],
    [25, 'Z'],
    [26, 'AA'],
    [27, 'AB'],
    [51, 'AZ'],
    [52, 'BA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('%i → %s', (index, letter) => {
    expect(columnLetter(index)).toBe(letter);
  });
  it('rejects a negative or fractional index', () => {
    expect(() => columnLetter(-1)).toThrow(/whole number/);
    expect(() => columnLetter(1.5)).toThrow(/whole number/);
  });
});

describe('TRACKER_FIELDS', () => {
  it('no header or alias names two fields (matching would be ambiguous by construction)', () => {
    const owner = new Map<string, string>();
    for (const field of TRACKER_FIELDS) {
      for (const name of [field.header, ...field.aliases]) {
        const key = headerKey(name);
        expect(owner.get(key) ?? field.key).toBe(field.key);
        owner.set(key, field.key);
      }
    }
  });
  it('staff columns (RTC, ROPC, comments) are not owned by the add-on; attendance % and step are', () => {
    const owned = new Set(TRACKER_FIELDS.filter((f) => f.ownedByAddon).map((f) => f.key));
    expect(owned.has('rtc')).toBe(false);
    expect(owned.has('ropc')).toBe(false);
    expect(owned.has('comments')).toBe(false);
    expect(owned.has('attendancePercent')).toBe(true);
    expect(owned.has('ladderStep')).toBe(true);
  });
});

describe('mapColumns', () => {
  it('finds renamed and reordered columns by alias, ignoring case, spaces and punctuation', () => {
    const headers = ['Notes', 'FORM', 'upn', 'Pupil', 'nc_year', 'Parent/Guardian name', 'E-mail?', 'Telephone', 'Home Language', 'R.T.C.', 'ropc'];
    const result = mapColumns(headers);
    expect(result.mapping).toMatchObject({
      comments: 0,
      tutorGroup: 1,
      studentId: 2,
      studentName: 3,
      yearGroup: 4,
      parentName: 5,
      parentEmail: 6,
      parentPhone: 7,
      language: 8,
      rtc: 9,
      ropc: 10,
    });
    expect(result.missingRequired).toEqual([]);
    expect(result.ambiguous).toEqual([]);
    expect(mappingProblems(result)).toEqual([]);
  });

  it('accepts a split name (Forename + Surname) instead of a single name column', () => {
    const result = mapColumns(['Adno', 'Surname', 'Forename', 'Year']);
    expect(result.missingRequired).toEqual([]);
    expect(result.mapping.firstName).toBe(2);
    expect(result.mapping.lastName).toBe(1);
    expect(describeMapping(result, ['Adno', 'Surname', 'Forename', 'Year'])).toContain(
      'Student Name ← column C "Forename" + column B "Surname"',
    );
  });

  it('a canonical header beats an alias for the same field (Student ID over ID)', () => {
    const result = mapColumns(['ID', 'Name', 'Student ID', 'Year Group']);
    expect(result.mapping.studentId).toBe(2);
    expect(result.ambiguous).toEqual([]);
    expect(result.unknownHeaders).toEqual([]);
  });

  it('two columns claiming one field are ambiguous and named by letter and header', () => {
    const headers = ['UPN', 'Name', 'Year', 'Adno'];
    const result = mapColumns(headers);
    expect(result.ambiguous).toEqual([{ field: 'studentId', columns: [0, 3] }]);
    expect(result.mapping.studentId).toBeUndefined();
    const problems = mappingProblems(result);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"Student ID" is claimed by more than one column');
    expect(problems[0]).toContain('column A "UPN"');
    expect(problems[0]).toContain('column D "Adno"');
  });

  it('reports each missing required field with the names it would accept', () => {
    const result = mapColumns(['Forename', 'Tutor Group', 'Comments']);
    expect(result.missingRequired).toEqual(['studentId', 'studentName', 'yearGroup']);
    const problems = mappingProblems(result);
    expect(problems[0]).toMatch(/No "Student ID" column found.*"UPN"/);
    expect(problems[1]).toMatch(/No "Student Name" column found.*Forename.*Surname.*found column A "Forename" but no surname column/);
    expect(problems[2]).toMatch(/No "Year Group" column found.*"Grade"/);
  });

  it('lists the add-on columns still to be created and keeps staff columns it does not know', () => {
    const headers = ['UPN', 'Name', 'Year', 'Attendance %', 'Step', 'Free school meals', '', 'SEN'];
    const result = mapColumns(headers);
    expect(result.mapping.attendancePercent).toBe(3);
    expect(result.mapping.ladderStep).toBe(4);
    expect(result.missingOwned).toContain('reviewDue');
    expect(result.missingOwned).not.toContain('attendancePercent');
    expect(result.unknownHeaders).toEqual(['Free school meals', 'SEN']);
    const lines = describeMapping(result, headers);
    expect(lines).toContain('Student ID ← column A "UPN"');
    expect(lines).toContain('Attendance % ← column D "Attendance %"');
    expect(lines).toContain('Review due — not found: the add-on will add this column');
    expect(lines).toContain('"SEN" — your column: kept as it is, never written');
  });

  it('reads non-string header cells (numbers, null) without failing', () => {
    const result = mapColumns(['UPN', null, 2024, 'Name', 'Year']);
    expect(result.missingRequired).toEqual([]);
    expect(result.unknownHeaders).toEqual(['2024']);
  });
});

describe('isValidEmail (pragmatic: one @, no spaces, a dot in the domain, ≤ 254 chars)', () => {
  it.each(['sarah.jones@example.org', "o'brien@example.co.uk", 'a+b@x.io'])('accepts %s', (s) => {
    expect(isValidEmail(s)).toBe(true);
  });
  it.each(['', 'sarah.jones', 'a@b', 'a@@b.com', 'a b@c.com', '@example.org', 'a@.com', 'a@example.', 'a@b.com; c@d.com', `${'a'.repeat(250)}@b.com`])(
    'rejects %j',
    (s) => {
      expect(isValidEmail(s)).toBe(false);
    },
  );
});

describe('normaliseLanguage', () => {
  it.each([
    ['', 'en'],
    ['English', 'en'],
    ['Spanish', 'es'],
    ['Español', 'es'],
    ['es', 'es'],
    ['es-MX', 'es'],
    ['ES', 'es'],
    ['Polish', 'pl'],
    // Unknown languages are kept, so the letter plan can say no template exists in it.
    ['Klingon', 'klingon'],
    ['tlh-KL', 'tlh'],
  ])('%j → %s', (raw, code) => {
    expect(normaliseLanguage(raw)).toBe(code);
  });
});

describe('readTrackerRows', () => {
  const headers = ['Adno', 'UPN ', 'Forename', 'Surname', 'Year', 'Form', 'Parent Email', 'Second Parent Email', 'Language', 'RTC', 'ROPC'];
  // Not using mapColumns for the UPN/Adno ambiguity: map UPN explicitly as a school would after confirming.
  const mapping = { studentId: 1, firstName: 2, lastName: 3, yearGroup: 4, tutorGroup: 5, parentEmail: 6, secondParentEmail: 7, language: 8, rtc: 9, ropc: 10 };

  it('reads students with 1-based sheet rows, skipping blank rows', () => {
    const values = [
      headers,
      ['1', 'A123456789012', 'Siobhán', "O'Brien", 'Year 7', '7A', 'mum@example.org', 'dad@example.org', 'English', 'green', ''],
      ['', '', '', '', '', '', '', '', '', '', ''],
      [2, ' A123456789013 ', 'José', 'García', 8, '8B', '', '', 'Español', '', '01/10/2024'],
    ];
    const { students, errors } = readTrackerRows(values, mapping);
    expect(errors).toEqual([]);
    expect(students).toEqual([
      {
        row: 2,
        studentId: 'A123456789012',
        name: "Siobhán O'Brien",
        yearGroup: '7',
        tutorGroup: '7A',
        parents: [
          { name: '', email: 'mum@example.org', phone: '' },
          { name: '', email: 'dad@example.org', phone: '' },
        ],
        language: 'en',
        rtc: 'green',
        ropc: '',
      },
      {
        row: 4,
        studentId: 'A123456789013',
        name: 'José García',
        yearGroup: '8',
        tutorGroup: '8B',
        parents: [],
        language: 'es',
        rtc: '',
        ropc: '01/10/2024',
      },
    ]);
  });

  it('honours a header row further down the sheet', () => {
    const values = [['SOL Tracker 2024-25'], headers, ['1', 'A1', 'Kai', 'Nguyen', '9', '9C', '', '', '', '', '']];
    const { students } = readTrackerRows(values, mapping, 2);
    expect(students.map((s) => [s.row, s.studentId])).toEqual([[3, 'A1']]);
  });

  it('names row, column and reason for a missing ID, a duplicate ID (both rows) and a bad e-mail', () => {
    const values = [
      headers,
      ['1', 'A1', 'Kai', 'Nguyen', '9', '9C', 'kai.parent@example', '', '', '', ''],
      ['2', '', 'No', 'Id', '9', '9C', '', '', '', '', ''],
      ['3', 'A1', 'Kai', 'Again', '9', '9C', '', '', '', '', ''],
      ['4', 'A4', 'Maya', 'Patel', '', '9C', 'a@x.com; b@y.com', '', '', '', ''],
    ];
    const { students, errors } = readTrackerRows(values, mapping);
    expect(errors).toEqual([
      { row: 2, column: 'G', field: 'Parent Email', message: expect.stringContaining('"kai.parent@example" does not look like an e-mail address') },
      { row: 3, column: 'B', field: 'Student ID', message: expect.stringContaining('Student ID is blank') },
      { row: 4, column: 'B', field: 'Student ID', message: 'Student ID "A1" is on both row 2 and row 4: each student needs one row.' },
      { row: 5, column: 'E', field: 'Year Group', message: 'Year group is blank.' },
      { row: 5, column: 'G', field: 'Parent Email', message: expect.stringContaining('one address per cell') },
    ]);
    // The student with only a bad e-mail is kept (without the address); the broken rows are not.
    expect(students.map((s) => s.studentId)).toEqual(['A1']);
    expect(students[0].parents).toEqual([]);
  });
});
