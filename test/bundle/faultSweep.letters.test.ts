/**
 * The standing fault sweep (issue 12 §2), part 2: letters — send (a run to the end), "it was sent" and
 * "it was not sent" on a letter whose send was interrupted, include a left-out letter again, and a
 * print pack marked printed. The harness (positions × fault kinds, retry, checks, counts) is
 * test/helpers/faultSweep.ts. The person's retry for a send is what the Letters panel asks: open the
 * plan, decide each letter of unknown outcome by looking for its reference in the Sent folder, and
 * press Send again until the run is done.
 */
import { CLAIM_LIFETIME_MS } from '../../src/core/letters';
import { letterReference } from '../../src/gas/letters/reference';
import type { LetterPlan, SendLettersResponse } from '../../src/rpcTypes';
import { count, KINDS, scenario, sweep, tab, told, type Entry, type Scenario, type Told } from '../helpers/faultSweep';
import { setTrackerCell } from '../helpers/lettersSchool';

const QUOTA = 'Service invoked too many times for one day: email.';
type S = Scenario & { key?: string; url?: string; pupil?: string };

const openPlan = async (s: Scenario): Promise<LetterPlan> => (await s.emu.rpc('getLetterPlan', [], s.who('AL'))) as LetterPlan;
/**
 * The plan as the Attendance Lead acts on it: a letter shown "Being sent right now … if it has not
 * gone by 14:08:30, it will ask you to decide" (an execution stopped by its time limit) is waited
 * for, as the card says, then the plan is opened again.
 */
async function plan(s: Scenario): Promise<LetterPlan> {
  const p = await openPlan(s);
  const sending = p.items.filter((i) => i.status === 'sending');
  if (sending.length === 0) return p;
  for (const i of sending) expect(i.why).toMatch(/^Being sent right now \(started .*\)\. If it has not gone by \d\d:\d\d, it will ask you to decide/);
  s.emu.clock.advance(CLAIM_LIFETIME_MS);
  return openPlan(s);
}
const refOf = (body: string) => /Ref (L-[0-9A-F]{8})/.exec(body)?.[1] ?? '?';

/** Presses Send until the run is done or stops; the last response (or the failure) as told. */
async function sendToTheEnd(s: Scenario): Promise<Told> {
  let runId: string | null = null;
  for (let i = 0; i < 20; i++) {
    const t = await told(s.emu.rpc('sendLetters', [{ runId }], s.who('AL')));
    if (!t.ok) return t;
    const r = t.value as SendLettersResponse;
    runId = r.runId;
    if (r.stoppedBecause !== null) return { ok: false, message: r.message, value: r };
    if (r.done) return t;
  }
  return { ok: false, message: 'the run did not finish' };
}

/** What the Attendance Lead does after a stop: decide the unknown letters from the Sent folder, send the rest. */
async function finishLetters(s: Scenario): Promise<void> {
  for (let round = 0; round < 5; round++) {
    let p: LetterPlan;
    try {
      p = await plan(s);
    } catch {
      continue;
    }
    for (const u of p.unknown) {
      const inSent = s.emu.mail.outbox.some((m) => m.to === u.recipient && refOf(m.body) === letterReference(u.key));
      await told(s.emu.rpc('resolveUnknown', [{ key: u.key, decision: inSent ? 'markSent' : 'resend' }], s.who('AL')));
    }
    if (p.items.length === 0 && p.unknown.length === 0) return;
    const t = await sendToTheEnd(s);
    if (t.ok && (await plan(s)).unknown.length === 0) return;
  }
}

/** Ledger columns that are the letter's identity and state (not its timestamps, run or attempts). */
const ledgerRows = (s: Scenario) => tab(s.emu, 'Letters Ledger').map((r) => r.slice(0, 9));
/** Log rows as (pupil, outcome, letter key): the wording of how it was confirmed may differ. */
const logRows = (s: Scenario) => tab(s.emu, 'Interventions Log').slice(1).map((r) => `${r[2]}|${r[6]}|${r[10]}`).sort();
const mail = (s: Scenario) => s.emu.mail.outbox.map((m) => `${m.to}|${refOf(m.body)}|${m.subject}`).sort();

function letterRecords(s: Scenario): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, n] of count(s.emu.mail.outbox.map((m) => [m.to, refOf(m.body)]), (r) => `mail ${r[0]}|${r[1]}`)) out.set(k, n);
  for (const [k, n] of count(tab(s.emu, 'Interventions Log').slice(1), (r) => (/^Letter/.test(r[6]) ? `log ${r[2]}|${r[6]}|${r[10]}` : null))) out.set(k, n);
  for (const [k, n] of count(tab(s.emu, 'Letters Ledger').slice(1), (r) => `ledger ${r[0]}|${r[8]}`)) out.set(k, n);
  return out;
}

/** Leaves one letter of unknown outcome: the send stopped by the time limit at `method` #nth. */
async function interrupted(s: Scenario, method: string, nth: number): Promise<string> {
  s.emu.faults.inject(method, { nth, error: 'timeout' });
  await sendToTheEnd(s);
  s.emu.faults.clear();
  const p = await plan(s);
  if (p.unknown.length !== 1) throw new Error(`expected one letter of unknown outcome, got ${p.unknown.length}`);
  return p.unknown[0]!.key;
}

