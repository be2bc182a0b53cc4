/**
 * The new academic year as a plan (issue 11 point 5), pure: from the tracker as read once, the
 * sizes of the year's tabs, the calendar and (optionally) the MIS's export of next year's pupils, to
 * every change the rollover makes — shown to the person before anything is written, and applied by
 * src/gas/rollover.ts as a whole (fault-safe, retriable).
 *
 * - Last year is archived, not deleted: the tracker, the Register, the Interventions Log, the
 *   Letters Ledger and the Register Amendments are copied to dated tabs ("Register 2025–26"); then
 *   the year's tabs start afresh with their header rows.
 * - Pupils move up a year, written the way the tracker writes it ("7" → "8", "Year 7" → "Year 8",
 *   "Y7" → "Y8"); a tutor group that starts with the year ("7A") moves with it ("8A"). With the
 *   MIS's export of next year, each pupil takes the year and tutor group the export gives.
 * - Leavers — the top year group, or, with an export, every pupil the export no longer lists —
 *   leave the tracker; they stay on the archived tracker tab, so nothing is lost. Pupils in the
 *   export and not on the tracker join it (new Year 7).
 * - What the ladder counts each year starts again: the add-on's own columns (attendance, step, why,
 *   review, contact, letters) are blanked, and the staff's RTC and ROPC marks cleared (the history
 *   stays in the archived log); letters are once per term or year, so the new year's ledger starts
 *   empty. Staff columns such as comments and contacts are kept.
 * - It runs only once next year's terms are in Settings → Academic year and the closing year has
 *   no school day left.
 */
import { countUpTo, schoolDaysOf, type SchoolCalendar } from './calendar';
import { parseCsv } from './register/csv';
import { columnLetter, mapColumns, TRACKER_FIELDS, type ColumnMapping, type FieldKey } from './tracker/columns';
import type { IsoDate } from './types';

// ------------------------------------------------------------------------------ the calendar

/** The academic year a date belongs to (2025 for 2025–26: August onwards starts the next one). */
export function academicYearStarting(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? year : year - 1;
}

export function yearLabel(year: number): string {
  return `${year}–${String(year + 1).slice(2)}`;
}

export interface RolloverTiming {
  closingYear: number;
  /** The closing year's last school day. */
  lastDay: IsoDate;
  /** The next year's first school day. */
  nextStart: IsoDate;
}

/**
 * Which year closes and whether it may close today: the latest term that has begun is the closing
 * year's; its last school day must be today or past, and next year's terms must be in Settings.
 * Returns the problem in words otherwise.
 */
export function rolloverTiming(cal: SchoolCalendar, ownCalendar: boolean, today: IsoDate): RolloverTiming | { problem: string } {
  if (!ownCalendar || cal.terms.length === 0) {
    return { problem: 'Enter the academic year first (Settings → Academic year): this year’s terms and next year’s, so the new year’s school days are right.' };
  }
  const begun = cal.terms.filter((t) => t.start <= today).sort((a, b) => (a.start < b.start ? -1 : 1));
  const current = begun[begun.length - 1];
  if (!current) return { problem: 'The school year in Settings → Academic year has not begun yet: there is no year to close.' };
  const closingYear = academicYearStarting(current.start);
  const days = schoolDaysOf(cal);
  const closingDays = days.filter((d) => academicYearStarting(d) === closingYear);
  const nextDays = days.filter((d) => academicYearStarting(d) === closingYear + 1);
  const lastDay = closingDays[closingDays.length - 1] ?? current.end;
  if (nextDays.length === 0) {
    return { problem: `Enter next year’s terms first (Settings → Academic year: “Start from England’s usual pattern” offers ${yearLabel(closingYear + 1)}). The new year cannot start without its school days.` };
  }
  if (countUpTo(days, today) < countUpTo(days, lastDay)) {
    return { problem: `The ${yearLabel(closingYear)} year still has school days (its last is ${lastDay}): start the new year on that day or after it.` };
  }
  return { closingYear, lastDay, nextStart: nextDays[0]! };
}

// ------------------------------------------------------------------------------ the MIS export

