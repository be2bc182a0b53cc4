/** The per-spreadsheet lease (src/core/lease.ts): who may take it, expiry, shared letter sends, words. */
import { busyMessage, LEASE_MS, parseLease, releaseLease, takeLease, type LeaseHolder } from '../../src/core/lease';

const T = Date.UTC(2025, 6, 7, 9, 0, 0);
const holder = (token: string, job: LeaseHolder['job'], untilMs = T + LEASE_MS, by = 'ao@school.example'): LeaseHolder => ({ token, job, by, sinceMs: T, untilMs });

test('free, taken, refused, given back', () => {
  const a = takeLease(parseLease(null), holder('a', 'import'), T);
  expect(a.ok).toBe(true);
  const record = a.ok ? a.record : { holders: [] };
  const b = takeLease(record, holder('b', 'weekly'), T + 1000);
  expect(b).toMatchObject({ ok: false, holder: { token: 'a' } });
  expect(takeLease(releaseLease(record, 'a', T + 2000), holder('b', 'weekly'), T + 2000).ok).toBe(true);
});

test('an expired lease (a run Google stopped) is taken over; a lease claiming too long is not believed', () => {
  const stale = { holders: [holder('a', 'recalculate', T + 1000)] };
  expect(takeLease(stale, holder('b', 'import'), T + 1000).ok).toBe(true);
  const bogus = { holders: [holder('a', 'recalculate', T + 10 * LEASE_MS)] };
  expect(takeLease(bogus, holder('b', 'import'), T).ok).toBe(true);
});

test('letter-sending calls may send side by side; nothing else runs with them', () => {
  const one = { holders: [holder('a', 'letters')] };
  const two = takeLease(one, holder('b', 'letters'), T);
  expect(two.ok && two.record.holders.map((h) => h.token)).toEqual(['a', 'b']);
  expect(takeLease(one, holder('c', 'recalculate'), T).ok).toBe(false);
  expect(takeLease({ holders: [holder('r', 'recalculate')] }, holder('d', 'letters'), T).ok).toBe(false);
});

test('unreadable records count as free (only the add-on writes them)', () => {
  expect(parseLease('{not json')).toEqual({ holders: [] });
  expect(parseLease(JSON.stringify({ holders: [{ token: 1 }] }))).toEqual({ holders: [] });
});

test('the refusal is a sentence: what runs, who started it, nothing changed, until when', () => {
  expect(busyMessage(holder('a', 'import'), 'weekly', T + 90_000)).toBe(
    'SOL Tracker is already importing the register for this spreadsheet (started by ao@school.example 2 minutes ago), so building the weekly report did not start and nothing was changed. Try again when it has finished — at the latest in 5 minutes.',
  );
});
