/**
 * Every entry a person reaches (sidebar calls, menu items) reports failures as sentences about their
 * data (src/core/friendlyError.ts); the original goes to the execution log.
 */
import { friendlyError, friendlyReason as reasonOf } from '../core/friendlyError';

export function friendlyReason(err: unknown): string {
  if (friendlyError(err).log) console.error(err);
  return reasonOf(err);
}

/** Wraps an entry so whatever it throws reaches the person as a sentence. */
export function withFriendlyErrors<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (err) {
      const friendly = friendlyError(err);
      if (!friendly.log) throw err;
      console.error(err);
      const out = new Error(friendly.message);
      out.name = 'SOLTrackerError';
      throw out;
    }
  };
}
