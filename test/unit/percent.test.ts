/**
 * THE percent rule (src/core/format/percent.ts) and every output that shows an attendance figure.
 * Issue 10: the tracker showed 84.2 %, the letter 84.1 % (86.7 % vs "86,6 %" in Spanish), because
 * letters truncated and the tracker rounded. Each output is asked through its own code path here.
 */
import { displayValue } from '../../emulator/spreadsheet/cellValues';
import {
  formatAttendance,
  formatFraction,
  formatPercentOf,
  formatPointsBetween,
  fractionCellValue,
  fractionTenths,
  percentCellValue,
  percentTenths,
} from '../../src/core/format/percent';
import { logRow, LOG_ATTENDANCE_COLUMN } from '../../src/core/interventionsLog';
import { buildMergeValues, type MergeInput } from '../../src/core/letters/render';
import { ratioText } from '../../src/core/report/weekly';
import type { StudentRecord } from '../../src/core/schoolModel';
import { toStudentSummary } from '../../src/core/studentView';
import { ownedValue, PERCENT_FORMAT } from '../../src/core/tracker/ownedColumns';

/** Exact half-up tenths by BigInt rational arithmetic: the reference the module must equal. */
function referenceTenths(a: number, p: number): number {
  if (p === 0) return 1000;
  const num = BigInt(a) * 2000n + BigInt(p);
  return Number(num / (2n * BigInt(p)));
}

function record(attended: number, possible: number): StudentRecord {
  const stats = { attended, possible, attendanceFraction: possible === 0 ? 1 : attended / possible, absent: possible - attended, unauthorised: 0 };
  return {
    student: { studentId: 'S1', name: 'Amira Khan', yearGroup: '9', tutorGroup: '9B', parents: [], language: 'en', row: 2 },
    stats,
    placement: { step: 0, label: 'No step', explanation: '', reasons: [], nextAction: '', owner: '', dueDate: null, reviewDue: null, letterDue: null, currentStepInHistory: 0 },
    history: [],
  } as unknown as StudentRecord;
}

function letterPercent(attended: number, possible: number, language: string): string {
  const input: MergeInput = {
    student: { studentId: 'S1', name: 'Amira Khan', yearGroup: '9', tutorGroup: '9B', parents: [], language } as unknown as MergeInput['student'],
    parent: { name: 'Mrs Khan', email: 'k@example.org' },
    placement: { step: 4, label: 'Step 4', explanation: '', letterDue: null } as unknown as MergeInput['placement'],
    stats: { attended, possible, unauthorised: 0 },
    absenceDates: [],
    schoolName: 'Hilltop',
    staffName: 'Ms Jones',
    today: '2025-11-28',
    language,
    reviewDue: null,
  };
  return buildMergeValues(input)['Attendance %'];
}

/** What the tracker cell shows: the value the add-on writes, displayed with the format it sets. */
const trackerShows = (a: number, p: number) => displayValue(ownedValue(record(a, p), 'attendancePercent'), PERCENT_FORMAT, 'Europe/London');

describe('the one percent rule', () => {
  it('is half-up on the exact fraction for every count a school year can hold', () => {
    for (let p = 0; p <= 420; p++) {
      for (let a = 0; a <= p; a++) {
        const t = referenceTenths(a, p);
        expect(percentTenths(a, p)).toBe(t);
        if (p > 0) expect(fractionTenths(a / p)).toBe(t);
      }
    }
    expect(formatPercentOf(1683, 2000)).toBe('84.2%'); // 84.15 exactly: half goes up
    expect(formatPercentOf(23, 80)).toBe('28.8%'); // 28.75: the double 0.2875 sits below the half
    expect(formatPercentOf(0, 0)).toBe('100.0%');
    expect(formatPercentOf(13, 15, 'es')).toBe('86,7 %');
    expect(formatPercentOf(13, 15, 'Español')).toBe('86,7 %');
    expect(() => formatPercentOf(5, 4)).toThrow('not a valid count');
  });

  it('the old mismatch is gone: tracker 84.2 % = letter 84.2 % (was 84.1 %); 86.7 % = "86,7 %" in Spanish (was "86,6 %")', () => {
    // 197 of 234 = 84.19 %: the old letter truncated it to 84.1 %.
    expect(trackerShows(197, 234)).toBe('84.2%');
    expect(letterPercent(197, 234, 'en')).toBe('84.2%');
    // 13 of 15 = 86.67 %: the old Spanish letter read "86,6 %".
    expect(trackerShows(13, 15)).toBe('86.7%');
    expect(letterPercent(13, 15, 'es')).toBe('86,7 %');
  });

  it('tracker, sidebar, letter, weekly report and Log show the same figure for every count', () => {
    for (let p = 1; p <= 400; p += p < 120 ? 1 : 7) {
      for (let a = 0; a <= p; a++) {
        const expected = formatPercentOf(a, p);
        const shown = [
          trackerShows(a, p),
          toStudentSummary(record(a, p)).attendancePercent,
          letterPercent(a, p, 'en'),
          ratioText({ fraction: a / p } as Parameters<typeof ratioText>[0]),
          displayValue(logRow({ date: '2025-11-28', studentId: 'S1', step: 1, method: 'Phone call', outcome: 'Spoke', by: 'x', attendanceAtTime: a / p }, 'x', 'A')[LOG_ATTENDANCE_COLUMN - 1] as number, PERCENT_FORMAT, 'UTC'),
        ];
        if (shown.some((s) => s !== expected)) throw new Error(`${a}/${p}: expected ${expected} everywhere, got ${shown.join(' | ')}`);
      }
    }
  });

  it('a cell keeps the exact fraction (thresholds and =ATTEND_TIER(cell) read it) except a hair above an exact half', () => {
    expect(percentCellValue(197, 234)).toBe(197 / 234);
    expect(percentCellValue(23, 80)).toBeGreaterThan(0.2875);
    expect(percentCellValue(23, 80) - 0.2875).toBeLessThan(1e-8);
    expect(fractionCellValue(23 / 80)).toBe(percentCellValue(23, 80));
    expect(fractionCellValue(197 / 234)).toBe(197 / 234);
  });

  it('a drop in points is the difference of the two figures shown', () => {
    // 84.2 % → 81.0 %: "down 3.2 points", whatever the unrounded difference was.
    expect(formatPointsBetween(197 / 234, 81 / 100)).toBe('3.2');
    expect(formatFraction(197 / 234)).toBe('84.2%');
    expect(formatAttendance({ attended: 197, possible: 234 }, 'es')).toBe('84,2 %');
  });
});
