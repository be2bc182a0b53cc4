/**
 * The letter plan the Attendance Lead reviews before sending: who gets which letter, in which
 * language, by email or post, and why — from the school model, the ledger and the exclusions.
 * Exclusions (with the AL's reason) are kept in the ledger as 'skipped' entries and recorded in
 * the Interventions Log; including a student again puts their letters back to 'planned'.
 */
import { letterKey } from '../../core/policy/evaluate';
import { outboundText, TEXT_LIMITS, tooLong } from '../../core/sanitise';
import {
  isSendable,
  CLAIM_LIFETIME_MS,
  lettersSent,
  markPackPrinted as markPackPrintedEntries,
  mergePlan,
  POST,
  recoverAbandoned,
  normaliseLanguage,
  planLetters,
  skipEntry,
  type LedgerEntry,
  type PlannedLetter,
} from '../../core/letters';
import type { SchoolModel } from '../../core/schoolModel';
import type { Settings } from '../../core/settings';
import type { LeftOutLetterView, LetterPlan, PlanItemView, PrintPackRequest, PrintPackView, ResolveUnknownRequest, SetExclusionRequest } from '../../rpcTypes';
import { resolveUnknown as resolveUnknownEntry } from '../../core/letters';
import { MODELLED_SECONDS_PER_LETTER } from '../../core/letters/estimate';
import { formatSchoolDate, formatSchoolTimestamp, languageName, ledgerStatusWords, letterName, stepName, type SchoolDateFormat } from '../../core/format';
import { can } from '../../core/roles';
import { loadSchool } from '../schoolData';
import { letterContext, underLock, type LetterContext } from './context';
import { readLedger, setEntries, writeEntries, type LedgerTab } from './ledgerStore';
import { appendLogRows, letterLogRow, missingLogRows, noteLogRow, notesRecord, writeTrackerLetterStatus } from './logWriter';
import { LETTER_INCLUDED_AGAIN, LETTER_LEFT_OUT } from '../../core/history';
import { holdBackReason, mergeValuesFor } from './mergeData';
import { letterReference } from './reference';
import { latestRun } from './send';
import { readTemplates, templateKey } from './templates';
import { staleRegisterNotice } from '../../core/register/staleness';
import { registerImportedAt } from '../registerImported';
import { timestampIso } from '../clock';

export const EXCLUDED_PREFIX = 'Excluded: ';

/** The plan from the model (core planLetters), with the ledger's exclusions applied. */
/**
 * A letter of the plan by its key, as the preview and the test letter need it: the ledger's entry,
 * else the current plan's item as a planned entry (null when neither has it). Reads the school once.
 */
export function plannedEntry(ctx: LetterContext, key: string): { model: SchoolModel; entry: LedgerEntry | null } {
  const { model } = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
  const ledger = readLedger(ctx.ss);
  const found = ledger.entries.find((e) => e.key === key);
  if (found) return { model, entry: found };
  const p = currentPlan(model, ctx.settings, ledger.entries).items.find((i) => i.key === key);
  if (!p) return { model, entry: null };
  return {
    model,
    entry: {
      key: p.key, studentId: p.studentId, letterId: p.letterId, windowKey: p.windowKey, recipient: p.recipient,
      recipientName: p.recipientName, language: p.language, step: p.step, status: 'planned', attempts: 0, updatedAt: '', runId: '',
    },
  };
}

export function currentPlan(model: SchoolModel, settings: Settings, entries: readonly LedgerEntry[]): { items: PlannedLetter[]; problems: string[] } {
  const placements = new Map([...model.byId].map(([id, r]) => [id, r.placement]));
  const students = model.students.filter((s) => model.byId.has(s.studentId));
  const exclusions = new Map<string, string>();
  for (const e of entries) {
    if (e.status !== 'skipped' || !e.reason?.startsWith(EXCLUDED_PREFIX)) continue;
    const due = placements.get(e.studentId)?.letterDue;
    if (due && letterKey(e.studentId, due.letterId, due.windowKey) === letterKey(e.studentId, e.letterId, e.windowKey)) {
      exclusions.set(e.studentId, e.reason.slice(EXCLUDED_PREFIX.length));
    }
  }
  // What was really sent to each family (a left-out, held or to-print letter never counts): the plan
  // marks a letter that jumps over the ladder's earlier letters.
  const lettersSentById = new Map([...model.byId].map(([id, r]) => [id, lettersSent(r.history, model.today)]));
  const ladderLetters = [...new Set(model.policy.steps.flatMap((s) => s.actions.filter((a) => a.kind === 'letter' && a.letterId).map((a) => a.letterId!)))];
  return planLetters({ students, placements, templatesAvailable: settings.templates, exclusions, lettersSent: lettersSentById, ladderLetters });
}

