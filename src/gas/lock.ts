/**
 * Every mutation runs under the document lock (DESIGN.md §5), so two staff or two clicks never
 * interleave writes. Time-driven triggers have no container document: the script lock stands in.
 */
export function withDocumentLock<T>(fn: () => T, timeoutMs = 20000): T {
  const lock = LockService.getDocumentLock() ?? LockService.getScriptLock();
  lock.waitLock(timeoutMs); // throws "Lock timeout: another process was holding the lock for too long." (semantics L1.2)
  try {
    return fn();
  } finally {
    lock.releaseLock();
  }
}
