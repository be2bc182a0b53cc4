/** Conformance: ScriptApp triggers (§5, T1.x). */
import { emulatorWith, thrown } from './helpers';

const code = `
  function installWeekly() { return ScriptApp.newTrigger('weeklyReport').timeBased().onWeekDay(ScriptApp.WeekDay.MONDAY).atHour(7).create().getUniqueId(); }
  function installHourly() { ScriptApp.newTrigger('hourly').timeBased().everyHours(1).create(); }
  function installEveryMinutes() { ScriptApp.newTrigger('hourly').timeBased().everyMinutes(5).create(); }
  function installOnEdit() { ScriptApp.newTrigger('editHandler').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create(); }
  function installMany(n) { for (var i = 0; i < n; i++) ScriptApp.newTrigger('h' + i).timeBased().everyHours(1).create(); }
  function list() { return ScriptApp.getProjectTriggers().map(function (t) { return [t.getHandlerFunction(), t.getEventType(), t.getTriggerSource()]; }); }
  function removeAll() { ScriptApp.getProjectTriggers().forEach(function (t) { ScriptApp.deleteTrigger(t); }); }
  function weeklyReport(e) {
    return { keys: Object.keys(e).sort(), dow: e['day-of-week'], dom: e['day-of-month'], hour: e.hour, month: e.month, auth: e.authMode,
             me: Session.getEffectiveUser().getEmail(), uid: e.triggerUid, tz: e.timezone, week: e['week-of-year'] };
  }
  function hourly(e) { return e.hour; }
  function editHandler(e) { PropertiesService.getScriptProperties().setProperty('lastEdit', e.range.getA1Notation() + ' by ' + e.user.getEmail() + ' ' + e.authMode); }
  function uiInTrigger() { SpreadsheetApp.getUi(); }
`;

describe('T1 triggers', () => {
  test('T1.3/T1.7 a weekly Monday 07:00 trigger fires as its creator with the documented event object', () => {
    const emu = emulatorWith(code, { users: ['al@s.example', 'ao@s.example'], now: new Date('2026-11-24T10:00:00Z') }); // a Tuesday
    const uid = emu.run<string>('installWeekly', [], { user: 'ao@s.example' });
    const fired = emu.fireDueTriggers(new Date('2026-12-15T00:00:00Z'));
    expect(fired.map((f) => f.at.toISOString())).toEqual(['2026-11-30T07:00:00.000Z', '2026-12-07T07:00:00.000Z', '2026-12-14T07:00:00.000Z']);
    expect(fired[0].result).toEqual({
      keys: ['authMode', 'day-of-month', 'day-of-week', 'hour', 'minute', 'month', 'second', 'timezone', 'triggerUid', 'week-of-year', 'year'],
      dow: 1, dom: 30, hour: 7, month: 11, auth: 'FULL', me: 'ao@s.example', uid, tz: 'UTC', week: 49,
    });
    expect(emu.clock.now().toISOString()).toBe('2026-12-15T00:00:00.000Z');
  });
  test('T1.7 day-of-week is 1 = Monday … 7 = Sunday; hours follow the script time zone (BST in summer)', () => {
    const emu = emulatorWith(code, { now: new Date('2026-06-01T12:00:00Z') });
    emu.run('installWeekly');
    const [first] = emu.fireDueTriggers(new Date('2026-06-09T00:00:00Z'));
    expect(first.at.toISOString()).toBe('2026-06-08T06:00:00.000Z'); // 07:00 Europe/London = 06:00 UTC
    expect((first.result as { dow: number }).dow).toBe(1);
  });
  test('T1.4 the 21st trigger of a user → "This script has too many triggers…" (plain bound script, no add-on rule)', () => {
    const emu = emulatorWith(code, { addOn: false });
    emu.run('installMany', [20]);
    expect(thrown(() => emu.run('installMany', [1])).message).toBe('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
    expect(emu.triggers.list()).toHaveLength(20);
  });
  test('T1.9 add-on: a second time-driven trigger of the same user in the same document is refused (INF text)', () => {
    const emu = emulatorWith(code, { users: ['a@s.example', 'b@s.example'] });
    emu.run('installWeekly');
    expect(thrown(() => emu.run('installHourly')).message).toMatch(/^Add-ons can only have one trigger of each type, per user, per document/);
    expect(() => emu.run('installHourly', [], { user: 'b@s.example' })).not.toThrow(); // per user
  });
  test('T1.9 add-on: everyMinutes is refused (time-driven at most hourly; INF text)', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('installEveryMinutes')).message).toBe('Add-on time-driven triggers cannot run more frequently than once per hour.');
  });
  test('T1.5/T1.6 getProjectTriggers lists this user\'s triggers; deleteTrigger removes them', () => {
    const emu = emulatorWith(code, { users: ['a@s.example', 'b@s.example'] });
    emu.run('installWeekly');
    emu.run('installOnEdit');
    emu.run('installHourly', [], { user: 'b@s.example' });
    expect(emu.run('list')).toEqual([['weeklyReport', 'CLOCK', 'CLOCK'], ['editHandler', 'ON_EDIT', 'SPREADSHEETS']]);
    emu.run('removeAll');
    expect(emu.run('list')).toEqual([]);
    expect(emu.triggers.list().map((t) => t.owner)).toEqual(['b@s.example']);
  });
  test('S8.1/T1.8 an installable onEdit trigger runs as its creator in FULL with the editor as e.user', () => {
    const emu = emulatorWith(code, { users: ['a@s.example', 'b@s.example'] });
    emu.run('installOnEdit');
    emu.userEdit('Sheet1', 'C4', 'x', 'b@s.example');
    expect(emu.properties.script()).toEqual({ lastEdit: 'C4 by b@s.example FULL' });
  });
  test('S6.1 a handler calling getUi fails; the failure is reported, not thrown', () => {
    const emu = emulatorWith(code.replace("function hourly(e) { return e.hour; }", 'function hourly(e) { SpreadsheetApp.getUi(); }'));
    emu.run('installHourly');
    const [run] = emu.fireDueTriggers(new Date(emu.clock.now().getTime() + 3600_000));
    expect(run.error).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
  });
  test('T1.8 a handler that no longer exists fails with "Script function not found"', () => {
    const emu = emulatorWith(code.replace('function hourly(e) { return e.hour; }', ''));
    emu.run('installHourly');
    const [run] = emu.fireDueTriggers(new Date(emu.clock.now().getTime() + 3600_000));
    expect(run.error).toBe('Script function not found: hourly');
  });
});
