/**
 * The built dist/ as Apps Script and clasp see it. `npm test` builds first; these tests read dist/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');

function ensureBuilt() {
  if (!fs.existsSync(path.join(dist, 'Code.js'))) execFileSync('node', ['build.mjs'], { cwd: root, stdio: 'pipe' });
}

/** Runs one of build.mjs's exported checks in a child node (build.mjs is an ES module). */
function buildCheck(fn: string, ...args: unknown[]): unknown {
  const script = `import(${JSON.stringify(path.join(root, 'build.mjs'))}).then(async (m) => { try { const r = await m[${JSON.stringify(fn)}](...${JSON.stringify(args)}); process.stdout.write(JSON.stringify({ ok: r ?? null })); } catch (e) { process.stdout.write(JSON.stringify({ error: e.message })); } })`;
  const out = spawnSync('node', ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout);
}

beforeAll(ensureBuilt);

describe('dist/ is what clasp pushes', () => {
  test('dist holds exactly the manifest, the server bundle and the sidebar', () => {
    expect(fs.readdirSync(dist).sort()).toEqual(['Code.js', 'Sidebar.html', 'appsscript.json']);
  });

  test('clasp status --json (offline, placeholder scriptId) lists exactly the files in dist/', () => {
    const out = spawnSync('npx', ['clasp', 'status', '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout.slice(out.stdout.indexOf('{')));
    const pushed: string[] = json.filesToPush.map((f: string) => path.basename(f)).sort();
    expect(pushed).toEqual(fs.readdirSync(dist).sort());
  });

  test('the manifest is V8, has the school time zone and the explicit scope list', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'appsscript.json'), 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.timeZone).toBe(process.env.SOL_TIMEZONE || pkg.solTracker.timeZone);
    expect(manifest.oauthScopes).toEqual([
      'https://www.googleapis.com/auth/spreadsheets',
      'https://www.googleapis.com/auth/documents',
      'https://www.googleapis.com/auth/drive.file',
      'https://www.googleapis.com/auth/script.send_mail',
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/script.scriptapp',
      'https://www.googleapis.com/auth/userinfo.email',
    ]);
    // Letters are copies of their template and are filed in shared folders: the advanced Drive service (v3) under drive.file.
    expect(manifest.dependencies).toEqual({ enabledAdvancedServices: [{ userSymbol: 'Drive', serviceId: 'drive', version: 'v3' }] });
  });

  test('every scope in the manifest is justified in the README, and no restricted scope is requested', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'appsscript.json'), 'utf8'));
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const scope of manifest.oauthScopes) expect(readme).toContain(scope);
    // engineering §6: these would need restricted-scope verification.
    const restricted = ['https://mail.google.com/', 'gmail.compose', 'gmail.modify', 'auth/drive"', 'auth/drive.readonly'];
    for (const r of restricted) expect(JSON.stringify(manifest.oauthScopes)).not.toContain(r);
  });
});

describe('the server bundle in a bare JavaScript context with only an empty spreadsheet', () => {
  const code = () => fs.readFileSync(path.join(dist, 'Code.js'), 'utf8');

  function bareContext() {
    const emptySpreadsheet = { getSheetByName: () => null, getSheets: () => [] };
    return vm.createContext({ SpreadsheetApp: { getActiveSpreadsheet: () => emptySpreadsheet, getActive: () => emptySpreadsheet } });
  }

  test('defines onOpen, ATTEND_PCT and ATTEND_TIER as top-level functions', () => {
    const ctx = bareContext();
    vm.runInContext(code(), ctx);
    for (const name of ['onOpen', 'onInstall', 'ATTEND_PCT', 'ATTEND_TIER', 'showSidebar']) {
      expect(vm.runInContext(`typeof ${name}`, ctx)).toBe('function');
    }
  });

  test('ATTEND_TIER(0.94) returns a label starting "Step 4" with no Settings tab (default preset)', () => {
    const ctx = bareContext();
    vm.runInContext(code(), ctx);
    expect(String(vm.runInContext('ATTEND_TIER(0.94)', ctx))).toMatch(/^Step 4/);
    expect(String(vm.runInContext('ATTEND_TIER(94)', ctx))).toMatch(/^Step 4/);
    expect(vm.runInContext('ATTEND_PCT([["/", "\\\\", "N", "U"]])', ctx)).toBe(0.5);
  });

  test('loading the bundle does no work that needs a service (nothing but SpreadsheetApp is defined)', () => {
    const ctx = vm.createContext({});
    expect(() => vm.runInContext(code(), ctx)).not.toThrow();
  });
});