/** The setValues position right after the first email went (found once): its letter is unknown but in Sent. */
let afterFirstEmail: number | null = null;
async function interruptedAfterItWent(s: Scenario): Promise<string> {
  if (afterFirstEmail === null) {
    for (let nth = 1; nth < 12 && afterFirstEmail === null; nth++) {
      const probe = scenario({ templates: true });
      try {
        const key = await interrupted(probe, 'SpreadsheetApp.Range.setValues', nth);
        if (probe.emu.mail.outbox.some((m) => refOf(m.body) === letterReference(key))) afterFirstEmail = nth;
      } catch {
        /* not this position */
      }
    }
    if (afterFirstEmail === null) throw new Error('no position leaves a sent letter of unknown outcome');
  }
  return interrupted(s, 'SpreadsheetApp.Range.setValues', afterFirstEmail);
}

const ENTRIES: Entry[] = [
  {
    name: 'send letters (a run to the end)',
    prepare: () => scenario({ templates: true }),
    act: (s) => sendToTheEnd(s),
    retry: async (s, t) => {
      if (!t.ok) await finishLetters(s);
    },
    observe: (s) => ({ ledger: ledgerRows(s), log: logRows(s), mail: mail(s) }),
    records: letterRecords,
    maxPositions: 8,
    kinds: [...KINDS, QUOTA],
  },
  {
    name: '"it was sent" on a letter of unknown outcome',
    prepare: () => scenario({ templates: true }),
    before: async (s) => {
      (s as S).key = await interruptedAfterItWent(s);
    },
    act: (s) => told(s.emu.rpc('resolveUnknown', [{ key: (s as S).key, decision: 'markSent' }], s.who('AL'))),
    retry: async (s, t) => {
      if (!t.ok) await told(s.emu.rpc('resolveUnknown', [{ key: (s as S).key, decision: 'markSent' }], s.who('AL')));
    },
    observe: (s) => ({ ledger: ledgerRows(s), log: logRows(s), mail: mail(s) }),
    records: letterRecords,
    maxPositions: 5,
  },
  {
    name: '"it was not sent" on a letter of unknown outcome (then Send)',
    prepare: () => scenario({ templates: true }),
    before: async (s) => {
      (s as S).key = await interrupted(s, 'MailApp.sendEmail', 2);
    },
    act: async (s) => {
      const t = await told(s.emu.rpc('resolveUnknown', [{ key: (s as S).key, decision: 'resend' }], s.who('AL')));
      return t.ok ? sendToTheEnd(s) : t;
    },
    retry: async (s, t) => {
      if (t.ok) return;
      // Pressed again: the same decision (harmless when it went through), then what is left is sent.
      const p = await plan(s);
      if (p.unknown.some((u) => u.key === (s as S).key)) await told(s.emu.rpc('resolveUnknown', [{ key: (s as S).key, decision: 'resend' }], s.who('AL')));
      await finishLetters(s);
    },
    observe: (s) => ({ ledger: ledgerRows(s), log: logRows(s), mail: mail(s) }),
    records: letterRecords,
    maxPositions: 5,
  },
  {
    name: 'include a left-out letter again',
    prepare: () => scenario({ templates: true }),
    before: async (s) => {
      const pupil = (await plan(s)).items[0]!.studentId;
      (s as S).pupil = pupil;
      await s.emu.rpc('setExclusion', [{ studentId: pupil, reason: 'hospital stay, medical evidence seen' }], s.who('AL'));
    },
    act: (s) => told(s.emu.rpc('setExclusion', [{ studentId: (s as S).pupil, reason: null }], s.who('AL'))),
    retry: async (s, t) => {
      if (!t.ok) await told(s.emu.rpc('setExclusion', [{ studentId: (s as S).pupil, reason: null }], s.who('AL')));
    },
    observe: (s) => ({ ledger: ledgerRows(s), log: tab(s.emu, 'Interventions Log', [0]) }),
    records: (s) => count(tab(s.emu, 'Interventions Log').slice(1), (r) => (/left out|included again/i.test(r[6] + r[12]) ? `${r[2]}|${r[6]}` : null)),
    maxPositions: 6,
  },
  {
    name: 'print pack marked printed',
    prepare: () => {
      const s = scenario({ templates: true });
      return s;
    },
    before: async (s) => {
      // Two families have no email: their letters go in a print pack.
      const items = (await plan(s)).items.slice(0, 2);
      for (const i of items) setTrackerCell(s.emu, i.studentId, 'Parent Email', '');
      const t = await sendToTheEnd(s);
      if (!t.ok) throw new Error(`the letters were not sent: ${t.message}`);
      const packs = (await plan(s)).printPacks ?? [];
      if (packs.length !== 1 || packs[0]!.toPrint !== 2) throw new Error(`expected one print pack of 2 letters, got ${JSON.stringify(packs)}`);
      (s as S).url = packs[0]!.url;
    },
    act: (s) => told(s.emu.rpc('markPackPrinted', [{ url: (s as S).url }], s.who('AL'))),
    retry: async (s, t) => {
      if (!t.ok) await told(s.emu.rpc('markPackPrinted', [{ url: (s as S).url }], s.who('AL')));
    },
    observe: (s) => ({ ledger: ledgerRows(s), log: logRows(s) }),
    records: letterRecords,
    maxPositions: 6,
  },
];

sweep('letters', ENTRIES);
