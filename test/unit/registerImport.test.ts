import { readFileSync } from 'fs';
import { join } from 'path';
import { DFE_2024, US_ILLINOIS } from '../../src/core/codes';
import { detectLayout, formatImportErrors, mergeMarks, parseRegister } from '../../src/core/register/import';
import { parseLayoutDate } from '../../src/core/register/layouts';
import type { RegisterMark } from '../../src/core/types';

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures/register', name), 'utf8');
const UK_IDS = new Set(['A123456789012', 'A123456789013', 'A123456789014', 'A123456789015']);
const US_IDS = new Set(['100234', '100235', '100236']);
const AUTUMN = { start: '2024-09-02', end: '2024-12-20' };
const mark = (studentId: string, date: string, session: RegisterMark['session'], code: string): RegisterMark => ({ studentId, date, session, code });

describe('detectLayout', () => {
  it.each([
    [['Adno', 'UPN', 'Surname', 'Forename', 'Reg', 'Mon 02/09/2024 AM'], 'sims-wide'],
    [['Student ID', 'Student Name', 'Date', 'Session', 'Mark'], 'arbor-long'],
    [['Student_Number', 'LastFirst', 'Att_Date', 'Att_Code'], 'powerschool-daily'],
    [['student_id', 'date', 'session', 'code'], 'generic-long'],
    [['Name', 'Score'], null],
    // Adno alone with no session columns is not a register.
    [['Adno', 'UPN', 'Surname'], null],
  ])('%j → %s', (headers, layout) => {
    expect(detectLayout(headers as string[])).toBe(layout);
  });
});

describe('parseLayoutDate', () => {
  it('reads each layout format and rejects impossible dates', () => {
    expect(parseLayoutDate('02/09/2024', 'dd/MM/yyyy')).toEqual({ ok: true, date: '2024-09-02' });
    expect(parseLayoutDate('2/9/2024', 'dd/MM/yyyy')).toEqual({ ok: true, date: '2024-09-02' });
    expect(parseLayoutDate('09/02/2024', 'MM/dd/yyyy')).toEqual({ ok: true, date: '2024-09-02' });
    expect(parseLayoutDate('09/03/2024 0:00', 'MM/dd/yyyy')).toEqual({ ok: true, date: '2024-09-03' });
    expect(parseLayoutDate('2024-02-29', 'yyyy-MM-dd')).toEqual({ ok: true, date: '2024-02-29' });
    expect(parseLayoutDate('2023-02-29', 'yyyy-MM-dd').ok).toBe(false);
    expect(parseLayoutDate('31/02/2024', 'dd/MM/yyyy').ok).toBe(false);
    expect(parseLayoutDate('13/13/2024', 'MM/dd/yyyy').ok).toBe(false);
  });
});

