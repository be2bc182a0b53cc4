/**
 * The emulator: an offline, in-memory Apps Script for this add-on. It loads the built project
 * (dist/), runs each execution in a fresh global scope, and checks scopes, auth modes, quotas,
 * limits and time against apps-script-semantics.md. See README.md.
 */
import path from 'node:path';
import vm from 'node:vm';
import { AuthModeName } from './runtime/authModes';
import { CacheStores } from './stores/cache';
import { ModelledClock } from './runtime/clock';
import { docUrl, DocStore, FakeDocumentInfo } from './docs/docs';
import { createDriveApp } from './docs/drive';
import { createDriveAdvanced } from './docs/driveAdvanced';
import type { RichDocSpec } from './docs/docsModel';
import { enterErrorRealm, exception, leaveErrorRealm, TIMEOUT_MESSAGE } from './runtime/errors';
import { createHtmlService } from './ui/html';
import { DEFAULT_LATENCY, LatencyTable } from './runtime/latency';
import { loadProjectFromDir, loadProjectFromSources, lookupFunction, newContext, Project } from './runtime/loader';
import { LockTable, type LockHold } from './stores/lock';
import { ConcurrentRunner, type ClientScript, type SimulationOptions, type SimulationResult } from './runtime/concurrent';
import { createConsole, createLogger } from './runtime/logging';
import { MailBox, SentMail } from './mail/mail';
import { assertMayEdit } from './spreadsheet/protection';
import { Range } from './spreadsheet/range';
import { EXECUTION_LIMIT_MS, ExecutionKind, Runtime, SHORT_LIMIT_MS } from './runtime/runtime';
import { createSession } from './script/session';
import { Spreadsheet, SpreadsheetModel } from './spreadsheet/spreadsheet';
import { createSpreadsheetApp } from './spreadsheet/spreadsheetApp';
import { PropertyStores } from './stores/stores';
import { timeDrivenEvent, TriggerStore, TriggerType } from './script/triggers';
import { ButtonName, MenuItem, Ui, UiRecord } from './ui/ui';
import { User } from './script/user';
import { createUtilities } from './utilities/utilities';
import { accepts } from './spreadsheet/validation';
import { displayValue, parseUserEntered } from './spreadsheet/cellValues';
import { CustomFunctionCells, type RecalculatedCell } from './spreadsheet/customFunctionCells';

export type { LatencyTable, LatencyEntry } from './runtime/latency';
export type { SentMail } from './mail/mail';
export type { FakeDocumentInfo } from './docs/docs';
export type { ClientScript, ClientCall, ClientOutcome, SimulationResult, SimulatedExecution, SimulationOptions, ServedCall } from './runtime/concurrent';
export type { RichDocSpec, RenderedDocument, RenderedBlock } from './docs/docsModel';
export type { RecalculatedCell } from './spreadsheet/customFunctionCells';

export interface EmulatorOptions {
  account?: 'consumer' | 'workspace';
  spreadsheetTimeZone?: string;
  now?: Date;
  users?: string[];
  latency?: Partial<LatencyTable>;
  spreadsheetName?: string;
  /** Editor add-on trigger rules (T1.9); false for a plain container-bound script. Default true. */
  addOn?: boolean;
  /** The title of the add-on menu (createAddonMenu). Default 'SOL Tracker'. */
  addOnName?: string;
  /**
   * Whether trigger executions see the containing document (undocumented for add-on time-driven
   * triggers, so tests try both). false: getActiveSpreadsheet, getDocumentProperties, getDocumentLock
   * and getDocumentCache are null inside triggers. Default true. Changeable later: emu.setTriggerHasDocument.
   */
  triggerHasDocument?: boolean;
  /**
   * The developer's Google Workspace domain (with account 'workspace'): simple triggers (onEdit) then
   * see the email of a user of that domain, as Apps Script does for a script deployed from the same
   * domain (U1.1). Default: unset, simple triggers never know who edited.
   */
  developerDomain?: string;
}

