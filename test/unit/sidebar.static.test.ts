/**
 * Grep-level guarantees about the sidebar source and its built page:
 * - only sidebar/rpc.ts talks to google.script.run (one typed RPC module owns it);
 * - no HTML is built from strings that are not literals (server text is inserted as text);
 * - the page loads nothing from the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const root = path.resolve(__dirname, '../..');
const sidebarDir = path.join(root, 'sidebar');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|html)$/.test(e.name) ? [full] : [];
  });
}

const files = sourceFiles(sidebarDir).map((file) => ({ rel: path.relative(root, file), text: fs.readFileSync(file, 'utf8') }));
const tsFiles = files.filter((f) => f.rel.endsWith('.ts'));

/** Loads of external resources in HTML or CSS (what an offline sidebar must not do). */
function externalLoads(html: string): string[] {
  const found: string[] = [];
  const patterns = [
    /<(script|link|img|iframe|source|audio|video|embed|object)\b[^>]*\b(src|href|data)\s*=\s*["']?(https?:)?\/\/[^\s"'>]*/gi,
    /url\(\s*["']?(https?:)?\/\/[^)]*\)/gi,
    /@import\s+["']?(url\()?["']?(https?:)?\/\//gi,
  ];
  for (const p of patterns) for (const m of html.matchAll(p)) found.push(m[0]);
  return found;
}

describe('sidebar source', () => {
  test('finds the sidebar files', () => {
    expect(tsFiles.map((f) => f.rel)).toEqual(expect.arrayContaining(['sidebar/rpc.ts', 'sidebar/main.ts', 'sidebar/dom.ts']));
  });

  test('only sidebar/rpc.ts mentions google.script.run', () => {
    const users = files.filter((f) => /google\s*\.\s*script\s*\.\s*run/.test(f.text)).map((f) => f.rel);
    expect(users).toEqual(['sidebar/rpc.ts']);
  });

  test('no file reaches google.script by another spelling', () => {
    const sneaky = tsFiles.filter((f) => f.rel !== 'sidebar/rpc.ts' && /\bgoogle\b\s*(\.|\[)|\[\s*['"`]script['"`]\s*\]/.test(f.text)).map((f) => f.rel);
    expect(sneaky).toEqual([]);
  });

  test('innerHTML/outerHTML/insertAdjacentHTML/document.write only ever get string literals', () => {
    const offenders: string[] = [];
    for (const f of tsFiles) {
      f.text.split('\n').forEach((line, i) => {
        const at = `${f.rel}:${i + 1}: ${line.trim()}`;
        const assign = /\.(innerHTML|outerHTML)\s*\+?=\s*(.+)$/.exec(line);
        if (assign && !/^(['"])[^'"]*\1\s*;?\s*$|^`[^`$]*`\s*;?\s*$/.test(assign[2].trim())) offenders.push(at);
        const adjacent = /insertAdjacentHTML\s*\(\s*[^,]+,\s*(.+)\)/.exec(line);
        if (adjacent && !/^(['"])[^'"]*\1\s*$|^`[^`$]*`\s*$/.test(adjacent[1].trim())) offenders.push(at);
        if (/document\.write(ln)?\s*\(/.test(line) || /\bcreateContextualFragment\b|\bDOMParser\b/.test(line)) offenders.push(at);
      });
    }
    expect(offenders).toEqual([]);
  });

  test('server HTML (the letter email) only goes into a script-less sandboxed frame', () => {
    const srcdocUsers = tsFiles.filter((f) => /\bsrcdoc\b/.test(f.text));
    for (const f of srcdocUsers) {
      expect(f.text).toMatch(/sandbox:\s*''/);
      expect(f.text).toMatch(/Content-Security-Policy[^\n]*default-src 'none'/);
    }
    expect(files.filter((f) => /allow-scripts|allow-same-origin/.test(f.text)).map((f) => f.rel)).toEqual([]);
  });

  test('sidebar/index.html keeps the build placeholders', () => {
    const html = fs.readFileSync(path.join(sidebarDir, 'index.html'), 'utf8');
    expect(html).toContain('<!-- INLINE:CSS -->');
    expect(html).toContain('<!-- INLINE:JS -->');
    expect(externalLoads(html)).toEqual([]);
  });
});

describe('sidebar bundle', () => {
  test('bundles for the browser (es2019 iife, as build.mjs does) with no external loads', () => {
    const out = buildSync({
      entryPoints: [path.join(sidebarDir, 'main.ts')], bundle: true, write: false, format: 'iife',
      target: 'es2019', platform: 'browser', minify: true, legalComments: 'none', logLevel: 'silent',
    });
    const js = out.outputFiles[0].text;
    const css = fs.readFileSync(path.join(sidebarDir, 'styles.css'), 'utf8');
    expect(externalLoads(`<style>${css}</style><script>${js}</script>`)).toEqual([]);
    expect(js).not.toMatch(/\bfetch\(|XMLHttpRequest|\bimport\(/);
    // Server code must not leak into the page bundle (the contract is types only).
    expect(js).not.toMatch(/SpreadsheetApp|MailApp|PropertiesService/);
  });

  const dist = path.join(root, 'dist/Sidebar.html');
  const distTest = fs.existsSync(dist) ? test : test.skip;
  distTest(`built dist/Sidebar.html loads nothing external${fs.existsSync(dist) ? '' : ' (skipped: dist/Sidebar.html is not built; run `npm run build` first)'}`, () => {
    const html = fs.readFileSync(dist, 'utf8');
    expect(externalLoads(html)).toEqual([]);
    expect(html).not.toContain('<!-- INLINE:');
  });
});
