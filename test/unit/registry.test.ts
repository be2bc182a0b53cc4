/**
 * The registry is the single list Apps Script calls by name: every RPC of the sidebar's contract
 * (src/rpcTypes.ts SidebarApi) must be registered as an 'rpc' entry, and every menu item must
 * point at a registered function.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ENTRY_POINTS } from '../../src/entries';
import { MENU_ITEMS } from '../../src/gas/menu';

function sidebarApiNames(): string[] {
  const file = path.resolve(__dirname, '../../src/rpcTypes.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020, true);
  const names: string[] = [];
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'SidebarApi') {
      for (const m of node.members) if (m.name && ts.isIdentifier(m.name)) names.push(m.name.text);
    }
  });
  return names;
}

test('every SidebarApi function is a registered rpc entry', () => {
  const rpc = new Set(ENTRY_POINTS.filter((e) => e.kind === 'rpc').map((e) => e.name));
  const missing = sidebarApiNames().filter((n) => !rpc.has(n));
  expect(sidebarApiNames().length).toBeGreaterThan(15);
  expect(missing).toEqual([]);
});

test('every menu item calls a registered menu or rpc function', () => {
  const names = new Set(ENTRY_POINTS.map((e) => e.name));
  expect(MENU_ITEMS.map((m) => m.fn).filter((fn) => !names.has(fn))).toEqual([]);
});

test('entry names are unique and custom functions are upper-case with parameters', () => {
  const names = ENTRY_POINTS.map((e) => e.name);
  expect(new Set(names).size).toBe(names.length);
  for (const e of ENTRY_POINTS.filter((x) => x.kind === 'customFunction')) {
    expect(e.name).toMatch(/^[A-Z][A-Z0-9_]*[A-Z0-9]$/);
    expect(e.params.length).toBeGreaterThan(0);
  }
});