export interface RunContext {
  user?: string;
  authMode?: AuthModeName;
  kind?: ExecutionKind;
}

export interface TriggerInfo {
  id: string;
  handler: string;
  type: TriggerType;
  owner: string;
  schedule: object;
  nextRun: Date | null;
}

export interface Emulator {
  readonly spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet;
  /** The service objects the project sees (for host-side setup inside direct()). */
  readonly services: Record<string, any>;
  direct<T>(fn: () => T): T;
  loadProject(distDir?: string): void;
  /** Loads a project from in-memory files ({ 'appsscript.json', '*.js', '*.html' }). */
  loadSources(files: Record<string, string>): void;
  run<T = unknown>(fnName: string, args?: unknown[], ctx?: RunContext): T;
  runCustomFunction(fnName: string, args: unknown[], ctx?: { user?: string }): unknown;
  /**
   * What Sheets does after a change: every cell whose formula calls a custom function of the project
   * re-runs it if (and only if) its formula or the value of one of its arguments changed; the others
   * keep their cached result (S9.2; see spreadsheet/customFunctionCells.ts).
   */
  recalculateCustomFunctions(user?: string): RecalculatedCell[];
  setTriggerHasDocument(has: boolean): void;
  /** The message behind a #ERROR! custom-function cell ('Sheet!B2'), if its last run threw. */
  customFunctionError(sheetName: string, a1: string): string | undefined;
  runSimpleTrigger(name: 'onOpen' | 'onInstall' | 'onEdit' | 'onSelectionChange', authMode: 'NONE' | 'LIMITED' | 'FULL', event?: object, user?: string): unknown;
  userEdit(sheetName: string, a1: string, value: unknown, user?: string): unknown;
  /**
   * Edits made faster than onEdit runs (typing down a column, several pastes): every value lands in
   * its cells, but "the onEdit() trigger only queues up to 2 trigger events" (triggers guide,
   * https://developers.google.com/apps-script/guides/triggers, semantics S7.2): the first edit's
   * onEdit runs, two more wait in the queue, the rest are dropped. Which events survive beyond that is
   * not documented (INF): the emulator keeps the earliest. Returns how many ran and were dropped.
   */
  userEditBurst(edits: Array<{ sheet: string; a1: string; value: unknown }>, user?: string): { ran: number; dropped: number };
  rpc(fnName: string, args?: unknown[], user?: string): Promise<unknown>;
  /**
   * Several executions at once, interleaved at their service calls (runtime/concurrent.ts): each
   * client makes its calls one after another (as a sidebar's google.script.run loop); returns the
   * modelled wall time and every execution's outcome. RPC arguments and results are JSON.
   */
  simulate(clients: ClientScript[], opts?: SimulationOptions): SimulationResult;
  clock: { now(): Date; advance(ms: number): void; set(d: Date): void };
  fireDueTriggers(until: Date): Array<{ handler: string; at: Date; result?: unknown; error?: string }>;
  calls: { get(key: string): number; total(): number; reset(): void; snapshot(): Record<string, number>; cellsWritten(): number };
  modelledMs(): number;
  faults: {
    inject(method: string, opts: { nth?: number; every?: boolean; error: string }): void;
    /** The nth service call from now, whatever its method, fails (`'timeout'`: the execution's time limit). */
    injectAtCall(n: number, error: string): void;
    clear(): void;
  };
  mail: { outbox: SentMail[]; setRemaining(n: number, user?: string): void; remaining(user?: string): number };
  docs: {
    get(id: string): FakeDocumentInfo | undefined;
    all(): FakeDocumentInfo[];
    /** A document a person made in Docs (not by this project), owned by `owner` (default: the first user). */
    create(name: string, paragraphs: string[], owner?: string): string;
    createRich(name: string, spec: RichDocSpec, owner?: string): string;
    /** Host side: shares a document or folder as its owner would in Drive. */
    share(id: string, email: string, role: 'writer' | 'reader'): void;
    folders(): Array<{ id: string; name: string; parents: string[]; owner: string; editors: string[]; viewers: string[]; trashed: boolean }>;
    /** Host side: the documents carrying this Drive appProperty value (e.g. a letter copy by its reference). */
    withAppProperty(key: string, value: string): FakeDocumentInfo[];
  };
  triggers: { list(): TriggerInfo[] };
  ui: {
    menus: Array<{ title: string; items: MenuItem[] }>;
    alerts: string[];
    toasts: Array<{ msg: string; title?: string }>;
    sidebar: { title: string; html: string } | null;
    dialogs: Array<{ title: string; html: string }>;
    queueAlertResponse(button: ButtonName): void;
    queuePromptResponse(text: string, button?: string): void;
  };
  properties: { document(): Record<string, string>; script(): Record<string, string>; user(email: string): Record<string, string> };
  lock: { holdDocumentLockElsewhere(ms: number): void; holdScriptLockElsewhere(ms: number): void; releaseElsewhere(): void; holds(): LockHold[] };
  logs: string[];
}

