/**
 * Java SE SimpleDateFormat (Utilities.formatDate / parseDate, X1.1, X1.2), English names, US week
 * rules (weeks start on Sunday; week 1 contains 1 January).
 */
import { exception } from '../runtime/errors';
import { formatOffset, fromWallClock, longZoneName, offsetMinutes, shortZoneName, wallClock } from './timezone';

type Token = { kind: 'field'; letter: string; count: number } | { kind: 'literal'; text: string };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']; // ISO order
const FIELD_LETTERS = /[GyYMLwWDdFEuaHkKhmsSzZX]/;

const tokenCache = new Map<string, Token[]>();

export function tokenize(pattern: string): Token[] {
  const cached = tokenCache.get(pattern);
  if (cached) return cached;
  const tokens: Token[] = [];
  let i = 0;
  const pushLiteral = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "'") {
      if (pattern[i + 1] === "'") { pushLiteral("'"); i += 2; continue; }
      let j = i + 1;
      let text = '';
      while (j < pattern.length) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += pattern[j++];
      }
      if (j >= pattern.length) throw exception(`Invalid argument: Unterminated quote in pattern ${pattern}`);
      pushLiteral(text);
      i = j + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      if (!FIELD_LETTERS.test(ch)) throw exception(`Invalid argument: Illegal pattern character '${ch}'`);
      let j = i;
      while (pattern[j] === ch) j++;
      tokens.push({ kind: 'field', letter: ch, count: j - i });
      i = j;
    } else {
      pushLiteral(ch);
      i++;
    }
  }
  tokenCache.set(pattern, tokens);
  return tokens;
}

const pad = (n: number, width: number) => (n < 0 ? '-' + String(-n).padStart(width, '0') : String(n).padStart(width, '0'));

function dayOfYear(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86400000) + 1;
}
/** US week of year: Sunday-first weeks, week 1 contains 1 January. */
function usWeekOfYear(y: number, m: number, d: number): number {
  const jan1Dow = new Date(Date.UTC(y, 0, 1)).getUTCDay(); // 0 = Sunday
  const doy = dayOfYear(y, m, d);
  const week = Math.floor((doy - 1 + jan1Dow) / 7) + 1;
  // the last days of December belong to week 1 of the next year when that week contains 1 Jan
  const dec31 = new Date(Date.UTC(y, 11, 31)).getUTCDay();
  if (m === 12 && d > 31 - (dec31 + 1) && dec31 < 6) return 1;
  return week;
}

export function formatJavaDate(instantMs: number, tz: string, pattern: string): string {
  const w = wallClock(instantMs, tz);
  let out = '';
  for (const t of tokenize(pattern)) {
    if (t.kind === 'literal') { out += t.text; continue; }
    const n = t.count;
    switch (t.letter) {
      case 'G': out += w.year > 0 ? 'AD' : 'BC'; break;
      case 'y': case 'Y': out += n === 2 ? pad(w.year % 100, 2) : pad(w.year, n); break;
      case 'M': case 'L':
        out += n >= 4 ? MONTHS[w.month - 1] : n === 3 ? MONTHS[w.month - 1].slice(0, 3) : pad(w.month, n); break;
      case 'w': out += pad(usWeekOfYear(w.year, w.month, w.day), n); break;
      case 'W': {
        const firstDow = new Date(Date.UTC(w.year, w.month - 1, 1)).getUTCDay();
        out += pad(Math.floor((w.day - 1 + firstDow) / 7) + 1, n); break;
      }
      case 'D': out += pad(dayOfYear(w.year, w.month, w.day), n); break;
      case 'd': out += pad(w.day, n); break;
      case 'F': out += pad(Math.floor((w.day - 1) / 7) + 1, n); break;
      case 'E': out += n >= 4 ? DAYS[w.isoWeekday - 1] : DAYS[w.isoWeekday - 1].slice(0, 3); break;
      case 'u': out += pad(w.isoWeekday, n); break;
      case 'a': out += w.hour < 12 ? 'AM' : 'PM'; break;
      case 'H': out += pad(w.hour, n); break;
      case 'k': out += pad(w.hour === 0 ? 24 : w.hour, n); break;
      case 'K': out += pad(w.hour % 12, n); break;
      case 'h': out += pad(w.hour % 12 === 0 ? 12 : w.hour % 12, n); break;
      case 'm': out += pad(w.minute, n); break;
      case 's': out += pad(w.second, n); break;
      case 'S': out += pad(w.millisecond, n); break;
      case 'z': out += n >= 4 ? longZoneName(instantMs, tz) : shortZoneName(instantMs, tz); break;
      case 'Z': out += formatOffset(offsetMinutes(instantMs, tz), false); break;
      case 'X': {
        const off = offsetMinutes(instantMs, tz);
        if (off === 0) out += 'Z';
        else if (n === 1) out += formatOffset(off, false).slice(0, 3);
        else out += formatOffset(off, n >= 3);
        break;
      }
    }
  }
  return out;
}

