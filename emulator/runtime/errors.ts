/**
 * Service exceptions as Apps Script raises them (semantics E0.1): an Error whose name is
 * "Exception", so String(e) reads "Exception: <message>".
 *
 * While an execution runs, exceptions are built with the *execution's* Error constructor so
 * `e instanceof Error` holds inside the project code (the vm realm), as on Apps Script.
 */
type ErrorCtor = new (message?: string) => Error;

const realmStack: ErrorCtor[] = [];

/** Called by the runtime when an execution starts/ends (executions never overlap, but may nest). */
export function enterErrorRealm(ctor: ErrorCtor): void {
  realmStack.push(ctor);
}
export function leaveErrorRealm(): void {
  realmStack.pop();
}

export function exception(message: string): Error {
  const Ctor = realmStack.length > 0 ? realmStack[realmStack.length - 1] : Error;
  const err = new Ctor(message);
  err.name = 'Exception';
  return err;
}

/** E0.2: wrong argument types/arity. Tests should only match the stable suffix. */
export function signatureError(args: unknown[], method: string): Error {
  const types = args.map(describeType).join(',');
  return exception(`The parameters (${types}) don't match the method signature for ${method}.`);
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length > 0 && !Array.isArray(v[0]) ? `${describeType(v[0])}[]` : 'Object[][]';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'Boolean';
  if (v instanceof Date) return 'Date';
  return 'Object';
}

/** Marks an error raised by the emulator's execution time limit, so the runtime can tell it apart. */
export const TIMEOUT_MESSAGE = 'Exceeded maximum execution time';
