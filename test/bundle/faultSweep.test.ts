/**
 * The standing fault sweep (issue 12 §2). For each mutating entry a person can start — setup,
 * import, recalculate, log a contact, an RTC typed in the sheet (onEdit), save settings, leave a
 * letter out, send letters, the weekly report — a fault is injected at service-call positions of
 * that action (every position for short actions, an even sample for long ones), as an exception
 * from the service and as the execution's time limit. Then the person does what they would do
 * (press the same button again, retype the cell, decide about a letter of unknown outcome), and we
 * check against a fault-free run:
 *   - nothing lost and nothing duplicated (log rows, ledger, register, amendments, emails);
 *   - the audit complete (Register Amendments, Interventions Log, Letters Ledger, Staff Changes);
 *   - the person told the truth: a reported success means it was all done; a failure is a sentence.
 * The counts per entry are printed at the end.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool, type SampleSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from '../helpers/sampleSpreadsheet';
import { createTemplateDocs } from '../helpers/lettersSchool';
import { simsCsv } from '../helpers/registerCsv';

type Told = { ok: boolean; message: string; value?: unknown };
interface Scenario {
  emu: Emulator;
  school: SampleSchool;
  who: (role: string) => string;
}
interface Entry {
  name: string;
  /** A fresh spreadsheet in the state before the person's action. */
  prepare(): Scenario;
  /** What the person does before the action (open the form, load the plan): no fault there. */
  before?(s: Scenario): Promise<void>;
  /** The person's action: one or more executions. */
  act(s: Scenario): Promise<Told>;
  /** What the person does after being told: press again, retype, decide. */
  retry(s: Scenario, told: Told): Promise<void>;
  /** The observable outcome, without timestamps or generated ids. */
  observe(s: Scenario): unknown;
  /** Counts of records the action must leave exactly once (for lost/duplicated). */
  records(s: Scenario): Map<string, number>;
  /** Sample at most this many positions per fault kind. */
  maxPositions?: number;
  /** Fault kinds that apply (default: both). */
  kinds?: readonly (typeof KINDS)[number][];
}

const KINDS = ['Service error: Spreadsheets', 'timeout'] as const;
const PROGRAMMER = /is not a function|Cannot read|Cannot convert|\[object Object\]|undefined|ReferenceError|TypeError/;
const STAMP = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?/g;

const told = (p: Promise<unknown>): Promise<Told> =>
  p.then(
    (value) => {
      const v = value as { ok?: boolean; message?: string; errors?: { message: string }[] } | null;
      const message = String(v?.message ?? v?.errors?.map((e) => e.message).join(' ') ?? '');
      // A success that says part of it did not happen ("… was not recalculated") is the truth told.
      const ok = !(v && typeof v === 'object' && v.ok === false) && !/not recalculated|could not|NOT logged|not saved|were not/i.test(message);
      return { ok, message, value };
    },
    (e: Error) => ({ ok: false, message: e.message }),
  );

function tab(emu: Emulator, name: string, dropColumns: number[] = []): string[][] {
  return tabValues(emu, name).map((r) => r.filter((_, i) => !dropColumns.includes(i)).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)).replace(STAMP, 'T')));
}

function count(rows: string[][], keyOf: (r: string[]) => string | null): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

const SCHOOL = generateSchool(sampleOptions({ students: 60, schoolDays: 20, seed: 11 }));
const OWNER = 'owner@school.example';

function scenario(opts: { unclaimed?: boolean; days?: number; templates?: boolean } = {}): Scenario {
  const school = SCHOOL;
  const days = opts.days ?? school.schoolDays.length;
  const emu = createEmulator({ account: 'workspace', users: [OWNER, ...school.staff.map((s) => s.email)], now: schoolDayNoon(school.schoolDays[school.schoolDays.length - 1]) });
  const templates = opts.templates ? createTemplateDocs(emu, ['letter1', 'letter2', 'letter3', 'letter4']) : [];
  const partial = days < school.schoolDays.length ? { ...school, marks: school.marks.filter((m) => m.date <= school.schoolDays[days - 1]) } : school;
  putSampleSchool(emu, { school: partial as SampleSchool, unclaimed: opts.unclaimed, settings: { templates, senderName: 'Attendance Team' } });
  loadBuiltProject(emu);
  const who = (role: string) => school.staff.find((s) => s.role === role)!.email;
  return { emu, school, who };
}

