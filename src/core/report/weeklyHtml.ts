/**
 * The weekly report as an email: HTML that reads in a narrow window (a phone, Gmail's reading
 * pane) — one column at most 600 px wide, tables of at most four columns with fixed layout and
 * wrapping text, inline styles only (mail clients drop <style> blocks and stylesheets), no images
 * — plus a plain-text alternative. Every value is escaped: student names, groups and the school
 * name come from staff and MIS exports and are not trusted.
 */
import { letterName, stepName, weekOf } from '../format';
import { addCalendarDays } from '../calendar';
import { escapeHtml } from '../sanitise';
import { formatFraction as formatPercent, formatPointsBetween } from '../format/percent';
import type { DropItem, FlagItem, GroupFigures, LetterItem, OverdueItem, PenaltyItem, ReportSection, StepItem, StudentRef, WeeklyReport } from './weekly';
import { ratioText, yearGroupLabel } from './weekly';

export type WeeklyScope = { yearGroup: string } | 'school';

export interface WeeklyEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Rows shown per list in an email, most urgent first; the Weekly Report tab has them all (linked).
 * A Head of Year reads the email in a 20-minute meeting, on a phone: a few screens, not fifteen.
 */
export const EMAIL_LIST_LIMIT = 8;

/** Where the full lists are: the Weekly Report tab's address (the spreadsheet URL with its #gid). */
export interface WeeklyEmailOptions {
  fullListUrl?: string;
}
/** Widest table in the email: more columns would overflow a phone screen. */
export const MAX_EMAIL_COLUMNS = 4;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** 'Mon 23 Nov 2026' from an ISO date (no time zone involved). */
export function dateText(iso: string | null): string {
  if (!iso || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return iso ? iso : 'unknown';
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${d} ${MONTHS[m - 1]} ${y}`;
}

function weekText(report: WeeklyReport): string {
  return `${weekOf(report.week.start)}, ${dateText(report.week.start)} – ${dateText(report.week.end)}`;
}

/** Import timestamp as given (it may be an ISO timestamp) shown as date and time. */
function importedText(importedAt: string | null): string {
  if (!importedAt) return 'not recorded';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(importedAt);
  return m ? `${dateText(m[1]!)} at ${m[2]}` : importedAt;
}

/**
 * A warning when the register stops before the week's last school day (its Friday, unless the
 * calendar closes the school that day: the last week of term ends on an INSET day): the week's
 * figures are then partial. It promises only what happens: a week's emails go once, so running the
 * report again after an import updates the tab, not the inboxes (preview walk: "run the report
 * again" sent 0 emails).
 */
export function staleDataWarning(report: WeeklyReport): string | null {
  const lastSchoolDay = report.dataUsed.lastSchoolDay ?? addCalendarDays(report.week.start, 4);
  const last = report.dataUsed.lastMarkDate;
  if (last !== null && last >= lastSchoolDay) return null;
  return `Warning: the register has ${last ? `no marks after ${dateText(last)}` : 'no marks at all'}, so this week's figures are incomplete. Once the register is imported, SOL Tracker ▸ Weekly report now puts the full figures on the Weekly Report tab (this email is not sent again).`;
}

function dataUsedText(report: WeeklyReport): string {
  return (
    `Data used: register last imported ${importedText(report.dataUsed.importedAt)}; latest register mark ${dateText(report.dataUsed.lastMarkDate)}. ` +
    `Figures count marks up to ${dateText(report.week.end)}; "this week" is ${dateText(report.week.start)} – ${dateText(report.week.end)}, ` +
    `"last week" ${dateText(report.previousWeek.start)} – ${dateText(report.previousWeek.end)}; overdue means due before ${dateText(report.asOf)}.`
  );
}

/** Subject line: plain text, no line breaks, at most 250 characters (semantics M1.4). */
function subjectOf(report: WeeklyReport, scopeName: string): string {
  const clean = (s: string) => s.replace(/[\u0000-\u001F\u007F]+/g, ' ').trim();
  const tail = `weekly attendance, ${clean(scopeName)}, ${weekOf(report.week.start)}`;
  const school = clean(report.schoolName).slice(0, Math.max(0, 240 - tail.length));
  return school ? `${school}: ${tail}` : tail;
}

function pointsShort(points: number | null): string {
  if (points === null) return '–';
  const r = Math.round(points * 10) / 10;
  return r === 0 ? '0.0' : `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)}`;
}

// ------------------------------------------------------------------------------------- HTML

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const MUTED = 'color:#5f6368;';
const CELL = 'padding:6px 4px;border-bottom:1px solid #e0e0e0;vertical-align:top;text-align:left;word-wrap:break-word;overflow-wrap:anywhere;';

const e = escapeHtml;

/** A table of at most four columns; cells are HTML already escaped by the caller. */
function table(headers: string[], rows: string[][], widths: string[]): string {
  if (headers.length > MAX_EMAIL_COLUMNS) throw new Error(`Weekly email: a table of ${headers.length} columns would overflow a narrow window (at most ${MAX_EMAIL_COLUMNS})`);
  const cols = widths.map((w) => `<col style="width:${w};">`).join('');
  const head = headers.map((h) => `<th style="${CELL}font-size:12px;${MUTED}font-weight:bold;">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td style="${CELL}">${c}</td>`).join('')}</tr>`).join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="width:100%;max-width:100%;border-collapse:collapse;table-layout:fixed;font-size:13px;">${cols}<tr>${head}</tr>${body}</table>`;
}

