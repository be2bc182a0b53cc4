/**
 * A per-spreadsheet lease, never the shared script lock for the work (issue 13; src/gas/lock.ts).
 *
 * For a published add-on the script lock is shared by every school that installed it
 * (https://developers.google.com/apps-script/reference/lock/lock-service#getScriptLock()), and an
 * add-on's time-driven trigger may run without its document — then getDocumentLock() and
 * getDocumentProperties() are null (emulator option triggerHasDocument: false). The weekly report
 * must still run, hold the script lock only for the milliseconds of a check-and-set, not wait for
 * another school, and never run alongside another long job on the same spreadsheet. These are the
 * one-after-another cases (a lease left by a run that was killed mid-way, or one another execution
 * holds while this one starts); lease.concurrent.test.ts runs the jobs truly at the same time.
 */
import { createEmulator, type Emulator } from '../../emulator';
import { LEASE_MS, type LeaseRecord } from '../../src/core/lease';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool } from '../helpers/sampleSpreadsheet';

const HANDLER = 'weeklyReportTrigger';

interface School {
  emu: Emulator;
  ao: string;
  recipients: number;
}

function school(seed: number): School {
  const opts = { students: 150, seed, startDate: '2024-09-02', schoolDays: 60 };
  const probe = putSampleSchool(createEmulator(), opts);
  const ao = probe.staffOf('AO').email;
  const staff = probe.settings.staff.map((m) => m.email);
  const emu = createEmulator({ now: new Date('2024-10-02T11:00:00Z'), users: [ao, ...staff.filter((e) => e !== ao)], spreadsheetTimeZone: 'Europe/London', triggerHasDocument: false });
  putSampleSchool(emu, { ...opts, school: probe.school });
  loadBuiltProject(emu);
  const recipients = probe.settings.staff.filter((m) => m.role === 'HOY' || m.role === 'AO' || m.role === 'AL').length;
  return { emu, ao, recipients };
}

async function schedule(s: School): Promise<void> {
  await s.emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], s.ao);
}

/** Runs the hourly trigger up to Monday 7 October 2024, 09:00 (London): week 40 is due at 07:00. */
function toMonday(s: School) {
  return s.emu.fireDueTriggers(new Date('2024-10-07T08:00:00Z'));
}

function leaseRecord(emu: Emulator): LeaseRecord | null {
  return emu.direct(() => {
    const m = emu.spreadsheet.getDeveloperMetadata().find((x) => x.getKey() === 'sol.lease');
    return m ? (JSON.parse(m.getValue()!) as LeaseRecord) : null;
  });
}

/** Another execution's live lease on the spreadsheet, written as lock.ts writes it. */
function otherHolds(emu: Emulator, job: string, by: string, forMs: number): void {
  const now = emu.clock.now().getTime();
  const record = { holders: [{ token: 'other-execution', job, by, sinceMs: now, untilMs: now + forMs }] };
  emu.direct(() => emu.spreadsheet.addDeveloperMetadata('sol.lease', JSON.stringify(record), emu.services.SpreadsheetApp.DeveloperMetadataVisibility.PROJECT));
}

describe('weekly trigger without its document', () => {
  test("sends nothing it cannot read the roles for: it says why, tells the scheduler, and takes no school-wide lock", async () => {
    const s = school(7);
    await schedule(s);
    const runs = toMonday(s);
    const due = runs.filter((r) => /not sent|failed/.test(String(r.result)));
    expect(String(due[0]!.result)).toMatch(/without this spreadsheet's own settings .* nothing was sent\. Send this week's report with Weekly report now/);
    // No report email went out: the only emails are the scheduler's notices (the attempt and its retry).
    expect(s.emu.mail.outbox.length).toBeGreaterThan(0);
    for (const m of s.emu.mail.outbox) {
      expect(m.to).toBe(s.ao);
      expect(m.body).toMatch(/nothing was sent/);
    }
    expect(s.emu.lock.holds().filter((h) => h.key === 'script' && h.kind === 'trigger')).toEqual([]);
  }, 120_000);
});

