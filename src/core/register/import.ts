/**
 * Register import: MIS export text → validated register marks, and merging them into the marks
 * already held. Every row is checked before anything is written (DESIGN.md §2, "Register"); each
 * problem names its line, column and reason.
 */
import { lookupCode, normaliseCode } from '../codes';
import type { AttendanceCode, CodeTable, IsoDate, RegisterMark, SessionName } from '../types';
import { headerKey } from '../tracker/columns';
import { parseCsv } from './csv';
import { formatSchoolDate, type SchoolDateFormat } from '../format';
import {
  type LayoutId,
  type RegisterLayout,
  REGISTER_LAYOUTS,
  detectLayout,
  headerIndex,
  headersFitLayout,
  looksLikeDateHeader,
  parseLayoutDate,
  parseSessionHeader,
  registerLayout,
  weekdayOf,
} from './layouts';

export type { LayoutId } from './layouts';
export { detectLayout } from './layouts';

export interface ImportError {
  /** 1-based line in the file. */
  row: number;
  /** Header name of the column ('' for a problem with the whole file). */
  column: string;
  value: string;
  reason: string;
  /** Set when the problem is only that the date is not a school day: the person may confirm it was. */
  nonSchoolDay?: IsoDate;
}

export interface RegisterImportOptions {
  table: CodeTable;
  /** Student IDs on the tracker: a mark for anyone else is an error. */
  knownStudentIds: ReadonlySet<string>;
  /** Marks must fall inside the term (inclusive). */
  term?: { start: IsoDate; end: IsoDate };
  /**
   * Why a date is not a school day (core/calendar whyNotSchoolDay: "a Saturday", "in Autumn
   * half-term"), or null when it is one. A mark on such a day is refused, unless confirmed below.
   */
  notSchoolDay?: (date: IsoDate) => string | null;
  /** Days the person confirmed were school days after all (they become "Extra school day" rows). */
  confirmedSchoolDays?: ReadonlySet<IsoDate>;
  /** Skip detection and read the file as this layout. */
  layout?: LayoutId;
  /** How the school writes dates for people (messages); ISO when absent. */
  dateFormat?: SchoolDateFormat;
}

export interface RegisterImportResult {
  /** null when the header row matches no known layout. */
  layout: LayoutId | null;
  marks: RegisterMark[];
  errors: ImportError[];
  /** Data rows read (blank lines not counted). */
  rowsRead: number;
  /** Identical repeated marks for the same student, date and session, kept once. */
  duplicatesMerged: number;
}

/** How far down the file a header row may be (some exports put a title line first). */
const HEADER_SEARCH_ROWS = 10;

/** Cells that mean "no mark taken" in a wide export: left out, not imported. */
const NO_MARK = new Set(['', '-']);

/** 'am', 'A.M.', 'Morning' → AM; 'Day', 'All day' → DAY; anything else → null. */
export function normaliseSession(raw: string): SessionName | null {
  const key = raw.trim().toUpperCase().replace(/[.\s_-]/g, '');
  if (key === 'AM' || key === 'MORNING') return 'AM';
  if (key === 'PM' || key === 'AFTERNOON') return 'PM';
  if (key === 'DAY' || key === 'ALLDAY' || key === 'FULLDAY' || key === 'DAILY') return 'DAY';
  return null;
}

function describeLayouts(): string {
  return REGISTER_LAYOUTS.map((l) => `${l.id}: ${l.label}`).join('; ');
}

function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** Checks one mark; pushes the mark or the reasons it cannot be imported. */
class MarkCollector {
  readonly marks: RegisterMark[] = [];
  readonly errors: ImportError[] = [];
  duplicatesMerged = 0;
  /** studentId → (date|session → index in marks); nested so wide imports reuse one key per column. */
  private readonly seen = new Map<string, Map<string, number>>();
  /** File line of each mark, for naming both rows of a conflict. */
  private readonly markLines: number[] = [];
  private readonly codes: Map<string, AttendanceCode>;
  /** Cell text already found to be a valid code → the code (a register repeats a handful of marks). */
  private readonly validRaw = new Map<string, string>();