/** Name and tutor group: staff know their pupils by name; an MIS ID number is not for a phone screen. */
function studentCell(s: StudentRef, extra = ''): string {
  const sub = [s.tutorGroup].filter(Boolean).map(e).join(' · ');
  return `<strong>${e(s.name)}</strong><br><span style="font-size:12px;${MUTED}">${sub}${extra ? ` · ${e(extra)}` : ''}</span>`;
}

function heading(text: string): string {
  return `<h2 style="font-size:16px;margin:20px 0 6px;${FONT}">${e(text)}</h2>`;
}

function para(html: string, style = ''): string {
  return `<p style="margin:0 0 10px;${style}">${html}</p>`;
}

let fullListLink: string | undefined;

function moreHtml(hidden: number): string {
  const words = `…and ${hidden} more`;
  const link = fullListLink && /^https:\/\//.test(fullListLink) ? ` — <a href="${e(fullListLink)}" style="color:#1a73e8;">see the full list on the Weekly Report tab</a>` : ' on the Weekly Report tab of the tracker';
  return para(`${e(words)}${link}.`, `${MUTED}font-size:12px;margin-top:6px;`);
}

function listSection<T>(title: string, items: T[], headers: string[], widths: string[], row: (item: T) => string[], emptyText = 'None this week.', count = `${items.length}`): string {
  let out = heading(`${title} (${count})`);
  if (items.length === 0) return out + para(e(emptyText), MUTED);
  out += table(headers, items.slice(0, EMAIL_LIST_LIMIT).map(row), widths);
  if (items.length > EMAIL_LIST_LIMIT) out += moreHtml(items.length - EMAIL_LIST_LIMIT);
  return out;
}

function groupRows(groups: GroupFigures[], label: (g: GroupFigures) => string): string[][] {
  return groups.map((g) => [e(label(g)), e(ratioText(g.thisWeek)), e(pointsShort(g.trendPoints)), e(ratioText(g.yearToDate))]);
}

const rankLabel = (g: GroupFigures) => (g.rank > 0 ? `${g.rank}. ${g.name}` : `– ${g.name}`);

function droppedRow(d: DropItem): string[] {
  const band = d.crossedBand !== null ? ` (below ${d.crossedBand}%)` : '';
  return [studentCell(d), e(`${formatPercent(d.before)} → ${formatPercent(d.now)}`), e(`${formatPointsBetween(d.before, d.now)} points${band}`)];
}

function flagRow(f: FlagItem): string[] {
  return [studentCell(f), e(formatPercent(f.now)), e(`${f.severe ? 'Severe' : 'Persistent'}: absent ${f.absent} of ${f.possible} sessions`)];
}

/** 'entering' wording: where the student came from ("from no step": "new" is the NEW-since-last-report mark beside it). */
const fromWords = (s: StepItem) => (s.fromStep > 0 ? `from ${stepName(s.fromStep)}` : 'from no step');

