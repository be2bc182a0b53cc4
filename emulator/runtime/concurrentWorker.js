/**
 * One Apps Script execution running in its own thread, for concurrent runs (concurrent.ts). The
 * project's code runs here in a fresh vm context; every service object is a proxy whose property
 * reads and method calls go to the main thread, synchronously (Atomics.wait), where the emulator's
 * state lives. The main thread answers one request at a time, so executions interleave exactly at
 * their service calls, in the order the scheduler chooses.
 *
 * Plain CommonJS (no TypeScript): it is loaded by path with new Worker().
 */
'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const vm = require('node:vm');

const { port, signal, source, fnName, argsJson, argsEncoded, roots, startMs } = workerData;
const state = new Int32Array(signal); // [0]: 0 running, 1 request posted, 2 reply posted, 3 finished
let nowMs = startMs;

function request(msg) {
  port.postMessage(msg);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
  // A timed wait, checked again: a run was seen stalled with the reply posted (state 2) and this
  // thread never going on — a wake-up lost between the threads. Rechecking costs nothing otherwise.
  while (Atomics.load(state, 0) === 1) Atomics.wait(state, 0, 1, 50);
  const reply = receiveMessageOnPort(port);
  Atomics.store(state, 0, 0);
  if (!reply) throw new Error('concurrent worker: no reply from the main thread');
  const m = reply.message;
  nowMs = m.now;
  return m;
}

const handleOf = new WeakMap();
const proxyOf = new Map();
const fnCache = new Map(); // `${handle}.${prop}` → true when the property is a method
let ErrorCtor = Error;

function raise(err) {
  const e = new ErrorCtor(err.message);
  e.name = err.name;
  throw e;
}

function decode(v) {
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(decode);
  if (v.__h !== undefined) return proxy(v.__h);
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = decode(x);
  return out;
}

function encode(v) {
  if (v === null || v === undefined || typeof v !== 'object' && typeof v !== 'function') return v;
  if (handleOf.has(v)) return { __h: handleOf.get(v) };
  if (typeof v === 'function') throw new TypeError('concurrent emulator: a function cannot be passed to a service');
  if (v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(encode);
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = encode(x);
  return out;
}

function proxy(h) {
  if (proxyOf.has(h)) return proxyOf.get(h);
  const target = function () {};
  const p = new Proxy(target, {
    get(_t, prop) {
      if (typeof prop === 'symbol') return prop === Symbol.toPrimitive ? () => `[service ${h}]` : undefined;
      if (prop === 'then') return undefined;
      const key = `${h}.${prop}`;
      if (fnCache.get(key)) return method(h, prop);
      const m = request({ op: 'get', h, prop });
      if (m.error) raise(m.error);
      if (m.fn) {
        fnCache.set(key, true);
        return method(h, prop);
      }
      return decode(m.value);
    },
    has(_t, prop) {
      if (typeof prop === 'symbol') return false;
      const m = request({ op: 'has', h, prop });
      return Boolean(m.value);
    },
  });
  handleOf.set(p, h);
  proxyOf.set(h, p);
  return p;
}

function method(h, prop) {
  return function (...args) {
    const m = request({ op: 'call', h, prop, args: encode(args) });
    if (m.error) raise(m.error);
    return decode(m.value);
  };
}

function modelledDate() {
  const HostDate = Date;
  function ModelDate(...args) {
    if (!new.target) return new HostDate(nowMs).toString();
    return Reflect.construct(HostDate, args.length === 0 ? [nowMs] : args, new.target);
  }
  ModelDate.prototype = HostDate.prototype;
  ModelDate.now = () => nowMs;
  ModelDate.UTC = HostDate.UTC;
  ModelDate.parse = HostDate.parse;
  return ModelDate;
}

let outcome;
try {
  const sandbox = { Date: modelledDate() };
  for (const [name, h] of Object.entries(roots)) sandbox[name] = proxy(h);
  const ctx = vm.createContext(sandbox, { name: 'Apps Script execution (concurrent)', codeGeneration: { strings: true, wasm: false } });
  ErrorCtor = vm.runInContext('Error', ctx);
  vm.runInContext(source, ctx, { filename: 'project.js' });
  const fn = vm.runInContext(`typeof ${fnName} === 'function' ? ${fnName} : undefined`, ctx);
  if (!fn) raise({ name: 'Exception', message: `Script function not found: ${fnName}` });
  const args = argsEncoded !== undefined ? decode(argsEncoded) : vm.runInContext(`JSON.parse(${JSON.stringify(argsJson)})`, ctx);
  const result = fn.apply(undefined, args);
  outcome = { op: 'done', result: result === undefined ? undefined : JSON.stringify(result) };
} catch (e) {
  outcome = { op: 'done', error: { name: (e && e.name) || 'Error', message: (e && e.message) || String(e) } };
}
port.postMessage(outcome);
Atomics.store(state, 0, 3);
Atomics.notify(state, 0);
