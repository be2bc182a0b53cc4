/** A school at the end of its year, for the new-academic-year tests (test/bundle/rollover*.test.ts). */
import { createEmulator } from '../../emulator';
import type { CalendarEntry } from '../../src/core/calendar';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from './project';
import { putSampleSchool, sampleOptions, schoolDayNoon } from './sampleSpreadsheet';

/** 2024–25 (the register's year: the sample starts Monday 2 September 2024) and, optionally, 2025–26. */
const THIS_YEAR: CalendarEntry[] = [
  { kind: 'Term', name: 'Autumn 2024', start: '2024-09-02', end: '2024-12-20' },
  { kind: 'Term', name: 'Spring 2025', start: '2025-01-06', end: '2025-04-04' },
  { kind: 'Term', name: 'Summer 2025', start: '2025-04-22', end: '2025-07-18' },
];
const NEXT_YEAR: CalendarEntry[] = [
  { kind: 'Term', name: 'Autumn 2025', start: '2025-09-03', end: '2025-12-19' },
  { kind: 'Term', name: 'Spring 2026', start: '2026-01-05', end: '2026-03-27' },
];
export const AFTER_THE_LAST_DAY = schoolDayNoon('2025-07-21');

export function rolloverSchool(opts: { nextYear?: boolean; now?: Date; students?: number } = {}) {
  const school = generateSchool(sampleOptions({ students: opts.students ?? 80, schoolDays: 15, seed: 5 }));
  const emu = createEmulator({ users: ['owner@school.example', ...school.staff.map((s) => s.email)], now: schoolDayNoon(school.schoolDays[school.schoolDays.length - 1]!) });
  putSampleSchool(emu, { school, settings: { calendar: [...THIS_YEAR, ...(opts.nextYear === false ? [] : NEXT_YEAR)] } });
  loadBuiltProject(emu);
  const who = (role: string) => school.staff.find((s) => s.role === role)!.email;
  return { emu, school, who };
}

/** A school with a year lived: recalculated, a contact logged, then the clock after the last day. */
export async function yearLived(opts: { nextYear?: boolean; students?: number } = {}) {
  const s = rolloverSchool(opts);
  await s.emu.rpc('runSetup', [], s.who('AL'));
  await s.emu.rpc('recalculate', [], s.who('AL'));
  await s.emu.rpc('logContact', [{ studentId: s.school.students[0]!.studentId, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: '', notes: '' }], s.who('AO'));
  s.emu.clock.set(AFTER_THE_LAST_DAY);
  return s;
}

