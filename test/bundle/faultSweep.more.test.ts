/**
 * The standing fault sweep (issue 12 §2), part 3: ROPC typed in the sheet (onEdit), the weekly
 * report (its hourly trigger, and "Weekly report now" from the sidebar) and the attendance policy
 * save. The harness (positions × fault kinds, retry, checks, counts) is test/helpers/faultSweep.ts.
 */
import type { PolicyEditorView, WeeklyStatus } from '../../src/rpcTypes';
import { count, tutorTypes, scenario, sweep, tab, told, type Entry, type Scenario, type Told } from '../helpers/faultSweep';
import { tabValues } from '../helpers/sampleSpreadsheet';

type S = Scenario & { row?: number; uid?: string; draft?: PolicyEditorView['draft']; version?: number; key?: string };

const ROPC_ENTRY: Entry = {
  name: 'ROPC typed in the sheet (onEdit)',
  prepare: () => scenario(),
  act: async (s) => tutorTypes(s, 'ROPC'),
  retry: async (s, t) => {
    if (!/NOT logged/.test(t.message)) return;
    const tutor = s.school.staff.find((m) => m.role === 'Tutor')!;
    const col = tabValues(s.emu, 'SOL Tracker')[0].indexOf('ROPC') + 1;
    s.emu.userEdit('SOL Tracker', `${String.fromCharCode(64 + col)}${(s as S).row}`, 'Yes', tutor.email);
  },
  observe: (s) => tab(s.emu, 'Interventions Log', [0]),
  records: (s) => count(tab(s.emu, 'Interventions Log').slice(1), (r) => `${r[2]}|${r[5]}|${r[6]}`),
  // As for RTC: a simple trigger stopped by its time limit can tell nobody; Recalculate reconciles it.
  kinds: ['Service error: Spreadsheets'],
};

/**
 * Issue 10 (J): a tutor types RTC on a pupil of another tutor group (their identity known to onEdit):
 * refused — nothing logged, the cell put back, told why. After a fault the person did what they were
 * told (typed again when told it was not checked, cleared the cell when told it could not be put back).
 */
