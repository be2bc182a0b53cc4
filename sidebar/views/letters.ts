/**
 * Letters tab: plan → preview → approve → send, at school scale (300+ letters in a 300 px sidebar).
 *
 * - A summary at the top (letters by letter, language, email or post; held back, left out, needing a
 *   decision) with Send right there — never at the end of a long list — and its confirm saying how
 *   long the run takes. An Attendance Officer sees "plan only — the Attendance Lead sends"; when the
 *   email quota is used up it says when the quota comes back instead of offering Send.
 * - Filters (year, tutor group, letter) and a search by name or ID; letters grouped by tutor group,
 *   each group with "Include all" / "Leave all out"; each card shows the tutor group and the ID, so
 *   two pupils of one name are told apart.
 * - Preview opens in place, under its card, with "Send a test letter to me".
 *
 * The plan is the server's; unticking a letter records a reason (setExclusion). Sending runs a start
 * call, then several sendLetters({ runId }) loops at once (letterRun.ts) until the run is done or
 * stops (quota, time, error), showing progress as it goes; a run the sidebar left part-way (closed
 * mid-run) is offered for resuming.
 */
import type { LetterPlan, PlanItemView, SendLettersResponse } from '../../src/rpcTypes';
import { runDurationWords } from '../../src/core/letters/estimate';
import { call } from '../rpc';
import { runLetters } from '../letterRun';
import { announce, busy, button, field, h, plural, replace, select, showError, uid } from '../dom';
import type { App, View } from './app';

/** Letters the next run will send: planned and not left out. */
export function sendable(plan: LetterPlan): PlanItemView[] {
  return plan.items.filter((i) => i.status === 'planned' && i.excluded === null);
}

export interface PlanSummary {
  /** Letters the next run would send (planned, included). */
  toSend: number;
  byEmail: number;
  byPost: number;
  /** [words, count] in order of first appearance (letters sorted by name). */
  byLetter: [string, number][];
  byLanguage: [string, number][];
  heldBack: number;
  leftOut: number;
  needDecision: number;
  sent: number;
}

function countBy(items: readonly PlanItemView[], key: (i: PlanItemView) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
}

/** The counts the summary shows (pure: unit-tested). */
export function planSummary(plan: LetterPlan): PlanSummary {
  const go = sendable(plan);
  return {
    toSend: go.length,
    byEmail: go.filter((i) => i.recipient !== 'post').length,
    byPost: go.filter((i) => i.recipient === 'post').length,
    byLetter: countBy(go, (i) => i.letterName),
    byLanguage: countBy(go, (i) => i.languageName),
    heldBack: go.filter((i) => i.heldBack !== null).length,
    leftOut: plan.items.filter((i) => i.excluded !== null).length,
    needDecision: plan.items.filter((i) => i.status === 'unknown').length,
    sent: plan.items.filter((i) => i.status === 'sent').length,
  };
}

export interface PlanFilter {
  year: string;
  tutorGroup: string;
  letter: string;
  /** Part of a name or an ID; case and accents do not matter. */
  search: string;
}

export const NO_FILTER: PlanFilter = { year: '', tutorGroup: '', letter: '', search: '' };