export interface ExportPupil {
  /** Row in the export file (1-based, the header is row 1). */
  row: number;
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string | null;
  /** Staff columns the export also has (contacts, language), by field, for pupils who join. */
  fields: Partial<Record<FieldKey, string>>;
}

export interface NewYearExport {
  pupils: ExportPupil[];
  /** Each with its row and column; the export is refused while there is any. */
  problems: string[];
}

const JOINER_FIELDS: FieldKey[] = ['parentName', 'parentEmail', 'parentPhone', 'secondParentName', 'secondParentEmail', 'secondParentPhone', 'language'];

/**
 * The MIS's list of next year's pupils (a CSV with a header row: the tracker's own header names and
 * aliases — UPN, Legal Surname, Legal Forename, Year, Reg Group… — are understood). Student ID and
 * year group are required on every row; an ID given twice is refused.
 */
export function readNewYearExport(csvText: string, fileName = 'the export'): NewYearExport {
  const problems: string[] = [];
  const parsed = parseCsv(String(csvText ?? ''));
  for (const e of parsed.errors.slice(0, 5)) problems.push(`${fileName}, line ${e.line}: ${e.message}`);
  const rows = parsed.rows;
  if (rows.length < 2) return { pupils: [], problems: [...problems, `${fileName} has no pupils: it needs a header row (Student ID or UPN, Year…) and one row per pupil.`] };
  const headers = rows[0]!.map((h) => String(h ?? ''));
  const columns = mapColumns(headers);
  const m = columns.mapping;
  if (m.studentId === undefined || m.yearGroup === undefined) {
    return { pupils: [], problems: [...problems, `${fileName}, row 1: it needs a Student ID (or UPN) column and a Year column; found ${headers.filter(Boolean).map((h) => `"${h}"`).join(', ') || 'no headers'}.`] };
  }
  const pupils: ExportPupil[] = [];
  const seen = new Map<string, number>();
  const cell = (r: readonly string[], k: FieldKey) => (m[k] === undefined ? '' : String(r[m[k]!] ?? '').trim());
  rows.slice(1).forEach((r, i) => {
    const row = i + 2;
    if (r.every((c) => String(c ?? '').trim() === '')) return;
    const id = cell(r, 'studentId');
    const year = cell(r, 'yearGroup');
    if (!id) { problems.push(`${fileName}, row ${row}, column ${columnLetter(m.studentId!)}: the Student ID is blank.`); return; }
    if (seen.has(id)) { problems.push(`${fileName}, row ${row}, column ${columnLetter(m.studentId!)}: Student ID ${id} is also on row ${seen.get(id)}.`); return; }
    seen.set(id, row);
    if (!year) { problems.push(`${fileName}, row ${row}, column ${columnLetter(m.yearGroup!)}: the year group of ${id} is blank.`); return; }
    const name = cell(r, 'studentName') || [cell(r, 'firstName'), cell(r, 'lastName')].filter(Boolean).join(' ');
    const fields: Partial<Record<FieldKey, string>> = {};
    for (const k of JOINER_FIELDS) if (m[k] !== undefined && cell(r, k)) fields[k] = cell(r, k);
    if (m.firstName !== undefined) fields.firstName = cell(r, 'firstName');
    if (m.lastName !== undefined) fields.lastName = cell(r, 'lastName');
    pupils.push({ row, studentId: id, name, yearGroup: year, tutorGroup: m.tutorGroup === undefined ? null : cell(r, 'tutorGroup'), fields });
  });
  return { pupils, problems };
}

// ------------------------------------------------------------------------------ the plan

