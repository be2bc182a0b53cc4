/** The emulator itself must stay fast enough for 5,000-student tests: bulk grid I/O in Node. */
import { createEmulator } from '../emulator';
import { medianMs, row } from './util';

export async function bench(): Promise<void> {
  const emu = createEmulator();
  const sheet = emu.direct(() => emu.spreadsheet.insertSheet('Bench'));
  const data = Array.from({ length: 5000 }, (_, r) => Array.from({ length: 26 }, (_, c) => (c === 0 ? `Student ${r}` : c % 3 === 0 ? r * c : 'P')));
  emu.direct(() => sheet.insertRowsAfter(1000, 4000));
  const write = medianMs(() => emu.direct(() => sheet.getRange(1, 1, 5000, 26).setValues(data)), 9, 2);
  const read = medianMs(() => emu.direct(() => sheet.getRange(1, 1, 5000, 26).getValues()), 9, 2);
  row('5,000 × 26 setValues, median ms', write.toFixed(1));
  row('5,000 × 26 getValues, median ms', read.toFixed(1));
}
