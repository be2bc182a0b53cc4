/** Conformance: Ui (S6), HtmlService (H1), google.script.run (H2), onEdit (S7.4). */
import { createEmulator } from '../../emulator';
import { emulatorWith, FIXTURE_DIR, rejected, thrown } from './helpers';

describe('S6 Ui', () => {
  const code = `
    function ask() { var ui = SpreadsheetApp.getUi(); return [ui.alert('Sure?'), ui.alert('Title', 'Body', ui.ButtonSet.YES_NO) === ui.Button.YES]; }
    function askName() { var r = SpreadsheetApp.getUi().prompt('Name?'); return [r.getResponseText(), r.getSelectedButton()]; }
    function uiFromTrigger() { SpreadsheetApp.getUi(); }
    function holdThenAlert() { var l = LockService.getDocumentLock(); l.waitLock(100); SpreadsheetApp.getUi().alert('wait'); return l.hasLock(); }
    function dialog() { SpreadsheetApp.getUi().showModalDialog(HtmlService.createHtmlOutput('<b>hi</b>'), 'Preview'); }
    function toast() { SpreadsheetApp.getActive().toast('Saved', 'SOL Tracker'); }
  `;
  test('S6.3 alert overloads answer from the queue, default OK; prompt gives text and button', () => {
    const emu = emulatorWith(code);
    emu.ui.queueAlertResponse('CANCEL');
    emu.ui.queueAlertResponse('YES');
    expect(emu.run('ask')).toEqual(['CANCEL', true]);
    expect(emu.ui.alerts).toEqual(['Sure?', 'Title: Body']);
    expect(emu.run('ask')).toEqual(['OK', false]);
    emu.ui.queuePromptResponse('Ada', 'OK');
    expect(emu.run('askName')).toEqual(['Ada', 'OK']);
  });
  test('S6.1 getUi from a time-driven trigger throws "Cannot call SpreadsheetApp.getUi() from this context."', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('uiFromTrigger', [], { kind: 'trigger' })).message).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
    expect(() => emu.run('uiFromTrigger', [], { kind: 'rpc' })).not.toThrow(); // a sidebar call has UI
  });
  test('S6.3/L1.2 an alert suspends the script and its locks are released', () => {
    const emu = emulatorWith(code);
    expect(emu.run('holdThenAlert')).toBe(false);
  });
  test('S6.4 sidebar and dialogs are recorded with title and content; S2.12 toasts recorded', () => {
    const emu = createEmulator();
    emu.loadProject(FIXTURE_DIR);
    emu.run('showSidebar');
    expect(emu.ui.sidebar!.title).toBe('SOL Tracker');
    const e2 = emulatorWith(code);
    e2.run('dialog');
    e2.run('toast');
    expect(e2.ui.dialogs[0]).toMatchObject({ title: 'Preview', html: '<b>hi</b>' });
    expect(e2.ui.toasts).toEqual([{ msg: 'Saved', title: 'SOL Tracker' }]);
  });
});

describe('H1 HtmlService', () => {
  test('H1.4 templates: <?= ?> escapes, <?!= ?> is raw, <? ?> runs code; properties are in scope; include() idiom', () => {
    const emu = createEmulator();
    emu.loadProject(FIXTURE_DIR);
    emu.run('showSidebar');
    expect(emu.ui.sidebar!.html).toBe('<h1>Hill &lt;Top&gt; School</h1>\n<style>b { color: red }</style>\n\n<p>row 0</p><p>row 1</p>\n');
  });
  test('H1.1 a missing project file throws', () => {
    const emu = emulatorWith(`function f() { HtmlService.createHtmlOutputFromFile('Nope'); }`);
    expect(thrown(() => emu.run('f')).message).toBe('No HTML file named Nope was found.');
  });
  test('H1.2 HtmlOutput setters chain; append is raw, appendUntrusted escapes', () => {
    const emu = emulatorWith(`function f() { var o = HtmlService.createHtmlOutput('<p>').append('<i>').appendUntrusted('<x>').setTitle('T').setWidth(300).setXFrameOptionsMode(HtmlService.XFrameOptionsMode.ALLOWALL); return [o.getContent(), o.getTitle(), o.getWidth()]; }`);
    expect(emu.run('f')).toEqual(['<p><i>&lt;x&gt;', 'T', 300]);
  });
});

describe('H2 google.script.run', () => {
  const code = `
    function echo(x) { return x; }
    function kind(x) { return [Array.isArray(x), typeof x, x === null]; }
    function withDate() { return { when: new Date(), n: 1 }; }
    function withFn() { return { f: function () {}, n: 1 }; }
    function fail(m) { throw new Error(m); }
    function sheetFail() { SpreadsheetApp.getActiveSheet().getRange(0, 1); }
    function helper_() { return 1; }
    var counter = 0; function bump() { counter += 1; return counter; }
  `;
  test('H2.1 rpc is asynchronous and returns a copy of the result', async () => {
    const emu = emulatorWith(code);
    const p = emu.rpc('echo', [{ a: [1, 'x'] }]);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toEqual({ a: [1, 'x'] });
  });
  test('H2.3 Dates, functions and circular objects are illegal parameters (the call fails)', async () => {
    const emu = emulatorWith(code);
    expect((await rejected(emu.rpc('echo', [new Date()]))).message).toMatch(/illegal value/);
    expect((await rejected(emu.rpc('echo', [{ deep: [() => 1] }]))).message).toMatch(/illegal value/);
    const circ: Record<string, unknown> = {};
    circ.self = circ;
    expect((await rejected(emu.rpc('echo', [circ]))).message).toMatch(/illegal value/);
  });
  test('H2.3 undefined array elements become null; arrays arrive as arrays', async () => {
    const emu = emulatorWith(code);
    expect(await emu.rpc('echo', [[1, undefined, 3]])).toEqual([1, null, 3]);
    expect(await emu.rpc('kind', [[1]])).toEqual([true, 'object', false]);
  });
  test('H2.4 a Date anywhere in the return value delivers null; functions are dropped', async () => {
    const emu = emulatorWith(code);
    expect(await emu.rpc('withDate')).toBeNull();
    expect(await emu.rpc('withFn')).toEqual({ n: 1 });
  });
  test('H2.2 a server exception rejects with an Error carrying the server message', async () => {
    const emu = emulatorWith(code);
    expect((await rejected(emu.rpc('fail', ['nope']))).message).toBe('nope');
    const e = await rejected(emu.rpc('sheetFail'));
    expect([e.name, e.message]).toEqual(['Exception', 'The starting row of the range is too small.']);
  });
  test('H2.5 private functions (trailing _) and unknown names are not callable from the client', async () => {
    const emu = emulatorWith(code);
    expect((await rejected(emu.rpc('helper_'))).message).toBe('google.script.run.helper_ is not a function');
    expect((await rejected(emu.rpc('missing'))).message).toBe('google.script.run.missing is not a function');
  });
  test('H2.6 each call is a fresh execution: server globals do not persist', async () => {
    const emu = emulatorWith(code);
    expect(await emu.rpc('bump')).toBe(1);
    expect(await emu.rpc('bump')).toBe(1);
  });
});

