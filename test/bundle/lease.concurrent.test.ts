/**
 * The per-spreadsheet lease and the jobs it guards, with executions truly at the same time (issue 13:
 * "concurrent executions interleaving at service calls"; emulator runtime/concurrent.ts). A register
 * import, Recalculate, "Weekly report now", the hourly weekly trigger (with and without its document),
 * an RTC typed in the tracker (onEdit), a contact logged from the sidebar and a letter run start at
 * seeded offsets; their service calls interleave. After every served call the lease record is read
 * (host side), so the invariants hold at every instant, not just at the end:
 *
 * - two long jobs (import, recalculate, weekly) never hold the lease at once, and every write of a
 *   long job to the spreadsheet happens while it holds the lease;
 * - a job that is refused says so in words (no Apps Script text) and wrote nothing;
 * - no update is lost: the imported day is in the Register, the typed RTC and the logged contact are
 *   in the Log exactly once, their rows' Last contact is today, each letter left once and its ledger
 *   row says sent, no weekly report went twice to anyone;
 * - the lease is given back (or expires when Google stopped its execution) and the next job runs.
 */
import { createEmulator, type ClientOutcome, type ClientScript, type Emulator, type ServedCall } from '../../emulator';
import { liveHolders, type LeaseRecord } from '../../src/core/lease';
import { generateSchool, type SampleSchool } from '../../src/core/sample/school';
import { registerSheetValues } from '../../src/core/register/registerSheet';
import { letterReference } from '../../src/gas/letters/reference';
import type { SendLettersResponse } from '../../src/rpcTypes';
import { createTemplateDocs, keepLetters } from '../helpers/lettersSchool';
import { loadBuiltProject } from '../helpers/project';
import { simsCsv } from '../helpers/registerCsv';
import { DEFAULT_TRACKER_HEADERS, putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';

const school = generateSchool(sampleOptions({ students: 200, schoolDays: 40, seed: 9 }));
const days = school.schoolDays;
const today = days[days.length - 1]!;
const staffOf = (role: string) => school.staff.find((s) => s.role === role)!.email;
const al = staffOf('AL');
const ao = staffOf('AO');
const admin = staffOf('Admin');
const LONG = new Set(['importRegister', 'recalculate', 'runWeeklyNow', 'weeklyReportTrigger']);
const BUSY = /^SOL Tracker is already [a-z ]+ for this spreadsheet.*, so [a-z ]+ did not start and nothing was changed\. Try again when it has finished — at the latest in \d+ minutes?\.$/;
/** Apps Script's own text, which a person must never read. */
const RAW = /^(Exception: )?(Lock timeout|Service|Exceeded maximum|Internal error|We're sorry|Cannot |TypeError|ReferenceError)|is not a function|undefined/;
const letterOf = (header: string) => String.fromCharCode(65 + DEFAULT_TRACKER_HEADERS.indexOf(header));

interface Scenario {
  emu: Emulator;
  triggerUid: string;
  csv: string;
  rtcStudent: { id: string; row: number };
  contactStudent: string;
}

/** A school whose Register lacks today; the weekly report is scheduled for today 09:00 (London); a few letters due. */
async function scenario(triggerHasDocument: boolean, letters = 6): Promise<Scenario> {
  const start = new Date(schoolDayNoon(today).getTime() - 3 * 86400000);
  const emu = createEmulator({ account: 'workspace', now: start, users: [al, ...school.staff.map((s) => s.email).filter((e) => e !== al)], triggerHasDocument });
  const templates = createTemplateDocs(emu, ['letter1', 'letter2', 'letter3', 'letter4']);
  putSampleSchool(emu, { school: { ...school, marks: school.marks.filter((m) => m.date < today) } as SampleSchool, settings: { templates, senderName: 'Attendance Team' } });
  loadBuiltProject(emu);
  const weekday = new Date(`${today}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' }).toUpperCase();
  await emu.rpc('scheduleWeekly', [{ day: weekday, hour: 9 }], ao);
  emu.clock.set(schoolDayNoon(today));
  if (letters > 0) await keepLetters(emu, al, letters);
  const triggerUid = emu.triggers.list().find((t) => t.handler === 'weeklyReportTrigger')!.id;
  const ids = tabValues(emu, 'SOL Tracker').map((r) => String(r[0]));
  return { emu, triggerUid, csv: simsCsv(school, [today]), rtcStudent: { id: ids[5]!, row: 6 }, contactStudent: ids[9]! };
}

/** A person who presses the button again when told to (after the minutes the refusal gives, or one). */
function retrying(user: string, fn: string, args: unknown[], startAfterMs: number, kind?: ClientScript['kind']): ClientScript {
  let tries = 0;
  let gap = 0;
  return {
    user,
    startAfterMs,
    kind,
    get gapMs() {
      return gap;
    },
    next(prev: ClientOutcome | null) {
      if (prev && !prev.error) return null;
      if (prev?.error) {
        const minutes = /at the latest in (\d+) minute/.exec(prev.error)?.[1];
        gap = (minutes ? Number(minutes) : 1) * 60000;
      }
      return tries++ < 4 ? { fn, args } : null;
    },
  };
}

/** The sidebar's letter loop: start a run, then send until nothing is left (a refusal ends it). */
function lettersClient(user: string, startAfterMs: number): ClientScript {
  let runId: string | null = null;
  let calls = 0;
  return {
    user,
    startAfterMs,
    next(prev: ClientOutcome | null) {
      const r = prev?.result as SendLettersResponse | undefined;
      if (prev?.error) return null;
      if (r) {
        runId = r.runId;
        if (r.done || r.stoppedBecause !== null || r.remaining === 0) return null;
      }
      return calls++ < 20 ? { fn: 'sendLetters', args: [{ runId }] } : null;
    },
  };
}

function leaseRecord(emu: Emulator): LeaseRecord {
  return emu.direct(() => {
    const m = emu.spreadsheet.getDeveloperMetadata().find((x) => x.getKey() === 'sol.lease');
    return m ? (JSON.parse(m.getValue()!) as LeaseRecord) : { holders: [] };
  });
}

/** A change to the spreadsheet's cells or tabs (not the lease record itself, nor reads). */
function isWrite(c: ServedCall): boolean {
  if (!['Range', 'Sheet', 'Spreadsheet', 'RangeList'].includes(c.target)) return false;
  if (/DeveloperMetadata|^setActive|^toast$/.test(c.member)) return false;
  return /^(set|append|insert|delete|clear|merge|sort|protect|hide|show|copyTo|moveTo|autoResize|setFrozen)/.test(c.member);
}

interface Watch {
  violations: string[];
  writes: Array<ServedCall & { holder: boolean }>;
  calls: number;
}

/**
 * Watches every served call: which client holds the lease (a token appears in the record right after
 * that client's call), that no two non-letter jobs hold it at once, and each long job's writes.
 */
function watcher(emu: Emulator, clients: readonly { fn: string }[]): { observe: (c: ServedCall) => void; watch: Watch } {
  const owner = new Map<string, number>();
  const watch: Watch = { violations: [], writes: [], calls: 0 };
  let lastText = JSON.stringify(leaseRecord(emu));
  const observe = (c: ServedCall) => {
    if (c.op !== 'call') return;
    watch.calls++;
    const record = leaseRecord(emu);
    const text = JSON.stringify(record);
    if (text !== lastText) {
      for (const h of record.holders) if (!owner.has(h.token)) owner.set(h.token, c.client);
      lastText = text;
    }
    const live = liveHolders(record, c.atMs);
    const exclusive = live.filter((h) => h.job !== 'letters');
    if ((exclusive.length > 1 || (exclusive.length === 1 && live.length > 1)) && watch.violations.length < 10) {
      watch.violations.push(`at ${new Date(c.atMs).toISOString().slice(11, 23)}: ${live.map((h) => `${h.job} (client ${owner.get(h.token)})`).join(' and ')} hold the lease together`);
    }
    if (isWrite(c) && !c.failed && LONG.has(clients[c.client]!.fn)) {
      const holder = live.some((h) => owner.get(h.token) === c.client);
      watch.writes.push({ ...c, holder });
      if (!holder && watch.violations.length < 10) watch.violations.push(`at ${new Date(c.atMs).toISOString().slice(11, 23)}: ${clients[c.client]!.fn} (client ${c.client}) wrote ${c.target}.${c.member} without holding the lease`);
    }
  };
  return { observe, watch };
}

interface Outcome {
  watch: Watch;
  executions: ReturnType<Emulator['simulate']>['executions'];
  wallMs: number;
  t0: number;
}

/** Everything at once: the starts are spread over the first 8 s by the seed. */
function runAll(s: Scenario, seed: number, only?: readonly string[], at?: Record<string, number>, also?: (c: ServedCall) => void): Outcome {
  let a = seed * 7919 + 13;
  const offsets = new Map(Object.entries(at ?? {}));
  let name = '';
  const offset = () => {
    a = (a * 48271) % 2147483647;
    return offsets.get(name) ?? (a % 16) * 500;
  };
  const named = <T>(n: string, make: () => T): T => {
    name = n;
    return make();
  };
  const all: Array<[string, ClientScript]> = [
    ['import', named('import', () => retrying(ao, 'importRegister', [{ fileName: 'sims.csv', csvText: s.csv, onlyValidRows: false }], offset()))],
    ['recalculate', named('recalculate', () => retrying(al, 'recalculate', [], offset()))],
    ['weeklyNow', named('weeklyNow', () => retrying(ao, 'runWeeklyNow', [], offset()))],
    ['trigger', named('trigger', (): ClientScript => ({ user: ao, kind: 'trigger', startAfterMs: offset(), next: (p: ClientOutcome | null) => (p ? null : { fn: 'weeklyReportTrigger', args: [{ triggerUid: s.triggerUid, authMode: 'FULL' }] }) }))],
    ['rtc', named('rtc', (): ClientScript => ({ user: admin, startAfterMs: offset(), next: (p: ClientOutcome | null) => (p ? null : { fn: 'onEdit', edit: { sheet: 'SOL Tracker', a1: `${letterOf('RTC')}${s.rtcStudent.row}`, value: 'Yes' } }) }))],
    ['contact', named('contact', () => retrying(ao, 'logContact', [{ studentId: s.contactStudent, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: '', notes: 'Concurrent test', requestKey: `contact-${seed}-form` }], offset()))],
    ['letters', named('letters', () => lettersClient(al, offset()))],
  ];
  const chosen = all.filter(([name]) => !only || only.includes(name)).map(([, c]) => c);
  const names = all.filter(([name]) => !only || only.includes(name)).map(([name]) => ({ import: 'importRegister', recalculate: 'recalculate', weeklyNow: 'runWeeklyNow', trigger: 'weeklyReportTrigger', rtc: 'onEdit', contact: 'logContact', letters: 'sendLetters' })[name]!);
  const { observe, watch } = watcher(s.emu, names.map((fn) => ({ fn })));
  const t0 = s.emu.clock.now().getTime();
  const r = s.emu.simulate(chosen, { seed, observe: also ? (c) => { observe(c); also(c); } : observe });
  return { watch, executions: r.executions, wallMs: r.wallMs, t0 };
}

function logRows(emu: Emulator): unknown[][] {
  return tabValues(emu, 'Interventions Log').slice(1);
}

function trackerRow(emu: Emulator, studentId: string): Record<string, unknown> {
  const values = tabValues(emu, 'SOL Tracker');
  const header = values[0]!.map(String);
  const row = values.find((r) => String(r[0]) === studentId)!;
  return Object.fromEntries(header.map((h, i) => [h, row[i]]));
}

/** The invariants every run must keep (see the file's comment). */
function expectInvariants(s: Scenario, out: Outcome, label: string): void {
  const { emu } = s;
  expect({ label, violations: out.watch.violations }).toEqual({ label, violations: [] });
  // Words, not Apps Script text; a refused long job wrote nothing.
  for (const e of out.executions) {
    if (!e.error) continue;
    expect({ label, fn: e.fn, error: e.error, raw: RAW.test(e.error) }).toMatchObject({ raw: false });
    if (BUSY.test(e.error)) {
      const wrote = out.watch.writes.filter((w) => w.client === e.client && w.atMs - out.t0 >= e.startMs && w.atMs - out.t0 <= e.endMs);
      expect({ label, fn: e.fn, wrote: wrote.map((w) => `${w.target}.${w.member}`) }).toEqual({ label, fn: e.fn, wrote: [] });
    }
  }
  // The import landed: the Register is the whole school's, today included.
  expect(tabValues(emu, 'Register').map((r) => r.map(String))).toEqual(registerSheetValues(school.marks, school.students.map((x) => x.studentId)));
  // The RTC typed and the contact logged are each in the Log exactly once.
  const rows = logRows(emu);
  const rtc = rows.filter((r) => String(r[2]) === s.rtcStudent.id && /RTC cell: "Yes"/.test(String(r[12])));
  expect({ label, rtc: rtc.length }).toEqual({ label, rtc: 1 });
  const contact = rows.filter((r) => String(r[2]) === s.contactStudent && /Concurrent test/.test(String(r[12])));
  expect({ label, contact: contact.length }).toEqual({ label, contact: 1 });
  // Their rows say so: the cell typed is still there, Last contact is today (no stale write over it).
  const todayWords = today.split('-').reverse().join('/');
  expect(trackerRow(emu, s.rtcStudent.id).RTC).toBe('Yes');
  expect(String(trackerRow(emu, s.rtcStudent.id)['Last contact'] ?? trackerRow(emu, s.rtcStudent.id)['Last Contact'])).toBe(todayWords);
  expect(String(trackerRow(emu, s.contactStudent)['Last contact'] ?? trackerRow(emu, s.contactStudent)['Last Contact'])).toBe(todayWords);
  // Each letter left once; its ledger row says sent.
  const ledger = tabValues(emu, 'Letters Ledger').slice(1).filter((r) => r[0] !== '');
  const refs = new Map<string, number>();
  for (const m of emu.mail.outbox) {
    const ref = /Ref (L-[0-9A-F]{8})$/.exec(m.body)?.[1];
    if (ref) refs.set(ref, (refs.get(ref) ?? 0) + 1);
  }
  expect({ label, twice: [...refs].filter(([, n]) => n > 1) }).toEqual({ label, twice: [] });
  expect(ledger.filter((r) => String(r[8]).toLowerCase() !== 'sent').map((r) => `${r[0]}: ${r[8]}`)).toEqual([]);
  expect(ledger.map((r) => letterReference(String(r[0]))).sort()).toEqual([...refs.keys()].sort());
  // No weekly report went twice to anyone.
  const weekly = emu.mail.outbox.filter((m) => /weekly attendance|Attendance report|week/i.test(m.subject) && !/did not go out/.test(m.subject));
  const byTo = new Map<string, number>();
  for (const m of weekly) byTo.set(`${m.to} ${m.subject}`, (byTo.get(`${m.to} ${m.subject}`) ?? 0) + 1);
  expect({ label, twice: [...byTo].filter(([, n]) => n > 1) }).toEqual({ label, twice: [] });
  // The shared script lock (every school's) is held only for a check-and-set: milliseconds.
  const scriptHolds = emu.lock.holds().filter((h) => h.key === 'script').map((h) => h.ms);
  expect({ label, longest: Math.max(0, ...scriptHolds) < SCRIPT_HOLD_MS }).toEqual({ label, longest: true });
  // The lease was given back: nobody holds it, and the next job runs.
  expect(liveHolders(leaseRecord(emu), emu.clock.now().getTime())).toEqual([]);
}

const SEEDS = [1, 2, 3, 4];
/** The longest a check-and-set may hold the script lock (modelled): a few metadata calls. */
const SCRIPT_HOLD_MS = 200;

describe.each([true, false])('everything at once (the trigger has its document: %s)', (triggerHasDocument) => {
  test.each(SEEDS)('seed %i: the lease keeps long jobs apart, refusals are in words, nothing is lost', async (seed) => {
    const s = await scenario(triggerHasDocument);
    const out = runAll(s, seed);
    expectInvariants(s, out, `seed ${seed}`);
    const refused = out.executions.filter((e) => e.error && BUSY.test(e.error)).length;
    // eslint-disable-next-line no-console
    console.log(`lease.concurrent seed ${seed} document ${triggerHasDocument}: ${out.executions.length} executions, ${refused} refused by the lease, ${out.watch.calls} service calls, wall ${(out.wallMs / 1000).toFixed(1)} s`);
    await expect(s.emu.rpc('recalculate', [], al)).resolves.toMatchObject({ students: 200 });
  }, 600_000);
});

describe('a job Google stops at its time limit', () => {
  test('its lease ends with its 6 minutes: the import waiting behind it is refused in words, then runs', async () => {
    const s = await scenario(true, 0);
    s.emu.faults.inject('SpreadsheetApp.Range.setBackgrounds', { nth: 1, error: 'timeout' });
    const out = runAll(s, 5, ['recalculate', 'import'], { recalculate: 0, import: 3000 });
    s.emu.faults.clear();
    const recalc = out.executions.filter((e) => e.fn === 'recalculate');
    expect(recalc[0]!.error).toMatch(/took longer than Google allows|Exceeded maximum execution time/);
    const imports = out.executions.filter((e) => e.fn === 'importRegister');
    expect(imports.some((e) => e.error && BUSY.test(e.error))).toBe(true);
    expect(imports[imports.length - 1]!.error).toBeUndefined();
    expect(out.watch.violations).toEqual([]);
    expect(tabValues(s.emu, 'Register').map((r) => r.map(String))).toEqual(registerSheetValues(school.marks, school.students.map((x) => x.studentId)));
  }, 600_000);
});

describe('two schools', () => {
  test("another school's check-and-sets cost this school at most their own milliseconds, never its jobs", async () => {
    const a = await scenario(true);
    const alone = runAll(a, 1);
    expectInvariants(a, alone, 'school A');
    const longest = Math.max(...a.emu.lock.holds().filter((h) => h.key === 'script').map((h) => h.ms));
    // School B runs the same day while another school holds the shared script lock for its longest
    // check-and-set just before every one of B's service calls (far more contention than one school makes).
    const b = await scenario(true);
    const contended = runAll(b, 1, undefined, undefined, () => b.emu.lock.holdScriptLockElsewhere(longest));
    expectInvariants(b, contended, 'school B');
    expect(contended.executions.filter((e) => /could not check whether another run/.test(e.error ?? ''))).toEqual([]);
    const checkAndSets = b.emu.lock.holds().filter((h) => h.key === 'script' && h.kind !== 'host').length;
    expect(contended.executions.map((e) => `${e.fn} ${e.error ? 'refused' : 'ok'}`).sort()).toEqual(alone.executions.map((e) => `${e.fn} ${e.error ? 'refused' : 'ok'}`).sort());
    // eslint-disable-next-line no-console
    console.log(`lease.concurrent two schools: longest check-and-set ${longest} ms; school B ${checkAndSets} check-and-sets, wall ${(alone.wallMs / 1000).toFixed(1)} s alone, ${(contended.wallMs / 1000).toFixed(1)} s contended`);
  }, 600_000);
});
