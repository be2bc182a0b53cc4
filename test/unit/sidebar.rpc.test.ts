/**
 * The sidebar's RPC client (sidebar/rpc.ts) against a fake google.script.run that behaves as
 * apps-script-semantics.md H2.1–H2.5 says: asynchronous, each with* returns a NEW runner, the
 * failure handler gets an Error carrying the server's message, arguments are copied.
 */
import { call, friendlyMessage } from '../../sidebar/rpc';

type Handler = ((value: unknown) => void) | undefined;
type ServerFn = (...args: unknown[]) => unknown;

interface FakeRunner {
  withSuccessHandler(fn: Handler): FakeRunner;
  withFailureHandler(fn: Handler): FakeRunner;
  [name: string]: unknown;
}

/** Installs globalThis.google with the given server functions; returns a log of what the server saw. */
function installFake(server: Record<string, ServerFn>) {
  const received: { name: string; args: unknown[] }[] = [];
  const runners: { ok: Handler; fail: Handler }[] = [];
  function runner(ok: Handler, fail: Handler): FakeRunner {
    runners.push({ ok, fail });
    const r: FakeRunner = {
      withSuccessHandler: (fn) => runner(fn, fail),
      withFailureHandler: (fn) => runner(ok, fn),
    };
    for (const name of Object.keys(server)) {
      if (name.endsWith('_')) continue; // private functions are not exposed (H2.5)
      r[name] = (...args: unknown[]) => {
        const copied = JSON.parse(JSON.stringify(args)) as unknown[];
        received.push({ name, args: copied });
        // Asynchronous: the call returns undefined at once; handlers run later (H2.1).
        setImmediate(() => {
          try {
            const value = server[name](...copied);
            if (ok) ok(value === undefined ? null : JSON.parse(JSON.stringify(value)));
          } catch (err) {
            if (fail) fail(new Error((err as Error).message));
            else received.push({ name: `${name}:unhandled`, args: [(err as Error).message] });
          }
        });
        return undefined;
      };
    }
    return r;
  }
  const base = runner(undefined, undefined);
  (globalThis as Record<string, unknown>).google = { script: { run: base } };
  return { received, runners, base };
}

afterEach(() => {
  delete (globalThis as Record<string, unknown>).google;
});

describe('call()', () => {
  test('resolves with the server function’s return value and sends the one request object', async () => {
    const { received } = installFake({
      getStudent: (req) => ({ studentId: (req as { studentId: string }).studentId, name: 'Amira Khan' }),
    });
    const student = await call('getStudent', { studentId: 'S1' });
    expect(student).toEqual({ studentId: 'S1', name: 'Amira Khan' });
    expect(received).toEqual([{ name: 'getStudent', args: [{ studentId: 'S1' }] }]);
  });

  test('a function without a request is called with no arguments', async () => {
    const { received } = installFake({ getSelectedStudent: () => null });
    await expect(call('getSelectedStudent')).resolves.toBeNull();
    expect(received[0].args).toEqual([]);
  });

  test.each([
    ['Lock timeout: another process was holding the lock for too long.', 'Someone else is updating the tracker right now. Please try again in a moment.'],
    ['Exception: Lock timeout: another process was holding the lock for too long.', 'Someone else is updating the tracker right now. Please try again in a moment.'],
    ['Service invoked too many times for one day: email.', 'The daily email quota is used up; the rest will wait until tomorrow.'],
    ['Exceeded maximum execution time', 'That took too long and was stopped. What was finished is saved; please try again to continue.'],
    ['Row 12 of Settings: "abc" is not a number.', 'Row 12 of Settings: "abc" is not a number.'],
    ['Exception: You can only see students in your own tutor group.', 'You can only see students in your own tutor group.'],
  ])('a server failure "%s" rejects with plain words', async (serverMessage, shown) => {
    installFake({ recalculate: () => { throw new Error(serverMessage); } });
    const error = await call('recalculate').then(() => null, (e: unknown) => e as Error & { cause?: unknown; rpc?: string });
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toBe(shown);
    expect((error!.cause as Error).message).toBe(serverMessage);
    expect(error!.rpc).toBe('recalculate');
  });

  test('handlers do not leak between calls: concurrent calls each get their own result', async () => {
    let n = 0;
    const { base, runners } = installFake({
      searchStudents: (req) => [{ name: (req as { query: string }).query, n: ++n }],
      logContact: () => { throw new Error('Student S9 is not in the tracker.'); },
    });
    const [a, b, c] = await Promise.allSettled([
      call('searchStudents', { query: 'amira' }),
      call('logContact', { studentId: 'S9', method: 'Phone call', outcome: 'No answer', nextAction: '', notes: '' }),
      call('searchStudents', { query: 'tom' }),
    ]);
    expect(a).toEqual({ status: 'fulfilled', value: [{ name: 'amira', n: 1 }] });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'Student S9 is not in the tracker.' } });
    expect(c).toEqual({ status: 'fulfilled', value: [{ name: 'tom', n: 2 }] });
    // The shared google.script.run itself never got handlers attached.
    expect(runners[0]).toEqual({ ok: undefined, fail: undefined });
    expect(base.withSuccessHandler).toBeInstanceOf(Function);
  });

  test('a failure after a success on the same page still goes to the right promise', async () => {
    let fail = false;
    installFake({ getTodayCalls: () => { if (fail) throw new Error('boom'); return { date: '2025-03-14', students: [] }; } });
    await expect(call('getTodayCalls')).resolves.toEqual({ date: '2025-03-14', students: [] });
    fail = true;
    await expect(call('getTodayCalls')).rejects.toThrow('boom');
    fail = false;
    await expect(call('getTodayCalls')).resolves.toEqual({ date: '2025-03-14', students: [] });
  });

  test('a function the server does not expose rejects instead of throwing synchronously', async () => {
    installFake({});
    await expect(call('getBootstrap')).rejects.toThrow('The server has no function "getBootstrap"');
  });

  test('outside Apps Script (no google.script.run) it rejects with a plain message', async () => {
    await expect(call('getBootstrap')).rejects.toThrow(/not connected to the spreadsheet/);
  });
});

describe('friendlyMessage()', () => {
  test('empty or missing messages get a generic sentence', () => {
    expect(friendlyMessage(new Error(''))).toBe('Something went wrong. Please try again.');
    expect(friendlyMessage(undefined)).toBe('Something went wrong. Please try again.');
  });
  test('GmailApp quota wording is recognised too', () => {
    expect(friendlyMessage('Service invoked too many times for one day: gmail.')).toMatch(/daily email quota/);
  });
  test('authorisation and network failures are explained', () => {
    expect(friendlyMessage('Authorization is required to perform that action. Please run the script again to authorize it.')).toMatch(/permission/);
    expect(friendlyMessage('NetworkError: Connection failure due to HTTP 0')).toMatch(/connection to Google was lost/);
  });
});