const OPEN_STATUSES = new Set(['planned', 'failed', 'unknown', 'sending']);

function viewOf(e: LedgerEntry, model: SchoolModel, why: string): PlanItemView {
  const student = model.byId.get(e.studentId)?.student;
  const language = e.language ?? 'en';
  return {
    key: e.key,
    studentId: e.studentId,
    studentName: student?.name ?? e.studentId,
    tutorGroup: student?.tutorGroup ?? '',
    yearGroup: student?.yearGroup ?? '',
    letterId: e.letterId,
    letterName: letterName(e.letterId),
    step: e.step ?? 0,
    stepName: stepName(e.step ?? 0),
    language,
    languageName: languageName(language),
    fellBackToEnglish: student ? normaliseLanguage(student.language) !== normaliseLanguage(language) : false,
    recipient: e.recipient,
    why,
    excluded: e.status === 'skipped' && e.reason?.startsWith(EXCLUDED_PREFIX) ? e.reason.slice(EXCLUDED_PREFIX.length) : null,
    heldBack: null,
    status: e.status,
  };
}

function unknownWhy(e: LedgerEntry): string {
  const to = e.recipient === 'post' ? 'the print pack' : e.recipient;
  const mailbox = e.sender ? `the Sent folder of ${e.sender}` : 'the Sent folder of whoever sent it';
  return `Sending stopped part-way. Search ${mailbox} for “${letterReference(e.key)}” (to ${to}): if it is there choose “It was sent”, otherwise “Send again”.`;
}

/**
 * A letter another execution is sending right now: when it started and by when it will have gone or
 * ask for a decision (its claim lapses CLAIM_LIFETIME_MS after the execution started), in the school's zone.
 */
function sendingWhy(ctx: LetterContext, e: LedgerEntry): string {
  const claimed = Date.parse(e.updatedAt);
  if (Number.isNaN(claimed)) return 'Being sent right now.';
  const at = (ms: number) => formatSchoolTimestamp(timestampIso(ctx.ss, new Date(ms)), ctx.dateFormat);
  const by = e.sender ? ` by ${e.sender}` : '';
  return `Being sent right now (started ${at(claimed)}${by}). If it has not gone by ${at(claimed + CLAIM_LIFETIME_MS).replace(/^.* /, '')}, it will ask you to decide; it is never sent twice.`;
}

