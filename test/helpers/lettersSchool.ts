/**
 * A school with at least 300 letters due, in English and Spanish, template docs made from the
 * starter wording, and the built project loaded — shared by the letter bundle tests and
 * bench/letters.bench.ts.
 */
import type { Emulator } from '../../emulator';
import { createEmulator } from '../../emulator';
import { STARTER_TEMPLATES } from '../../src/core/letters';
import { generateSchool, type SampleSchool } from '../../src/core/sample/school';
import type { TemplateRef } from '../../src/core/settings';
import type { LetterPlan, SendLettersResponse } from '../../src/rpcTypes';
import { loadBuiltProject } from './project';
import { putSampleSchool, sampleOptions, schoolDayNoon, type SampleSpreadsheet } from './sampleSpreadsheet';

export const loadLettersProject = loadBuiltProject;

/** Template docs made with emu.docs.create from the starter wording (as a school would paste them). */
export function createTemplateDocs(emu: Emulator, letterIds: readonly string[], languages: readonly string[] = ['en', 'es'], owner?: string): TemplateRef[] {
  return STARTER_TEMPLATES.filter((t) => letterIds.includes(t.letterId) && languages.includes(t.language)).map((t) => ({
    letterId: t.letterId,
    language: t.language,
    docId: emu.docs.create(t.name, [...t.paragraphs], owner),
  }));
}

/**
 * The school's templates shared with a member of staff as their owner would in Drive (documents a
 * person made are private to them: only the owner and those they share with can open them).
 */
export function shareTemplates(emu: Emulator, templates: readonly TemplateRef[], email: string, role: 'writer' | 'reader' = 'writer'): void {
  for (const t of templates) emu.docs.share(t.docId, email, role);
}

export interface LetterSchool {
  emu: Emulator;
  sample: SampleSpreadsheet;
  school: SampleSchool;
  /** The Attendance Lead (the emulator's first user). */
  al: string;
  templates: TemplateRef[];
}

export interface LetterSchoolOptions {
  students?: number;
  seed?: number;
  /** Make changes to the generated school before it is put in the sheet (hostile names…). */
  edit?: (school: SampleSchool) => void;
  /** Templates to use instead of the starter wording for letter1–4 in en/es. */
  templates?: (emu: Emulator) => TemplateRef[];
}

/**
 * A Workspace account (1,500 recipients and 1,500 documents a day) with a generated UK school;
 * 1,000 students give ≥ 300 parent/carer letters due, English and Spanish families.
 */
export function letterSchool(opts: LetterSchoolOptions = {}): LetterSchool {
  const school = generateSchool(sampleOptions({ students: opts.students ?? 1000, seed: opts.seed ?? 7, schoolDays: 60 }));
  opts.edit?.(school);
  const today = school.schoolDays[school.schoolDays.length - 1]!;
  const al = school.staff.find((s) => s.role === 'AL')!.email;
  // Every member of staff can open the spreadsheet (the AL first: documents made host-side are theirs).
  const emu = createEmulator({ account: 'workspace', now: schoolDayNoon(today), users: [al, ...school.staff.map((s) => s.email).filter((e) => e !== al)] });
  const templates = opts.templates ? opts.templates(emu) : createTemplateDocs(emu, ['letter1', 'letter2', 'letter3', 'letter4']);
  const sample = putSampleSchool(emu, { school, settings: { templates, senderName: 'Attendance Team' } });
  loadLettersProject(emu);
  return { emu, sample, school, al, templates };
}

/** Tracker column (1-based) of a header, host side. */
export function trackerColumn(emu: Emulator, header: string): number {
  return emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName('SOL Tracker')!;
    return sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0].map(String).indexOf(header) + 1;
  });
}

/** One tracker cell of a student (by header), host side. */
export function trackerCell(emu: Emulator, studentId: string, header: string): unknown {
  const col = trackerColumn(emu, header);
  return emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName('SOL Tracker')!;
    const ids = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => String(r[0]));
    const row = ids.indexOf(studentId) + 1;
    if (row < 2) throw new Error(`no tracker row for ${studentId}`);
    return sheet.getRange(row, col).getValue();
  });
}

/** Sets one tracker cell of a student, host side (as a member of staff typing). */
export function setTrackerCell(emu: Emulator, studentId: string, header: string, value: unknown): void {
  const col = trackerColumn(emu, header);
  emu.direct(() => {
    const sheet = emu.spreadsheet.getSheetByName('SOL Tracker')!;
    const ids = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => String(r[0]));
    const row = ids.indexOf(studentId) + 1;
    if (row < 2) throw new Error(`no tracker row for ${studentId}`);
    sheet.getRange(row, col).setValue(value);
  });
}

