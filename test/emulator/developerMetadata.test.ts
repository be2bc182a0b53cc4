/**
 * Developer metadata on the spreadsheet (emulator/spreadsheet/developerMetadata.ts) and lock holds.
 * https://developers.google.com/apps-script/reference/spreadsheet/developer-metadata —
 * addDeveloperMetadata(key, value, visibility) returns the Spreadsheet; getValue() is "null if this
 * metadata has no value"; PROJECT visibility "is only visible to and accessible by the developer
 * project that created the metadata". Stored in the file: a time-driven trigger without its
 * document reaches it through openById.
 */
import { emulatorWith, thrown } from './helpers';

const CODE = `
function put() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var back = ss.addDeveloperMetadata('k', 'v1', SpreadsheetApp.DeveloperMetadataVisibility.PROJECT);
  ss.addDeveloperMetadata('tag');
  PropertiesService.getScriptProperties().setProperty('id', ss.getId());
  return [back === ss, ss.getDeveloperMetadata().length].join(',');
}
function read() {
  var ss = SpreadsheetApp.getActiveSpreadsheet() || SpreadsheetApp.openById(PropertiesService.getScriptProperties().getProperty('id'));
  return ss.getDeveloperMetadata().map(function (m) { return m.getKey() + '=' + m.getValue() + '/' + m.getVisibility(); }).join(';');
}
function change() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var list = ss.getDeveloperMetadata();
  list[0].setValue('v2');
  list[1].remove();
  var gone = list[1];
  try { gone.getValue(); return 'no error'; } catch (e) { return e.message; }
}
function install() { ScriptApp.newTrigger('tick').timeBased().everyHours(1).create(); }
function tick() { return read(); }
function holdScript() { var l = LockService.getScriptLock(); l.waitLock(1000); Utilities.sleep(250); l.releaseLock(); }
`;

test('add, read, change and remove spreadsheet metadata; visibility kept', () => {
  const emu = emulatorWith(CODE);
  expect(emu.run('put')).toBe('true,2');
  expect(emu.run('read')).toBe('k=v1/PROJECT;tag=null/DOCUMENT');
  expect(emu.run('change')).toBe('Requested entity was not found.');
  expect(emu.run('read')).toBe('k=v2/PROJECT');
});

test('a trigger without its document reads the same metadata through openById', () => {
  const emu = emulatorWith(CODE, { triggerHasDocument: false });
  emu.run('put');
  emu.run('install');
  const runs = emu.fireDueTriggers(new Date(emu.clock.now().getTime() + 2 * 3600 * 1000));
  expect(runs[0]!.result).toBe('k=v1/PROJECT;tag=null/DOCUMENT');
});

test('addDeveloperMetadata needs a key', () => {
  const emu = emulatorWith(`function bad() { SpreadsheetApp.getActiveSpreadsheet().addDeveloperMetadata(42); }`);
  expect(thrown(() => emu.run('bad')).message).toMatch(/don't match the method signature/);
});

test('lock holds are recorded with their modelled length (tests check the shared script lock is held briefly)', () => {
  const emu = emulatorWith(CODE);
  emu.run('holdScript');
  const holds = emu.lock.holds().filter((h) => h.key === 'script');
  expect(holds).toHaveLength(1);
  expect(holds[0]!.ms).toBeGreaterThanOrEqual(250);
  expect(holds[0]!.kind).toBe('menu');
});