/**
 * The first action of the step: the full list is the step's description, the same for everyone
 * on that step, and repeating it per student makes the email long on a phone.
 */
const firstAction = (s: StepItem) => s.nextAction.split(';')[0]!.trim();

function stepRow(s: StepItem): string[] {
  const what = s.entering ? `${s.label} (${fromWords(s)})` : s.label;
  const badge = s.isNew ? ' <strong style="color:#b3261e;">NEW</strong>' : '';
  const letter = s.letterDue ? `<br><span style="font-size:12px;">Letter due: ${e(s.letterDue)}</span>` : '';
  return [studentCell(s), `${e(what)}${badge}${letter}<br><span style="font-size:12px;${MUTED}">${e(s.shortWhy)}</span>`, e(`${firstAction(s)}${s.owner ? ` (${s.owner})` : ''}`)];
}

function overdueRow(o: OverdueItem): string[] {
  return [studentCell(o), e(`${o.kind === 'contact' ? 'Contact' : 'Review'} — ${o.label}`), e(o.due ? dateText(o.due) : 'overdue')];
}

function penaltyRow(p: PenaltyItem): string[] {
  return [studentCell(p), e(`${p.unauthorisedInWindow} unauthorised sessions`), e(p.windowStart ? `${dateText(p.windowStart)} – ${dateText(p.windowEnd)}` : '')];
}

function letterRow(l: LetterItem): string[] {
  return [studentCell(l), e(letterName(l.letterId)), e(dateText(l.date))];
}

function yearSectionHtml(report: WeeklyReport, s: ReportSection): string {
  const w3 = ['46%', '24%', '30%'];
  return [
    heading('Attendance by class'),
    para(e('Ranked by this week’s attendance; change is in percentage points on last week.'), `${MUTED}font-size:12px;`),
    table(['Class', 'This week', 'Change', 'Year to date'], groupRows(s.tutorGroups, rankLabel), ['40%', '20%', '18%', '22%']),
    listSection(`Attendance dropped by ${report.dropPoints} point${report.dropPoints === 1 ? '' : 's'} or more${report.bands.length ? ', or fell below a band' : ''}`, s.dropped, ['Student', 'Since last week', 'Drop'], w3, droppedRow),
    listSection('Newly persistently absent', s.newlyPersistent, ['Student', 'Attendance', 'Absence'], w3, flagRow),
    listSection('Newly severely absent', s.newlySevere, ['Student', 'Attendance', 'Absence'], w3, flagRow),
    listSection('At a step needing action', s.steps, ['Student', 'Step and why', 'Next action'], ['30%', '42%', '28%'], stepRow, 'None this week.', `${s.steps.length}, ${s.steps.filter((x) => x.isNew).length} new since the last report`),
    listSection('Overdue contacts and reviews', s.overdue, ['Student', 'What', 'Due'], ['40%', '35%', '25%'], overdueRow),
    listSection('Newly reached the penalty-notice threshold', s.penalty, ['Student', 'In 10 school weeks', 'Window'], ['36%', '28%', '36%'], penaltyRow),
    listSection('Letters sent this week', s.letters, ['Student', 'Letter', 'Date'], ['46%', '28%', '26%'], letterRow),
  ].join('');
}

