/** Registry entries for the weekly meeting report: schedule, status, run now, and the trigger handler. */
import { defineEntry, type EntryPoint } from '../../registry';
import { getWeeklyStatus, menuWeeklyReport, resolveWeeklyUnknown, runWeeklyNow, scheduleWeekly, unscheduleWeekly, weeklyReportTrigger } from '../weekly';

export const WEEKLY_ENTRIES: EntryPoint[] = [
  defineEntry({
    name: 'getWeeklyStatus',
    kind: 'rpc',
    description: 'The weekly report schedule, whose trigger sends it, and the last run.',
    params: [],
    returns: { type: 'Object', description: 'WeeklyStatus (plus owner, week, recipientsSent, complete).' },
    run: () => getWeeklyStatus(),
  }),
  defineEntry({
    name: 'scheduleWeekly',
    kind: 'rpc',
    description: "Schedules the weekly report (replaces this user's previous weekly trigger for this spreadsheet). AO, AL and Admin only.",
    params: [{ name: 'request', type: 'Object', description: 'WeeklySchedule: { day: MONDAY…SUNDAY, hour: 0–23 in the school time zone }.' }],
    returns: { type: 'Object', description: 'WeeklyStatus after scheduling.' },
    run: scheduleWeekly,
  }),
  defineEntry({
    name: 'unscheduleWeekly',
    kind: 'rpc',
    description: 'Stops the weekly report. AO, AL and Admin only.',
    params: [],
    returns: { type: 'Object', description: 'WeeklyStatus after unscheduling.' },
    run: () => unscheduleWeekly(),
  }),
  defineEntry({
    name: 'resolveWeeklyUnknown',
    kind: 'rpc',
    description: 'Settles a weekly email a run stopped while sending: it was sent (in the Sent folder), or send it again. AO, AL and Admin only.',
    params: [{ name: 'request', type: 'Object', description: '{ email, decision: markSent | resend }.' }],
    returns: { type: 'Object', description: 'WeeklyStatus after the decision.' },
    run: resolveWeeklyUnknown,
  }),
  defineEntry({
    name: 'runWeeklyNow',
    kind: 'rpc',
    description: 'Builds the weekly report now, writes the Weekly Report tab and emails whoever has not had this week yet. HOY, AO, AL and Admin.',
    params: [],
    returns: { type: 'Object', description: 'WeeklyRunResponse: { week, yearGroups, emailsSent, message }.' },
    run: () => runWeeklyNow(),
  }),
  defineEntry({
    name: 'weeklyReportTrigger',
    kind: 'triggerHandler',
    description: 'Hourly time-driven trigger: sends the weekly report when its day and hour have come (and retries a failed week once).',
    params: [{ name: 'e', type: 'Object', description: 'The time-driven event object (triggerUid identifies the schedule).' }],
    returns: { type: 'string', description: 'What the run did, for the execution log.' },
    run: weeklyReportTrigger,
  }),
  defineEntry({ name: 'menuWeeklyReport', kind: 'menu', description: 'Builds and sends the weekly report now.', params: [], run: () => menuWeeklyReport() }),
];
