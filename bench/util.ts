/** Timing helpers for benchmarks: warm up, then the median of N runs (ms). */
export function medianMs(fn: () => unknown, runs = 15, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function row(label: string, ...cols: (string | number)[]): void {
  console.log(`${label.padEnd(44)} ${cols.map((c) => String(c).padStart(14)).join(' ')}`);
}
