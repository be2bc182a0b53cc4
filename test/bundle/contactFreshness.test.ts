/**
 * Issue 10 (F, preview walk as staff): once a contact is recorded — RTC/ROPC typed in the tracker
 * (onEdit) or Log a contact in the sidebar — the pupil's tracker row shows it at once: Last contact
 * is today, Contact due is no longer "overdue" (nor coloured so), without anyone pressing
 * Recalculate. The row is found by Student ID, and the onEdit does it in a few calls.
 */
import { createEmulator } from '../../emulator';
import { formatSchoolDate } from '../../src/core/format';
import { generateSchool } from '../../src/core/sample/school';
import { COLOURS } from '../../src/core/tracker/colours';
import { loadBuiltProject as loadProject } from '../helpers/project';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const col = (header: string) => DEFAULT_TRACKER_HEADERS.indexOf(header);
const letter = (header: string) => String.fromCharCode(65 + col(header));

describe('the tracker row is up to date as soon as a contact is recorded', () => {
  const school = generateSchool(sampleOptions({ students: 300, schoolDays: 40 }));
  const today = school.schoolDays[school.schoolDays.length - 1];
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const emu = createEmulator({ users: ['owner@school.example', ao], now: schoolDayNoon(today) });
  putSampleSchool(emu, { school });
  loadProject(emu);
  const tracker = () => tabValues(emu, 'SOL Tracker');
  const backgrounds = (row: number) => emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(row, 1, 1, DEFAULT_TRACKER_HEADERS.length).getBackgrounds()[0]);
  const todayWords = () => formatSchoolDate(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(emu.clock.now()), 'dd/MM/yyyy');
  let overdueRows: number[] = [];

  beforeAll(() => {
    emu.run('recalculate', [], { user: ao });
    emu.clock.advance(7 * 24 * 3600 * 1000); // a week on: the contact deadlines set last week have passed
    emu.run('recalculate', [], { user: ao });
    overdueRows = tracker().map((r, i) => (i > 0 && String(r[col('Contact due')]).includes('overdue') && r[col('RTC')] === '' ? i + 1 : 0)).filter((r) => r > 0);
  });

  test('the sample has overdue contacts', () => {
    expect(overdueRows.length).toBeGreaterThan(3);
    expect(backgrounds(overdueRows[0])[col('Contact due')]).toBe(COLOURS.overdue);
  });

  test('RTC typed by a tutor: Last contact, Contact due and its colour change on that row at once, in a few calls', () => {
    const row = overdueRows[0];
    const id = tracker()[row - 1][col('Student ID')];
    emu.calls.reset();
    emu.userEdit('SOL Tracker', `${letter('RTC')}${row}`, 'Yes');
    const calls = emu.calls.snapshot();
    const after = tracker()[row - 1];
    expect(after[col('Student ID')]).toBe(id);
    expect(String(after[col('Contact due')])).not.toContain('overdue');
    expect(String(after[col('Contact due')])).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(String(after[col('Last contact')])).toBe(todayWords());
    const bg = backgrounds(row);
    expect(bg[col('Contact due')]).not.toBe(COLOURS.overdue);
    expect(bg[col('RTC')]).toBe(COLOURS.rtc);
    // Writes: the log row (+ its number format), the add-on's columns of that row, its colours.
    const writes = Object.entries(calls).filter(([k]) => /\.(setValues|setValue|setBackgrounds|appendRow|setNumberFormat)$/.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(writes).toBeLessThanOrEqual(6);
    // Recalculate then finds nothing else to change on that row.
    emu.run('recalculate', [], { user: ao });
    expect(tracker()[row - 1]).toEqual(after);
  });

  test('ROPC typed with a comment: the same', () => {
    const row = overdueRows[1];
    emu.userEdit('SOL Tracker', `${letter('ROPC')}${row}`, 'spoke to dad, ill this week');
    const after = tracker()[row - 1];
    expect(String(after[col('Contact due')])).not.toContain('overdue');
    expect(String(after[col('Last contact')])).toBe(todayWords());
  });

  test('Log a contact in the sidebar: the same row, read straight after', async () => {
    const row = overdueRows[2];
    const studentId = String(tracker()[row - 1][col('Student ID')]);
    await emu.rpc('logContact', [{ studentId, method: 'Meeting', outcome: 'Meeting held', nextAction: '', notes: '' }], ao);
    const after = tracker()[row - 1];
    expect(String(after[col('Contact due')])).not.toContain('overdue');
    expect(String(after[col('Last contact')])).toBe(todayWords());
    expect(backgrounds(row)[col('Contact due')]).not.toBe(COLOURS.overdue);
  });

  test('RTC pasted over several rows: each logged pupil\'s row is up to date at once, the others untouched', () => {
    const first = overdueRows.find((r) => [0, 1, 2].every((k) => tracker()[r - 1 + k][col('RTC')] === ''))!;
    expect(first).toBeDefined();
    const before = tracker();
    emu.userEdit('SOL Tracker', `${letter('RTC')}${first}:${letter('RTC')}${first + 2}`, [['Yes'], ['Yes'], ['Yes']]);
    const after = tracker();
    for (let k = 0; k < 3; k++) {
      const row = after[first - 1 + k];
      expect(String(row[col('Contact due')])).not.toContain('overdue');
      expect(String(row[col('Last contact')])).toBe(todayWords());
      expect(backgrounds(first + k)[col('Contact due')]).not.toBe(COLOURS.overdue);
    }
    after.forEach((r, i) => {
      if (i + 1 >= first && i + 1 <= first + 2) return;
      expect(r).toEqual(before[i]);
    });
    // Recalculate then finds nothing else to change on those rows.
    emu.run('recalculate', [], { user: ao });
    expect(tracker().slice(first - 1, first + 2)).toEqual(after.slice(first - 1, first + 2));
  });

  test('nothing but that pupil\'s row changes (the row found by the Student ID typed beside)', () => {
    const row = overdueRows[3];
    const before = tracker();
    emu.userEdit('SOL Tracker', `${letter('RTC')}${row}`, 'Yes');
    const after = tracker();
    after.forEach((r, i) => {
      if (i + 1 === row) return;
      expect(r).toEqual(before[i]);
    });
  });
});
