import { buildSchoolModel } from '../../src/core/schoolModel';
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { registerSheetValues } from '../../src/core/register/registerSheet';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { mapColumns } from '../../src/core/tracker/columns';
import { missingOwnedFields, NOT_EVALUATED, OWNED_FIELDS, ownedColumnRuns, ownedValue, ownedValues } from '../../src/core/tracker/ownedColumns';
import type { RegisterMark } from '../../src/core/types';

describe('ownedColumnRuns', () => {
  test('all owned columns appended together → one run in field order', () => {
    const headers = ['Student ID', 'Student Name', 'Year Group', 'Comments', 'Attendance %', 'Possible', 'Unauthorised', 'PA', 'Severe', 'Step', 'Why', 'Review due', 'Last contact', 'Contact due', 'Letters'];
    const runs = ownedColumnRuns(mapColumns(headers).mapping);
    expect(runs).toEqual([{ startColumn: 4, fields: [...OWNED_FIELDS] }]);
  });

  test('a reordered, renamed layout with staff columns in between → runs by position, left to right', () => {
    const headers = ['Step', 'Why', 'UPN', 'Name', 'Year', 'Att %', 'Comments', 'Severe', 'PA', 'Notes?', 'Letters', 'Contact due', 'Possible', 'Unauthorised', 'Review due', 'Last contact'];
    const { mapping } = mapColumns(headers);
    expect(ownedColumnRuns(mapping)).toEqual([
      { startColumn: 0, fields: ['ladderStep', 'stepReason'] },
      { startColumn: 5, fields: ['attendancePercent'] },
      { startColumn: 7, fields: ['severeFlag', 'paFlag'] },
      { startColumn: 10, fields: ['letterStatus', 'contactDue', 'possibleSessions', 'unauthorisedSessions', 'reviewDue', 'lastContact'] },
    ]);
    expect(missingOwnedFields(mapping)).toEqual([]);
  });

  test('missing owned columns are reported, never invented', () => {
    const { mapping } = mapColumns(['Student ID', 'Name', 'Year', 'Step']);
    expect(ownedColumnRuns(mapping)).toEqual([{ startColumn: 3, fields: ['ladderStep'] }]);
    expect(missingOwnedFields(mapping)).toHaveLength(OWNED_FIELDS.length - 1);
  });
});

describe('ownedValues', () => {
  const headers = ['Why', 'UPN', 'Name', 'Year', 'Att %', 'Comments', 'PA', 'Severe', 'Step', 'Possible', 'Unauthorised', 'Review due', 'Last contact', 'Contact due', 'Letters'];
  const days = ['2024-09-02', '2024-09-03', '2024-09-04', '2024-09-05', '2024-09-06'];
  const marks: RegisterMark[] = days.flatMap((date, i) => [
    { studentId: 'P1', date, session: 'AM' as const, code: i < 3 ? 'O' : '/' },
    { studentId: 'P1', date, session: 'PM' as const, code: i < 3 ? 'O' : '\\' },
    { studentId: 'P2', date, session: 'AM' as const, code: i === 0 ? '??' : '/' },
    { studentId: 'P2', date, session: 'PM' as const, code: '\\' },
  ]);
  const tracker = [headers, ['', 'P1', 'Pat One', '8', '', '=HYPERLINK("http://x","y")', '', '', '', '', '', '', '', '', ''], ['', 'P2', 'Pat Two', '8', ...Array(11).fill('')], Array(15).fill('')];
  const model = buildSchoolModel({
    trackerValues: tracker,
    columns: mapColumns(headers),
    registerValues: registerSheetValues(marks),
    logValues: [[...LOG_HEADERS]],
    settings: DEFAULT_SETTINGS,
    today: '2024-09-09',
  });
  const runs = ownedColumnRuns(mapColumns(headers).mapping);
  const values = ownedValues(model.rows, runs);

  test('one value array per run, one row per data row, one cell per field', () => {
    expect(values).toHaveLength(runs.length);
    values.forEach((v, i) => {
      expect(v).toHaveLength(3);
      for (const row of v) expect(row).toHaveLength(runs[i]!.fields.length);
    });
  });

  test('an evaluated student: exact fraction, counts, flags in words, step label, reason, dates as text in the school format', () => {
    const cell = (field: string, row = 0) => {
      const r = runs.findIndex((run) => run.fields.includes(field as never));
      return values[r]![row]![runs[r]!.fields.indexOf(field as never)];
    };
    expect(cell('attendancePercent')).toBe(4 / 10);
    expect(cell('possibleSessions')).toBe(10);
    expect(cell('unauthorisedSessions')).toBe(6);
    expect(cell('paFlag')).toBe('PA');
    expect(cell('severeFlag')).toBe('Severe');
    expect(cell('ladderStep')).toBe(model.byId.get('P1')!.placement.label);
    expect(cell('ladderStep')).toMatch(/^Step \d+ – /);
    expect(cell('stepReason')).toBe(model.byId.get('P1')!.placement.explanation);
    expect(cell('contactDue')).toMatch(/^'\d{2}\/\d{2}\/\d{4}$/); // the school's format (dd/MM/yyyy), read back by isoOfSchoolDate
    // Row 2: an unknown code → "Not evaluated" with the reason, no figures.
    expect(cell('ladderStep', 1)).toBe(NOT_EVALUATED);
    expect(String(cell('stepReason', 1))).toContain('"??" is not a code');
    expect(cell('attendancePercent', 1)).toBe('');
    // Row 3: blank row stays blank.
    expect(values.every((v) => v[2]!.every((c) => c === ''))).toBe(true);
  });

  test('Letters: an adopted letter the school\'s sheet gave no date for says so, not the day of adoption as its date (preview walk: "Letter 3 sent 28/11/2025")', () => {
    const base = model.byId.get('P1')!;
    const adopted = (notes: string, date: string) => ({ date, studentId: 'P1', step: 6, method: 'Letter' as const, outcome: 'Letter sent' as const, by: 'admin@x', letterKey: 'P1|letter3|Autumn term 2024', notes });
    const withHistory = (h: ReturnType<typeof adopted>) => ({ ...base, placement: { ...base.placement, letterDue: null }, history: [h] });
    const undated = adopted('Adopted history: Letter 3 (the letter of Step 6) taken as sent — the sheet gives no date (recorded as today); untick it if it was not sent; confirmed by admin@x. [P1|stepLetter|Intervention]', '2024-09-09');
    expect(ownedValue(withHistory(undated), 'letterStatus')).toBe('Letter 3 sent (date not recorded)');
    const dated = adopted('Adopted history: Letter 3 sent on 03/09/2024 (column "Letter 3"); confirmed by admin@x. [P1|letter|Letter 3]', '2024-09-03');
    expect(ownedValue(withHistory(dated), 'letterStatus')).toBe('Letter 3 sent 03/09/2024');
  });

  test('staff columns are never in a run', () => {
    const staffCols = new Set([1, 2, 3, 5]);
    for (const run of runs) for (let c = run.startColumn; c < run.startColumn + run.fields.length; c++) expect(staffCols.has(c)).toBe(false);
  });
});
