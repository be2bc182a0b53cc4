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

  inject(method: string, spec: FaultSpec): void {
    if (!spec.every && !(spec.nth && spec.nth >= 1)) throw new Error('faults.inject needs nth >= 1 or every: true');
    const list = this.faults.get(method) ?? [];
    list.push({ ...spec, seen: 0 });
    this.faults.set(method, list);
  }
  clear(): void {
    this.faults.clear();
  }
  /** Called for each counted call; returns the error text to raise, or null. */
  check(key: string): string | null {
    const list = this.faults.get(key);
    if (!list) return null;
    let hit: string | null = null;
    for (const f of list) {
      f.seen += 1;
      if (hit === null && (f.every || f.seen === f.nth)) hit = f.error;
    }
    return hit;
  }
}
