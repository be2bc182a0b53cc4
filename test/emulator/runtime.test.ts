/** Conformance: loader, executions, scopes, auth modes, limits and call accounting (§0, §1.7, §1.9, §7). */
import { createEmulator } from '../../emulator';
import { AUTH, emulatorWith, FIXTURE_DIR, PROJECT_SCOPES, thrown } from './helpers';

describe('V1 loader and global scope', () => {
  test('V1.2/V1.4 loadProject evaluates all files in one scope; globals do not persist between executions', () => {
    const emu = createEmulator();
    emu.loadProject(FIXTURE_DIR);
    expect(emu.run('bump')).toBe(1);
    expect(emu.run('bump')).toBe(1);
  });

  test('V1.2 files are concatenated alphabetically into one global scope (a function in b.js calls one in a.js)', () => {
    const emu = createEmulator();
    emu.loadSources({
      'appsscript.json': JSON.stringify({ timeZone: 'Europe/London', oauthScopes: PROJECT_SCOPES }),
      'b.js': 'function caller() { return shared() + 1; }',
      'a.js': 'var BASE = 41; function shared() { return BASE; }',
    });
    expect(emu.run('caller')).toBe(42);
  });

  test('V1.5/V1.6 the script sees no require, module, process, Buffer, setTimeout, fetch, TextEncoder, URL', () => {
    const emu = emulatorWith(`function probe() { return [typeof require, typeof module, typeof process, typeof Buffer, typeof setTimeout, typeof setInterval, typeof fetch, typeof TextEncoder, typeof URL, typeof structuredClone]; }`);
    expect(emu.run('probe')).toEqual(Array(10).fill('undefined'));
  });

  test('V1.6 the services, Logger and console are globals', () => {
    const emu = emulatorWith(`function probe() { Logger.log('a %s', 1); console.log('b', {x: 1}); return [typeof SpreadsheetApp, typeof MailApp, typeof DocumentApp, typeof ScriptApp, typeof PropertiesService, typeof LockService, typeof CacheService, typeof HtmlService, typeof Session, typeof Utilities]; }`);
    expect(emu.run('probe')).toEqual(Array(10).fill('object'));
    expect(emu.logs).toEqual(['a 1', 'b {"x":1}']);
  });

  test('V1.9 var/const function values are callable entry points', () => {
    const emu = emulatorWith(`var viaVar = function () { return 'var'; }; const viaConst = () => 'const';`);
    expect(emu.run('viaVar')).toBe('var');
    expect(emu.run('viaConst')).toBe('const');
  });

  test('a missing function fails like Apps Script (RPT "Script function not found")', () => {
    const emu = emulatorWith('function a() {}');
    expect(thrown(() => emu.run('nope')).message).toBe('Script function not found: nope');
  });

  test('E0.1 service exceptions are Errors of the script realm named "Exception"', () => {
    const emu = emulatorWith(`function shape() { try { SpreadsheetApp.getActiveSheet().getRange(0, 1); } catch (e) { return [e instanceof Error, e.name, e.message, String(e)]; } }`);
    expect(emu.run('shape')).toEqual([true, 'Exception', 'The starting row of the range is too small.', 'Exception: The starting row of the range is too small.']);
  });

  test('Dates from cells are instanceof Date inside the script; new Date() reads the modelled clock', () => {
    const emu = emulatorWith(`function probe() { var v = SpreadsheetApp.getActiveSheet().getRange('A1').getValue(); return [v instanceof Date, new Date().toISOString(), Date.now() === new Date().getTime()]; }`, { now: new Date('2027-01-04T09:00:00Z') });
    emu.direct(() => emu.spreadsheet.getSheets()[0].getRange('A1').setValue('2026-12-01'));
    const [isDate, now, same] = emu.run<[boolean, string, boolean]>('probe');
    expect(isDate).toBe(true);
    expect(now.startsWith('2027-01-04T09:00:00')).toBe(true);
    expect(same).toBe(true);
  });
});