/** The plan view: the current plan's letters with their ledger status, plus open ledger entries. */
export function planView(ctx: LetterContext, model: SchoolModel, ledger: LedgerTab, extraProblems: string[] = []): LetterPlan {
  // 'sending' whose execution cannot be running any more (6 minutes after it started): show it as the next run will.
  ledger = { ...ledger, entries: recoverAbandoned(ledger.entries, 'the next run', ctx.now()).entries };
  const plan = currentPlan(model, ctx.settings, ledger.entries);
  const byKey = new Map(ledger.entries.map((e) => [e.key, e]));
  const items: PlanItemView[] = [];
  const shown = new Set<string>();
  for (const p of plan.items) {
    const e = byKey.get(p.key);
    shown.add(p.key);
    const status = e?.status ?? (p.excluded !== undefined ? 'skipped' : 'planned');
    const student = model.byId.get(p.studentId)?.student;
    items.push({
      key: p.key,
      studentId: p.studentId,
      studentName: p.studentName,
      tutorGroup: student?.tutorGroup ?? '',
      yearGroup: student?.yearGroup ?? '',
      letterId: p.letterId,
      letterName: letterName(p.letterId),
      step: p.step,
      stepName: stepName(p.step),
      language: p.language,
      languageName: languageName(p.language),
      fellBackToEnglish: p.fellBackToEnglish,
      recipient: p.recipient,
      why: status === 'unknown' && e ? unknownWhy(e) : status === 'sending' && e ? sendingWhy(ctx, e) : e?.error ? `${p.why} — held back: ${e.error}` : p.why,
      excluded: p.excluded ?? null,
      heldBack: null,
      status,
    });
  }
  for (const e of ledger.entries) {
    if (shown.has(e.key) || !OPEN_STATUSES.has(e.status)) continue;
    const why = e.status === 'unknown' ? unknownWhy(e) : e.status === 'sending' ? sendingWhy(ctx, e) : `Carried over from an earlier run${e.error ? ` — ${e.error}` : ''}`;
    items.push(viewOf(e, model, why));
  }

  // Check the templates and each planned letter's data now, so the Attendance Lead sees problems
  // before pressing Send (the send repeats these checks).
  const problems = [...plan.problems, ...extraProblems];
  const pending = items.filter((i) => i.status === 'planned' || i.status === 'failed');
  const templates = readTemplates(ctx.settings.templates, pending.map((i) => ({ letterId: i.letterId, language: i.language })));
  problems.push(...templates.errors, ...templates.warnings);
  for (const key of templates.missing) {
    const [letterId, language] = key.split('|');
    problems.push(`No template for ${letterName(letterId ?? '')} in ${languageName(language)}: add one in Settings → Templates.`);
  }
  for (const item of pending) {
    const t = templates.byKey.get(templateKey(item.letterId, item.language));
    if (!t) continue;
    const entry: LedgerEntry = byKey.get(item.key) ?? {
      key: item.key, studentId: item.studentId, letterId: item.letterId, windowKey: '', recipient: item.recipient,
      status: 'planned', attempts: 0, updatedAt: '', runId: '', language: item.language, step: item.step,
      recipientName: plan.items.find((p) => p.key === item.key)?.recipientName,
    };
    const merged = mergeValuesFor(entry, { model, settings: ctx.settings, staffName: ctx.staffName, today: ctx.today });
    const reason = merged.ok ? holdBackReason(t.fields, merged.values) : merged.reason;
    if (reason) {
      item.heldBack = reason;
      problems.push(`${item.studentName} (${item.studentId}), letter to ${item.recipient}: held back — ${reason}.`);
    }
  }
  let quotaRemaining = 0;
  try {
    quotaRemaining = MailApp.getRemainingDailyQuota();
  } catch {
    quotaRemaining = 0; // not authorised for mail yet: the sidebar shows 0
  }
  // A stale register is said first, with the last import date: nobody is moved up a step on it.
  const registerNotice = staleRegisterNotice(model.register, registerImportedAt());
  if (registerNotice) problems.unshift(registerNotice);
  return {
    items, problems, quotaRemaining, unknown: items.filter((i) => i.status === 'unknown'), registerNotice,
    canSend: can(ctx.actor, 'sendLetters'),
    quotaResets: quotaRemaining > 0 ? null : quotaResetWords(ledger.entries, ctx.dateFormat, ctx.ss),
    secondsPerLetter: MODELLED_SECONDS_PER_LETTER,
    leftOut: leftOutView(ledger.entries, model),
    printPacks: printPacksView(ledger.entries, ctx.dateFormat),
    resume: resumeOffer(ledger),
  };
}

/**
 * When the mail quota comes back, in words. Apps Script's daily quotas refill 24 hours after the
 * first use of the window (reference semantics E0.5, https://developers.google.com/apps-script/guides/services/quotas):
 * the window began no later than the first letter this add-on sent in the last 24 hours. Other mail
 * the same account sent earlier would make it sooner, so the sidebar says "at the latest".
 */
