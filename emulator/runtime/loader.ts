/**
 * The project loader (V1.2–V1.6): every .js file of the pushed project is concatenated (alphabetical
 * order) into ONE script that is evaluated with node:vm in a fresh context per execution, so globals
 * never persist (V1.4). The compiled vm.Script is cached; re-evaluation is cheap.
 *
 * Realms: the context has its own Object/Array/Error; the emulator throws service exceptions with
 * the context's Error (errors.ts). `Date` is shared: the context's Date constructs host Dates (the
 * prototype is the host's), so dates from getValues are `instanceof Date` inside and outside, and a
 * zero-argument `new Date()` / `Date.now()` reads the modelled clock. Arrays returned by services are
 * host arrays: use Array.isArray (as everyone should), not `instanceof Array`.
 *
 * The context holds only the services and ECMAScript built-ins: no require, module, process, Buffer,
 * setTimeout, fetch, TextEncoder, URL (V1.5, V1.6).
 */
import * as acorn from 'acorn';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

export interface Manifest {
  timeZone?: string;
  oauthScopes?: string[];
  [key: string]: unknown;
}

export interface Project {
  manifest: Manifest;
  script: vm.Script;
  /** The concatenated source (concurrent executions evaluate it in their own threads). */
  source: string;
  html: Map<string, string>;
  jsFiles: string[];
  /** Top-level callable names (function declarations and var/let/const function values, V1.9). */
  functions: Set<string>;
}

export function loadProjectFromDir(dir: string): Project {
  if (!fs.existsSync(dir)) throw new Error(`No project at ${dir} (run the build first)`);
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir)) {
    if (name === 'appsscript.json' || name.endsWith('.js') || name.endsWith('.gs') || name.endsWith('.html')) {
      files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
    }
  }
  return loadProjectFromSources(files);
}

/** files: { 'appsscript.json': '...', 'Code.js': '...', 'Sidebar.html': '...' } */
export function loadProjectFromSources(files: Record<string, string>): Project {
  const manifestText = files['appsscript.json'];
  if (manifestText === undefined) throw new Error('The project has no appsscript.json');
  const manifest = JSON.parse(manifestText) as Manifest;
  const jsFiles = Object.keys(files).filter((n) => n.endsWith('.js') || n.endsWith('.gs')).sort();
  const source = jsFiles.map((n) => `${files[n]}\n`).join(';\n');
  const script = new vm.Script(source, { filename: jsFiles.length === 1 ? jsFiles[0] : 'project.js' });
  const html = new Map<string, string>();
  for (const n of Object.keys(files)) if (n.endsWith('.html')) html.set(n.slice(0, -5), files[n]);
  return { manifest, script, source, html, jsFiles, functions: topLevelFunctions(source) };
}

function topLevelFunctions(source: string): Set<string> {
  const names = new Set<string>();
  const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as { body: any[] };
  for (const stmt of ast.body) {
    if (stmt.type === 'FunctionDeclaration' && stmt.id) names.add(stmt.id.name);
    if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations) {
        if (d.id.type === 'Identifier' && d.init && /^(FunctionExpression|ArrowFunctionExpression)$/.test(d.init.type)) names.add(d.id.name);
      }
    }
  }
  return names;
}

/** A Date constructor for the context: host Dates, modelled "now". */
export function modelledDate(nowMs: () => number): DateConstructor {
  const HostDate = Date;
  function ModelDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new HostDate(nowMs()).toString();
    return Reflect.construct(HostDate, args.length === 0 ? [nowMs()] : args, new.target);
  }
  ModelDate.prototype = HostDate.prototype;
  ModelDate.now = () => nowMs();
  ModelDate.UTC = HostDate.UTC;
  ModelDate.parse = HostDate.parse;
  return ModelDate as unknown as DateConstructor;
}

export function newContext(globals: Record<string, unknown>, nowMs: () => number): vm.Context {
  const sandbox: Record<string, unknown> = { ...globals, Date: modelledDate(nowMs) };
  return vm.createContext(sandbox, { name: 'Apps Script execution', codeGeneration: { strings: true, wasm: false } });
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Finds a callable top-level name in an evaluated context. */
export function lookupFunction(ctx: vm.Context, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (!IDENT.test(name)) return undefined;
  const fn = vm.runInContext(`typeof ${name} === 'function' ? ${name} : undefined`, ctx);
  return fn as ((...args: unknown[]) => unknown) | undefined;
}