describe('OAuth scopes (manifest)', () => {
  test('a call whose scope is not in appsscript.json is refused with Google\'s message shape', () => {
    const emu = emulatorWith(`function send() { MailApp.sendEmail('a@b.example', 's', 'b'); }`, { scopes: PROJECT_SCOPES.filter((s) => !s.endsWith('send_mail')) });
    expect(thrown(() => emu.run('send')).message).toBe(`Specified permissions are not sufficient to call MailApp.sendEmail. Required permissions: ${AUTH}script.send_mail`);
    expect(emu.mail.outbox).toHaveLength(0);
  });

  test('alternatives are listed: the container needs spreadsheets.currentonly or spreadsheets', () => {
    const emu = emulatorWith(`function read() { return SpreadsheetApp.getActive().getName(); }`, { scopes: [`${AUTH}documents`] });
    expect(thrown(() => emu.run('read')).message).toBe(
      `Specified permissions are not sufficient to call SpreadsheetApp.getActive. Required permissions: (${AUTH}spreadsheets.currentonly || ${AUTH}spreadsheets)`,
    );
  });

  test('spreadsheets.currentonly suffices for the container but not for openById', () => {
    const emu = emulatorWith(`function a() { return SpreadsheetApp.getActive().getId(); } function b(id) { return SpreadsheetApp.openById(id).getName(); }`, { scopes: [`${AUTH}spreadsheets.currentonly`] });
    const id = emu.run<string>('a');
    expect(thrown(() => emu.run('b', [id])).message).toContain('Specified permissions are not sufficient to call SpreadsheetApp.openById');
  });

  test('DriveApp needs a drive scope, which the add-on does not request', () => {
    const emu = emulatorWith(`function f(id) { return DriveApp.getFileById(id).getName(); }`);
    expect(thrown(() => emu.run('f', ['x'])).message).toMatch(/^Specified permissions are not sufficient to call DriveApp\.getFileById/);
  });

  test('Session email needs userinfo.email; Properties, Lock, Utilities need no scope', () => {
    const emu = emulatorWith(`function f() { PropertiesService.getScriptProperties().setProperty('a', 1); LockService.getScriptLock().tryLock(10); Utilities.getUuid(); return Session.getActiveUser().getEmail(); }`, { scopes: [`${AUTH}spreadsheets`] });
    expect(thrown(() => emu.run('f')).message).toBe(`Specified permissions are not sufficient to call Session.User.getEmail. Required permissions: ${AUTH}userinfo.email`);
    expect(emu.properties.script()).toEqual({ a: '1' });
  });
});