function quotaResetWords(entries: readonly LedgerEntry[], format: SchoolDateFormat, ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string | null {
  const nowMs = Date.now();
  let first: number | null = null;
  for (const e of entries) {
    if (e.status !== 'sent') continue;
    const t = Date.parse(e.updatedAt);
    if (Number.isFinite(t) && t > nowMs - 86_400_000 && (first === null || t < first)) first = t;
  }
  const at = new Date(first === null ? nowMs + 86_400_000 : first + 86_400_000);
  const stamp = Utilities.formatDate(at, ss.getSpreadsheetTimeZone(), "yyyy-MM-dd'T'HH:mm");
  const [date, time] = formatSchoolTimestamp(stamp, format).split(' ');
  return first === null ? `within 24 hours (by ${time} on ${date} at the latest)` : `at ${time} on ${date} at the latest`;
}

/** Every letter left out (any window), newest first, with the reason and whether it is still due. */
export function leftOutView(entries: readonly LedgerEntry[], model: SchoolModel): LeftOutLetterView[] {
  const out: LeftOutLetterView[] = [];
  const seen = new Set<string>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.status !== 'skipped' || !e.reason?.startsWith(EXCLUDED_PREFIX)) continue;
    const letter = `${e.studentId}|${e.letterId}|${e.windowKey}`;
    if (seen.has(letter)) continue; // one line per letter, however many parents
    seen.add(letter);
    const record = model.byId.get(e.studentId);
    const due = record?.placement.letterDue;
    out.push({
      key: e.key,
      studentId: e.studentId,
      studentName: record?.student.name ?? e.studentId,
      tutorGroup: record?.student.tutorGroup ?? '',
      letter: letterName(e.letterId),
      window: e.windowKey,
      reason: e.reason.slice(EXCLUDED_PREFIX.length),
      stillDue: !!due && due.letterId === e.letterId && due.windowKey === e.windowKey,
    });
  }
  return out;
}