  constructor(private readonly opts: RegisterImportOptions) {
    this.codes = new Map(opts.table.codes.map((c) => [c.code, c]));
  }

  error(row: number, column: string, value: string, reason: string): void {
    this.errors.push({ row, column, value, reason });
  }

  /** All-digit tracker IDs by their number ('007' and '7' → '7'); an entry with two IDs is ambiguous. */
  private numericIds: Map<string, string | null> | null = null;

  /**
   * A numeric ID that lost (or gained) leading zeros between the MIS export and the tracker — a
   * tracker cell typed as 007 holds the number 7 — is the tracker's student when exactly one
   * tracker ID has that number; the tracker's spelling is kept, so the Register matches it.
   */
  private sameNumber(value: string): string | null {
    if (!/^\d+$/.test(value)) return null;
    if (!this.numericIds) {
      this.numericIds = new Map();
      for (const id of this.opts.knownStudentIds) {
        if (!/^\d+$/.test(id)) continue;
        const key = id.replace(/^0+(?=\d)/, '');
        this.numericIds.set(key, this.numericIds.has(key) ? null : id);
      }
    }
    return this.numericIds.get(value.replace(/^0+(?=\d)/, '')) ?? null;
  }

  /** Student ID check; SIMS offers UPN then Adno, the first one the tracker knows is used. */
  student(line: number, candidates: { column: string; value: string }[]): string | null {
    const given = candidates.filter((c) => c.value !== '');
    for (const c of given) if (this.opts.knownStudentIds.has(c.value)) return c.value;
    for (const c of given) {
      const same = this.sameNumber(c.value);
      if (same !== null) return same;
    }
    const first = candidates[0];
    if (given.length === 0) {
      this.error(line, first.column, '', 'Student ID is blank.');
    } else {
      const shown = given[0];
      const also = given.length > 1 ? ` (nor is ${given.slice(1).map((g) => `${g.column} "${g.value}"`).join(', ')})` : '';
      this.error(line, shown.column, shown.value, `No student with this ID on the tracker${also}.`);
    }
    return null;
  }

  date(line: number, column: string, raw: string, layout: RegisterLayout): IsoDate | null {
    const parsed = parseLayoutDate(raw, layout.dateFormat);
    if (!parsed.ok) {
      this.error(line, column, raw, raw.trim() === '' ? 'Date is blank.' : `Date ${parsed.reason}.`);
      return null;
    }
    const term = this.opts.term;
    const words = (d: IsoDate) => (this.opts.dateFormat ? formatSchoolDate(d, this.opts.dateFormat) : d);
    if (term && (parsed.date < term.start || parsed.date > term.end)) {
      this.error(line, column, raw, `Date ${words(parsed.date)} is outside the term (${words(term.start)} to ${words(term.end)}).`);
      return null;
    }
    const why = this.opts.notSchoolDay?.(parsed.date) ?? null;
    if (why !== null && !this.opts.confirmedSchoolDays?.has(parsed.date)) {
      this.error(line, column, raw, `${words(parsed.date)} is not a school day (${why}, as Settings ▸ Academic year stands), so its marks would change attendance wrongly. If the school was open that day, confirm it as a school day and import again.`);
      this.errors[this.errors.length - 1]!.nonSchoolDay = parsed.date;
      return null;
    }
    return parsed.date;
  }

  session(line: number, column: string, raw: string): SessionName | null {
    const session = normaliseSession(raw);
    const perDay = this.opts.table.sessionsPerDay;
    const expected = perDay === 2 ? 'AM or PM' : 'DAY';
    if (session === null) {
      this.error(line, column, raw, raw.trim() === '' ? `Session is blank: expected ${expected}.` : `Session must be ${expected}.`);
      return null;
    }
    if ((perDay === 2) !== (session !== 'DAY')) {
      this.error(
        line,
        column,
        raw,
        `Session must be ${expected}: the code table "${this.opts.table.id}" records ${perDay === 2 ? 'two sessions (AM/PM)' : 'one mark'} a day.`,
      );
      return null;
    }
    return session;
  }