describe('S7.7 auth modes', () => {
  const code = `
    function menuOnly(e) { SpreadsheetApp.getUi().createAddonMenu().addItem('Go', 'go').addToUi(); return e.authMode; }
    function props(e) { return PropertiesService.getDocumentProperties().getProperty('k'); }
    function sheet(e) { return SpreadsheetApp.getActive().getSheets().length; }
    function mail(e) { MailApp.sendEmail('a@b.example', 's', 'b'); }
    function docs(e) { return DocumentApp.create('x').getId(); }
    function triggers(e) { return ScriptApp.getProjectTriggers().length; }
  `;
  const run = (fn: string, mode: 'NONE' | 'LIMITED' | 'FULL') => {
    const emu = emulatorWith(code);
    try {
      emu.run(fn, [{ authMode: mode }], { authMode: mode, kind: 'simpleTrigger' });
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };
  test('NONE: only building menus works; Properties and the spreadsheet are refused', () => {
    expect(run('menuOnly', 'NONE')).toBe('ok');
    expect(run('props', 'NONE')).toMatch(/^You do not have permission to call PropertiesService/);
    expect(run('sheet', 'NONE')).toMatch(/^You do not have permission to call SpreadsheetApp/);
  });
  test('LIMITED: the bound spreadsheet, UI and Properties work; Mail, Docs and ScriptApp are refused (M1.5)', () => {
    expect(run('props', 'LIMITED')).toBe('ok');
    expect(run('sheet', 'LIMITED')).toBe('ok');
    expect(run('mail', 'LIMITED')).toMatch(/^You do not have permission to call MailApp\.sendEmail/);
    expect(run('docs', 'LIMITED')).toMatch(/^You do not have permission to call DocumentApp\.create/);
    expect(run('triggers', 'LIMITED')).toMatch(/^You do not have permission to call ScriptApp/);
  });
  test('FULL: everything the manifest allows', () => {
    for (const fn of ['props', 'sheet', 'mail', 'docs', 'triggers']) expect(run(fn, 'FULL')).toBe('ok');
  });
  test('S7.6/S7.3 runSimpleTrigger passes the event; onOpen in NONE builds the add-on menu', () => {
    const emu = createEmulator();
    emu.loadProject(FIXTURE_DIR);
    expect(emu.runSimpleTrigger('onOpen', 'NONE')).toBe('NONE');
    expect(emu.ui.menus[0].items.map((i) => (typeof i === 'string' ? i : i.caption))).toEqual(['Open sidebar', 'separator', 'Weekly report']);
    expect(emu.runSimpleTrigger('onEdit', 'LIMITED', {})).toBeUndefined(); // no onEdit in the fixture
  });
});

describe('S9 custom functions', () => {
  const code = `
    function DOUBLE(x) { return Array.isArray(x) ? x.map(function (r) { return r.map(function (v) { return v * 2; }); }) : x * 2; }
    function WRITE() { SpreadsheetApp.getActive().getSheets()[0].getRange('A1').setValue(1); }
    function READ() { return SpreadsheetApp.getActive().getSheets()[0].getRange('A1').getValue(); }
    function MAIL() { MailApp.sendEmail('a@b.example', 's', 'b'); }
    function OPEN(id) { return SpreadsheetApp.openById(id).getName(); }
    function WHO() { return [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail()]; }
    function UI() { SpreadsheetApp.getUi(); }
    function PROPS() { return PropertiesService.getUserProperties().getProperty('p'); }
    function SLOW() { Utilities.sleep(20000); Utilities.sleep(20000); return 'never'; }
  `;
  test('S9.2 scalar and 2-D arguments, same shape back', () => {
    const emu = emulatorWith(code);
    expect(emu.runCustomFunction('DOUBLE', [21])).toBe(42);
    expect(emu.runCustomFunction('DOUBLE', [[[1, 3], [2, 4]]])).toEqual([[2, 6], [4, 8]]);
  });
  test('S9.6 the spreadsheet is read-only: set* throws "You do not have permission to call setValue" (RPT; INF exact form)', () => {
    const emu = emulatorWith(code);
    emu.direct(() => emu.spreadsheet.getSheets()[0].getRange('A1').setValue(5));
    expect(emu.runCustomFunction('READ', [])).toBe(5);
    expect(thrown(() => emu.runCustomFunction('WRITE', [])).message).toBe('You do not have permission to call setValue');
  });
  test('S9.6 no MailApp and no openById', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.runCustomFunction('MAIL', [])).message).toMatch(/^You do not have permission to call MailApp\.sendEmail/);
    const id = emu.direct(() => emu.spreadsheet.getId());
    expect(thrown(() => emu.runCustomFunction('OPEN', [id])).message).toMatch(/^You do not have permission to call SpreadsheetApp\.openById/);
  });
  test('S9.7/U1.1 Session emails are blank; S9.6 user properties are the owner\'s', () => {
    const emu = emulatorWith(code + `function SETP() { PropertiesService.getUserProperties().setProperty('p', 'owner-value'); }`, { users: ['owner@s.example', 'ed@s.example'] });
    emu.run('SETP');
    expect(emu.runCustomFunction('WHO', [], { user: 'ed@s.example' })).toEqual(['', '']);
    expect(emu.runCustomFunction('PROPS', [], { user: 'ed@s.example' })).toBe('owner-value');
  });
  test('S6.1 getUi from a custom function throws the no-UI message', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.runCustomFunction('UI', [])).message).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
  });
  test('S9.5 custom functions have 30 s', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.runCustomFunction('SLOW', [])).message).toBe('Exceeded maximum execution time');
  });
});