/** Print packs named in the ledger: packs with letters still to print first, then the latest printed. */
export function printPacksView(entries: readonly LedgerEntry[], format: SchoolDateFormat = 'dd/MM/yyyy'): PrintPackView[] {
  const packs = new Map<string, PrintPackView>();
  for (const e of entries) {
    if (e.recipient !== POST || !e.documentUrl || (e.status !== 'toPrint' && e.status !== 'sent')) continue;
    const pack = packs.get(e.documentUrl) ?? { url: e.documentUrl, toPrint: 0, printed: 0, date: '' };
    if (e.status === 'toPrint') pack.toPrint++;
    else pack.printed++;
    const date = e.updatedAt.slice(0, 10);
    if (date > pack.date) pack.date = date;
    packs.set(e.documentUrl, pack);
  }
  return [...packs.values()]
    .sort((a, b) => (b.toPrint > 0 ? 1 : 0) - (a.toPrint > 0 ? 1 : 0) || (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
    .slice(0, 10)
    .map((p) => ({ ...p, date: formatSchoolDate(p.date, format) })); // people read the school's format
}

/**
 * markPackPrinted RPC (AL, Admin): the print pack was printed for the post, so its letters went:
 * they become 'sent', get their Interventions Log rows and the tracker's Letters column.
 */
export function markPackPrinted(req: PrintPackRequest): LetterPlan {
  const url = typeof req?.url === 'string' ? req.url.trim() : '';
  if (!url) throw new Error('Choose the print pack you printed.');
  const ctx = letterContext('sendLetters');
  return underLock('marking the print pack printed', () => {
    const ledger = readLedger(ctx.ss);
    const by = ctx.actor.email || 'unknown user';
    const result = markPackPrintedEntries(ledger.entries, url, by, ctx.now());
    if (result.printed.length === 0) {
      // Pressed again after a fault: the pack is marked printed; its letters' log rows are written if missing.
      const ofPack = ledger.entries.filter((e) => e.documentUrl === url && e.recipient === POST && e.status === 'sent');
      const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
      const rows = missingLogRows(ctx, ofPack, school.model, null, `Printed for post (marked by ${by}).`);
      if (rows.length === 0) throw new Error('That print pack has no letter waiting to be printed (it may already be marked printed); nothing was changed.');
      appendLogRows(ctx.ss, rows);
      const after = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
      writeTrackerLetterStatus(after.tracker, ledger.entries, new Set(ofPack.map((e) => e.studentId)), after.model, ctx.today);
      return planView(ctx, after.model, ledger);
    }
    setEntries(ledger, result.entries);
    writeEntries(ledger, result.printed);
    const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
    const at = ctx.recordedAt();
    appendLogRows(ctx.ss, result.printed.map((k) => {
      const e = ledger.entries.find((x) => x.key === k)!;
      return letterLogRow(ctx, e, school.model.byId.get(e.studentId) ?? null, at, `Printed for post (marked by ${by}).`);
    }));
    const touched = new Set(result.printed.map((k) => ledger.entries.find((x) => x.key === k)!.studentId));
    const after = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
    writeTrackerLetterStatus(after.tracker, ledger.entries, touched, after.model, ctx.today);
    return planView(ctx, after.model, ledger);
  });
}

/**
 * A run that stopped part-way (the sidebar was closed, or a call failed): its id and what is left,
 * so the sidebar offers to resume it. Null when the latest run has nothing left to send.
 */
function resumeOffer(ledger: LedgerTab): LetterPlan['resume'] {
  const run = latestRun();
  if (!run) return null;
  const inRun = ledger.entries.filter((e) => e.runId === run.runId);
  if (inRun.length === 0) return null;
  const remaining = ledger.entries.filter((e) => isSendable(e) && !(e.error ?? '').startsWith('Held back:')).length;
  const sending = ledger.entries.filter((e) => e.status === 'sending').length;
  if (remaining === 0 && sending === 0) return null;
  return { runId: run.runId, sent: inRun.filter((e) => e.status === 'sent').length, remaining, sending };
}

/** getLetterPlan RPC: read-only (AO, AL, Admin). */
export function getLetterPlan(): LetterPlan {
  const ctx = letterContext('planLetters');
  const { model } = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
  const ledger = readLedger(ctx.ss);
  return planView(ctx, model, ledger, []);
}

/**
 * setExclusion RPC (AL, Admin): leave a student's due letters out, with a reason — or include them
 * again (reason null). The decision is kept in the ledger and written to the Interventions Log.
 */
export function setExclusion(req: SetExclusionRequest): LetterPlan {
  // Only text is a student ID (an object sent through google.script.run is not one).
  const idText = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x).trim() : '');
  const studentId = idText(req?.studentId);
  // A group's "Include all" / "Leave all out" sends studentIds (one reason for all, one lock, one write).
  const batch = Array.isArray(req?.studentIds);
  const ids = batch
    ? [...new Set((req.studentIds as unknown[]).map(idText).filter(Boolean))]
    : [studentId].filter(Boolean);
  if (ids.length === 0 || ids.some((id) => id.length > TEXT_LIMITS.studentId)) throw new Error('Choose the pupils whose letters to leave out or include again.');
  if (ids.length > MAX_BATCH_EXCLUSIONS) throw new Error(`At most ${MAX_BATCH_EXCLUSIONS} pupils at a time; filter the plan to fewer.`);
  const reason = req?.reason === null || req?.reason === undefined ? null : typeof req.reason === 'string' ? outboundText(req.reason).trim() : '';
  if (reason !== null && reason.length > TEXT_LIMITS.reason) throw new Error(tooLong('The reason for leaving the letter out', reason, TEXT_LIMITS.reason)!);
  if (reason !== null && reason === '') throw new Error('Say why this student’s letter is left out (e.g. “hospital stay, medical evidence seen”): the reason is kept in the Interventions Log.');
  const ctx = letterContext('sendLetters');
  return underLock('the exclusion', () => {
    const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
    const { model } = school;
    for (const id of ids) {
      if (!model.byId.has(id)) throw new Error(`No student with ID "${id}" on the tracker (or the student could not be evaluated); nothing was changed.`);
    }
    const ledger = readLedger(ctx.ss);
    const now = ctx.now();
    const plan = currentPlan(model, ctx.settings, ledger.entries);
    const changed: string[] = [];
    const logRows: ReturnType<typeof noteLogRow>[] = [];
    let entries = ledger.entries;
    const by = ctx.actor.email || 'unknown user';
    const outcome = reason !== null ? LETTER_LEFT_OUT : LETTER_INCLUDED_AGAIN;
    // Which letters, in words with their reference (never the ledger's keys): 'Letter 3 to ann@example.org (ref L-3F9A2C1B)'.
    const whichOf = (keys: readonly string[]): string => {
      const byKey = new Map(entries.map((e) => [e.key, e]));
      return [...new Set(keys)].map((k) => {
        const e = byKey.get(k);
        return e ? `${letterName(e.letterId)} to ${e.recipient === 'post' ? `${e.recipientName || 'the parent/carer'} (post)` : e.recipient} (ref ${letterReference(k)})` : '';
      }).filter(Boolean).join('; ');
    };
    /** Is this decision about these letters already in the pupil's log (pressed again after a failure)? */
    // The LATEST note about these letters must be this decision: left out, included again and left
    // out again are three notes, and a retry of the third must not be satisfied by the first.
    const noted = (record: NonNullable<ReturnType<typeof model.byId.get>>, keys: readonly string[]) => {
      const about = record.history.filter((h) => keys.every((k) => (h.notes ?? '').includes(`ref ${letterReference(k)}`)));
      return about.length > 0 && String(about[about.length - 1]!.outcome ?? '').trim() === outcome;
    };
    for (const id of ids) {
      const record = model.byId.get(id)!;
      const mine = plan.items.filter((p) => p.studentId === id);
      const changedHere: string[] = [];
      const notDue: string[] = [];
      let note: string;
      if (reason !== null) {
        const merged = mergePlan(entries, mine.map((p) => ({ ...p, excluded: undefined })), now);
        entries = merged.entries;
        changedHere.push(...merged.added.map((e) => e.key));
        for (const e of entries.filter((x) => x.studentId === id && (x.status === 'planned' || x.status === 'failed' || x.status === 'unknown'))) {
          entries = skipEntry(entries, e.key, `${EXCLUDED_PREFIX}${reason}`, by, now);
          changedHere.push(e.key);
        }
        note = `Letter not sent: left out by ${ctx.actor.email || 'the Attendance Lead'} — ${reason}`;
      } else {
        // Only a letter still due goes back in the plan: one left out in an earlier term, or for a
        // step the pupil has since left, would be sent as it stood then (preview walk: a Letter 3
        // left out on 9 Jan came back "Carried over from an earlier run" for a pupil now at Step 7).
        const due = record.placement.letterDue;
        entries = entries.map((e) => {
          if (e.studentId !== id || e.status !== 'skipped' || !e.reason?.startsWith(EXCLUDED_PREFIX)) return e;
          if (!due || due.letterId !== e.letterId || due.windowKey !== e.windowKey) {
            notDue.push(`${letterName(e.letterId)}, ${e.windowKey}`);
            return e;
          }
          changedHere.push(e.key);
          return { ...e, status: 'planned', updatedAt: now, reason: `Included again by ${by}` };
        });
        note = `Letter included again by ${ctx.actor.email || 'the Attendance Lead'}`;
      }
      if (changedHere.length === 0) {
        // Pressed again after a failure: the ledger already holds the decision. Its log note is
        // written if (and only if) it is missing, so the audit is complete and never doubled.
        const done = entries.filter((e) => e.studentId === id && (reason !== null
          ? e.status === 'skipped' && (e.reason ?? '').startsWith(`${EXCLUDED_PREFIX}${reason}`)
          : e.status === 'planned' && (e.reason ?? '').startsWith('Included again by ')));
        if (done.length > 0) {
          const keys = done.map((e) => e.key);
          if (!noted(record, keys)) logRows.push(noteLogRow(ctx, record, record.placement.step, `${note}. ${whichOf(keys)}`, outcome));
          continue;
        }
        if (batch) continue;
        if (reason === null && notDue.length > 0) {
          throw new Error(`${record.student.name}'s left-out letter (${[...new Set(notDue)].join('; ')}) is no longer due: ${record.student.name} is now at ${record.placement.label}${record.placement.letterDue ? `, with ${letterName(record.placement.letterDue.letterId)} due` : ''}. It stays on the left-out list and is not sent; nothing was changed.`);
        }
        throw new Error(reason !== null
          ? `${record.student.name} (${id}) has no letter planned, so there is nothing to leave out.`
          : `${record.student.name} (${id}) has no letter left out, so there is nothing to include again.`);
      }
      changed.push(...changedHere);
      logRows.push(noteLogRow(ctx, record, record.placement.step, `${note}. ${whichOf(changedHere)}`, outcome));
    }
    if (changed.length === 0 && logRows.length === 0) {
      throw new Error(reason !== null ? 'None of these pupils has a letter planned, so there is nothing to leave out.' : 'None of these pupils has a letter left out, so there is nothing to include again.');
    }
    if (changed.length > 0) {
      setEntries(ledger, entries);
      writeEntries(ledger, [...new Set(changed)]);
    }
    if (logRows.length > 0) appendLogRows(ctx.ss, logRows);
    return planView(ctx, model, ledger);
  });
}

