/**
 * Words, not identifiers, in the real sidebar (issue 14 point 5): signed in as each role of the
 * sample school — Tutor, Head of Year, Attendance Officer, Attendance Lead, Admin — every tab that
 * role sees is opened and everything it shows (text, buttons, select options) is scanned for
 * internal identifiers, ISO dates or timestamps, ISO weeks and raw fractions. The Student tab is
 * scanned with one of the role's own pupils selected, after a search.
 */
import { poll, testWhenRpcs, usePreview } from './helpers';
import { findRawFormats } from '../helpers/peopleWords';

jest.setTimeout(240_000);

const { page, bar } = usePreview({ students: 240 }, 90_000);

/** Everything a person reads in a panel: its text and the words of its choices (innerText leaves out option lists). */
async function panelWords(id: string): Promise<string> {
  const panel = bar().locator(`[data-testid="panel-${id}"]`);
  const text = await panel.innerText();
  const options = await panel.locator('option').allTextContents();
  const labels = await panel.locator('[aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return [text, ...options, ...labels].join('\n');
}

async function signInAs(role: string): Promise<void> {
  const option = page().locator(`[data-testid="run-as"] option[data-role="${role}"]`).first();
  const name = ((await option.textContent()) ?? '').split(' — ')[0]!;
  await page().locator('[data-testid="run-as"]').selectOption(await option.getAttribute('value'));
  await poll(`the sidebar to reload as the ${role}`, async () => ((await bar().locator('[data-testid="user"]').textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes(name), 30_000);
}

/** Opens one of the role's pupils in the Student tab (the search lists only pupils the role may see). */
async function openOwnPupil(): Promise<boolean> {
  await bar().locator('[data-testid="tab-student"]').click();
  const input = bar().locator('[data-testid="student-search-input"]');
  if (!(await input.isVisible().catch(() => false))) return false;
  for (const q of ['a', 'e', 'o']) {
    await input.fill(q);
    await bar().locator('[data-testid="student-search-button"]').click();
    const first = bar().locator('[data-testid="student-search-result"]').first();
    if (await first.waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
      const id = await first.getAttribute('data-student-id');
      await first.click();
      await bar().locator(`[data-testid="student-name"][data-student-id="${id}"]`).waitFor({ timeout: 20_000 });
      return true;
    }
  }
  return false;
}

const ROLES = ['Tutor', 'HOY', 'AO', 'AL', 'Admin'];

testWhenRpcs(['getBootstrap', 'getStudent', 'searchStudents', 'getTodayCalls', 'getLetterPlan', 'getWeeklyStatus', 'getSettings', 'getPolicyEditor'])(
  'every tab of every role shows words: no identifiers, ISO dates or timestamps, ISO weeks or raw fractions',
  async () => {
    const hits: string[] = [];
    const visited: string[] = [];
    for (const role of ROLES) {
      const present = await page().locator(`[data-testid="run-as"] option[data-role="${role}"]`).count();
      if (present === 0) continue;
      await signInAs(role);
      const tabs = await bar().locator('[role="tab"]').evaluateAll((els) => els.filter((e) => !(e as HTMLElement).hidden).map((e) => (e.getAttribute('data-testid') ?? '').replace(/^tab-/, '')));
      for (const id of tabs) {
        if (id === 'student') {
          if (!(await openOwnPupil())) continue;
        } else {
          await bar().locator(`[data-testid="tab-${id}"]`).click();
        }
        await bar().locator(`[data-testid="panel-${id}"]:not([hidden])`).waitFor();
        // Let the tab's first load finish (each tab loads once, on first opening).
        await poll(`the ${id} tab to load`, async () => !/Loading/.test(await bar().locator(`[data-testid="panel-${id}"]`).innerText()), 30_000).catch(() => undefined);
        visited.push(`${role}:${id}`);
        for (const h of findRawFormats(await panelWords(id))) hits.push(`${role} ${id}: ${h.rule}: …${h.context}…`);
      }
    }
    expect(visited).toEqual(expect.arrayContaining(['Tutor:student', 'HOY:student', 'AO:letters', 'AL:letters', 'AL:weekly', 'Admin:settings', 'Admin:policy']));
    expect([...new Set(hits)]).toEqual([]);
  },
);
