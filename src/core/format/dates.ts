/**
 * Dates as the school writes them: dd/MM/yyyy in the UK, MM/dd/yyyy in the US — one rule for the
 * sidebar, emails, letters' tables and the tabs. The data keeps 'yyyy-MM-dd' (school days) and
 * timestamps already taken in the school's time zone (src/gas/clock.ts); this module only turns
 * them into words, so it stays pure (no clock, no zone arithmetic of its own).
 */

export type SchoolDateFormat = 'dd/MM/yyyy' | 'MM/dd/yyyy';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The school's date format from its policy's code table: US tables ('us-…') write MM/dd/yyyy. */
export function dateFormatFor(codeTableId: string | null | undefined): SchoolDateFormat {
  return /^us[-_]/i.test(String(codeTableId ?? '')) ? 'MM/dd/yyyy' : 'dd/MM/yyyy';
}

interface Parts { y: string; m: string; d: string; time: string }

/** 'yyyy-MM-dd' with an optional 'THH:mm[:ss[.sss]]' (school-zone wall clock); no zone suffix. */
function parts(value: string): Parts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/.exec(String(value ?? '').trim());
  if (!m) return null;
  return { y: m[1], m: m[2], d: m[3], time: m[4] !== undefined ? `${m[4]}:${m[5]}` : '' };
}

/** '2025-12-19' → '19/12/2025' (UK) or '12/19/2025' (US). Text that is not such a date is returned as it is. */
export function formatSchoolDate(iso: string | null | undefined, format: SchoolDateFormat): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const p = parts(iso);
  if (!p) return String(iso);
  return format === 'MM/dd/yyyy' ? `${p.m}/${p.d}/${p.y}` : `${p.d}/${p.m}/${p.y}`;
}

/** A school-zone timestamp '2025-11-28T12:00:43' → '28/11/2025 12:00'. */
export function formatSchoolTimestamp(stamp: string | null | undefined, format: SchoolDateFormat): string {
  if (stamp === null || stamp === undefined || stamp === '') return '';
  const p = parts(stamp);
  if (!p) return String(stamp);
  const date = formatSchoolDate(`${p.y}-${p.m}-${p.d}`, format);
  return p.time ? `${date} ${p.time}` : date;
}

/** '2025-12-19' → '19 Dec 2025' (month in words: for file names and places where '/' cannot go). */
export function dateWords(iso: string): string {
  const p = parts(iso);
  return p ? `${Number(p.d)} ${MONTHS[Number(p.m) - 1]} ${p.y}` : String(iso ?? '');
}

/** A school week by its Monday: 'week of 17 Nov 2025' (month in words: no dd/MM ambiguity). */
export function weekOf(monday: string): string {
  const p = parts(monday);
  if (!p) return `week of ${monday}`;
  return `week of ${Number(p.d)} ${MONTHS[Number(p.m) - 1]} ${p.y}`;
}

/**
 * Every 'yyyy-MM-dd' inside generated text (an explanation, a next action) in the school's format.
 * For sentences the core composes before the school's format is known (the policy's explanation).
 */
export function schoolDatesIn(text: string, format: SchoolDateFormat): string {
  // Not a timestamp's date (2026-09-28T10:00, 2026-09-28:10): a date ending a clause ("Review on
  // 2026-09-28: …") is a date like any other (issue 10: it reached staff as ISO).
  return String(text ?? '').replace(/\b(\d{4})-(\d{2})-(\d{2})\b(?![T\d]|:\d)/g, (all) => formatSchoolDate(all, format));
}

/**
 * Reads back a date the add-on wrote in the school's format ('19/12/2025', '19/12/2025 14:05',
 * '19/12/2025 – overdue', with or without the force-text apostrophe) → '2025-12-19'; ISO text is
 * accepted too (sheets written before dates were formatted). null when it is neither.
 */
export function isoOfSchoolDate(value: unknown, format: SchoolDateFormat): string | null {
  const s = String(value ?? '').trim().replace(/^'/, '');
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  if (iso) return iso[1]!;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?!\d)/.exec(s);
  if (!m) return null;
  const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [day, month] = format === 'MM/dd/yyyy' ? [b, a] : [a, b];
  const dim = new Date(Date.UTC(y, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > dim) return null;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The Monday of an ISO 8601 week label ('2025-W47' → '2025-11-17'); null when it is not one. */
export function mondayOfIsoWeek(label: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(String(label ?? '').trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > 53) return null;
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(jan4 - jan4Weekday * 86_400_000 + (week - 1) * 7 * 86_400_000);
  return monday.toISOString().slice(0, 10);
}

/** A week for people from its ISO label or any date in it given as its Monday: 'week of 17 Nov 2025'. */
export function weekWords(labelOrMonday: string): string {
  return weekOf(mondayOfIsoWeek(labelOrMonday) ?? labelOrMonday);
}
