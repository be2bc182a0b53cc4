/**
 * `npm start`: the local preview. A node:http server on 127.0.0.1 that runs the BUILT add-on
 * (dist/) in the emulator, on a generated sample school, and serves:
 *
 *   GET  /                      the preview page (preview/page, bundled with esbuild at start-up)
 *   GET  /sidebar               dist/Sidebar.html with the google.script.run bridge injected first
 *   POST /rpc                   { name, args } → { value } | { error } (google.script.run semantics)
 *   GET  /api/info | /api/state | /api/sheets | /api/sheet?name=&offset=&limit=
 *   GET  /api/outbox            sent mail;  GET /api/outbox/:i/attachment/:j[?as=text]
 *   GET  /api/clock;  POST /api/clock/advance { days } (fires due triggers on the way)
 *   POST /api/select { sheet, row, column? }  sets the active cell (getSelectedStudent reads it)
 *   GET  /api/users;  POST /api/user { email }  whom the sidebar acts as
 *   POST /api/edit { sheet, a1, value }  the current user types into a cell (onEdit runs)
 *
 * Nothing is loaded from the network: the page, its script and the sidebar are all local.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { createEmulator, type Emulator } from '../emulator';
import { generateSchool, type SampleSchool } from '../src/core/sample/school';
import { STARTER_TEMPLATES } from '../src/core/letters/templates';
import { PRESETS } from '../src/core/policy/presets';
import { DEFAULT_SETTINGS, type TemplateRef } from '../src/core/settings';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, schoolDayNoon, TAB } from '../test/helpers/sampleSpreadsheet';
import type {
  AdvanceResponse, ClockResponse, MailInfo, OutboxResponse, PreviewUser, SheetInfo, SheetRow, SheetsResponse,
  SheetWindowResponse, StateResponse, UsersResponse,
} from './page/api';

const ROOT = path.resolve(__dirname, '..');
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PreviewOptions {
  /** 0 = any free port. Default: PORT env or 8765; when busy, a free one is picked. */
  port?: number;
  /** Fixed by default so every start shows the same school. */
  seed?: number;
  students?: number;
  /** School days of marks (one term ≈ 60). */
  schoolDays?: number;
  startDate?: string;
  /** The built project to run. Default: PREVIEW_DIST env, else dist/. */
  distDir?: string;
  /** Progress lines (default: stdout). */
  log?: (line: string) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  emu: Emulator;
  school: SampleSchool;
  /** Start-up messages (missing or failing setup steps), also shown on the page. */
  notices: string[];
  close(): Promise<void>;
}

export const DEFAULT_PREVIEW: Required<Omit<PreviewOptions, 'port' | 'distDir' | 'log'>> = {
  seed: 20250901,
  students: 900,
  schoolDays: 60,
  startDate: '2025-09-01',
};

/** Top-level function names of the built server bundle (what google.script.run can call). */
export function bundleFunctions(codeJs: string): string[] {
  const names = new Set<string>();
  for (const m of codeJs.matchAll(/^function ([A-Za-z_$][\w$]*)\s*\(/gm)) names.add(m[1]);
  return [...names];
}

async function bundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry], bundle: true, write: false, format: 'iife', target: 'es2020', platform: 'browser',
    minify: false, legalComments: 'none', logLevel: 'silent', charset: 'utf8',
  });
  return out.outputFiles[0].text;
}

/** Injects the bridge before any script of the sidebar (at the end of <head>). */
export function injectBridge(sidebarHtml: string, bridgeJs: string, functions: string[]): string {
  const safe = (js: string) => js.replace(/<\/(script)/gi, '<\\/$1');
  const config = `window.__SOL_PREVIEW__ = ${JSON.stringify({ functions })};`;
  const tags = `<script>${safe(config)}</script>\n<script>${safe(bridgeJs)}</script>\n`;
  const at = sidebarHtml.search(/<\/head>/i);
  if (at < 0) throw new Error('dist/Sidebar.html has no </head>: cannot inject the google.script.run bridge.');
  const firstScript = sidebarHtml.search(/<script/i);
  const position = firstScript >= 0 && firstScript < at ? firstScript : at;
  return sidebarHtml.slice(0, position) + tags + sidebarHtml.slice(position);
}