function schoolSectionHtml(report: WeeklyReport): string {
  const s = report.school;
  const yearRows = report.yearGroups.map((y) => [
    e(yearGroupLabel(y.name)),
    e(`${ratioText(y.figures.thisWeek)} (${pointsShort(y.figures.trendPoints)})`),
    e(ratioText(y.figures.yearToDate)),
    e(`${y.figures.persistent} / ${y.figures.severe} (+${y.newlyPersistent.length} / +${y.newlySevere.length})`),
  ]);
  const parts = [
    heading('Attendance by year group'),
    table(['Year group', 'This week (change)', 'Year to date', 'PA / SA (new)'], yearRows, ['25%', '27%', '22%', '26%']),
    heading('Year group summaries'),
    ...report.yearGroups.map((y) => para(e(y.summary))),
    heading('Class ranking'),
    para(e('All classes, ranked by this week’s attendance; change is in percentage points on last week.'), `${MUTED}font-size:12px;`),
    table(['Class', 'This week', 'Change', 'Year to date'], groupRows(s.tutorGroups, (g) => `${rankLabel(g)}`), ['40%', '20%', '18%', '22%']),
    listSection('Newly reached the penalty-notice threshold', s.penalty, ['Student', 'In 10 school weeks', 'Window'], ['36%', '28%', '36%'], (p) => penaltyRow(p).map((c, i) => (i === 0 ? studentCell(p, yearGroupLabel(p.yearGroup)) : c))),
    listSection('Newly severely absent', s.newlySevere, ['Student', 'Attendance', 'Absence'], ['46%', '24%', '30%'], (f) => flagRow(f).map((c, i) => (i === 0 ? studentCell(f, yearGroupLabel(f.yearGroup)) : c))),
  ];
  if (report.unmatchedLetters.length) {
    parts.push(para(e(`${report.unmatchedLetters.length} letter(s) this week are logged for student IDs not on the tracker: ${report.unmatchedLetters.map((l) => l.studentId).join(', ')}.`), `${MUTED}font-size:12px;`));
  }
  return parts.join('');
}

// ------------------------------------------------------------------------------------- text

function textList<T>(title: string, items: T[], line: (item: T) => string): string[] {
  const out = ['', `${title} (${items.length})`];
  if (items.length === 0) out.push('  None this week.');
  for (const item of items.slice(0, EMAIL_LIST_LIMIT)) out.push(`  - ${line(item)}`);
  if (items.length > EMAIL_LIST_LIMIT) out.push(`  …and ${items.length - EMAIL_LIST_LIMIT} more on the Weekly Report tab${fullListLink ? `: ${fullListLink}` : ' of the tracker'}.`);
  return out;
}

const who = (s: StudentRef) => `${s.name}${s.tutorGroup ? ` (${s.tutorGroup})` : ''}`;
const groupLine = (g: GroupFigures, label: string) => `${label}: ${ratioText(g.thisWeek)} this week (${pointsShort(g.trendPoints)}), ${ratioText(g.yearToDate)} year to date`;

function yearSectionText(report: WeeklyReport, s: ReportSection): string[] {
  return [
    '',
    'Attendance by class (ranked by this week; change in percentage points on last week)',
    ...s.tutorGroups.map((g) => `  ${groupLine(g, rankLabel(g))}`),
    ...textList(`Attendance dropped by ${report.dropPoints} point(s) or more`, s.dropped, (d) => `${who(d)}: ${formatPercent(d.before)} → ${formatPercent(d.now)}, down ${formatPointsBetween(d.before, d.now)} points${d.crossedBand !== null ? ` (below ${d.crossedBand}%)` : ''}`),
    ...textList('Newly persistently absent', s.newlyPersistent, (f) => `${who(f)}: ${formatPercent(f.now)}, absent ${f.absent} of ${f.possible} sessions`),
    ...textList('Newly severely absent', s.newlySevere, (f) => `${who(f)}: ${formatPercent(f.now)}, absent ${f.absent} of ${f.possible} sessions`),
    ...textList(`At a step needing action (${s.steps.filter((x) => x.isNew).length} new since the last report)`, s.steps, (x) => `${who(x)}: ${x.label}${x.entering ? ` (${fromWords(x)})` : ''}${x.isNew ? ' NEW' : ''}${x.letterDue ? `, letter due: ${x.letterDue}` : ''}. ${x.shortWhy}. Next: ${firstAction(x)}${x.owner ? ` (${x.owner})` : ''}`),
    ...textList('Overdue contacts and reviews', s.overdue, (o) => `${who(o)}: ${o.kind} — ${o.label}, due ${o.due ? dateText(o.due) : 'already'}`),
    ...textList('Newly reached the penalty-notice threshold', s.penalty, (p) => `${who(p)}: ${p.unauthorisedInWindow} unauthorised sessions, ${dateText(p.windowStart)} – ${dateText(p.windowEnd)}`),
    ...textList('Letters sent this week', s.letters, (l) => `${who(l)}: ${letterName(l.letterId)}, ${dateText(l.date)}`),
  ];
}

