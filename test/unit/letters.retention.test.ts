/** The retention decision (core/letters/retention.ts): what goes, what stays and why. */
import { decideRetention, documentIdOf, retentionCutoff, stillNeeded, type FiledCopy } from '../../src/core/letters/retention';
import type { LedgerEntry } from '../../src/core/letters';

const ME = 'al@school.example';
const entry = (key: string, status: LedgerEntry['status'], documentUrl?: string): LedgerEntry => ({
  key, studentId: key, letterId: 'letter1', windowKey: 'Autumn 2025', recipient: 'p@x.example', status, attempts: 1, updatedAt: '2025-11-01T10:00:00Z', runId: 'r', documentUrl,
});
const ref = (key: string) => `REF-${key}`;
const copy = (id: string, createdTime: string, extra: Partial<FiledCopy> = {}): FiledCopy => ({ id, createdTime, owner: ME, ...extra });

describe('retentionCutoff', () => {
  test('calendar months back; the 31st falls back to the shorter month\'s last day', () => {
    expect(retentionCutoff(new Date('2027-03-31T12:00:00Z'), 1).toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect(retentionCutoff(new Date('2027-01-15T08:30:00Z'), 12).toISOString()).toBe('2026-01-15T08:30:00.000Z');
    expect(retentionCutoff(new Date('2027-01-15T08:30:00Z'), 14).toISOString()).toBe('2025-11-15T08:30:00.000Z');
  });
});

describe('decideRetention', () => {
  const cutoff = new Date('2026-11-01T00:00:00Z');
  const entries = [
    entry('sent', 'sent', 'https://docs.google.com/document/d/doc-sent/edit'),
    entry('unknown', 'unknown'), // its copy's link was never written: found by the reference on the copy
    entry('print', 'toPrint', 'https://docs.google.com/document/d/pack-1/edit'),
    entry('failed', 'failed'),
    entry('skipped', 'skipped'),
  ];
  const needed = stillNeeded(entries, ref);

  test('only unsettled letters are needed: their references and the documents their rows link to', () => {
    expect([...needed.refs].sort()).toEqual(['REF-failed', 'REF-print', 'REF-unknown']);
    expect([...needed.ids]).toEqual(['pack-1']);
  });

  test('old copies go, oldest first; new ones, needed ones and other owners\' stay', () => {
    const d = decideRetention([
      copy('doc-sent', '2025-10-01T00:00:00Z', { letterRef: 'REF-sent' }),
      copy('doc-unknown', '2025-09-01T00:00:00Z', { letterRef: 'REF-unknown' }),
      copy('pack-1', '2025-09-02T00:00:00Z'),
      copy('posted-copy', '2025-08-01T00:00:00Z', { letterRef: 'REF-print' }),
      copy('new', '2026-11-02T00:00:00Z', { letterRef: 'REF-sent' }),
      copy('theirs', '2025-01-01T00:00:00Z', { owner: 'admin@school.example' }),
      copy('no-date', ''),
    ], needed, cutoff, 'AL@School.example');
    expect(d.remove).toEqual(['doc-sent']);
    expect(d).toMatchObject({ keptNeeded: 3, keptOtherOwner: 1, deferred: 0 });
  });

  test('at most `max` per run: the rest are left for the next', () => {
    const files = Array.from({ length: 5 }, (_, i) => copy(`d${i}`, `2025-0${i + 1}-01T00:00:00Z`));
    const d = decideRetention(files, { refs: new Set(), ids: new Set() }, cutoff, ME, 3);
    expect(d.remove).toEqual(['d0', 'd1', 'd2']);
    expect(d.deferred).toBe(2);
  });

  test('documentIdOf reads Docs and Drive links', () => {
    expect(documentIdOf('https://docs.google.com/document/d/abc_D-1/edit')).toBe('abc_D-1');
    expect(documentIdOf('')).toBeNull();
    expect(documentIdOf(undefined)).toBeNull();
  });
});