describe('parseRegister — fixtures (test/fixtures/register/LAYOUTS.md)', () => {
  it('SIMS wide: one mark per filled session cell; "-" and blank are no mark', () => {
    const r = parseRegister(fixture('sims-wide.csv'), { table: DFE_2024, knownStudentIds: UK_IDS, term: AUTUMN });
    expect(r.errors).toEqual([]);
    expect(r.layout).toBe('sims-wide');
    expect(r.rowsRead).toBe(4);
    expect(r.marks).toHaveLength(22);
    expect(r.marks.slice(0, 6)).toEqual([
      mark('A123456789012', '2024-09-02', 'AM', '/'),
      mark('A123456789012', '2024-09-02', 'PM', '\\'),
      mark('A123456789012', '2024-09-03', 'AM', '/'),
      mark('A123456789012', '2024-09-03', 'PM', '\\'),
      mark('A123456789012', '2024-09-04', 'AM', 'I'),
      mark('A123456789012', '2024-09-04', 'PM', 'I'),
    ]);
    const zoe = r.marks.filter((m) => m.studentId === 'A123456789014');
    expect(zoe.map((m) => `${m.date} ${m.session} ${m.code}`)).toEqual([
      '2024-09-02 AM /',
      '2024-09-02 PM \\',
      '2024-09-04 AM /',
      '2024-09-04 PM M',
    ]);
    expect(r.marks.filter((m) => m.studentId === 'A123456789015').map((m) => m.code)).toEqual(['/', '\\', 'U', '\\', 'G', 'G']);
  });

  it('SIMS wide: finds students by Adno when the tracker holds admission numbers', () => {
    const r = parseRegister(fixture('sims-wide.csv'), { table: DFE_2024, knownStudentIds: new Set(['001234', '001235', '001236', '001237']) });
    expect(r.errors).toEqual([]);
    expect(r.marks[0]).toEqual(mark('001234', '2024-09-02', 'AM', '/'));
  });

  it('Arbor long (BOM, CRLF): every row becomes one mark', () => {
    const r = parseRegister(fixture('arbor-long.csv'), { table: DFE_2024, knownStudentIds: UK_IDS, term: AUTUMN });
    expect(r.errors).toEqual([]);
    expect(r.layout).toBe('arbor-long');
    expect(r.rowsRead).toBe(8);
    expect(r.marks).toEqual([
      mark('A123456789012', '2024-09-02', 'AM', '/'),
      mark('A123456789012', '2024-09-02', 'PM', '\\'),
      mark('A123456789013', '2024-09-02', 'AM', 'L'),
      mark('A123456789013', '2024-09-02', 'PM', '\\'),
      mark('A123456789014', '2024-09-02', 'AM', '/'),
      mark('A123456789014', '2024-09-02', 'PM', 'M'),
      mark('A123456789012', '2024-09-03', 'AM', 'I'),
      mark('A123456789012', '2024-09-03', 'PM', 'I'),
    ]);
  });

  it('PowerSchool daily (US dates MM/dd/yyyy): one DAY mark per row', () => {
    const r = parseRegister(fixture('powerschool-daily.csv'), { table: US_ILLINOIS, knownStudentIds: US_IDS, term: { start: '2024-08-21', end: '2025-06-05' } });
    expect(r.errors).toEqual([]);
    expect(r.layout).toBe('powerschool-daily');
    expect(r.marks).toEqual([
      mark('100234', '2024-09-03', 'DAY', 'P'),
      mark('100234', '2024-09-04', 'DAY', 'ECE'),
      mark('100235', '2024-09-03', 'DAY', 'T'),
      mark('100235', '2024-09-04', 'DAY', 'UNX'),
      mark('100236', '2024-09-03', 'DAY', 'VAC'),
      mark('100236', '2024-09-04', 'DAY', 'VACU'),
    ]);
  });

  it('PowerSchool daily against a two-session (AM/PM) code table is refused as a whole', () => {
    const r = parseRegister(fixture('powerschool-daily.csv'), { table: DFE_2024, knownStudentIds: US_IDS });
    expect(r.marks).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].reason).toMatch(/one mark a day.*two sessions/);
  });

  it('generic long: session and code case do not matter', () => {
    const r = parseRegister(fixture('generic-long.csv'), { table: DFE_2024, knownStudentIds: UK_IDS, term: AUTUMN });
    expect(r.errors).toEqual([]);
    expect(r.layout).toBe('generic-long');
    expect(r.marks.slice(-2)).toEqual([mark('A123456789014', '2024-09-02', 'AM', '/'), mark('A123456789014', '2024-09-02', 'PM', 'L')]);
    expect(r.marks).toHaveLength(6);
  });

  it('finds the header row below a title line', () => {
    const text = 'Attendance marks report,,,\nstudent_id,date,session,code\nA123456789012,2024-09-02,AM,/\n';
    const r = parseRegister(text, { table: DFE_2024, knownStudentIds: UK_IDS });
    expect(r.errors).toEqual([]);
    expect(r.marks).toEqual([mark('A123456789012', '2024-09-02', 'AM', '/')]);
  });
});

