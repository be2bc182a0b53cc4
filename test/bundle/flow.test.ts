/**
 * The whole tracker flow in one emulated spreadsheet, as a school would live it (issue "The SOL
 * Tracker comes alive", done-when): setup adopts the school's own renamed and reordered sheet, an
 * Admin lists the staff, the AO imports a SIMS export of 1,000 students, the tracker is
 * recalculated (checked against the core's own numbers) and coloured, a tutor records an RTC
 * by typing in the sheet, and a tutor is refused another group's student.
 */
import { createEmulator } from '../../emulator';
import { DFE_2024 } from '../../src/core/codes';
import { computeStats } from '../../src/core/stats';
import { generateSchool } from '../../src/core/sample/school';
import { COLOURS } from '../../src/core/tracker/colours';
import { loadBuiltProject } from '../helpers/project';
import { simsCsv } from '../helpers/registerCsv';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const HEADERS = ['Pupil', 'House', 'UPN', 'Reg Group', 'NC Year', 'Primary Contact', 'Mobile', 'Contact Email', 'RTC', 'ROPC', 'Notes'];

test('setup → staff → SIMS import → recalculate and colours → RTC in the sheet → role refusal (1,000 students)', async () => {
  const school = generateSchool(sampleOptions({ students: 1000, schoolDays: 20 }));
  const today = school.schoolDays[19];
  const head = 'head@school.example';
  const ao = school.staff.find((s) => s.role === 'AO')!;
  const tutor = school.staff.find((s) => s.role === 'Tutor')!;
  const emu = createEmulator({ users: [head, ao.email, tutor.email], now: schoolDayNoon(today) });
  putSampleSchool(emu, { school, headers: HEADERS, omit: ['register', 'settings', 'log'], cell: (h) => (h === 'House' ? 'Kestrel' : undefined), unclaimed: true });
  loadBuiltProject(emu);

  // 1. The spreadsheet's owner sets up (no staff list yet: the first set-up is theirs, once).
  emu.ui.queueAlertResponse('YES');
  emu.run('menuSetup', [], { user: head });
  expect(emu.ui.alerts.join('\n')).toMatch(/Student ID ← column C "UPN"/);

  // 2. The Admin lists the staff with their roles (one setValues on the Settings tab).
  const staff = [{ email: head, name: 'Head', role: 'Admin', yearGroup: '', tutorGroup: '' }, ...school.staff];
  const base = await emu.rpc('getSettings', [], head);
  const saved = (await emu.rpc('saveSettings', [{ schoolName: 'Flow Academy', staff, base }], head)) as { ok: boolean; errors: unknown[] };
  expect(saved.errors).toEqual([]);

  // 3. The AO imports the SIMS export; the tracker is recalculated as part of the import.
  const imported = (await emu.rpc('importRegister', [{ fileName: 'sims.csv', csvText: simsCsv(school, school.schoolDays), onlyValidRows: false }], ao.email)) as { ok: boolean; added: number; message: string };
  expect(imported.ok).toBe(true);
  expect(imported.added).toBe(school.marks.length);

  // 4. Every 50th student's Attendance % and PA flag equal the core's numbers; rows carry their band.
  const tracker = tabValues(emu, 'SOL Tracker');
  const header = tracker[0].map(String);
  const col = (name: string) => header.indexOf(name);
  const backgrounds = emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getDataRange().getBackgrounds());
  const bandColours = new Set<string>([COLOURS.none, COLOURS.monitoring, COLOURS.letters, COLOURS.legal]);
  for (let r = 1; r < tracker.length; r += 50) {
    const id = String(tracker[r][col('UPN')]);
    const stats = computeStats(school.marks.filter((m) => m.studentId === id), DFE_2024);
    expect(tracker[r][col('Attendance %')]).toBeCloseTo(stats.attendanceFraction, 12);
    expect(tracker[r][col('PA')] === 'PA').toBe(stats.persistentAbsence);
    expect(String(tracker[r][col('Step')])).toMatch(stats.attendanceFraction < 1 ? /^Step \d+/ : /^(No step|Step \d+)/);
    expect(bandColours.has(backgrounds[r][col('Pupil')])).toBe(true);
    expect(tracker[r][col('House')]).toBe('Kestrel'); // the school's own column is untouched
  }

  // 5. A tutor types "Yes" in RTC for a student of their group: a log row, and the RTC cell turns green.
  const row = tracker.findIndex((r, i) => i > 0 && r[col('Reg Group')] === tutor.tutorGroup) + 1;
  const rtcA1 = `${String.fromCharCode(65 + col('RTC'))}${row}`;
  emu.userEdit('SOL Tracker', rtcA1, 'Yes', tutor.email);
  const log = tabValues(emu, 'Interventions Log');
  expect(log.at(-1)!.slice(2, 7)).toEqual([tracker[row - 1][col('UPN')], tracker[row - 1][col('Pupil')], expect.any(Number), 'Conversation', expect.any(String)]);
  expect(emu.direct(() => emu.spreadsheet.getSheetByName('SOL Tracker')!.getRange(rtcA1).getBackground())).toBe(COLOURS.rtc);

  // 6. The tutor may not log a contact for another group's student; nothing is written.
  const otherId = String(tracker.find((r, i) => i > 0 && r[col('Reg Group')] !== tutor.tutorGroup)![col('UPN')]);
  const logLength = tabValues(emu, 'Interventions Log').length;
  await expect(emu.rpc('logContact', [{ studentId: otherId, method: 'Phone call', outcome: 'No answer', nextAction: '', notes: '' }], tutor.email)).rejects.toThrow(/among the students you may log contacts for \(as a Tutor: tutor group/);
  expect(tabValues(emu, 'Interventions Log')).toHaveLength(logLength);
});
