/**
 * "SOL Tracker ▸ Check this installation": what the offline tests cannot know about a school's own
 * Google account, in words — each result, what it means, and what to do. Pure: the adapter
 * (src/gas/selfCheck.ts) gathers the facts on Google; this turns them into the report's rows.
 */
import { formatSchoolTimestamp, type SchoolDateFormat } from './format/dates';
import { languageName, letterName } from './format/words';

export type CheckStatus = 'OK' | 'Problem' | 'Check by hand' | 'Not known yet';

export interface CheckRow {
  check: string;
  status: CheckStatus;
  result: string;
  means: string;
  todo: string;
}

/** What an hourly trigger run saw (recorded by the weekly report's trigger). */
export interface TriggerContext {
  /** School wall clock 'yyyy-MM-ddTHH:mm:ss'. */
  at: string;
  owner: string;
  spreadsheet: boolean;
  documentProperties: boolean;
  documentLock: boolean;
}

export interface TemplateFacts {
  letterId: string;
  language: string;
  /** The document could not be opened (its error, in Google's words). */
  error?: string;
  name?: string;
  paragraphs?: number;
  /** Lines of its text: differs from paragraphs when a paragraph holds a line break. */
  lines?: number;
  /** The first paragraphs with text, shortened. */
  opening?: string[];
  /** Staff whose role needs the template and who are not among its owner, editors or viewers. */
  noAccess: { email: string; role: string }[];
}

export interface InstallationFacts {
  format: SchoolDateFormat;
  /** School wall clock 'yyyy-MM-ddTHH:mm:ss'. */
  now: string;
  runner: string;
  menu: { documentProperties: boolean; documentLock: boolean };
  trigger: TriggerContext | null;
  weeklyScheduled: boolean;
  mail: { to: string; subject: string } | { error: string };
  templates: TemplateFacts[];
  zones: { spreadsheet: string; script: string };
  timings: {
    readMs: number;
    readCells: number;
    writeMs: number;
    writeCells: number;
    /** One letter (document + PDF), or null when no template could be used. */
    letterMs: number | null;
    letterNote: string;
  };
}

