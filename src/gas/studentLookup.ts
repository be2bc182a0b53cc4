/**
 * Student-ID evaluations for =ATTEND_TIER(id). Placeholder until the tracker data loader lands:
 * returns no placements, so an ID reads as unknown.
 */
export function evaluateStudentsById(ids: readonly string[]): Map<string, string> {
  void ids;
  return new Map();
}