function schoolSectionText(report: WeeklyReport): string[] {
  const s = report.school;
  return [
    '',
    'Attendance by year group',
    ...report.yearGroups.map((y) => `  ${groupLine(y.figures, yearGroupLabel(y.name))}; ${y.figures.persistent} persistent, ${y.figures.severe} severe`),
    '',
    'Year group summaries',
    ...report.yearGroups.map((y) => `  ${y.summary}`),
    '',
    'Class ranking (this week; change in percentage points on last week)',
    ...s.tutorGroups.map((g) => `  ${groupLine(g, rankLabel(g))}`),
    ...textList('Newly reached the penalty-notice threshold', s.penalty, (p) => `${who(p)}, ${yearGroupLabel(p.yearGroup)}: ${p.unauthorisedInWindow} unauthorised sessions, ${dateText(p.windowStart)} – ${dateText(p.windowEnd)}`),
    ...textList('Newly severely absent', s.newlySevere, (f) => `${who(f)}, ${yearGroupLabel(f.yearGroup)}: ${formatPercent(f.now)}`),
    ...(report.unmatchedLetters.length ? ['', `Letters logged for IDs not on the tracker: ${report.unmatchedLetters.map((l) => l.studentId).join(', ')}`] : []),
  ];
}

// ------------------------------------------------------------------------------------- entry

export function renderWeeklyEmail(report: WeeklyReport, scope: WeeklyScope, options: WeeklyEmailOptions = {}): WeeklyEmail {
  fullListLink = options.fullListUrl;
  try {
    return renderWith(report, scope);
  } finally {
    fullListLink = undefined;
  }
}

function renderWith(report: WeeklyReport, scope: WeeklyScope): WeeklyEmail {
  let section: ReportSection;
  if (scope === 'school') section = report.school;
  else {
    const found = report.yearGroups.find((y) => y.name === scope.yearGroup);
    if (!found) {
      const known = report.yearGroups.map((y) => `"${y.name}"`).join(', ') || 'none';
      throw new Error(`The weekly report has no year group "${scope.yearGroup}" (year groups on the tracker: ${known}). Check the Head of Year's year group in Settings → Staff.`);
    }
    section = found;
  }
  const title = scope === 'school' ? 'Weekly attendance — whole school' : `Weekly attendance — ${yearGroupLabel(section.name)}`;
  const subject = subjectOf(report, yearGroupLabel(section.name));
  const warning = staleDataWarning(report);

  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>` +
    `<body style="margin:0;padding:0;background:#f1f3f4;">` +
    `<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff;${FONT}font-size:14px;line-height:1.45;color:#202124;word-wrap:break-word;overflow-wrap:break-word;">` +
    `<h1 style="font-size:20px;margin:0 0 4px;${FONT}">${e(title)}</h1>` +
    para(e(`${report.schoolName} · ${weekText(report)}`), MUTED) +
    para(e(dataUsedText(report)), `${MUTED}font-size:12px;`) +
    (warning ? para(e(warning), 'color:#b3261e;font-weight:bold;') : '') +
    para(e(section.summary), 'font-weight:bold;') +
    (scope === 'school' ? schoolSectionHtml(report) : yearSectionHtml(report, section)) +
    para(fullListLink && /^https:\/\//.test(fullListLink)
      ? `Sent by the SOL Tracker add-on. <a href="${e(fullListLink)}" style="color:#1a73e8;">The full lists are on the Weekly Report tab</a>.`
      : e('Sent by the SOL Tracker add-on. The full lists are on the Weekly Report tab of the tracker spreadsheet.'), `${MUTED}font-size:12px;margin-top:20px;`) +
    `</div></body></html>`;

  const text = [
    title,
    `${report.schoolName} · ${weekText(report)}`,
    dataUsedText(report),
    ...(warning ? [warning] : []),
    '',
    section.summary,
    ...(scope === 'school' ? schoolSectionText(report) : yearSectionText(report, section)),
    '',
    'Sent by the SOL Tracker add-on. The full lists are on the Weekly Report tab of the tracker spreadsheet.',
  ].join('\n');

  return { subject, html, text };
}