/** An execution may run 6 minutes (quotas page); above this a step is worth watching. */
const SLOW_MS = 60_000;

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(1) : Math.round(s).toLocaleString('en-GB')} s`;
}

function yesNo(v: boolean, yes: string, no: string): string {
  return v ? yes : no;
}

function templateName(t: { letterId: string; language: string }): string {
  return `${letterName(t.letterId)} (${languageName(t.language)})`;
}

export function installationReport(f: InstallationFacts): { title: string; rows: CheckRow[] } {
  const when = (stamp: string) => formatSchoolTimestamp(stamp, f.format);
  const rows: CheckRow[] = [];

  rows.push({
    check: 'This spreadsheet, from the menu',
    status: f.menu.documentProperties && f.menu.documentLock ? 'OK' : 'Problem',
    result: `${yesNo(f.menu.documentProperties, 'Settings and staff roles can be read', 'Settings and staff roles could NOT be read')}; ${yesNo(f.menu.documentLock, 'the spreadsheet can be locked while it is changed', 'the spreadsheet could NOT be locked')}.`,
    means: 'SOL Tracker keeps the staff list, roles and policy in this spreadsheet and locks it while it writes, so two people never change it at once.',
    todo: f.menu.documentProperties && f.menu.documentLock ? 'Nothing.' : 'Reinstall the add-on for this spreadsheet (Extensions ▸ Add-ons ▸ Manage add-ons) and run this check again.',
  });

  const t = f.trigger;
  if (!t) {
    rows.push({
      check: 'The hourly trigger (weekly report)',
      status: 'Not known yet',
      result: f.weeklyScheduled ? 'The weekly report is scheduled, but its hourly trigger has not run since this version was installed.' : 'The weekly report is not scheduled, so no trigger has run.',
      means: "Google does not document whether an add-on's timed trigger gets its spreadsheet's settings; each run records what it got, and this check reads it.",
      todo: f.weeklyScheduled ? 'Wait an hour and run this check again.' : 'Schedule the weekly report (sidebar ▸ Weekly), wait an hour, then run this check again.',
    });
  } else {
    const full = t.documentProperties;
    rows.push({
      check: 'The hourly trigger (weekly report)',
      status: full ? 'OK' : 'Problem',
      result: `On ${when(t.at)} the trigger of ${t.owner} ran ${yesNo(t.spreadsheet, 'with its spreadsheet open', 'without its spreadsheet open')}; ${yesNo(t.documentProperties, 'it could read the settings and staff roles', 'it could NOT read the settings and staff roles')}; ${yesNo(t.documentLock, 'it could lock the spreadsheet', 'it could not lock the spreadsheet (SOL Tracker then uses its own lease on this spreadsheet, never a lock shared with other schools)')}.`,
      means: full ? 'The weekly report is built and sent on its own every week.' : 'Without the settings the trigger cannot tell who should get the report, so it sends nothing and emails the person who scheduled it.',
      todo: full ? 'Nothing.' : 'Each week, send the report with Weekly report now in the sidebar, and tell whoever supports SOL Tracker for your school.',
    });
  }

  if ('error' in f.mail) {
    rows.push({
      check: 'Email to yourself',
      status: 'Problem',
      result: `The test email could not be sent: ${f.mail.error}`,
      means: 'Letters and the weekly report are sent the same way, so they would fail too.',
      todo: 'Check the daily email quota in the sidebar (Letters) and that your account may send email, then run this check again.',
    });
  } else {
    rows.push({
      check: 'Email to yourself',
      status: 'Check by hand',
      result: `A test email "${f.mail.subject}" was sent to ${f.mail.to} at ${when(f.now)}.`,
      means: "Letters go out from the account of whoever presses Send. Google does not say whether email sent by an add-on is kept in that account's Sent folder; SOL Tracker cannot look (it has no Gmail permission). When a letter's outcome is unknown, the sidebar asks you to look there.",
      todo: `Open Gmail as ${f.mail.to}: if the test email is in Sent, letters of unknown outcome can be checked in the sender's Sent folder. If it is only in your Inbox, check an unknown letter with the family instead, and note it for your team.`,
    });
  }

  if (f.templates.length === 0) {
    rows.push({
      check: 'Letter templates',
      status: 'Not known yet',
      result: 'No letter templates are listed in Settings ▸ Templates.',
      means: 'Letters cannot be sent by email until each letter has a template.',
      todo: 'Use SOL Tracker ▸ Create letter templates, or add your own Google Docs in Settings ▸ Templates, then run this check again.',
    });
  }
  for (const tpl of f.templates) {
    const name = templateName(tpl);
    if (tpl.error !== undefined) {
      rows.push({ check: `Template: ${name}`, status: 'Problem', result: `It could not be opened: ${tpl.error}`, means: 'Letters that use it cannot be planned, previewed or sent.', todo: 'Check its Document ID in Settings ▸ Templates, and that you can open it.' });
      continue;
    }
    const missing = tpl.noAccess;
    rows.push({
      check: `Who can open: ${name}`,
      status: missing.length === 0 ? 'OK' : 'Problem',
      result: missing.length === 0
        ? `"${tpl.name}" is shared with everyone whose role plans, previews or sends letters.`
        : `"${tpl.name}" is not shared with ${missing.map((m) => `${m.email} (${m.role})`).join(', ')}.`,
      means: 'A Google Doc is private to whoever made it: staff it is not shared with cannot preview or send the letters that use it. (Sharing with a whole school domain or by link is not visible to SOL Tracker.)',
      todo: missing.length === 0 ? 'Nothing.' : 'Open the template ▸ Share: add them as Viewer (Attendance Officer) or Editor (Attendance Lead, Admin), or share it with your school domain.',
    });
    const split = tpl.lines !== undefined && tpl.paragraphs !== undefined && tpl.lines !== tpl.paragraphs;
    rows.push({
      check: `Paragraphs: ${name}`,
      status: split ? 'Problem' : 'OK',
      result: `${tpl.paragraphs ?? 0} paragraph${tpl.paragraphs === 1 ? '' : 's'}${split ? ` but ${tpl.lines} lines` : ''}; it begins: ${(tpl.opening ?? []).map((p) => `"${p}"`).join(' / ') || '(empty)'}.`,
      means: 'Each paragraph of the template becomes one paragraph of the letter, with the fields filled in.',
      todo: split ? 'A paragraph holds a line break (Shift+Enter): press Enter instead, so each line is its own paragraph.' : 'Nothing, if the beginning reads as the letter should.',
    });
  }

  const same = f.zones.spreadsheet === f.zones.script;
  rows.push({
    check: 'Time zones',
    status: same ? 'OK' : 'Check by hand',
    result: same ? `The spreadsheet and SOL Tracker both use ${f.zones.spreadsheet}.` : `The spreadsheet uses ${f.zones.spreadsheet}; SOL Tracker's own clock is ${f.zones.script}.`,
    means: "Dates typed in the sheet are read in the spreadsheet's zone, and the weekly report's day and hour follow it; the difference matters only if the spreadsheet's zone is not the school's.",
    todo: `If ${f.zones.spreadsheet} is not where the school is, change it in File ▸ Settings ▸ Time zone.`,
  });

  const { timings } = f;
  const slow = (ms: number) => ms > SLOW_MS;
  rows.push({
    check: 'Reading the tracker and Register',
    status: slow(timings.readMs) ? 'Problem' : 'OK',
    result: `${timings.readCells.toLocaleString('en-GB')} cells read in ${seconds(timings.readMs)}.`,
    means: 'Recalculate, imports and the weekly report read these tabs whole; each run may last 6 minutes.',
    todo: slow(timings.readMs) ? 'Archive last year (the academic year rollover) and remove unused columns from the tracker.' : 'Nothing.',
  });
  rows.push({
    check: 'Writing a tracker-sized block',
    status: slow(timings.writeMs) ? 'Problem' : 'OK',
    result: `${timings.writeCells.toLocaleString('en-GB')} cells written in ${seconds(timings.writeMs)} (on a temporary tab, deleted again).`,
    means: "Recalculate writes the tracker's own columns in blocks this size.",
    todo: slow(timings.writeMs) ? 'Remove formulas and formatting rules the tracker does not need; they slow every write.' : 'Nothing.',
  });
  rows.push({
    check: 'One letter',
    status: timings.letterMs === null ? 'Not known yet' : slow(timings.letterMs) ? 'Problem' : 'OK',
    result: timings.letterMs === null ? timings.letterNote : `A letter's document and PDF took ${seconds(timings.letterMs)}; 100 letters would take about ${Math.max(1, Math.round((timings.letterMs * 100) / 60000))} minute(s) of sending. ${timings.letterNote}`,
    means: 'Letters are sent in batches that each stop before the 6-minute limit and carry on by themselves.',
    todo: timings.letterMs === null ? 'Add a template (Settings ▸ Templates) and run this check again.' : 'Delete the sample letter from your Google Drive when you have looked at it.',
  });

  return { title: `Installation check — ${when(f.now)}, run by ${f.runner}`, rows };
}

/** The tab's values: title, a blank line, the header and one row per check. */
export function installationReportValues(report: { title: string; rows: readonly CheckRow[] }): string[][] {
  return [
    [report.title, '', '', '', ''],
    ['', '', '', '', ''],
    ['Check', 'Result', 'Details', 'What it means', 'What to do'],
    ...report.rows.map((r) => [r.check, r.status, r.result, r.means, r.todo]),
  ];
}