  code(line: number, column: string, raw: string): string | null {
    const known = this.validRaw.get(raw);
    if (known !== undefined) return known;
    const code = normaliseCode(raw);
    if (code === '') {
      this.error(line, column, raw, 'Mark is blank.');
      return null;
    }
    if (!this.codes.has(code) && !lookupCode(this.opts.table, code)) {
      this.error(line, column, raw, `"${code}" is not a code in the school's code table (${this.opts.table.label}).`);
      return null;
    }
    this.validRaw.set(raw, code);
    return code;
  }

  /** `sessionKey` is date|session, passed in so a wide import builds it once per column. */
  add(line: number, column: string, mark: RegisterMark, sessionKey = `${mark.date}|${mark.session}`): void {
    let studentSessions = this.seen.get(mark.studentId);
    if (studentSessions === undefined) {
      studentSessions = new Map();
      this.seen.set(mark.studentId, studentSessions);
    }
    const earlierIndex = studentSessions.get(sessionKey);
    if (earlierIndex === undefined) {
      studentSessions.set(sessionKey, this.marks.length);
      this.marks.push(mark);
      this.markLines.push(line);
      return;
    }
    const earlier = this.marks[earlierIndex];
    if (earlier.code === mark.code) {
      this.duplicatesMerged++;
      return;
    }
    this.error(
      line,
      column,
      mark.code,
      `Conflicts with row ${this.markLines[earlierIndex]}: ${mark.studentId} ${mark.date} ${mark.session} is "${earlier.code}" there and "${mark.code}" here.`,
    );
  }
}

function readLong(rows: string[][], lines: number[], headerAt: number, layout: RegisterLayout, collector: MarkCollector): number {
  const headers = rows[headerAt];
  const index = headerIndex(headers);
  const col = (h: string | undefined): number => (h === undefined ? -1 : index.get(headerKey(h)) ?? -1);
  const idCol = col(layout.studentIdHeaders[0]);
  const dateCol = col(layout.dateHeader);
  const sessionCol = col(layout.sessionHeader);
  const codeCol = col(layout.codeHeader);
  let rowsRead = 0;

  for (let r = headerAt + 1; r < rows.length; r++) {
    const cells = rows[r];
    if (isBlankRow(cells)) continue;
    rowsRead++;
    const line = lines[r];
    const cell = (c: number): string => (c < 0 ? '' : (cells[c] ?? '').trim());

    const studentId = collector.student(line, [{ column: headers[idCol], value: cell(idCol) }]);
    const date = collector.date(line, headers[dateCol], cell(dateCol), layout);
    const session = sessionCol < 0 ? 'DAY' : collector.session(line, headers[sessionCol], cell(sessionCol));
    const code = collector.code(line, headers[codeCol], cell(codeCol));
    if (studentId !== null && date !== null && session !== null && code !== null) {
      collector.add(line, headers[codeCol], { studentId, date, session, code });
    }
  }
  return rowsRead;
}

interface SessionColumn {
  col: number;
  header: string;
  date: IsoDate;
  session: SessionName;
  /** date|session, the duplicate-check key. */
  key: string;
}

