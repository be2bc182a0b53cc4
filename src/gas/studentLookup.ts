/**
 * Student-ID evaluations for =ATTEND_TIER(id). Custom-function context: read-only (no lock, no
 * writes, no property writes), 30 s. Evaluates only the IDs asked for; a few IDs read only their
 * Register rows. Unknown IDs are absent from the map (ATTEND_TIER reports them).
 */
import { canSeeStudent, requirePermission } from '../core/roles';
import { todayIso } from './clock';
import { actorOf } from './session';
import { loadSettings } from './settingsStore';
import { loadSchool } from './schoolData';

export function evaluateStudentsById(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const wanted = new Set(ids.map((id) => String(id).trim()).filter((id) => id !== ''));
  if (wanted.size === 0) return out;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (!ss) return out;
  const loaded = loadSettings(ss);
  // In a cell the caller is anonymous (semantics S9.7: the email is ''): only editors type formulas,
  // and they can read every tab anyway. With an identity the function was called from outside a
  // cell (google.script.run): then the caller's role and scope apply, and a pupil outside it reads
  // exactly like an unknown ID.
  const caller = callerEmail();
  const actor = caller ? actorOf(caller, ss) : null;
  if (actor) requirePermission(actor, 'viewStudent');
  const visible = (s: { studentId: string; yearGroup: string; tutorGroup: string }) => wanted.has(s.studentId) && (!actor || canSeeStudent(actor, s));
  const school = loadSchool(ss, todayIso(ss), { settings: loaded.settings, settingsProblems: loaded.problems, only: visible });
  for (const [id, record] of school.model.byId) out.set(id, record.placement.label);
  // Known but not evaluable: say so rather than "unknown student" (never a silently wrong step).
  for (const [id, un] of school.model.unevaluated) if (visible(un.student)) out.set(id, `Not evaluated: ${un.problem}`);
  return out;
}

/** The identity of whoever called: '' in a custom-function cell (semantics S9.7). */
function callerEmail(): string {
  try {
    return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail() || '';
  } catch {
    return '';
  }
}
