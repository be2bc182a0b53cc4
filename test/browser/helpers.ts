/**
 * Browser-test helpers: the preview server (in-process, on a free port), headless Chromium through
 * playwright-core (CHROMIUM_PATH, the system's Chromium, or the npm package's: playwright downloads nothing), screenshots
 * into test-artifacts/browser/, and skipping a feature's test while its RPC is not in the bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { startPreview, type PreviewOptions, type PreviewServer } from '../../preview/server';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const browserChoice = require('./chromium.cjs') as { launchOptions(): Promise<Parameters<typeof chromium.launch>[0]> };

export const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'browser');
/** The built project under test: PREVIEW_DIST (another build's dist/) or this repository's dist/. */
export const DIST_DIR = process.env.PREVIEW_DIST ? path.resolve(process.env.PREVIEW_DIST) : path.join(ROOT, 'dist');
export const DIST_CODE = path.join(DIST_DIR, 'Code.js');

/** Top-level functions of the built bundle, read once per test file. */
export function bundleFunctionNames(): Set<string> {
  const code = fs.existsSync(DIST_CODE) ? fs.readFileSync(DIST_CODE, 'utf8') : '';
  return new Set([...code.matchAll(/^function ([A-Za-z_$][\w$]*)\s*\(/gm)].map((m) => m[1]));
}

const BUNDLE = bundleFunctionNames();

export function missingRpcs(names: readonly string[]): string[] {
  return names.filter((n) => !BUNDLE.has(n));
}

/**
 * test() when every RPC the feature needs is in dist/Code.js; otherwise test.skip() with the reason
 * in the test's name (the lead re-runs these once every feature is wired into src/entries.ts).
 */
export function testWhenRpcs(names: readonly string[]): (title: string, fn: () => Promise<void>, timeout?: number) => void {
  const missing = missingRpcs(names);
  if (missing.length === 0) return (title, fn, timeout) => test(title, fn, timeout);
  return (title) => test.skip(`${title} — skipped: ${path.relative(ROOT, DIST_CODE) || DIST_CODE} has no ${missing.map((m) => `${m}()`).join(', ')} yet`, () => undefined);
}

/**
 * Headless Chromium: CHROMIUM_PATH, else /usr/bin/chromium, else the npm package @sparticuz/chromium
 * (chosen once in test/globalSetup.cjs; see test/browser/chromium.cjs).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(await browserChoice.launchOptions());
}

export interface PreviewSession {
  preview: PreviewServer;
  browser: Browser;
  page: Page;
  /** Requests the page made to anything but the preview server (must stay empty). */
  externalRequests: string[];
  close(): Promise<void>;
}

/** Starts the preview server and opens its page at 1280×800, ready (grid and sidebar loaded). */
export async function openPreview(options: PreviewOptions = {}): Promise<PreviewSession> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const preview = await startPreview({ port: 0, log: () => undefined, distDir: DIST_DIR, ...options });
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const externalRequests: string[] = [];
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(preview.url) && !url.startsWith('data:') && !url.startsWith('about:')) externalRequests.push(url);
    });
    page.on('pageerror', (e) => externalRequests.push(`pageerror: ${e.message}`));
    await page.goto(preview.url);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await page.waitForSelector('[data-testid="grid-row"]:not(.loading)');
    const b = browser;
    return {
      preview, browser: b, page, externalRequests,
      close: async () => {
        await b.close();
        await preview.close();
      },
    };
  } catch (e) {
    if (browser) await browser.close();
    await preview.close();
    throw e;
  }
}

/**
 * One preview for a test file: opened before its tests (beforeAll), closed after (afterAll). The
 * getters throw if it did not open, so a failed start is one clear error, not a cascade.
 */
export function usePreview(options: PreviewOptions, openTimeoutMs = 90_000): { session: () => PreviewSession; page: () => Page; bar: () => FrameLocator } {
  let opened: PreviewSession | null = null;
  beforeAll(async () => {
    opened = await openPreview(options);
  }, openTimeoutMs);
  afterAll(async () => {
    if (opened) await opened.close();
  });
  const session = () => {
    if (!opened) throw new Error('The preview did not open (see the beforeAll error).');
    return opened;
  };
  return { session, page: () => session().page, bar: () => sidebar(session().page) };
}

export function sidebar(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="sidebar-frame"]');
}

let shotCounter = 0;
/** A numbered full-page screenshot in test-artifacts/browser/ (kept as CI artefacts). */
export async function shot(page: Page, name: string): Promise<string> {
  shotCounter += 1;
  const file = path.join(ARTIFACTS, `${String(shotCounter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Index (1-based column) of a header on the grid's frozen header row, or throws. */
export async function columnOf(page: Page, header: string): Promise<number> {
  const headers = await page.locator('[data-testid="grid-header-row"] td').allTextContents();
  const i = headers.findIndex((h) => h.trim().toLowerCase() === header.toLowerCase());
  if (i < 0) throw new Error(`No "${header}" column on the grid (headers: ${headers.join(', ')})`);
  return i + 1;
}

/** The backgrounds of a grid row's cells, as the page shows them. */
export async function rowBackgrounds(page: Page, row: number): Promise<string[]> {
  return page.locator(`[data-testid="grid-row"][data-row="${row}"] td`).evaluateAll((tds) => tds.map((td) => td.getAttribute('data-bg') ?? ''));
}

export async function cellText(page: Page, row: number, column: number): Promise<string> {
  return (await page.locator(`[data-testid="grid-row"][data-row="${row}"] td[data-col="${column}"]`).textContent())?.trim() ?? '';
}

/** Retries a check until it holds (jest has no expect.poll); fails with what it waited for. */
export async function poll(what: string, check: () => Promise<boolean>, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout;
  let last: unknown = null;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`Timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
