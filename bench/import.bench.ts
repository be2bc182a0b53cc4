/**
 * One day's register import at 2,000 pupils in July (issue 13): the Register already holds the
 * year — about 189 school days, 378 sessions, 760,000 cells — and the day's SIMS export adds two
 * sessions and corrects a few earlier marks. Prints Apps Script calls, cells whose values are
 * written, and modelled time (emulator/runtime/latency.ts), for the import alone (recalculation
 * included, as the import runs it) and for the Register writes.
 *
 * AFTER is the current build (dist/). BEFORE is the whole-Register write of main before the delta
 * import (commit 04ed277): set BENCH_BEFORE_DIST to a dist/ built from that commit to measure it
 * again (git worktree add /tmp/before 04ed277 && cd /tmp/before && npm ci && node build.mjs),
 * otherwise the figures recorded from it on this bench are printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator } from '../emulator';
import { generateSchool, type SampleSchool } from '../src/core/sample/school';
import { simsCsv } from '../test/helpers/registerCsv';
import { putSampleSchool, sampleOptions, schoolDayNoon } from '../test/helpers/sampleSpreadsheet';
import { row } from './util';

const root = path.resolve(__dirname, '..');

/** Measured with BENCH_BEFORE_DIST = dist of 04ed277 (main before the delta import), same school, same file. */
const RECORDED_BEFORE = { calls: 81, cells: 780_485, registerCells: 758_484, ms: 21_345 };

interface Figures {
  calls: number;
  cells: number;
  registerCells: number;
  ms: number;
  message: string;
}

function measure(dist: string, school: SampleSchool, corrections: number): Figures {
  const days = school.schoolDays;
  const today = days[days.length - 1]!;
  const earlier = { ...school, marks: school.marks.filter((m) => m.date < today) };
  const ao = school.staff.find((s) => s.role === 'AO')!.email;
  const emu = createEmulator({ users: [ao], now: schoolDayNoon(today) });
  putSampleSchool(emu, { school: earlier as SampleSchool });
  emu.loadProject(dist);
  // The MIS corrected a few earlier marks (late arrivals, authorised after a note) and has today.
  const corrected = new Set(school.students.slice(0, corrections).map((s) => s.studentId));
  const fixedDay = days[days.length - 6]!;
  const marks = school.marks.map((m) => (corrected.has(m.studentId) && m.date === fixedDay && m.session === 'AM' ? { ...m, code: m.code === 'O' ? 'M' : 'O' } : m));
  const csv = simsCsv({ ...school, marks } as SampleSchool, [fixedDay, today]);
  emu.calls.reset();
  const res = emu.run<{ ok: boolean; message: string }>('importRegister', [{ fileName: 'sims.csv', csvText: csv, onlyValidRows: false }], { kind: 'rpc', user: ao });
  const total = { calls: emu.calls.total(), cells: emu.calls.cellsWritten(), ms: emu.modelledMs() };
  // The counter does not tell tabs apart: the Register's share is the whole minus what the
  // recalculation the import runs writes (measured alone; the same tracker columns either way).
  emu.calls.reset();
  emu.run('recalculate', [], { kind: 'rpc', user: ao });
  const recalcCells = emu.calls.cellsWritten();
  return { ...total, registerCells: total.cells - recalcCells, message: res.message };
}

export async function bench(): Promise<void> {
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'Code.js'))) throw new Error('Run node build.mjs first (npm run bench does).');
  const school = generateSchool(sampleOptions({ students: 2000, schoolDays: 189, seed: 5 }));
  const corrections = 12;
  console.log(`One day's import in July: 2,000 pupils, Register of ${school.schoolDays.length - 1} school days (${(school.schoolDays.length - 1) * 2} sessions) + today, ${corrections} corrected marks`);
  row('', 'calls', 'cells written', 'Register cells', 'modelled ms');
  const beforeDist = process.env.BENCH_BEFORE_DIST;
  const before = beforeDist ? measure(beforeDist, school, corrections) : RECORDED_BEFORE;
  row(`before (whole Register)${beforeDist ? '' : ', recorded'}`, before.calls, before.cells, before.registerCells, Math.round(before.ms));
  const after = measure(dist, school, corrections);
  row('after (changed sessions only)', after.calls, after.cells, after.registerCells, Math.round(after.ms));
  console.log(`  ${after.message.slice(0, 160)}`);
}