describe('two schools', () => {
  let a: School;
  let longestScriptHold = 0;

  beforeAll(async () => {
    a = school(7);
    a.emu.setTriggerHasDocument(true);
    await schedule(a);
    const runs = toMonday(a);
    expect(runs.filter((r) => r.error)).toEqual([]);
    longestScriptHold = Math.max(0, ...a.emu.lock.holds().filter((h) => h.key === 'script').map((h) => h.ms));
  }, 120_000);

  test('the weekly report holds the shared script lock only for the check-and-set of its lease', () => {
    expect(a.emu.mail.outbox.length).toBe(a.recipients);
    const scriptHolds = a.emu.lock.holds().filter((h) => h.key === 'script' && h.kind === 'trigger');
    expect(scriptHolds.length).toBe(2); // take and give back the lease, once for the due hour
    expect(longestScriptHold).toBeLessThan(1000);
    expect(leaseRecord(a.emu)).toEqual({ holders: [] }); // given back
  });

  test("another school's trigger is not held up: it waits at most one check-and-set of ours", async () => {
    const b = school(11);
    b.emu.setTriggerHasDocument(true);
    await schedule(b);
    // School A's longest hold of the script lock is all school B can meet (both run the same code).
    b.emu.lock.holdScriptLockElsewhere(longestScriptHold);
    const runs = toMonday(b);
    expect(runs.filter((r) => r.error)).toEqual([]);
    expect(b.emu.mail.outbox.length).toBe(b.recipients);
  }, 120_000);
});

describe('two executions on the same spreadsheet', () => {
  test('a weekly run does not start while another execution holds the lease; it runs at its retry', async () => {
    const s = school(5);
    s.emu.setTriggerHasDocument(true);
    await schedule(s);
    s.emu.fireDueTriggers(new Date('2024-10-07T05:58:00Z')); // hourly runs up to just before 07:00 London (06:00Z)
    otherHolds(s.emu, 'import', 'officer@school.example', LEASE_MS);
    const runs = s.emu.fireDueTriggers(new Date('2024-10-07T06:10:00Z'));
    // No report went out, and nobody is asked to act: the run did not start, wrote nothing, and the
    // next hourly run tries again (a refusal is not a failed attempt).
    expect(s.emu.mail.outbox).toEqual([]);
    expect(String(runs[runs.length - 1]!.result)).toMatch(/^Weekly report 2024-W40 not started: SOL Tracker is already importing the register for this spreadsheet \(started by officer@school\.example .*\), so building the weekly report did not start and nothing was changed\. The next hourly run tries again\.$/);
    // An hour later the import's lease has expired (6 minutes at most): the next run sends the week once.
    s.emu.fireDueTriggers(new Date('2024-10-07T07:30:00Z'));
    expect(s.emu.mail.outbox).toHaveLength(s.recipients);
  }, 120_000);

  test('a sidebar import is refused while the weekly report holds the lease, and nothing is written', async () => {
    const s = school(5);
    otherHolds(s.emu, 'weekly', '', 5 * 60 * 1000);
    const register = s.emu.direct(() => s.emu.spreadsheet.getSheetByName('Register')!.getDataRange().getValues().length);
    await expect(s.emu.rpc('recalculate', [], s.ao)).rejects.toThrow(/already building the weekly report for this spreadsheet, so recalculating the tracker did not start and nothing was changed\. Try again when it has finished — at the latest in 5 minutes/);
    expect(s.emu.direct(() => s.emu.spreadsheet.getSheetByName('Register')!.getDataRange().getValues().length)).toBe(register);
  }, 120_000);

  test("a run Google stops at its time limit leaves its lease, which ends with that run's 6 minutes", async () => {
    const s = school(5);
    s.emu.setTriggerHasDocument(true);
    // The recalculation is stopped by the 6-minute limit in the middle of its work.
    s.emu.faults.inject('SpreadsheetApp.Range.setBackgrounds', { nth: 1, error: 'timeout' });
    await expect(s.emu.rpc('recalculate', [], s.ao)).rejects.toThrow(/Exceeded maximum execution time/);
    s.emu.faults.clear();
    const left = leaseRecord(s.emu)!.holders;
    expect(left).toHaveLength(1); // not given back: the run was stopped
    expect(left[0]!.untilMs).toBeLessThanOrEqual(s.emu.clock.now().getTime());
    await expect(s.emu.rpc('recalculate', [], s.ao)).resolves.toMatchObject({ students: 150 });
    }, 120_000);
});
