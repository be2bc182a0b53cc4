/**
 * The letter plan at school scale, in the real sidebar (headless Chromium on the local preview):
 * the summary with Send at the top, the filters and the search, "leave all out" / "include all"
 * per tutor group, tutor group and ID on each card, the preview opening in place, "Send a test
 * letter to me" (only to the signed-in Attendance Lead, nothing recorded as sent), the duration in
 * the confirm, the Attendance Officer's "plan only", and the quota's reset time at quota 0.
 * Everything a person reads in the Letters tab is scanned for identifiers and raw formats.
 *
 * Resume after the sidebar closes mid-run is test/browser/letterResume.test.ts.
 */
import { poll, shot, testWhenRpcs, usePreview } from './helpers';
import { findRawFormats } from '../helpers/peopleWords';

jest.setTimeout(120_000);

const STUDENTS = 240;
const { session, page, bar } = usePreview({ students: STUDENTS }, 90_000);

async function openLetters(): Promise<void> {
  await bar().locator('[data-testid="tab-letters"]').click();
  await bar().locator('[data-testid="panel-letters"]:not([hidden])').waitFor();
  await bar().locator('[data-testid="plan-row"]').first().waitFor({ timeout: 30_000 });
}

async function summaryCount(testid: string): Promise<number> {
  const text = (await bar().locator(`[data-testid="${testid}"]`).textContent()) ?? '';
  return Number(/(\d+)\s*$/.exec(text.trim())?.[1] ?? NaN);
}

const LETTER_RPCS = ['getBootstrap', 'getLetterPlan', 'previewLetter', 'setExclusion', 'sendTestLetter'];

testWhenRpcs(LETTER_RPCS)('the summary comes first, with Send a few key presses away, and counts letters by letter, language and email/post', async () => {
  await openLetters();
  const summary = bar().locator('[data-testid="letters-summary"]');
  await summary.waitFor();
  const byLetter = await summary.locator('[data-testid="summary-by-letter"] li').allTextContents();
  const byLanguage = await summary.locator('[data-testid="summary-by-language"] li').allTextContents();
  expect(byLetter.length).toBeGreaterThan(0);
  for (const line of byLetter) expect(line).toMatch(/^Letter \d+: \d+$/);
  expect(byLanguage.join(' ')).toMatch(/English: \d+/);
  const how = (await summary.locator('[data-testid="summary-how"]').textContent()) ?? '';
  const [email, post] = [...how.matchAll(/(\d+)/g)].map((m) => Number(m[1]));
  const sendText = (await bar().locator('[data-testid="send-letters"]').textContent()) ?? '';
  const total = Number(/Send (\d+)/.exec(sendText)?.[1]);
  expect(email + post).toBe(total);
  expect(byLetter.reduce((n, l) => n + Number(/(\d+)$/.exec(l)![1]), 0)).toBe(total);
  for (const id of ['summary-held-back', 'summary-left-out', 'summary-need-decision']) expect(await summaryCount(id)).toBeGreaterThanOrEqual(0);

  // Send sits in the summary, above the list: it is reached from the Letters tab in a few Tab presses.
  const sendBox = await bar().locator('[data-testid="send-letters"]').boundingBox();
  const firstCard = await bar().locator('[data-testid="plan-row"]').first().boundingBox();
  expect(sendBox!.y).toBeLessThan(firstCard!.y);
  await bar().locator('[data-testid="tab-letters"]').focus();
  let presses = 0;
  for (; presses < 20; presses++) {
    const focused = await bar().locator(':focus').getAttribute('data-testid').catch(() => null);
    if (focused === 'send-letters') break;
    await page().keyboard.press('Tab');
  }
  expect(presses).toBeLessThan(10);

  // The confirm says how long the run takes and to keep the sidebar open; Cancel sends nothing.
  const outboxBefore = session().preview.emu.mail.outbox.length;
  await page().keyboard.press('Enter');
  const confirmText = (await bar().locator('[data-testid="send-confirm-text"]').textContent()) ?? '';
  expect(confirmText).toMatch(/takes (under a minute|about \d+ minutes?)/);
  expect(confirmText).toContain('keep this sidebar open');
  await bar().locator('[data-testid="send-cancel"]').click();
  expect(session().preview.emu.mail.outbox.length).toBe(outboxBefore);

  // Fits 300 px: nothing runs off the side.
  const overflow = await page().frameLocator('[data-testid="sidebar-frame"]').locator('body').evaluate((b) => b.scrollWidth - b.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page(), 'letters-summary');
});

