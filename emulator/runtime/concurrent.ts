/**
 * Concurrent executions, interleaved at service calls (issue 13: "concurrent executions
 * interleaving at service calls"). Apps Script runs several executions of one project at once —
 * google.script.run calls from a sidebar are not queued, and two people can press a button at the
 * same moment ("Simultaneous executions per user: 30" on the quotas page,
 * https://developers.google.com/apps-script/guides/services/quotas) — so shared state (a sheet, the
 * document lock, the mail quota) sees their calls interleaved.
 *
 * Model: each execution's project code runs in its own worker thread (concurrentWorker.js); its
 * service calls are served here, one at a time, against the one emulator state. A discrete-event
 * scheduler gives every execution its own modelled time line: the call served next is the pending
 * call that starts earliest (ties: the lower client, or a seeded random order), the global clock is
 * set to that instant, and the call's latency moves that execution on. So the modelled wall time of
 * a run is the time its last execution ends, and calls of different executions overlap as they
 * would. A call's effect happens at once, when it is served (at its start).
 *
 * LockService: waitLock/tryLock on a lock another live execution holds waits — the execution is
 * parked until the lock is released (it then goes on at the release time) or its timeout passes
 * (it then gets the timeout). Execution time limits and injected faults apply per execution as in
 * ordinary runs.
 *
 * Clients model the people at the sidebars: each issues its calls one after another, choosing the
 * next from the previous result (a sidebar looping sendLetters until done).
 */
import path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { TIMEOUT_MESSAGE } from './errors';
import type { Execution, ExecutionKind, Runtime } from './runtime';
import { EXECUTION_LIMIT_MS, SHORT_LIMIT_MS } from './runtime';
import type { LockTable } from '../stores/lock';
import { Lock } from '../stores/lock';

export interface ClientCall {
  fn: string;
  args?: unknown[];
  /**
   * A person's edit in the grid (fn must be 'onEdit'): the value lands in the cells when the
   * execution starts (validation and protection checked as in emu.userEdit), then the simple trigger
   * onEdit(e) runs as its own execution (LIMITED, 30 s: S7.2) with the event built from the edit.
   */
  edit?: { sheet: string; a1: string; value: unknown };
}
export interface ClientOutcome {
  result?: unknown;
  error?: string;
  startMs: number;
  endMs: number;
}
/** One person (or one parallel loop of a sidebar): calls made one after another. */
export interface ClientScript {
  user: string;
  /** Modelled delay before the first call, after the simulation starts (ms). */
  startAfterMs?: number;
  /** Modelled time between a call's end and the next call (the round trip to the browser). Default 0. */
  gapMs?: number;
  kind?: ExecutionKind;
  /**
   * The next call, from the previous one's outcome (null for the first); null ends this client;
   * 'wait' asks again when another execution ends (e.g. a loop waiting for a run to be started).
   */
  next(previous: ClientOutcome | null): ClientCall | null | 'wait';
}
export interface SimulatedExecution extends ClientOutcome {
  client: number;
  fn: string;
  user: string;
}
export interface SimulationResult {
  /** From the simulation's start to the end of the last execution (modelled ms). */
  wallMs: number;
  executions: SimulatedExecution[];
}
export interface SimulationOptions {
  /** Tie-break among calls due at the same instant: a seed gives a reproducible random order. */
  seed?: number;
  /**
   * Called after every service call is served (host side: it may read the state with emu.direct):
   * which client's execution made it, the object's class and the member called, the modelled instant.
   */
  observe?: (call: ServedCall) => void;
}
export interface ServedCall {
  client: number;
  fn: string;
  /** The class of the object called (Range, Sheet, Lock, …). */
  target: string;
  /** The member read or called. */
  member: string;
  /** 'call': a method call (what Google counts); 'get': a property read (a method looked up, an enum). */
  op: 'call' | 'get';
  atMs: number;
  /** True when the call threw (its error is the execution's to handle). */
  failed: boolean;
}
/** Turns a person's edit into its onEdit event (host side, at the edit's instant). */
export type EditApplier = (edit: { sheet: string; a1: string; value: unknown }, user: string) => Record<string, unknown>;

