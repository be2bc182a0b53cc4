/** Weekly tab: when the weekly report runs, remove it, run it now, and how the last run went. */
import type { Weekday, WeeklyStatus } from '../../src/rpcTypes';
import { call } from '../rpc';
import { announce, busy, button, field, formatStamp, h, replace, select } from '../dom';
import { weekWords } from '../../src/core/format/dates';
import type { App, View } from './app';

export const WEEKDAYS: readonly Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export function dayLabel(day: Weekday): string {
  return day.charAt(0) + day.slice(1).toLowerCase();
}

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

export function mountWeekly(panel: HTMLElement, app: App): View {
  let loaded = false;
  const summary = h('p', { 'data-testid': 'weekly-schedule' }, 'Loading…');
  const lastRun = h('div', { 'data-testid': 'weekly-last-run' });
  const unsure = h('div', { 'data-testid': 'weekly-unconfirmed' });
  const day = select(WEEKDAYS.map((d) => ({ value: d, label: dayLabel(d) })), { 'data-testid': 'weekly-day' });
  const hour = select(Array.from({ length: 24 }, (_, i) => ({ value: String(i), label: hourLabel(i) })), { 'data-testid': 'weekly-hour' });
  day.value = 'MONDAY';
  hour.value = '7';
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'weekly-save' }, 'Save schedule');
  const remove = button('Remove schedule', () => void busy(remove, async () => {
    render(await call('unscheduleWeekly'));
    announce('The weekly report will no longer run by itself.', 'success');
  }), { 'data-testid': 'weekly-remove' });
  const runNow = button('Run the report now', () => void busy(runNow, async () => {
    announce('Writing the weekly report…');
    const result = await call('runWeeklyNow');
    announce(result.message, 'success');
    render(await call('getWeeklyStatus'));
  }), { 'data-testid': 'weekly-run-now' });

  const form = h('form', {
    class: 'card', 'data-testid': 'weekly-form', 'aria-labelledby': 'weekly-form-heading',
    onsubmit: (e) => {
      e.preventDefault();
      void busy(save, async () => {
        const status = await call('scheduleWeekly', { day: day.value as Weekday, hour: Number(hour.value) });
        render(status);
        announce(`The weekly report will run every ${dayLabel(day.value as Weekday)} at ${hourLabel(Number(hour.value))}.`, 'success');
      });
    },
  },
  h('h3', { id: 'weekly-form-heading' }, 'Schedule'),
  h('p', { class: 'muted' }, `Times are in the school’s time zone. Google runs it within the hour chosen.`),
  h('div', { class: 'inline-fields' }, field('Day', day), field('Hour', hour)),
  h('div', { class: 'actions' }, save, remove));

  const recalculate = button('Recalculate the tracker', () => void busy(recalculate, async () => {
    announce((await call('recalculate')).message, 'success');
  }), { 'data-testid': 'weekly-recalculate' });
  const headOfYear = app.bootstrap.user.role === 'HOY';
  if (headOfYear) runNow.textContent = 'Send my year’s report to me now';
  replace(panel,
    h('h2', null, 'Weekly report'),
    h('p', { class: 'muted' }, headOfYear
      ? 'Your year group’s report for the last school week, emailed to you; the Weekly Report sheet has the full lists.'
      : `One block per year group in the Weekly Report sheet, emailed to each Head of Year${app.bootstrap.schoolName ? ` at ${app.bootstrap.schoolName}` : ''}.`),
    summary, app.bootstrap.can.schedule ? form : null,
    h('div', { class: 'actions' }, runNow, app.bootstrap.can.recalculate ? recalculate : null),
    h('h3', null, 'Last run'), lastRun, unsure);

  function render(status: WeeklyStatus): void {
    loaded = true;
    if (status.schedule) {
      // Whose trigger it is matters: it runs as them and stops if their account goes (README).
      const owner = status.owner ? ` Scheduled by ${status.owner}; it runs as them.` : '';
      replace(summary, `Runs every ${dayLabel(status.schedule.day)} at ${hourLabel(status.schedule.hour)}.${owner}`);
      day.value = status.schedule.day;
      hour.value = String(status.schedule.hour);
    } else {
      replace(summary, 'Not scheduled: the report runs only when you click “Run the report now”.');
    }
    remove.hidden = !status.schedule;
    const run = status.lastRun;
    replace(lastRun, run
      ? h('p', { class: run.ok ? '' : 'error-text' },
        `${formatStamp(run.at)} — ${weekWords(run.week)}: ${run.ok ? 'done' : 'failed'}. ${run.message}`)
      : h('p', { class: 'muted' }, 'It has not run yet.'));
    // Emails a run stopped while sending: never sent again by themselves (nobody gets two).
    const decide = (email: string, decision: 'markSent' | 'resend', b: HTMLButtonElement) => void busy(b, async () => {
      render(await call('resolveWeeklyUnknown', { email, decision }));
      announce(decision === 'markSent' ? `Noted: the report reached ${email}.` : `The report will be sent to ${email} at the next run (or Run the report now).`, 'success');
    });
    const items = (status.unconfirmed ?? []).map((u) => {
      const sent: HTMLButtonElement = button('It was sent', () => decide(u.email, 'markSent', sent), { 'data-testid': 'weekly-unconfirmed-sent' });
      const again: HTMLButtonElement = button('It was not sent: send it again', () => decide(u.email, 'resend', again), { 'data-testid': 'weekly-unconfirmed-resend' });
      return h('li', null, `The email to ${u.email} may not have gone (a run stopped while sending it). Look in the Sent folder of the account that runs the report.`, h('div', { class: 'actions' }, sent, again));
    });
    replace(unsure, items.length ? h('ul', null, ...items) : null);
  }

  return {
    activate() {
      if (!loaded) void busy(null, async () => render(await call('getWeeklyStatus')));
    },
  };
}

/** An ISO timestamp in the reader's own clock (the browser's time zone). */

