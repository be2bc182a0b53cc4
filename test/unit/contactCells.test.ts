/** RTC/ROPC cells versus the log (src/core/contactCells.ts): what counts as logged, and what was missed. */
import { contactCellNote, contactCellsMissingFromLog, contactCellText, parseContactCellNote } from '../../src/core/contactCells';
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { mapColumns } from '../../src/core/tracker/columns';

const tracker = [
  ['Student ID', 'Name', 'Year', 'RTC', 'ROPC'],
  ['S1', 'Ann', 7, 'Yes', ''],
  ['S2', 'Bob', 7, 'Yes', 'called mum'],
  ['S3', 'Cat', 7, '', 'x'],
  ['', 'No id', 7, 'Yes', ''],
];
const mapping = mapColumns(tracker[0]!).mapping;
const logRowOf = (id: string, method: string, notes: string) => {
  const row: unknown[] = LOG_HEADERS.map(() => '');
  row[2] = id;
  row[5] = method;
  row[12] = notes;
  return row;
};

test('a cell whose text the log recorded is logged; a changed text or no record is missed', () => {
  const log = [[...LOG_HEADERS], logRowOf('S1', 'Conversation', 'RTC cell: "Yes"'), logRowOf('S2', 'Phone call', 'ROPC cell: "no answer"')];
  expect(contactCellsMissingFromLog(tracker, mapping, log)).toEqual([
    { row: 3, studentId: 'S2', column: 'rtc', cellText: 'Yes' },
    { row: 3, studentId: 'S2', column: 'ropc', cellText: 'called mum' },
    { row: 4, studentId: 'S3', column: 'ropc', cellText: 'x' },
  ]);
  expect(contactCellsMissingFromLog(tracker, mapping, log, [2])).toEqual([]);
});

test('log rows from before the marker count as the record (no flood of duplicates on upgrade)', () => {
  const log = [[...LOG_HEADERS], logRowOf('S2', 'Conversation', ''), logRowOf('S2', 'Phone call', 'spoke to mum'), logRowOf('S3', 'Phone call', '')];
  expect(contactCellsMissingFromLog(tracker, mapping, log).map((m) => m.studentId + m.column)).toEqual(['S1rtc']);
});

test('notes round-trip, a typed formula keeps what was typed, dates and tick boxes read as text', () => {
  expect(parseContactCellNote(contactCellNote('ropc', 'say "hi"'))).toEqual({ column: 'ropc', text: 'say "hi"' });
  expect(contactCellNote('rtc', '#NAME?', '=X()')).toBe('=X() — RTC cell: "#NAME?"');
  expect(parseContactCellNote("'=X() — RTC cell: \"#NAME?\"")).toEqual({ column: 'rtc', text: '#NAME?' });
  expect(parseContactCellNote('spoke to mum')).toBeNull();
  expect(contactCellText(true)).toBe('TRUE');
  expect(contactCellText(false)).toBe('');
  expect(contactCellText(new Date(2026, 10, 23))).toBe('2026-11-23');
});
