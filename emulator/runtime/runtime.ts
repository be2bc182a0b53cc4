/**
 * The execution model: who is running what, in which auth mode, and the single gate every service
 * call passes through (scope check → auth-mode check → fault injection → count → modelled clock →
 * time limit).
 */
import { AuthModeName, isAllowed } from './authModes';
import { ModelledClock } from './clock';
import { CallCounter } from './counter';
import { exception, TIMEOUT_MESSAGE } from './errors';
import { FaultTable } from './faults';
import { LatencyTable, latencyOf } from './latency';
import { isWriteMethod, missingScopeMessage, requirementOf } from './scopes';

export type ExecutionKind = 'menu' | 'rpc' | 'trigger' | 'simpleTrigger' | 'customFunction' | 'editor';

export interface Execution {
  kind: ExecutionKind;
  authMode: AuthModeName;
  /** The user at the keyboard (or the trigger's creator for installable triggers). */
  user: string;
  /** Session.getEffectiveUser(): the trigger creator for installable triggers (S8.1). */
  effectiveUser: string;
  startMs: number;
  limitMs: number;
  /** Set once the time limit is crossed: later calls fail too, and the run ends with the time-out. */
  timedOut: boolean;
  /** Cleanup at the end of the execution (lock release, L1.2). */
  onEnd: Array<() => void>;
}

export const EXECUTION_LIMIT_MS = 6 * 60 * 1000; // E0.5
export const SHORT_LIMIT_MS = 30 * 1000; // custom functions and simple triggers (E0.5, S7.2, S9.5)

export interface RuntimeConfig {
  clock: ModelledClock;
  latency: LatencyTable;
  account: 'consumer' | 'workspace';
  users: string[];
  spreadsheetTimeZone: string;
  /**
   * The Google Workspace domain of the script's developer (e.g. a container-bound script the
   * school's IT deployed from the school's own domain). U1.1: the user's email is withheld from a
   * simple trigger, but "these restrictions generally do not apply if the developer … belongs to the
   * same Google Workspace domain as the user" (https://developers.google.com/apps-script/reference/base/session#getActiveUser()).
   * Unset (the default): simple triggers never see who edited.
   */
  developerDomain?: string;
}

export class Runtime {
  readonly counter = new CallCounter();
  readonly faults = new FaultTable();
  readonly logs: string[] = [];
  /** Scopes from the loaded appsscript.json; null = no project loaded (no scope checks). */
  scopes: Set<string> | null = null;
  scriptTimeZone = 'Europe/London';
  /**
   * Whether a time-driven or other installable trigger execution sees the containing document.
   * Google does not document it for an add-on's time-driven triggers (engineering §1.4; issue 13):
   * tests run both ways. false → getActiveSpreadsheet(), getDocumentProperties(), getDocumentLock()
   * and getDocumentCache() give null inside trigger executions (openById still works).
   */
  triggerHasDocument = true;
  /** Does the current execution have its container document? */
  hasDocument(): boolean {
    return !(this.current?.kind === 'trigger' && !this.triggerHasDocument);
  }
  private stack: Execution[] = [];
  /** Executions running at the same time (concurrent.ts); empty in ordinary, one-at-a-time runs. */
  readonly live = new Set<Execution>();
  private directDepth = 0;

  constructor(readonly config: RuntimeConfig) {}

  get clock(): ModelledClock {
    return this.config.clock;
  }
  get owner(): string {
    return this.config.users[0];
  }

  /** U1.1: may a simple trigger see this user's email? Only a Workspace user of the developer's domain. */
  simpleTriggerKnows(email: string): boolean {
    const domain = (this.config.developerDomain ?? '').trim().toLowerCase();
    return this.config.account === 'workspace' && domain !== '' && email.toLowerCase().endsWith(`@${domain}`);
  }

  /** The running execution, or null for host-side (test setup / inspection) access. */
  get current(): Execution | null {
    if (this.directDepth > 0) return null;
    return this.stack.length > 0 ? this.stack[this.stack.length - 1] : null;
  }

  direct<T>(fn: () => T): T {
    this.directDepth += 1;
    try {
      return fn();
    } finally {
      this.directDepth -= 1;
    }
  }

  begin(e: Omit<Execution, 'startMs' | 'timedOut' | 'onEnd'>): Execution {
    const exec: Execution = { ...e, startMs: this.clock.nowMs(), timedOut: false, onEnd: [] };
    this.stack.push(exec);
    return exec;
  }

  /** A concurrent execution: not on the stack; made current only while one of its calls is served. */
  startConcurrent(e: Omit<Execution, 'startMs' | 'timedOut' | 'onEnd'>): Execution {
    const exec: Execution = { ...e, startMs: this.clock.nowMs(), timedOut: false, onEnd: [] };
    this.live.add(exec);
    return exec;
  }
  serve<T>(exec: Execution, fn: () => T): T {
    this.stack.push(exec);
    try {
      return fn();
    } finally {
      const i = this.stack.lastIndexOf(exec);
      if (i >= 0) this.stack.splice(i, 1);
    }
  }
  endConcurrent(exec: Execution): void {
    this.stack.push(exec);
    try {
      for (const fn of exec.onEnd.splice(0)) fn();
    } finally {
      this.stack.splice(this.stack.lastIndexOf(exec), 1);
      this.live.delete(exec);
    }
  }

  end(exec: Execution): void {
    const i = this.stack.lastIndexOf(exec);
    if (i >= 0) this.stack.splice(i, 1);
    for (const fn of exec.onEnd.splice(0)) fn();
  }

  /**
   * Every service call goes through here. Host access (no execution, or inside direct()) is not
   * counted and skips all checks.
   */
  gate(key: string, cells = 1): void {
    const exec = this.current;
    if (!exec) return;
    if (exec.timedOut) throw exception(TIMEOUT_MESSAGE);
    const req = requirementOf(key);
    if (this.scopes && req.scopes.length > 0 && !req.scopes.some((s) => this.scopes!.has(s))) {
      throw exception(missingScopeMessage(key, req.scopes));
    }
    const method = key.slice(key.lastIndexOf('.') + 1);
    if (exec.authMode === 'CUSTOM_FUNCTION' && req.access === 'container' && isWriteMethod(method)) {
      throw exception(`You do not have permission to call ${method}`); // S9.6 (RPT; INF exact form)
    }
    if (!isAllowed(exec.authMode, req.access)) {
      const required = req.scopes.length > 0 ? `. Required permissions: ${req.scopes.length === 1 ? req.scopes[0] : `(${req.scopes.join(' || ')})`}` : '';
      throw exception(`You do not have permission to call ${key}${required}`);
    }
    const fault = this.faults.check(key);
    const cost = latencyOf(this.config.latency, key, cells);
    this.counter.record(key, cost, cells);
    if (fault === 'timeout') this.timeOut(exec);
    if (fault !== null) throw exception(fault);
    this.spend(exec, cost);
  }

  /** Advances the modelled clock inside an execution (latency, Utilities.sleep, lock waits). */
  spend(exec: Execution | null, ms: number): void {
    this.clock.advance(ms);
    if (exec && this.clock.nowMs() - exec.startMs > exec.limitMs) this.timeOut(exec);
  }

  /** The time limit: by then the execution's whole allowance has passed on the modelled clock too. */
  private timeOut(exec: Execution): never {
    exec.timedOut = true;
    const end = exec.startMs + exec.limitMs;
    if (this.clock.nowMs() < end) this.clock.set(new Date(end));
    throw exception(TIMEOUT_MESSAGE);
  }

  log(line: string): void {
    this.logs.push(line);
  }
}
