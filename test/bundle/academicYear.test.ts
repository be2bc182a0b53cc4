/**
 * The academic year edited through the sidebar's saveSettings RPC, in the built bundle: England's
 * pattern is offered, a strict date check names the field and the Settings cell, nothing is written
 * when a row is wrong, and a valid year is saved whole and read back as the calendar in force.
 */
import { createEmulator } from '../../emulator';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';
import { generateSchool } from '../../src/core/sample/school';

type Row = { kind: string; name: string; from: string; to: string };
type View = { calendar: Row[]; calendarPattern: { label: string; rows: Row[] }; calendarSummary: string };

test('the academic year is offered, validated strictly and saved whole through saveSettings', async () => {
  const school = generateSchool(sampleOptions({ students: 20, schoolDays: 20, startDate: '2025-09-01' }));
  const emu = createEmulator({ now: schoolDayNoon('2025-09-26') });
  const sample = putSampleSchool(emu, { school });
  loadBuiltProject(emu);
  const admin = sample.staffOf('Admin').email;

  const view = (await emu.rpc('getSettings', [], admin)) as View;
  // The sample school's own year: three terms, 190-odd days, and next year's pattern on offer.
  expect(view.calendar.filter((r) => r.kind === 'Term')).toHaveLength(3);
  expect(view.calendarSummary).toMatch(/school days in 3 terms, 01\/09\/2025 to \d{2}\/07\/2026\./); // the school's date format
  expect(view.calendarPattern.label).toBe("England's usual pattern for 2026–27");

  const before = tabValues(emu, 'Settings');
  const bad = view.calendarPattern.rows.map((r) => ({ ...r }));
  bad[0] = { ...bad[0]!, from: '2024-02-30' };
  bad[2] = { ...bad[2]!, to: '2024-13-45' };
  const refused = (await emu.rpc('saveSettings', [{ calendar: bad }], admin)) as { ok: boolean; errors: { field: string; message: string }[] };
  expect(refused.ok).toBe(false);
  expect(refused.errors).toEqual([
    { field: 'calendar.0.from', message: expect.stringMatching(/Academic year row \d+ \(Autumn term\): From "30\/02\/2024" is not a date: February 2024 has 29 days/) }, // quoted in the school's format
    { field: 'calendar.2.to', message: expect.stringMatching(/To "45\/13\/2024" is not a date: there is no month 13/) },
  ]);
  expect(tabValues(emu, 'Settings')).toEqual(before);

  const saved = (await emu.rpc('saveSettings', [{ calendar: view.calendarPattern.rows }], admin)) as { ok: boolean; errors: unknown[]; settings: View };
  expect(saved.errors).toEqual([]);
  expect(saved.settings.calendar).toEqual(view.calendarPattern.rows);
  expect(saved.settings.calendarSummary).toMatch(/^190 school days in 3 terms, 01\/09\/2026 to 20\/07\/2027\.$/);
});
