#!/usr/bin/env node
/**
 * Build the Apps Script project into dist/ (what `clasp push` sends, as it is):
 *   dist/appsscript.json  manifest (validated with zod; time zone from package.json or SOL_TIMEZONE)
 *   dist/Code.js          the server bundle + one generated top-level function per registry entry
 *   dist/Sidebar.html     the sidebar, JS and CSS inlined
 *
 * gas-webpack-plugin is not used: it runs only inside webpack. Its job (top-level function
 * declarations for every entry, with JSDoc and @customfunction) is done here from the typed
 * registry in src/entries.ts instead of from comments, which esbuild strips.
 *
 * The build fails with a clear message when the output would break on Apps Script.
 */
import { build } from 'esbuild';
import * as acorn from 'acorn';
import * as z from 'zod/mini';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const GLOBAL_NAME = 'SOLTracker';

/** Globals the Apps Script V8 runtime lacks (apps-script-engineering.md §3.1, semantics V1.6). */
export const FORBIDDEN_GLOBALS = [
  'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask',
  'fetch', 'XMLHttpRequest', 'FormData', 'Headers', 'Request', 'Response',
  'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'atob', 'btoa', 'crypto',
  'window', 'document', 'navigator', 'performance', 'process', 'Buffer', 'require', 'structuredClone',
  'ReadableStream', 'WritableStream',
];

class BuildError extends Error {}
const fail = (msg) => { throw new BuildError(msg); };

/** Manifest schema: what Apps Script accepts and what this add-on needs. */
const ScopeUrl = z.string().check(z.regex(/^https:\/\/www\.googleapis\.com\/auth\/[a-z0-9._]+$/, 'must be an OAuth scope URL (https://www.googleapis.com/auth/…)'));
export const ManifestSchema = z.strictObject({
  timeZone: z.string().check(z.minLength(1)),
  runtimeVersion: z.literal('V8', 'must be "V8" (Rhino is retired)'),
  exceptionLogging: z.optional(z.enum(['STACKDRIVER', 'NONE'])),
  oauthScopes: z.array(ScopeUrl).check(z.minLength(1), z.refine((s) => new Set(s).size === s.length, 'scopes must be unique')),
  dependencies: z.optional(z.looseObject({})),
  addOns: z.optional(z.looseObject({})),
  sheets: z.optional(z.looseObject({})),
});

