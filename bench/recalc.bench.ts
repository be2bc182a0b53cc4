/**
 * Recalculate: Apps Script calls and modelled time (emulator latency table) at 100, 1,000 and
 * 5,000 students, beside a naive cell-by-cell baseline run in the same emulator (a small fixture
 * project: per student a getValue for the ID, a getValues of its register row, one setValue per
 * owned cell and one setBackground per row — the pattern engineering §2.1 warns about).
 * Then the Node CPU time of the pure model for 2,000 students × 380 sessions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator } from '../emulator';
import { LOG_HEADERS } from '../src/core/interventionsLog';
import { registerSheetValues } from '../src/core/register/registerSheet';
import { buildSchoolModel } from '../src/core/schoolModel';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { generateSchool } from '../src/core/sample/school';
import { mapColumns } from '../src/core/tracker/columns';
import { putSampleSchool, sampleOptions, schoolDayNoon } from '../test/helpers/sampleSpreadsheet';
import { medianMs, row } from './util';

const root = path.resolve(__dirname, '..');

/** The naive baseline, as plain Apps Script (one global scope, no modules). */
const NAIVE_CODE = `
function naiveRecalculate() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var tracker = ss.getSheetByName('SOL Tracker');
  var register = ss.getSheetByName('Register');
  var lastRow = tracker.getLastRow();
  var regCols = register.getLastColumn();
  var present = { '/': 1, '\\\\': 1, 'L': 1, 'K': 1, 'V': 1, 'P': 1, 'W': 1, 'B': 1 };
  var notPossible = { 'D': 1, 'X': 1, 'Z': 1, '#': 1, 'Q': 1 };
  for (var r = 2; r <= lastRow; r++) {
    var id = tracker.getRange(r, 1).getValue();
    var marks = register.getRange(r, 2, 1, regCols - 1).getValues()[0];
    var attended = 0, possible = 0, unauth = 0;
    for (var i = 0; i < marks.length; i++) {
      var c = marks[i];
      if (c === '' || notPossible[c]) continue;
      possible++;
      if (present[c]) attended++;
      else if ('GNOU'.indexOf(c) >= 0) unauth++;
    }
    var pct = possible ? attended / possible : 1;
    var absent = possible - attended;
    var step = pct < 0.9 ? 'Step 6' : pct < 0.93 ? 'Step 5' : pct < 0.95 ? 'Step 4' : pct < 0.97 ? 'Step 3' : pct < 1 ? 'Step 1' : 'No step';
    var out = [pct, possible, unauth, absent * 10 >= possible ? 'PA' : '', absent * 2 >= possible ? 'Severe' : '', step, id + ': ' + step, '', '', '', ''];
    for (var k = 0; k < out.length; k++) tracker.getRange(r, 12 + k).setValue(out[k]);
    tracker.getRange(r, 1, 1, 22).setBackground(step === 'No step' ? null : '#fcd58c');
  }
}
`;

function measure(students: number, naive: boolean): { calls: number; ms: number; note: string } {
  const opts = sampleOptions({ students, schoolDays: 190, seed: 3 });
  const school = generateSchool(opts);
  const probe = putSampleSchool(createEmulator(), { school });
  const admin = probe.staffOf('Admin').email;
  const emu = createEmulator({ now: schoolDayNoon(probe.today), users: [admin] });
  putSampleSchool(emu, { school });
  if (naive) {
    emu.loadSources({ 'appsscript.json': fs.readFileSync(path.join(root, 'dist/appsscript.json'), 'utf8'), 'Code.js': NAIVE_CODE });
  } else {
    emu.loadProject(path.join(root, 'dist'));
  }
  emu.calls.reset();
  let note = '';
  try {
    emu.run(naive ? 'naiveRecalculate' : 'recalculate', [], { user: admin });
  } catch (e) {
    note = `stopped: ${(e as Error).message.slice(0, 60)}`;
  }
  return { calls: emu.calls.total(), ms: emu.modelledMs(), note };
}

export async function bench(): Promise<void> {
  if (!fs.existsSync(path.join(root, 'dist/Code.js'))) throw new Error('Run node build.mjs first (npm run bench does).');
  console.log('Recalculate, 190 school days (380 sessions) per student; modelled ms from emulator/runtime/latency.ts');
  row('', 'calls', 'modelled ms', 'naive calls', 'naive ms');
  for (const n of [100, 1000, 5000]) {
    const ours = measure(n, false);
    const naive = measure(n, true);
    row(`${n.toLocaleString('en-GB')} students`, ours.calls, Math.round(ours.ms), naive.calls, `${Math.round(naive.ms)}${naive.note ? ' *' : ''}`);
    if (ours.note) console.log(`  recalculate: ${ours.note}`);
    if (naive.note) console.log(`  * naive baseline ${naive.note} (Apps Script's 6-minute limit)`);
  }

  const school = generateSchool({ seed: 7, students: 2000, startDate: '2024-09-02', schoolDays: 190, preset: 'uk' });
  const tracker = [['Student ID', 'Student Name', 'Year Group', 'Tutor Group', 'Step', 'Contact due'], ...school.students.map((s) => [s.studentId, s.name, s.yearGroup, s.tutorGroup, '', ''])];
  const input = {
    trackerValues: tracker,
    columns: mapColumns(tracker[0]!),
    registerValues: registerSheetValues(school.marks),
    logValues: [[...LOG_HEADERS]],
    settings: DEFAULT_SETTINGS,
    today: school.schoolDays[school.schoolDays.length - 1]!,
  };
  row('buildSchoolModel 2,000 × 380 (median ms)', medianMs(() => buildSchoolModel(input), 9, 2).toFixed(1));
}
