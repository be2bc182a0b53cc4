import fc from 'fast-check';
import {
  LEDGER_HEADER,
  MAX_ATTEMPTS,
  fromLedgerRows,
  mergePlan,
  markFailed,
  markSending,
  markSent,
  nextBatch,
  recoverAbandoned,
  CLAIM_LIFETIME_MS,
  releaseClaim,
  resolveUnknown,
  skipEntry,
  toLedgerRows,
  type LedgerEntry,
  type PlanItemForLedger,
} from '../../src/core/letters/ledger';

const T0 = '2026-11-23T09:00:00.000Z';
const T1 = '2026-11-23T09:05:00.000Z';

const item = (studentId: string, recipient: string, extra: Partial<PlanItemForLedger> = {}): PlanItemForLedger => ({
  key: `${studentId}|letter1|2026-T1|${recipient === 'post' ? 'post:p' : recipient}`,
  studentId,
  letterId: 'letter1',
  windowKey: '2026-T1',
  recipient,
  recipientName: 'P',
  language: 'en',
  step: 4,
  ...extra,
});

const plan3 = () => mergePlan([], [item('S1', 'a@x.org'), item('S2', 'b@x.org'), item('S3', 'post')], T0, 'plan-1').entries;

describe('letters ledger: mergePlan', () => {
  it('adds planned entries once; re-planning never duplicates nor resets', () => {
    let entries = plan3();
    expect(entries.map((e) => e.status)).toEqual(['planned', 'planned', 'planned']);
    entries = markSending(entries, entries[0].key, 'run-1', T1);
    entries = markSent(entries, entries[0].key, T1, 'https://docs.google.com/d/1');
    const again = mergePlan(entries, [item('S1', 'a@x.org'), item('S2', 'b@x.org'), item('S3', 'post'), item('S4', 'd@x.org')], T1);
    expect(again.entries).toHaveLength(4);
    expect(again.added.map((e) => e.studentId)).toEqual(['S4']);
    expect(again.alreadyInLedger).toHaveLength(3);
    expect(again.entries[0]).toMatchObject({ status: 'sent', attempts: 1, documentUrl: 'https://docs.google.com/d/1' });
    expect(new Set(again.entries.map((e) => e.key)).size).toBe(4);
  });

  it('an excluded item is recorded as skipped with the reason; exclusion never un-sends', () => {
    let entries = plan3();
    entries = markSending(entries, entries[1].key, 'r', T1);
    entries = markSent(entries, entries[1].key, T1);
    const r = mergePlan(entries, [item('S1', 'a@x.org', { excluded: 'in hospital' }), item('S2', 'b@x.org', { excluded: 'late' }), item('S5', 'e@x.org', { excluded: 'bereavement' })], T1);
    expect(r.entries[0]).toMatchObject({ status: 'skipped', reason: 'Excluded: in hospital' });
    expect(r.entries[1].status).toBe('sent');
    expect(r.entries[3]).toMatchObject({ studentId: 'S5', status: 'skipped', reason: 'Excluded: bereavement' });
  });
});

