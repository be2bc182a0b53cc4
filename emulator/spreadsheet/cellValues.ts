/**
 * Cell values: what a written value becomes (USER_ENTERED parsing, S4.6), and how a value is
 * displayed (getDisplayValues, S4.4). Dates are instants; their wall clock is read in the
 * spreadsheet's time zone (S4.3).
 */
import { exception } from '../runtime/errors';
import { fromWallClock, wallClock } from '../utilities/timezone';

export type CellValue = number | string | boolean | Date;

export interface ParsedInput {
  /** undefined = the cell becomes empty */
  value: CellValue | undefined;
  formula?: string;
  /** a number format implied by the input ('10%' → '0%', '2024-01-31' → 'yyyy-mm-dd') */
  numberFormat?: string;
}

export const MAX_CELL_CHARS = 50000;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const PERCENT = /^([+-]?(?:\d+\.?\d*|\.\d+))\s*%$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_ONLY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Parses one written value as if typed by a user (INF for the exact rules: en_US locale parsing,
 * '007' → 7, leading apostrophe forces text, '=' starts a formula).
 */
export function parseUserEntered(input: unknown, tz: string, cellFormat: string | undefined): ParsedInput {
  if (input === null || input === undefined) return { value: undefined };
  if (input instanceof Date) {
    if (isNaN(input.getTime())) return { value: '' + input };
    return { value: new Date(input.getTime()), numberFormat: cellFormat ?? 'M/d/yyyy H:mm:ss' };
  }
  if (typeof input === 'number') return { value: Number.isFinite(input) ? input : '#NUM!' };
  if (typeof input === 'boolean') return { value: input };
  const s = typeof input === 'string' ? input : String(input);
  if (s.length > MAX_CELL_CHARS) throw exception(`Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`);
  if (s === '') return { value: undefined };
  if (cellFormat === '@') return { value: s };
  // fast path: numbers, dates, percents, formulas and apostrophes start with a digit, sign, dot, '=', "'" or space;
  // booleans with t/f — any other first letter is plain text
  const first = s.charCodeAt(0);
  if (((first >= 65 && first <= 90) || (first >= 97 && first <= 122)) && first !== 84 && first !== 116 && first !== 70 && first !== 102) {
    return { value: s };
  }
  if (s.startsWith("'")) return { value: s.slice(1) === '' ? undefined : s.slice(1) };
  if (s.startsWith('=') && s.length > 1) return { value: evaluateFormula(s), formula: s };
  const t = s.trim();
  if (NUMBER.test(t)) return { value: Number(t) };
  if (GROUPED_NUMBER.test(t)) return { value: Number(t.replace(/,/g, '')), numberFormat: cellFormat ?? '#,##0' };
  const pct = PERCENT.exec(t);
  if (pct) {
    const decimals = (pct[1].split('.')[1] ?? '').length;
    return { value: Number(pct[1]) / 100, numberFormat: cellFormat ?? (decimals > 0 ? `0.${'0'.repeat(decimals)}%` : '0%') };
  }
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
  const date = parseDateText(t, tz);
  if (date) return { value: date.value, numberFormat: cellFormat ?? date.format };
  return { value: s };
}

function parseDateText(t: string, tz: string): { value: Date; format: string } | null {
  let m = ISO_DATE.exec(t);
  if (m) {
    const d = build(tz, +m[1], +m[2], +m[3], m[4], m[5], m[6]);
    return d && { value: d, format: m[4] ? 'yyyy-mm-dd h:mm:ss' : 'yyyy-mm-dd' };
  }
  m = US_DATE.exec(t);
  if (m) {
    const d = build(tz, +m[3], +m[1], +m[2], m[4], m[5], m[6]);
    return d && { value: d, format: m[4] ? 'M/d/yyyy H:mm:ss' : 'M/d/yyyy' };
  }
  m = TIME_ONLY.exec(t);
  if (m && +m[1] < 24 && +m[2] < 60) {
    // a time of day is a date-time on the spreadsheet epoch, 30 Dec 1899 (S4.3)
    return { value: new Date(fromWallClock(tz, 1899, 12, 30, +m[1], +m[2], +(m[3] ?? 0))), format: m[3] ? 'h:mm:ss am/pm' : 'h:mm am/pm' };
  }
  return null;
}

function build(tz: string, y: number, mo: number, d: number, h?: string, mi?: string, s?: string): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  const hh = h ? +h : 0;
  if (hh > 23 || (mi && +mi > 59) || (s && +s > 59)) return null;
  return new Date(fromWallClock(tz, y, mo, d, hh, mi ? +mi : 0, s ? +s : 0));
}

/**
 * A formula's value: only trivially evaluable formulas are computed (arithmetic on literals,
 * a string or boolean literal, HYPERLINK's label); anything else reads '#NAME?' (the emulator has
 * no formula engine; tests assert formulas through getFormulas()).
 */
export function evaluateFormula(formula: string): CellValue {
  const body = formula.slice(1).trim();
  const str = /^"((?:[^"]|"")*)"$/.exec(body);
  if (str) return str[1].replace(/""/g, '"');
  if (/^(TRUE|FALSE)$/i.test(body)) return body.toUpperCase() === 'TRUE';
  const link = /^HYPERLINK\(\s*"((?:[^"]|"")*)"\s*(?:[,;]\s*"((?:[^"]|"")*)"\s*)?\)$/i.exec(body);
  if (link) return (link[2] ?? link[1]).replace(/""/g, '"');
  if (/^[\d\s.+\-*/()]+$/.test(body)) {
    const v = arithmetic(body);
    if (v !== null) return Number.isFinite(v) ? v : '#DIV/0!';
  }
  return '#NAME?';
}