function isoInZone(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

function clockLabel(d: Date, timeZone: string): string {
  const date = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return `${date}, ${time}`;
}

/** ['weeklyReportTrigger', 'weeklyReportTrigger'] → ['weeklyReportTrigger ×2'] (hourly triggers run many times a week). */
export function summariseRuns(handlers: string[]): string[] {
  const counts = new Map<string, number>();
  for (const h of handlers) counts.set(h, (counts.get(h) ?? 0) + 1);
  return [...counts].map(([h, n]) => (n === 1 ? h : `${h} ×${n}`));
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Letter templates as a school would have them: the starter letters of the preset, as Docs. */
function starterTemplates(emu: Emulator, presetId: string): TemplateRef[] {
  const policyText = JSON.stringify(PRESETS[presetId as keyof typeof PRESETS] ?? {});
  return STARTER_TEMPLATES
    .filter((t) => policyText.includes(`"${t.letterId}"`))
    .map((t) => ({ letterId: t.letterId, language: t.language, docId: emu.docs.create(t.name, [t.subject, ...t.paragraphs]) }));
}

export async function startPreview(options: PreviewOptions = {}): Promise<PreviewServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const distDir = options.distDir ?? (process.env.PREVIEW_DIST ? path.resolve(process.env.PREVIEW_DIST) : path.join(ROOT, 'dist'));
  for (const f of ['Code.js', 'Sidebar.html', 'appsscript.json']) {
    if (!fs.existsSync(path.join(distDir, f))) throw new Error(`${path.join(distDir, f)} is missing: run \`node build.mjs\` first (npm start does).`);
  }
  const opts = { ...DEFAULT_PREVIEW, ...options };

  // ---- the page and the bridge, bundled once
  const pageDir = path.join(ROOT, 'preview', 'page');
  const [pageJs, bridgeJs] = await Promise.all([bundle(path.join(pageDir, 'main.ts')), bundle(path.join(ROOT, 'preview', 'bridge.ts'))]);
  const pageHtml = fs.readFileSync(path.join(pageDir, 'index.html'), 'utf8');
  const pageCss = fs.readFileSync(path.join(pageDir, 'styles.css'), 'utf8');
  const codeJs = fs.readFileSync(path.join(distDir, 'Code.js'), 'utf8');
  const functions = bundleFunctions(codeJs);
  const has = (name: string) => functions.includes(name);
  const sidebarHtml = injectBridge(fs.readFileSync(path.join(distDir, 'Sidebar.html'), 'utf8'), bridgeJs, functions);

  // ---- the sample school in the emulator
  const t0 = Date.now();
  const school = generateSchool({ seed: opts.seed, students: opts.students, startDate: opts.startDate, schoolDays: opts.schoolDays, preset: 'uk' });
  const staffOf = (role: string) => school.staff.find((s) => s.role === role);
  const admin = staffOf('Admin') ?? school.staff[0];
  const lead = staffOf('AL') ?? admin;
  const users = [admin.email, ...school.staff.filter((s) => s !== admin).map((s) => s.email)];
  const today = school.schoolDays[school.schoolDays.length - 1] ?? opts.startDate;
  // The school's own Workspace domain, as a script the school's IT deployed: onEdit knows who typed an
  // RTC/ROPC entry (semantics U1.1), so "Run as" a tutor shows the tutor-group check (issue 10).
  const domain = admin.email.split('@')[1] ?? '';
  const emu = createEmulator({
    users, now: schoolDayNoon(today), account: 'workspace', developerDomain: domain, spreadsheetTimeZone: school.timeZone, spreadsheetName: school.name,
  });
  emu.loadProject(distDir);
  const templates = starterTemplates(emu, DEFAULT_SETTINGS.presetId);
  // A document is private to whoever made it: the Admin who made the templates shared them, as the
  // add-on does when it creates them (AL and Admin edit, AO view).
  for (const t of templates) {
    for (const s of school.staff) {
      if (s.email === users[0]) continue;
      if (s.role === 'AL' || s.role === 'Admin') emu.docs.share(t.docId, s.email, 'writer');
      else if (s.role === 'AO') emu.docs.share(t.docId, s.email, 'reader');
    }
  }
  // The sample school adopts the add-on mid-year: its own tracker already records a Letter 1 (dated)
  // for some pupils and "AIM 2" with an AIM 1 meeting for others; set-up adopts that history below.
  const dayBack = (n: number) => school.schoolDays[Math.max(0, school.schoolDays.length - n)] ?? today;
  // Written as text ('…): the emulated spreadsheet's locale is en_US, where a typed "10/11/2025" is
  // 11 October — a UK school's sheet (en_GB) reads it as 10 November, the date the school meant.
  const ukDate = (iso: string) => `'${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  putSampleSchool(emu, {
    school,
    settings: { templates },
    headers: [...DEFAULT_TRACKER_HEADERS, 'Intervention', 'Letter 1', 'AIM 1'],
    cell: (h, _f, _s, i) => {
      if (h === 'Letter 1') return i % 12 === 0 ? ukDate(dayBack(15)) : '';
      if (h === 'Intervention') return i % 12 === 5 ? 'AIM 2' : '';
      if (h === 'AIM 1') return i % 12 === 5 ? ukDate(dayBack(20)) : '';
      return undefined;
    },
  });
  emu.direct(() => {
    const tracker = emu.spreadsheet.getSheetByName(TAB.tracker);
    if (tracker) {
      tracker.setFrozenRows(1);
      tracker.getRange(2, 2).activate();
    }
  });

  const notices: string[] = [];
  const startupStep = async (name: string, args: unknown[], user: string, what: string): Promise<void> => {
    if (!has(name)) {
      notices.push(`${what} skipped: the built add-on has no ${name}() yet.`);
      return;
    }
    try {
      await emu.rpc(name, args, user);
    } catch (e) {
      notices.push(`${what} failed: ${errorMessage(e)}`);
    }
  };
  await startupStep('runSetup', [], admin.email, 'Setup');
  // Set-up's adoption step, confirmed as the Admin would: every item the sheet records is adopted.
  if (has('previewAdoption') && has('adoptHistory')) {
    try {
      const found = (await emu.rpc('previewAdoption', [], admin.email)) as { pupils: { items: { key: string }[] }[] };
      const keys = found.pupils.flatMap((p) => p.items.map((i) => i.key));
      if (keys.length > 0) await emu.rpc('adoptHistory', [{ keys }], admin.email);
    } catch (e) {
      notices.push(`Adopting the sample school's history failed: ${errorMessage(e)}`);
    }
  }
  await startupStep('recalculate', [], admin.email, 'Recalculation');
  await startupStep('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], lead.email, 'Scheduling the weekly report');
  emu.direct(() => {
    const tracker = emu.spreadsheet.getSheetByName(TAB.tracker);
    if (tracker) tracker.getRange(2, 2).activate();
  });
  log(`Sample school "${school.name}": ${school.students.length} students, ${school.staff.length} staff, ${school.schoolDays.length} school days (${Date.now() - t0} ms).`);
  for (const n of notices) log(`  note: ${n}`);

  // ---- state the page can change
  let currentUser = lead.email;
  let version = 1;
  const staffByEmail = new Map(school.staff.map((s) => [s.email, s]));

  const ss = () => emu.spreadsheet;

  function sheetInfo(sheet: GoogleAppsScript.Spreadsheet.Sheet): SheetInfo {
    return { name: sheet.getName(), rows: sheet.getLastRow(), columns: sheet.getLastColumn(), frozenRows: sheet.getFrozenRows() };
  }

  function rowsOf(sheet: GoogleAppsScript.Spreadsheet.Sheet, first: number, count: number, columns: number): SheetRow[] {
    if (count <= 0 || columns <= 0) return [];
    const range = sheet.getRange(first, 1, count, columns);
    const values = range.getDisplayValues();
    const backgrounds = range.getBackgrounds();
    const weights = range.getFontWeights();
    const colours = range.getFontColors();
    return values.map((v, i) => ({ row: first + i, values: v, backgrounds: backgrounds[i], fontWeights: weights[i], fontColors: colours[i] }));
  }

  function sheetWindow(name: string, offset: number, limit: number): SheetWindowResponse {
    return emu.direct(() => {
      const sheet = ss().getSheetByName(name);
      if (!sheet) throw new HttpError(404, `No sheet named "${name}".`);
      const info = sheetInfo(sheet);
      const frozen = Math.max(1, Math.min(info.frozenRows, 3));
      const headerRows = Math.min(frozen, info.rows);
      const dataRows = Math.max(0, info.rows - frozen);
      const start = Math.max(0, Math.min(offset, dataRows));
      const count = Math.max(0, Math.min(limit, dataRows - start));
      const active = ss().getActiveRange();
      const selectedRow = active && active.getSheet().getName() === name ? active.getRow() : null;
      return {
        name, rows: info.rows, columns: info.columns, frozenRows: frozen,
        header: rowsOf(sheet, 1, headerRows, info.columns),
        offset: start,
        data: rowsOf(sheet, frozen + 1 + start, count, info.columns),
        selectedRow,
      };
    });
  }

  function outbox(): OutboxResponse {
    const mails: MailInfo[] = emu.mail.outbox.map((m, index) => ({
      index, to: m.to, cc: m.cc ?? '', subject: m.subject, at: new Date(m.at).toISOString(), body: m.body, htmlBody: m.htmlBody ?? null,
      attachments: m.attachments.map((a, j) => ({ index: j, name: a.name ?? `attachment-${j + 1}`, contentType: a.contentType ?? 'application/octet-stream', size: a.bytes.length })),
    }));
    return { mails };
  }

  function clock(): ClockResponse {
    const now = emu.clock.now();
    return { now: now.toISOString(), date: isoInZone(now, school.timeZone), label: clockLabel(now, school.timeZone), timeZone: school.timeZone };
  }

  function usersList(): PreviewUser[] {
    const order = ['AL', 'Admin', 'AO', 'HOY', 'Tutor'];
    return [...school.staff]
      .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || (a.yearGroup ?? '').localeCompare(b.yearGroup ?? '', 'en', { numeric: true }) || (a.tutorGroup ?? '').localeCompare(b.tutorGroup ?? ''))
      .map((s) => ({
        email: s.email, name: s.name, role: s.role,
        detail: s.role === 'Tutor' ? s.tutorGroup ?? '' : s.role === 'HOY' ? `Year ${s.yearGroup ?? ''}` : '',
      }));
  }

  // ---- HTTP
  async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 5 * 1024 * 1024) throw new HttpError(413, 'Request too large.');
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    try {
      const data = JSON.parse(text) as unknown;
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
      return data as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'The request body must be a JSON object.');
    }
  }

  const SECURITY_HEADERS = {
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };

  function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS, ...extra });
    res.end(body);
  }
  const json = (res: http.ServerResponse, status: number, data: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(data));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /':
      case 'GET /index.html':
        return send(res, 200, 'text/html; charset=utf-8', pageHtml, { 'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; object-src 'self'" });
      case 'GET /page.js': return send(res, 200, 'text/javascript; charset=utf-8', pageJs);
      case 'GET /page.css': return send(res, 200, 'text/css; charset=utf-8', pageCss);
      case 'GET /sidebar':
        return send(res, 200, 'text/html; charset=utf-8', sidebarHtml);
      case 'POST /rpc': {
        const body = await readBody(req);
        const name = String(body.name ?? '');
        const args = Array.isArray(body.args) ? body.args : [];
        const user = typeof body.user === 'string' && body.user ? body.user : currentUser;
        try {
          const value = await emu.rpc(name, args, user);
          return json(res, 200, { value: value === undefined ? null : value });
        } catch (e) {
          return json(res, 200, { error: errorMessage(e) });
        } finally {
          version += 1;
        }
      }
      case 'GET /api/info':
        return json(res, 200, { spreadsheetName: emu.direct(() => ss().getName()), functions, notices });
      case 'GET /api/state': {
        const state: StateResponse = { version, notices };
        return json(res, 200, state);
      }
      case 'GET /api/sheets': {
        const response: SheetsResponse = emu.direct(() => ({
          sheets: ss().getSheets().map(sheetInfo),
          active: ss().getActiveSheet().getName(),
        }));
        return json(res, 200, response);
      }
      case 'GET /api/sheet': {
        const name = url.searchParams.get('name') ?? '';
        const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
        const limit = Math.max(1, Math.min(500, Number(url.searchParams.get('limit') ?? 100) || 100));
        return json(res, 200, sheetWindow(name, offset, limit));
      }
      case 'GET /api/outbox': return json(res, 200, outbox());
      case 'GET /api/clock': return json(res, 200, clock());
      case 'POST /api/clock/advance': {
        const body = await readBody(req);
        const days = Number(body.days);
        if (!Number.isInteger(days) || days < 1 || days > 366) throw new HttpError(400, 'days must be a whole number from 1 to 366.');
        const until = new Date(emu.clock.now().getTime() + days * DAY_MS);
        const ran = emu.fireDueTriggers(until);
        version += 1;
        const response: AdvanceResponse = {
          clock: clock(),
          fired: summariseRuns(ran.map((r) => r.handler)),
          errors: ran.filter((r) => r.error).map((r) => `${r.handler}: ${r.error}`),
        };
        return json(res, 200, response);
      }
      case 'POST /api/select': {
        const body = await readBody(req);
        const sheetName = String(body.sheet ?? '');
        const row = Number(body.row);
        const column = body.column === undefined ? 1 : Number(body.column);
        emu.direct(() => {
          const sheet = ss().getSheetByName(sheetName);
          if (!sheet) throw new HttpError(404, `No sheet named "${sheetName}".`);
          if (!Number.isInteger(row) || row < 1 || row > sheet.getMaxRows()) throw new HttpError(400, `Row ${body.row} is not on "${sheetName}".`);
          const col = Number.isInteger(column) && column >= 1 && column <= sheet.getMaxColumns() ? column : 1;
          sheet.getRange(row, col).activate();
        });
        return json(res, 200, { ok: true, sheet: sheetName, row });
      }
      case 'POST /api/edit': {
        // A member of staff typing into a cell (an RTC or ROPC mark, a comment): written as typed,
        // with the sheet's protection and validation, then onEdit runs as that person.
        const body = await readBody(req);
        const sheetName = String(body.sheet ?? '');
        const a1 = String(body.a1 ?? '').trim().toUpperCase();
        if (!/^[A-Z]{1,3}[1-9]\d*$/.test(a1)) throw new HttpError(400, `"${String(body.a1 ?? '')}" is not one cell (write it like F12).`);
        const value = body.value === undefined || body.value === null ? '' : body.value;
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new HttpError(400, 'value must be text, a number or true/false.');
        try {
          emu.userEdit(sheetName, a1, value, currentUser);
        } catch (e) {
          throw new HttpError(400, errorMessage(e));
        } finally {
          version += 1;
        }
        return json(res, 200, { ok: true, sheet: sheetName, a1 });
      }
      case 'GET /api/users': {
        const response: UsersResponse = { users: usersList(), current: currentUser };
        return json(res, 200, response);
      }
      case 'POST /api/user': {
        const body = await readBody(req);
        const email = String(body.email ?? '').trim();
        if (!staffByEmail.has(email) && !users.includes(email)) throw new HttpError(400, `${email || 'That user'} is not one of the sample school's staff.`);
        currentUser = email;
        version += 1;
        return json(res, 200, { current: currentUser });
      }
      default:
        break;
    }
    const attachment = /^\/api\/outbox\/(\d+)\/attachment\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && attachment) {
      const mail = emu.mail.outbox[Number(attachment[1])];
      const file = mail?.attachments[Number(attachment[2])];
      if (!file) throw new HttpError(404, 'No such attachment.');
      if (url.searchParams.get('as') === 'text') return send(res, 200, 'text/plain; charset=utf-8', file.text ?? '');
      const name = (file.name ?? 'attachment').replace(/[^\w.() -]/g, '_');
      return send(res, 200, file.contentType ?? 'application/octet-stream', file.bytes, { 'content-disposition': `inline; filename="${name}"` });
    }
    if (req.method === 'GET' && url.pathname === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    throw new HttpError(404, `Nothing at ${req.method} ${url.pathname}.`);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (!res.headersSent) json(res, status, { error: errorMessage(e) });
      else res.end();
    });
  });

  const wanted = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 8765);
  const port = await new Promise<number>((resolve, reject) => {
    const listen = (p: number, fallback: boolean) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (fallback && err.code === 'EADDRINUSE') {
          log(`Port ${p} is busy; picking a free one.`);
          listen(0, false);
        } else reject(err);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, '127.0.0.1');
    };
    listen(wanted, wanted !== 0);
  });

  const url = `http://127.0.0.1:${port}/`;
  return {
    url, port, emu, school, notices,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function isMain(): boolean {
  const entry = process.argv[1] ? path.resolve(process.argv[1]) : '';
  return /preview[\\/]server\.(ts|js|mjs|cjs)$/.test(entry);
}

if (isMain()) {
  startPreview()
    .then((preview) => {
      console.log(`SOL Tracker preview: ${preview.url}`);
      console.log('Press Ctrl+C to stop.');
      const stop = () => void preview.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((e: unknown) => {
      console.error(`The preview could not start: ${errorMessage(e)}`);
      process.exit(1);
    });
}
