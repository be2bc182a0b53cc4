/// <reference lib="dom" />
/**
 * The google.script.run stand-in for the preview. preview/server.ts bundles this file and injects
 * it into dist/Sidebar.html before the sidebar's own script, so the real sidebar runs unchanged.
 *
 * Semantics copied from the client API (apps-script-semantics.md H2.2–H2.4):
 *  - google.script.run is a runner; withSuccessHandler / withFailureHandler / withUserObject
 *    return a new runner carrying that setting, so runners can be kept and reused;
 *  - calling a server function returns undefined at once; the outcome arrives later, always
 *    asynchronously, on the success handler (value, userObject) or the failure handler
 *    (an Error whose message is the server exception's message, userObject);
 *  - a function that does not exist on the server is simply not a property of the runner.
 *
 * The list of server functions comes from the server (window.__SOL_PREVIEW__.functions), the
 * top-level functions of dist/Code.js. After each call the bridge tells the preview page (the
 * parent window) so it can refresh the grid and the outbox.
 */

interface PreviewConfig {
  /** Top-level functions of the built bundle that google.script.run may call. */
  functions: string[];
}

type Handler = (value: unknown, userObject?: unknown) => void;

interface RunnerState {
  success: Handler | null;
  failure: Handler | null;
  userObject: unknown;
}

const config: PreviewConfig = (window as unknown as { __SOL_PREVIEW__?: PreviewConfig }).__SOL_PREVIEW__ ?? { functions: [] };

function notifyParent(name: string, ok: boolean): void {
  try {
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ source: 'sol-preview-bridge', type: 'rpc-done', name, ok }, window.location.origin);
    }
  } catch {
    /* not embedded: nothing to tell */
  }
}

async function post(name: string, args: unknown[]): Promise<unknown> {
  const response = await fetch('/rpc', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, args }),
  });
  let payload: { value?: unknown; error?: string } | null = null;
  try {
    payload = (await response.json()) as { value?: unknown; error?: string };
  } catch {
    throw new Error(`NetworkError: the preview server answered ${response.status} without JSON.`);
  }
  if (payload && typeof payload.error === 'string') throw new Error(payload.error);
  if (!response.ok) throw new Error(`NetworkError: the preview server answered ${response.status}.`);
  return payload ? payload.value ?? null : null;
}

function makeRunner(state: RunnerState): Record<string, unknown> {
  const runner: Record<string, unknown> = {
    withSuccessHandler: (fn: Handler) => makeRunner({ ...state, success: fn }),
    withFailureHandler: (fn: Handler) => makeRunner({ ...state, failure: fn }),
    withUserObject: (obj: unknown) => makeRunner({ ...state, userObject: obj }),
  };
  for (const name of config.functions) {
    if (name in runner) continue;
    runner[name] = (...args: unknown[]): void => {
      // Arguments travel as JSON, as google.script.run serialises them (functions and DOM nodes are not allowed).
      let wire: unknown[];
      try {
        wire = JSON.parse(JSON.stringify(args.map((a) => (a === undefined ? null : a)))) as unknown[];
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        setTimeout(() => { if (state.failure) state.failure(error, state.userObject); }, 0);
        return;
      }
      post(name, wire).then(
        (value) => {
          notifyParent(name, true);
          if (state.success) state.success(value, state.userObject);
        },
        (err: unknown) => {
          notifyParent(name, false);
          const error = err instanceof Error ? err : new Error(String(err));
          if (state.failure) state.failure(error, state.userObject);
          else console.error(`google.script.run.${name} failed:`, error.message);
        },
      );
    };
  }
  return runner;
}

const host = {
  close(): void {
    try {
      window.parent.postMessage({ source: 'sol-preview-bridge', type: 'close-sidebar' }, window.location.origin);
    } catch {
      /* ignore */
    }
  },
  setHeight(): void { /* sidebars have a fixed height */ },
  setWidth(): void { /* sidebars have a fixed width */ },
  editor: { focus(): void { try { window.parent.focus(); } catch { /* ignore */ } } },
  origin: window.location.origin,
};

const g = window as unknown as { google?: { script?: Record<string, unknown> } };
g.google = g.google ?? {};
g.google.script = {
  ...(g.google.script ?? {}),
  run: makeRunner({ success: null, failure: null, userObject: undefined }),
  host,
};
