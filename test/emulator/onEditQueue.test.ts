/**
 * S7.2 — "The onEdit() trigger only queues up to 2 trigger events" (triggers guide,
 * https://developers.google.com/apps-script/guides/triggers). Edits made faster than onEdit runs
 * all land in their cells, but only the running event and two queued ones reach onEdit.
 */
import { emulatorWith } from './helpers';

const CODE = `
function onEdit(e) {
  SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Seen').appendRow([e.range.getA1Notation(), e.value === undefined ? '(no value)' : e.value]);
}
`;

test('a burst of five edits: every value lands, onEdit sees three (one running, two queued), two are dropped', () => {
  const emu = emulatorWith(CODE);
  emu.direct(() => emu.spreadsheet.insertSheet('Seen'));
  const edits = ['A2', 'A3', 'A4', 'A5', 'A6'].map((a1, i) => ({ sheet: 'Sheet1', a1, value: `v${i}` }));
  expect(emu.userEditBurst(edits)).toEqual({ ran: 3, dropped: 2 });
  expect(emu.direct(() => emu.spreadsheet.getRange('Sheet1!A2:A6').getValues())).toEqual([['v0'], ['v1'], ['v2'], ['v3'], ['v4']]);
  expect(emu.direct(() => emu.spreadsheet.getSheetByName('Seen')!.getDataRange().getValues())).toEqual([['A2', 'v0'], ['A3', 'v1'], ['A4', 'v2']]);
});

test('a pasted block is one event for the whole range, with no e.value (S7.4)', () => {
  const emu = emulatorWith(CODE);
  emu.direct(() => emu.spreadsheet.insertSheet('Seen'));
  emu.userEditBurst([{ sheet: 'Sheet1', a1: 'B2:B4', value: [['x'], ['y'], ['z']] }]);
  expect(emu.direct(() => emu.spreadsheet.getSheetByName('Seen')!.getDataRange().getValues())).toEqual([['B2:B4', '(no value)']]);
});