describe('letters ledger: transitions', () => {
  it('planned → sending → sent, counting attempts; functions do not mutate', () => {
    const entries = plan3();
    const frozen = JSON.stringify(entries);
    const a = markSending(entries, entries[0].key, 'run-1', T1);
    expect(a[0]).toMatchObject({ status: 'sending', attempts: 1, runId: 'run-1', updatedAt: T1 });
    const b = markSent(a, entries[0].key, T1);
    expect(b[0].status).toBe('sent');
    expect(JSON.stringify(entries)).toBe(frozen);
  });

  it('a claim whose sending never started is given back as it was (planned, or failed with its attempts and error)', () => {
    const entries = plan3();
    const k = entries[0].key;
    const claimed = markSending(entries, k, 'run-1', T1);
    expect(releaseClaim(claimed, k, entries[0], T1)[0]).toMatchObject({ status: 'planned', attempts: 0, runId: entries[0].runId, updatedAt: T1 });
    const failed = markFailed(claimed, k, 'Service error: Gmail', T1);
    const again = markSending(failed, k, 'run-2', T1);
    expect(releaseClaim(again, k, failed[0], T1)[0]).toMatchObject({ status: 'failed', attempts: 1, error: 'Service error: Gmail', runId: 'run-1' });
    // only a claim can be given back: a letter that went stays sent
    expect(() => releaseClaim(markSent(claimed, k, T1), k, entries[0], T1)).toThrow('from sent to planned');
  });

  it('rejects invalid transitions with an Error naming the key and states', () => {
    let entries = plan3();
    const k = entries[0].key;
    expect(() => markSent(entries, k, T1)).toThrow(`cannot move "${k}" from planned to sent`);
    expect(() => markFailed(entries, k, 'x', T1)).toThrow('from planned to failed');
    entries = markSent(markSending(entries, k, 'r', T1), k, T1);
    expect(() => markSending(entries, k, 'r2', T1)).toThrow('from sent to sending');
    expect(() => resolveUnknown(entries, k, 'resend', 'al@school', T1)).toThrow('from sent to planned');
    expect(() => markSending(entries, 'nope', 'r', T1)).toThrow('no entry with key "nope"');
    expect(() => skipEntry(entries, entries[1].key, '  ', 'al', T1)).toThrow('needs a reason');
  });

  it('failed letters are retried until 3 attempts, then never picked again', () => {
    let entries = mergePlan([], [item('S1', 'a@x.org')], T0).entries;
    const k = entries[0].key;
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      expect(nextBatch(entries, { quotaRemaining: 10, maxLetters: 10 }).map((e) => e.key)).toEqual([k]);
      entries = markFailed(markSending(entries, k, `run-${i}`, T1), k, 'Invalid email: a@x.org', T1);
      expect(entries[0]).toMatchObject({ status: 'failed', attempts: i, error: 'Invalid email: a@x.org' });
    }
    expect(MAX_ATTEMPTS).toBe(3);
    expect(nextBatch(entries, { quotaRemaining: 10, maxLetters: 10 })).toEqual([]);
    expect(() => markSending(entries, k, 'run-4', T1)).toThrow('already failed 3 times');
  });

  it('an abandoned "sending" becomes "unknown" once its execution cannot be running, and is never re-sent automatically', () => {
    let entries = plan3();
    entries = markSending(entries, entries[0].key, 'run-1', T1); // the execution died here
    const stillRunning = new Date(Date.parse(T1) + CLAIM_LIFETIME_MS - 1000).toISOString();
    expect(recoverAbandoned(entries, 'run 2', stillRunning).recovered).toEqual([]); // maybe still sending: left alone
    const later = new Date(Date.parse(T1) + CLAIM_LIFETIME_MS).toISOString();
    const { entries: after, recovered } = recoverAbandoned(entries, 'run 2', later);
    expect(recovered.map((e) => e.key)).toEqual([entries[0].key]);
    expect(after[0].status).toBe('unknown');
    expect(after[0].error).toContain('run-1');
    expect(nextBatch(after, { quotaRemaining: 100, maxLetters: 100 }).map((e) => e.key)).not.toContain(entries[0].key);
    // A person decides.
    const resent = resolveUnknown(after, entries[0].key, 'resend', 'al@school.org', T1);
    expect(resent[0]).toMatchObject({ status: 'planned', reason: 'Resend chosen by al@school.org' });
    expect(nextBatch(resent, { quotaRemaining: 100, maxLetters: 100 }).map((e) => e.key)).toContain(entries[0].key);
    const marked = resolveUnknown(after, entries[0].key, 'markSent', 'al@school.org', T1);
    expect(marked[0]).toMatchObject({ status: 'sent', reason: 'Marked sent by al@school.org' });
    expect(recoverAbandoned(plan3(), 'r', later).recovered).toEqual([]);
  });
});

describe('letters ledger: nextBatch', () => {
  const many = () =>
    mergePlan(
      [],
      [item('S1', 'a@x.org'), item('S2', 'post'), item('S3', 'c@x.org'), item('S4', 'd@x.org'), item('S5', 'post'), item('S6', 'f@x.org')],
      T0,
    ).entries;

  it('the remaining mail quota limits email letters; posted letters cost nothing', () => {
    const batch = nextBatch(many(), { quotaRemaining: 2, maxLetters: 50 });
    expect(batch.map((e) => e.studentId)).toEqual(['S1', 'S2', 'S3', 'S5']);
    expect(batch.filter((e) => e.recipient !== 'post')).toHaveLength(2);
    expect(nextBatch(many(), { quotaRemaining: 0, maxLetters: 50 }).map((e) => e.studentId)).toEqual(['S2', 'S5']);
  });

  it('the batch size limits the batch; order is stable', () => {
    expect(nextBatch(many(), { quotaRemaining: 100, maxLetters: 3 }).map((e) => e.studentId)).toEqual(['S1', 'S2', 'S3']);
    expect(nextBatch(many(), { quotaRemaining: 100, maxLetters: 3 })).toEqual(nextBatch(many(), { quotaRemaining: 100, maxLetters: 3 }));
  });

  it('skips sent, sending, unknown and skipped entries', () => {
    let e = many();
    e = markSent(markSending(e, e[0].key, 'r', T1), e[0].key, T1);
    e = markSending(e, e[2].key, 'r', T1);
    e = skipEntry(e, e[3].key, 'illness, evidence seen', 'al', T1);
    expect(nextBatch(e, { quotaRemaining: 100, maxLetters: 100 }).map((x) => x.studentId)).toEqual(['S2', 'S5', 'S6']);
  });
});