function readWide(rows: string[][], lines: number[], headerAt: number, layout: RegisterLayout, collector: MarkCollector): number {
  const headers = rows[headerAt];
  const headerLine = lines[headerAt];
  const index = headerIndex(headers);
  const idCols = layout.studentIdHeaders.map((h) => index.get(headerKey(h))).filter((c): c is number => c !== undefined);

  const sessionColumns: SessionColumn[] = [];
  headers.forEach((header, col) => {
    const parsed = parseSessionHeader(header);
    if (!parsed) {
      if (looksLikeDateHeader(header)) {
        collector.error(headerLine, header, header, 'Looks like a session column but is not in the form "Mon 02/09/2024 AM": its marks are not imported.');
      }
      return;
    }
    const date = collector.date(headerLine, header, parsed.dateText, layout);
    if (date === null) return;
    if (weekdayOf(date) !== parsed.weekday) {
      collector.error(headerLine, header, header, `${parsed.dateText} is a ${weekdayOf(date)}, not a ${parsed.weekday}: check the date format (dd/MM/yyyy).`);
      return;
    }
    sessionColumns.push({ col, header, date, session: parsed.session, key: `${date}|${parsed.session}` });
  });

  let rowsRead = 0;
  for (let r = headerAt + 1; r < rows.length; r++) {
    const cells = rows[r];
    if (isBlankRow(cells)) continue;
    rowsRead++;
    const line = lines[r];
    const studentId = collector.student(
      line,
      idCols.map((c) => ({ column: headers[c], value: (cells[c] ?? '').trim() })),
    );
    if (studentId === null) continue;
    for (const sc of sessionColumns) {
      const raw = (cells[sc.col] ?? '').trim();
      if (NO_MARK.has(raw)) continue;
      const code = collector.code(line, sc.header, raw);
      if (code !== null) collector.add(line, sc.header, { studentId, date: sc.date, session: sc.session, code }, sc.key);
    }
  }
  return rowsRead;
}

/**
 * Reads an MIS register export. The layout is detected from the header row (which may follow a
 * few title lines) unless given. Marks that pass every check are returned together with every
 * problem found; the caller writes nothing while `errors` is not empty.
 */
export function parseRegister(text: string, opts: RegisterImportOptions): RegisterImportResult {
  const empty = (layout: LayoutId | null, errors: ImportError[]): RegisterImportResult => ({
    layout,
    marks: [],
    errors,
    rowsRead: 0,
    duplicatesMerged: 0,
  });

  const csv = parseCsv(text);
  if (csv.errors.length > 0) {
    return empty(
      null,
      csv.errors.map((e) => ({ row: e.line, column: '', value: '', reason: e.message })),
    );
  }
  const { rows, lines } = csv;
  if (rows.length === 0) {
    return empty(null, [{ row: 1, column: '', value: '', reason: 'The file is empty: no header row and no marks.' }]);
  }

  let headerAt = -1;
  let layoutId: LayoutId | null = null;
  const searchTo = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < searchTo && headerAt < 0; r++) {
    const headers = rows[r].map((h) => h.trim());
    if (opts.layout) {
      if (headersFitLayout(headers, registerLayout(opts.layout))) [headerAt, layoutId] = [r, opts.layout];
    } else {
      const found = detectLayout(headers);
      if (found) [headerAt, layoutId] = [r, found];
    }
  }
  if (headerAt < 0 || layoutId === null) {
    const found = rows[0].map((h) => `"${h.trim()}"`).join(', ');
    const reason = opts.layout
      ? `The header row does not fit the layout "${opts.layout}" (${registerLayout(opts.layout).label}); it needs ${registerLayout(opts.layout).requiredHeaders.join(', ')}. Headers found: ${found}.`
      : `Unrecognised register layout. Known layouts: ${describeLayouts()}. Headers found: ${found}.`;
    return empty(opts.layout ?? null, [{ row: lines[0], column: '', value: rows[0].join(', '), reason }]);
  }

  const layout = registerLayout(layoutId);
  rows[headerAt] = rows[headerAt].map((h) => h.trim());
  const collector = new MarkCollector(opts);

  // A layout with no session column records one mark a day; a wide SIMS export has AM and PM.
  const layoutSessionsPerDay = layout.form === 'wide' || layout.sessionHeader !== undefined ? null : 1;
  if (layoutSessionsPerDay === 1 && opts.table.sessionsPerDay !== 1) {
    return empty(layoutId, [
      {
        row: lines[headerAt],
        column: '',
        value: layoutId,
        reason: `${layout.label} has one mark a day, but the code table "${opts.table.id}" records two sessions (AM/PM). Choose a one-session code table in Settings.`,
      },
    ]);
  }
  if (layout.form === 'wide' && opts.table.sessionsPerDay !== 2) {
    return empty(layoutId, [
      {
        row: lines[headerAt],
        column: '',
        value: layoutId,
        reason: `${layout.label} has AM and PM sessions, but the code table "${opts.table.id}" records one mark a day.`,
      },
    ]);
  }

  const rowsRead =
    layout.form === 'wide' ? readWide(rows, lines, headerAt, layout, collector) : readLong(rows, lines, headerAt, layout, collector);
  return { layout: layoutId, marks: collector.marks, errors: collector.errors, rowsRead, duplicatesMerged: collector.duplicatesMerged };
}

