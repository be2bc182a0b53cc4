/** The sidebar's letter run: a start call, then parallel sendLetters loops; resume skips the start. */
import { runLetters } from '../../sidebar/letterRun';
import type { SendLettersResponse } from '../../src/rpcTypes';

function fakeServer(total: number, perCall: number) {
  let left = total;
  let sent = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const calls: Array<string | null> = [];
  const resp = (runId: string, extra: Partial<SendLettersResponse> = {}): SendLettersResponse => ({
    runId, sent, failed: 0, remaining: left, total, done: left === 0, stoppedBecause: null, message: '', parallel: 3, ...extra,
  });
  const send = async (req: { runId: string | null }): Promise<SendLettersResponse> => {
    calls.push(req.runId);
    if (req.runId === null) return resp('run-1');
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    const n = Math.min(perCall, left);
    left -= n;
    sent += n;
    inFlight--;
    return resp(req.runId);
  };
  return { send, calls, max: () => maxInFlight };
}

describe('runLetters', () => {
  test('starts the run, then runs the server\'s number of loops at once until nothing is left', async () => {
    const s = fakeServer(100, 7);
    const progress: number[] = [];
    const last = await runLetters(s.send, { onProgress: (r) => progress.push(r.sent) });
    expect(s.calls[0]).toBeNull();
    expect(s.calls.slice(1).every((c) => c === 'run-1')).toBe(true);
    expect(s.max()).toBe(3);
    expect(last).toMatchObject({ done: true, sent: 100, remaining: 0 });
    expect(progress[progress.length - 1]).toBe(100);
  });
  test('resume continues the given run without a start call', async () => {
    const s = fakeServer(20, 5);
    await runLetters(s.send, { runId: 'run-9' });
    expect(s.calls.includes(null)).toBe(false);
    expect(s.calls.every((c) => c === 'run-9')).toBe(true);
  });
  test('a quota stop ends every loop and is what the run returns', async () => {
    let n = 0;
    const send = async (req: { runId: string | null }): Promise<SendLettersResponse> => {
      n++;
      const base = { runId: 'r', sent: n, failed: 0, remaining: 10, total: 50, done: false, message: 'x', parallel: 2 };
      if (req.runId === null) return { ...base, stoppedBecause: null };
      return { ...base, stoppedBecause: n >= 4 ? 'quota' : null, message: n >= 4 ? 'Daily email quota reached' : 'x' };
    };
    const last = await runLetters(send);
    expect(last.stoppedBecause).toBe('quota');
    expect(n).toBeLessThan(8);
  });
  test('a failed call is tried again; the run still finishes', async () => {
    const s = fakeServer(30, 10);
    let failedOnce = false;
    const flaky = async (req: { runId: string | null }) => {
      if (req.runId && !failedOnce) {
        failedOnce = true;
        throw new Error('Exceeded maximum execution time');
      }
      return s.send(req);
    };
    const last = await runLetters(flaky);
    expect(last).toMatchObject({ done: true, sent: 30 });
  });
});
