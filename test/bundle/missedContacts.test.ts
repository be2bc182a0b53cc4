/**
 * RTC/ROPC typed faster than onEdit runs, or pasted as a block, still reach the Interventions Log
 * (issue 13). onEdit queues at most 2 events (S7.2, modelled by emu.userEditBurst); a paste is one
 * event for many cells. onEdit logs a pasted block cell by cell; Recalculate (and so every import and
 * the weekly job) logs every filled cell the log lacks, marked as found later.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { FOUND_LATER_BY } from '../../src/core/contactCells';
import { UNKNOWN_EDITOR } from '../../src/core/contactRecord';
import { COLOURS } from '../../src/core/tracker/colours';
import { loadBuiltProject } from '../helpers/project';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, schoolDayNoon, tabValues, type SampleSpreadsheet } from '../helpers/sampleSpreadsheet';

const col = (header: string) => DEFAULT_TRACKER_HEADERS.indexOf(header);
const letter = (header: string) => String.fromCharCode(65 + col(header));

function school(): { emu: Emulator; s: SampleSpreadsheet; admin: string } {
  const probe = putSampleSchool(createEmulator(), { students: 40 });
  const admin = probe.staffOf('Admin').email;
  const emu = createEmulator({ now: schoolDayNoon(probe.today), users: [admin, probe.staffOf('AO').email] });
  const s = putSampleSchool(emu, { students: 40, school: probe.school });
  loadBuiltProject(emu);
  return { emu, s, admin };
}

const contactRows = (emu: Emulator) => tabValues(emu, 'Interventions Log').slice(1).filter((r) => /(RTC|ROPC) cell: "/.test(String(r[12])));

test('five RTC entries typed in a burst: onEdit logs three, Recalculate logs the two it missed (found later)', () => {
  const { emu, admin } = school();
  const rows = [2, 3, 4, 5, 6];
  const burst = emu.userEditBurst(rows.map((r) => ({ sheet: 'SOL Tracker', a1: `${letter('RTC')}${r}`, value: 'Yes' })), admin);
  expect(burst).toEqual({ ran: 3, dropped: 2 });
  expect(contactRows(emu)).toHaveLength(3);

  const result = emu.run<{ message: string }>('recalculate', [], { user: admin });
  expect(result.message).toMatch(/2 RTC\/ROPC entries typed in the tracker were missing from the Interventions Log and are now logged/);
  const logged = contactRows(emu);
  expect(logged).toHaveLength(5);
  const ids = tabValues(emu, 'SOL Tracker').slice(1, 6).map((r) => String(r[0]));
  expect(new Set(logged.map((r) => String(r[2])))).toEqual(new Set(ids));
  const found = logged.filter((r) => r[8] === FOUND_LATER_BY);
  expect(found.map((r) => String(r[2]))).toEqual(ids.slice(3));
  expect(found.every((r) => r[5] === 'Conversation' && /typed in the tracker but not logged/.test(String(r[7])))).toBe(true);

  // Nothing twice: a second Recalculate finds nothing new.
  emu.run('recalculate', [], { user: admin });
  expect(contactRows(emu)).toHaveLength(5);
});

test('a pasted block of ROPC cells: one log row per filled cell, rows coloured, blanks skipped', () => {
  const { emu, admin } = school();
  emu.userEditBurst([{ sheet: 'SOL Tracker', a1: `${letter('ROPC')}7:${letter('ROPC')}10`, value: [['called mum'], [''], ['Left message'], ['yes']] }], admin);
  const logged = contactRows(emu);
  expect(logged.map((r) => [r[5], r[6], r[8], r[12]])).toEqual([
    ['Phone call', 'Spoke to parent/carer', UNKNOWN_EDITOR, 'ROPC cell: "called mum"'],
    ['Phone call', 'Left message', UNKNOWN_EDITOR, 'ROPC cell: "Left message"'],
    ['Phone call', 'Spoke to parent/carer', UNKNOWN_EDITOR, 'ROPC cell: "yes"'],
  ]);
  const bg = emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(7, col('ROPC') + 1, 4, 1).getBackgrounds().map((r) => r[0]));
  expect(bg[0]).toBe(COLOURS.ropc);
  expect(bg[1]).not.toBe(COLOURS.ropc);
  // Recalculate finds nothing missing.
  expect(emu.run<{ message: string }>('recalculate', [], { user: admin }).message).not.toMatch(/missing from the Interventions Log/);
});

test('the weekly job reconciles too (it runs Recalculate first)', async () => {
  const { emu, admin } = school();
  emu.userEditBurst([2, 3, 4, 5].map((r) => ({ sheet: 'SOL Tracker', a1: `${letter('ROPC')}${r}`, value: `call ${r}` })), admin);
  expect(contactRows(emu)).toHaveLength(3);
  await emu.rpc('runWeeklyNow', [], admin);
  expect(contactRows(emu)).toHaveLength(4);
  expect(contactRows(emu).filter((r) => r[8] === FOUND_LATER_BY).map((r) => r[12])).toEqual(['ROPC cell: "call 5"']);
});