testWhenRpcs(LETTER_RPCS)('cards show tutor group and ID; filters by year, tutor group and letter, and the search, narrow the list', async () => {
  await openLetters();
  const who = (await bar().locator('[data-testid="plan-who"]').first().textContent()) ?? '';
  expect(who).toMatch(/ · ID \S+$/);
  const totalShown = (await bar().locator('[data-testid="plan-shown"]').textContent()) ?? '';
  const total = Number(/(\d+) letters?/.exec(totalShown)?.[1]);

  // Tutor group: every card left is in that group.
  const groups = await bar().locator('[data-testid="plan-filter-group"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(groups.length).toBeGreaterThan(1);
  await bar().locator('[data-testid="plan-filter-group"]').selectOption(groups[1]!);
  const groupWho = await bar().locator('[data-testid="plan-who"]').allTextContents();
  expect(groupWho.length).toBeGreaterThan(0);
  for (const w of groupWho) expect(w.startsWith(`${groups[1]} · `)).toBe(true);
  expect(await bar().locator('[data-testid="plan-group"]').count()).toBe(1);
  await shot(page(), 'letters-filter-group');

  // Year and letter filters.
  await bar().locator('[data-testid="plan-filter-clear"]').click();
  const years = await bar().locator('[data-testid="plan-filter-year"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  await bar().locator('[data-testid="plan-filter-year"]').selectOption(years[0]!);
  const yearWho = await bar().locator('[data-testid="plan-group"][open] [data-testid="plan-who"]').allTextContents();
  for (const w of yearWho) expect(w).toContain(` · Year ${years[0]} · `);
  await bar().locator('[data-testid="plan-filter-clear"]').click();
  const letters = await bar().locator('[data-testid="plan-filter-letter"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  await bar().locator('[data-testid="plan-filter-letter"]').selectOption(letters[0]!);
  const letterLines = await bar().locator('[data-testid="plan-group"][open] [data-testid="plan-letter"]').allTextContents();
  for (const l of letterLines) expect(l.startsWith(`${letters[0]} · `)).toBe(true);

  // Search by ID finds exactly that pupil's letters.
  await bar().locator('[data-testid="plan-filter-clear"]').click();
  const id = /ID (\S+)$/.exec(who)![1]!;
  await bar().locator('[data-testid="plan-search"]').fill(id);
  const found = await bar().locator('[data-testid="plan-who"]').allTextContents();
  expect(found.length).toBeGreaterThan(0);
  for (const w of found) expect(w.endsWith(`ID ${id}`)).toBe(true);
  expect((await bar().locator('[data-testid="plan-shown"]').textContent()) ?? '').toContain(`of ${total}`);
  await bar().locator('[data-testid="plan-filter-clear"]').click();
});

testWhenRpcs(LETTER_RPCS)('a tutor group is left out with one reason, then included again', async () => {
  await openLetters();
  const before = await summaryCount('summary-left-out');
  const group = bar().locator('[data-testid="plan-group"]').first();
  const rowsInGroup = await group.locator('[data-testid="plan-row"][data-status="planned"]').count();
  await group.locator('[data-testid="group-leave-out-all"]').click();
  await group.locator('[data-testid="group-exclusion-reason"]').fill('Class trip week: letters after the trip');
  await group.locator('[data-testid="group-exclusion-confirm"]').click();
  await poll('the group to be left out', async () => (await summaryCount('summary-left-out')) === before + rowsInGroup, 30_000);
  // The list below says the same count as the summary, and each line tells namesakes apart (group and ID).
  const leftOut = bar().locator('[data-testid="left-out-list"]');
  await expect(leftOut.locator('h3').textContent()).resolves.toContain(`Left out (${before + rowsInGroup} due now`);
  const line = (await leftOut.locator('[data-testid="left-out"]').first().textContent()) ?? '';
  expect(line).toMatch(/ · .+ · ID \S+ · Letter \d/);
  await bar().locator('[data-testid="plan-group"]').first().locator('[data-testid="group-include-all"]').click();
  await poll('the group to be included again', async () => (await summaryCount('summary-left-out')) === before, 30_000);
});

testWhenRpcs(LETTER_RPCS)('Preview opens under its card; "Send a test letter to me" goes only to the signed-in user and is not recorded', async () => {
  await openLetters();
  const row = bar().locator('[data-testid="plan-row"][data-status="planned"]').first();
  await row.locator('[data-testid="plan-preview"]').click();
  const preview = row.locator('[data-testid="letter-preview"]');
  await preview.locator('[data-testid="letter-preview-subject"]').waitFor({ timeout: 20_000 });
  expect(await row.locator('[data-testid="plan-preview"]').getAttribute('aria-expanded')).toBe('true');

  const emu = session().preview.emu;
  const outbox = emu.mail.outbox.length;
  const sendLabel = (await bar().locator('[data-testid="send-letters"]').textContent()) ?? '';
  const ledgerRows = () => emu.direct(() => emu.spreadsheet.getSheetByName('Letters Ledger')?.getLastRow() ?? 0);
  const logRows = () => emu.direct(() => emu.spreadsheet.getSheetByName('Interventions Log')?.getLastRow() ?? 0);
  const [ledgerBefore, logBefore] = [ledgerRows(), logRows()];
  await preview.locator('[data-testid="send-test-letter"]').click();
  await poll('the test result', async () => ((await preview.locator('[data-testid="send-test-result"]').textContent()) ?? '').length > 0, 30_000);
  expect(emu.mail.outbox.length).toBe(outbox + 1);
  const test = emu.mail.outbox[emu.mail.outbox.length - 1]!;
  const me = await page().locator('[data-testid="run-as"]').inputValue();
  expect(test.to).toBe(me);
  expect(test.subject).toMatch(/^\[TEST/);
  expect(test.attachments?.length ?? 0).toBeGreaterThan(0);
  // Not a send: the ledger and the log are as they were, and the plan still offers the same letters.
  expect(ledgerRows()).toBe(ledgerBefore);
  expect(logRows()).toBe(logBefore);
  await bar().locator('[data-testid="letters-refresh"]').click();
  await poll('the plan to reload', async () => ((await bar().locator('[data-testid="send-letters"]').textContent()) ?? '') === sendLabel, 30_000);
  await shot(page(), 'letters-test-letter');

  // Close (or Escape) returns focus to the card's Preview button.
  await bar().locator('[data-testid="plan-row"][data-status="planned"]').first().locator('[data-testid="plan-preview"]').click();
  const again = bar().locator('[data-testid="letter-preview"]');
  await again.waitFor();
  await page().keyboard.press('Escape');
  await again.waitFor({ state: 'detached' });
  expect(await bar().locator(':focus').getAttribute('data-testid')).toBe('plan-preview');
});

testWhenRpcs(LETTER_RPCS)('everything the Letters tab shows is words: no identifiers, ISO timestamps or raw fractions', async () => {
  await openLetters();
  await bar().locator('[data-testid="plan-group"]').evaluateAll((ds) => ds.forEach((d) => { (d as HTMLDetailsElement).open = true; }));
  const text = await bar().locator('[data-testid="panel-letters"]').innerText();
  expect(findRawFormats(text)).toEqual([]);
});

testWhenRpcs(['getBootstrap', 'getStudent', 'searchStudents', 'getWeeklyStatus'])('the Student and Weekly tabs are words too: a pupil with a step, their history, the last weekly run', async () => {
  // A pupil with a letter due has a step, dates and a history worth reading.
  await openLetters();
  const id = /ID (\S+)$/.exec((await bar().locator('[data-testid="plan-who"]').first().textContent()) ?? '')![1]!;
  await bar().locator('[data-testid="tab-student"]').click();
  await bar().locator('[data-testid="student-search-input"]').fill(id);
  await bar().locator('[data-testid="student-search-button"]').click();
  await bar().locator(`[data-testid="student-search-result"][data-student-id="${id}"]`).click();
  await bar().locator(`[data-testid="student-name"][data-student-id="${id}"]`).waitFor({ timeout: 20_000 });
  const student = await bar().locator('[data-testid="panel-student"]').innerText();
  expect(findRawFormats(student)).toEqual([]);
  await bar().locator('[data-testid="tab-weekly"]').click();
  await bar().locator('[data-testid="panel-weekly"]:not([hidden])').waitFor();
  await page().waitForTimeout(1500);
  expect(findRawFormats(await bar().locator('[data-testid="panel-weekly"]').innerText())).toEqual([]);
});

testWhenRpcs(LETTER_RPCS)('at quota 0 Send is not offered for email and the sidebar says when the quota comes back', async () => {
  const emu = session().preview.emu;
  const users = await page().locator('[data-testid="run-as"] option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, role: o.getAttribute('data-role'), selected: (o as HTMLOptionElement).selected })));
  const me = users.find((u) => u.selected)!.value;
  emu.mail.setRemaining(0, me);
  await openLetters();
  await bar().locator('[data-testid="letters-refresh"]').click();
  const resets = bar().locator('[data-testid="quota-resets"]');
  await resets.waitFor({ timeout: 30_000 });
  expect((await resets.textContent()) ?? '').toMatch(/quota comes back (within 24 hours \(by \d{2}:\d{2} on \d{2}\/\d{2}\/\d{4} at the latest\)|at \d{2}:\d{2} on \d{2}\/\d{2}\/\d{4} at the latest)/);
  expect((await bar().locator('[data-testid="send-letters"]').textContent()) ?? '').not.toMatch(/^Send \d+ letters?$/);
  await shot(page(), 'letters-quota-0');
  emu.mail.setRemaining(1500, me);
});

testWhenRpcs(LETTER_RPCS)('an Attendance Officer sees the plan only: "the Attendance Lead sends", no Send button, nothing to tick', async () => {
  const ao = page().locator('[data-testid="run-as"] option[data-role="AO"]').first();
  const name = ((await ao.textContent()) ?? '').split(' — ')[0]!;
  await page().locator('[data-testid="run-as"]').selectOption(await ao.getAttribute('value'));
  await poll('the sidebar to reload as the AO', async () => ((await bar().locator('[data-testid="user"]').textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes(name), 20_000);
  await openLetters();
  await bar().locator('[data-testid="plan-only"]:not([hidden])').waitFor();
  expect(await bar().locator('[data-testid="plan-only"]').textContent()).toBe('Plan only — the Attendance Lead sends.');
  expect(await bar().locator('[data-testid="send-letters"]').isVisible()).toBe(false);
  expect(await bar().locator('[data-testid="send-scope-note"]').count()).toBe(0); // "Send sends every ticked letter…" is not for the AO
  expect(await bar().locator('[data-testid="plan-include"]:not([disabled])').count()).toBe(0);
  await shot(page(), 'letters-ao-plan-only');
});

testWhenRpcs(LETTER_RPCS)('a stale register is the plan\'s first line, above the summary and Send, not folded into "things to check" (preview walk)', async () => {
  const emu = session().preview.emu;
  const back = emu.clock.now();
  // A week and a half on with no import (no trigger fires: the clock is set, not advanced).
  emu.clock.set(new Date(back.getTime() + 10 * 24 * 3600 * 1000));
  try {
    await page().locator('[data-testid="sidebar-reload"]').click();
    await bar().locator('[data-testid="tab-letters"]').waitFor({ timeout: 20_000 });
    await openLetters();
    const notice = bar().locator('[data-testid="letters-register-notice"] [data-testid="register-stale"]');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.isVisible()).toBe(true);
    expect((await notice.textContent()) ?? '').toMatch(/^The register has no marks since .+Nobody is moved up a step until the register is imported/);
    const before = await bar().locator('[data-testid="letters-register-notice"]').evaluate((n) => {
      const summary = document.querySelector('[data-testid="letters-summary"]')!;
      return Boolean(n.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(before).toBe(true);
    expect(await bar().locator('[data-testid="letters-problems"]').innerText()).not.toMatch(/The register has no marks/);
    await shot(page(), 'letters-register-stale');
  } finally {
    emu.clock.set(back);
  }
});