interface Live {
  client: number;
  fn: string;
  user: string;
  exec: Execution;
  worker: Worker;
  port: MessagePort;
  state: Int32Array;
  /** When this execution's next call starts (its own time line). */
  localMs: number;
  startMs: number;
  pending: { op: string; h?: number; prop?: string; args?: unknown; result?: string; error?: { name: string; message: string } } | null;
  blocked: { key: string; deadline: number } | null;
  /** Requests answered so far (a diagnosis: 0 means the worker never started running the project). */
  served: number;
}

const WORKER = path.join(__dirname, 'concurrentWorker.js');

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class ConcurrentRunner {
  private handles = new Map<number, unknown>();
  private handleIds = new Map<unknown, number>();
  private nextHandle = 1;

  constructor(
    private readonly runtime: Runtime,
    private readonly locks: LockTable,
    private readonly source: () => string,
    private readonly globals: () => Record<string, unknown>,
    private readonly applyEdit?: EditApplier,
  ) {}

  private handle(v: unknown): number {
    let id = this.handleIds.get(v);
    if (id === undefined) {
      id = this.nextHandle++;
      this.handleIds.set(v, id);
      this.handles.set(id, v);
    }
    return id;
  }

  /** Data crosses as a structured clone; service objects as handles. */
  private out(v: unknown): unknown {
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (v instanceof Date) return v;
    if (Array.isArray(v)) return v.map((x) => this.out(x));
    if (typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      const plain = proto === Object.prototype || proto === null;
      if (plain && Object.values(v as object).every((x) => typeof x !== 'function')) {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as object)) o[k] = this.out(x);
        return o;
      }
    }
    return { __h: this.handle(v) };
  }
  private in(v: unknown): unknown {
    if (v === null || typeof v !== 'object') return v;
    // Messages are rebuilt in Node's own realm, which may not be this module's (jest runs modules
    // in a context of their own): a Date is made again here so `instanceof Date` holds.
    if (Object.prototype.toString.call(v) === '[object Date]') return new Date((v as Date).getTime());
    if (Array.isArray(v)) return v.map((x) => this.in(x));
    const o = v as Record<string, unknown>;
    if (typeof o.__h === 'number') return this.handles.get(o.__h);
    const r: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) r[k] = this.in(x);
    return r;
  }

  private waitForMessage(l: Live): void {
    // Real time: a worker that died never answers. Generous: on a loaded machine (the test suite, other
    // jobs) compiling the bundle in a fresh context and the first evaluation of 1,000 pupils can take minutes.
    const giveUp = Date.now() + (Number(process.env.EMU_WORKER_GIVE_UP_MS) || 900_000);
    for (;;) {
      const s = Atomics.load(l.state, 0);
      if (s === 1 || s === 3) break;
      if (Atomics.wait(l.state, 0, s, 10_000) === 'timed-out' && Date.now() > giveUp) {
        const where = l.served === 0 ? 'before its first service call (the worker thread did not start or died while loading the project)' : `after ${l.served} answered requests, the last ${l.pending?.op ?? '?'} ${l.pending?.prop ?? ''}`;
        throw new Error(`concurrent emulator: the execution of ${l.fn} stopped answering ${where}, state ${Atomics.load(l.state, 0)}`);
      }
    }
    const m = receiveMessageOnPort(l.port);
    if (!m) throw new Error('concurrent emulator: the worker signalled without a message');
    l.pending = m.message as Live['pending'];
  }

  private reply(l: Live, msg: Record<string, unknown>): void {
    l.served++;
    l.port.postMessage({ ...msg, now: this.runtime.clock.nowMs() });
    Atomics.store(l.state, 0, 2);
    Atomics.notify(l.state, 0);
    this.waitForMessage(l);
  }

  private start(client: number, call: ClientCall, user: string, kind: ExecutionKind, atMs: number): Live {
    this.runtime.clock.set(new Date(atMs));
    // A person's edit lands in the grid first; its onEdit is a simple trigger (LIMITED, 30 s, S7.2).
    let args: unknown[] | null = null;
    if (call.edit) {
      if (!this.applyEdit) throw new Error('concurrent emulator: this runner cannot apply edits');
      args = [this.applyEdit(call.edit, user)];
      kind = 'simpleTrigger';
    }
    const short = kind === 'simpleTrigger' || kind === 'customFunction';
    const exec = this.runtime.startConcurrent({ kind, authMode: kind === 'simpleTrigger' ? 'LIMITED' : 'FULL', user, effectiveUser: user, limitMs: short ? SHORT_LIMIT_MS : EXECUTION_LIMIT_MS });
    const roots: Record<string, number> = {};
    for (const [name, service] of Object.entries(this.globals())) roots[name] = this.handle(service);
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const worker = new Worker(WORKER, {
      workerData: {
        port: port2, signal, source: this.source(), fnName: call.fn, roots, startMs: atMs,
        // JSON arguments (an RPC's), or service objects as handles (an edit's event: its Range, its source)
        ...(args ? { argsEncoded: this.out(args) } : { argsJson: JSON.stringify((call.args ?? []).map((a) => (a === undefined ? null : a))) }),
      },
      transferList: [port2],
    });
    const l: Live = { client, fn: call.fn, user, exec, worker, port: port1, state: new Int32Array(signal), localMs: atMs, startMs: atMs, pending: null, blocked: null, served: 0 };
    this.waitForMessage(l);
    return l;
  }

  /** Serves the pending request of `l` at its local time; returns true when the execution finished. */
  private serve(l: Live, observe?: (call: ServedCall) => void): boolean {
    const req = l.pending!;
    if (req.op === 'done') return true;
    this.runtime.clock.set(new Date(l.localMs));
    const target = this.handles.get(req.h!) as Record<string, unknown>;
    let msg: Record<string, unknown>;
    try {
      msg = this.runtime.serve(l.exec, () => {
        if (req.op === 'get') {
          const v = target[req.prop!];
          return typeof v === 'function' ? { fn: true } : { value: this.out(v) };
        }
        if (req.op === 'has') return { value: req.prop! in (target as object) };
        const fn = target[req.prop!] as (...a: unknown[]) => unknown;
        if (typeof fn !== 'function') throw new TypeError(`${String(req.prop)} is not a function`);
        return { value: this.out(fn.apply(target, this.in(req.args) as unknown[])) };
      });
    } catch (e) {
      msg = { error: { name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) } };
    }
    l.localMs = this.runtime.clock.nowMs();
    if (observe && req.op !== 'has') {
      const name = (target as object | undefined)?.constructor?.name;
      observe({ client: l.client, fn: l.fn, target: name && name !== 'Object' ? name : 'service', member: String(req.prop), op: req.op === 'call' ? 'call' : 'get', atMs: l.localMs, failed: 'error' in msg });
    }
    this.reply(l, msg);
    return l.pending!.op === 'done';
  }

  private lockWanted(l: Live): Lock | null {
    const req = l.pending;
    if (!req || req.op !== 'call' || (req.prop !== 'waitLock' && req.prop !== 'tryLock')) return null;
    const target = this.handles.get(req.h!);
    return target instanceof Lock ? target : null;
  }

  run(clients: readonly ClientScript[], opts: SimulationOptions = {}): SimulationResult {
    const t0 = this.runtime.clock.nowMs();
    const random = opts.seed === undefined ? null : seeded(opts.seed);
    const executions: SimulatedExecution[] = [];
    const live = new Map<number, Live>();
    const nextStart = new Map<number, { call: ClientCall; at: number }>();
    const waiting = new Map<number, ClientOutcome | null>();
    const freedAt = new Map<string, number>();
    clients.forEach((c, i) => {
      const call = c.next(null);
      if (call === 'wait') waiting.set(i, null);
      else if (call) nextStart.set(i, { call, at: t0 + (c.startAfterMs ?? 0) });
    });
    let end = t0;
    try {
      for (;;) {
        // every event: a client's next call starting, or a live execution's next service call
        const events: Array<{ at: number; client: number; kind: 'start' | 'call' }> = [];
        for (const [i, s] of nextStart) events.push({ at: s.at, client: i, kind: 'start' });
        const holders = this.locks.holders();
        for (const [i, l] of live) {
          const lock = this.lockWanted(l);
          const holder = lock ? holders.get(lock.key) ?? null : null;
          const heldByOther = holder !== null && holder !== 'host' && holder !== l.exec && this.runtime.live.has(holder);
          if (lock && heldByOther) {
            if (!l.blocked) {
              const timeout = Number((this.in(l.pending!.args) as unknown[])[0]);
              l.blocked = { key: lock.key, deadline: l.localMs + (Number.isFinite(timeout) ? Math.max(0, timeout) : 0) };
            }
            events.push({ at: l.blocked.deadline, client: i, kind: 'call' });
          } else if (l.blocked) {
            events.push({ at: Math.max(l.localMs, freedAt.get(l.blocked.key) ?? l.localMs), client: i, kind: 'call' });
          } else {
            events.push({ at: l.localMs, client: i, kind: 'call' });
          }
        }
        if (events.length === 0) break;
        const soonest = Math.min(...events.map((e) => e.at));
        const due = events.filter((e) => e.at === soonest);
        const ev = random ? due[Math.floor(random() * due.length)] : due.sort((a, b) => a.client - b.client)[0];
        if (ev.kind === 'start') {
          const s = nextStart.get(ev.client)!;
          nextStart.delete(ev.client);
          const c = clients[ev.client];
          live.set(ev.client, this.start(ev.client, s.call, c.user, c.kind ?? 'rpc', s.at));
          continue;
        }
        const l = live.get(ev.client)!;
        if (l.blocked) {
          l.localMs = Math.max(l.localMs, ev.at); // the wait, spent holding nothing
          l.blocked = null;
        }
        const before = this.locks.holders();
        const finished = this.serve(l, opts.observe);
        for (const [k, h] of this.locks.holders()) if (h === null && before.get(k) !== null && before.get(k) !== undefined) freedAt.set(k, l.localMs);
        if (!finished) continue;
        // the execution ended: its end-of-execution work (lock release, saving documents), then the client's next call
        this.runtime.clock.set(new Date(l.localMs));
        const heldBefore = this.locks.holders();
        this.runtime.endConcurrent(l.exec);
        for (const [k, h] of this.locks.holders()) if (h === null && heldBefore.get(k) === l.exec) freedAt.set(k, l.localMs);
        void l.worker.terminate();
        l.port.close();
        live.delete(ev.client);
        const done = l.pending!;
        const timedOut = l.exec.timedOut;
        const outcome: ClientOutcome = timedOut
          ? { error: TIMEOUT_MESSAGE, startMs: l.startMs - t0, endMs: l.localMs - t0 }
          : done.error
            ? { error: done.error.message, startMs: l.startMs - t0, endMs: l.localMs - t0 }
            : { result: done.result === undefined ? undefined : JSON.parse(done.result), startMs: l.startMs - t0, endMs: l.localMs - t0 };
        executions.push({ ...outcome, client: l.client, fn: l.fn, user: l.user });
        end = Math.max(end, l.localMs);
        const c = clients[ev.client];
        const next = c.next(outcome);
        if (next === 'wait') waiting.set(ev.client, outcome);
        else if (next) nextStart.set(ev.client, { call: next, at: l.localMs + (c.gapMs ?? 0) });
        for (const [i, prev] of [...waiting]) {
          const again = clients[i].next(prev);
          if (again === 'wait') continue;
          waiting.delete(i);
          if (again) nextStart.set(i, { call: again, at: l.localMs + (clients[i].gapMs ?? 0) });
        }
      }
    } finally {
      for (const l of live.values()) {
        void l.worker.terminate();
        this.runtime.live.delete(l.exec);
      }
      this.runtime.clock.set(new Date(Math.max(end, this.runtime.clock.nowMs())));
    }
    return { wallMs: end - t0, executions };
  }
}