async function loadRegistry() {
  const out = await build({
    entryPoints: [path.join(root, 'src/entries.ts')],
    bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent',
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
  const entries = mod.exports.ENTRY_POINTS;
  if (!Array.isArray(entries)) fail('src/entries.ts must export ENTRY_POINTS (an array of entries).');
  const seen = new Set();
  const ident = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  for (const e of entries) {
    if (!ident.test(e.name)) fail(`Registry entry "${e.name}" is not a valid function name.`);
    if (e.name.endsWith('_')) fail(`Registry entry "${e.name}" ends with "_": Apps Script hides such functions from menus, triggers, google.script.run and custom functions.`);
    if (seen.has(e.name)) fail(`Registry entry "${e.name}" is declared twice.`);
    seen.add(e.name);
    for (const p of e.params ?? []) if (!ident.test(p.name)) fail(`Parameter "${p.name}" of ${e.name} is not a valid identifier.`);
    if (typeof e.run !== 'function') fail(`Registry entry "${e.name}" has no run function.`);
    if (e.kind === 'customFunction' && !e.description) fail(`Custom function ${e.name} needs a description for formula help.`);
  }
  return entries;
}

const jsdocLine = (s) => String(s).replace(/\*\//g, '*\\/');

/** The generated top-level declarations, as gas-webpack-plugin would have produced. */
export function generateStubs(entries) {
  return entries.map((e) => {
    const params = (e.params ?? []).map((p) => p.name);
    const doc = ['/**', ` * ${jsdocLine(e.description)}`];
    for (const p of e.params ?? []) doc.push(` * @param {${p.type}} ${p.name} ${jsdocLine(p.description)}`);
    if (e.returns) doc.push(` * @return {${e.returns.type}} ${jsdocLine(e.returns.description)}`);
    if (e.kind === 'customFunction') doc.push(' * @customfunction');
    doc.push(' */');
    const args = params.join(', ');
    return `${doc.join('\n')}\nfunction ${e.name}(${args}) {\n  return ${GLOBAL_NAME}.entries.${e.name}.apply(this, arguments);\n}\n`;
  }).join('\n');
}

/** Walk an acorn AST (no dependency on acorn-walk). */
function walk(node, visit, parent = null, key = null, ancestors = []) {
  if (!node || typeof node.type !== 'string') return;
  visit(node, parent, key, ancestors);
  const next = [...ancestors, { node, key }];
  for (const k of Object.keys(node)) {
    if (k === 'loc' || k === 'start' || k === 'end') continue;
    const v = node[k];
    if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === 'string' && walk(c, visit, node, k, next));
    else if (v && typeof v.type === 'string') walk(v, visit, node, k, next);
  }
}

/** True when the code mentions `typeof NAME` (a feature test). */
function testsTypeof(node, name) {
  let found = false;
  walk(node, (n) => {
    if (n.type === 'UnaryExpression' && n.operator === 'typeof' && n.argument.type === 'Identifier' && n.argument.name === name) found = true;
  });
  return found;
}

/**
 * A use is guarded when it sits in the consequent of a test that feature-checks it:
 * `typeof X !== 'undefined' && X.y`, `if (typeof X === 'function') X()`, `typeof X < 'u' ? X : …`.
 */
function isGuarded(name, ancestors) {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const { node } = ancestors[i];
    const childKey = ancestors[i + 1]?.key;
    if (node.type === 'LogicalExpression' && childKey === 'right' && testsTypeof(node.left, name)) return true;
    if ((node.type === 'IfStatement' || node.type === 'ConditionalExpression') && (childKey === 'consequent' || childKey === 'alternate') && testsTypeof(node.test, name)) return true;
  }
  return false;
}

/**
 * Checks that dist/Code.js will parse and run on Apps Script V8. Exported for the build tests.
 * Returns a list of problems (empty when fine).
 */
export function checkServerBundle(code, entries, file = 'dist/Code.js') {
  const problems = [];
  const comments = [];
  let ast;
  try {
    ast = acorn.parse(code, { ecmaVersion: 2022, sourceType: 'script', locations: true, onComment: comments });
  } catch (err) {
    const hint = /'import' and 'export' may appear only/.test(err.message) ? ' (an import/export statement: Apps Script has no modules)' : '';
    return [`${file}:${err.loc?.line ?? '?'}: does not parse as an Apps Script file: ${err.message}${hint}`];
  }
  const declared = new Set();
  walk(ast, (n) => {
    if (n.type === 'VariableDeclarator') collectPatternNames(n.id, declared);
    if ((n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ClassDeclaration') && n.id) declared.add(n.id.name);
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') n.params.forEach((p) => collectPatternNames(p, declared));
    if (n.type === 'CatchClause' && n.param) collectPatternNames(n.param, declared);
  });
  walk(ast, (n, parent, key, ancestors) => {
    const at = `${file}:${n.loc.start.line}`;
    if (n.type === 'PrivateIdentifier') problems.push(`${at}: a #private class member (#${n.name}) — Apps Script V8 cannot parse it`);
    if ((n.type === 'PropertyDefinition') && n.static) problems.push(`${at}: a static class field — Apps Script V8 cannot parse it`);
    if (n.type === 'StaticBlock') problems.push(`${at}: a static class block — Apps Script V8 cannot parse it`);
    if (n.type === 'ImportExpression' || (n.type === 'MetaProperty' && n.meta.name === 'import')) problems.push(`${at}: dynamic import/import.meta — Apps Script has no modules`);
    if (n.type === 'Identifier' && FORBIDDEN_GLOBALS.includes(n.name) && !declared.has(n.name) && isValueReference(n, parent, key)) {
      const isTypeofOperand = parent && parent.type === 'UnaryExpression' && parent.operator === 'typeof';
      if (!isTypeofOperand && !isGuarded(n.name, [...ancestors, { node: n, key }])) {
        problems.push(`${at}: uses the global "${n.name}", which Apps Script does not provide`);
      }
    }
  });
  const topLevel = new Map();
  for (const stmt of ast.body) if (stmt.type === 'FunctionDeclaration') topLevel.set(stmt.id.name, stmt);
  for (const e of entries) {
    const decl = topLevel.get(e.name);
    if (!decl) { problems.push(`${file}: registry entry "${e.name}" is not a top-level function declaration`); continue; }
    if (e.kind === 'customFunction') {
      const before = comments.filter((c) => c.end <= decl.start).pop();
      const between = before ? code.slice(before.end, decl.start) : '';
      if (!before || !/@customfunction/.test(before.value) || between.trim() !== '') problems.push(`${file}: custom function ${e.name} lacks a JSDoc block with @customfunction right above it`);
      const names = decl.params.map((p) => p.name);
      const want = e.params.map((p) => p.name);
      if (names.join() !== want.join()) problems.push(`${file}: custom function ${e.name} declares (${names}) but the registry says (${want})`);
    }
  }
  return problems;
}

function collectPatternNames(p, into) {
  if (!p) return;
  if (p.type === 'Identifier') into.add(p.name);
  else if (p.type === 'ObjectPattern') p.properties.forEach((q) => collectPatternNames(q.type === 'RestElement' ? q.argument : q.value, into));
  else if (p.type === 'ArrayPattern') p.elements.forEach((q) => collectPatternNames(q, into));
  else if (p.type === 'AssignmentPattern') collectPatternNames(p.left, into);
  else if (p.type === 'RestElement') collectPatternNames(p.argument, into);
}

function isValueReference(n, parent, key) {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) return false;
  if ((parent.type === 'Property' || parent.type === 'PropertyDefinition' || parent.type === 'MethodDefinition') && key === 'key' && !parent.computed) return false;
  if (parent.type === 'Property' && parent.shorthand && key === 'value') return true;
  if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return false;
  return true;
}

/** The sidebar must be one self-contained file: no external script, style or font loads. */
export function checkSidebar(html, file = 'dist/Sidebar.html') {
  const problems = [];
  const ext = /<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?\/\//gi;
  let m;
  while ((m = ext.exec(html))) problems.push(`${file}: loads an external resource (${m[0].slice(0, 80)}) — the sidebar must not reach the network`);
  if (/@import\s+url\(\s*["']?https?:/i.test(html)) problems.push(`${file}: CSS @import of a remote URL`);
  return problems;
}

async function buildSidebar() {
  const page = path.join(root, 'sidebar/index.html');
  if (!fs.existsSync(page)) fail('sidebar/index.html is missing.');
  const js = await build({
    entryPoints: [path.join(root, 'sidebar/main.ts')], bundle: true, write: false, format: 'iife',
    target: 'es2019', platform: 'browser', minify: true, legalComments: 'none', logLevel: 'silent',
  });
  const cssFile = path.join(root, 'sidebar/styles.css');
  const css = fs.existsSync(cssFile) ? fs.readFileSync(cssFile, 'utf8') : '';
  const script = js.outputFiles[0].text.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
  let html = fs.readFileSync(page, 'utf8');
  if (!html.includes('<!-- INLINE:CSS -->') || !html.includes('<!-- INLINE:JS -->')) fail('sidebar/index.html needs the <!-- INLINE:CSS --> and <!-- INLINE:JS --> placeholders.');
  html = html.replace('<!-- INLINE:CSS -->', () => `<style>\n${css}\n</style>`).replace('<!-- INLINE:JS -->', () => `<script>\n${script}\n</script>`);
  return html;
}

export function readManifest() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const src = JSON.parse(fs.readFileSync(path.join(root, 'appsscript.json'), 'utf8'));
  const timeZone = process.env.SOL_TIMEZONE || pkg.solTracker?.timeZone || src.timeZone;
  const manifest = { ...src, timeZone };
  const parsed = ManifestSchema.safeParse(manifest);
  if (!parsed.success) {
    fail('appsscript.json is not a valid manifest:\n' + parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'));
  }
  try { new Intl.DateTimeFormat('en-GB', { timeZone }); } catch { fail(`appsscript.json: "${timeZone}" is not a time zone (use an IANA id such as Europe/London).`); }
  return manifest;
}

export async function buildAll({ quiet = false } = {}) {
  const manifest = readManifest();
  const entries = await loadRegistry();
  const server = await build({
    entryPoints: [path.join(root, 'src/main.ts')], bundle: true, write: false, format: 'iife', globalName: GLOBAL_NAME,
    target: 'es2020', platform: 'neutral', mainFields: ['module', 'main'], conditions: ['import', 'default'],
    legalComments: 'none', charset: 'utf8', treeShaking: true, logLevel: 'silent', metafile: true,
  });
  const banner = `// SOL Tracker add-on — generated by build.mjs; edit src/, not this file.\n`;
  const code = `${banner}${server.outputFiles[0].text}\n// ---- Entry points generated from src/entries.ts ----\n${generateStubs(entries)}`;
  const problems = checkServerBundle(code, entries);
  const sidebar = await buildSidebar();
  problems.push(...checkSidebar(sidebar));
  if (problems.length) fail('The build would break on Apps Script:\n  ' + problems.join('\n  '));

  fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'appsscript.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(dist, 'Code.js'), code);
  fs.writeFileSync(path.join(dist, 'Sidebar.html'), sidebar);
  if (!quiet) {
    const kb = (s) => (Buffer.byteLength(s) / 1024).toFixed(0) + ' KB';
    console.log(`build: dist/Code.js ${kb(code)} (${entries.length} entry points), dist/Sidebar.html ${kb(sidebar)}, dist/appsscript.json (${manifest.oauthScopes.length} scopes, ${manifest.timeZone})`);
  }
  return { entries, manifest };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAll().catch((err) => {
    if (err instanceof BuildError) { console.error(`build failed: ${err.message}`); process.exit(1); }
    console.error(err.errors ? `build failed: ${err.message}` : err);
    process.exit(1);
  });
}
