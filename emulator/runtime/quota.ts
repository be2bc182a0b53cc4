/** A per-user daily quota that refills 24 h after the first use of the window (E0.5, modelled clock). */
const DAY_MS = 24 * 60 * 60 * 1000;

export class DailyQuota {
  private windows = new Map<string, { start: number; remaining: number }>();
  constructor(private readonly limit: number, private readonly nowMs: () => number) {}

  private window(user: string): { start: number; remaining: number } {
    const now = this.nowMs();
    let w = this.windows.get(user);
    if (!w || now >= w.start + DAY_MS) {
      w = { start: now, remaining: this.limit };
      this.windows.set(user, w);
    }
    return w;
  }
  remaining(user: string): number {
    return this.window(user).remaining;
  }
  take(user: string, n: number): boolean {
    const w = this.window(user);
    if (w.remaining < n) return false;
    w.remaining -= n;
    return true;
  }
  set(user: string, n: number): void {
    this.window(user).remaining = n;
  }
}