describe('parseRegister — every problem names row, column and reason', () => {
  const r = parseRegister(fixture('arbor-long-errors.csv'), { table: DFE_2024, knownStudentIds: UK_IDS, term: AUTUMN });
  const at = (row: number) => r.errors.filter((e) => e.row === row);

  it('reads every row and keeps only the valid marks', () => {
    expect(r.rowsRead).toBe(11);
    expect(r.marks).toEqual([mark('A123456789012', '2024-09-02', 'AM', '/')]);
  });
  it('unknown student', () => {
    expect(at(3)).toEqual([{ row: 3, column: 'Student ID', value: 'A999999999999', reason: 'No student with this ID on the tracker.' }]);
  });
  it('impossible date', () => {
    expect(at(4)).toEqual([{ row: 4, column: 'Date', value: '31/02/2024', reason: 'Date is not a real date (read as dd/MM/yyyy).' }]);
  });
  it('date in the wrong format', () => {
    expect(at(5)).toEqual([{ row: 5, column: 'Date', value: '2024-09-03', reason: expect.stringContaining('not a date in the form dd/MM/yyyy') }]);
  });
  it('date outside the term', () => {
    expect(at(6)).toEqual([{ row: 6, column: 'Date', value: '02/09/2023', reason: 'Date 2023-09-02 is outside the term (2024-09-02 to 2024-12-20).' }]);
  });
  it('session that is not AM/PM', () => {
    expect(at(7)).toEqual([{ row: 7, column: 'Session', value: 'Evening', reason: 'Session must be AM or PM.' }]);
  });
  it('code not in the table', () => {
    expect(at(8)).toEqual([{ row: 8, column: 'Mark', value: 'Q9', reason: expect.stringContaining('"Q9" is not a code in the school\'s code table') }]);
  });
  it('an identical repeat is merged, not an error', () => {
    expect(at(9)).toEqual([]);
    expect(r.duplicatesMerged).toBe(1);
  });
  it('a conflicting repeat names both rows', () => {
    expect(at(10)).toEqual([
      { row: 10, column: 'Mark', value: 'I', reason: 'Conflicts with row 2: A123456789012 2024-09-02 AM is "/" there and "I" here.' },
    ]);
  });
  it('blank student ID and blank mark', () => {
    expect(at(11)).toEqual([{ row: 11, column: 'Student ID', value: '', reason: 'Student ID is blank.' }]);
    expect(at(12)).toEqual([{ row: 12, column: 'Mark', value: '', reason: 'Mark is blank.' }]);
  });
  it('formatImportErrors gives readable lines and says how many more there are', () => {
    const text = formatImportErrors(r.errors, 2);
    expect(text.split('\n')).toEqual([
      'Row 3, column "Student ID" ("A999999999999"): No student with this ID on the tracker.',
      'Row 4, column "Date" ("31/02/2024"): Date is not a real date (read as dd/MM/yyyy).',
      `…and ${r.errors.length - 2} more problems.`,
    ]);
  });
});

describe('parseRegister — file-level problems', () => {
  it('an unrecognised header lists the known layouts and the headers found', () => {
    const r = parseRegister('Pupil,When,Present?\nA1,today,yes\n', { table: DFE_2024, knownStudentIds: UK_IDS });
    expect(r.layout).toBeNull();
    expect(r.errors).toHaveLength(1);
    const { reason, row } = r.errors[0];
    expect(row).toBe(1);
    for (const id of ['sims-wide', 'arbor-long', 'powerschool-daily', 'generic-long']) expect(reason).toContain(id);
    expect(reason).toContain('Headers found: "Pupil", "When", "Present?"');
  });
  it('a forced layout that does not fit says what it needs', () => {
    const r = parseRegister('student_id,date,session,code\n', { table: DFE_2024, knownStudentIds: UK_IDS, layout: 'powerschool-daily' });
    expect(r.errors[0].reason).toMatch(/does not fit the layout "powerschool-daily".*Student_Number, Att_Date, Att_Code/);
  });
  it('an unterminated quote stops the import and names the line', () => {
    const r = parseRegister('student_id,date,session,code\nA1,2024-09-02,AM,"/\n', { table: DFE_2024, knownStudentIds: UK_IDS });
    expect(r.marks).toEqual([]);
    expect(r.errors).toEqual([{ row: 2, column: '', value: '', reason: 'Line 2: a quoted field is never closed (missing ")' }]);
  });
  it('a one-session code table rejects AM/PM marks', () => {
    const r = parseRegister('student_id,date,session,code\n100234,2024-09-03,AM,P\n', { table: US_ILLINOIS, knownStudentIds: US_IDS });
    expect(r.errors).toEqual([{ row: 2, column: 'session', value: 'AM', reason: expect.stringContaining('Session must be DAY') }]);
  });
  it('SIMS: a header whose weekday does not match its date is reported and its column skipped', () => {
    const text = 'UPN,Mon 02/09/2024 AM,Mon 09/02/2024 AM,Tue 03/09/2024 XM\nA123456789012,/,/,/\n';
    const r = parseRegister(text, { table: DFE_2024, knownStudentIds: UK_IDS });
    expect(r.marks).toEqual([mark('A123456789012', '2024-09-02', 'AM', '/')]);
    expect(r.errors).toEqual([
      { row: 1, column: 'Mon 09/02/2024 AM', value: 'Mon 09/02/2024 AM', reason: expect.stringContaining('is a Fri, not a Mon') },
      { row: 1, column: 'Tue 03/09/2024 XM', value: 'Tue 03/09/2024 XM', reason: expect.stringContaining('not in the form "Mon 02/09/2024 AM"') },
    ]);
  });
  it('SIMS: an unknown code in a cell names the session column', () => {
    const text = 'UPN,Mon 02/09/2024 AM\nA123456789012,ZZ\n';
    const r = parseRegister(text, { table: DFE_2024, knownStudentIds: UK_IDS });
    expect(r.errors).toEqual([{ row: 2, column: 'Mon 02/09/2024 AM', value: 'ZZ', reason: expect.stringContaining('"ZZ" is not a code') }]);
  });
});

