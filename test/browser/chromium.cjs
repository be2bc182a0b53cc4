/**
 * Which Chromium the browser tests launch (with playwright-core, which never downloads browsers):
 *
 *   1. CHROMIUM_PATH, when set (an explicit choice wins; a wrong path fails loudly);
 *   2. the system's Chromium at /usr/bin/chromium (Debian's package, as .ci/run used to install);
 *   3. otherwise the Chromium that ships inside the npm devDependency @sparticuz/chromium — so
 *      `npm ci && npm test` passes on a fresh machine with no root and no system browser.
 *
 * The npm browser is brotli-compressed in node_modules/@sparticuz/chromium/bin/. It is unpacked once
 * per checkout into node_modules/.cache/sol-tracker-chromium/<version>/ (a staging folder renamed
 * into place, so an interrupted unpack is never used half-written; nothing goes to the shared /tmp,
 * where the package's own executablePath() would put it). The binary links only
 * against libc, NSS, NSPR and expat; when the machine lacks NSS/NSPR/expat (ldd says "not found")
 * the package's own copies (al2023.tar.br, built for Amazon Linux 2023, glibc 2.34) go on the
 * browser's LD_LIBRARY_PATH. Fonts come from the package too (FONTCONFIG_PATH).
 *
 * test/globalSetup.cjs calls prepareBrowserForTests() once, before jest starts its workers, and
 * passes the choice on in SOL_BROWSER (JSON) — workers inherit the environment.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_ROOT = path.join(ROOT, 'node_modules', '.cache', 'sol-tracker-chromium');

/** The flags every launch uses (no sandbox: containers and CI runners have no user namespaces). */
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** Extra flags for the npm build (it is built for serverless machines: no zygote, no /dev/shm). */
const NPM_ARGS = ['--no-zygote', '--disable-dev-shm-usage'];

/**
 * Pure choice, for tests: 'env' (CHROMIUM_PATH), 'system' (/usr/bin/chromium exists) or 'npm'.
 * @param {{ env: Record<string, string | undefined>, exists: (p: string) => boolean }} where
 */
function chooseBrowser(where) {
  const explicit = (where.env.CHROMIUM_PATH || '').trim();
  if (explicit) return { source: 'env', executablePath: explicit };
  if (where.exists(SYSTEM_CHROMIUM)) return { source: 'system', executablePath: SYSTEM_CHROMIUM };
  return { source: 'npm', executablePath: null };
}

