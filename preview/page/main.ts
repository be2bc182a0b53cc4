/// <reference lib="dom" />
/**
 * The preview page: sheet tabs and grid (the emulated spreadsheet), the real sidebar in an iframe,
 * the outbox of sent mail with the PDF letters, the modelled clock and "Run as".
 * Everything it shows comes from preview/server.ts; nothing is loaded from the network.
 */
import type { AdvanceResponse, ClockResponse, MailInfo, OutboxResponse, SheetsResponse, StateResponse, UsersResponse } from './api';
import { clear, el, getJson, postJson } from './http';
import { Grid } from './grid';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page has no #${id}`);
  return node as T;
};

const notices = $('notices');
const startupNotices: string[] = [];
let transient: string | null = null;

function renderNotices(): void {
  clear(notices);
  for (const n of startupNotices) notices.appendChild(el('p', { 'data-testid': 'notice' }, n));
  if (transient) notices.appendChild(el('p', { 'data-testid': 'notice-message' }, transient));
}

function tell(message: string): void {
  transient = message;
  renderNotices();
}

const grid = new Grid($('grid-scroll'), $('grid-cols'), $('grid-head'), $('grid-body'), $('grid-status'), $('cell-ref'), $('cell-text'), {
  onError: (message) => tell(message),
});

// ---------------------------------------------------------------- sheet tabs

const tabList = $('sheet-tabs');
let sheetNames: string[] = [];

async function loadSheets(preferred?: string): Promise<void> {
  const response = await getJson<SheetsResponse>('/api/sheets');
  sheetNames = response.sheets.map((s) => s.name);
  const current = grid.sheetName;
  const target = preferred && sheetNames.includes(preferred) ? preferred
    : current && sheetNames.includes(current) ? current
      : response.active && sheetNames.includes(response.active) ? response.active
        : sheetNames[0];
  renderTabs(target ?? null);
  if (target && target !== current) await grid.show(target);
}

function renderTabs(selected: string | null): void {
  clear(tabList);
  for (const name of sheetNames) {
    const on = name === selected;
    const tab = el('button', {
      type: 'button', role: 'tab', class: 'sheet-tab', 'data-testid': 'sheet-tab', 'data-sheet': name,
      'aria-selected': on ? 'true' : 'false', tabindex: on ? 0 : -1,
    }, name);
    tab.addEventListener('click', () => void openSheet(name));
    tabList.appendChild(tab);
  }
}

async function openSheet(name: string, focus = false): Promise<void> {
  renderTabs(name);
  if (focus) tabList.querySelector<HTMLElement>(`[data-sheet="${CSS.escape(name)}"]`)?.focus();
  await grid.show(name);
}

tabList.addEventListener('keydown', (event) => {
  const at = sheetNames.indexOf(grid.sheetName ?? '');
  const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: sheetNames.length - 1 };
  if (!(event.key in moves) || sheetNames.length === 0) return;
  event.preventDefault();
  void openSheet(sheetNames[(moves[event.key] + sheetNames.length) % sheetNames.length], true);
});

// ---------------------------------------------------------------- outbox

const outboxList = $('outbox-list');
const outboxCount = $('outbox-count');
const outboxToggle = $<HTMLButtonElement>('outbox-toggle');
let mails: MailInfo[] = [];

outboxToggle.addEventListener('click', () => {
  const open = outboxToggle.getAttribute('aria-expanded') === 'true';
  outboxToggle.setAttribute('aria-expanded', String(!open));
  outboxToggle.textContent = open ? 'Show' : 'Hide';
  outboxList.hidden = open;
});

function formatInstant(iso: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: clockZone });
}

function attachmentUrl(mail: number, attachment: number, asText = false): string {
  return `/api/outbox/${mail}/attachment/${attachment}${asText ? '?as=text' : ''}`;
}

