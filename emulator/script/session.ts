/**
 * Session (U1.x): the active and effective user. Their email reads '' where Apps Script withholds
 * the identity: simple triggers and custom functions (U1.1, S9.7). Reading it needs the
 * userinfo.email scope (scopes.ts).
 */
import type { Runtime } from '../runtime/runtime';
import { User } from './user';

export function createSession(runtime: Runtime) {
  const g = (m: string) => runtime.gate(`Session.${m}`);
  const hidden = () => {
    const e = runtime.current;
    if (e?.kind === 'simpleTrigger') return !runtime.simpleTriggerKnows(e.user); // U1.1: same Workspace domain as the developer
    return e?.kind === 'customFunction';
  };
  return {
    getActiveUser(): User {
      g('getActiveUser');
      const e = runtime.current;
      return new User(runtime, hidden() ? '' : e ? e.user : runtime.owner, 'Session');
    },
    getEffectiveUser(): User {
      g('getEffectiveUser');
      const e = runtime.current;
      return new User(runtime, hidden() ? '' : e ? e.effectiveUser || e.user : runtime.owner, 'Session');
    },
    getScriptTimeZone(): string { g('getScriptTimeZone'); return runtime.scriptTimeZone; },
    getTimeZone(): string { g('getTimeZone'); return runtime.scriptTimeZone; },
    getActiveUserLocale(): string { g('getActiveUserLocale'); return 'en'; },
    getTemporaryActiveUserKey(): string {
      g('getTemporaryActiveUserKey');
      const who = runtime.current?.user ?? runtime.owner;
      let h = 0;
      for (const ch of who) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
      return `emu-user-key-${h.toString(36)}`;
    },
  };
}
