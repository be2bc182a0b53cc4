/**
 * The new academic year as a plan (issue 11 point 5), pure: from the tracker, the Register and the
 * Interventions Log as read once, to every change the rollover would make — shown to the person
 * before anything is written, and applied only as a whole.
 *
 * - Last year is archived, not deleted: the Register and the Interventions Log are copied to dated
 *   tabs ("Register 2025–26", "Interventions Log 2025–26"), then started afresh with their headers.
 * - Pupils move up a year, written the way the tracker writes it ("7" → "8", "Year 7" → "Year 8",
 *   "Y7" → "Y8"); a tutor group that starts with the year ("7A") moves with it ("8A").
 * - Leavers (the last year group: 11 by default in England, or as set) leave the tracker; their rows
 *   go to a "Leavers 2025–26" tab, so nothing is lost.
 * - What the ladder resets each year is reset: the add-on's own columns (attendance, step, why,
 *   review, contact, letters) are blanked for the recalculation of the new year; the staff's RTC and
 *   ROPC columns are cleared too (the history stays in the archived log). Staff columns such as
 *   comments are kept.
 */
import { columnLetter, TRACKER_FIELDS, type ColumnMapping, type FieldKey } from './tracker/columns';

export interface RolloverInput {
  /** The tracker with its header row (one getValues). */
  trackerValues: readonly (readonly unknown[])[];
  mapping: ColumnMapping;
  /** The academic year being closed, e.g. 2025 for 2025–26. */
  closingYear: number;
  /** The year group that leaves (its pupils are archived, not moved up), as written or as a number. */
  leavingYearGroup: string;
  registerRows: number;
  logRows: number;
  registerTab: string;
  logTab: string;
}

export interface PupilMove {
  row: number;
  studentId: string;
  name: string;
  fromYear: string;
  toYear: string;
  fromGroup: string;
  toGroup: string;
}

export interface RolloverPlan {
  yearLabel: string;
  archives: { from: string; to: string; rows: number }[];
  moves: PupilMove[];
  leavers: { row: number; studentId: string; name: string; yearGroup: string }[];
  leaversTab: string;
  /** Columns blanked on every remaining row, by header. */
  resetColumns: string[];
  /** Rows whose year group cannot be moved up ("Sixth Form", blank): left as they are, named. */
  unchanged: { row: number; studentId: string; yearGroup: string; why: string }[];
  /** The new tracker block (header + remaining rows, in order), ready for one setValues. */
  newTracker: unknown[][];
}

const RESET_FIELDS: FieldKey[] = [...TRACKER_FIELDS.filter((f) => f.ownedByAddon).map((f) => f.key), 'rtc', 'ropc'];

/** The year number inside a year group as written ("Year 7", "Y7", "7", "Grade 3"), and how to write another. */
export function parseYearGroup(text: string): { year: number; write: (n: number) => string } | null {
  const m = /^(\s*(?:year|yr|y|grade|gr)?\s*)0*(\d{1,2})(\s*)$/i.exec(text);
  if (!m) return null;
  return { year: Number(m[2]), write: (n) => `${m[1]}${n}${m[3]}` };
}

/** "7A" → "8A" when the tutor group starts with the old year; otherwise unchanged. */
export function moveTutorGroup(group: string, from: number, to: number): string {
  const m = /^(\D*?)(\d{1,2})(\D.*)?$/.exec(group);
  if (!m || Number(m[2]) !== from) return group;
  return `${m[1]}${to}${m[3] ?? ''}`;
}

export function planRollover(input: RolloverInput): RolloverPlan {
  const yearLabel = `${input.closingYear}–${String(input.closingYear + 1).slice(2)}`;
  const header = input.trackerValues[0] ?? [];
  const col = (k: FieldKey) => input.mapping[k];
  const yearCol = col('yearGroup');
  const groupCol = col('tutorGroup');
  const idCol = col('studentId');
  const nameCol = col('studentName');
  if (yearCol === undefined || idCol === undefined) throw new Error('The tracker has no Student ID or Year Group column: run Set up first.');
  const leaving = parseYearGroup(input.leavingYearGroup)?.year ?? null;
  const resetCols = RESET_FIELDS.map(col).filter((c): c is number => c !== undefined);
  const plan: RolloverPlan = {
    yearLabel,
    archives: [
      { from: input.registerTab, to: `${input.registerTab} ${yearLabel}`, rows: input.registerRows },
      { from: input.logTab, to: `${input.logTab} ${yearLabel}`, rows: input.logRows },
    ],
    moves: [],
    leavers: [],
    leaversTab: `Leavers ${yearLabel}`,
    resetColumns: resetCols.map((c) => `${columnLetter(c)} "${String(header[c] ?? '')}"`),
    unchanged: [],
    newTracker: [[...header]],
  };
  input.trackerValues.slice(1).forEach((row, i) => {
    const r = i + 2;
    const id = String(row[idCol] ?? '').trim();
    if (!id && row.every((c) => String(c ?? '').trim() === '')) return;
    const yearText = String(row[yearCol] ?? '').trim();
    const parsed = parseYearGroup(yearText);
    const name = nameCol === undefined ? '' : String(row[nameCol] ?? '');
    if (parsed && leaving !== null && parsed.year === leaving) {
      plan.leavers.push({ row: r, studentId: id, name, yearGroup: yearText });
      return;
    }
    const next = [...row];
    for (const c of resetCols) next[c] = '';
    if (!parsed) {
      plan.unchanged.push({ row: r, studentId: id, yearGroup: yearText, why: yearText ? `"${yearText}" is not a numbered year group` : 'the year group is blank' });
    } else {
      const toYear = parsed.write(parsed.year + 1);
      const fromGroup = groupCol === undefined ? '' : String(row[groupCol] ?? '');
      const toGroup = moveTutorGroup(fromGroup, parsed.year, parsed.year + 1);
      next[yearCol] = toYear;
      if (groupCol !== undefined) next[groupCol] = toGroup;
      plan.moves.push({ row: r, studentId: id, name, fromYear: yearText, toYear, fromGroup, toGroup });
    }
    plan.newTracker.push(next);
  });
  return plan;
}

/** The preview a person reads before confirming: every kind of change, with counts and examples. */
export function describeRollover(plan: RolloverPlan): string[] {
  const lines = [
    ...plan.archives.map((a) => `"${a.from}" (${a.rows} rows) is copied to a new tab "${a.to}", then started afresh with its header row.`),
    `${plan.moves.length} pupils move up a year${plan.moves[0] ? ` (e.g. ${plan.moves[0].name}: ${plan.moves[0].fromYear} ${plan.moves[0].fromGroup} → ${plan.moves[0].toYear} ${plan.moves[0].toGroup})` : ''}.`,
    `${plan.leavers.length} leavers (year ${plan.leavers[0]?.yearGroup ?? 'leaving'}) leave the tracker; their rows are kept on a new tab "${plan.leaversTab}".`,
    `Reset for the new year on every row: ${plan.resetColumns.join(', ') || 'nothing'}.`,
  ];
  for (const u of plan.unchanged) lines.push(`Row ${u.row} (${u.studentId}): left as it is — ${u.why}.`);
  return lines;
}