function npmPackageDir() {
  try {
    // The package's exports map has no ./package.json: resolve its main file and walk up to it.
    let dir = path.dirname(require.resolve('@sparticuz/chromium', { paths: [ROOT] }));
    const isPackageRoot = (d) => fs.existsSync(path.join(d, 'package.json')) && JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).name === '@sparticuz/chromium';
    while (!isPackageRoot(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return dir;
  } catch {
    throw new Error(
      'No Chromium for the browser tests: CHROMIUM_PATH is not set, /usr/bin/chromium does not exist, and the npm package @sparticuz/chromium is not installed. Run `npm ci` (it is a devDependency), or set CHROMIUM_PATH.',
    );
  }
}

/** Libraries the binary needs and cannot find on this machine (ldd), or null when ldd is unavailable. */
function missingLibraries(binary) {
  try {
    const out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter((l) => /not found/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
  } catch {
    return null;
  }
}

/** Unpacks one brotli file of the package: a tarball into a folder, or a single file. */
function unbrotli(file, into, packageDir) {
  const zlib = require('node:zlib');
  return new Promise((resolve, reject) => {
    const source = fs.createReadStream(file);
    source.once('error', reject);
    const inflated = source.pipe(zlib.createBrotliDecompress());
    inflated.once('error', reject);
    if (file.endsWith('.tar.br')) {
      const tar = require(require.resolve('tar-fs', { paths: [packageDir] })); // the package's own dependency
      fs.mkdirSync(into, { recursive: true });
      const target = tar.extract(into);
      target.once('finish', resolve);
      target.once('error', reject);
      inflated.pipe(target);
    } else {
      const target = fs.createWriteStream(into, { mode: 0o755 });
      target.once('close', resolve);
      target.once('error', reject);
      inflated.pipe(target);
    }
  });
}

function fontsConf(dir) {
  const esc = (p) => p.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${esc(path.join(dir, 'fonts', 'fonts'))}</dir>`,
    '  <dir>/usr/share/fonts</dir>',
    `  <cachedir>${esc(path.join(dir, 'fonts-cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

/**
 * Unpacks the npm Chromium (once per checkout and version) and returns how to launch it.
 * @returns {Promise<{ source: 'npm', executablePath: string, env: Record<string, string>, args: string[] }>}
 */
async function prepareNpmChromium(cacheRoot = CACHE_ROOT) {
  const packageDir = npmPackageDir();
  const version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  const dir = path.join(cacheRoot, version);
  if (!fs.existsSync(path.join(dir, 'ready'))) {
    fs.mkdirSync(cacheRoot, { recursive: true });
    const staging = fs.mkdtempSync(path.join(cacheRoot, `.unpack-${version}-`));
    const bin = path.join(packageDir, 'bin');
    try {
      // The package's own layout (its executablePath() unpacks the same files into os.tmpdir()):
      // the binary, swiftshader's GL libraries beside it, fonts/, and — ours — NSS in al2023/lib.
      await unbrotli(path.join(bin, 'chromium.br'), path.join(staging, 'chromium'), packageDir);
      await unbrotli(path.join(bin, 'swiftshader.tar.br'), staging, packageDir);
      await unbrotli(path.join(bin, 'fonts.tar.br'), path.join(staging, 'fonts'), packageDir);
      await unbrotli(path.join(bin, 'al2023.tar.br'), path.join(staging, 'al2023'), packageDir);
      // The package's fonts.conf names /tmp/fonts (where its own unpack goes); ours names this folder.
      // Without a font Chromium's renderer stops ("SkFontMgr_FontConfigInterface: Not implemented").
      fs.writeFileSync(path.join(staging, 'fonts', 'fonts.conf'), fontsConf(dir));
      fs.writeFileSync(path.join(staging, 'ready'), `@sparticuz/chromium ${version}\n`);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw e;
    }
    try {
      fs.renameSync(staging, dir);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another run got there first
    }
  }
  const executablePath = path.join(dir, 'chromium');
  const env = { FONTCONFIG_PATH: path.join(dir, 'fonts'), HOME: process.env.HOME || dir };
  const missing = missingLibraries(executablePath);
  if (missing === null || missing.length > 0) {
    env.LD_LIBRARY_PATH = [path.join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  return { source: 'npm', executablePath, env, args: NPM_ARGS };
}

/** Resolves the browser for this machine (see the file comment). */
async function resolveBrowser(env = process.env, exists = fs.existsSync) {
  const choice = chooseBrowser({ env, exists });
  if (choice.source !== 'npm') return { ...choice, env: {}, args: [] };
  return prepareNpmChromium();
}

/** jest globalSetup: choose once, before the workers start, and hand the choice on in SOL_BROWSER. */
async function prepareBrowserForTests() {
  if (process.env.SOL_BROWSER) return JSON.parse(process.env.SOL_BROWSER);
  const chosen = await resolveBrowser();
  process.env.SOL_BROWSER = JSON.stringify(chosen);
  return chosen;
}

/** playwright-core launch options from the choice (SOL_BROWSER, else resolved now). */
async function launchOptions() {
  const chosen = process.env.SOL_BROWSER ? JSON.parse(process.env.SOL_BROWSER) : await resolveBrowser();
  return {
    executablePath: chosen.executablePath,
    headless: true,
    args: [...BASE_ARGS, ...chosen.args],
    env: Object.keys(chosen.env).length ? { ...process.env, ...chosen.env } : undefined,
  };
}

module.exports = { SYSTEM_CHROMIUM, chooseBrowser, prepareNpmChromium, resolveBrowser, prepareBrowserForTests, launchOptions };
