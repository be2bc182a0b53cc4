/**
 * Date cells are read in the spreadsheet's own zone (issue 13). A date typed in a Europe/Berlin sheet
 * is midnight in Berlin; the script runs in the manifest's Europe/London, where that instant is still
 * the day before (semantics S2.11, S4.3, V1.7). The emulator keeps the two zones apart.
 */
import { createEmulator } from '../../emulator';
import { loadBuiltProject } from '../helpers/project';
import { formatSchoolDate } from '../../src/core/format/dates';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, schoolDayNoon, TAB, tabValues } from '../helpers/sampleSpreadsheet';

test('a contact date typed in a Berlin sheet is that date under a London script, not the day before', () => {
  const probe = putSampleSchool(createEmulator(), { students: 30 });
  const admin = probe.staffOf('Admin').email;
  const emu = createEmulator({ spreadsheetTimeZone: 'Europe/Berlin', now: schoolDayNoon(probe.today), users: [admin] });
  const s = putSampleSchool(emu, { students: 30, school: probe.school });
  loadBuiltProject(emu);
  expect(emu.direct(() => emu.services.Session.getScriptTimeZone())).toBe('Europe/London');

  const student = s.school.students[3]!;
  const day = s.school.schoolDays[s.school.schoolDays.length - 5]!;
  // A member of staff types a contact into the log by hand: the Date column holds a real date cell.
  emu.direct(() => emu.spreadsheet.getSheetByName(TAB.log)!.appendRow(['', day, student.studentId, student.name, 0, 'Phone call', 'Spoke to parent/carer', '', admin, '', '', '', 'typed by hand']));
  const cell = emu.direct(() => emu.spreadsheet.getSheetByName(TAB.log)!.getRange(2, 2).getValue()) as Date;
  expect(cell.getDate()).not.toBe(Number(day.slice(8))); // the script's zone alone would read the day before

  emu.run('recalculate', [], { user: admin });
  const row = tabValues(emu, TAB.tracker).find((r) => r[0] === student.studentId)!;
  // The tracker shows it in the school's format (a UK school: dd/MM/yyyy).
  expect(String(row[DEFAULT_TRACKER_HEADERS.indexOf('Last contact')])).toBe(formatSchoolDate(day, 'dd/MM/yyyy'));
});
