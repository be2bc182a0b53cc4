/**
 * `npm ci && npm test` on a fresh machine with no root and no system browser (issue 13, point 4):
 * the browser tests fall back to the Chromium inside the npm devDependency @sparticuz/chromium,
 * launched with playwright-core, when neither CHROMIUM_PATH nor /usr/bin/chromium is there.
 */
import { chromium } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const choice = require('./chromium.cjs') as {
  SYSTEM_CHROMIUM: string;
  chooseBrowser(where: { env: Record<string, string | undefined>; exists: (p: string) => boolean }): { source: string; executablePath: string | null };
  resolveBrowser(env: Record<string, string | undefined>, exists: (p: string) => boolean): Promise<{ source: string; executablePath: string; env: Record<string, string>; args: string[] }>;
};

describe('which Chromium the browser tests launch', () => {
  test('CHROMIUM_PATH wins, then /usr/bin/chromium, then the npm package', () => {
    const none = () => false;
    const system = (p: string) => p === choice.SYSTEM_CHROMIUM;
    expect(choice.chooseBrowser({ env: { CHROMIUM_PATH: '/opt/chrome/chrome' }, exists: system })).toEqual({ source: 'env', executablePath: '/opt/chrome/chrome' });
    expect(choice.chooseBrowser({ env: {}, exists: system })).toEqual({ source: 'system', executablePath: '/usr/bin/chromium' });
    expect(choice.chooseBrowser({ env: { CHROMIUM_PATH: '  ' }, exists: none })).toEqual({ source: 'npm', executablePath: null });
  });

  test('with no CHROMIUM_PATH and no /usr/bin/chromium, the npm Chromium unpacks without root and playwright-core drives it', async () => {
    const npm = await choice.resolveBrowser({ HOME: process.env.HOME }, () => false);
    expect(npm.source).toBe('npm');
    expect(npm.executablePath).toMatch(/node_modules\/\.cache\/sol-tracker-chromium\/[\d.]+\/chromium$/);
    const browser = await chromium.launch({
      executablePath: npm.executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', ...npm.args],
      env: { ...process.env, ...npm.env } as Record<string, string>,
    });
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="x">SOL Tracker</p>');
      expect(await page.textContent('#x')).toBe('SOL Tracker');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