describe('execution limits, faults and accounting', () => {
  const code = `
    function reads(n) { var r = SpreadsheetApp.getActiveSheet().getRange('A1'); for (var i = 0; i < n; i++) r.getValue(); return 'done'; }
    function swallow(n) { try { reads(n); } catch (e) { return 'caught: ' + e.message; } }
    function lockAndFail() { LockService.getScriptLock().waitLock(1000); throw new Error('boom'); }
    function lockFree() { return LockService.getScriptLock().tryLock(0); }
    function twoGets() { var s = SpreadsheetApp.getActiveSheet(); s.getRange('A1:B2').getValues(); s.getRange('A1').setValue(1); return 1; }
  `;
  test('E0.4 an execution over 6 minutes throws "Exceeded maximum execution time" at the call that crosses it', () => {
    const emu = emulatorWith(code);
    emu.calls.reset();
    // getValue costs 7 ms: 360000 / 7 ≈ 51,429 calls fit
    expect(thrown(() => emu.run('reads', [60000])).message).toBe('Exceeded maximum execution time');
    expect(emu.calls.get('SpreadsheetApp.Range.getValue')).toBe(Math.floor(360000 / 7) + 1);
  });
  test('a time-out ends the execution even if the project catches it', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('swallow', [60000])).message).toBe('Exceeded maximum execution time');
  });
  test('faults.inject: the nth call fails with the given text, or times out', () => {
    const emu = emulatorWith(code);
    emu.faults.inject('SpreadsheetApp.Range.getValue', { nth: 3, error: 'We\'re sorry, a server error occurred. Please wait a bit and try again.' });
    expect(thrown(() => emu.run('reads', [5])).message).toBe("We're sorry, a server error occurred. Please wait a bit and try again.");
    expect(emu.run('reads', [5])).toBe('done'); // fired once
    emu.faults.inject('SpreadsheetApp.Range.getValue', { nth: 2, error: 'timeout' });
    expect(thrown(() => emu.run('swallow', [3])).message).toBe('Exceeded maximum execution time');
    emu.faults.clear();
    emu.faults.inject('SpreadsheetApp.Range.getValue', { every: true, error: 'x' });
    expect(thrown(() => emu.run('reads', [1])).message).toBe('x');
  });
  test('L1.2 locks are released when an execution ends, even by an error', () => {
    const emu = emulatorWith(code);
    thrown(() => emu.run('lockAndFail'));
    expect(emu.run('lockFree')).toBe(true);
  });
  test('calls are counted per Service.Class.method; direct() calls are not; modelledMs sums latency', () => {
    const emu = emulatorWith(code);
    emu.calls.reset();
    emu.direct(() => emu.spreadsheet.getSheets()[0].getRange('A1').getValue());
    expect(emu.calls.total()).toBe(0);
    emu.run('twoGets');
    expect(emu.calls.snapshot()).toEqual({
      'SpreadsheetApp.Range.getValues': 1, 'SpreadsheetApp.Range.setValue': 1, 'SpreadsheetApp.Sheet.getRange': 2, 'SpreadsheetApp.getActiveSheet': 1,
    });
    expect(emu.modelledMs()).toBeCloseTo(50 + 4 * 0.005 + 7 + 2 * 1 + 1, 5);
  });
  test('the modelled clock advances by the latency of counted calls', () => {
    const emu = emulatorWith(code);
    const before = emu.clock.now().getTime();
    emu.run('reads', [100]);
    expect(emu.clock.now().getTime() - before).toBeGreaterThanOrEqual(700);
  });
  test('latency table entries can be overridden', () => {
    const emu = emulatorWith(code, { latency: { 'SpreadsheetApp.Range.getValue': { baseMs: 100, source: 'test' } } });
    emu.calls.reset();
    emu.run('reads', [3]);
    expect(emu.modelledMs()).toBeGreaterThanOrEqual(300);
  });
});