describe('S7.4 onEdit via userEdit', () => {
  const code = `
    function onEdit(e) {
      return { value: e.value, oldValue: e.oldValue, hasOld: 'oldValue' in e, hasValue: 'value' in e, a1: e.range.getA1Notation(),
               rowStart: e.range.rowStart, columnEnd: e.range.columnEnd, authMode: e.authMode, sheet: e.source.getActiveSheet().getName(),
               email: e.user.getEmail() };
    }
  `;
  test('S7.4 single-cell edit: value string, no oldValue on an empty cell, range and LIMITED auth', () => {
    const emu = emulatorWith(code);
    expect(emu.userEdit('Sheet1', 'B3', 5)).toEqual({ value: '5', hasOld: false, hasValue: true, a1: 'B3', rowStart: 3, columnEnd: 2, authMode: 'LIMITED', sheet: 'Sheet1', email: '' });
    expect(emu.direct(() => emu.spreadsheet.getRange('Sheet1!B3').getValue())).toBe(5);
  });
  test('S7.4 oldValue is the prior value as a string; checkbox ticks read "TRUE"/"FALSE"; clearing leaves value undefined', () => {
    const emu = emulatorWith(code);
    emu.userEdit('Sheet1', 'A1', true);
    expect(emu.userEdit('Sheet1', 'A1', false)).toMatchObject({ value: 'FALSE', oldValue: 'TRUE' });
    expect(emu.userEdit('Sheet1', 'A1', '')).toMatchObject({ hasValue: false, oldValue: 'FALSE' });
  });
  test('U1.1 a simple trigger does not know who edited, unless the user is of the developer\'s Workspace domain', () => {
    const code2 = `function onEdit(e) { return { event: e.user.getEmail(), session: Session.getActiveUser().getEmail() }; }`;
    const hidden = emulatorWith(code2, { users: ['owner@school.example', 'tutor@school.example'] });
    expect(hidden.userEdit('Sheet1', 'A1', 'x', 'tutor@school.example')).toEqual({ event: '', session: '' });
    const sameDomain = emulatorWith(code2, { account: 'workspace', developerDomain: 'school.example', users: ['owner@school.example', 'tutor@school.example', 'guest@other.example'] });
    expect(sameDomain.userEdit('Sheet1', 'A1', 'y', 'tutor@school.example')).toEqual({ event: 'tutor@school.example', session: 'tutor@school.example' });
    expect(sameDomain.userEdit('Sheet1', 'A1', 'z', 'guest@other.example')).toEqual({ event: '', session: '' });
  });
  test('S7.4 a multi-cell paste has neither value nor oldValue', () => {
    const emu = emulatorWith(code);
    expect(emu.userEdit('Sheet1', 'A1:B1', [['x', 'y']])).toMatchObject({ hasValue: false, hasOld: false, a1: 'A1:B1' });
  });
  test('S7.2 script writes never fire onEdit; user edits do', () => {
    const emu = emulatorWith(`function onEdit(e) { PropertiesService.getDocumentProperties().setProperty('edited', e.range.getA1Notation()); }
      function write() { SpreadsheetApp.getActive().getSheets()[0].getRange('A1').setValue(1); }`);
    emu.run('write');
    expect(emu.properties.document()).toEqual({});
    emu.userEdit('Sheet1', 'A2', 'x');
    expect(emu.properties.document()).toEqual({ edited: 'A2' });
  });
  test('userEdit returns undefined when the project has no onEdit', () => {
    const emu = emulatorWith('function other() {}');
    expect(emu.userEdit('Sheet1', 'A2', 'x')).toBeUndefined();
    expect(emu.direct(() => emu.spreadsheet.getRange('Sheet1!A2').getValue())).toBe('x');
  });
  test('a "reject input" validation rule refuses a user edit outside the list (INF text)', () => {
    const emu = emulatorWith(code);
    emu.direct(() => emu.spreadsheet.getRange('Sheet1!C1').setDataValidation(emu.services.SpreadsheetApp.newDataValidation().requireValueInList(['RTC', 'ROPC']).setAllowInvalid(false).build()));
    expect(thrown(() => emu.userEdit('Sheet1', 'C1', 'Other')).message).toContain('violates the data validation rules');
    expect(emu.userEdit('Sheet1', 'C1', 'RTC')).toMatchObject({ value: 'RTC' });
  });
});
