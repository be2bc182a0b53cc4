/// <reference lib="dom" />
/**
 * Sidebar entry point: loads who the user is (getBootstrap), then builds the tabs their role may
 * use — a real ARIA tablist with arrow-key navigation — and mounts one view per tab.
 */
import type { Bootstrap, ContactMethod } from '../src/rpcTypes';
import { call } from './rpc';
import { busy, button, clearStatus, h, replace, setDateFormat, showError } from './dom';
import type { App, TabId, View } from './views/app';
import { mountStudent } from './views/student';
import { mountToday } from './views/today';
import { mountLetters } from './views/letters';
import { mountWeekly } from './views/weekly';
import { mountSettings } from './views/settings';
import { mountPolicy } from './views/policy';

interface TabDef {
  id: TabId;
  label: string;
  allowed(b: Bootstrap): boolean;
}

/** Tabs a role cannot use are not shown at all (the server refuses them too). */
export const TABS: readonly TabDef[] = [
  { id: 'student', label: 'Student', allowed: () => true },
  { id: 'today', label: 'Today', allowed: (b) => b.can.logContact },
  { id: 'letters', label: 'Letters', allowed: (b) => b.can.generateLetters },
  { id: 'weekly', label: 'Weekly', allowed: (b) => b.can.schedule || b.can.runReport },
  { id: 'settings', label: 'Settings', allowed: (b) => b.can.settings || b.can.import },
  { id: 'policy', label: 'Policy', allowed: (b) => Boolean(b.can.policy) },
];

const ROLE_NAMES: Record<string, string> = {
  Tutor: 'Tutor', HOY: 'Head of Year', AO: 'Attendance Officer', AL: 'Attendance Lead', Admin: 'Admin',
};

function start(root: HTMLElement, bootstrap: Bootstrap): void {
  setDateFormat(bootstrap.dateFormat);
  const tabs = TABS.filter((t) => t.allowed(bootstrap));
  const header = h('header', { class: 'app-header' },
    h('h1', { 'data-testid': 'school-name' }, bootstrap.schoolName || 'SOL Tracker'),
    h('p', { class: 'muted', 'data-testid': 'user' },
      bootstrap.user.name || bootstrap.user.email,
      bootstrap.user.role ? ` · ${ROLE_NAMES[bootstrap.user.role] ?? bootstrap.user.role}` : ' · not in the staff list',
      ' · ', bootstrap.policy.label));

  const tablist = h('div', { role: 'tablist', 'aria-label': 'SOL Tracker', class: 'tablist', 'data-testid': 'tablist' });
  const buttons = new Map<TabId, HTMLButtonElement>();
  const panels = new Map<TabId, HTMLElement>();
  const views = new Map<TabId, View>();
  let selected: TabId = tabs[0].id;

  for (const tab of tabs) {
    const b = h('button', {
      type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}`,
      'aria-selected': 'false', tabindex: -1, class: 'tab', 'data-testid': `tab-${tab.id}`,
      onclick: () => app.showTab(tab.id),
    }, tab.label);
    buttons.set(tab.id, b);
    tablist.appendChild(b);
    panels.set(tab.id, h('div', {
      role: 'tabpanel', id: `panel-${tab.id}`, 'aria-labelledby': `tab-${tab.id}`, tabindex: 0,
      class: 'panel', hidden: true, 'data-testid': `panel-${tab.id}`,
    }));
  }

  tablist.addEventListener('keydown', (event) => {
    const ids = tabs.map((t) => t.id);
    const at = ids.indexOf(selected);
    const to: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: ids.length - 1 };
    if (!(event.key in to)) return;
    event.preventDefault();
    app.showTab(ids[(to[event.key] + ids.length) % ids.length], true);
  });

  const app: App = {
    bootstrap,
    showTab(id, focus = false) {
      if (!buttons.has(id)) return;
      if (id !== selected) clearStatus(); // a message belongs to the tab it came from
      selected = id;
      for (const [tabId, b] of buttons) {
        const on = tabId === id;
        b.setAttribute('aria-selected', String(on));
        b.tabIndex = on ? 0 : -1;
        panels.get(tabId)!.hidden = !on;
      }
      if (focus) buttons.get(id)!.focus();
      views.get(id)?.activate();
    },
    logContactFor(studentId: string, method: ContactMethod) {
      void student?.openForContact(studentId, method);
    },
  };

  const student = buttons.has('student') ? mountStudent(panels.get('student')!, app) : null;
  if (student) views.set('student', student);
  if (buttons.has('today')) views.set('today', mountToday(panels.get('today')!, app));
  if (buttons.has('letters')) views.set('letters', mountLetters(panels.get('letters')!, app));
  if (buttons.has('weekly')) views.set('weekly', mountWeekly(panels.get('weekly')!, app));
  if (buttons.has('settings')) views.set('settings', mountSettings(panels.get('settings')!, app));
  if (buttons.has('policy')) views.set('policy', mountPolicy(panels.get('policy')!, app));

  replace(root, header, tablist, ...panels.values());
  const requested = bootstrap.initialTab && buttons.has(bootstrap.initialTab) ? bootstrap.initialTab : null;
  app.showTab(!bootstrap.setupDone && buttons.has('settings') ? 'settings' : requested ?? 'student');
  if (!bootstrap.setupDone && !buttons.has('settings')) {
    showError(new Error('The SOL Tracker has not been set up in this spreadsheet yet. Ask your attendance lead or admin to run Setup.'));
  }
}

function boot(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const retry = button('Try again', () => void busy(retry, load), { class: 'primary', 'data-testid': 'retry' });
  async function load(): Promise<void> {
    replace(root!, h('p', { class: 'muted', 'data-testid': 'loading' }, 'Loading…'));
    try {
      const bootstrap = await call('getBootstrap');
      clearStatus();
      start(root!, bootstrap);
    } catch (err) {
      showError(err);
      replace(root!, h('p', null, 'The sidebar could not load.'), retry);
    }
  }
  void load();
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
}
