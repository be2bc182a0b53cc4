/**
 * The preview server's HTTP API without a browser: the page's data endpoints, the sidebar with the
 * bridge injected before its own script, the RPC error shape, and input checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleFunctions, injectBridge, startPreview, summariseRuns, type PreviewServer } from '../../preview/server';
import type { SheetsResponse, SheetWindowResponse, UsersResponse } from '../../preview/page/api';
import { DIST_DIR } from './helpers';

let preview: PreviewServer;

beforeAll(async () => {
  preview = await startPreview({ port: 0, students: 120, log: () => undefined, distDir: DIST_DIR });
}, 60_000);

afterAll(async () => {
  if (preview) await preview.close();
});

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const r = await fetch(new URL(path, preview.url));
  return { status: r.status, body: (await r.json()) as T };
}

async function post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const r = await fetch(new URL(path, preview.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as T };
}

test('listens on 127.0.0.1 and serves the page, its script and its styles', async () => {
  expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await fetch(preview.url);
  expect(page.headers.get('content-type')).toContain('text/html');
  const html = await page.text();
  expect(html).toContain('data-testid="sidebar-frame"');
  expect(html).not.toMatch(/https?:\/\//); // nothing from the network
  expect((await fetch(new URL('/page.js', preview.url))).status).toBe(200);
  expect((await fetch(new URL('/page.css', preview.url))).status).toBe(200);
});

test('the sidebar is dist/Sidebar.html with the bridge before the sidebar’s own script', async () => {
  const html = await (await fetch(new URL('/sidebar', preview.url))).text();
  const config = html.indexOf('__SOL_PREVIEW__');
  const firstAppScript = html.indexOf('<script', html.indexOf('google.script') + 1);
  expect(config).toBeGreaterThan(0);
  expect(html.indexOf('google.script = ')).toBeGreaterThan(-1);
  expect(html.indexOf('data-testid="app"')).toBeGreaterThan(config);
  expect(firstAppScript).toBeGreaterThan(config);
});

test('sheets and paged windows of rows with their backgrounds', async () => {
  const sheets = await get<SheetsResponse>('/api/sheets');
  const tracker = sheets.body.sheets.find((s) => s.name === 'SOL Tracker')!;
  expect(tracker.rows).toBe(121);
  const first = await get<SheetWindowResponse>('/api/sheet?name=SOL%20Tracker&offset=0&limit=50');
  expect(first.body.header[0].values).toContain('Student Name');
  expect(first.body.data).toHaveLength(50);
  expect(first.body.data[0].row).toBe(2);
  expect(first.body.data[0].backgrounds[0]).toMatch(/^#[0-9a-f]{6}$/);
  const last = await get<SheetWindowResponse>('/api/sheet?name=SOL%20Tracker&offset=100&limit=50');
  expect(last.body.data.map((r) => r.row)).toEqual(Array.from({ length: 20 }, (_, i) => 102 + i));
  expect((await get<{ error: string }>('/api/sheet?name=Nope')).status).toBe(404);
});

test('selecting a row moves the active cell that getSelectedStudent reads', async () => {
  expect((await post('/api/select', { sheet: 'SOL Tracker', row: 7, column: 2 })).status).toBe(200);
  const active = preview.emu.direct(() => preview.emu.spreadsheet.getActiveRange()!.getA1Notation());
  expect(active).toBe('B7');
  const w = await get<SheetWindowResponse>('/api/sheet?name=SOL%20Tracker&offset=0&limit=10');
  expect(w.body.selectedRow).toBe(7);
  expect((await post<{ error: string }>('/api/select', { sheet: 'SOL Tracker', row: 0 })).status).toBe(400);
});

test('RPC: a value, or { error } with the server’s message', async () => {
  const missing = await post<{ error: string }>('/rpc', { name: 'noSuchFunction', args: [] });
  expect(missing.body.error).toMatch(/noSuchFunction/);
  if (bundleFunctions(fs.readFileSync(path.join(DIST_DIR, 'Code.js'), 'utf8')).includes('getStudent')) {
    const bad = await post<{ error: string }>('/rpc', { name: 'getStudent', args: [{ studentId: 'NOBODY' }] });
    expect(bad.body.error).toContain('NOBODY');
  }
});

test('users: the attendance lead by default; only the school’s staff can be chosen', async () => {
  const users = await get<UsersResponse>('/api/users');
  expect(users.body.users.find((u) => u.email === users.body.current)?.role).toBe('AL');
  expect(users.body.users.some((u) => u.role === 'Tutor')).toBe(true);
  expect((await post('/api/user', { email: 'intruder@example.com' })).status).toBe(400);
  const tutor = users.body.users.find((u) => u.role === 'Tutor')!;
  expect((await post('/api/user', { email: tutor.email })).status).toBe(200);
  expect((await get<UsersResponse>('/api/users')).body.current).toBe(tutor.email);
  await post('/api/user', { email: users.body.current });
});

test('the sample school\'s own dated history is adopted on the dates it shows (dd/mm/yyyy, not read the US way)', () => {
  // Old preview: "10/11/2025" typed into the en_US emulated sheet became 11 Oct 2025 (a Saturday).
  const log = preview.emu.direct(() => preview.emu.spreadsheet.getSheetByName('Interventions Log')!.getDataRange().getDisplayValues());
  const header = log[0]!;
  const adopted = log.slice(1).filter((r) => /^Adopted history: (Letter 1 sent on|Meeting held on) \d/.test(r[header.indexOf('Notes')]!));
  expect(adopted.length).toBeGreaterThan(0);
  const iso = (dmy: string) => `${dmy.slice(6, 10)}-${dmy.slice(3, 5)}-${dmy.slice(0, 2)}`;
  for (const r of adopted) expect([r[header.indexOf('Date')], preview.school.schoolDays.includes(iso(r[header.indexOf('Date')]!))]).toEqual([r[header.indexOf('Date')], true]);
});

test('typing into a cell: written as the current user, onEdit logs an RTC; a bad cell is a sentence', async () => {
  const tracker = await get<SheetWindowResponse>('/api/sheet?name=SOL%20Tracker&offset=0&limit=5');
  const headers = tracker.body.header[0].values;
  const rtc = headers.indexOf('RTC');
  expect(rtc).toBeGreaterThan(-1);
  const a1 = `${String.fromCharCode(65 + rtc)}4`;
  const logRows = () => preview.emu.direct(() => preview.emu.spreadsheet.getSheetByName('Interventions Log')!.getLastRow());
  const before = logRows();
  const r = await post<{ ok: boolean }>('/api/edit', { sheet: 'SOL Tracker', a1, value: 'Yes' });
  expect(r.status).toBe(200);
  expect(preview.emu.direct(() => preview.emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(a1).getValue())).toBe('Yes');
  expect(logRows()).toBe(before + 1);
  const bad = await post<{ error: string }>('/api/edit', { sheet: 'SOL Tracker', a1: 'A1:B2', value: 'x' });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatch(/is not one cell/);
});

test('the clock moves by whole days only', async () => {
  expect((await post('/api/clock/advance', { days: 0.5 })).status).toBe(400);
  const before = preview.emu.clock.now().getTime();
  const r = await post<{ clock: { now: string } }>('/api/clock/advance', { days: 1 });
  expect(new Date(r.body.clock.now).getTime()).toBeGreaterThanOrEqual(before + 24 * 3600 * 1000);
});

test('outbox attachments: 404 for one that does not exist', async () => {
  expect((await fetch(new URL('/api/outbox/999/attachment/0', preview.url))).status).toBe(404);
});

test('helpers: bundle function names, bridge injection, trigger run summaries', () => {
  expect(bundleFunctions('function a(x) {}\n  function nested() {}\nfunction b() {}\n')).toEqual(['a', 'b']);
  const html = '<html><head><title>x</title><style></style></head><body><script>app()</script></body></html>';
  const out = injectBridge(html, 'var s = "</script>";', ['a']);
  expect(out.indexOf('__SOL_PREVIEW__')).toBeLessThan(out.indexOf('app()'));
  expect(out).toContain('<\\/script>');
  expect(() => injectBridge('<html></html>', '', [])).toThrow(/<\/head>/);
  expect(summariseRuns(['t', 't', 'u'])).toEqual(['t ×2', 'u']);
});