/** Lenient parse like SimpleDateFormat.parse; throws `Unparseable date: "<text>"` (INF text). */
export function parseJavaDate(text: string, tz: string, pattern: string): number {
  const tokens = tokenize(pattern);
  const fail = () => exception(`Unparseable date: "${text}"`);
  let pos = 0;
  let year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0;
  let pm: boolean | null = null;
  let hour12 = false;
  let explicitOffset: number | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'literal') {
      for (const ch of t.text) {
        if (ch === ' ') { while (text[pos] === ' ') pos++; continue; }
        if (text[pos] !== ch) throw fail();
        pos++;
      }
      continue;
    }
    const next = tokens[i + 1];
    const abutting = next !== undefined && next.kind === 'field' && /[yYMdDHhKkmsSuwWF]/.test(next.letter);
    const readNumber = (): number => {
      let j = pos;
      if (text[j] === '-' || text[j] === '+') j++;
      const limit = abutting ? pos + t.count : text.length;
      while (j < text.length && j < limit && /\d/.test(text[j])) j++;
      const s = text.slice(pos, j);
      if (!/\d/.test(s)) throw fail();
      pos = j;
      return Number(s);
    };
    const readName = (names: string[]): number => {
      const rest = text.slice(pos).toLowerCase();
      for (let k = 0; k < names.length; k++) {
        for (const cand of [names[k], names[k].slice(0, 3)]) {
          if (rest.startsWith(cand.toLowerCase())) { pos += cand.length; return k; }
        }
      }
      throw fail();
    };
    switch (t.letter) {
      case 'y': case 'Y': {
        const start = pos;
        year = readNumber();
        if (t.count <= 2 && pos - start === 2) year += year < 50 ? 2000 : 1900; // INF: Java uses an 80/20 window
        break;
      }
      case 'M': case 'L': month = t.count >= 3 ? readName(MONTHS) + 1 : readNumber(); break;
      case 'd': day = readNumber(); break;
      case 'H': case 'k': hour = readNumber() % 24; break;
      case 'h': case 'K': hour = readNumber() % 12; hour12 = true; break;
      case 'm': minute = readNumber(); break;
      case 's': second = readNumber(); break;
      case 'S': ms = readNumber(); break;
      case 'a': {
        const rest = text.slice(pos, pos + 2).toUpperCase();
        if (rest !== 'AM' && rest !== 'PM') throw fail();
        pm = rest === 'PM';
        pos += 2;
        break;
      }
      case 'E': readName(DAYS); break;
      case 'G': pos += 2; break;
      case 'z': case 'Z': case 'X': {
        const m = /^(Z|GMT|UTC)?(?:([+-])(\d{2}):?(\d{2})?)?/.exec(text.slice(pos));
        if (!m || m[0] === '') throw fail();
        explicitOffset = m[2] ? (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
        pos += m[0].length;
        break;
      }
      default: readNumber();
    }
  }
  if (hour12 && pm) hour += 12;
  if (explicitOffset !== null) return Date.UTC(year, month - 1, day, hour, minute, second, ms) - explicitOffset * 60000;
  // lenient: Date.UTC rolls over out-of-range fields like Java's lenient Calendar
  const rolled = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  return fromWallClock(tz, rolled.getUTCFullYear(), rolled.getUTCMonth() + 1, rolled.getUTCDate(), rolled.getUTCHours(), rolled.getUTCMinutes(), rolled.getUTCSeconds(), rolled.getUTCMilliseconds());
}
