/**
 * The ledger records who sent each letter, and a letter of unknown outcome names the mailbox to
 * check (issue 13): MailApp sends from the account that ran the send, and whether such mail shows in
 * that account's Sent folder is what the installation self-check verifies.
 */
import { fromLedgerRows, recoverAbandoned, markSending, toLedgerRows, type LedgerEntry } from '../../src/core/letters/ledger';

const planned: LedgerEntry = { key: 'S1|letter1|2026-T1|mum@home.example', studentId: 'S1', letterId: 'letter1', windowKey: '2026-T1', recipient: 'mum@home.example', status: 'planned', attempts: 0, updatedAt: '2026-11-23T09:00:00', runId: '' };

test('markSending records the sender; it survives the sheet round trip in a "Sent by" column', () => {
  const sending = markSending([planned], planned.key, 'run-1', '2026-11-23T09:01:00', 'al@school.example');
  expect(sending[0]).toMatchObject({ status: 'sending', sender: 'al@school.example' });
  const rows = toLedgerRows(sending);
  expect(rows[0]).toContain('Sent by');
  expect(fromLedgerRows(rows)[0]!.sender).toBe('al@school.example');
  // A ledger written before the column existed still reads.
  const old = toLedgerRows([planned]).map((r) => r.slice(0, -1));
  expect(fromLedgerRows(old)[0]!.sender).toBeUndefined();
});

test('a send found stopped part-way names the mailbox to check', () => {
  const sending = markSending([planned], planned.key, 'run-1', '2026-11-23T09:01:00', 'al@school.example');
  const { recovered } = recoverAbandoned(sending, 'run 2', '2026-11-23T10:00:00Z');
  expect(recovered[0]!.status).toBe('unknown');
  expect(recovered[0]!.error).toMatch(/Sent folder of al@school\.example's mailbox/);
});