describe('letters ledger: sheet rows', () => {
  const sample = (): LedgerEntry[] => {
    let e = mergePlan([], [item('00123', 'a@x.org'), item('S2', 'post'), item('S3', 'c@x.org')], T0, 'plan-1').entries;
    e = markFailed(markSending(e, e[0].key, 'run-1', T1), e[0].key, "=HYPERLINK(\"x\") 'quoted'", T1);
    e = skipEntry(e, e[2].key, "'illness' – GP letter", 'al@school.org', T1);
    return e;
  };

  it('round-trips: fromLedgerRows(toLedgerRows(x))', () => {
    const x = sample();
    const rows = toLedgerRows(x);
    expect(rows[0]).toEqual([...LEDGER_HEADER]);
    const back = fromLedgerRows(rows);
    expect(back).toEqual(x.map((e) => ({ ...e, reason: e.reason?.replace(/^'/, '\u2019') })));
  });

  it('round-trips through a sheet that stores USER_ENTERED text (the apostrophe is not stored)', () => {
    const x = sample();
    const stored = toLedgerRows(x).map((r) => r.map((c) => (typeof c === 'string' && c.startsWith("'") ? c.slice(1) : c)));
    const back = fromLedgerRows(stored);
    expect(back[0].studentId).toBe('00123');
    expect(back[0].error).toBe("=HYPERLINK(\"x\") 'quoted'");
    expect(back.map((e) => e.key)).toEqual(x.map((e) => e.key));
    // Every text cell of a formula-looking or number-looking value was written as text.
    expect(toLedgerRows(x)[1][1]).toBe("'00123");
  });

  it('property: any entry round-trips', () => {
    const text = fc.string({ minLength: 1 }).filter((s) => s.trim() === s && !s.startsWith("'"));
    const entry = fc.record({
      key: text,
      studentId: text,
      letterId: text,
      windowKey: text,
      recipient: text,
      status: fc.constantFrom('planned', 'sending', 'sent', 'failed', 'unknown', 'skipped' as const),
      attempts: fc.nat(5),
      updatedAt: text,
      runId: text,
      documentUrl: fc.option(text, { nil: undefined }),
      error: fc.option(text, { nil: undefined }),
      step: fc.option(fc.nat(10), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.key, maxLength: 5 }), (entries) => {
        const clean = entries.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined))) as unknown as LedgerEntry[];
        expect(fromLedgerRows(toLedgerRows(clean))).toEqual(clean);
      }),
    );
  });

  it('parse errors name the sheet row and column', () => {
    const rows = toLedgerRows(sample());
    const bad = rows.map((r) => r.slice());
    bad[2][8] = 'posted';
    expect(() => fromLedgerRows(bad)).toThrow('Letters ledger row 3: Status "posted" is not one of');
    const bad2 = rows.map((r) => r.slice());
    bad2[3][9] = 'two';
    expect(() => fromLedgerRows(bad2)).toThrow('Letters ledger row 4: Attempts "two" is not a whole number');
    const dup = [...rows, rows[1]];
    expect(() => fromLedgerRows(dup)).toThrow(/row 5: key ".*" already appears in row 2/);
    expect(() => fromLedgerRows([['Key', 'Status']])).toThrow('row 1 has no "Student ID" column');
    expect(fromLedgerRows([])).toEqual([]);
    expect(fromLedgerRows([rows[0], ['', '', ''], rows[1]])).toHaveLength(1);
  });

  it('accepts Date cells and numeric attempts from getValues', () => {
    const rows = toLedgerRows(sample());
    rows[1][10] = new Date(T1) as unknown as string;
    expect(fromLedgerRows(rows)[0].updatedAt).toBe(T1);
  });
});