async function recalculated(s: Scenario): Promise<Scenario> {
  await s.emu.rpc('recalculate', [], s.who('AL'));
  return s;
}

const ENTRIES: Entry[] = [
  {
    name: 'setup (first set-up by the owner)',
    prepare: () => scenario({ unclaimed: true }),
    act: (s) => told(s.emu.rpc('runSetup', [], OWNER)),
    retry: async (s) => { await told(s.emu.rpc('runSetup', [], OWNER)); },
    observe: (s) => ({
      // "SOL Updates" holds only the derived update stamp; the next Recalculate writes it (its formula says so meanwhile).
      tabs: s.emu.direct(() => s.emu.spreadsheet.getSheets().filter((sh) => sh.getName() !== 'SOL Updates').map((sh) => `${sh.getName()}:${sh.getLastColumn()}`).sort()),
      staffChanges: tab(s.emu, 'Staff Changes', [1]),
      settings: tab(s.emu, 'Settings'),
    }),
    records: (s) => count(tab(s.emu, 'Staff Changes').slice(1), (r) => `${r[0]}|${r[3]}`),
  },
  {
    name: 'import (new day + a corrected mark)',
    prepare: () => scenario({ days: 19 }),
    act: (s) => {
      const [day3, day] = [s.school.schoolDays[3], s.school.schoolDays[19]];
      const first = s.school.students[0].studentId;
      // The MIS corrected one earlier mark of the first pupil, and has a new day for everyone.
      const corrected = { ...s.school, marks: s.school.marks.map((m) => (m.studentId === first && m.date === day3 && m.session === 'AM' ? { ...m, code: m.code === 'O' ? '/' : 'O' } : m)) };
      const csv = simsCsv(corrected as SampleSchool, [day3, day]);
      (s as Scenario & { csv?: string }).csv = csv;
      return told(s.emu.rpc('importRegister', [{ fileName: 'sims.csv', csvText: csv, onlyValidRows: false }], s.who('AO')));
    },
    retry: async (s) => { await told(s.emu.rpc('importRegister', [{ fileName: 'sims.csv', csvText: (s as Scenario & { csv?: string }).csv, onlyValidRows: false }], s.who('AO'))); },
    observe: (s) => ({ register: tab(s.emu, 'Register'), amendments: tab(s.emu, 'Register Amendments', [0]), tracker: tab(s.emu, 'SOL Tracker') }),
    records: (s) => count(tab(s.emu, 'Register Amendments').slice(1), (r) => `${r[1]}|${r[2]}|${r[3]}|${r[4]}>${r[5]}`),
    maxPositions: 10,
  },
  {
    name: 'recalculate',
    prepare: () => scenario(),
    act: (s) => told(s.emu.rpc('recalculate', [], s.who('HOY'))),
    retry: async (s, t) => { if (!t.ok) await told(s.emu.rpc('recalculate', [], s.who('HOY'))); },
    observe: (s) => tab(s.emu, 'SOL Tracker'),
    records: () => new Map(),
  },
  {
    name: 'log a contact (sidebar)',
    prepare: () => scenario(),
    act: (s) => told(s.emu.rpc('logContact', [{ requestKey: 'form000001', studentId: s.school.students[2].studentId, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: 'Call again Friday', notes: '' }], s.who('AO'))),
    retry: async (s, t) => {
      if (!t.ok) await told(s.emu.rpc('logContact', [{ requestKey: 'form000001', studentId: s.school.students[2].studentId, method: 'Phone call', outcome: 'Spoke to parent/carer', nextAction: 'Call again Friday', notes: '' }], s.who('AO')));
    },
    observe: (s) => tab(s.emu, 'Interventions Log', [0]),
    records: (s) => count(tab(s.emu, 'Interventions Log').slice(1), (r) => `${r[2]}|${r[5]}|${r[6]}`),
  },
  {
    name: 'RTC typed in the sheet (onEdit)',
    prepare: () => scenario(),
    act: async (s) => {
      const tutor = s.school.staff.find((m) => m.role === 'Tutor')!;
      const row = s.school.students.findIndex((st) => st.tutorGroup === tutor.tutorGroup) + 2;
      (s as Scenario & { row?: number }).row = row;
      const col = tabValues(s.emu, 'SOL Tracker')[0].indexOf('RTC') + 1;
      const before = s.emu.ui.toasts.length;
      try {
        s.emu.userEdit('SOL Tracker', `${String.fromCharCode(64 + col)}${row}`, 'Yes', tutor.email);
      } catch (e) {
        return { ok: false, message: (e as Error).message };
      }
      const toast = s.emu.ui.toasts.slice(before).map((t) => t.msg).join(' ');
      return { ok: !/NOT logged/.test(toast), message: toast };
    },
    retry: async (s, t) => {
      if (!/NOT logged/.test(t.message)) return; // told it is logged: the person does nothing more
      const tutor = s.school.staff.find((m) => m.role === 'Tutor')!;
      const col = tabValues(s.emu, 'SOL Tracker')[0].indexOf('RTC') + 1;
      s.emu.userEdit('SOL Tracker', `${String.fromCharCode(64 + col)}${(s as Scenario & { row?: number }).row}`, 'Yes', tutor.email);
    },
    observe: (s) => tab(s.emu, 'Interventions Log', [0]),
    records: (s) => count(tab(s.emu, 'Interventions Log').slice(1), (r) => `${r[2]}|${r[5]}|${r[6]}`),
    // A simple trigger stopped by its time limit can tell nobody (every later call fails too): that
    // case is for Recalculate's reconciliation of RTC/ROPC cells with the log (issue 13), not here.
    kinds: ['Service error: Spreadsheets'],
  },
  {
    name: 'save settings (a role change)',
    prepare: () => scenario(),
    before: async (s) => {
      const base = (await s.emu.rpc('getSettings', [], s.who('AL'))) as { staff: { email: string; role: string }[] };
      const tutor = s.who('Tutor').toLowerCase();
      const staff = base.staff.map((m) => (m.email === tutor ? { ...m, role: 'HOY', yearGroup: '8' } : m));
      (s as Scenario & { form?: unknown }).form = { staff, schoolName: 'Riverside', base };
    },
    act: (s) => told(s.emu.rpc('saveSettings', [(s as Scenario & { form?: unknown }).form], s.who('AL'))),
    retry: async (s, t) => {
      if (t.ok) return;
      const form = (s as Scenario & { form?: { staff: unknown; schoolName: string } }).form!;
      const again = await told(s.emu.rpc('saveSettings', [form], s.who('AL')));
      if (!again.ok && /Someone saved the settings/.test(again.message)) {
        const base = await s.emu.rpc('getSettings', [], s.who('AL')); // the person reloads and makes the change again
        await told(s.emu.rpc('saveSettings', [{ ...form, base }], s.who('AL')));
      }
    },
    observe: (s) => ({ settings: tab(s.emu, 'Settings'), changes: tab(s.emu, 'Staff Changes', [1]) }),
    records: (s) => count(tab(s.emu, 'Staff Changes').slice(1), (r) => `${r[3]}|${r[5]}>${r[6]}`),
  },
  {
    name: 'leave a letter out (exclusion)',
    prepare: () => scenario({ templates: true }),
    before: async (s) => {
      const plan = (await s.emu.rpc('getLetterPlan', [], s.who('AL'))) as { items: { studentId: string }[] };
      (s as Scenario & { pupil?: string }).pupil = plan.items[0].studentId;
    },
    act: (s) => told(s.emu.rpc('setExclusion', [{ studentId: (s as Scenario & { pupil?: string }).pupil, reason: 'hospital stay, medical evidence seen' }], s.who('AL'))),
    retry: async (s, t) => {
      if (!t.ok) await told(s.emu.rpc('setExclusion', [{ studentId: (s as Scenario & { pupil?: string }).pupil, reason: 'hospital stay, medical evidence seen' }], s.who('AL')));
    },
    observe: (s) => ({ ledger: tab(s.emu, 'Letters Ledger', [10, 11]), log: tab(s.emu, 'Interventions Log', [0]) }),
    records: (s) => count(tab(s.emu, 'Interventions Log').slice(1), (r) => (/left out/.test(r[12]) ? `${r[2]}|note` : null)),
  },
];