async function loadOutbox(): Promise<void> {
  const response = await getJson<OutboxResponse>('/api/outbox');
  mails = response.mails;
  outboxCount.textContent = String(mails.length);
  clear(outboxList);
  if (mails.length === 0) {
    outboxList.appendChild(el('li', { class: 'outbox-empty', 'data-testid': 'outbox-empty' }, 'Nothing sent yet. Send letters or run the weekly report from the sidebar.'));
    return;
  }
  // Newest first; a long run of letters is capped in the DOM (the count says how many there are).
  const shown = mails.slice().reverse().slice(0, 300);
  for (const mail of shown) {
    const open = el('button', { type: 'button', class: 'mail-open', 'data-testid': 'outbox-open', 'aria-label': `Open email “${mail.subject}” to ${mail.to}` },
      el('span', { class: 'mail-to' }, mail.to),
      el('span', { class: 'mail-subject', 'data-testid': 'outbox-subject' }, mail.subject),
      el('span', { class: 'mail-at' }, formatInstant(mail.at)));
    open.addEventListener('click', () => openMail(mail));
    const li = el('li', { 'data-testid': 'outbox-item', 'data-index': mail.index, 'data-to': mail.to }, open);
    for (const a of mail.attachments) {
      li.appendChild(el('a', {
        class: 'pdf-badge', href: attachmentUrl(mail.index, a.index), target: '_blank', rel: 'noopener',
        'data-testid': 'outbox-attachment', 'data-content-type': a.contentType, title: `Open ${a.name}`,
      }, a.contentType === 'application/pdf' ? `PDF ${a.name}` : a.name));
    }
    outboxList.appendChild(li);
  }
}

const dialog = $<HTMLDialogElement>('mail-dialog');
const attachmentText = $<HTMLPreElement>('attachment-text');
let lastFocus: HTMLElement | null = null;

function openMail(mail: MailInfo): void {
  lastFocus = document.activeElement as HTMLElement | null;
  $('mail-subject').textContent = mail.subject;
  const meta = $('mail-meta');
  clear(meta);
  const facts: [string, string][] = [['To', mail.to], ['Sent', formatInstant(mail.at)]];
  if (mail.cc) facts.splice(1, 0, ['Cc', mail.cc]);
  for (const [k, v] of facts) meta.append(el('dt', {}, k), el('dd', {}, v));
  // The email body stays in a script-less sandboxed frame whose CSP forbids any load.
  const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;
  const escaped = mail.body.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  $<HTMLIFrameElement>('mail-body').srcdoc = `<!doctype html>${csp}<body style="font-family:Arial,sans-serif;font-size:13px">${mail.htmlBody ?? `<pre style="white-space:pre-wrap;font-family:inherit">${escaped}</pre>`}</body>`;
  const list = $('mail-attachments');
  clear(list);
  attachmentText.hidden = true;
  attachmentText.textContent = '';
  if (mail.attachments.length === 0) list.appendChild(el('li', { class: 'muted' }, 'None.'));
  for (const a of mail.attachments) {
    const show = el('button', { type: 'button', 'data-testid': 'attachment-show-text' }, 'Show its text');
    show.addEventListener('click', () => void showAttachmentText(mail.index, a.index));
    list.appendChild(el('li', { 'data-testid': 'mail-attachment', 'data-content-type': a.contentType },
      el('a', { href: attachmentUrl(mail.index, a.index), target: '_blank', rel: 'noopener', 'data-testid': 'attachment-open' }, `Open ${a.name}`),
      el('span', { class: 'muted' }, `${a.contentType}, ${a.size.toLocaleString('en-GB')} bytes`),
      show));
  }
  dialog.showModal();
  $('mail-close').focus();
}

async function showAttachmentText(mail: number, attachment: number): Promise<void> {
  const response = await fetch(attachmentUrl(mail, attachment, true));
  attachmentText.textContent = response.ok ? await response.text() : `Could not read the attachment (${response.status}).`;
  attachmentText.hidden = false;
  attachmentText.focus();
}

$('mail-close').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => lastFocus?.focus());

// ---------------------------------------------------------------- clock

let clockZone = 'Europe/London';
const clockDate = $('clock-date');
const plusOne = $<HTMLButtonElement>('clock-plus-1');
const plusSeven = $<HTMLButtonElement>('clock-plus-7');

function showClock(clock: ClockResponse): void {
  clockZone = clock.timeZone;
  clockDate.textContent = clock.label;
  clockDate.setAttribute('datetime', clock.now);
  clockDate.setAttribute('data-date', clock.date);
}

