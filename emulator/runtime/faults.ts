/**
 * Injected failures: make the nth (or every) call of a method fail, either with an exception text
 * or with 'timeout' (the execution hits its time limit at that call).
 */
export interface FaultSpec {
  nth?: number;
  every?: boolean;
  error: string;
}

interface ArmedFault extends FaultSpec {
  seen: number;
}

export class FaultTable {
  private faults = new Map<string, ArmedFault[]>();
  /** A fault at the nth counted call of ANY method (a fault sweep walks every position). */
  private atCall: { n: number; error: string; seen: number } | null = null;

  /** Makes the nth service call from now (whatever its method) fail with `error` ('timeout': the time limit). */
  injectAtCall(n: number, error: string): void {
    if (!(n >= 1)) throw new Error('faults.injectAtCall needs n >= 1');
    this.atCall = { n, error, seen: 0 };
  }

  inject(method: string, spec: FaultSpec): void {
    if (!spec.every && !(spec.nth && spec.nth >= 1)) throw new Error('faults.inject needs nth >= 1 or every: true');
    const list = this.faults.get(method) ?? [];
    list.push({ ...spec, seen: 0 });
    this.faults.set(method, list);
  }
  clear(): void {
    this.faults.clear();
    this.atCall = null;
  }
  /** Called for each counted call; returns the error text to raise, or null. */
  check(key: string): string | null {
    let hit: string | null = null;
    if (this.atCall) {
      this.atCall.seen += 1;
      if (this.atCall.seen === this.atCall.n) hit = this.atCall.error;
    }
    const list = this.faults.get(key);
    if (!list) return hit;
    for (const f of list) {
      f.seen += 1;
      if (hit === null && (f.every || f.seen === f.nth)) hit = f.error;
    }
    return hit;
  }
}