const otherGroupRow = (s: Scenario) => {
  const tutor = s.school.staff.find((m) => m.role === 'Tutor')!;
  return { tutor, row: s.school.students.findIndex((st) => st.tutorGroup !== tutor.tutorGroup) + 2 };
};
const rtcCell = (s: Scenario, row: number) => `${String.fromCharCode(64 + tabValues(s.emu, 'SOL Tracker')[0].indexOf('RTC') + 1)}${row}`;
const RTC_REFUSED: Entry = {
  name: 'RTC typed on another tutor group\'s row (refused)',
  prepare: () => scenario({ sameDomain: true }),
  act: async (s) => {
    const { tutor, row } = otherGroupRow(s);
    const before = s.emu.ui.toasts.length;
    try {
      s.emu.userEdit('SOL Tracker', rtcCell(s, row), 'Yes', tutor.email);
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const message = s.emu.ui.toasts.slice(before).map((t) => t.msg).join(' ');
    return { ok: /the cell was put back as it was/.test(message), message };
  },
  retry: async (s, t) => {
    const { tutor, row } = otherGroupRow(s);
    if (/NOT logged/.test(t.message)) s.emu.userEdit('SOL Tracker', rtcCell(s, row), 'Yes', tutor.email);
    else if (/clear it yourself/.test(t.message)) s.emu.userEdit('SOL Tracker', rtcCell(s, row), '', tutor.email);
  },
  observe: (s) => ({ log: tab(s.emu, 'Interventions Log', [0]), cell: tab(s.emu, 'SOL Tracker')[otherGroupRow(s).row - 1]![tabValues(s.emu, 'SOL Tracker')[0].indexOf('RTC')] }),
  records: (s) => count(tab(s.emu, 'Interventions Log').slice(1), (r) => `${r[2]}|${r[5]}|${r[6]}`),
  kinds: ['Service error: Spreadsheets'],
};

/**
 * Issue 10 (F): RTC pasted over three rows of the tutor's group (one event for the block): each entry
 * logged once and each row's Last contact / Contact due brought up to date. Told it was not all done,
 * the person has the tracker recalculated (as the message says); the log then holds each entry once.
 */
const pastedRows = (s: Scenario) => {
  const tutor = s.school.staff.find((m) => m.role === 'Tutor')!;
  return { tutor, first: s.school.students.findIndex((st) => st.tutorGroup === tutor.tutorGroup) + 2 };
};
const RTC_PASTED: Entry = {
  name: 'RTC pasted over three rows (onEdit)',
  prepare: () => scenario(),
  act: async (s) => {
    const { tutor, first } = pastedRows(s);
    const c = String.fromCharCode(64 + tabValues(s.emu, 'SOL Tracker')[0].indexOf('RTC') + 1);
    const before = s.emu.ui.toasts.length;
    try {
      s.emu.userEdit('SOL Tracker', `${c}${first}:${c}${first + 2}`, [['Yes'], ['Yes'], ['Yes']], tutor.email);
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const message = s.emu.ui.toasts.slice(before).map((t) => t.msg).join(' ');
    return { ok: message === '', message };
  },
  retry: async (s, t) => {
    if (!t.ok) await s.emu.rpc('recalculate', [], s.who('AL'));
  },
  observe: (s) => {
    const { first } = pastedRows(s);
    const header = tabValues(s.emu, 'SOL Tracker')[0];
    const rows = tab(s.emu, 'SOL Tracker').slice(first - 1, first + 2);
    return {
      log: tab(s.emu, 'Interventions Log').slice(1).map((r) => `${r[2]}|${r[5]}|${r[6]}|${r[12]}`).sort(),
      cells: rows.map((r) => ['RTC', 'Last contact', 'Contact due', 'Step'].map((h) => r[header.indexOf(h)])),
    };
  },
  records: (s) => count(tab(s.emu, 'Interventions Log').slice(1), (r) => `${r[2]}|${r[5]}|${r[6]}`),
  kinds: ['Service error: Spreadsheets'],
};

/**
 * The weekly report as observed: every report email (to, subject) and the tab below its status
 * line. A failed scheduled run also emails whoever scheduled it ("did not go out"): that is the
 * truth told, not a record.
 */
const reports = (s: Scenario) => s.emu.mail.outbox.filter((m) => /weekly attendance, /.test(m.subject));
const weeklyObserved = (s: Scenario) => ({
  mail: reports(s).map((m) => `${m.to}|${m.subject}`).sort(),
  tab: tab(s.emu, 'Weekly Report').slice(2),
});
const weeklyRecords = (s: Scenario) => count(reports(s).map((m) => [m.to, m.subject]), (r) => `${r[0]}|${r[1]}`);

/**
 * What the person does about an email the report says "may not have gone": look in the Sent folder
 * of the account that runs it, and tell the add-on (sent, or send it again); then run it again.
 */
async function settleWeekly(s: Scenario, who: string): Promise<void> {
  const status = (await s.emu.rpc('getWeeklyStatus', [], who)) as WeeklyStatus;
  for (const u of status.unconfirmed ?? []) {
    const inSent = s.emu.mail.outbox.some((m) => m.to === u.email && /weekly attendance/.test(m.subject)); // this week's: the scenario has one
    await told(s.emu.rpc('resolveWeeklyUnknown', [{ email: u.email, decision: inSent ? 'markSent' : 'resend' }], who));
  }
}

const weeklyNow = (s: Scenario): Promise<Told> => told(s.emu.rpc('runWeeklyNow', [], s.who('AO')));

const WEEKLY_TRIGGER: Entry = {
  name: 'weekly report (its hourly trigger)',
  prepare: () => scenario(),
  before: async (s) => {
    // Scheduled for tomorrow at 07:00; the trigger fires at 08:00 tomorrow.
    const today = new Date(`${s.school.schoolDays[s.school.schoolDays.length - 1]}T12:00:00Z`);
    const day = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'][(today.getUTCDay() + 1) % 7];
    await s.emu.rpc('scheduleWeekly', [{ day, hour: 7 }], s.who('AO'));
    (s as S).uid = s.emu.triggers.list()[0]!.id;
    s.emu.clock.advance(20 * 3_600_000);
  },
  act: async (s) => {
    try {
      const message = s.emu.run<string>('weeklyReportTrigger', [{ triggerUid: (s as S).uid, authMode: 'FULL' }], { kind: 'trigger', user: s.who('AO') });
      return { ok: !/stopped|failed|may not have gone/i.test(String(message)), message: String(message ?? '') };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  retry: async (s, t) => {
    if (t.ok) return;
    // The next hourly run tries again; a person settles any email it says may not have gone.
    s.emu.clock.advance(3_600_000);
    const again = () => s.emu.run<string>('weeklyReportTrigger', [{ triggerUid: (s as S).uid, authMode: 'FULL' }], { kind: 'trigger', user: s.who('AO') });
    const message = String(again() ?? '');
    if (/may not have gone|failed|stopped/i.test(message)) {
      // The sidebar shows the last run and any email that may not have gone: the AO settles those and runs it now.
      await settleWeekly(s, s.who('AO'));
      await weeklyNow(s);
    }
  },
  maxPositions: 8,
  observe: weeklyObserved,
  records: (s) => {
    const r = weeklyRecords(s);
    if (r.size === 0) throw new Error('the weekly trigger sent nothing: the scenario is wrong');
    return r;
  },
};

const WEEKLY_NOW: Entry = {
  name: 'weekly report ("Weekly report now")',
  prepare: () => scenario(),
  // Told as the trigger's run is judged: "stopped after 6 email(s) because … The rest will be sent
  // once (next hourly run, or Weekly report now)" is the truth told about a run not all done.
  act: async (s) => {
    const t = await weeklyNow(s);
    return { ...t, ok: t.ok && !/stopped|failed|may not have gone/i.test(t.message) };
  },
  retry: async (s, t) => {
    if (t.ok) return;
    const again = await weeklyNow(s);
    if (/may not have gone/.test(again.message)) {
      await settleWeekly(s, s.who('AO'));
      await weeklyNow(s);
    }
  },
  maxPositions: 8,
  observe: weeklyObserved,
  records: weeklyRecords,
};

const POLICY_SAVE: Entry = {
  name: 'save the attendance policy',
  prepare: () => scenario(),
  before: async (s) => {
    const editor = (await s.emu.rpc('getPolicyEditor', [], s.who('AL'))) as PolicyEditorView;
    const draft = JSON.parse(JSON.stringify(editor.draft)) as PolicyEditorView['draft'];
    draft.policy.steps[1]!.label = `${draft.policy.steps[1]!.label} (reviewed)`;
    Object.assign(s as S, { draft, version: editor.version, key: 'policy-form-1' });
  },
  act: (s) => told(s.emu.rpc('savePolicy', [{ draft: (s as S).draft, baseVersion: (s as S).version, requestKey: (s as S).key }], s.who('AL'))),
  retry: async (s, t) => {
    if (t.ok) return;
    // Pressed again (the same form).
    await told(s.emu.rpc('savePolicy', [{ draft: (s as S).draft, baseVersion: (s as S).version, requestKey: (s as S).key }], s.who('AL')));
  },
  observe: (s) => ({
    policy: tab(s.emu, 'Policy'),
    history: tab(s.emu, 'Policy History', [2]),
    tracker: tab(s.emu, 'SOL Tracker'),
  }),
  records: (s) => count(tab(s.emu, 'Policy History').slice(1), (r) => `version ${r[0]}`),
  maxPositions: 8,
};

sweep('more', [ROPC_ENTRY, RTC_REFUSED, RTC_PASTED, WEEKLY_TRIGGER, WEEKLY_NOW, POLICY_SAVE]);
