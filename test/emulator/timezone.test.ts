/**
 * V1.7: JS local time inside a script is the manifest's timeZone, and S4.3: a date cell's
 * wall-clock value is read in the spreadsheet's zone. With both set to Europe/London (the
 * add-on's default), a date written as 2026-07-01 reads back as 1 July, in summer time too.
 */
import { emulatorWith } from './helpers';

const code = `
function localParts(iso) { var d = new Date(iso); return [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours()]; }
function dateCellRoundTrip(text) {
  var ss = SpreadsheetApp.getActiveSpreadsheet(); var sh = ss.getSheetByName('Dates') || ss.insertSheet('Dates');
  sh.getRange('A1').setValue(text);
  var d = sh.getRange('A1').getValue();
  return [Object.prototype.toString.call(d), d.getFullYear(), d.getMonth() + 1, d.getDate()];
}`;

test('V1.7 script local time follows appsscript.json timeZone (BST in July: 23:30Z is 00:30 local)', () => {
  const emu = emulatorWith(code);
  expect(emu.run('localParts', ['2026-06-30T23:30:00Z'])).toEqual([2026, 7, 1, 0]);
  expect(emu.run('localParts', ['2026-12-31T23:30:00Z'])).toEqual([2026, 12, 31, 23]);
});

test('S4.3 a yyyy-mm-dd date cell reads back as that calendar date in local time', () => {
  const emu = emulatorWith(code);
  expect(emu.run('dateCellRoundTrip', ['2026-07-01'])).toEqual(['[object Date]', 2026, 7, 1]);
  expect(emu.run('dateCellRoundTrip', ['2026-11-23'])).toEqual(['[object Date]', 2026, 11, 23]);
});

test('S2.11/S4.3 a Europe/Berlin sheet under a Europe/London script: the cell is Berlin midnight, the script reads the day before, formatDate in the sheet zone gives the typed date', () => {
  const emu = emulatorWith(`${code}
function sheetZoneRead(text) {
  var ss = SpreadsheetApp.getActiveSpreadsheet(); var sh = ss.getSheetByName('Dates') || ss.insertSheet('Dates');
  sh.getRange('A1').setValue(text);
  var d = sh.getRange('A1').getValue();
  return [ss.getSpreadsheetTimeZone(), Session.getScriptTimeZone(), d.toISOString(), d.getDate(), Utilities.formatDate(d, ss.getSpreadsheetTimeZone(), 'yyyy-MM-dd')];
}`, { spreadsheetTimeZone: 'Europe/Berlin' });
  expect(emu.run('sheetZoneRead', ['2025-09-08'])).toEqual(['Europe/Berlin', 'Europe/London', '2025-09-07T22:00:00.000Z', 7, '2025-09-08']);
});
