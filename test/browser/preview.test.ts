/**
 * The local preview in headless Chromium, used the way a new member of staff would: the built
 * add-on (dist/) in the emulator on a generated school, the real sidebar wired through the
 * google.script.run bridge. One server and one browser for the whole file; the steps run in order.
 * Screenshots of every step go to test-artifacts/browser/; docs/preview.png is the README's.
 *
 * A step whose RPCs are not in dist/Code.js yet is skipped, with the reason in its name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cellText, columnOf, poll, ROOT, rowBackgrounds, shot, sidebar, testWhenRpcs, usePreview } from './helpers';

jest.setTimeout(120_000);

/** A smaller school than `npm start` (900) keeps the letter run short; the layout is the same. */
const STUDENTS = 240;

const { session, page } = usePreview({ students: STUDENTS }, 90_000);

/** Waits for the sidebar's status region to say something of a kind ('success', 'error', 'info'). */
async function sidebarStatus(kind: 'success' | 'error' | 'info', timeout = 30_000): Promise<string> {
  const status = sidebar(page()).locator(`[data-testid="status"].status-${kind}:not(:empty)`);
  await status.waitFor({ timeout });
  return (await status.textContent())?.trim() ?? '';
}

async function waitForStudent(name: string): Promise<void> {
  await poll(`the sidebar to show ${name}`, async () =>
    ((await sidebar(page()).locator('[data-testid="student-name"]').textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim() === name, 20_000);
}

async function selectGridRow(row: number, column = 2): Promise<void> {
  const cell = page().locator(`[data-testid="grid-row"][data-row="${row}"] td[data-col="${column}"]`);
  await cell.scrollIntoViewIfNeeded();
  await cell.click();
  await page().locator(`[data-testid="grid-row"][data-row="${row}"][aria-selected="true"]`).waitFor();
}

async function showSidebarTab(tab: string): Promise<void> {
  await sidebar(page()).locator(`[data-testid="tab-${tab}"]`).click();
  await sidebar(page()).locator(`[data-testid="panel-${tab}"]:not([hidden])`).waitFor();
}

async function outboxCount(): Promise<number> {
  return Number((await page().locator('[data-testid="outbox-count"]').textContent())?.trim() || '0');
}

test('opens on the sample school: sheet tabs, the tracker grid with colours, the clock, no network loads', async () => {
  const tabs = await page().locator('[data-testid="sheet-tab"]').allTextContents();
  expect(tabs).toEqual(expect.arrayContaining(['SOL Tracker', 'Register', 'Settings', 'Interventions Log']));
  await expect(page().locator('[data-testid="sheet-tab"][aria-selected="true"]').textContent()).resolves.toBe('SOL Tracker');
  expect(await page().locator('[data-testid="grid-row"]').count()).toBeGreaterThan(10);
  await expect(page().locator('[data-testid="clock-date"]').getAttribute('data-date')).resolves.toMatch(/^\d{4}-\d{2}-\d{2}$/);
  // The grid shows a window of the ~rows, not all of them (virtualised), and says how many there are.
  await expect(page().locator('[data-testid="grid-status"]').textContent()).resolves.toContain(`of ${STUDENTS + 1}`);
  await shot(page(), 'opened');

  // Another tab renders too (the Register: one column per session).
  await page().locator('[data-testid="sheet-tab"][data-sheet="Register"]').click();
  await page().locator('[data-testid="grid-header-row"]').first().waitFor();
  expect(await page().locator('[data-testid="grid-header-row"] td').count()).toBeGreaterThan(50);
  await shot(page(), 'register-tab');
  await page().locator('[data-testid="sheet-tab"][data-sheet="SOL Tracker"]').click();
  await page().locator('[data-testid="grid-row"][data-row="2"]').waitFor();

  // Keyboard: the grid takes focus and the arrow keys move the selected row.
  await page().locator('[data-testid="grid"]').focus();
  await page().keyboard.press('ArrowDown');
  await page().keyboard.press('ArrowDown');
  await page().locator('[data-testid="grid-row"][aria-selected="true"]').waitFor();
  const selected = Number(await page().locator('[data-testid="grid-row"][aria-selected="true"]').getAttribute('data-row'));
  expect(selected).toBeGreaterThanOrEqual(3);
  expect(session().externalRequests).toEqual([]);
});

testWhenRpcs(['getBootstrap', 'getSelectedStudent'])('selecting a student row shows that student in the sidebar’s Student tab', async () => {
  const nameColumn = await columnOf(page(), 'Student Name');
  const stepColumn = await columnOf(page(), 'Step');
  // A student on a step (the card then explains why), else the first student.
  const steps = await page().locator('[data-testid="grid-row"]:not(.loading)').evaluateAll((trs, col) => trs.map((tr) => ({
    row: Number(tr.getAttribute('data-row')), step: tr.querySelector(`td[data-col="${col}"]`)?.textContent ?? '',
  })), stepColumn);
  const row = (steps.find((r) => /^Step [4-9]/.test(r.step)) ?? steps.find((r) => /^Step/.test(r.step)) ?? steps[0]).row;
  const name = await cellText(page(), row, nameColumn);
  expect(name).not.toBe('');
  await selectGridRow(row, nameColumn);
  await expect(page().locator('[data-testid="cell-text"]').textContent()).resolves.toBe(name);

  await sidebar(page()).locator('[data-testid="tablist"]').waitFor();
  await showSidebarTab('student');
  await sidebar(page()).locator('[data-testid="use-selected-row"]').click();
  await waitForStudent(name);
  await sidebar(page()).locator('[data-testid="student-explanation"]').waitFor();
  await shot(page(), 'student-selected');
  // The README's screenshot (the main view with a student open in the sidebar): written when it is
  // missing or when UPDATE_SCREENSHOTS=1, so ordinary runs leave the working tree clean.
  const readmeShot = path.join(ROOT, 'docs', 'preview.png');
  if (process.env.UPDATE_SCREENSHOTS === '1' || !fs.existsSync(readmeShot)) {
    fs.mkdirSync(path.dirname(readmeShot), { recursive: true });
    await page().screenshot({ path: readmeShot });
  }
});

testWhenRpcs(['getBootstrap', 'getLetterPlan', 'previewLetter', 'sendLetters'])('letters: preview one, approve and send, watch the progress, find them in the outbox with a PDF', async () => {
  const sentBefore = await outboxCount();
  await showSidebarTab('letters');
  const rows = sidebar(page()).locator('[data-testid="plan-row"]');
  await rows.first().waitFor({ timeout: 30_000 });
  const planned = await rows.count();
  expect(planned).toBeGreaterThan(0);

  await rows.first().locator('[data-testid="plan-preview"]').click();
  const preview = sidebar(page()).locator('[data-testid="letter-preview"]');
  await preview.locator('[data-testid="letter-preview-subject"]').waitFor({ timeout: 20_000 });
  expect((await preview.locator('[data-testid="letter-preview-body"]').textContent())?.length ?? 0).toBeGreaterThan(50);
  await shot(page(), 'letter-preview');

  await sidebar(page()).locator('[data-testid="send-letters"]:not([disabled])').click();
  await sidebar(page()).locator('[data-testid="send-confirm-button"]').click();
  const progress = sidebar(page()).locator('[data-testid="send-progress"]');
  await progress.waitFor();
  // Done when the bar is full and the sidebar has said how it went.
  await poll('the progress bar to fill', async () => {
    const now = Number(await progress.getAttribute('aria-valuenow'));
    const max = Number(await progress.getAttribute('aria-valuemax'));
    return max > 0 && now === max;
  }, 90_000);
  await sidebar(page()).locator('#status.status-success:not(:empty), #status.status-error:not(:empty)').waitFor({ timeout: 30_000 });
  // The run is over: nothing is left to pause (preview walk: "Pause after this batch" stayed).
  await poll('the pause button to go', async () => !(await sidebar(page()).locator('[data-testid="send-pause"]').isVisible()), 15_000);
  await shot(page(), 'letters-sent');

  // The outbox lists the letters, each with its PDF.
  await poll('the outbox to grow', async () => (await outboxCount()) > sentBefore, 15_000);
  const withPdf = page().locator('[data-testid="outbox-item"]:has([data-testid="outbox-attachment"][data-content-type="application/pdf"])');
  expect(await withPdf.count()).toBeGreaterThan(0);
  const pdfHref = await withPdf.first().locator('[data-testid="outbox-attachment"]').first().getAttribute('href');
  const pdf = await page().request.get(new URL(pdfHref!, session().preview.url).toString());
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Open one: the email and the letter's text (the emulator's PDF is minimal, so its text is shown too).
  await withPdf.first().locator('[data-testid="outbox-open"]').click();
  const dialog = page().locator('[data-testid="mail-dialog"]');
  await dialog.waitFor();
  await dialog.locator('[data-testid="attachment-show-text"]').first().click();
  await poll('the letter text', async () => ((await dialog.locator('[data-testid="attachment-text"]').textContent())?.trim().length ?? 0) > 50, 10_000);
  await shot(page(), 'outbox-letter-open');
  await dialog.locator('[data-testid="mail-close"]').click();
  await dialog.waitFor({ state: 'hidden' });
}, 110_000);

testWhenRpcs(['getBootstrap', 'getWeeklyStatus', 'runWeeklyNow'])('weekly report: “Run the report now” writes the Weekly Report tab and emails the Heads of Year', async () => {
  const sentBefore = await outboxCount();
  await showSidebarTab('weekly');
  await sidebar(page()).locator('[data-testid="weekly-run-now"]').click();
  await sidebarStatus('success', 60_000);
  await expect(sidebar(page()).locator('[data-testid="weekly-last-run"]').textContent()).resolves.not.toContain('has not run');

  await page().locator('[data-testid="sheet-tab"][data-sheet="Weekly Report"]').waitFor({ timeout: 15_000 });
  await page().locator('[data-testid="sheet-tab"][data-sheet="Weekly Report"]').click();
  await page().locator('[data-testid="grid-header-row"]').first().waitFor();
  expect(await page().locator('[data-testid="grid-row"]').count()).toBeGreaterThan(0);
  await poll('the outbox to grow', async () => (await outboxCount()) > sentBefore, 15_000);
  await shot(page(), 'weekly-report');
  await page().locator('[data-testid="sheet-tab"][data-sheet="SOL Tracker"]').click();
}, 90_000);

testWhenRpcs(['scheduleWeekly'])('the clock: +7 days fires the weekly trigger and the outbox updates', async () => {
  const sentBefore = await outboxCount();
  const dateBefore = await page().locator('[data-testid="clock-date"]').getAttribute('data-date');
  await page().locator('[data-testid="clock-plus-7"]').click();
  await poll('the clock to move', async () => (await page().locator('[data-testid="clock-date"]').getAttribute('data-date')) !== dateBefore, 60_000);
  const message = (await page().locator('[data-testid="notice-message"]').textContent()) ?? '';
  expect(message).toContain('Triggers that ran:');
  await poll('the outbox to grow', async () => (await outboxCount()) > sentBefore, 15_000);
  await shot(page(), 'clock-plus-7');
}, 90_000);

testWhenRpcs(['getBootstrap', 'getSelectedStudent', 'logContact', 'recalculate'])('logging a contact for an overdue student changes the row’s colour in the grid', async () => {
  const dueColumn = await columnOf(page(), 'Contact due');
  const nameColumn = await columnOf(page(), 'Student Name');
  const overdueRows = async () => page().locator('[data-testid="grid-row"]:not(.loading)').evaluateAll((trs, col) => trs
    .filter((tr) => /overdue/i.test(tr.querySelector(`td[data-col="${col}"]`)?.textContent ?? ''))
    .map((tr) => Number(tr.getAttribute('data-row'))), dueColumn);

  // Contacts fall due as school days pass: move the clock on (if an earlier step has not) and
  // recalculate from the sidebar, as the attendance lead would on a Monday morning.
  let rows: number[] = [];
  for (let attempt = 0; attempt < 2 && rows.length === 0; attempt++) {
    if (attempt > 0) {
      const before = await page().locator('[data-testid="clock-date"]').getAttribute('data-date');
      await page().locator('[data-testid="clock-plus-7"]').click();
      await poll('the clock to move', async () => (await page().locator('[data-testid="clock-date"]').getAttribute('data-date')) !== before, 60_000);
    }
    await showSidebarTab('settings');
    await sidebar(page()).locator('[data-testid="recalculate"]').click();
    await sidebarStatus('success', 60_000);
    await poll('the grid to show the recalculation', async () => (await overdueRows()).length > 0, attempt === 0 ? 5_000 : 15_000).catch(() => undefined);
    rows = await overdueRows();
  }
  expect(rows.length).toBeGreaterThan(0);
  const row = rows[0];
  const name = await cellText(page(), row, nameColumn);
  const before = await rowBackgrounds(page(), row);
  await shot(page(), 'overdue-rows');

  await selectGridRow(row, nameColumn);
  await showSidebarTab('student');
  await sidebar(page()).locator('[data-testid="use-selected-row"]').click();
  await waitForStudent(name);
  await sidebar(page()).locator('[data-testid="student-overdue"]').waitFor();
  const form = sidebar(page()).locator('[data-testid="contact-form"]');
  await form.waitFor();
  await form.locator('[data-testid="contact-method"]').selectOption('Phone call');
  await form.locator('[data-testid="contact-outcome"]').selectOption('Spoke to parent/carer');
  await form.locator('[data-testid="contact-next-action"]').fill('Check attendance again next week');
  await form.locator('[data-testid="contact-notes"]').fill('Talked about getting to school on time.');
  await shot(page(), 'contact-form-filled');
  await form.locator('[data-testid="contact-submit"]').click();
  await expect(sidebarStatus('success')).resolves.toContain(name);

  // The page re-reads the grid after the call: the row's backgrounds change (no longer overdue).
  await poll('the row colour to change', async () => JSON.stringify(await rowBackgrounds(page(), row)) !== JSON.stringify(before), 15_000);
  await expect(sidebar(page()).locator('[data-testid="student-history"]').textContent()).resolves.toContain('Phone call');
  await shot(page(), 'contact-logged');
}, 90_000);

testWhenRpcs(['getBootstrap', 'getSelectedStudent'])('“Run as” a tutor: fewer tabs, and another group’s student is refused with a message', async () => {
  const tutor = page().locator('[data-testid="run-as"] option[data-role="Tutor"]').first();
  const label = (await tutor.textContent()) ?? '';
  const group = /\(([^)]+)\)\s*$/.exec(label)?.[1] ?? '';
  const tutorName = label.split(' — ')[0];
  await page().locator('[data-testid="run-as"]').selectOption(await tutor.getAttribute('value'));
  await poll('the sidebar to reload as the tutor', async () => ((await sidebar(page()).locator('[data-testid="user"]').textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes(tutorName), 20_000);
  expect(await sidebar(page()).locator('[data-testid="tab-letters"]').count()).toBe(0);
  expect(await sidebar(page()).locator('[data-testid="tab-settings"]').count()).toBe(0);

  // A student from another tutor group.
  const groupColumn = await columnOf(page(), 'Tutor Group');
  const rows = await page().locator('[data-testid="grid-row"]:not(.loading)').evaluateAll((trs, col) => trs.map((tr) => ({
    row: Number(tr.getAttribute('data-row')), group: tr.querySelector(`td[data-col="${col}"]`)?.textContent ?? '',
  })), groupColumn);
  const other = rows.find((r) => r.group && r.group !== group);
  expect(other).toBeDefined();
  await selectGridRow(other!.row);
  await showSidebarTab('student');
  await sidebar(page()).locator('[data-testid="use-selected-row"]').click();
  const message = await sidebarStatus('error');
  expect(message).toMatch(/may not/i);
  await shot(page(), 'tutor-refused');
}, 60_000);
