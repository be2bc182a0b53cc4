/** The signed-in user and their role. Needs userinfo.email; blank in restricted contexts (semantics U1.1). */
import { actorFor, requirePermission, type Action, type Actor } from '../core/roles';
import type { Settings } from '../core/settings';

export function activeUserEmail(): string {
  return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail() || '';
}

export function currentActor(settings: Settings): Actor {
  return actorFor(activeUserEmail(), settings.staff);
}

/** The actor, after checking they may do `action` (throws a plain-words PermissionError). */
export function authorise(settings: Settings, action: Action): Actor {
  const actor = currentActor(settings);
  requirePermission(actor, action);
  return actor;
}
