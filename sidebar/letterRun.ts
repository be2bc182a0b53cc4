/**
 * The sidebar's letter run: one start call, then several sendLetters loops at once (the server's
 * `parallel`, 4), each calling again with the runId until nothing is left to claim — Apps Script
 * runs the server calls of one page at the same time (rpc.ts), and each claims its letters under
 * the document lock. A loop whose call failed tries again (its letter is decided by a person
 * later). Progress is the furthest any response has got. Resuming a run skips the start call.
 */
import type { SendLettersResponse } from '../src/rpcTypes';

export type SendCall = (req: { runId: string | null }) => Promise<SendLettersResponse>;

export interface RunOptions {
  /** Continue this run (resume) instead of starting one. */
  runId?: string | null;
  onProgress?: (r: SendLettersResponse) => void;
  /** Checked before each new call: true stops the loops after the calls running now. */
  paused?: () => boolean;
  /** Loops when the server does not say (tests). */
  parallel?: number;
}

export async function runLetters(send: SendCall, opts: RunOptions = {}): Promise<SendLettersResponse> {
  let latest: SendLettersResponse | null = null;
  const seen = (r: SendLettersResponse): void => {
    if (!latest || r.sent + r.failed >= latest.sent + latest.failed || r.done || r.stoppedBecause !== null) latest = r;
    opts.onProgress?.(latest);
  };
  let runId = opts.runId ?? null;
  let parallel = opts.parallel ?? 4;
  if (!runId) {
    const start = await send({ runId: null });
    seen(start);
    runId = start.runId;
    parallel = start.parallel ?? parallel;
    if (start.done || start.stoppedBecause !== null) return start;
  }
  let stop: SendLettersResponse | null = null;
  let lastError: unknown = null;
  const loop = async (): Promise<void> => {
    let failures = 0;
    for (;;) {
      if (stop || opts.paused?.()) return;
      let r: SendLettersResponse;
      try {
        r = await send({ runId });
      } catch (err) {
        lastError = err;
        if (++failures > 3) return;
        continue;
      }
      failures = 0;
      seen(r);
      if (r.stoppedBecause !== null) stop = r;
      if (r.done || r.stoppedBecause !== null || r.remaining === 0) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, loop));
  // One last look once every loop has ended: the final count and message.
  if (stop) return stop;
  try {
    const final = await send({ runId });
    seen(final);
    return final;
  } catch (err) {
    if (latest) return latest;
    throw lastError ?? err;
  }
}
