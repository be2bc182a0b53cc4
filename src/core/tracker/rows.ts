/**
 * Reading student rows from the tracker (values from one getValues call) into typed students,
 * checking each row and naming the row and column of anything wrong.
 */
import { normaliseLanguage } from '../language';
import { cleanCell } from '../sanitise';
import { type ColumnMapping, type FieldKey, columnLetter, trackerField } from './columns';

export interface TrackerParent {
  name: string;
  email: string;
  phone: string;
}

export interface TrackerStudent {
  /** 1-based sheet row. */
  row: number;
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
  parents: TrackerParent[];
  /** Language for letters: an ISO 639-1 code, 'en' when blank or not recognised. */
  language: string;
  rtc: string;
  ropc: string;
}

export interface TrackerRowError {
  /** 1-based sheet row. */
  row: number;
  /** Column letter, e.g. 'C'. */
  column: string;
  /** The field's header name, e.g. 'Parent Email'. */
  field: string;
  message: string;
}

export interface TrackerRowsResult {
  students: TrackerStudent[];
  errors: TrackerRowError[];
}

/**
 * A pragmatic e-mail check (not RFC 5322): one @, something either side, no spaces, a dot inside
 * the domain, at most 254 characters (the SMTP path limit).
 */
export function isValidEmail(s: string): boolean {
  if (s.length === 0 || s.length > 254) return false;
  if (/\s/.test(s)) return false;
  const parts = s.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts;
  if (local.length === 0 || domain.length === 0) return false;
  const dot = domain.indexOf('.');
  return dot > 0 && dot < domain.length - 1 && !domain.includes('..');
}

/** 'Year 7', 'Y7', 7, 'Grade 3', 'Kindergarten' → '7', '7', '7', '3', 'K'. */
export function normaliseYearGroup(raw: string): string {
  const text = raw.trim();
  const prefixed = /^(?:nc\s*year|year|yr|y|grade|gr)\s*(\d{1,2})$/i.exec(text);
  if (prefixed) return String(Number(prefixed[1]));
  if (/^(k|kg|kindergarten)$/i.test(text)) return 'K';
  if (/^\d{1,2}$/.test(text)) return String(Number(text));
  return text;
}

/**
 * Students from the tracker's values (the whole sheet, header row included). Blank rows are
 * skipped. A row with no ID, no name, no year group or a repeated ID is left out and reported; a
 * malformed e-mail is reported and dropped while the student is kept, so one typo does not hide a
 * student from the ladder.
 */
export function readTrackerRows(values: unknown[][], mapping: ColumnMapping, headerRow = 1): TrackerRowsResult {
  const students: TrackerStudent[] = [];
  const errors: TrackerRowError[] = [];
  const firstRowById = new Map<string, number>();

  const cell = (cells: unknown[], key: FieldKey): string => {
    const col = mapping[key];
    return col === undefined ? '' : cleanCell(cells[col]);
  };
  const errorAt = (row: number, key: FieldKey, message: string): TrackerRowError => {
    const col = mapping[key];
    return { row, column: col === undefined ? '' : columnLetter(col), field: trackerField(key).header, message };
  };
  const nameError = (row: number): TrackerRowError => {
    if (mapping.studentName !== undefined) return errorAt(row, 'studentName', 'Student name is blank.');
    const first = mapping.firstName;
    const last = mapping.lastName;
    const cols = [first, last].filter((c): c is number => c !== undefined).map(columnLetter).join('+');
    return { row, column: cols, field: 'Student Name', message: 'Student name is blank.' };
  };

  for (let i = headerRow; i < values.length; i++) {
    const cells = values[i] ?? [];
    const row = i + 1;
    if (cells.every((v) => cleanCell(v) === '')) continue;

    const studentId = cell(cells, 'studentId');
    let name = cell(cells, 'studentName');
    if (name === '') name = [cell(cells, 'firstName'), cell(cells, 'lastName')].filter((s) => s !== '').join(' ');
    const yearGroup = normaliseYearGroup(cell(cells, 'yearGroup'));

    let rowOk = true;
    if (studentId === '') {
      errors.push(errorAt(row, 'studentId', 'Student ID is blank: every student row needs an ID.'));
      rowOk = false;
    } else {
      const firstRow = firstRowById.get(studentId);
      if (firstRow !== undefined) {
        errors.push(errorAt(row, 'studentId', `Student ID "${studentId}" is on both row ${firstRow} and row ${row}: each student needs one row.`));
        rowOk = false;
      } else {
        firstRowById.set(studentId, row);
      }
    }
    if (name === '') {
      errors.push(nameError(row));
      rowOk = false;
    }
    if (yearGroup === '') {
      errors.push(errorAt(row, 'yearGroup', 'Year group is blank.'));
      rowOk = false;
    }

    const parents: TrackerParent[] = [];
    const parentFields: [FieldKey, FieldKey, FieldKey][] = [
      ['parentName', 'parentEmail', 'parentPhone'],
      ['secondParentName', 'secondParentEmail', 'secondParentPhone'],
    ];
    for (const [nameKey, emailKey, phoneKey] of parentFields) {
      const parentName = cell(cells, nameKey);
      let email = cell(cells, emailKey);
      const phone = cell(cells, phoneKey);
      if (email !== '' && !isValidEmail(email)) {
        const hint = /[;,]/.test(email) ? ' Put one address per cell (a second parent goes in "Second Parent Email").' : '';
        errors.push(errorAt(row, emailKey, `"${email}" does not look like an e-mail address.${hint}`));
        email = '';
      }
      if (parentName !== '' || email !== '' || phone !== '') parents.push({ name: parentName, email, phone });
    }

    if (!rowOk) continue;
    students.push({
      row,
      studentId,
      name,
      yearGroup,
      tutorGroup: cell(cells, 'tutorGroup'),
      parents,
      language: normaliseLanguage(cell(cells, 'language')),
      rtc: cell(cells, 'rtc'),
      ropc: cell(cells, 'ropc'),
    });
  }
  return { students, errors };
}

export { normaliseLanguage };
