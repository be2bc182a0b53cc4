/**
 * The year simulation's large profile (issue 10): a whole English academic year (1 Sep 2025 – 22 Jul
 * 2026, three terms, six half-terms, INSET days, bank holidays) at 1,500 pupils on the built bundle
 * in the emulator, every invariant checked after every day. Prints its counts; violations must be 0.
 * `npm run bench -- year` runs it alone. YEAR_STUDENTS / YEAR_FROM / YEAR_TO shorten it; YEAR_ADOPT=1
 * makes it a school that adopts the add-on on YEAR_FROM with its own history in its tracker (e.g.
 * YEAR_FROM=2026-01-12 YEAR_ADOPT=1: adopted in January, then the rest of the year).
 */
import { liveTheYear } from '../test/year/simulation';

export async function bench(): Promise<void> {
  const students = Number(process.env.YEAR_STUDENTS ?? 1500);
  const from = process.env.YEAR_FROM ?? '2025-09-01';
  const to = process.env.YEAR_TO ?? '2026-07-22';
  const t0 = Date.now();
  const counts = await liveTheYear({
    students, seed: 2025, from, to, edits: 3, contacts: 2, figureEvery: 5, adopt: process.env.YEAR_ADOPT === '1',
    log: (line) => console.log(`  ${line}`),
  });
  const seconds = Math.round((Date.now() - t0) / 1000);
  console.log(`year simulation, ${students} pupils, ${from} to ${to} (${seconds} s wall clock):`);
  console.log(`  days lived ${counts.calendarDays} (school days ${counts.schoolDays}); register imports ${counts.imports} (${counts.corrections} correcting earlier marks)`);
  console.log(`  contacts: ${counts.edits} RTC/ROPC typed, ${counts.contacts} logged in the sidebar`);
  console.log(`  letters: ${counts.letterRuns} send runs, ${counts.lettersEmailed} emailed, ${counts.lettersToPrint} by post (${counts.packsPrinted} packs printed, ${counts.postedWordingChecked} posted pages checked for wording), ${counts.leftOut} left out, ${counts.includedAgain} included again, ${counts.quotaStops} quota stops, ${counts.faults} injected faults, ${counts.lettersWordingChecked} letters checked for wording true to history`);
  if (counts.adoptedPupils > 0) console.log(`  adopted on ${from}: ${counts.adoptedRecords} history rows for ${counts.adoptedPupils} pupils`);
  console.log(`  ladder: ${counts.noImprovementChecked} "no improvement" reasons checked against the register, ${counts.repeatLettersPlanned} letters planned again in a later term (each checked: condition still holds); ${counts.weeklyLetterCountsChecked} weekly "letters sent" counts checked against the Log`);
  console.log(`  weekly reports ${counts.weeklyReports}; invariant checks ${counts.invariantChecks}; violations ${counts.violations.length}`);
  // By invariant (the simulation keeps the first 200), then the first 20 in full.
  const byKind = new Map<string, number>();
  for (const v of counts.violations) {
    const kind = /^[\d-]+: (\S+)/.exec(v)?.[1] ?? '?';
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  if (byKind.size > 0) console.log(`  violations by invariant: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const v of counts.violations.slice(0, 20)) console.log(`  VIOLATION ${v}`);
  if (counts.violations.length > 0) process.exitCode = 1;
}