const DEFAULT_NOW = new Date('2026-11-23T08:00:00Z');
/** S7.2: "The onEdit() trigger only queues up to 2 trigger events." */
const ON_EDIT_QUEUE = 2;
const REPO_ROOT = typeof __dirname !== 'undefined' ? path.resolve(__dirname, '..') : process.cwd();

export const MIME_TYPES = {
  PDF: 'application/pdf', PLAIN_TEXT: 'text/plain', HTML: 'text/html', CSV: 'text/csv', JSON: 'application/json',
  GOOGLE_DOCS: 'application/vnd.google-apps.document', GOOGLE_SHEETS: 'application/vnd.google-apps.spreadsheet',
  MICROSOFT_WORD: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function createEmulator(opts: EmulatorOptions = {}): Emulator {
  const users = opts.users && opts.users.length > 0 ? [...opts.users] : ['owner@school.example'];
  const clock = new ModelledClock(opts.now ?? DEFAULT_NOW);
  const latency = { ...DEFAULT_LATENCY, ...(opts.latency as LatencyTable | undefined) };
  const tz = opts.spreadsheetTimeZone ?? 'Europe/London';
  const runtime = new Runtime({ clock, latency, account: opts.account ?? 'consumer', users, spreadsheetTimeZone: tz, developerDomain: opts.developerDomain });
  runtime.scriptTimeZone = tz;
  runtime.triggerHasDocument = opts.triggerHasDocument ?? true;

  const uiRecord = new UiRecord();
  const docs = new DocStore(runtime);
  const ssModel = new SpreadsheetModel(docs.newId('Sheet'), opts.spreadsheetName ?? 'SOL Tracker', tz, users[0], users.slice(1));
  const firstSheet = ssModel.newSheet('Sheet1');
  ssModel.sheets.push(firstSheet);
  ssModel.activeSheet = firstSheet;
  const spreadsheet = new Spreadsheet(runtime, ssModel, uiRecord.toasts);
  const customCells = new CustomFunctionCells(ssModel);
  const mail = new MailBox(runtime);
  const triggers = new TriggerStore(runtime, ssModel.id, opts.addOn ?? true);
  const props = new PropertyStores(runtime, true);
  const caches = new CacheStores(runtime, true);
  const locks = new LockTable(runtime);
  const ui = new Ui(runtime, uiRecord, opts.addOnName ?? 'SOL Tracker', () => {
    const e = runtime.current;
    if (e) locks.releaseAllHeldBy(e);
  });

  let project: Project | null = null;
  let currentContext: vm.Context | null = null;

  const services: Record<string, any> = {
    SpreadsheetApp: createSpreadsheetApp(runtime, spreadsheet, ui),
    HtmlService: createHtmlService(runtime, {
      get files() { return project?.html ?? new Map<string, string>(); },
      compile(source: string) {
        const ctx = currentContext ?? vm.createContext({});
        return vm.runInContext(source, ctx) as (...args: unknown[]) => unknown;
      },
    }),
    MailApp: mail.service(),
    DocumentApp: docs.service(),
    DriveApp: createDriveApp(runtime, docs, ssModel),
    ScriptApp: triggers.service(),
    PropertiesService: props.service(),
    CacheService: caches.service(),
    LockService: locks.service(true),
    Session: createSession(runtime),
    Utilities: createUtilities(runtime),
    MimeType: MIME_TYPES,
  };

  interface ExecSpec {
    kind: ExecutionKind;
    authMode: AuthModeName;
    user: string;
    effectiveUser?: string;
    /** for rpc: builds the arguments inside the new context */
    argsIn?: (ctx: vm.Context) => unknown[];
    missingOk?: boolean;
  }

  function execute(fnName: string, args: unknown[], spec: ExecSpec): unknown {
    if (!project) throw new Error('No project loaded: call emu.loadProject() or emu.loadSources() first');
    const limitMs = spec.kind === 'simpleTrigger' || spec.kind === 'customFunction' ? SHORT_LIMIT_MS : EXECUTION_LIMIT_MS;
    const exec = runtime.begin({ kind: spec.kind, authMode: spec.authMode, user: spec.user, effectiveUser: spec.effectiveUser ?? spec.user, limitMs });
    const globals: Record<string, unknown> = { ...services, Logger: createLogger(runtime), console: createConsole(runtime) };
    for (const [symbol, service] of advancedServices(project)) globals[symbol] = service;
    const ctx = newContext(globals, () => clock.nowMs());
    const previousContext = currentContext;
    currentContext = ctx;
    enterErrorRealm(vm.runInContext('Error', ctx));
    try {
      project.script.runInContext(ctx);
      const fn = lookupFunction(ctx, fnName);
      if (!fn) {
        if (spec.missingOk) return undefined;
        throw exception(`Script function not found: ${fnName}`); // S6.2/T1.8 (RPT)
      }
      const result = fn.apply(undefined, spec.argsIn ? spec.argsIn(ctx) : args);
      if (exec.timedOut) throw exception(TIMEOUT_MESSAGE);
      return result;
    } catch (e) {
      // a time-out ends the execution even when the project caught the exception
      if (exec.timedOut && !(e instanceof Object && (e as Error).message === TIMEOUT_MESSAGE)) throw exception(TIMEOUT_MESSAGE);
      throw e;
    } finally {
      leaveErrorRealm();
      currentContext = previousContext;
      runtime.end(exec);
    }
  }

  const driveAdvanced = createDriveAdvanced(runtime, docs);
  /** Advanced services the manifest enables (dependencies.enabledAdvancedServices); only Drive v3 is modelled. */
  function advancedServices(p: Project): Array<[string, unknown]> {
    const list = ((p.manifest.dependencies as { enabledAdvancedServices?: Array<{ userSymbol?: string; serviceId?: string; version?: string }> } | undefined)?.enabledAdvancedServices) ?? [];
    return list.filter((s) => s.serviceId === 'drive' && s.version === 'v3').map((s) => [s.userSymbol || 'Drive', driveAdvanced]);
  }

  const hasFunction = (name: string) => project !== null && project.functions.has(name);

  function eventString(v: unknown): string {
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    if (v instanceof Date) return displayValue(v, undefined, ssModel.timeZone);
    return String(v);
  }

  function runInstallable(type: TriggerType, event: Record<string, unknown>, actingUser: string): void {
    for (const t of [...triggers.triggers]) {
      if (t.type !== type) continue;
      try {
        execute(t.handler, [{ ...event, authMode: 'FULL', triggerUid: t.id, user: new User(runtime, actingUser) }], { kind: 'trigger', authMode: 'FULL', user: t.owner });
      } catch (e) {
        runtime.log(`[trigger ${t.handler}] ${(e as Error).message}`);
      }
    }
  }

  /**
   * Semantics V1.7: a script's JS local time (getHours, getDate, toString) is the manifest's
   * timeZone. The vm shares the host's Date, so the host process takes that zone (Node applies a
   * change of process.env.TZ at once). Everything in one test process then agrees with Apps Script.
   */
  function useScriptLocalTime(timeZone: string): void {
    if (timeZone && process.env.TZ !== timeZone) process.env.TZ = timeZone;
  }

  /** A user's edit: checks protection and validation, writes the cells, returns the onEdit event (S7.4). */
  function applyUserEdit(sheetName: string, a1: string, value: unknown, user: string): Record<string, unknown> {
    const sheet = ssModel.findSheet(sheetName);
    if (!sheet) throw new Error(`userEdit: no sheet named "${sheetName}"`);
    const range = runtime.direct(() => spreadsheet.sheetFacade(sheet).getRange(a1));
    const box = range.box();
    assertMayEdit(sheet, box, user, spreadsheet.directory); // S2.8: users cannot type into protected cells
    const single = box.numRows === 1 && box.numColumns === 1;
    const rule = sheet.validations.get(box.row - 1, box.column - 1);
    if (single && rule && !rule.allowInvalid) {
      const parsed = parseUserEntered(value, ssModel.timeZone, sheet.numberFormats.get(box.row - 1, box.column - 1));
      if (!accepts(rule, parsed.value)) throw exception(`The data you entered in cell ${range.getA1Notation()} violates the data validation rules set on this cell.`); // INF text
    }
    const old = single ? sheet.values.get(box.row - 1, box.column - 1) : undefined;
    runtime.direct(() => (Array.isArray(value) ? range.setValues(value as unknown[][]) : range.setValue(value)));
    const eventRange = new Range(spreadsheet, sheet, box.row, box.column, box.numRows, box.numColumns);
    Object.assign(eventRange, { rowStart: box.row, rowEnd: box.row + box.numRows - 1, columnStart: box.column, columnEnd: box.column + box.numColumns - 1 });
    const cleared = value === null || value === undefined || value === '';
    const event: Record<string, unknown> = { authMode: 'LIMITED', range: eventRange, source: spreadsheet, user: new User(runtime, runtime.simpleTriggerKnows(user) ? user : '') };
    if (single && !cleared) event.value = typeof value === 'string' && value.startsWith("'") ? value.slice(1) : eventString(value);
    if (single && old !== undefined) event.oldValue = eventString(old);
    return event;
  }

  function fireOnEdit(event: Record<string, unknown>, user: string): unknown {
    const result = hasFunction('onEdit') ? execute('onEdit', [event], { kind: 'simpleTrigger', authMode: 'LIMITED', user }) : undefined;
    runInstallable('ON_EDIT', event, user);
    return result;
  }

  const emu: Emulator = {
    spreadsheet: spreadsheet as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet,
    services,
    direct: (fn) => runtime.direct(fn),
    loadProject(distDir = path.join(REPO_ROOT, 'dist')) {
      project = loadProjectFromDir(distDir);
      runtime.scopes = new Set(project.manifest.oauthScopes ?? []);
      runtime.scriptTimeZone = project.manifest.timeZone ?? runtime.scriptTimeZone;
      useScriptLocalTime(runtime.scriptTimeZone);
    },
    loadSources(files) {
      project = loadProjectFromSources(files);
      runtime.scopes = new Set(project.manifest.oauthScopes ?? []);
      runtime.scriptTimeZone = project.manifest.timeZone ?? runtime.scriptTimeZone;
      useScriptLocalTime(runtime.scriptTimeZone);
    },
    run<T>(fnName: string, args: unknown[] = [], ctx: RunContext = {}): T {
      const user = ctx.user ?? users[0];
      return execute(fnName, args, { kind: ctx.kind ?? 'menu', authMode: ctx.authMode ?? 'FULL', user }) as T;
    },
    runCustomFunction(fnName, args, ctx = {}) {
      if (fnName.endsWith('_')) throw new Error(`${fnName} ends with "_": private functions cannot be custom functions (S9.1)`);
      return execute(fnName, args, { kind: 'customFunction', authMode: 'CUSTOM_FUNCTION', user: ctx.user ?? users[0] });
    },
    setTriggerHasDocument(has) {
      runtime.triggerHasDocument = has;
    },
    recalculateCustomFunctions(user = users[0]) {
      return customCells.recalculate({
        has: (name) => hasFunction(name) && !name.endsWith('_'),
        run: (name, args) => execute(name, args, { kind: 'customFunction', authMode: 'CUSTOM_FUNCTION', user }),
      });
    },
    customFunctionError(sheetName, a1) {
      const sheet = ssModel.findSheet(sheetName);
      const range = sheet && runtime.direct(() => spreadsheet.sheetFacade(sheet).getRange(a1));
      return sheet && range ? customCells.errorAt(sheet, range.box().row - 1, range.box().column - 1) : undefined;
    },
    runSimpleTrigger(name, authMode, event, user = users[0]) {
      if (!hasFunction(name)) return undefined;
      const e = event ?? defaultEvent(name, authMode);
      return execute(name, [e], { kind: 'simpleTrigger', authMode, user, missingOk: true });
    },
    userEdit(sheetName, a1, value, user = users[0]) {
      return fireOnEdit(applyUserEdit(sheetName, a1, value, user), user);
    },
    userEditBurst(edits, user = users[0]) {
      const events = edits.map((e) => applyUserEdit(e.sheet, e.a1, e.value, user));
      const kept = events.slice(0, 1 + ON_EDIT_QUEUE);
      for (const event of kept) fireOnEdit(event, user);
      return { ran: kept.length, dropped: events.length - kept.length };
    },
    async rpc(fnName, args = [], user = users[0]) {
      await Promise.resolve(); // google.script.run is asynchronous (H2.1)
      if (fnName.endsWith('_') || !hasFunction(fnName)) throw new TypeError(`google.script.run.${fnName} is not a function`); // H2.5 (client-side)
      const payload = toRpcPayload(args);
      let result: unknown;
      try {
        result = execute(fnName, [], { kind: 'rpc', authMode: 'FULL', user, argsIn: (ctx) => vm.runInContext(`JSON.parse(${JSON.stringify(payload)})`, ctx) as unknown[] });
      } catch (e) {
        const err = new Error((e as Error)?.message ?? String(e));
        err.name = (e as Error)?.name ?? 'Error';
        throw err; // H2.2: the failure handler gets an Error with the server message
      }
      return fromRpcResult(result);
    },
    simulate(clients, opts) {
      if (!project) throw new Error('No project loaded: call emu.loadProject() or emu.loadSources() first');
      const p = project;
      const runner = new ConcurrentRunner(runtime, locks, () => p.source, () => {
        const globals: Record<string, unknown> = { ...services, Logger: createLogger(runtime), console: createConsole(runtime) };
        for (const [symbol, service] of advancedServices(p)) globals[symbol] = service;
        return globals;
      }, (edit, user) => applyUserEdit(edit.sheet, edit.a1, edit.value, user));
      return runner.run(clients, opts);
    },
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms), set: (d) => clock.set(d) },
    fireDueTriggers(until) {
      const out: Array<{ handler: string; at: Date; result?: unknown; error?: string }> = [];
      for (let guard = 0; guard < 100000; guard++) {
        const t = triggers.nextDue(until.getTime());
        if (!t) break;
        const atMs = t.nextRunMs!;
        if (clock.nowMs() < atMs) clock.set(new Date(atMs));
        const event = timeDrivenEvent(atMs, t.id);
        triggers.advance(t);
        try {
          out.push({ handler: t.handler, at: new Date(atMs), result: execute(t.handler, [event], { kind: 'trigger', authMode: 'FULL', user: t.owner }) });
        } catch (e) {
          out.push({ handler: t.handler, at: new Date(atMs), error: (e as Error)?.message ?? String(e) });
        }
      }
      if (clock.nowMs() < until.getTime()) clock.set(until);
      return out;
    },
    calls: {
      get: (k) => runtime.counter.get(k),
      total: () => runtime.counter.total(),
      reset: () => runtime.counter.reset(),
      snapshot: () => runtime.counter.snapshot(),
      cellsWritten: () => runtime.counter.cellsWritten(),
    },
    modelledMs: () => runtime.counter.modelledMs(),
    faults: { inject: (m, o) => runtime.faults.inject(m, o), injectAtCall: (n, e) => runtime.faults.injectAtCall(n, e), clear: () => runtime.faults.clear() },
    mail: {
      outbox: mail.outbox,
      setRemaining: (n, user = users[0]) => mail.quota.set(user, n),
      remaining: (user = users[0]) => mail.quota.remaining(user),
    },
    docs: {
      get: (id) => { const d = docs.get(id); return d ? docs.info(d) : undefined; },
      all: () => docs.all().map((d) => docs.info(d)),
      create: (name, paragraphs, owner) => docs.add(name, paragraphs, owner),
      createRich: (name, spec, owner) => docs.addRich(name, spec, owner),
      share: (id, email, role) => {
        const item = docs.get(id) ?? docs.folders.get(id);
        if (!item) throw new Error(`docs.share: no document or folder ${id}`);
        docs.grant(item.acl, email.toLowerCase(), role);
      },
      withAppProperty: (key, value) => docs.all().filter((d) => d.appProperties?.[key] === value).map((d) => docs.info(d)),
      folders: () => [...docs.folders.values()].map((f) => ({ id: f.id, name: f.name, parents: [...f.parents], owner: f.acl.owner, editors: [...f.acl.editors], viewers: [...f.acl.viewers], trashed: f.trashed })),
    },
    triggers: {
      list: () => triggers.triggers.map((t) => ({ id: t.id, handler: t.handler, type: t.type, owner: t.owner, schedule: { ...t.schedule, timeZone: t.timeZone }, nextRun: t.nextRunMs === null ? null : new Date(t.nextRunMs) })),
    },
    ui: uiRecord,
    properties: {
      document: () => Object.fromEntries(props.document ?? []),
      script: () => Object.fromEntries(props.script),
      user: (email) => Object.fromEntries(props.user(email)),
    },
    lock: {
      holdDocumentLockElsewhere: (ms) => locks.holdElsewhere('document', ms),
      holdScriptLockElsewhere: (ms) => locks.holdElsewhere('script', ms),
      releaseElsewhere: () => locks.releaseElsewhere(),
      holds: () => [...locks.holds],
    },
    logs: runtime.logs,
  };

  function defaultEvent(name: string, authMode: string): Record<string, unknown> {
    const user = new User(runtime, '');
    if (name === 'onInstall') return { authMode };
    if (name === 'onSelectionChange') return { authMode, range: runtime.direct(() => spreadsheet.getActiveRange()), source: spreadsheet, user };
    return { authMode, source: spreadsheet, user };
  }

  return emu;
}

