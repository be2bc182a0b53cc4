/** Today tab: first-day absence calls, with tap-to-call numbers and a "Log call" shortcut. */
import type { TodayCall } from '../../src/rpcTypes';
import { call } from '../rpc';
import { announce, busy, button, formatDate, h, plural, replace, telHref } from '../dom';
import type { App, View } from './app';

export function mountToday(panel: HTMLElement, app: App): View {
  let loaded = false;
  const heading = h('h2', null, 'Today’s calls');
  const list = h('div', { 'data-testid': 'today-list' }, h('p', { class: 'muted' }, 'Loading…'));
  const refresh = button('Refresh', () => void busy(refresh, load), { 'data-testid': 'today-refresh' });
  replace(panel, h('div', { class: 'toolbar' }, heading, refresh),
    h('p', { class: 'muted' }, 'Students absent today with no reason yet. Call home, then log the call.'),
    list);

  async function load(): Promise<void> {
    const today = await call('getTodayCalls');
    loaded = true;
    replace(heading, `Calls for ${formatDate(today.date)}`);
    const toMake = today.students.filter((s) => !s.calledToday).length;
    const notice = !today.schoolDay
      ? h('p', { class: 'muted', 'data-testid': 'today-notice' }, 'Today is not a school day in the academic year: no calls.')
      : !today.marksImported
        ? h('p', { class: 'note', 'data-testid': 'today-notice' }, `Today’s register marks are not imported yet${today.lastImported ? ` (last import ${today.lastImported})` : ''}: import them to see today’s calls.`)
        : null;
    const stale = today.registerNotice ? h('p', { class: 'note', 'data-testid': 'register-stale' }, today.registerNotice) : null;
    replace(list, stale, notice, today.students.length === 0
      ? (today.marksImported ? h('p', { class: 'muted' }, 'No first-day calls to make today.') : null)
      : h('ul', { class: 'rows' }, today.students.map(row)));
    announce(notice ? notice.textContent ?? '' : `${plural(toMake, 'call')} to make today${toMake < today.students.length ? `, ${today.students.length - toMake} done` : ''}.`);
  }

  function row(s: TodayCall): HTMLLIElement {
    const href = telHref(s.phone);
    const log = button('Log call', () => app.logContactFor(s.studentId, 'Phone call'), {
      'data-testid': 'today-log-call', 'data-student-id': s.studentId, 'aria-label': `Log call about ${s.name}`,
    });
    return h('li', { class: s.calledToday ? 'row done' : 'row', 'data-testid': 'today-row', 'data-student-id': s.studentId, 'data-called': s.calledToday ? 'true' : 'false' },
      h('div', { class: 'row-main' },
        h('strong', null, s.name),
        h('span', { class: 'muted' }, ` ${s.tutorGroup} · code ${s.code}`),
        s.calledToday ? h('div', { class: 'muted', 'data-testid': 'today-done' }, `✓ Called today — ${s.calledToday}`) : null,
        h('div', null, s.parentName || 'Parent/carer', ': ',
          href ? h('a', { href, target: '_blank', rel: 'noopener', 'data-testid': 'today-phone' }, s.phone) : h('span', { class: 'muted' }, 'no phone number recorded'))),
      log);
  }

  return {
    activate() {
      if (!loaded) void busy(refresh, load);
    },
  };
}
