/**
 * The standing fault sweep's harness (issue 12 §2), shared by test/bundle/faultSweep*.test.ts: for
 * each mutating entry a fault is injected at service-call positions of the person's action (every
 * position for short actions, an even sample of at most `maxPositions` for long ones), of each fault
 * kind the emulator injects — an exception from the service, and the execution's time limit. Then the
 * person does what they would do (press again, retype, decide about a letter of unknown outcome), and
 * the outcome is compared with a fault-free run:
 *   - nothing lost and nothing duplicated (records counted by key);
 *   - the audit complete (Register Amendments, Interventions Log, Letters Ledger, Staff Changes);
 *   - the person told the truth: a reported success means it was all done; a failure is a sentence,
 *     never a JavaScript message.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { generateSchool, type SampleSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from './project';
import { putSampleSchool, sampleOptions, schoolDayNoon, tabValues } from './sampleSpreadsheet';
import { createTemplateDocs } from './lettersSchool';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Told = { ok: boolean; message: string; value?: unknown };
export interface Scenario {
  emu: Emulator;
  school: SampleSchool;
  who: (role: string) => string;
}
export interface Entry {
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
  /**
   * Side effects that are not records but are counted and reported (never hidden): e.g. a document
   * Google made whose ID the run could not note before it stopped (an orphan in Drive).
   */
  strays?(s: Scenario): number;
  /** Fault kinds that apply (default: both). */
  kinds?: readonly string[];
}

export const KINDS = ['Service error: Spreadsheets', 'timeout'] as const;
export const PROGRAMMER = /is not a function|Cannot read|Cannot convert|\[object Object\]|undefined|ReferenceError|TypeError/;
// A time of day written by the run (ISO, or the school's dd/mm/yyyy and MM/dd/yyyy with a time): a
// retry after a time-out runs 6 minutes later on the modelled clock, so times are not compared.
const STAMP = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?|\d\d\/\d\d\/\d{4},? \d\d?:\d\d(:\d\d)?|\d{1,2} [A-Z][a-z]{2} \d{4},? \d\d?:\d\d(:\d\d)?/g;

export const told = (p: Promise<unknown>): Promise<Told> =>
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

export function tab(emu: Emulator, name: string, dropColumns: number[] = []): string[][] {
  return tabValues(emu, name).map((r) => r.filter((_, i) => !dropColumns.includes(i)).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)).replace(STAMP, 'T')));
}

export function count(rows: string[][], keyOf: (r: string[]) => string | null): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

export const SCHOOL = generateSchool(sampleOptions({ students: 60, schoolDays: 20, seed: 11 }));
export const OWNER = 'owner@school.example';

export function scenario(opts: { unclaimed?: boolean; days?: number; templates?: boolean; sameDomain?: boolean } = {}): Scenario {
  const school = SCHOOL;
  const days = opts.days ?? school.schoolDays.length;
  // sameDomain: onEdit knows who typed (a script of the school's own Workspace domain, semantics U1.1).
  const emu = createEmulator({ account: 'workspace', ...(opts.sameDomain ? { developerDomain: 'school.example' } : {}), users: [OWNER, ...school.staff.map((s) => s.email)], now: schoolDayNoon(school.schoolDays[school.schoolDays.length - 1]) });
  // The Attendance Lead made the school's templates (documents are private to their maker).
  const templates = opts.templates ? createTemplateDocs(emu, ['letter1', 'letter2', 'letter3', 'letter4'], ['en', 'es'], school.staff.find((s) => s.role === 'AL')!.email) : [];
  const partial = days < school.schoolDays.length ? { ...school, marks: school.marks.filter((m) => m.date <= school.schoolDays[days - 1]) } : school;
  putSampleSchool(emu, { school: partial as SampleSchool, unclaimed: opts.unclaimed, settings: { templates, senderName: 'Attendance Team' } });
  loadBuiltProject(emu);
  const who = (role: string) => school.staff.find((s) => s.role === role)!.email;
  return { emu, school, who };
}