/**
 * Leaves exactly n letters due: the parent/carer of each due student beyond the first n is
 * removed from the tracker (the plan then reports "no parent/carer" for them). Returns the plan.
 */
export async function keepLetters(emu: Emulator, user: string, n: number): Promise<LetterPlan> {
  const plan = (await emu.rpc('getLetterPlan', [], user)) as LetterPlan;
  if (plan.items.length < n) throw new Error(`only ${plan.items.length} letters are due; need ${n}`);
  for (const item of plan.items.slice(n)) {
    setTrackerCell(emu, item.studentId, 'Parent Email', '');
    setTrackerCell(emu, item.studentId, 'Parent/Guardian Name', '');
  }
  const after = (await emu.rpc('getLetterPlan', [], user)) as LetterPlan;
  if (after.items.length !== n) throw new Error(`expected ${n} letters after trimming, got ${after.items.length}`);
  return after;
}

/** Calls sendLetters as the sidebar does, until done or stopped; returns every response. */
export async function sendAll(emu: Emulator, user: string, runId: string | null = null, maxCalls = 100): Promise<SendLettersResponse[]> {
  const out: SendLettersResponse[] = [];
  let id = runId;
  for (let i = 0; i < maxCalls; i++) {
    const r = (await emu.rpc('sendLetters', [{ runId: id }], user)) as SendLettersResponse;
    out.push(r);
    id = r.runId;
    if (r.done || r.stoppedBecause !== null) break;
  }
  return out;
}

// ── baseline: Google's mail-merge sample pattern, in the same emulator ──────────────────────

/**
 * What apps-script-samples' mail merge does per row, with Docs: read each cell with getValue,
 * open the template and copy its paragraphs for every row, one replaceText per field, export,
 * send, and setValue the status cell. Plain project code, run in the emulator like the bundle.
 */

// ── parallel sending, as the sidebar does it (emulator: concurrent executions) ─────────────

export interface ParallelSendOptions {
  /** sendLetters calls running at once per person (the sidebar's PARALLEL_SENDERS). */
  workers?: number;
  /** Stop each loop after this many calls (a sidebar closed mid-run). */
  maxCallsPerWorker?: number;
  /** A run to continue instead of starting one (resume). */
  runId?: string | null;
  /** Tie-break seed for calls due at the same instant. */
  seed?: number;
  /** Modelled delay before each person's start call (ms). */
  startAfterMs?: number[];
}

export interface ParallelSendResult {
  /** Modelled wall time from the first start call to the end of the last execution (ms). */
  wallMs: number;
  runIds: string[];
  responses: SendLettersResponse[];
  errors: string[];
}

/**
 * Each person (senders) starts a run (sendLetters({ runId: null })) and then runs `workers` loops
 * of sendLetters({ runId }) at the same time, each looping until its response says nothing is
 * left to claim, the run stopped, or the call failed (a failed call's loop goes on, as the sidebar
 * retries it). All of it in one concurrent simulation.
 */
export function parallelSend(emu: Emulator, senders: readonly string[], opts: ParallelSendOptions = {}): ParallelSendResult {
  const workers = opts.workers ?? 4;
  const responses: SendLettersResponse[] = [];
  const errors: string[] = [];
  const runIds: string[] = senders.map(() => opts.runId ?? '');
  const clients = senders.flatMap((user, p) => Array.from({ length: workers + 1 }, (_, w) => {
    // loop 0 of each person starts the run; loops 1..workers wait for its runId
    let calls = 0;
    let failures = 0;
    return {
      user,
      startAfterMs: opts.startAfterMs?.[p] ?? 0,
      next(prev: { result?: unknown; error?: string } | null): { fn: string; args: unknown[] } | null | 'wait' {
        if (prev?.error) {
          errors.push(prev.error);
          failures++;
        }
        const r = prev?.result as SendLettersResponse | undefined;
        if (r) {
          responses.push(r);
          if (w === 0 && !runIds[p]) runIds[p] = r.runId;
        }
        if (w === 0) {
          if (prev === null) return runIds[p] ? null : { fn: 'sendLetters', args: [{ runId: null }] };
          return null; // the start call only
        }
        if (!runIds[p]) return 'wait' as const; // until the start call has answered
        if (r && (r.done || r.stoppedBecause !== null || r.remaining === 0)) return null;
        if (prev === null && runIds[p] === '') return 'wait';
        if (failures > 5) return null;
        if (opts.maxCallsPerWorker !== undefined && calls >= opts.maxCallsPerWorker) return null;
        calls++;
        return { fn: 'sendLetters', args: [{ runId: runIds[p] }] };
      },
    };
  }));
  const sim = emu.simulate(clients, { seed: opts.seed });
  return { wallMs: sim.wallMs, runIds, responses, errors };
}