/** Recursive-descent evaluation of + - * / and parentheses over number literals. */
function arithmetic(src: string): number | null {
  const tokens = src.match(/\d+\.?\d*|\.\d+|[+\-*/()]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const expr = (): number => {
    let v = term();
    while (peek() === '+' || peek() === '-') v = tokens[i++] === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = factor();
    while (peek() === '*' || peek() === '/') v = tokens[i++] === '*' ? v * factor() : v / factor();
    return v;
  };
  const factor = (): number => {
    const t = tokens[i++];
    if (t === '-') return -factor();
    if (t === '+') return factor();
    if (t === '(') {
      const v = expr();
      if (tokens[i++] !== ')') throw new Error('paren');
      return v;
    }
    if (t === undefined || !/^[\d.]/.test(t)) throw new Error('token');
    return Number(t);
  };
  try {
    const v = expr();
    return i === tokens.length ? v : null;
  } catch {
    return null;
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The displayed text of a cell (S4.4; en_US defaults, INF). */
export function displayValue(value: CellValue | undefined, format: string | undefined, tz: string): string {
  if (value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return formatSheetsDate(value, format && /[dmyhs]/i.test(format) ? format : 'M/d/yyyy H:mm:ss', tz);
  if (format === '@') return String(value);
  if (format && /[dy]/i.test(format) && !/[0#]/.test(format)) {
    // a date format applied to a serial number (days since 30 Dec 1899)
    return formatSheetsDate(new Date(Date.UTC(1899, 11, 30) + value * 86400000), format, 'UTC');
  }
  if (format && format.includes('%')) return formatNumber(value * 100, format.replace('%', '')) + '%';
  if (format && /[0#]/.test(format)) return formatNumber(value, format);
  return generalNumber(value);
}

function generalNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  if (n !== 0 && (Math.abs(n) >= 1e15 || Math.abs(n) < 1e-9)) return n.toExponential(2).toUpperCase().replace('E+', 'E+');
  return String(Number(n.toPrecision(10)));
}

function formatNumber(n: number, format: string): string {
  const decimals = (/\.([0#]+)/.exec(format)?.[1] ?? '').length;
  let s = Math.abs(n).toFixed(decimals);
  if (format.includes(',')) {
    const [int, frac] = s.split('.');
    s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
  }
  return (n < 0 && Number(s.replace(/,/g, '')) !== 0 ? '-' : '') + s;
}

/** Sheets date formats: yyyy yy mmmm mmm mm m dddd ddd dd d hh h ss am/pm ('mm' after h or before s = minutes). */
export function formatSheetsDate(d: Date, format: string, tz: string): string {
  const w = wallClock(d.getTime(), tz);
  const tokens = format.match(/yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am\/pm|a\/p|"[^"]*"|\\.|./gi) ?? [];
  const hasAmPm = tokens.some((t) => /^(am\/pm|a\/p)$/i.test(t));
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const lower = t.toLowerCase();
    const prev = tokens.slice(0, i).reverse().find((x) => /^[a-z]/i.test(x) && !/^"/.test(x))?.toLowerCase() ?? '';
    const next = tokens.slice(i + 1).find((x) => /^[a-z]/i.test(x) && !/^"/.test(x))?.toLowerCase() ?? '';
    const isMinute = (lower === 'mm' || lower === 'm') && (prev.startsWith('h') || next.startsWith('s'));
    const hour = hasAmPm ? (w.hour % 12 === 0 ? 12 : w.hour % 12) : w.hour;
    switch (lower) {
      case 'yyyy': out += String(w.year).padStart(4, '0'); break;
      case 'yy': out += String(w.year % 100).padStart(2, '0'); break;
      case 'mmmm': out += MONTHS[w.month - 1]; break;
      case 'mmm': out += MONTHS[w.month - 1].slice(0, 3); break;
      case 'mm': out += String(isMinute ? w.minute : w.month).padStart(2, '0'); break;
      case 'm': out += String(isMinute ? w.minute : w.month); break;
      case 'dddd': out += DAYS[w.isoWeekday - 1]; break;
      case 'ddd': out += DAYS[w.isoWeekday - 1].slice(0, 3); break;
      case 'dd': out += String(w.day).padStart(2, '0'); break;
      case 'd': out += String(w.day); break;
      case 'hh': out += String(hour).padStart(2, '0'); break;
      case 'h': out += String(hour); break;
      case 'ss': out += String(w.second).padStart(2, '0'); break;
      case 's': out += String(w.second); break;
      case 'am/pm': out += w.hour < 12 ? (t === 'am/pm' ? 'am' : 'AM') : t === 'am/pm' ? 'pm' : 'PM'; break;
      case 'a/p': out += w.hour < 12 ? 'a' : 'p'; break;
      default: out += t.startsWith('"') ? t.slice(1, -1) : t.startsWith('\\') ? t.slice(1) : t;
    }
  }
  return out;
}
