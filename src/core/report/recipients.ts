/**
 * Who gets which weekly report, and which week a run covers — pure decisions moved out of the
 * gas adapter (src/gas/weekly.ts) so they are tested without Apps Script.
 *
 * Year groups are written many ways: the MIS exports "7", the tracker says "Year 7", a Head of
 * Year types "Y7" or "Yr 7" (US: "Grade 3", "3rd grade"). They are compared by a key, so all of
 * these match, and a Head of Year whose year group matches nobody on the tracker is flagged when
 * Settings are saved instead of silently getting no report.
 */
import { latestSchoolWeek, type SchoolCalendar } from '../calendar';
import type { StaffMember } from '../settings';
import type { ReportWeek } from './weekly';
import { isoWeekLabel } from './weekly';
import { addCalendarDays } from '../calendar';
import type { WeeklyScope } from './weeklyHtml';

/** "Year 7", "Y7", "yr 07", "7", "Grade 7", "7th grade" → "7"; anything else → its lower-case words. */
export function yearGroupKey(name: string): string {
  const s = String(name ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  const m = /^(?:year|yr|y|grade|gr|g)\s*0*(\d{1,2})$/.exec(s) ?? /^0*(\d{1,2})(?:st|nd|rd|th)?(?: grade)?$/.exec(s);
  if (m) return m[1]!;
  if (/^(k|kg|kindergarten|grade k)$/.test(s)) return 'k';
  if (/^(r|rec|reception|year r)$/.test(s)) return 'r';
  return s;
}

/** A Head of Year's year groups as typed in Settings → Staff ("7, 8" or "Year 7; Year 8"). */
export function yearGroupsOf(member: Pick<StaffMember, 'yearGroup'>): string[] {
  return member.yearGroup.split(/[,;/]|\band\b/).map((y) => y.trim()).filter(Boolean);
}

export interface Recipient {
  key: string;
  email: string;
  scope: WeeklyScope;
}

/**
 * Heads of Year get their year group(s), one email each, matched however the year group is
 * written; the AO and AL the whole school. Problems say who gets nothing and why.
 */
export function recipientsFor(staff: readonly StaffMember[], reportYearGroups: readonly string[]): { recipients: Recipient[]; problems: string[] } {
  const recipients: Recipient[] = [];
  const problems: string[] = [];
  const byKey = new Map<string, string>();
  for (const name of reportYearGroups) if (!byKey.has(yearGroupKey(name))) byKey.set(yearGroupKey(name), name);
  for (const member of staff) {
    if (member.role === 'HOY') {
      const own = yearGroupsOf(member);
      if (own.length === 0) problems.push(`Head of Year ${member.name || member.email} has no year group in Settings → Staff, so gets no weekly report.`);
      for (const typed of own) {
        const name = byKey.get(yearGroupKey(typed));
        if (name === undefined) problems.push(`Head of Year ${member.name || member.email}: no student on the tracker is in year group "${typed}", so no report was sent for it.`);
        else recipients.push({ key: `${member.email}|${name}`, email: member.email, scope: { yearGroup: name } });
      }
    } else if (member.role === 'AO' || member.role === 'AL') {
      recipients.push({ key: `${member.email}|school`, email: member.email, scope: 'school' });
    }
  }
  return { recipients, problems };
}

/**
 * Heads of Year who would get no weekly report with these year groups on the tracker: shown when
 * Settings are saved (the tracker writes "Year 7", the MIS "7": both match).
 */
export function headsOfYearWithoutReport(staff: readonly StaffMember[], trackerYearGroups: readonly string[]): string[] {
  const keys = new Set(trackerYearGroups.map(yearGroupKey));
  const out: string[] = [];
  for (const member of staff) {
    if (member.role !== 'HOY') continue;
    const own = yearGroupsOf(member);
    const who = member.name || member.email;
    if (own.length === 0) out.push(`Head of Year ${who} has no year group, so would get no weekly report.`);
    for (const typed of own) {
      if (!keys.has(yearGroupKey(typed))) {
        const known = [...new Set(trackerYearGroups)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).slice(0, 12).map((y) => `"${y}"`).join(', ');
        out.push(`Head of Year ${who}: no student on the tracker is in year group "${typed}" (the tracker has ${known || 'no year groups'}), so they would get no weekly report for it.`);
      }
    }
  }
  return out;
}

/** The school week a report run on runDate covers, as a ReportWeek (Monday–Sunday); null before any. */
export function reportWeekFor(calendar: SchoolCalendar, runDate: string): ReportWeek | null {
  const week = latestSchoolWeek(calendar, runDate);
  if (!week) return null;
  return { start: week.monday, end: addCalendarDays(week.monday, 6), label: isoWeekLabel(week.monday) };
}
