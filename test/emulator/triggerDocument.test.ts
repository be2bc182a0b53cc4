/**
 * Triggers with and without their document. Whether an Editor add-on's time-driven trigger sees the
 * spreadsheet is not documented (engineering §1.4), so the emulator runs both ways: without it,
 * getActiveSpreadsheet (S1.1), getDocumentProperties (P1.1), getDocumentLock (L1.1) and
 * getDocumentCache are null inside the trigger, and openById still reaches the file.
 */
import { emulatorWith } from './helpers';

const CODE = `
function install() { ScriptApp.newTrigger('tick').timeBased().everyHours(1).create(); PropertiesService.getScriptProperties().setProperty('id', SpreadsheetApp.getActiveSpreadsheet().getId()); }
function tick() {
  var id = PropertiesService.getScriptProperties().getProperty('id');
  return [SpreadsheetApp.getActiveSpreadsheet() === null, PropertiesService.getDocumentProperties() === null, LockService.getDocumentLock() === null, CacheService.getDocumentCache() === null, SpreadsheetApp.openById(id).getId() === id].join(',');
}
function menuTick() { return tick(); }
`;

test.each([
  [true, 'false,false,false,false,true'],
  [false, 'true,true,true,true,true'],
])('triggerHasDocument %s: a time-driven run sees %s (no doc, no doc props, no doc lock, no doc cache, openById works)', (has, expected) => {
  const emu = emulatorWith(CODE, { triggerHasDocument: has });
  emu.run('install');
  const runs = emu.fireDueTriggers(new Date(emu.clock.now().getTime() + 2 * 3600 * 1000));
  expect(runs[0]!.result).toBe(expected);
  // A menu click always has its document.
  expect(emu.run('menuTick')).toBe('false,false,false,false,true');
});
