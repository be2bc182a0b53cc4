/**
 * Student-ID evaluations for =ATTEND_TIER(id). Custom-function context: read-only (no lock, no
 * writes, no property writes), 30 s. Evaluates only the IDs asked for; a few IDs read only their
 * Register rows. Unknown IDs are absent from the map (ATTEND_TIER reports them).
 */
import { todayIso } from './clock';
import { loadSettings } from './settingsStore';
import { loadSchool } from './schoolData';

export function evaluateStudentsById(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const wanted = new Set(ids.map((id) => String(id).trim()).filter((id) => id !== ''));
  if (wanted.size === 0) return out;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (!ss) return out;
  const loaded = loadSettings(ss);
  const school = loadSchool(ss, todayIso(ss), { settings: loaded.settings, settingsProblems: loaded.problems, only: (s) => wanted.has(s.studentId) });
  for (const [id, record] of school.model.byId) out.set(id, record.placement.label);
  // Known but not evaluable: say so rather than "unknown student" (never a silently wrong step).
  for (const [id, un] of school.model.unevaluated) out.set(id, `Not evaluated: ${un.problem}`);
  return out;
}