function positions(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i + 1);
  const out = new Set<number>([1, n]);
  for (let i = 1; out.size < max; i++) out.add(Math.max(1, Math.min(n, Math.round((i * n) / (max - 1)))));
  return [...out].sort((a, b) => a - b);
}

const summary: string[] = [];

describe.each(ENTRIES)('fault sweep: $name', (entry) => {
  test('a fault at each service call, then the person retries: nothing lost, nothing doubled, the truth told', async () => {
    // The reference: no fault.
    const ref = entry.prepare();
    await entry.before?.(ref);
    ref.emu.calls.reset();
    const refTold = await entry.act(ref);
    expect(refTold.ok).toBe(true);
    const calls = ref.emu.calls.total();
    const expected = entry.observe(ref);
    const expectedRecords = entry.records(ref);
    let runs = 0;
    let lost = 0;
    let duplicated = 0;
    const problems: string[] = [];
    const kinds = entry.kinds ?? KINDS;
    for (const kind of kinds) {
      for (const at of positions(calls, entry.maxPositions ?? 10)) {
        const s = entry.prepare();
        await entry.before?.(s);
        s.emu.faults.injectAtCall(at, kind);
        const t = await entry.act(s);
        s.emu.faults.clear();
        runs++;
        if (PROGRAMMER.test(t.message)) problems.push(`${kind} at call ${at}: told "${t.message.slice(0, 160)}"`);
        if (t.ok && JSON.stringify(entry.observe(s)) !== JSON.stringify(expected)) {
          const seen = entry.observe(s) as Record<string, unknown>;
          const differs = Object.keys(expected as Record<string, unknown>).filter((k) => JSON.stringify(seen[k]) !== JSON.stringify((expected as Record<string, unknown>)[k]));
          problems.push(`${kind} at call ${at}: told it succeeded, but it was not all done (${differs.join(', ')}; told "${t.message.slice(0, 200)}"; ${JSON.stringify(differs.map((k) => seen[k])).slice(0, 400)})`);
        }
        await entry.retry(s, t);
        const got = entry.records(s);
        for (const [k, n] of expectedRecords) {
          const m = got.get(k) ?? 0;
          if (m < n) { lost += n - m; problems.push(`${kind} at call ${at}: lost ${k}`); }
          if (m > n) { duplicated += m - n; problems.push(`${kind} at call ${at}: doubled ${k}`); }
        }
        for (const [k, m] of got) if (!expectedRecords.has(k)) { duplicated += m; problems.push(`${kind} at call ${at}: unexpected ${k}`); }
        if (JSON.stringify(entry.observe(s)) !== JSON.stringify(expected)) problems.push(`${kind} at call ${at}: after the retry the outcome differs from a fault-free run`);
      }
    }
    summary.push(`${entry.name}: ${calls} service calls; ${runs} fault runs (${positions(calls, entry.maxPositions ?? 10).length} positions of ${calls} × ${kinds.length} kind${kinds.length === 1 ? '' : 's'}); lost ${lost}, duplicated ${duplicated}, other problems ${problems.length - lost - duplicated}`);
    expect(problems).toEqual([]);
  }, 600_000);
});

afterAll(() => {
  // The closing counts (issue 12): one line per entry.
  console.log(`Fault sweep\n${summary.join('\n')}`);
});
