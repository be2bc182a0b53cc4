/** Counts service calls made by executions, keyed 'Service.Class.method' (or 'Service.method'). */
export class CallCounter {
  private counts = new Map<string, number>();
  private ms = 0;
  /** Cells touched per key (the range's size for Range methods; 1 for others). */
  private cellCounts = new Map<string, number>();

  record(key: string, costMs: number, cells = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.cellCounts.set(key, (this.cellCounts.get(key) ?? 0) + cells);
    this.ms += costMs;
  }
  /** Cells whose VALUES were written (setValue(s), setFormula(s)) since the last reset. */
  cellsWritten(): number {
    let n = 0;
    for (const [k, v] of this.cellCounts) if (/^SpreadsheetApp\.Range\.(setValues?|setFormulas?)$/.test(k)) n += v;
    return n;
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
    this.cellCounts.clear();
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
