/**
 * LockService (L1.x). Executions never overlap in the emulator, so contention comes from "another
 * process" a test declares (holdDocumentLockElsewhere). waitLock/tryLock do not sleep: the modelled
 * clock advances by the wait. Locks are released when the execution ends and when it suspends for
 * an alert or prompt (S6.3).
 */
import { exception } from '../runtime/errors';
import type { Execution, Runtime } from '../runtime/runtime';

export const LOCK_TIMEOUT_MESSAGE = 'Lock timeout: another process was holding the lock for too long.';

interface LockState {
  holder: Execution | 'host' | null;
  elsewhereUntil: number | null;
}

export class LockTable {
  private locks = new Map<string, LockState>();
  constructor(private readonly runtime: Runtime) {}

  state(key: string): LockState {
    let s = this.locks.get(key);
    if (!s) this.locks.set(key, (s = { holder: null, elsewhereUntil: null }));
    return s;
  }
  holdElsewhere(key: string, ms: number): void {
    this.state(key).elsewhereUntil = this.runtime.clock.nowMs() + ms;
  }
  releaseElsewhere(): void {
    for (const s of this.locks.values()) s.elsewhereUntil = null;
  }
  releaseAllHeldBy(exec: Execution): void {
    for (const s of this.locks.values()) if (s.holder === exec) s.holder = null;
  }

  service(hasContainer: boolean) {
    const runtime = this.runtime;
    const g = (m: string) => runtime.gate(`LockService.${m}`);
    const user = () => runtime.current?.effectiveUser || runtime.current?.user || runtime.owner;
    return {
      getScriptLock: () => { g('getScriptLock'); return new Lock(runtime, this, 'script'); },
      getUserLock: () => { g('getUserLock'); return new Lock(runtime, this, `user:${user()}`); },
      /** L1.1: null without a containing document. */
      getDocumentLock: () => { g('getDocumentLock'); return hasContainer && runtime.hasDocument() ? new Lock(runtime, this, 'document') : null; },
    };
  }
}

export class Lock {
  constructor(private readonly runtime: Runtime, private readonly table: LockTable, private readonly key: string) {}
  private me(): Execution | 'host' {
    return this.runtime.current ?? 'host';
  }
  private acquire(timeoutMs: number): boolean {
    const s = this.table.state(this.key);
    const me = this.me();
    if (s.holder === me) return true; // "no effect if the lock has already been acquired"
    const now = this.runtime.clock.nowMs();
    if (s.elsewhereUntil !== null && s.elsewhereUntil > now) {
      const wait = s.elsewhereUntil - now;
      const exec = this.runtime.current;
      if (wait > timeoutMs) {
        this.runtime.spend(exec, Math.max(0, timeoutMs));
        return false;
      }
      this.runtime.spend(exec, wait);
      s.elsewhereUntil = null;
    }
    s.holder = me;
    if (me !== 'host') me.onEnd.push(() => { if (s.holder === me) s.holder = null; });
    return true;
  }
  tryLock(timeoutInMillis: number): boolean {
    this.runtime.gate('LockService.Lock.tryLock');
    return this.acquire(Number(timeoutInMillis));
  }
  waitLock(timeoutInMillis: number): void {
    this.runtime.gate('LockService.Lock.waitLock');
    if (!this.acquire(Number(timeoutInMillis))) throw exception(LOCK_TIMEOUT_MESSAGE);
  }
  hasLock(): boolean {
    this.runtime.gate('LockService.Lock.hasLock');
    return this.table.state(this.key).holder === this.me();
  }
  releaseLock(): void {
    this.runtime.gate('LockService.Lock.releaseLock');
    const s = this.table.state(this.key);
    if (s.holder === this.me()) s.holder = null;
  }
}