describe('generated entry points', () => {
  test('custom functions carry JSDoc with @customfunction and real parameter names', () => {
    const code = fs.readFileSync(path.join(dist, 'Code.js'), 'utf8');
    expect(code).toMatch(/\/\*\*[^/]*@param \{[^}]+\} marks [^/]*@customfunction\s*\*\/\s*function ATTEND_PCT\(marks\) \{/);
    expect(code).toMatch(/@customfunction\s*\*\/\s*function ATTEND_TIER\(value, updated\) \{/);
  });

  test('no private (_-suffixed) name and no import/export in the bundle', () => {
    const code = fs.readFileSync(path.join(dist, 'Code.js'), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/^function \w+_\(/m);
  });
});

describe('the build refuses output that would break on Apps Script', () => {
  const entries = [{ name: 'F', kind: 'menu', params: [] }];
  const withStub = (body: string) => `${body}\nfunction F() { return 1; }`;

  test.each([
    ['an import statement', 'import x from "y";', /import\/export/],
    ['an export statement', 'export const a = 1;', /import\/export/],
    ['a #private field', 'class A { #x = 1; get() { return this.#x; } }', /#private/],
    ['a static class field', 'class A { static x = 1; }', /static class field/],
    ['setTimeout', 'function g() { setTimeout(g, 1); }', /"setTimeout"/],
    ['fetch', 'function g() { return fetch("x"); }', /"fetch"/],
    ['TextEncoder', 'var e = new TextEncoder();', /"TextEncoder"/],
    ['URL', 'function g(s) { return new URL(s); }', /"URL"/],
    ['atob', 'var s = atob("eA==");', /"atob"/],
    ['crypto', 'var r = crypto.getRandomValues;', /"crypto"/],
  ])('rejects %s', (_label, body, message) => {
    const r = buildCheck('checkServerBundle', withStub(body), entries) as { ok: string[] };
    expect(r.ok.join('\n')).toMatch(message);
  });

  test('accepts a typeof guard and a local variable that shadows a forbidden name', () => {
    const r = buildCheck('checkServerBundle', withStub('var ok = typeof fetch === "function"; function g(URL) { return URL; }'), entries) as { ok: string[] };
    expect(r.ok).toEqual([]);
  });

  test('rejects a registry entry that is not a top-level function declaration', () => {
    const r = buildCheck('checkServerBundle', 'var F = function () {};', entries) as { ok: string[] };
    expect(r.ok.join()).toMatch(/"F" is not a top-level function declaration/);
  });

  test('rejects a custom function without @customfunction JSDoc or with other parameter names', () => {
    const cf = [{ name: 'ATTEND_PCT', kind: 'customFunction', params: [{ name: 'marks' }] }];
    expect((buildCheck('checkServerBundle', 'function ATTEND_PCT(marks) {}', cf) as { ok: string[] }).ok.join()).toMatch(/lacks a JSDoc block with @customfunction/);
    expect((buildCheck('checkServerBundle', '/** x\n * @customfunction\n */\nfunction ATTEND_PCT(input) {}', cf) as { ok: string[] }).ok.join()).toMatch(/declares \(input\) but the registry says \(marks\)/);
  });

  test('the sidebar may not load anything from the network', () => {
    const r = buildCheck('checkSidebar', '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"><script src="//cdn.example/x.js"></script>') as { ok: string[] };
    expect(r.ok).toHaveLength(2);
  });

  test('an invalid manifest is reported field by field', () => {
    const script = `import(${JSON.stringify(path.join(root, 'build.mjs'))}).then((m) => { const r = m.ManifestSchema.safeParse({ timeZone: 'Europe/London', runtimeVersion: 'STABLE', oauthScopes: ['not a url'] }); process.stdout.write(JSON.stringify(r.error.issues.map((i) => i.path.join('.')))); })`;
    const out = spawnSync('node', ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.stdout)).toEqual(expect.arrayContaining(['runtimeVersion', 'oauthScopes.0']));
  });
});
