/**
 * "The register is stale" in words, one sentence used by every place that shows it — the Letters
 * plan, the Student and Today tabs, the weekly report — so staff see the same thing everywhere,
 * with the date of the last import (issue 10: a register with no marks for several school days is
 * reported as stale, and nobody escalates on stale data; evaluate.ts holds the steps).
 */
import { schoolDaysInRange, type SchoolCalendar } from '../calendar';
import { registerStaleness } from '../policy/evaluate';
import { dateText } from '../report/weeklyHtml';
import type { IsoDate } from '../types';

export interface RegisterReach {
  lastMarkDate: IsoDate | null;
  stale: boolean;
  missingSchoolDays: number;
}

/** The import time as the add-on stores it ('2025-12-08T08:10:00Z' or '2025-12-08 08:10') in words. */
export function importedWords(importedAt: string | null | undefined): string | null {
  const m = importedAt ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(importedAt) : null;
  if (!m) return null;
  return m[2] ? `${dateText(m[1]!)} at ${m[2]}` : dateText(m[1]!);
}

/**
 * The warning when the register is stale, else null: "The register has no marks since Fri 5 Dec
 * 2025 (4 school days without marks; last imported Mon 8 Dec 2025 at 08:10). Nobody is moved up a
 * step until the register is imported."
 */
export function staleRegisterNotice(reach: RegisterReach | undefined | null, importedAt: string | null | undefined): string | null {
  if (!reach || !reach.stale || !reach.lastMarkDate) return null;
  const imported = importedWords(importedAt);
  const days = `${reach.missingSchoolDays} school day${reach.missingSchoolDays === 1 ? '' : 's'} without marks`;
  return (
    `The register has no marks since ${dateText(reach.lastMarkDate)} (${days}; ${imported ? `last imported ${imported}` : 'no import recorded'}). ` +
    'Nobody is moved up a step until the register is imported: import the latest register marks (sidebar ▸ Settings ▸ Import register marks).'
  );
}

/**
 * The register's reach from its session dates alone (the Today tab reads only the Register's header
 * row): the latest session column on or before today.
 */
export function reachFromSessionDates(days: readonly IsoDate[], sessionDates: Iterable<IsoDate>, today: IsoDate): RegisterReach {
  let last: IsoDate | null = null;
  for (const d of sessionDates) if (d <= today && (last === null || d > last)) last = d;
  return { lastMarkDate: last, ...registerStaleness(days, last, today) };
}

/**
 * School days between the register's first and last marked day on which nobody has a mark — a day
 * missing from every import (a file exported without Wednesday). Attendance is counted without
 * those days, so the import says so (preview walk: an import without Wed 3 Dec went unmentioned
 * everywhere: import message, letters, weekly report).
 */
export function unmarkedSchoolDays(calendar: SchoolCalendar, markedDays: ReadonlySet<IsoDate>): IsoDate[] {
  let first: IsoDate | null = null;
  let last: IsoDate | null = null;
  for (const d of markedDays) {
    if (first === null || d < first) first = d;
    if (last === null || d > last) last = d;
  }
  if (first === null || last === null) return [];
  return schoolDaysInRange(calendar, first, last).filter((d) => !markedDays.has(d));
}

/** The sentence for unmarked school days (at most `shown` named, the latest), or null when none. */
export function unmarkedDaysNotice(days: readonly IsoDate[], shown = 5): string | null {
  if (days.length === 0) return null;
  const named = days.slice(-shown).map((d) => dateText(d));
  const more = days.length > named.length ? ` and ${days.length - named.length} earlier` : '';
  const list = named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  const which = days.length === 1 ? 'a school day' : 'school days';
  return `The register has no marks at all on ${list}${more} (${which} between days already imported): attendance is counted without ${days.length === 1 ? 'it' : 'them'} until ${days.length === 1 ? 'that day is' : 'those days are'} imported.`;
}