/**
 * A tutor types "Yes" into the RTC or ROPC cell of a pupil of their own group (onEdit), as the
 * sweep's act: told from the toast ("NOT logged" = not recorded). The row is kept on the scenario.
 */
export function tutorTypes(s: Scenario & { row?: number }, column: 'RTC' | 'ROPC'): Told {
  const tutor = s.school.staff.find((m) => m.role === 'Tutor')!;
  const row = s.school.students.findIndex((st) => st.tutorGroup === tutor.tutorGroup) + 2;
  s.row = row;
  const col = tabValues(s.emu, 'SOL Tracker')[0].indexOf(column) + 1;
  const before = s.emu.ui.toasts.length;
  try {
    s.emu.userEdit('SOL Tracker', `${String.fromCharCode(64 + col)}${row}`, 'Yes', tutor.email);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const toast = s.emu.ui.toasts.slice(before).map((t) => t.msg).join(' ');
  return { ok: !/NOT logged/.test(toast), message: toast };
}

export async function recalculated(s: Scenario): Promise<Scenario> {
  await s.emu.rpc('recalculate', [], s.who('AL'));
  return s;
}

/**
 * The positions swept: every one when FAULT_SWEEP_FULL=1 (or when there are few), else an even
 * sample of `max` including the first and the last call (npm test stays within minutes).
 */
export function positions(n: number, max: number): number[] {
  if (n <= max || process.env.FAULT_SWEEP_FULL === '1') return Array.from({ length: n }, (_, i) => i + 1);
  const out = new Set<number>([1, n]);
  for (let i = 1; out.size < max; i++) out.add(Math.max(1, Math.min(n, Math.round((i * n) / (max - 1)))));
  return [...out].sort((a, b) => a - b);
}

/**
 * Defines one jest test per entry and, after them all, prints the closing counts and writes them to
 * test-artifacts/fault-sweep/<file>.txt (one line per entry), where the coordinator reads them.
 */
export function sweep(file: string, ENTRIES: Entry[]): void {
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
    let strays = 0;
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
        strays += entry.strays?.(s) ?? 0;
        const got = entry.records(s);
        for (const [k, n] of expectedRecords) {
          const m = got.get(k) ?? 0;
          if (m < n) { lost += n - m; problems.push(`${kind} at call ${at}: lost ${k}`); }
          if (m > n) { duplicated += m - n; problems.push(`${kind} at call ${at}: doubled ${k}`); }
        }
        for (const [k, m] of got) if (!expectedRecords.has(k)) { duplicated += m; problems.push(`${kind} at call ${at}: unexpected ${k}`); }
        const seen = entry.observe(s);
        if (JSON.stringify(seen) !== JSON.stringify(expected)) problems.push(`${kind} at call ${at}: after the retry the outcome differs from a fault-free run${firstDifference(seen, expected)}`);
      }
    }
    summary.push(`${entry.name}: ${calls} service calls; ${runs} fault runs (${positions(calls, entry.maxPositions ?? 10).length} positions of ${calls} × ${kinds.length} kind${kinds.length === 1 ? '' : 's'}); lost ${lost}, duplicated ${duplicated}, other problems ${problems.length - lost - duplicated}${entry.strays ? `; strays ${strays}` : ''}`);
    expect(problems).toEqual([]);
  }, 600_000);
});

afterAll(() => {
  // The closing counts (issue 12): one line per entry.
  console.log(`Fault sweep\n${summary.join('\n')}`);
  const dir = path.join(__dirname, '../../test-artifacts/fault-sweep');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${file}.txt`), `${summary.join('\n')}\n`);
});
}

/** Where two observed outcomes first differ (a path and both values), to name it in the problem. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return ` (at ${path || '/'}: ${JSON.stringify(a)?.slice(0, 160)} instead of ${JSON.stringify(b)?.slice(0, 160)})`;
}
