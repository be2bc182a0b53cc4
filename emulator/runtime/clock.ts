/** The modelled clock: executions advance it by the latency of their service calls. */
export class ModelledClock {
  private ms: number;
  constructor(start: Date) {
    this.ms = start.getTime();
  }
  nowMs(): number {
    return this.ms;
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`clock.advance needs a non-negative number, got ${ms}`);
    this.ms += ms;
  }
  set(d: Date): void {
    this.ms = d.getTime();
  }
}