/** A group's "Leave all out" is one request; a tutor group is far below this. */
export const MAX_BATCH_EXCLUSIONS = 500;

/**
 * resolveUnknown RPC (AL, Admin): a person's decision about a letter whose send was interrupted —
 * 'markSent' (it is in the Sent folder: logged now) or 'resend' (planned again).
 */
export function resolveUnknown(req: ResolveUnknownRequest): LetterPlan {
  const key = typeof req?.key === 'string' ? req.key : '';
  if (req?.decision !== 'markSent' && req?.decision !== 'resend') throw new Error('Say whether the letter was sent (it is in the Sent folder) or should be sent again.');
  const ctx = letterContext('sendLetters');
  return underLock('the decision', () => {
    const ledger = readLedger(ctx.ss);
    // Letters whose sending execution cannot be running any more become 'unknown' (others are left alone).
    const begun = recoverAbandoned(ledger.entries, `decision by ${ctx.actor.email || 'unknown user'}`, ctx.now());
    setEntries(ledger, begun.entries);
    const entry = ledger.entries.find((e) => e.key === key);
    if (!entry) throw new Error('That letter is no longer in the Letters Ledger (it may have been removed there); nothing was changed.');
    if (entry.status !== 'unknown') {
      // Pressed again after it went through (or its answer was lost): the same decision is already recorded.
      const same = (req.decision === 'markSent' && entry.status === 'sent') || (req.decision === 'resend' && (entry.status === 'planned' || entry.status === 'sending' || entry.status === 'sent'));
      if (same) {
        const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
        const logRows = missingLogRows(ctx, ledger.entries.filter((e) => e.key === key), school.model);
        if (logRows.length > 0) appendLogRows(ctx.ss, logRows);
        return planView(ctx, school.model, ledger);
      }
      throw new Error(`${letterName(entry.letterId)} to ${entry.recipient === 'post' ? 'post' : entry.recipient} is no longer waiting for a decision (it is ${ledgerStatusWords(entry.status)}); nothing was changed.`);
    }
    const now = ctx.now();
    setEntries(ledger, resolveUnknownEntry(ledger.entries, key, req.decision, ctx.actor.email || 'unknown user', now));
    writeEntries(ledger, [key, ...begun.recovered.map((e) => e.key)]);
    const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
    if (req.decision === 'markSent') {
      const record = school.model.byId.get(entry.studentId);
      const sent = ledger.entries.find((e) => e.key === key)!;
      // Exactly one "Letter sent" row per letter: none when the log already holds this letter's row.
      const logged = record?.history.some((h) => notesRecord(h.notes ?? '', key)) ?? false;
      if (!logged) appendLogRows(ctx.ss, [letterLogRow(ctx, sent, record ?? null, ctx.recordedAt(), `Marked as sent by ${ctx.actor.email || 'unknown user'} after checking the Sent folder.`)]);
    }
    return planView(ctx, school.model, ledger);
  });
}
