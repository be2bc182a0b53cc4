/**
 * The sidebar's one door to the server. Every call goes through call(), which wraps the
 * handler-style google.script.run in a Promise and turns platform errors into plain words.
 * No other sidebar file may touch google.script.run (a test and the before-stop hook check it).
 */
import type { RpcName, SidebarApi } from '../src/rpcTypes';

/** The part of the client runner this file uses (apps-script-semantics.md H2.2). */
interface ScriptRunner {
  withSuccessHandler(fn: (value: unknown) => void): ScriptRunner;
  withFailureHandler(fn: (error: unknown) => void): ScriptRunner;
  [serverFunction: string]: unknown;
}

function runner(): ScriptRunner {
  const g = (globalThis as { google?: { script?: { run?: ScriptRunner } } }).google;
  const run = g && g.script && g.script.run;
  if (!run) throw new Error('The sidebar is not connected to the spreadsheet. Close it and open it again from the Extensions menu.');
  return run;
}

/** Known platform messages → what to tell a member of staff. First match wins. */
const FRIENDLY: [RegExp, string][] = [
  [/lock timeout|too many LockService operations/i,
    'Someone else is updating the tracker right now. Please try again in a moment.'],
  [/Service invoked too many times for one day: (email|gmail)/i,
    'The daily email quota is used up; the rest will wait until tomorrow.'],
  [/Service invoked too many times for one day/i,
    'A daily Google limit has been reached; please try again tomorrow.'],
  [/Exceeded maximum execution time/i,
    'That took too long and was stopped. What was finished is saved; please try again to continue.'],
  [/too many scripts running simultaneously|invoked too many times per second/i,
    'Google is busy with other work from your account. Please wait a minute and try again.'],
  [/Authorization is required/i,
    'The add-on needs your permission first. Open it from the Extensions menu and allow access, then try again.'],
  [/NetworkError|Connection failure/i,
    'The connection to Google was lost. Check your network and try again.'],
];

/** The message a person sees for a failed call. Unknown server messages are shown as they are. */
export function friendlyMessage(raw: unknown): string {
  const text = raw instanceof Error ? raw.message : typeof raw === 'string' ? raw : raw == null ? '' : String(raw);
  for (const [pattern, words] of FRIENDLY) if (pattern.test(text)) return words;
  const plain = text.replace(/^(Exception|Error):\s*/, '').trim();
  return plain || 'Something went wrong. Please try again.';
}

/**
 * Calls a server function of the contract in src/rpcTypes.ts.
 * Resolves with its return value; rejects with an Error carrying a plain-words message
 * (the original server error is kept as `cause`).
 */
export function call<K extends RpcName>(name: K, ...args: Parameters<SidebarApi[K]>): Promise<ReturnType<SidebarApi[K]>> {
  return new Promise<ReturnType<SidebarApi[K]>>((resolve, reject) => {
    const fail = (error: unknown): void => {
      const friendly = new Error(friendlyMessage(error)) as Error & { cause?: unknown; rpc?: string };
      friendly.cause = error;
      friendly.rpc = name;
      reject(friendly);
    };
    try {
      const r = runner()
        .withSuccessHandler((value) => resolve(value as ReturnType<SidebarApi[K]>))
        .withFailureHandler(fail);
      const fn = r[name];
      if (typeof fn !== 'function') throw new Error(`The server has no function "${name}". The add-on may be out of date; reload the sheet.`);
      (fn as (...a: unknown[]) => void).apply(r, args);
    } catch (err) {
      fail(err);
    }
  });
}