async function loadClock(): Promise<void> {
  showClock(await getJson<ClockResponse>('/api/clock'));
}

async function advance(days: number): Promise<void> {
  plusOne.disabled = true;
  plusSeven.disabled = true;
  tell(`Moving the clock ${days} day${days === 1 ? '' : 's'} on…`);
  try {
    const result = await postJson<AdvanceResponse>('/api/clock/advance', { days });
    showClock(result.clock);
    const ran = result.fired.length ? ` Triggers that ran: ${result.fired.join(', ')}.` : ' No trigger was due.';
    if (result.errors.length > 3) result.errors.splice(3, result.errors.length - 3, `…and ${result.errors.length - 3} more failures.`);
    tell(`It is now ${result.clock.label}.${ran}${result.errors.length ? ` Failed: ${result.errors.join(' ')}` : ''}`);
    await refreshAll();
  } catch (err) {
    tell(err instanceof Error ? err.message : String(err));
  } finally {
    plusOne.disabled = false;
    plusSeven.disabled = false;
  }
}

plusOne.addEventListener('click', () => void advance(1));
plusSeven.addEventListener('click', () => void advance(7));

// ---------------------------------------------------------------- run as

const runAs = $<HTMLSelectElement>('run-as');
const frame = $<HTMLIFrameElement>('sidebar-frame');

function reloadSidebar(): void {
  frame.src = `/sidebar?t=${Date.now()}`;
}

async function loadUsers(): Promise<void> {
  const response = await getJson<UsersResponse>('/api/users');
  clear(runAs);
  for (const u of response.users) {
    const label = `${u.name} — ${u.role}${u.detail ? ` (${u.detail})` : ''}`;
    runAs.appendChild(el('option', { value: u.email, 'data-role': u.role, selected: u.email === response.current }, label));
  }
  runAs.value = response.current;
}

runAs.addEventListener('change', () => {
  void (async () => {
    try {
      await postJson('/api/user', { email: runAs.value });
      tell(`The sidebar now acts as ${runAs.selectedOptions[0]?.textContent ?? runAs.value}.`);
      reloadSidebar();
    } catch (err) {
      tell(err instanceof Error ? err.message : String(err));
    }
  })();
});

$('sidebar-reload').addEventListener('click', reloadSidebar);

// ---------------------------------------------------------------- keeping up with changes

let version = -1;
let refreshing: Promise<void> | null = null;

async function refreshAll(): Promise<void> {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      await Promise.all([loadSheets(), loadOutbox(), loadClock()]);
      await grid.refresh();
    } catch (err) {
      tell(err instanceof Error ? err.message : String(err));
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The sidebar's bridge tells the page after each server call; the page re-reads what changed. */
window.addEventListener('message', (event) => {
  if (event.origin !== window.location.origin) return;
  const data = event.data as { source?: string; type?: string } | null;
  if (!data || data.source !== 'sol-preview-bridge') return;
  if (data.type === 'rpc-done') void checkVersion();
});

async function checkVersion(): Promise<void> {
  try {
    const state = await getJson<StateResponse>('/api/state');
    if (startupNotices.join('\n') !== state.notices.join('\n')) {
      startupNotices.splice(0, startupNotices.length, ...state.notices);
      renderNotices();
    }
    if (state.version !== version) {
      const first = version === -1;
      version = state.version;
      if (!first) await refreshAll();
    }
  } catch {
    /* the server may be restarting; the next poll tries again */
  }
}

async function start(): Promise<void> {
  try {
    const [sheetsInfo] = await Promise.all([getJson<{ spreadsheetName: string }>('/api/info'), loadUsers(), loadClock()]);
    $('spreadsheet-name').textContent = sheetsInfo.spreadsheetName;
    document.title = `${sheetsInfo.spreadsheetName} — SOL Tracker preview`;
    await checkVersion();
    await Promise.all([loadSheets(), loadOutbox()]);
    document.body.setAttribute('data-ready', 'true');
  } catch (err) {
    tell(`The preview could not load: ${err instanceof Error ? err.message : String(err)}`);
  }
  window.setInterval(() => void checkVersion(), 2000);
}

void start();
