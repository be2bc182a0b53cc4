/**
 * Issue 15 in the browser: the policy editor driven in the local preview (the built add-on in the
 * emulator, the real sidebar) as an Attendance Lead would use it — an invalid threshold is refused
 * naming the field, an invalid file import too; a valid edit shows its impact (counts, names on
 * demand) before Save is offered; saving writes version 1, recalculates and shows the read-only
 * Policy tab; a tutor has no Policy tab.
 */
import { CODE_TABLES } from '../../src/core/codes';
import { policyFileText } from '../../src/core/policy/file';
import { PRESETS } from '../../src/core/policy/presets';
import { poll, shot, testWhenRpcs, usePreview } from './helpers';

jest.setTimeout(120_000);

const { page, bar } = usePreview({ students: 120 }, 90_000);
const testid = (id: string) => bar().locator(`[data-testid="${id}"]`);

async function sidebarStatus(kind: 'success' | 'error' | 'info', timeout = 30_000): Promise<string> {
  const status = bar().locator(`[data-testid="status"].status-${kind}:not(:empty)`);
  await status.waitFor({ timeout });
  return (await status.textContent())?.trim() ?? '';
}

const RPCS = ['getPolicyEditor', 'previewPolicy', 'savePolicy', 'importPolicyFile'];

testWhenRpcs(RPCS)('edit a threshold: refused naming the field, then impact with counts and names, then save and recalculate', async () => {
  await testid('tab-policy').click();
  await bar().locator('[data-testid="panel-policy"]:not([hidden])').waitFor();
  await testid('policy-step-4-summary').waitFor();
  expect(await testid('policy-source').textContent()).toContain('In force: the preset “UK secondary');
  expect(await testid('policy-save').isDisabled()).toBe(true);

  // Step 4 (Letter 1): its first entry condition's threshold.
  await testid('policy-step-4-summary').click();
  const threshold = testid('policy-step-4-entry-c1-percent');
  expect(await threshold.inputValue()).toBe('95');
  // Its jump: no improvement by Step 3's review, only while attendance since is below 97% (issue 10).
  expect(await testid('policy-step-4-entry-c2-step').inputValue()).toBe('3');
  expect(await testid('policy-step-4-entry-c2-whileBelowPercent').inputValue()).toBe('97');
  await threshold.fill('150');
  await testid('policy-preview').click();
  await testid('policy-problems').waitFor();
  expect((await testid('policy-problems').textContent()) ?? '').toContain('Step 4 "Letter 1", entry condition, condition 1, threshold (%): must be at most 100.');
  expect(await sidebarStatus('error')).toBe('1 problem to fix before saving.');
  expect(await testid('policy-save').isDisabled()).toBe(true);
  await shot(page(), 'policy-refused');

  await threshold.fill('96');
  await testid('policy-preview').click();
  await testid('policy-impact').waitFor();
  const changes = (await testid('policy-changes').textContent()) ?? '';
  expect(changes).toContain('Step 4 "Letter 1": entered when attendance below 96%');
  const summary = (await testid('policy-impact-summary').textContent()) ?? '';
  const moved = Number(/^(\d+) pupils? would move between steps/.exec(summary)?.[1] ?? NaN);
  expect(moved).toBeGreaterThan(0);
  expect(await testid('policy-move-1-count').textContent()).toBe(`${moved} pupil${moved === 1 ? '' : 's'}`);
  // Names only on demand.
  expect(await testid('policy-move-1-names').isHidden()).toBe(true);
  await testid('policy-move-1-show').click();
  expect(await testid('policy-move-1-names').locator('li').count()).toBe(moved);
  expect(await testid('policy-letter-1-count').textContent()).toBe(`${moved} pupil${moved === 1 ? '' : 's'}`);
  await shot(page(), 'policy-impact');

  // An edit after the preview takes Save away until it is checked again.
  expect(await testid('policy-save').isDisabled()).toBe(false);
  await threshold.fill('96.0');
  expect(await testid('policy-save').isDisabled()).toBe(true);
  await testid('policy-preview').click();
  await poll('Save to be offered again', async () => !(await testid('policy-save').isDisabled()));

  await testid('policy-save').click();
  const saved = await sidebarStatus('success');
  expect(saved).toMatch(/^Saved as version 1, in force from .+\. Recalculated 120 students/);
  await poll('the source line to show version 1', async () => ((await testid('policy-source').textContent()) ?? '').includes('version 1'));
  expect(await testid('policy-version').count()).toBe(2);
  expect(await testid('policy-export').getAttribute('download')).toBe('sol-tracker-policy-uk-secondary-sol.json');
  const href = (await testid('policy-export').getAttribute('href')) ?? '';
  expect(JSON.parse(decodeURIComponent(href.replace(/^data:application\/json;charset=utf-8,/, ''))).policy.steps[3].entry.conditions[0].percent).toBe(96);
  await shot(page(), 'policy-saved');

  // The read-only Policy tab in the sheet shows the new threshold.
  await page().locator('[data-testid="sheet-tab"][data-sheet="Policy"]').click();
  await poll('the Policy tab to show the new threshold', async () => ((await page().locator('[data-testid="grid"]').textContent()) ?? '').includes('attendance below 96%'));
  expect(await page().locator('[data-testid="sheet-tab"][data-sheet="Policy History"]').count()).toBe(1);
  await page().locator('[data-testid="sheet-tab"][data-sheet="SOL Tracker"]').click();
}, 120_000);

testWhenRpcs(RPCS)('an invalid policy file is refused naming the field; a valid one loads into the editor without saving', async () => {
  const broken = JSON.parse(policyFileText(PRESETS['uk-secondary-sol']!, CODE_TABLES['dfe-2024']!));
  broken.policy.steps[1].reviewSchoolDays = 0;
  await testid('policy-import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  await testid('policy-problems').waitFor();
  expect((await testid('policy-problems').textContent()) ?? '').toContain('Step 2 "Tutor contacts parent", review period (school days): must be at least 1.');
  expect(await sidebarStatus('error')).toBe('The file broken.json is not a valid policy file; nothing was changed.');

  const good = JSON.parse(policyFileText(PRESETS['uk-secondary-sol']!, CODE_TABLES['dfe-2024']!));
  good.policy.label = 'Trust-wide attendance policy';
  await testid('policy-import-file').setInputFiles({ name: 'trust.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await poll('the imported policy in the editor', async () => (await testid('policy-label').inputValue()) === 'Trust-wide attendance policy');
  expect(await sidebarStatus('info')).toContain('Imported trust.json');
  expect(await testid('policy-save').isDisabled()).toBe(true);
  // Its threshold is the file's (95), not the saved 96: nothing was saved by importing.
  await testid('policy-step-4-summary').click();
  expect(await testid('policy-step-4-entry-c1-percent').inputValue()).toBe('95');
  expect((await testid('policy-source').textContent()) ?? '').toContain('version 1');
  await shot(page(), 'policy-imported');
}, 60_000);

testWhenRpcs(RPCS)('a tutor has no Policy tab', async () => {
  const tutor = page().locator('[data-testid="run-as"] option[data-role="Tutor"]').first();
  const tutorName = ((await tutor.textContent()) ?? '').split(' — ')[0]!;
  await page().locator('[data-testid="run-as"]').selectOption(await tutor.getAttribute('value'));
  await poll('the sidebar to reload as the tutor', async () => ((await testid('user').textContent({ timeout: 1000 }).catch(() => '')) ?? '').includes(tutorName), 20_000);
  expect(await testid('tab-policy').count()).toBe(0);
}, 60_000);