function searchKey(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

/** The letters a filter shows (pure: unit-tested). */
export function filterPlan(items: readonly PlanItemView[], f: PlanFilter): PlanItemView[] {
  const q = searchKey(f.search);
  return items.filter((i) =>
    (f.year === '' || i.yearGroup === f.year)
    && (f.tutorGroup === '' || i.tutorGroup === f.tutorGroup)
    && (f.letter === '' || i.letterName === f.letter)
    && (q === '' || searchKey(i.studentName).includes(q) || searchKey(i.studentId).includes(q)));
}

/** Letters grouped by tutor group, groups in natural order ('7A' before '10A'); '' last. */
export function groupByTutorGroup(items: readonly PlanItemView[]): [string, PlanItemView[]][] {
  const groups = new Map<string, PlanItemView[]>();
  for (const i of items) {
    const list = groups.get(i.tutorGroup) ?? [];
    list.push(i);
    groups.set(i.tutorGroup, list);
  }
  return [...groups].sort((a, b) => (a[0] === '' ? 1 : b[0] === '' ? -1 : a[0].localeCompare(b[0], 'en', { numeric: true })));
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Groups are open when the filtered list is short enough to read; otherwise the headings are a table of contents. */
const OPEN_GROUPS_UP_TO = 40;

export function mountLetters(panel: HTMLElement, app: App): View {
  let plan: LetterPlan | null = null;
  let sending = false;
  let pauseRequested = false;
  let filter: PlanFilter = { ...NO_FILTER };
  const openGroups = new Set<string>();

  const initialQuota = app.bootstrap.mailQuotaRemaining;
  const quota = h('p', { class: 'muted', 'data-testid': 'letters-quota' }, initialQuota === null ? '' : `Emails left today: ${initialQuota}`);
  const summary = h('section', { class: 'card summary', 'data-testid': 'letters-summary', 'aria-label': 'Summary of the letter plan' }, h('p', { class: 'muted' }, 'Loading the letter plan…'));
  const problems = h('div', { 'data-testid': 'letters-problems' });
  // A stale register is the plan's first line, above the summary and Send (not folded into the problems).
  const registerStale = h('div', { 'data-testid': 'letters-register-notice', role: 'status' });
  const list = h('div', { 'data-testid': 'plan-list' });
  const shown = h('p', { class: 'muted', 'data-testid': 'plan-shown', 'aria-live': 'polite' });
  const unknown = h('section', { 'data-testid': 'unknown-list', hidden: true });
  const packs = h('section', { 'data-testid': 'print-packs', hidden: true });
  const leftOut = h('section', { 'data-testid': 'left-out-list', hidden: true });
  const resume = h('section', { class: 'card', 'data-testid': 'letters-resume-offer', hidden: true, role: 'status' });

  const sendButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'send-letters', disabled: true, onclick: () => askToSend() }, 'Send letters');
  const planOnly = h('p', { class: 'note', 'data-testid': 'plan-only', hidden: true }, 'Plan only — the Attendance Lead sends.');
  const confirmText = h('p', { 'data-testid': 'send-confirm-text' });
  const confirmSend = h('button', { type: 'button', class: 'primary', 'data-testid': 'send-confirm-button', onclick: () => void runSend() }, 'Send now');
  const confirm = h('div', { class: 'card confirm', 'data-testid': 'send-confirm', hidden: true, role: 'group', 'aria-label': 'Confirm sending' },
    confirmText,
    h('div', { class: 'actions' }, confirmSend, button('Cancel', () => { confirm.hidden = true; sendButton.focus(); }, { 'data-testid': 'send-cancel' })));

  const progressFill = h('div', { class: 'progress-fill' });
  const progressBar = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Letters sent', 'aria-valuemin': 0, 'aria-valuemax': 0, 'aria-valuenow': 0, 'data-testid': 'send-progress' }, progressFill);
  const progressText = h('p', { class: 'muted', 'data-testid': 'send-progress-text' });
  const pause = button('Pause after this batch', () => { pauseRequested = true; pause.disabled = true; }, { 'data-testid': 'send-pause' });
  const progress = h('div', { class: 'card', hidden: true }, progressBar, progressText, h('div', { class: 'actions' }, pause));

  // Filters: year, tutor group, letter, and a search by name or ID.
  const yearSelect = select([{ value: '', label: 'All years' }], { 'data-testid': 'plan-filter-year' });
  const groupSelect = select([{ value: '', label: 'All tutor groups' }], { 'data-testid': 'plan-filter-group' });
  const letterSelect = select([{ value: '', label: 'All letters' }], { 'data-testid': 'plan-filter-letter' });
  const search = h('input', { type: 'search', 'data-testid': 'plan-search', placeholder: 'Name or ID', autocomplete: 'off' });
  const clearFilters = button('Show all', () => {
    filter = { ...NO_FILTER };
    yearSelect.value = ''; groupSelect.value = ''; letterSelect.value = ''; search.value = '';
    renderList();
  }, { 'data-testid': 'plan-filter-clear' });
  const onFilter = (): void => {
    filter = { year: yearSelect.value, tutorGroup: groupSelect.value, letter: letterSelect.value, search: search.value };
    renderList();
  };
  yearSelect.addEventListener('change', onFilter);
  groupSelect.addEventListener('change', onFilter);
  letterSelect.addEventListener('change', onFilter);
  search.addEventListener('input', onFilter);
  const filters = h('fieldset', { class: 'filters', 'data-testid': 'plan-filters' },
    h('legend', null, 'Find letters'),
    h('div', { class: 'inline-fields' }, field('Year', yearSelect), field('Tutor group', groupSelect)),
    field('Letter', letterSelect),
    field('Search', search, 'Part of a name or an ID'),
    h('div', { class: 'actions' }, clearFilters));

  const refresh = button('Refresh', () => void busy(refresh, load), { 'data-testid': 'letters-refresh' });

  replace(panel,
    h('div', { class: 'toolbar' }, h('h2', null, 'Letters to send'), refresh),
    registerStale, quota, resume, summary, confirm, progress, unknown, packs, leftOut, problems, filters, shown, list);

  async function load(focusKey?: string): Promise<void> {
    render(await call('getLetterPlan'), focusKey);
  }

  function render(next: LetterPlan, focusKey?: string): void {
    plan = next;
    replace(quota, next.quotaRemaining > 0 || !next.quotaResets
      ? `Emails left today: ${next.quotaRemaining}`
      : h('span', { 'data-testid': 'quota-resets' }, `No emails left today: the quota comes back ${next.quotaResets}.`));
    renderResume(next);
    replace(registerStale, next.registerNotice ? h('p', { class: 'note', 'data-testid': 'register-stale' }, next.registerNotice) : null);
    const others = next.problems.filter((p) => p !== next.registerNotice);
    replace(problems, others.length
      ? h('details', { class: 'problems' },
        h('summary', null, `${plural(others.length, 'thing')} to check before sending`),
        h('ul', { class: 'warnings', 'aria-label': 'Problems' }, others.map((p) => h('li', null, p))))
      : null);
    renderSummary(next);
    renderFilterOptions(next);
    renderUnknown(next.unknown);
    renderPacks(next);
    renderLeftOut(next);
    renderList(focusKey);
  }

  function renderSummary(p: LetterPlan): void {
    const s = planSummary(p);
    const line = (label: string, n: number, testid: string) => h('li', { 'data-testid': testid }, `${label}: ${n}`);
    const canSend = p.canSend;
    planOnly.hidden = canSend;
    sendButton.hidden = !canSend;
    if (p.quotaRemaining === 0 && s.byEmail > 0) {
      replace(sendButton, s.byPost > 0 ? `Send ${plural(s.byPost, 'posted letter')}` : 'No emails left today');
      sendButton.disabled = sending || s.byPost === 0;
    } else {
      replace(sendButton, s.toSend ? `Send ${plural(s.toSend, 'letter')}` : 'Nothing to send');
      sendButton.disabled = sending || s.toSend === 0;
    }
    replace(summary,
      h('h3', null, s.toSend ? `${plural(s.toSend, 'letter')} ready to send` : 'No letters ready to send'),
      h('p', { 'data-testid': 'summary-how' }, `${s.byEmail} by email, ${s.byPost} by post.`),
      s.byLetter.length ? h('ul', { class: 'counts', 'aria-label': 'By letter', 'data-testid': 'summary-by-letter' }, s.byLetter.map(([name, n]) => h('li', null, `${name}: ${n}`))) : null,
      s.byLanguage.length ? h('ul', { class: 'counts', 'aria-label': 'By language', 'data-testid': 'summary-by-language' }, s.byLanguage.map(([name, n]) => h('li', null, `${name}: ${n}`))) : null,
      h('ul', { class: 'counts', 'aria-label': 'Needing attention' },
        line('Held back (data missing)', s.heldBack, 'summary-held-back'),
        line('Left out', s.leftOut, 'summary-left-out'),
        line('Needing a decision', s.needDecision, 'summary-need-decision'),
        s.sent ? line('Already sent', s.sent, 'summary-sent') : null),
      // Said only to someone who can send, when there is something to send.
      canSend && s.toSend > 0 ? h('p', { class: 'muted', 'data-testid': 'send-scope-note' }, 'Send sends every ticked letter, not only those the filters show.') : null,
      h('div', { class: 'actions send-bar' }, sendButton),
      planOnly);
  }

  function renderFilterOptions(p: LetterPlan): void {
    const fill = (el: HTMLSelectElement, all: string, values: string[], label: (v: string) => string) => {
      const current = el.value;
      replace(el, h('option', { value: '' }, all), values.map((v) => h('option', { value: v }, label(v))));
      el.value = values.includes(current) ? current : '';
    };
    fill(yearSelect, 'All years', distinct(p.items.map((i) => i.yearGroup)), (v) => (/^\d+$/.test(v) ? `Year ${v}` : v));
    fill(groupSelect, 'All tutor groups', distinct(p.items.map((i) => i.tutorGroup)), (v) => v);
    fill(letterSelect, 'All letters', distinct(p.items.map((i) => i.letterName)), (v) => v);
    filter = { year: yearSelect.value, tutorGroup: groupSelect.value, letter: letterSelect.value, search: search.value };
  }

  function renderList(focusKey?: string): void {
    if (!plan) return;
    if (plan.items.length === 0) {
      replace(list, h('p', { class: 'muted' }, 'No letters are due.'));
      replace(shown, '');
      return;
    }
    const visible = filterPlan(plan.items, filter);
    replace(shown, visible.length === plan.items.length ? `Showing all ${plural(visible.length, 'letter')}.` : `Showing ${visible.length} of ${plural(plan.items.length, 'letter')}.`);
    const open = visible.length <= OPEN_GROUPS_UP_TO;
    replace(list, visible.length === 0
      ? h('p', { class: 'muted' }, 'No letters match: change the filters or the search.')
      // The first group is open, so the list starts with letters, not only headings.
      : groupByTutorGroup(visible).map(([group, items], index) => groupSection(group, items, open || index === 0 || openGroups.has(group))));
    if (focusKey) {
      const box = list.querySelector<HTMLInputElement>(`input[data-key="${cssEscape(focusKey)}"]`);
      box?.focus();
    }
  }

  function groupSection(group: string, items: PlanItemView[], open: boolean): HTMLDetailsElement {
    const name = group || 'No tutor group';
    const editable = !sending && (plan?.canSend ?? false);
    // Letters a person can still tick or untick: planned ones, and those left out (kept as skipped).
    const choosable = items.filter(isChoosable);
    const ids = [...new Set(choosable.map((i) => i.studentId))];
    const leftOutIds = [...new Set(choosable.filter((i) => i.excluded !== null).map((i) => i.studentId))];
    const includedIds = [...new Set(choosable.filter((i) => i.excluded === null).map((i) => i.studentId))];
    const all = button('Include all', () => void busy(all, async () => {
      render(await call('setExclusion', { studentId: leftOutIds[0]!, studentIds: leftOutIds, reason: null }));
      announce(`${name}: ${plural(leftOutIds.length, 'pupil')} included again.`, 'success');
    }), { 'data-testid': 'group-include-all', 'aria-label': `${name}: include all`, disabled: !editable || leftOutIds.length === 0 });
    const none = button('Leave all out', () => askGroupReason(details, name, includedIds), {
      'data-testid': 'group-leave-out-all', 'aria-label': `${name}: leave all out`, disabled: !editable || includedIds.length === 0,
    });
    const details = h('details', { class: 'group', 'data-testid': 'plan-group', 'data-group': group, open: open || undefined },
      h('summary', { 'data-testid': 'plan-group-summary' }, `${name} — ${plural(items.length, 'letter')}`),
      ids.length && (plan?.canSend ?? false) ? h('div', { class: 'actions' }, all, none) : null,
      h('ul', { class: 'rows', 'aria-label': `Letters for ${name}` }, items.map(planRow)));
    details.addEventListener('toggle', () => { if (details.open) openGroups.add(group); else openGroups.delete(group); });
    return details;
  }

  function planRow(item: PlanItemView): HTMLLIElement {
    const boxId = uid('include');
    const row = h('li', { class: `row plan-row status-${item.status}`, 'data-testid': 'plan-row', 'data-key': item.key, 'data-status': item.status });
    const editable = isChoosable(item) && !sending && (plan?.canSend ?? false);
    const box = h('input', {
      type: 'checkbox', id: boxId, 'data-key': item.key, 'data-testid': 'plan-include',
      checked: item.excluded === null, disabled: !editable,
      onchange: () => {
        if (box.checked) void busy(null, async () => render(await call('setExclusion', { studentId: item.studentId, reason: null }), item.key));
        else askReason(row, box, item);
      },
    });
    const previewButton = button('Preview', () => void busy(previewButton, () => showPreview(row, item, previewButton)), {
      'data-testid': 'plan-preview', 'aria-label': `Preview letter for ${item.studentName}`, 'aria-expanded': 'false',
    });
    const who = [item.tutorGroup, item.yearGroup && (/^\d+$/.test(item.yearGroup) ? `Year ${item.yearGroup}` : item.yearGroup), `ID ${item.studentId}`].filter(Boolean).join(' · ');
    replace(row,
      h('div', { class: 'row-check' }, box),
      h('div', { class: 'row-main' },
        h('label', { for: boxId }, h('strong', null, item.studentName)),
        h('div', { class: 'muted', 'data-testid': 'plan-who' }, who),
        h('div', { class: 'muted', 'data-testid': 'plan-letter' }, `${item.letterName} · ${item.stepName} · ${item.languageName}`),
        item.fellBackToEnglish ? h('div', { class: 'note' }, 'No template in the family’s language: the English letter will be sent.') : null,
        h('div', { class: 'muted wrap' }, item.recipient === 'post' ? 'By post (print pack)' : `To ${item.recipient || '(no email address)'}`),
        h('div', null, item.why),
        item.heldBack !== null && item.status === 'planned' ? h('div', { class: 'note', 'data-testid': 'plan-held-back' }, `Held back: ${item.heldBack}`) : null,
        item.excluded !== null ? h('div', { class: 'note', 'data-testid': 'plan-excluded' }, `Left out: ${item.excluded}`) : null,
        item.status !== 'planned' ? h('span', { class: `badge badge-${item.status}` }, statusLabel(item.status)) : null,
        h('div', { class: 'actions' }, previewButton)));
    return row;
  }

  /** Unticking asks why, inline (a dialog inside the Sheets iframe is not reliable). */
  function askReason(row: HTMLLIElement, box: HTMLInputElement, item: PlanItemView): void {
    row.querySelector('.exclusion')?.remove();
    const reason = h('input', { type: 'text', maxlength: 200, required: true, 'data-testid': 'exclusion-reason' });
    const cancel = (): void => { form.remove(); box.checked = true; box.focus(); };
    const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'exclusion-confirm' }, 'Leave out');
    const form: HTMLFormElement = h('form', {
      class: 'exclusion', 'data-testid': 'exclusion-form',
      onsubmit: (e) => {
        e.preventDefault();
        const text = reason.value.trim();
        if (!text) { reason.setAttribute('aria-invalid', 'true'); announce('Please give a reason for leaving this letter out.', 'error'); reason.focus(); return; }
        void busy(save, async () => {
          render(await call('setExclusion', { studentId: item.studentId, reason: text }), item.key);
          announce(`${item.studentName}’s letter will not be sent.`, 'success');
        });
      },
      onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Escape') cancel(); },
    },
    field(`Why leave out ${item.studentName}’s letter?`, reason),
    h('div', { class: 'actions' }, save, button('Cancel', cancel, { 'data-testid': 'exclusion-cancel' })));
    row.appendChild(form);
    reason.focus();
  }

  /** "Leave all out" for a group: one reason, recorded for each pupil. */
  function askGroupReason(details: HTMLDetailsElement, name: string, studentIds: string[]): void {
    details.querySelector('.exclusion')?.remove();
    details.open = true;
    const reason = h('input', { type: 'text', maxlength: 200, required: true, 'data-testid': 'group-exclusion-reason' });
    const cancel = (): void => { form.remove(); };
    const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'group-exclusion-confirm' }, `Leave ${plural(studentIds.length, 'pupil')} out`);
    const form: HTMLFormElement = h('form', {
      class: 'exclusion', 'data-testid': 'group-exclusion-form',
      onsubmit: (e) => {
        e.preventDefault();
        const text = reason.value.trim();
        if (!text) { reason.setAttribute('aria-invalid', 'true'); announce('Please give a reason for leaving these letters out.', 'error'); reason.focus(); return; }
        void busy(save, async () => {
          render(await call('setExclusion', { studentId: studentIds[0]!, studentIds, reason: text }));
          announce(`${name}: ${plural(studentIds.length, 'pupil')} left out.`, 'success');
        });
      },
      onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Escape') cancel(); },
    },
    field(`Why leave out every ticked letter of ${name}?`, reason),
    h('div', { class: 'actions' }, save, button('Cancel', cancel, { 'data-testid': 'group-exclusion-cancel' })));
    details.insertBefore(form, details.querySelector('ul'));
    reason.focus();
  }

  /** Print packs stay listed with their link; a pack's letters count as sent once marked printed. */
  function renderPacks(next: LetterPlan): void {
    const list = next.printPacks ?? [];
    packs.hidden = list.length === 0;
    replace(packs, list.length === 0 ? null : [
      h('h3', null, 'Print packs (letters for post)'),
      h('ul', { class: 'rows', 'aria-label': 'Print packs' }, list.map((p) => h('li', { class: 'row', 'data-testid': 'print-pack' },
        h('a', { href: p.url, target: '_blank', rel: 'noopener' }, `Print pack of ${p.date}`),
        h('span', { class: 'muted' }, p.toPrint > 0 ? ` · ${plural(p.toPrint, 'letter')} to print` : ` · printed (${plural(p.printed, 'letter')})`),
        p.toPrint > 0 && next.canSend
          ? h('div', { class: 'actions' }, button('Mark printed', () => void busy(null, async () => {
            render(await call('markPackPrinted', { url: p.url }));
            announce('The print pack is marked printed: its letters are recorded as sent.', 'success');
          }), { 'data-testid': 'print-pack-printed' }))
          : null))),
    ]);
  }

  /** Every left-out letter with its reason; "Include again" puts it back in the plan (logged). */
  function renderLeftOut(next: LetterPlan): void {
    const list = next.leftOut ?? [];
    leftOut.hidden = list.length === 0;
    replace(leftOut, list.length === 0 ? null : [
      // The summary's "Left out" counts letters due now; the list also keeps those no longer due.
      h('h3', null, `Left out (${list.filter((l) => l.stillDue).length} due now${list.some((l) => !l.stillDue) ? `, ${list.filter((l) => !l.stillDue).length} no longer due` : ''})`),
      h('ul', { class: 'rows', 'aria-label': 'Letters left out' }, list.map((l) => h('li', { class: 'row', 'data-testid': 'left-out' },
        h('strong', null, l.studentName), h('span', { class: 'muted' }, ` · ${[l.tutorGroup, `ID ${l.studentId}`].filter(Boolean).join(' · ')} · ${l.letter}, ${l.window}${l.stillDue ? '' : ' (no longer due)'}`),
        h('div', { class: 'note' }, `Reason: ${l.reason}`),
        // A letter no longer due cannot come back (it would go as it stood then): no button.
        next.canSend && l.stillDue ? h('div', { class: 'actions' }, button('Include again', () => void busy(null, async () => {
          render(await call('setExclusion', { studentId: l.studentId, reason: null }));
          announce(`${l.studentName}’s letter is included again.`, 'success');
        }), { 'data-testid': 'left-out-include' })) : null))),
    ]);
  }

  /** The preview opens in place, under its card; Close returns focus to the card's Preview button. */
  async function showPreview(row: HTMLLIElement, item: PlanItemView, opener: HTMLButtonElement): Promise<void> {
    list.querySelectorAll('[data-testid="letter-preview"]').forEach((el) => el.remove());
    list.querySelectorAll('[data-testid="plan-preview"][aria-expanded="true"]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
    const letter = await call('previewLetter', { key: item.key });
    const emailFrame = h('iframe', {
      class: 'email-frame', title: `Email to ${item.recipient}`, sandbox: '', hidden: true,
      'data-testid': 'letter-preview-email',
    });
    // The email HTML stays in a script-less sandboxed frame whose CSP forbids any network load.
    emailFrame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">${letter.emailHtml}`;
    const toggle = button('Show the email as sent', () => {
      emailFrame.hidden = !emailFrame.hidden;
      replace(toggle, emailFrame.hidden ? 'Show the email as sent' : 'Hide the email');
      toggle.setAttribute('aria-expanded', String(!emailFrame.hidden));
    }, { 'aria-expanded': 'false' });
    const testButton = button('Send a test letter to me', () => void busy(testButton, async () => {
      const r = await call('sendTestLetter', { key: item.key });
      replace(testResult, r.message);
      announce(r.message, 'success');
    }), { 'data-testid': 'send-test-letter' });
    const testResult = h('p', { class: 'muted', 'data-testid': 'send-test-result', 'aria-live': 'polite' });
    const close = (): void => { preview.remove(); opener.setAttribute('aria-expanded', 'false'); opener.focus(); };
    const preview = h('section', {
      class: 'card preview', 'data-testid': 'letter-preview', tabindex: -1, 'aria-label': `Letter for ${item.studentName}`,
      onkeydown: (e) => { if ((e as KeyboardEvent).key === 'Escape') close(); },
    },
    h('div', { class: 'toolbar' }, h('h3', null, `Letter for ${item.studentName}`), button('Close', close, { 'data-testid': 'letter-preview-close' })),
    h('p', { class: 'muted' }, `${item.letterName} · ${item.languageName}`),
    h('p', { 'data-testid': 'letter-preview-subject' }, h('strong', null, 'Subject: '), letter.subject),
    h('div', { class: 'letter', 'data-testid': 'letter-preview-body' }, letter.paragraphs.map((p) => h('p', null, p))),
    h('div', { class: 'actions' }, toggle, testButton),
    h('p', { class: 'muted' }, 'The test goes only to you; it is not recorded as sent.'),
    testResult, emailFrame);
    row.appendChild(preview);
    opener.setAttribute('aria-expanded', 'true');
    preview.focus();
  }

  function renderResume(next: LetterPlan): void {
    const r = next.resume ?? null;
    resume.hidden = r === null || sending;
    replace(resume, r === null ? null : [
      h('p', null, `Sending stopped part-way: ${plural(r.sent, 'letter')} sent, ${plural(r.remaining, 'letter')} still to send${r.sending ? ` (${r.sending} being sent right now)` : ''}.`),
      h('div', { class: 'actions' }, button('Resume sending', () => void runSend(r.runId), { 'data-testid': 'letters-resume' })),
    ]);
  }

  function askToSend(): void {
    if (!plan || !plan.canSend) return;
    const s = planSummary(plan);
    const left = plan.quotaRemaining;
    const today = Math.min(s.byEmail, left) + s.byPost;
    replace(confirmText,
      `Send ${plural(s.toSend, 'letter')} to parents and carers now (${s.byEmail} by email, ${s.byPost} in the print pack)?`,
      s.byEmail > left ? ` Only ${left} can be emailed today (email quota); the rest will wait until the quota comes back.` : '',
      ` This takes ${runDurationWords(today, plan.secondsPerLetter)}: keep this sidebar open until it finishes.`);
    confirm.hidden = false;
    confirmSend.focus();
  }

  async function runSend(resumeRunId: string | null = null): Promise<void> {
    confirm.hidden = true;
    sending = true;
    pauseRequested = false;
    pause.disabled = false;
    pause.hidden = false;
    sendButton.disabled = true;
    // The plan is frozen while it is being sent; render() re-enables it afterwards.
    list.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input[type="checkbox"], [data-testid^="group-"]').forEach((el) => { el.disabled = true; });
    progress.hidden = false;
    setProgress(null);
    announce('Sending letters…');
    let last: SendLettersResponse | null = null;
    try {
      // Several executions at once (the server says how many); keep this sidebar open until it is done.
      last = await runLetters((req) => call('sendLetters', req), { runId: resumeRunId, onProgress: setProgress, paused: () => pauseRequested });
      const paused = pauseRequested && !last.done && last.stoppedBecause === null;
      announce(paused ? `Paused: ${last.sent} sent, ${last.remaining} still to send.` : last.message,
        last.stoppedBecause === 'error' || last.failed > 0 ? 'error' : last.done ? 'success' : 'info');
    } catch (err) {
      showError(err);
    } finally {
      sending = false;
      pause.disabled = true;
      pause.hidden = true; // the run is over: nothing left to pause
      // Always re-read the plan: statuses changed, and a stop mid-send may have left letters 'unknown'.
      await busy(null, () => load());
    }
  }

  function setProgress(r: SendLettersResponse | null): void {
    const total = r ? r.total : 0;
    const doneCount = r ? r.sent + r.failed : 0;
    progressBar.setAttribute('aria-valuemax', String(total));
    progressBar.setAttribute('aria-valuenow', String(doneCount));
    progressBar.setAttribute('aria-valuetext', r ? `${r.sent} of ${r.total} sent` : 'Starting');
    progressFill.style.width = total ? `${Math.round((doneCount / total) * 100)}%` : '0%';
    replace(progressText, r
      ? `${r.sent} of ${r.total} sent${r.failed ? `, ${r.failed} failed` : ''}${r.remaining ? `, ${r.remaining} to go` : ''}.`
      : 'Starting…');
  }

  function renderUnknown(items: PlanItemView[]): void {
    unknown.hidden = items.length === 0;
    const canDecide = plan?.canSend ?? false;
    replace(unknown, items.length === 0 ? null : [
      h('h3', null, 'Letters that need a decision'),
      h('p', { class: 'muted' }, canDecide
        ? 'Sending stopped while these were going out, so we cannot tell if they were sent. Check your Sent mail, then choose.'
        : 'Sending stopped while these were going out; the Attendance Lead checks the Sent mail and decides.'),
      h('ul', { class: 'rows' }, items.map((item) => {
        const markSent = button('It was sent', () => void busy(markSent, () => resolve(item, 'markSent')), { 'data-testid': 'unknown-mark-sent', 'aria-label': `${item.studentName}: it was sent` });
        const resend = button('Send again', () => void busy(resend, () => resolve(item, 'resend')), { 'data-testid': 'unknown-resend', 'aria-label': `${item.studentName}: send again` });
        return h('li', { class: 'row', 'data-testid': 'unknown-row', 'data-key': item.key },
          h('div', { class: 'row-main' }, h('strong', null, item.studentName), h('div', { class: 'muted' }, `${[item.tutorGroup, `ID ${item.studentId}`].filter(Boolean).join(' · ')}`), h('div', { class: 'muted' }, `${item.letterName} to ${item.recipient === 'post' ? 'the print pack' : item.recipient}`)),
          canDecide ? h('div', { class: 'actions stack' }, markSent, resend) : null);
      })),
    ]);
  }

  async function resolve(item: PlanItemView, decision: 'markSent' | 'resend'): Promise<void> {
    render(await call('resolveUnknown', { key: item.key, decision }));
    announce(decision === 'markSent' ? `${item.studentName}’s letter is recorded as sent.` : `${item.studentName}’s letter will be sent again.`, 'success');
  }

  return {
    activate() {
      if (!plan && !sending) void busy(refresh, () => load());
    },
  };
}

/** A letter the Attendance Lead can still tick or untick: planned, or left out with a reason. */
function isChoosable(item: PlanItemView): boolean {
  return item.status === 'planned' || (item.status === 'skipped' && item.excluded !== null);
}

function statusLabel(status: PlanItemView['status']): string {
  return { planned: 'Planned', sending: 'Sending', sent: 'Sent', failed: 'Failed', unknown: 'Needs a decision', skipped: 'Left out', toPrint: 'To print' }[status];
}

/** Escapes a key for a CSS attribute selector (CSS.escape is not in every embedded browser). */
function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
