/**
 * The add-on writes only its own tracker columns (DESIGN.md §2). They may sit anywhere and in any
 * order, so they are written as contiguous runs: the number of runs depends on the layout (one
 * when setup appended them together), never on the number of students, so a recalculation is a
 * fixed number of setValues calls.
 *
 * Cell conventions (sortable, never ambiguous):
 * - Attendance % is the exact fraction as a number (format/percent.ts percentCellValue), shown with
 *   the percent format PERCENT_FORMAT, so the cell reads exactly what every other output reads.
 * - Dates are ISO text ('2025-03-14', written with a leading apostrophe so Sheets keeps text): they
 *   sort correctly, and no spreadsheet/script time-zone difference can shift a school day.
 * - Step is the ladder label ('Step 5 – Letter 2, AIM 1'); flags are the words 'PA' and 'Severe'.
 */
import { PERCENT_CELL_FORMAT, percentCellValue } from '../format/percent';
import { formatSchoolDate, letterName, type SchoolDateFormat } from '../format';
import { asSheetText } from '../sanitise';
import { isAdoptedWithoutDate, isLetterSent } from '../history';
import type { StudentRecord, TrackerRowOutcome } from '../schoolModel';
import { TRACKER_FIELDS, type ColumnMapping, type FieldKey } from './columns';

export const OWNED_FIELDS: readonly FieldKey[] = TRACKER_FIELDS.filter((f) => f.ownedByAddon).map((f) => f.key);

export const PERCENT_FORMAT = PERCENT_CELL_FORMAT;
export const NOT_EVALUATED = 'Not evaluated';

export interface OwnedRun {
  /** 0-based column of the run's first field. */
  startColumn: number;
  fields: FieldKey[];
}

/** Owned fields present in the mapping, grouped into runs of adjacent columns, left to right. */
export function ownedColumnRuns(mapping: ColumnMapping): OwnedRun[] {
  const placed = OWNED_FIELDS.filter((key) => mapping[key] !== undefined)
    .map((key) => ({ key, col: mapping[key]! }))
    .sort((a, b) => a.col - b.col);
  const runs: OwnedRun[] = [];
  for (const { key, col } of placed) {
    const last = runs[runs.length - 1];
    if (last && last.startColumn + last.fields.length === col) last.fields.push(key);
    else runs.push({ startColumn: col, fields: [key] });
  }
  return runs;
}

/** Owned fields with no column in the mapping. */
export function missingOwnedFields(mapping: ColumnMapping): FieldKey[] {
  return OWNED_FIELDS.filter((key) => mapping[key] === undefined);
}

/** A date in the school's format, as text the sheet keeps as text (read back by isoOfSchoolDate). */
function dateCell(date: string | null, format: SchoolDateFormat, suffix = ''): string {
  return date === null ? '' : `'${formatSchoolDate(date, format)}${suffix}`;
}

function letterStatus(record: StudentRecord, format: SchoolDateFormat): string {
  const due = record.placement.letterDue;
  if (due) return `${letterName(due.letterId)} due (${due.windowKey})`;
  for (let i = record.history.length - 1; i >= 0; i--) {
    const r = record.history[i]!;
    if (!isLetterSent(r)) continue; // a left-out letter is not a letter (issue 10)
    // Adopted with no date in the school's sheet: its row carries the day of adoption, not when it went.
    const when = isAdoptedWithoutDate(r) ? '(date not recorded)' : formatSchoolDate(r.date, format);
    if (r.letterKey) return `${letterName(r.letterKey.split('|')[1] ?? 'letter')} sent ${when}`;
    return `Letter sent ${when}`;
  }
  return '';
}

/** The value of one owned field for an evaluated student; dates in the school's format. */
export function ownedValue(record: StudentRecord, field: FieldKey, format: SchoolDateFormat = 'dd/MM/yyyy'): string | number {
  const { stats, placement } = record;
  switch (field) {
    case 'attendancePercent':
      return percentCellValue(stats.attended, stats.possible);
    case 'possibleSessions':
      return stats.possible;
    case 'unauthorisedSessions':
      return stats.unauthorised;
    case 'paFlag':
      return stats.persistentAbsence ? 'PA' : '';
    case 'severeFlag':
      return stats.severeAbsence ? 'Severe' : '';
    case 'ladderStep':
      return asSheetText(placement.label);
    case 'stepReason':
      return asSheetText(placement.explanation);
    case 'reviewDue':
      return dateCell(placement.reviewDue, format);
    case 'lastContact':
      return dateCell(record.lastContact, format);
    case 'contactDue':
      return dateCell(record.contactDue, format, record.overdue ? ' – overdue' : '');
    case 'letterStatus':
      return asSheetText(letterStatus(record, format));
    default:
      throw new Error(`"${field}" is a staff column: the add-on never writes it`);
  }
}

function outcomeValue(outcome: TrackerRowOutcome, field: FieldKey, format: SchoolDateFormat): string | number {
  switch (outcome.kind) {
    case 'student':
      return ownedValue(outcome.record, field, format);
    case 'unevaluated':
    case 'invalid':
      if (field === 'ladderStep') return NOT_EVALUATED;
      if (field === 'stepReason') return asSheetText(outcome.problem);
      return '';
    case 'blank':
      return '';
  }
}

/** Values for each run (runs × rows × fields), rows in the order given (sheet rows 2…). */
export function ownedValues(rows: readonly TrackerRowOutcome[], runs: readonly OwnedRun[], format: SchoolDateFormat = 'dd/MM/yyyy'): (string | number)[][][] {
  return runs.map((run) => rows.map((outcome) => run.fields.map((field) => outcomeValue(outcome, field, format))));
}