/** H2.3: legal parameters; undefined array elements become null; a copy reaches the server. */
function toRpcPayload(args: unknown[]): string {
  const seen = new Set<unknown>();
  const check = (v: unknown, where: string): void => {
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return;
    const illegal = () => new Error(`Failed due to illegal value in property: ${where}`); // INF text (client-side)
    if (typeof v !== 'object' || v instanceof Date) throw illegal();
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) throw illegal();
    if (seen.has(v)) throw illegal();
    seen.add(v);
    for (const [k, x] of Object.entries(v)) check(x, Array.isArray(v) ? k : k);
    seen.delete(v);
  };
  args.forEach((a, i) => check(a, String(i)));
  return JSON.stringify(args.map((a) => (a === undefined ? null : a)));
}

/** H2.4: a Date anywhere in the return value delivers null; functions are dropped. */
function fromRpcResult(result: unknown): unknown {
  if (result === undefined) return undefined;
  let hasDate = false;
  const walk = (v: unknown, seen: Set<unknown>): void => {
    if (v instanceof Date) hasDate = true;
    else if (v !== null && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      for (const x of Object.values(v)) walk(x, seen);
    }
  };
  walk(result, new Set());
  if (hasDate) return null;
  return JSON.parse(JSON.stringify(result) ?? 'null');
}

export { docUrl };
