/**
 * The built add-on under Apps Script's platform rules, in the emulator (issue: emulator done-when):
 * onOpen in AuthMode NONE and LIMITED builds the menu touching nothing else (S7.7); every menu item
 * resolves to a top-level function (S6.2); custom functions answer scalars and 2-D ranges and are
 * refused when they try to write (S9.6); a scope missing from the manifest refuses the call that
 * needs it; "Generate letters" opens the sidebar on its Letters tab.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator } from '../../emulator';
import { loadBuiltProject, REPO_ROOT } from '../helpers/project';
import { putSampleSchool } from '../helpers/sampleSpreadsheet';

const dist = path.join(REPO_ROOT, 'dist');

describe('onOpen (S7.7)', () => {
  test.each(['NONE', 'LIMITED'] as const)('in AuthMode.%s builds the add-on menu and calls nothing but the Ui', (mode) => {
    const emu = createEmulator();
    loadBuiltProject(emu);
    emu.calls.reset();
    emu.runSimpleTrigger('onOpen', mode);
    const menu = emu.ui.menus[emu.ui.menus.length - 1];
    const captions = menu.items.filter((i): i is { caption: string; fn: string } => typeof i === 'object' && 'fn' in i).map((i) => i.caption);
    expect(captions).toEqual(['Open sidebar', 'Set up…', 'Recalculate', 'Generate letters', 'Create letter templates', 'Weekly report now', 'Check this installation']);
    const services = Object.keys(emu.calls.snapshot()).map((k) => k.split('.')[0]);
    expect([...new Set(services)]).toEqual(['SpreadsheetApp']);
    expect(Object.keys(emu.calls.snapshot()).every((k) => /getUi|Menu|Ui\./.test(k))).toBe(true);
  });

  test('every menu item names a top-level function of the bundle (S6.2: a missing one fails only when clicked)', () => {
    const emu = createEmulator();
    loadBuiltProject(emu);
    emu.runSimpleTrigger('onOpen', 'LIMITED');
    const code = fs.readFileSync(path.join(dist, 'Code.js'), 'utf8');
    for (const item of emu.ui.menus[0].items) {
      if (typeof item === 'object' && 'fn' in item) expect(code).toContain(`\nfunction ${item.fn}(`);
    }
  });
});

describe('custom functions (S9.x)', () => {
  test('ATTEND_PCT and ATTEND_TIER answer a scalar and a 2-D range of the same shape', () => {
    const emu = createEmulator();
    loadBuiltProject(emu);
    expect(emu.runCustomFunction('ATTEND_TIER', [0.94])).toMatch(/^Step 4/);
    expect(emu.runCustomFunction('ATTEND_TIER', [[[1], [0.965], [0.899]]])).toEqual([['No step'], [expect.stringMatching(/^Step 3/)], [expect.stringMatching(/^Step 6/)]]);
    expect(emu.runCustomFunction('ATTEND_PCT', [[['/', '\\', 'L', 'U']]])).toBe(0.75);
    expect(emu.runCustomFunction('ATTEND_PCT', [[['/', 'N'], ['/', '\\']]])).toEqual([[0.5], [1]]);
    expect(() => emu.runCustomFunction('ATTEND_PCT', [[['/', 'ZZ']]])).toThrow(/Unknown attendance code "ZZ" in row 1, column 2/);
    expect(emu.runCustomFunction('ATTEND_COUNT', [[['/', 'N', 'U', 'N']], 'N'])).toBe(2);
    expect(emu.runCustomFunction('ATTEND_FLAG', [[['/', 'O'], ['/', '\\']]])).toEqual([['Severe'], ['']]);
  });

  test('add-on actions run as a custom function are refused and nothing changes (S9.6, S9.7)', () => {
    const emu = createEmulator({ users: ['al@school.example'] });
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(dist)) files[f] = fs.readFileSync(path.join(dist, f), 'utf8');
    // A cell formula that tries to write, next to the add-on's own code in the one global scope.
    files['Zz.js'] = 'function WRITE_A1() { SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange("A1").setValue("x"); }';
    emu.loadSources(files);
    const school = putSampleSchool(emu, { students: 30 });
    const before = emu.direct(() => emu.spreadsheet.getSheets().map((s) => s.getDataRange().getValues()));
    // S9.7: no identity in a custom function, so the role check refuses before anything is read or written.
    expect(() => emu.runCustomFunction('recalculate', [], { user: school.staffOf('AL').email })).toThrow(/email is hidden in this context/);
    // S6.1 / S9.6: no UI and no writes from a cell.
    expect(() => emu.runCustomFunction('onOpen', [{}])).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
    expect(() => emu.runCustomFunction('WRITE_A1', [])).toThrow(/You do not have permission to call/);
    expect(emu.direct(() => emu.spreadsheet.getSheets().map((s) => s.getDataRange().getValues()))).toEqual(before);
  });
});

test('a scope missing from appsscript.json refuses the call that needs it', () => {
  const emu = createEmulator();
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'appsscript.json'), 'utf8'));
  manifest.oauthScopes = manifest.oauthScopes.filter((s: string) => !s.endsWith('script.container.ui'));
  emu.loadSources({ 'appsscript.json': JSON.stringify(manifest), 'Code.js': fs.readFileSync(path.join(dist, 'Code.js'), 'utf8'), 'Sidebar.html': fs.readFileSync(path.join(dist, 'Sidebar.html'), 'utf8') });
  expect(() => emu.run('showSidebar')).toThrow(/Required permissions: https:\/\/www\.googleapis\.com\/auth\/script\.container\.ui/);
  expect(emu.ui.sidebar).toBeNull();
});

test('"Generate letters" opens the sidebar on the Letters tab, once', async () => {
  const emu = createEmulator({ users: ['al@school.example'] });
  loadBuiltProject(emu);
  const school = putSampleSchool(emu, { students: 20 });
  const al = school.staffOf('AL').email;
  emu.run('menuGenerateLetters', [], { user: al });
  expect(emu.ui.sidebar?.title).toBe('SOL Tracker');
  expect(((await emu.rpc('getBootstrap', [], al)) as { initialTab: string | null }).initialTab).toBe('letters');
  expect(((await emu.rpc('getBootstrap', [], al)) as { initialTab: string | null }).initialTab).toBeNull();
});
