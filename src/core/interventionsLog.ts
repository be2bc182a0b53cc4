/**
 * The Interventions Log tab: append-only record of every contact, letter and meeting (seeds 001
 * and 002 require this documentation). One row per record; read once per operation.
 */
import { CONTACT_METHODS, type ContactMethod, type InterventionRecord, type IsoDate } from './types';
import { asSheetText } from './sanitise';
import { isoDateOfCell } from './calendar';
import { formatSchoolDate, formatSchoolTimestamp, isoOfSchoolDate, letterKeyOfWords, letterKeyWords, type SchoolDateFormat } from './format';

import { fractionCellValue } from './format/percent';

export const LOG_HEADERS = [
  'Recorded at',
  'Date',
  'Student ID',
  'Student name',
  'Step',
  'Method',
  'Outcome',
  'Next action',
  'By',
  'Attendance at time',
  'Letter key',
  'Document',
  'Notes',
] as const;

/** 1-based column of "Attendance at time": the exact fraction, shown with the one percent format. */
export const LOG_ATTENDANCE_COLUMN = LOG_HEADERS.indexOf('Attendance at time') + 1;

export interface LogProblem {
  row: number;
  message: string;
}

/** Cell text; a leading apostrophe (the force-text marker, when values did not pass through Sheets) is dropped. */
function text(v: unknown): string {
  const s = String(v ?? '').trim();
  return s.startsWith("'") ? s.slice(1) : s;
}

function isoOf(v: unknown, format: SchoolDateFormat): IsoDate {
  return isoDateOfCell(v) ?? isoOfSchoolDate(v, format) ?? text(v).slice(0, 10);
}

/** 'Attendance at time' as read back: the fraction the add-on writes, or a percentage typed as text ('84.2%'). */
function attendanceOf(v: unknown): number | undefined {
  if (v === '' || v === null || v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const s = text(v);
  const pct = /^([+-]?\d+(?:\.\d+)?)\s*%$/.exec(s);
  const n = pct ? Number(pct[1]) / 100 : Number(s);
  return s !== '' && Number.isFinite(n) ? n : undefined;
}

/** A generated date as text Sheets keeps as text (the apostrophe is not stored; semantics S4.6). */
function forcedText(s: string): string {
  return s === '' ? '' : `'${s}`;
}

/** One log row for setValues/appendRow. Free text is written as text, never as a formula. */
export function logRow(record: InterventionRecord, recordedAt: string, studentName: string, format: SchoolDateFormat = 'dd/MM/yyyy'): (string | number)[] {
  // Dates go in as literal text in the school's format ('19/12/2025'): a date cell would come back
  // as a Date in the spreadsheet's zone and could shift a day when read in another zone (semantics
  // V1.7); readInterventionsLog reads them back with the same format.
  return [
    forcedText(formatSchoolTimestamp(recordedAt, format)),
    forcedText(formatSchoolDate(record.date, format)),
    asSheetText(record.studentId),
    asSheetText(studentName),
    record.step,
    record.method,
    asSheetText(record.outcome),
    asSheetText(record.nextAction ?? ''),
    asSheetText(record.by),
    record.attendanceAtTime === undefined ? '' : fractionCellValue(record.attendanceAtTime),
    // The letter in words ('Letter 3 · Autumn term 2024'); readInterventionsLog gives the key back.
    asSheetText(record.letterKey ? letterKeyWords(record.letterKey) : ''),
    record.documentUrl ?? '',
    asSheetText(record.notes ?? ''),
  ];
}

/** Reads the log (header row included) into records per student, oldest first. */
export function readInterventionsLog(values: readonly (readonly unknown[])[], format: SchoolDateFormat = 'dd/MM/yyyy'): { byStudent: Map<string, InterventionRecord[]>; problems: LogProblem[]; count: number } {
  const byStudent = new Map<string, InterventionRecord[]>();
  const problems: LogProblem[] = [];
  let count = 0;
  for (let r = 1; r < values.length; r++) {
    const row = values[r];
    const studentId = text(row[2]);
    if (!studentId) continue;
    const date = isoOf(row[1], format);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      problems.push({ row: r + 1, message: `Interventions Log row ${r + 1}: date "${String(row[1])}" is not a date` });
      continue;
    }
    const methodText = text(row[5]);
    const method = (CONTACT_METHODS as readonly string[]).find((m) => m.toLowerCase() === methodText.toLowerCase()) as ContactMethod | undefined;
    if (!method) {
      problems.push({ row: r + 1, message: `Interventions Log row ${r + 1}: method "${methodText}" is not one of ${CONTACT_METHODS.join(', ')}` });
      continue;
    }
    const step = Number(row[4]);
    const attendance = attendanceOf(row[9]);
    const rec: InterventionRecord = {
      date,
      studentId,
      step: Number.isFinite(step) ? step : 0,
      method,
      outcome: text(row[6]),
      nextAction: text(row[7]) || undefined,
      by: text(row[8]),
      attendanceAtTime: attendance !== undefined && Number.isFinite(attendance) ? attendance : undefined,
      letterKey: letterKeyOfWords(text(row[10]), studentId) || undefined,
      documentUrl: text(row[11]) || undefined,
      notes: text(row[12]) || undefined,
    };
    let list = byStudent.get(studentId);
    if (!list) byStudent.set(studentId, (list = []));
    list.push(rec);
    count++;
  }
  for (const list of byStudent.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { byStudent, problems, count };
}
