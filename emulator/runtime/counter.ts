/** Counts service calls made by executions, keyed 'Service.Class.method' (or 'Service.method'). */
export class CallCounter {
  private counts = new Map<string, number>();
  private ms = 0;

  record(key: string, costMs: number): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.ms += costMs;
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
  reset(): void {
    this.counts.clear();
    this.ms = 0;
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
  /** Sum of modelled latency of the calls counted since the last reset. */
  modelledMs(): number {
    return this.ms;
  }
}