/** Import problems as lines staff can read, at most `max` of them. */
export function formatImportErrors(errors: readonly ImportError[], max = 20): string {
  const shown = errors.slice(0, Math.max(0, max)).map((e) => {
    const where = e.column ? `Row ${e.row}, column "${e.column}"` : `Row ${e.row}`;
    const value = e.value !== '' && e.column ? ` ("${e.value}")` : '';
    return `${where}${value}: ${e.reason}`;
  });
  if (errors.length > shown.length) {
    const more = errors.length - shown.length;
    shown.push(`…and ${more} more problem${more === 1 ? '' : 's'}.`);
  }
  return shown.join('\n');
}

export interface MarkAmendment {
  studentId: string;
  date: IsoDate;
  session: SessionName;
  oldCode: string;
  newCode: string;
  by: string;
  /** ISO timestamp of the import. */
  at: string;
  reason: string;
}

export interface MergeResult {
  merged: RegisterMark[];
  added: number;
  unchanged: number;
  amendments: MarkAmendment[];
}

/**
 * Incoming marks merged over the existing register. A mark already held is unchanged; a new one
 * is added; a different code for the same session replaces the old one and is returned as an
 * amendment with the original entry, the new one, who, when and why — the audit trail an
 * amended register must keep (attendance-rules.md §1.1).
 */
const SESSION_SLOT: Record<SessionName, 0 | 1 | 2> = { AM: 0, PM: 1, DAY: 2 };

export function mergeMarks(
  existing: readonly RegisterMark[],
  incoming: readonly RegisterMark[],
  meta: { by: string; at: string; reason: string },
): MergeResult {
  const merged = existing.slice();
  // studentId → date → index in merged per session slot. Nested maps keyed by the strings the
  // marks already hold: no key is built per mark, which keeps 760,000-mark merges fast.
  const index = new Map<string, Map<IsoDate, [number, number, number]>>();
  const slotOf = (m: RegisterMark): [number, number, number] => {
    let byDate = index.get(m.studentId);
    if (byDate === undefined) {
      byDate = new Map();
      index.set(m.studentId, byDate);
    }
    let slots = byDate.get(m.date);
    if (slots === undefined) {
      slots = [-1, -1, -1];
      byDate.set(m.date, slots);
    }
    return slots;
  };
  for (let i = 0; i < merged.length; i++) {
    const m = merged[i];
    slotOf(m)[SESSION_SLOT[m.session]] = i;
  }
  let added = 0;
  let unchanged = 0;
  const amendments: MarkAmendment[] = [];
  for (const mark of incoming) {
    const slots = slotOf(mark);
    const slot = SESSION_SLOT[mark.session];
    const at = slots[slot];
    if (at < 0) {
      slots[slot] = merged.length;
      merged.push({ studentId: mark.studentId, date: mark.date, session: mark.session, code: mark.code });
      added++;
      continue;
    }
    const old = merged[at];
    if (old.code === mark.code) {
      unchanged++;
      continue;
    }
    amendments.push({
      studentId: mark.studentId,
      date: mark.date,
      session: mark.session,
      oldCode: old.code,
      newCode: mark.code,
      by: meta.by,
      at: meta.at,
      reason: meta.reason,
    });
    merged[at] = { studentId: mark.studentId, date: mark.date, session: mark.session, code: mark.code };
  }
  return { merged, added, unchanged, amendments };
}
