/**
 * Reading student rows from the tracker (values from one getValues call) into typed students,
 * checking each row and naming the row and column of anything wrong.
 */
import { normaliseLanguage } from '../language';
import { cleanCell, outboundText, TEXT_LIMITS, tooLong } from '../sanitise';
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

  // Control characters (a NUL pasted from another system) never travel on to letters, emails or tabs.
  const cell = (cells: unknown[], key: FieldKey): string => {
    const col = mapping[key];
    return col === undefined ? '' : outboundText(cleanCell(cells[col])).trim();
  };
  const errorAt = (row: number, key: FieldKey, message: string): TrackerRowError => {
    const col = mapping[key];
    return { row, column: col === undefined ? '' : columnLetter(col), field: trackerField(key).header, message };
  };
  /** Free text longer than sensible is cut (the row is kept) and reported at its cell. */
  const capped = (row: number, key: FieldKey, value: string, max: number): string => {
    const problem = tooLong(trackerField(key).header, value, max, 'are used');
    if (!problem) return value;
    errors.push(errorAt(row, key, problem));
    return value.slice(0, max);
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
    let name = capped(row, 'studentName', cell(cells, 'studentName'), TEXT_LIMITS.name);
    if (name === '') name = [capped(row, 'firstName', cell(cells, 'firstName'), TEXT_LIMITS.name), capped(row, 'lastName', cell(cells, 'lastName'), TEXT_LIMITS.name)].filter((s) => s !== '').join(' ');
    const yearGroup = normaliseYearGroup(capped(row, 'yearGroup', cell(cells, 'yearGroup'), TEXT_LIMITS.group));

    let rowOk = true;
    if (studentId === '') {
      errors.push(errorAt(row, 'studentId', 'Student ID is blank: every student row needs an ID.'));
      rowOk = false;
    } else if (studentId.length > TEXT_LIMITS.studentId) {
      errors.push(errorAt(row, 'studentId', `Student ID is ${studentId.length.toLocaleString('en-GB')} characters long; at most ${TEXT_LIMITS.studentId} are allowed — correct it.`));
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
      const parentName = capped(row, nameKey, cell(cells, nameKey), TEXT_LIMITS.name);
      let email = cell(cells, emailKey);
      const phone = capped(row, phoneKey, cell(cells, phoneKey), TEXT_LIMITS.group);
      if (email.length > TEXT_LIMITS.email) {
        errors.push(errorAt(row, emailKey, tooLong(trackerField(emailKey).header, email, TEXT_LIMITS.email)!));
        email = '';
      } else if (email !== '' && !isValidEmail(email)) {
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
      tutorGroup: capped(row, 'tutorGroup', cell(cells, 'tutorGroup'), TEXT_LIMITS.group),
      parents,
      language: normaliseLanguage(cell(cells, 'language')),
      rtc: cell(cells, 'rtc'),
      ropc: cell(cells, 'ropc'),
    });
  }
  return { students, errors };
}

export { normaliseLanguage };