describe('parseRegister — size', () => {
  it('reads a SIMS export of 2,000 students × 380 sessions quickly', () => {
    const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const headers: string[] = [];
    for (let d = 0; headers.length < 380; d++) {
      const dt = new Date(Date.UTC(2024, 8, 2 + d));
      const [y, m, day] = dt.toISOString().slice(0, 10).split('-');
      headers.push(`${weekdays[dt.getUTCDay()]} ${day}/${m}/${y} AM`, `${weekdays[dt.getUTCDay()]} ${day}/${m}/${y} PM`);
    }
    const ids = new Set<string>();
    const lines = [`Adno,UPN,Surname,Forename,Reg,${headers.join(',')}`];
    for (let i = 0; i < 2000; i++) {
      const upn = `A${String(i).padStart(12, '0')}`;
      ids.add(upn);
      lines.push(`${i},${upn},Surname,Forename,7A,${headers.map((_, j) => (j % 2 ? '\\' : i % 50 === 0 ? 'I' : '/')).join(',')}`);
    }
    // Its speed is measured in `npm run bench` (parse), not asserted here.
    const r = parseRegister(lines.join('\r\n'), { table: DFE_2024, knownStudentIds: ids });
    expect(r.errors).toEqual([]);
    expect(r.marks).toHaveLength(760000);
    expect(r.marks.filter((m) => m.code === 'I')).toHaveLength(40 * 190);
  });
});

describe('mergeMarks — audit trail of amendments (attendance-rules.md §1.1)', () => {
  const meta = { by: 'ao@school.example', at: '2024-09-10T09:15:00Z', reason: 'Re-import from SIMS' };
  const existing = [mark('A1', '2024-09-02', 'AM', '/'), mark('A1', '2024-09-02', 'PM', 'N')];

  it('re-importing the same marks adds nothing and changes nothing', () => {
    const r = mergeMarks(existing, existing, meta);
    expect(r).toEqual({ merged: existing, added: 0, unchanged: 2, amendments: [] });
    const again = mergeMarks(r.merged, existing, meta);
    expect(again.merged).toEqual(existing);
  });

  it('a corrected mark replaces the old one and records original, new, who, when and why', () => {
    const incoming = [mark('A1', '2024-09-02', 'PM', 'I'), mark('A1', '2024-09-03', 'AM', '/')];
    const r = mergeMarks(existing, incoming, meta);
    expect(r.merged).toEqual([mark('A1', '2024-09-02', 'AM', '/'), mark('A1', '2024-09-02', 'PM', 'I'), mark('A1', '2024-09-03', 'AM', '/')]);
    expect(r.added).toBe(1);
    expect(r.unchanged).toBe(0);
    expect(r.amendments).toEqual([
      { studentId: 'A1', date: '2024-09-02', session: 'PM', oldCode: 'N', newCode: 'I', by: meta.by, at: meta.at, reason: meta.reason },
    ]);
    // The input arrays are not modified.
    expect(existing[1].code).toBe('N');
  });

  it('handles 2,000 students × 380 sessions quickly', () => {
    const big: RegisterMark[] = [];
    for (let s = 0; s < 2000; s++) {
      for (let d = 0; d < 190; d++) {
        const date = new Date(Date.UTC(2024, 8, 2 + d)).toISOString().slice(0, 10);
        big.push(mark(`S${s}`, date, 'AM', '/'), mark(`S${s}`, date, 'PM', '\\'));
      }
    }
    const changed = big.map((m, i) => (i % 1000 === 0 ? { ...m, code: 'I' } : m));
    // Its speed is measured in `npm run bench` (parse); a quadratic merge would still time out here.
    const r = mergeMarks(big, changed, meta);
    expect(r.merged).toHaveLength(760000);
    expect(r.amendments).toHaveLength(760);
    expect(r.unchanged).toBe(760000 - 760);
  });
});
