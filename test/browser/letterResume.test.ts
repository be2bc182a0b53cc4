/**
 * Issue 14 point 3 in the browser: the sidebar closed in the middle of a letter run, then opened
 * again, offers to resume; resuming finishes the run with every letter sent exactly once. Then
 * point 2: the pupil's history in the sidebar links the letter that was sent (the filed copy).
 *
 * "Closed mid-run" is made exact: the start call and ONE sendLetters call reach the server (that
 * call sends at most 40 letters); the sidebar's other calls are held in the browser and the sidebar
 * is reloaded (the preview's ⟳ button: the same as closing it and opening it again), so they never
 * arrive — as when a person closes the sidebar while its calls wait to be made.
 */
import type { Route } from 'playwright-core';
import { poll, shot, testWhenRpcs, usePreview } from './helpers';

jest.setTimeout(420_000);

/** Enough pupils for more than one call's letters (40) to be due. */
const STUDENTS = 400;

const { session, page, bar } = usePreview({ students: STUDENTS }, 120_000);
const testid = (id: string) => bar().locator(`[data-testid="${id}"]`);

async function showLetters(): Promise<void> {
  await testid('tab-letters').click();
  await bar().locator('[data-testid="panel-letters"]:not([hidden])').waitFor();
}

/** Emails the preview's emulator has sent (server side: the page's outbox list may lag a refresh). */
async function outboxCount(): Promise<number> {
  return session().preview.emu.mail.outbox.length;
}

testWhenRpcs(['getLetterPlan', 'sendLetters', 'getStudent'])('the sidebar closed mid-run offers to resume when opened again; resuming sends the rest, each letter once; the pupil\'s history links the letter', async () => {
  const sentBefore = await outboxCount();
  await showLetters();
  const rows = bar().locator('[data-testid="plan-row"]');
  await rows.first().waitFor({ timeout: 60_000 });
  const planned = await rows.count();
  expect(planned).toBeGreaterThan(40);
  const keys = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''));
  const emailed = keys.filter((k) => !k.split('|')[3].startsWith('post:')).length;
  expect(await testid('letters-resume-offer').isHidden()).toBe(true);

  // Let the start call and one worker call through; hold the rest in the browser.
  let workersLetThrough = 0;
  let closed = false;
  const held: Route[] = [];
  await page().route('**/rpc', async (route) => {
    const body = route.request().postDataJSON() as { name?: string; args?: Array<{ runId?: string | null }> };
    if (body?.name !== 'sendLetters' || !body.args?.[0]?.runId) return route.continue();
    if (closed) return route.abort(); // a call the closing sidebar still tried: it never reaches the server
    if (workersLetThrough < 1) {
      workersLetThrough++;
      return route.continue();
    }
    held.push(route); // never answered: the sidebar is closed before
  });
  await bar().locator('[data-testid="send-letters"]:not([disabled])').click();
  await testid('send-confirm-button').click();
  await poll('the first call\'s letters to be sent', async () => /^\d+ of \d+ sent/.test(((await testid('send-progress-text').textContent()) ?? '').trim())
    && !((await testid('send-progress-text').textContent()) ?? '').startsWith('0 of'), 240_000);
  await poll('the other calls to be held', async () => held.length >= 1, 30_000);
  const sentInFirst = (await outboxCount()) - sentBefore;
  expect(sentInFirst).toBeGreaterThan(0);
  expect(sentInFirst).toBeLessThanOrEqual(40);
  await shot(page(), 'letters-run-before-close');

  // Close the sidebar and open it again: the calls it had not made yet never reach the server.
  closed = true;
  for (const r of held) await r.abort().catch(() => undefined);
  await page().locator('#sidebar-reload').click();
  await showLetters();
  await page().unroute('**/rpc');
  expect((await outboxCount()) - sentBefore).toBe(sentInFirst);
  const offer = bar().locator('[data-testid="letters-resume-offer"]:not([hidden])');
  await offer.waitFor({ timeout: 60_000 });
  const text = ((await offer.textContent()) ?? '').replace(/\s+/g, ' ');
  expect(text).toMatch(/^Sending stopped part-way: \d+ letters? sent, \d+ letters? still to send\./);
  const [, sentNow, remaining] = /: (\d+) letters? sent, (\d+) letters? still to send/.exec(text)!;
  expect(Number(sentNow)).toBe(sentInFirst);
  expect(Number(sentNow) + Number(remaining)).toBeLessThanOrEqual(planned);
  expect(Number(remaining)).toBeGreaterThan(0);
  await shot(page(), 'letters-resume-offer');

  // Resume: the rest go, nothing twice.
  await testid('letters-resume').click();
  const progress = testid('send-progress');
  await poll('the resumed run to finish', async () => {
    const now = Number(await progress.getAttribute('aria-valuenow'));
    const max = Number(await progress.getAttribute('aria-valuemax'));
    return max > 0 && now === max;
  }, 240_000);
  await bar().locator('#status.status-success:not(:empty), #status.status-error:not(:empty)').waitFor({ timeout: 60_000 });
  await poll('the offer to go away', async () => bar().locator('[data-testid="letters-resume-offer"]').isHidden(), 30_000);
  await poll('every emailed letter in the outbox', async () => (await outboxCount()) - sentBefore === emailed, 30_000);
  const outbox = session().preview.emu.mail.outbox.slice(sentBefore);
  const refs = outbox.map((m) => /Ref (L-[0-9A-F]{8})$/.exec(m.body)?.[1]);
  expect(new Set(refs).size).toBe(emailed); // each letter exactly once
  await shot(page(), 'letters-resumed-done');

  // The pupil's history links the filed letter.
  const key = keys.find((k) => !k.split('|')[3].startsWith('post:'))!;
  const studentId = key.split('|')[0];
  await testid('tab-student').click();
  await bar().locator('[data-testid="panel-student"]:not([hidden])').waitFor();
  await testid('student-search-input').fill(studentId);
  await testid('student-search-button').click();
  await bar().locator(`[data-testid="student-search-result"][data-student-id="${studentId}"]`).click();
  const link = bar().locator('[data-testid="student-history"] [data-testid="history-letter-link"]').first();
  await link.waitFor({ timeout: 30_000 });
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(/^https:\/\/docs\.google\.com\/document\/d\/[A-Za-z0-9_-]+\/edit$/);
  expect(await link.getAttribute('target')).toBe('_blank');
  const doc = session().preview.emu.docs.get(/\/d\/([^/]+)/.exec(href)![1])!;
  expect(doc.trashed).toBe(false);
  expect(doc.paragraphs.join('\n')).not.toMatch(/\{\{/);
  await shot(page(), 'student-history-letter-link');
});
