/**
 * Letters tab: plan → preview → approve → send. The plan is the server's; unticking a letter
 * records a reason (setExclusion). Sending loops sendLetters({ runId }) one bounded batch per call
 * until the run is done or stops (quota, time, error), showing progress as it goes.
 */
import type { LetterPlan, PlanItemView, SendLettersResponse } from '../../src/rpcTypes';
import { call } from '../rpc';
import { runLetters } from '../letterRun';
import { announce, busy, button, field, h, plural, replace, showError, uid } from '../dom';
import type { App, View } from './app';

/** Letters the next run will send: planned and not left out. */
export function sendable(plan: LetterPlan): PlanItemView[] {
  return plan.items.filter((i) => i.status === 'planned' && i.excluded === null);
}

export function mountLetters(panel: HTMLElement, app: App): View {
  let plan: LetterPlan | null = null;
  let sending = false;
  let pauseRequested = false;

  const initialQuota = app.bootstrap.mailQuotaRemaining;
  const quota = h('p', { class: 'muted', 'data-testid': 'letters-quota' }, initialQuota === null ? '' : `Emails left today: ${initialQuota}`);
  const problems = h('div', { 'data-testid': 'letters-problems' });
  const list = h('div', { 'data-testid': 'plan-list' }, h('p', { class: 'muted' }, 'Loading the letter plan…'));
  const preview = h('section', { class: 'card preview', 'data-testid': 'letter-preview', hidden: true, tabindex: -1, 'aria-label': 'Letter preview' });
  const unknown = h('section', { 'data-testid': 'unknown-list', hidden: true });
  const packs = h('section', { 'data-testid': 'print-packs', hidden: true });
  const leftOut = h('section', { 'data-testid': 'left-out-list', hidden: true });
  const resume = h('section', { class: 'card', 'data-testid': 'letters-resume-offer', hidden: true, role: 'status' });

  const sendButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'send-letters', disabled: true, onclick: () => askToSend() }, 'Send letters');
  const confirmText = h('p');
  const confirmSend = h('button', { type: 'button', class: 'primary', 'data-testid': 'send-confirm-button', onclick: () => void runSend() }, 'Send now');
  const confirm = h('div', { class: 'card confirm', 'data-testid': 'send-confirm', hidden: true, role: 'group', 'aria-label': 'Confirm sending' },
    confirmText,
    h('div', { class: 'actions' }, confirmSend, button('Cancel', () => { confirm.hidden = true; sendButton.focus(); }, { 'data-testid': 'send-cancel' })));

  const progressFill = h('div', { class: 'progress-fill' });
  const progressBar = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Letters sent', 'aria-valuemin': 0, 'aria-valuemax': 0, 'aria-valuenow': 0, 'data-testid': 'send-progress' }, progressFill);
  const progressText = h('p', { class: 'muted', 'data-testid': 'send-progress-text' });
  const pause = button('Pause after this batch', () => { pauseRequested = true; pause.disabled = true; }, { 'data-testid': 'send-pause' });
  const progress = h('div', { class: 'card', hidden: true }, progressBar, progressText, h('div', { class: 'actions' }, pause));

  const refresh = button('Refresh', () => void busy(refresh, load), { 'data-testid': 'letters-refresh' });

  replace(panel,
    h('div', { class: 'toolbar' }, h('h2', null, 'Letters to send'), refresh),
    quota, resume, problems, list, preview,
    h('div', { class: 'actions send-bar' }, sendButton),
    confirm, progress, unknown, packs, leftOut);

  async function load(focusKey?: string): Promise<void> {
    render(await call('getLetterPlan'), focusKey);
  }

  function render(next: LetterPlan, focusKey?: string): void {
    plan = next;
    replace(quota, `Emails left today: ${next.quotaRemaining}`);
    renderResume(next);
    replace(problems, next.problems.length
      ? h('ul', { class: 'warnings', 'aria-label': 'Problems' }, next.problems.map((p) => h('li', null, p)))
      : null);
    replace(list, next.items.length === 0
      ? h('p', { class: 'muted' }, 'No letters are due.')
      : h('ul', { class: 'rows', 'aria-label': 'Planned letters' }, next.items.map(planRow)));
    renderUnknown(next.unknown);
    renderPacks(next);
    renderLeftOut(next);
    const count = sendable(next).length;
    replace(sendButton, count ? `Send ${plural(count, 'letter')}` : 'Nothing to send');
    sendButton.disabled = sending || count === 0;
    if (focusKey) {
      const box = list.querySelector<HTMLInputElement>(`input[data-key="${cssEscape(focusKey)}"]`);
      box?.focus();
    }
  }

  function planRow(item: PlanItemView): HTMLLIElement {
    const boxId = uid('include');
    const row = h('li', { class: `row plan-row status-${item.status}`, 'data-testid': 'plan-row', 'data-key': item.key, 'data-status': item.status });
    const editable = item.status === 'planned' && !sending;
    const box = h('input', {
      type: 'checkbox', id: boxId, 'data-key': item.key, 'data-testid': 'plan-include',
      checked: item.excluded === null, disabled: !editable,
      onchange: () => {
        if (box.checked) void busy(null, async () => render(await call('setExclusion', { studentId: item.studentId, reason: null }), item.key));
        else askReason(row, box, item);
      },
    });
    const previewButton = button('Preview', () => void busy(previewButton, () => showPreview(item)), {
      'data-testid': 'plan-preview', 'aria-label': `Preview letter for ${item.studentName}`,
    });
    replace(row,
      h('div', { class: 'row-check' }, box),
      h('div', { class: 'row-main' },
        h('label', { for: boxId }, h('strong', null, item.studentName)),
        h('div', { class: 'muted' }, `Letter ${item.letterId} · step ${item.step} · ${item.language}`),
        item.fellBackToEnglish ? h('div', { class: 'note' }, 'No template in the family’s language: the English letter will be sent.') : null,
        h('div', { class: 'muted wrap' }, `To ${item.recipient || '(no email address)'}`),
        h('div', null, item.why),
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

  /** Print packs stay listed with their link; a pack's letters count as sent once marked printed. */
  function renderPacks(next: LetterPlan): void {
    const list = next.printPacks ?? [];
    packs.hidden = list.length === 0;
    replace(packs, list.length === 0 ? null : [
      h('h3', null, 'Print packs (letters for post)'),
      h('ul', { class: 'rows', 'aria-label': 'Print packs' }, list.map((p) => h('li', { class: 'row', 'data-testid': 'print-pack' },
        h('a', { href: p.url, target: '_blank', rel: 'noopener' }, `Print pack of ${p.date}`),
        h('span', { class: 'muted' }, p.toPrint > 0 ? ` · ${plural(p.toPrint, 'letter')} to print` : ` · printed (${plural(p.printed, 'letter')})`),
        p.toPrint > 0
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
      h('h3', null, `Left out (${list.length})`),
      h('ul', { class: 'rows', 'aria-label': 'Letters left out' }, list.map((l) => h('li', { class: 'row', 'data-testid': 'left-out' },
        h('strong', null, l.studentName), h('span', { class: 'muted' }, ` · ${l.letter}, ${l.window}${l.stillDue ? '' : ' (no longer due)'}`),
        h('div', { class: 'note' }, `Reason: ${l.reason}`),
        h('div', { class: 'actions' }, button('Include again', () => void busy(null, async () => {
          render(await call('setExclusion', { studentId: l.studentId, reason: null }));
          announce(`${l.studentName}’s letter is included again.`, 'success');
        }), { 'data-testid': 'left-out-include' }))))),
    ]);
  }

  async function showPreview(item: PlanItemView): Promise<void> {
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
    replace(preview,
      h('div', { class: 'toolbar' }, h('h3', null, `Letter for ${item.studentName}`),
        button('Close', () => { preview.hidden = true; list.querySelector<HTMLElement>(`[data-key="${cssEscape(item.key)}"] [data-testid="plan-preview"]`)?.focus(); }, { 'data-testid': 'letter-preview-close' })),
      h('p', { class: 'muted' }, `Language: ${letter.language}`),
      h('p', { 'data-testid': 'letter-preview-subject' }, h('strong', null, 'Subject: '), letter.subject),
      h('div', { class: 'letter', 'data-testid': 'letter-preview-body' }, letter.paragraphs.map((p) => h('p', null, p))),
      toggle, emailFrame);
    preview.hidden = false;
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
    if (!plan) return;
    const count = sendable(plan).length;
    const left = plan.quotaRemaining;
    replace(confirmText, `Send ${plural(count, 'letter')} to parents and carers now?`,
      count > left ? ` Only ${left} can go today (email quota); the rest will wait until tomorrow.` : '');
    confirm.hidden = false;
    confirmSend.focus();
  }

  async function runSend(resumeRunId: string | null = null): Promise<void> {
    confirm.hidden = true;
    sending = true;
    pauseRequested = false;
    pause.disabled = false;
    sendButton.disabled = true;
    // The plan is frozen while it is being sent; render() re-enables it afterwards.
    list.querySelectorAll<HTMLInputElement>('input[type="checkbox"]').forEach((box) => { box.disabled = true; });
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
    replace(unknown, items.length === 0 ? null : [
      h('h3', null, 'Letters that need a decision'),
      h('p', { class: 'muted' }, 'Sending stopped while these were going out, so we cannot tell if they were sent. Check your Sent mail, then choose.'),
      h('ul', { class: 'rows' }, items.map((item) => {
        const markSent = button('It was sent', () => void busy(markSent, () => resolve(item, 'markSent')), { 'data-testid': 'unknown-mark-sent', 'aria-label': `${item.studentName}: it was sent` });
        const resend = button('Send again', () => void busy(resend, () => resolve(item, 'resend')), { 'data-testid': 'unknown-resend', 'aria-label': `${item.studentName}: send again` });
        return h('li', { class: 'row', 'data-testid': 'unknown-row', 'data-key': item.key },
          h('div', { class: 'row-main' }, h('strong', null, item.studentName), h('div', { class: 'muted' }, `Letter ${item.letterId} to ${item.recipient}`)),
          h('div', { class: 'actions stack' }, markSent, resend));
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

function statusLabel(status: PlanItemView['status']): string {
  return { planned: 'Planned', sending: 'Sending', sent: 'Sent', failed: 'Failed', unknown: 'Needs a decision', skipped: 'Left out', toPrint: 'To print' }[status];
}

/** Escapes a key for a CSS attribute selector (CSS.escape is not in every embedded browser). */
function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
