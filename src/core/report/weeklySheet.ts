/**
 * The Weekly Report tab as one rectangular block of values (written with a single setValues):
 * a header, the whole-school summary and class ranking, then one block per year group with its
 * lists. Every value is text passed through asSheetText, so a name such as "=HYPERLINK(…)" or a
 * trend such as "-1.2" is stored as the text it is, never run as a formula.
 */
import { asSheetText } from '../sanitise';
import { formatSchoolDate, formatSchoolTimestamp, letterName, stepName, weekOf } from '../format';
import { formatFraction as formatPercent, formatPointsBetween } from '../format/percent';
import type { GroupFigures, ReportSection, WeeklyReport } from './weekly';
import { ratioText, yearGroupLabel } from './weekly';

/** Columns of the tab: wide enough for the widest list (student, ID, class, three details). */
export const WEEKLY_SHEET_COLUMNS = 6;

const points = (p: number | null) => (p === null ? '' : (Math.round(p * 10) / 10).toFixed(1));

function groupRow(g: GroupFigures): string[] {
  return [g.rank > 0 ? String(g.rank) : '', g.name, ratioText(g.thisWeek), ratioText(g.lastWeek), points(g.trendPoints), ratioText(g.yearToDate)];
}

const GROUP_HEADER = ['Rank', 'Class', 'This week', 'Last week', 'Change (points)', 'Year to date'];

function listBlock(title: string, header: string[], rows: string[][]): string[][] {
  const out: string[][] = [[`${title} (${rows.length})`], header];
  if (rows.length === 0) out.push(['None this week.']);
  else out.push(...rows);
  return out;
}

function sectionBlock(report: WeeklyReport, s: ReportSection): string[][] {
  return [
    [yearGroupLabel(s.name)],
    [s.summary],
    ['Attendance by class, ranked by this week'],
    GROUP_HEADER,
    ...s.tutorGroups.map(groupRow),
    [],
    ...listBlock(`Attendance dropped by ${report.dropPoints} point(s) or more${report.bands.length ? ' or below a band' : ''}`, ['Student', 'ID', 'Class', 'Before this week', 'Now', 'Drop (points)'],
      s.dropped.map((d) => [d.name, d.studentId, d.tutorGroup, formatPercent(d.before), formatPercent(d.now), `${formatPointsBetween(d.before, d.now)}${d.crossedBand !== null ? ` (below ${d.crossedBand}%)` : ''}`])),
    [],
    ...listBlock('Newly persistently or severely absent', ['Student', 'ID', 'Class', 'Attendance', 'Absent / possible', 'Status'],
      [...s.newlyPersistent, ...s.newlySevere.filter((x) => !s.newlyPersistent.some((p) => p.studentId === x.studentId))].map((f) => [f.name, f.studentId, f.tutorGroup, formatPercent(f.now), `${f.absent} / ${f.possible}`, f.severe ? 'Severe' : 'Persistent'])),
    [],
    ...listBlock(`At a step needing action (${s.steps.filter((x) => x.isNew).length} new since the last report)`, ['Student', 'ID', 'Class', 'Step', 'Why', 'Next action'],
      s.steps.map((x) => [x.name, x.studentId, x.tutorGroup, `${x.isNew ? 'NEW: ' : ''}${x.label}${x.entering ? ` (from ${stepName(x.fromStep)})` : ''}${x.letterDue ? `; letter due: ${letterName(x.letterDue)}` : ''}`, x.explanation, `${x.nextAction}${x.owner ? ` (${x.owner})` : ''}`])),
    [],
    ...listBlock('Overdue contacts and reviews', ['Student', 'ID', 'Class', 'What', 'Step', 'Due'],
      s.overdue.map((o) => [o.name, o.studentId, o.tutorGroup, o.kind === 'contact' ? 'Contact' : 'Review', o.label, o.due ? formatSchoolDate(o.due, report.dateFormat) : ''])),
    [],
    ...listBlock('Newly reached the penalty-notice threshold', ['Student', 'ID', 'Class', 'Unauthorised sessions', 'Window from', 'Window to'],
      s.penalty.map((p) => [p.name, p.studentId, p.tutorGroup, String(p.unauthorisedInWindow), p.windowStart ? formatSchoolDate(p.windowStart, report.dateFormat) : '', p.windowEnd ? formatSchoolDate(p.windowEnd, report.dateFormat) : ''])),
    [],
    ...listBlock('Letters sent this week', ['Student', 'ID', 'Class', 'Letter', 'Date', ''],
      s.letters.map((l) => [l.name, l.studentId, l.tutorGroup, letterName(l.letterId), formatSchoolDate(l.date, report.dateFormat), ''])),
    [],
  ];
}

/** Values for the Weekly Report tab: every row WEEKLY_SHEET_COLUMNS wide, every cell sheet-safe text. */
export function weeklyReportSheetValues(report: WeeklyReport): string[][] {
  const rows: string[][] = [
    [`Weekly attendance report — ${report.schoolName}`],
    [`${weekOf(report.week.start)}: ${formatSchoolDate(report.week.start, report.dateFormat)} to ${formatSchoolDate(report.week.end, report.dateFormat)} (last week ${formatSchoolDate(report.previousWeek.start, report.dateFormat)} to ${formatSchoolDate(report.previousWeek.end, report.dateFormat)})`],
    [`Data used: register imported ${report.dataUsed.importedAt ? formatSchoolTimestamp(report.dataUsed.importedAt, report.dateFormat) : 'not recorded'}; latest mark ${report.dataUsed.lastMarkDate ? formatSchoolDate(report.dataUsed.lastMarkDate, report.dateFormat) : 'none'}; overdue = due before ${formatSchoolDate(report.asOf, report.dateFormat)}`],
    [],
    [report.school.summary],
    ['Attendance by year group'],
    ['', 'Year group', 'This week', 'Last week', 'Change (points)', 'Year to date'],
    ...report.yearGroups.map((y) => ['', y.name, ratioText(y.figures.thisWeek), ratioText(y.figures.lastWeek), points(y.figures.trendPoints), ratioText(y.figures.yearToDate)]),
    [],
    ['Class ranking, whole school'],
    GROUP_HEADER,
    ...report.school.tutorGroups.map(groupRow),
    [],
    ...report.yearGroups.flatMap((y) => sectionBlock(report, y)),
  ];
  if (report.unmatchedLetters.length) rows.push([`Letters logged for student IDs not on the tracker: ${report.unmatchedLetters.map((l) => l.studentId).join(', ')}`]);
  return rows.map((row) => {
    const full = row.slice(0, WEEKLY_SHEET_COLUMNS);
    while (full.length < WEEKLY_SHEET_COLUMNS) full.push('');
    return full.map((v) => asSheetText(v));
  });
}