export interface RolloverInput {
  /** The tracker with its header row (one getValues). */
  trackerValues: readonly (readonly unknown[])[];
  mapping: ColumnMapping;
  /** The academic year being closed, e.g. 2025 for 2025–26. */
  closingYear: number;
  /** The year group that leaves without an export; default the top numbered year on the tracker. */
  leavingYearGroup?: string | null;
  /** Next year's pupils from the MIS: leavers are those it no longer lists; it gives years and tutor groups. */
  newExport?: readonly ExportPupil[] | null;
  /** The tabs archived, in order (the tracker first), with their sizes. */
  tabs: readonly { name: string; rows: number }[];
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
  closingYear: number;
  yearLabel: string;
  archives: { from: string; to: string; rows: number }[];
  moves: PupilMove[];
  leavers: { row: number; studentId: string; name: string; yearGroup: string; why: string }[];
  joiners: { studentId: string; name: string; yearGroup: string; tutorGroup: string }[];
  /** Columns blanked on every remaining row, by header. */
  resetColumns: string[];
  /** Rows whose year group cannot be moved up ("Sixth Form", blank): left as they are, named. */
  unchanged: { row: number; studentId: string; yearGroup: string; why: string }[];
  /** The new tracker block (header + remaining rows in order + joiners), ready for one setValues. */
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

/** The archive tab of a tab for the closing year: "Register 2025–26". */
export function archiveName(tab: string, year: number): string {
  return `${tab} ${yearLabel(year)}`;
}

export function planRollover(input: RolloverInput): RolloverPlan {
  const label = yearLabel(input.closingYear);
  const header = input.trackerValues[0] ?? [];
  const col = (k: FieldKey) => input.mapping[k];
  const yearCol = col('yearGroup');
  const groupCol = col('tutorGroup');
  const idCol = col('studentId');
  const nameCol = col('studentName');
  if (yearCol === undefined || idCol === undefined) throw new Error('The tracker has no Student ID or Year Group column: run Set up first.');
  const rows = input.trackerValues.slice(1);
  const exported = input.newExport ? new Map(input.newExport.map((p) => [p.studentId, p])) : null;
  let leaving: number | null = null;
  if (!exported) {
    leaving = input.leavingYearGroup ? parseYearGroup(input.leavingYearGroup)?.year ?? null : null;
    if (leaving === null) for (const r of rows) leaving = Math.max(leaving ?? 0, parseYearGroup(String(r[yearCol] ?? '').trim())?.year ?? 0) || null;
  }
  const resetCols = RESET_FIELDS.map(col).filter((c): c is number => c !== undefined);
  const plan: RolloverPlan = {
    closingYear: input.closingYear,
    yearLabel: label,
    archives: input.tabs.map((t) => ({ from: t.name, to: archiveName(t.name, input.closingYear), rows: t.rows })),
    moves: [],
    leavers: [],
    joiners: [],
    resetColumns: resetCols.map((c) => `${columnLetter(c)} "${String(header[c] ?? '')}"`),
    unchanged: [],
    newTracker: [[...header]],
  };
  // How this tracker writes a year group ("Year 8"), for pupils who join.
  let style: ((n: number) => string) | null = null;
  const onTracker = new Set<string>();
  rows.forEach((row, i) => {
    const r = i + 2;
    const id = String(row[idCol] ?? '').trim();
    if (!id && row.every((c) => String(c ?? '').trim() === '')) return;
    onTracker.add(id);
    const yearText = String(row[yearCol] ?? '').trim();
    const parsed = parseYearGroup(yearText);
    style ??= parsed?.write ?? null;
    const name = nameCol === undefined ? '' : String(row[nameCol] ?? '');
    const fromGroup = groupCol === undefined ? '' : String(row[groupCol] ?? '');
    const next = [...row];
    for (const c of resetCols) next[c] = '';
    if (exported) {
      const p = exported.get(id);
      if (!p) {
        plan.leavers.push({ row: r, studentId: id, name, yearGroup: yearText, why: 'not in the new export' });
        return;
      }
      const n = parseYearGroup(p.yearGroup)?.year;
      const toYear = parsed && n !== undefined ? parsed.write(n) : p.yearGroup;
      const toGroup = p.tutorGroup ?? (parsed && n !== undefined ? moveTutorGroup(fromGroup, parsed.year, n) : fromGroup);
      next[yearCol] = toYear;
      if (groupCol !== undefined) next[groupCol] = toGroup;
      plan.moves.push({ row: r, studentId: id, name, fromYear: yearText, toYear, fromGroup, toGroup });
    } else if (parsed && leaving !== null && parsed.year === leaving) {
      plan.leavers.push({ row: r, studentId: id, name, yearGroup: yearText, why: `the top year (${yearText})` });
      return;
    } else if (!parsed) {
      plan.unchanged.push({ row: r, studentId: id, yearGroup: yearText, why: yearText ? `"${yearText}" is not a numbered year group` : 'the year group is blank' });
    } else {
      const toYear = parsed.write(parsed.year + 1);
      const toGroup = moveTutorGroup(fromGroup, parsed.year, parsed.year + 1);
      next[yearCol] = toYear;
      if (groupCol !== undefined) next[groupCol] = toGroup;
      plan.moves.push({ row: r, studentId: id, name, fromYear: yearText, toYear, fromGroup, toGroup });
    }
    plan.newTracker.push(next);
  });
  for (const p of input.newExport ?? []) {
    if (onTracker.has(p.studentId)) continue;
    const n = parseYearGroup(p.yearGroup)?.year;
    const yearGroup = style && n !== undefined ? (style as (n: number) => string)(n) : p.yearGroup;
    const row: unknown[] = Array.from({ length: header.length }, () => '');
    row[idCol] = p.studentId;
    if (nameCol !== undefined) row[nameCol] = p.name;
    row[yearCol] = yearGroup;
    if (groupCol !== undefined) row[groupCol] = p.tutorGroup ?? '';
    for (const [k, v] of Object.entries(p.fields) as [FieldKey, string][]) {
      const c = col(k);
      if (c !== undefined && row[c] === '') row[c] = v;
    }
    plan.newTracker.push(row);
    plan.joiners.push({ studentId: p.studentId, name: p.name, yearGroup, tutorGroup: p.tutorGroup ?? '' });
  }
  return plan;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The preview a person reads before confirming: every kind of change, with counts and examples. */
export function describeRollover(plan: RolloverPlan, timing?: Pick<RolloverTiming, 'nextStart'>): string[] {
  const tracker = plan.archives[0];
  const groupsMoved = plan.moves.filter((m) => m.fromGroup !== m.toGroup).length;
  const e = plan.moves[0];
  const lines = [
    `Last year is kept: ${plan.archives.map((a) => `"${a.from}" (${count(Math.max(0, a.rows - 1), 'row')}) is copied to a new tab "${a.to}"`).join('; ')}.`,
    `Then ${plan.archives.slice(1).map((a) => `"${a.from}"`).join(', ')} start afresh with only their header rows${timing ? `, ready for the first day of ${yearLabel(plan.closingYear + 1)} (${timing.nextStart})` : ''}.`,
    `${count(plan.moves.length, 'pupil')} move up a year${e ? ` (e.g. ${e.name || e.studentId}: ${e.fromYear} ${e.fromGroup} → ${e.toYear} ${e.toGroup})` : ''}; ${count(groupsMoved, 'pupil')} change tutor group.`,
    `${count(plan.leavers.length, 'leaver')} leave the tracker (${[...new Set(plan.leavers.map((l) => l.why))].join('; ') || 'none'}); they stay on "${tracker?.to ?? 'the archive'}".`,
  ];
  if (plan.joiners.length) lines.push(`${count(plan.joiners.length, 'pupil')} from the new export join the tracker (e.g. ${plan.joiners[0]!.name || plan.joiners[0]!.studentId}, ${plan.joiners[0]!.yearGroup} ${plan.joiners[0]!.tutorGroup}).`);
  lines.push(`The ladder starts again: ${plan.resetColumns.join(', ') || 'no column'} are emptied on every row (steps, review dates, contact dates and letters are worked out again from the new year's register and log). Staff columns such as comments and contacts are kept.`);
  for (const u of plan.unchanged) lines.push(`Row ${u.row} (${u.studentId}): left as it is — ${u.why}.`);
  return lines;
}

/** A short fingerprint of a plan (FNV-1a): what the person previewed is what is applied. */
export function planToken(plan: RolloverPlan): string {
  const text = JSON.stringify([plan.closingYear, plan.archives.map((a) => a.to), plan.newTracker.map((r) => r.map((c) => (c instanceof Date ? c.toISOString() : c))), plan.leavers.map((l) => l.studentId)]);
  return fnv(text);
}

/** FNV-1a 32-bit of a text, as 8 hex digits. */
export function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
