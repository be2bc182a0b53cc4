/**
 * What a person is told when something fails: a sentence about their data, never a JavaScript
 * message (issue 12 §4). Our own errors are already sentences and pass through. A programmer error
 * ("Cannot convert object to primitive value", "range.getNumRows is not a function", "[object
 * Object]") becomes one generic sentence (the details go to the execution log). A Google service
 * failure is said in words, with what to do: pressing again is safe, because every mutating action
 * is exactly-once (nothing already saved is saved twice).
 */

export const PROGRAMMER_ERROR_MESSAGE =
  'Something went wrong inside SOL Tracker (a fault in the add-on, not in your data). Try again; if it keeps happening, tell your Admin — the details are in the script\'s execution log.';

const PROGRAMMER_NAMES = new Set(['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError', 'URIError', 'EvalError', 'InternalError']);
const PROGRAMMER_TEXT = /is not a function|Cannot read propert|Cannot set propert|Cannot convert|is not defined|is not iterable|Maximum call stack|\[object Object\]|undefined|NaN|Unexpected token|JSON\.parse/;

/** Google's own failures: the service, the time limit, the lock, quotas. */
const SERVICE_TEXT: { test: RegExp; words: string }[] = [
  { test: /Exceeded maximum execution time|Exceeded maximum time/i, words: 'The run took longer than Google allows and was stopped.' },
  { test: /Lock timeout|another process was holding the lock/i, words: 'Another member of staff was updating the tracker at the same moment.' },
  { test: /Service invoked too many times|too many times|quota|Limit Exceeded/i, words: 'A Google limit for today was reached.' },
  { test: /Service (error|unavailable)|Internal error|backend|timed out|try again later|server error|Service Spreadsheets|Service Documents/i, words: 'A Google service did not respond.' },
];

export interface FriendlyError {
  message: string;
  /** True when the original should go to the execution log (a fault of ours or of Google). */
  log: boolean;
}

export function friendlyError(err: unknown): FriendlyError {
  const e = err as { name?: unknown; message?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : '';
  const raw = typeof e?.message === 'string' ? e.message : typeof err === 'string' ? err : '';
  if (!raw.trim()) return { message: PROGRAMMER_ERROR_MESSAGE, log: true };
  // Google's own text starts the message; a sentence of ours that quotes it is already in words.
  const google = /^(Exception: )?(Service|Lock timeout|Exceeded maximum|Internal error|Limit Exceeded|Too many|Script invoked|We're sorry|Timed out|[A-Za-z]+ service)/i.test(raw.trim()) || raw.trim().length < 60;
  for (const s of SERVICE_TEXT) {
    if (google && s.test.test(raw)) return { message: `${s.words} Press the same button again in a minute: anything already saved is not saved twice.`, log: true };
  }
  if (PROGRAMMER_NAMES.has(name) || PROGRAMMER_TEXT.test(raw)) return { message: PROGRAMMER_ERROR_MESSAGE, log: true };
  return { message: raw, log: false };
}

/** The reason part of a sentence ("… was not recalculated (reason)"), lower-case start, no final stop. */
export function friendlyReason(err: unknown): string {
  const m = friendlyError(err).message.replace(/\.$/, '');
  return m.charAt(0).toLowerCase() + m.slice(1);
}
