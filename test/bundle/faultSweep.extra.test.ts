/**
 * The standing fault sweep (issue 12 §2), part 4: the smaller mutating entries — scheduling the
 * weekly report (a trigger), creating the starter letter templates (Google Docs) and sending
 * oneself a test letter. The harness (positions × fault kinds, retry, checks, counts) is
 * test/helpers/faultSweep.ts.
 */
import type { LetterPlan } from '../../src/rpcTypes';
import { count, scenario, sweep, told, type Entry, type Scenario } from '../helpers/faultSweep';

type S = Scenario & { key?: string };

const SCHEDULE: Entry = {
  name: 'schedule the weekly report',
  prepare: () => scenario(),
  act: (s) => told(s.emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], s.who('AO'))),
  retry: async (s, t) => {
    if (!t.ok) await told(s.emu.rpc('scheduleWeekly', [{ day: 'MONDAY', hour: 7 }], s.who('AO')));
  },
  observe: (s) => s.emu.triggers.list().map((t) => `${t.handler ?? ''}`).sort(),
  // Exactly one weekly trigger: never none after a success, never two.
  records: (s) => count(s.emu.triggers.list().map((t) => [String(t.handler ?? 'trigger')]), (r) => r[0]!),
};

const TEMPLATES: Entry = {
  name: 'create the starter letter templates',
  prepare: () => scenario(),
  act: (s) => told(s.emu.rpc('createLetterTemplates', [], s.who('AL'))),
  retry: async (s, t) => {
    if (!t.ok) await told(s.emu.rpc('createLetterTemplates', [], s.who('AL')));
  },
  observe: (s) => ({
    templates: ((s.emu.direct(() => s.emu.spreadsheet.getSheetByName('Settings')!.getDataRange().getValues()) as unknown[][])
      .filter((r) => /^letter\d$/.test(String(r[0])) && /^[a-z]{2}$/.test(String(r[1]))).map((r) => `${r[0]}|${r[1]}`)).sort(),
  }),
  // Each template listed once in Settings, each pointing at a document with its wording.
  records: (s) => {
    const rows = (s.emu.direct(() => s.emu.spreadsheet.getSheetByName('Settings')!.getDataRange().getValues()) as unknown[][]).map((r) => r.map(String));
    const listed = rows.filter((r) => /^letter\d$/.test(r[0]!) && /^[a-z]{2}$/.test(r[1]!));
    const docs = new Map(s.emu.docs.all().map((d) => [d.id, d]));
    return count(listed, (r) => `template ${r[0]}|${r[1]}${(docs.get(r[2]!)?.paragraphs.join('').length ?? 0) > 0 ? '' : ' (no wording)'}`);
  },
  // Without Drive access a document made just before the stop cannot be found again: at most one
  // per fault (the run notes each document's ID the moment it is made). Counted, not hidden.
  strays: (s) => {
    const rows = (s.emu.direct(() => s.emu.spreadsheet.getSheetByName('Settings')!.getDataRange().getValues()) as unknown[][]).map((r) => String(r[2]));
    return s.emu.docs.all().filter((d) => !d.trashed && !rows.includes(d.id)).length;
  },
  maxPositions: 8,
};

const TEST_LETTER: Entry = {
  name: 'send myself a test letter',
  prepare: () => scenario({ templates: true }),
  before: async (s) => {
    (s as S).key = ((await s.emu.rpc('getLetterPlan', [], s.who('AL'))) as LetterPlan).items[0]!.key;
  },
  act: (s) => told(s.emu.rpc('sendTestLetter', [{ key: (s as S).key }], s.who('AL'))),
  retry: async (s, t) => {
    if (!t.ok) await told(s.emu.rpc('sendTestLetter', [{ key: (s as S).key }], s.who('AL')));
  },
  observe: (s) => ({ mail: s.emu.mail.outbox.map((m) => `${m.to}|${m.subject}`), ledger: s.emu.direct(() => s.emu.spreadsheet.getSheetByName('Letters Ledger')?.getLastRow() ?? 0) }),
  // The family gets nothing; the AL gets one test.
  records: (s) => count(s.emu.mail.outbox.map((m) => [m.to]), (r) => `mail ${r[0]}`),
  maxPositions: 6,
};

sweep('extra', [SCHEDULE, TEMPLATES, TEST_LETTER]);
