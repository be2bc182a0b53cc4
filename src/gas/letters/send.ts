/**
 * Sending letters: exactly once, several executions at a time (DESIGN.md §5, issue 14 point 3).
 *
 * A run has two kinds of call:
 *  1. start — sendLetters({ runId: null }): under the document lock, letters whose sending
 *     execution cannot be alive any more become 'unknown'; the current plan is merged into the
 *     ledger; every template is read, validated (any error stops the run before anything is sent,
 *     naming the template and where) and shared with the attendance team; letters whose data is
 *     missing are held back with the reason; the letters folders are made and shared, old copies
 *     removed (retention); the run's state is saved. Then, outside the lock, the add-on's own copy
 *     of each template a person made (letterDoc.ts). The start call sends nothing.
 *  2. workers — sendLetters({ runId }): the sidebar runs PARALLEL_SENDERS of them at once, each
 *     called again until nothing is left. A worker reads the school and the run's templates once,
 *     then for each letter: UNDER the lock, it writes the previous letter's outcome and claims the
 *     next letter ('sending', stamped with the start of this execution) and releases the lock at
 *     once; OUTSIDE the lock it copies the template, fills it, exports the PDF and emails it.
 *     Posted letters go by batches into the run's print pack, one worker at a time. Log rows and
 *     the tracker's Letters column are written when the call ends (rows a dead call did not write
 *     are added by the next: missingLogRows).
 *
 * Exactly once: a letter is claimed under the lock by one execution only, and 'sending' reaches the
 * sheet before anything leaves. A claim outlives its execution by nothing: Apps Script stops an
 * execution 6 minutes after it starts, so a 'sending' entry older than that (CLAIM_LIFETIME_MS) was
 * abandoned and becomes 'unknown' for a person to decide — never re-sent automatically. Letters
 * other executions are sending right now are left alone, so parallel senders and two people
 * sending at once never send a letter twice.
 */
import {
  MAX_ATTEMPTS,
  POST,
  emailBody,
  isAbandoned,
  isSendable,
  markFailed,
  markSending,
  markSent,
  markToPrint,
  mergePlan,
  recoverAbandoned,
  releaseClaim,
  type LedgerEntry,
} from '../../core/letters';
import { formatSchoolDate } from '../../core/format';
import { documentIdOf, stillNeeded } from '../../core/letters/retention';
import { escapeHtml, outboundText } from '../../core/sanitise';
import type { StudentRecord } from '../../core/schoolModel';
import type { SendLettersRequest, SendLettersResponse } from '../../rpcTypes';
import { loadSchool, type LoadedSchool } from '../schoolData';
import { PROPERTY_KEYS } from '../sheetNames';
import { letterContext, underLock, type LetterContext } from './context';
import { applyRetention, ensureLetterFolders, letterFolder, readFiling, templateAudience } from './filing';
import { readLedger, setEntries, writeEntries, type LedgerTab } from './ledgerStore';
import { addOnCanCopy, addToPrintPack, buildMaster, createLetterDocument, documentUrl } from './letterDoc';
import { appendLogRows, LATE_LOG_LEAD, loggedLedgerKeys, missingLogRows, writeTrackerLetterStatus } from './logWriter';
import { approvedRecipient, holdBackReason, mergeValuesFor } from './mergeData';
import { currentPlan } from './plan';
import { letterDocumentName, letterReference, newRunId } from './reference';
import { TemplateReader, templateKey, type LoadedTemplate } from './templates';

/** Stop claiming letters once this much of the 6-minute execution has gone (engineering §2.2). */
export const TIME_BUDGET_MS = 270_000;
/** Hard cap per call, whatever the clock says. */
export const MAX_LETTERS_PER_CALL = 40;
/** Posted letters claimed together (one print-pack write per batch). */
export const POST_BATCH = 20;
/** Executions the sidebar runs at once (Apps Script allows 30 simultaneous executions per user). */
export const PARALLEL_SENDERS = 4;
/** Assumed cost of one letter until one has been timed in this execution. */
const FIRST_LETTER_ESTIMATE_MS = 10_000;
/** Runs whose state is kept (their template copies are removed when a run drops off). */
const RUNS_KEPT = 3;

const TIMEOUT = /^Exceeded maximum execution time/;
const QUOTA = /^Service invoked too many times for one day: (.*)\.$/;
const PERMANENT = /^(Invalid email|Failed to send email: no recipient|Limit Exceeded: Email Recipients Per Message)/;

interface Prepared {
  template: LoadedTemplate;
  values: Record<string, string>;
  record: StudentRecord;
}

interface RunState {
  runId: string;
  startedAt: string;
  /** Template document id → the document letters are copied from (itself, or the add-on's copy). */
  masters: Record<string, string>;
  rootId: string | null;
  /** Window key (term) → folder (print packs go there). */
  folders: Record<string, string>;
  /** `${window}|${year group}` → folder (letters go there). */
  years?: Record<string, string>;
  packId: string | null;
  packUrl: string | null;
}

// ── run state (document properties, written under the lock) ───────────────────────────────

function readRuns(): RunState[] {
  const raw = PropertiesService.getDocumentProperties()?.getProperty(PROPERTY_KEYS.letterRun);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as { runs?: RunState[] };
    return Array.isArray(parsed.runs) ? parsed.runs : [];
  } catch {
    return [];
  }
}

function saveRun(state: RunState): void {
  const runs = readRuns().filter((r) => r.runId !== state.runId);
  runs.push(state);
  const dropped = runs.splice(0, Math.max(0, runs.length - RUNS_KEPT));
  PropertiesService.getDocumentProperties()?.setProperty(PROPERTY_KEYS.letterRun, JSON.stringify({ runs }));
  // Template copies of runs no longer kept are removed (never the templates themselves).
  const live = new Set(runs.flatMap((r) => Object.values(r.masters)));
  for (const r of dropped) {
    for (const [templateId, masterId] of Object.entries(r.masters)) {
      if (masterId === templateId || live.has(masterId)) continue;
      try {
        Drive!.Files!.update({ trashed: true }, masterId);
      } catch {
        /* already gone */
      }
    }
  }
}

function runState(runId: string): RunState | null {
  return readRuns().find((r) => r.runId === runId) ?? null;
}

/** The most recent run, for the sidebar's "resume" offer. */
export function latestRun(): RunState | null {
  const runs = readRuns();
  return runs.length > 0 ? runs[runs.length - 1] : null;
}

function errorText(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

function templateCacheKey(runId: string): string {
  return `sol.letterTemplates.${runId}`;
}

// ── the RPC ─────────────────────────────────────────────────────────────────────────────────

/** sendLetters RPC (AL, Admin): start a run (runId null), or send letters of a run until time is up. */
export function sendLetters(req: SendLettersRequest): SendLettersResponse {
  const startedMs = Date.now();
  const requested = req && typeof req.runId === 'string' && req.runId.trim() !== '' ? req.runId.trim() : null;
  const ctx = letterContext('sendLetters');
  // Letter sending starts only from the sidebar, so it always has its document and the document lock
  // (per document, never the script lock: lock.ts). It takes no lease: each call would pay the
  // lease's check-and-set (about 10 calls) on top of the calls per letter.
  return requested === null ? startRun(ctx) : work(ctx, requested, startedMs);
}

/** What each letter needs (template, values) or why it is held back — computed without service calls once templates are read. */
function prepare(ctx: LetterContext, school: LoadedSchool, templates: TemplateReader, entries: readonly LedgerEntry[]) {
  const heldBack = new Map<string, string>();
  const prepared = new Map<string, Prepared>();
  const mergeCtx = { model: school.model, settings: ctx.settings, staffName: ctx.staffName, today: ctx.today };
  for (const e of entries) {
    if (!isSendable(e)) continue;
    const template = templates.get(e.letterId, e.language || 'en');
    if (!template) {
      if (templates.missing.includes(templateKey(e.letterId, e.language || 'en'))) {
        heldBack.set(e.key, `there is no template for ${e.letterId} in ${e.language || 'en'} (nor in English); add one in Settings → Templates`);
      }
      continue;
    }
    const merged = mergeValuesFor(e, mergeCtx);
    const reason = merged.ok ? holdBackReason(template.fields, merged.values) : merged.reason;
    if (!merged.ok || reason) heldBack.set(e.key, reason);
    else prepared.set(e.key, { template, values: merged.values, record: merged.record });
  }
  return { heldBack, prepared };
}

// ── 1. start ────────────────────────────────────────────────────────────────────────────────

function startRun(ctx: LetterContext): SendLettersResponse {
  const runId = newRunId(ctx.now(), Math.random());
  const started = underLock('sending letters', () => {
    const ledger = readLedger(ctx.ss);
    const toWrite = new Set<string>();
    const recovered = recoverAbandoned(ledger.entries, `run ${runId}`, ctx.now());
    setEntries(ledger, recovered.entries);
    recovered.recovered.forEach((e) => toWrite.add(e.key));

    const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
    const plan = currentPlan(school.model, ctx.settings, ledger.entries);
    const templates = new TemplateReader(ctx.settings.templates, templateCacheKey(runId), templateAudience(ctx.settings));
    for (const p of plan.items) if (!p.excluded) templates.get(p.letterId, p.language || 'en');
    for (const e of ledger.entries) if (isSendable(e)) templates.get(e.letterId, e.language || 'en');
    if (templates.errors.length > 0) {
      writeEntries(ledger, [...toWrite]);
      return { error: `Nothing was sent: a letter template must be fixed first. ${templates.errors.join(' ')}`, ledger } as const;
    }
    templates.save();
    const merged = mergePlan(ledger.entries, plan.items, ctx.now(), runId);
    setEntries(ledger, merged.entries);
    merged.added.forEach((e) => toWrite.add(e.key));

    const { heldBack, prepared } = prepare(ctx, school, templates, ledger.entries);
    const now = ctx.now();
    setEntries(ledger, ledger.entries.map((e) => {
      const reason = heldBack.get(e.key);
      if (reason === undefined && isSendable(e) && (e.error ?? '').startsWith('Held back:')) {
        toWrite.add(e.key); // its data was fixed
        return { ...e, error: undefined, updatedAt: now };
      }
      if (reason === undefined || e.error === `Held back: ${reason}`) return e;
      toWrite.add(e.key);
      return { ...e, error: `Held back: ${reason}`, updatedAt: now };
    }));
    writeEntries(ledger, [...toWrite]);

    const windowYears = new Map<string, Set<string>>();
    for (const e of ledger.entries) {
      const p = prepared.get(e.key);
      if (!p) continue;
      if (!windowYears.has(e.windowKey)) windowYears.set(e.windowKey, new Set());
      windowYears.get(e.windowKey)!.add(p.record.student.yearGroup);
    }
    const warnings = [...templates.warnings];
    let filingState = readFiling();
    if (prepared.size > 0) {
      const filing = ensureLetterFolders(ctx.settings, windowYears, ctx.actor.email);
      warnings.push(...filing.warnings);
      filingState = filing.state;
    }
    const used = new Map<string, LoadedTemplate>();
    for (const p of prepared.values()) used.set(p.template.ref.docId, p.template);
    // Only this run's folders (the run state is one document property, kept small).
    const inRun = (k: string) => windowYears.has(k.split('|')[0]);
    const folders = Object.fromEntries(Object.entries(filingState.terms).filter(([k]) => inRun(k)));
    const years = Object.fromEntries(Object.entries(filingState.years).filter(([k]) => inRun(k)));
    saveRun({ runId, startedAt: ctx.now(), masters: {}, rootId: filingState.rootId, folders, years, packId: null, packUrl: null });
    // What the retention step must keep, read under the lock (a letter made later is new, never old
    // enough): unsettled letters' copies and packs, and the template copies of the runs still kept.
    const needed = stillNeeded(ledger.entries, letterReference);
    for (const r of readRuns()) Object.values(r.masters).forEach((id) => needed.ids.add(id));
    return { ledger, heldBack, used: [...used.values()], rootId: filingState.rootId, warnings, filingState, needed } as const;
  });
  if ('error' in started) return progress(started.ledger, runId, new Map(), 'error', started.error ?? '');

  // Retention (outside the lock): old copies no letter needs go to the Drive trash; their ledger rows say so.
  const retention = applyRetention(ctx.settings, started.filingState, new Date(ctx.now()), started.needed, ctx.actor.email);
  if (retention.removed.length > 0) noteRemovedCopies(ctx, retention.removed);
  if (retention.message) started.warnings.push(retention.message);

  // The documents letters are copied from: the template itself when the add-on made it, else a copy (outside the lock).
  const masters: Record<string, string> = {};
  try {
    for (const t of started.used) {
      masters[t.ref.docId] = addOnCanCopy(t.ref.docId) ? t.ref.docId : buildMaster(t.ref.docId, `Template copy – ${t.label.replace(/[“”]/g, '')} – ${runId}`, started.rootId);
    }
  } catch (e) {
    return progress(started.ledger, runId, started.heldBack, 'error', `Nothing was sent: the templates could not be copied (${errorText(e)}). Try again; if it goes on, check the templates open for you.`);
  }
  underLock('sending letters', () => {
    const state = runState(runId);
    if (state) saveRun({ ...state, masters });
  });
  const r = progress(started.ledger, runId, started.heldBack, null, '');
  if (!r.done) r.message = `Ready: ${r.remaining} letter${r.remaining === 1 ? '' : 's'} to send.${started.warnings.length ? ` ${started.warnings.join(' ')}` : ''}`;
  return r;
}

/**
 * The ledger rows of letters whose copy (or print pack) the retention step removed get a note in
 * Reason ("Copy removed 26/11/2027 (kept 12 months)", in the school's date format), once; the Document URL stays as the record of
 * what was sent. A lock time-out leaves the notes for nobody: the copies are gone either way.
 */
function noteRemovedCopies(ctx: LetterContext, removed: ReadonlyArray<{ id: string; letterRef?: string }>): void {
  const ids = new Set(removed.map((r) => r.id));
  const refs = new Set(removed.map((r) => r.letterRef).filter((r): r is string => Boolean(r)));
  const months = ctx.settings.letterRetentionMonths ?? 0;
  const note = `Copy removed ${formatSchoolDate(ctx.today, ctx.dateFormat)} (kept ${months} month${months === 1 ? '' : 's'})`;
  try {
    underLock('noting removed letter copies', () => {
      const ledger = readLedger(ctx.ss);
      const keys: string[] = [];
      setEntries(ledger, ledger.entries.map((e) => {
        if (e.status !== 'sent') return e;
        const hit = ids.has(documentIdOf(e.documentUrl) ?? '') || refs.has(letterReference(e.key));
        if (!hit || (e.reason ?? '').includes('Copy removed ')) return e;
        keys.push(e.key);
        return { ...e, reason: e.reason ? `${e.reason} · ${note}` : note };
      }));
      writeEntries(ledger, keys);
    });
  } catch (e) {
    console.log(`Letter copies were removed but their ledger rows could not be noted: ${errorText(e)}`);
  }
}

// ── 2. workers ──────────────────────────────────────────────────────────────────────────────

interface Outcome {
  sent: { key: string; url: string }[];
  failed: { key: string; message: string; kind: 'retry' | 'permanent' | 'quota' }[];
  pack: { id: string; url: string } | null;
}

interface Claim {
  letters: LedgerEntry[];
  packId: string | null;
}

function work(ctx: LetterContext, runId: string, startedMs: number): SendLettersResponse {
  const state = runState(runId);
  if (!state) throw new Error('This letter run is no longer known (a newer run replaced it). Open Letters again and press Send.');
  const claimStamp = new Date(startedMs).toISOString();
  const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
  const templates = new TemplateReader(ctx.settings.templates, templateCacheKey(runId));
  const first = readLedger(ctx.ss);
  const { heldBack, prepared } = prepare(ctx, school, templates, first.entries);
  if (templates.errors.length > 0) return progress(first, runId, heldBack, 'error', `Sending stopped: a letter template must be fixed first. ${templates.errors.join(' ')}`);

  let outcome: Outcome | null = null;
  let attempted = 0;
  let slowestMs = 0;
  let stopped: SendLettersResponse['stoppedBecause'] = null;
  let stopMessage = '';
  const ended: { ledger: LedgerTab | null } = { ledger: null };
  const outOfTime = () => Date.now() - startedMs + 2 * Math.max(slowestMs, attempted === 0 ? FIRST_LETTER_ESTIMATE_MS : 0) > TIME_BUDGET_MS;

  // This execution's claims whose sending has not started, with the entry as it was before (given back if it fails).
  const claimed = new Map<string, LedgerEntry>();
  try {
    for (;;) {
      const done = outcome;
      const claim = underLock('sending letters', (): Claim | null => {
        const ledger = readLedger(ctx.ss);
        const keys = new Set<string>(done ? commit(ctx, ledger, done, runId) : []);
        if (done?.pack) saveRun({ ...(runState(runId) ?? state), packId: done.pack.id, packUrl: done.pack.url });
        const quotaStop = done?.failed.find((f) => f.kind === 'quota');
        if (quotaStop) {
          stopped = 'quota';
          stopMessage = /docs create/.test(quotaStop.message)
            ? 'Daily limit for creating documents reached: the remaining letters wait until tomorrow.'
            : quotaMessage(ledger, heldBack);
        }
        let letters: LedgerEntry[] = [];
        if (stopped === null && attempted < MAX_LETTERS_PER_CALL && !outOfTime()) {
          const rec = recoverAbandoned(ledger.entries, `run ${runId}`, ctx.now());
          setEntries(ledger, rec.entries);
          rec.recovered.forEach((e) => keys.add(e.key));
          const picked = pick(ledger, prepared, heldBack);
          if (picked.quota) {
            stopped = 'quota';
            stopMessage = quotaMessage(ledger, heldBack);
          }
          letters = picked.letters;
          claimed.clear();
          for (const e of letters) claimed.set(e.key, e);
          for (const e of letters) setEntries(ledger, markSending(ledger.entries, e.key, runId, claimStamp, ctx.actor.email));
          letters.forEach((e) => keys.add(e.key));
        }
        writeEntries(ledger, [...keys]);
        if (letters.length === 0) {
          // The call ends here: log rows and the tracker, from the ledger as it now is.
          appendLogRows(ctx.ss, missingLogRows(ctx, ledger.entries, school.model, loggedLedgerKeys(ctx.ss), (e) => (e.runId === runId ? '' : LATE_LOG_LEAD)));
          const decided = new Set(ledger.entries.filter((e) => e.status !== 'planned' && e.status !== 'skipped').map((e) => e.studentId));
          writeTrackerLetterStatus(school.tracker, ledger.entries, decided, school.model, ctx.today);
          ended.ledger = ledger;
        }
        SpreadsheetApp.flush(); // others read the ledger as soon as the lock is released
        if (letters.length === 0) return null;
        return { letters: letters.map((e) => ledger.entries.find((x) => x.key === e.key)!), packId: letters[0].recipient === POST ? (runState(runId)?.packId ?? null) : null };
      });
      if (!claim) break;
      const t0 = Date.now();
      attempted += claim.letters.length;
      claimed.clear(); // sending starts: from here its outcome is known only by what follows
      outcome = claim.letters[0].recipient === POST
        ? sendPosts(ctx, state, runId, claim, prepared)
        : sendEmail(ctx, state, claim.letters[0], prepared.get(claim.letters[0].key)!);
      slowestMs = Math.max(slowestMs, (Date.now() - t0) / claim.letters.length);
    }
  } catch (err) {
    // A time-out ends the execution there and then (nothing more runs on Google); its letters in
    // 'sending' are decided by a person after their claims lapse. Any other failure (a Sheets or
    // lock error while recording) is caught here: what this execution knows is written once more.
    if (!TIMEOUT.test(errorText(err))) settleAfterFailure(ctx, runId, outcome, claimed);
    throw err;
  }
  return progress(ended.ledger ?? readLedger(ctx.ss), runId, heldBack, stopped, stopMessage, runState(runId)?.packUrl ?? null);
}

/**
 * After a failure while recording (not a time-out): one more try, under the lock, to write what this
 * execution knows — the letters it sent or that failed, and the claims it made whose sending never
 * started (given back). If that fails too, the claims lapse after CLAIM_LIFETIME_MS and ask a
 * person, as after a time-out.
 */
function settleAfterFailure(ctx: LetterContext, runId: string, outcome: Outcome | null, claimed: ReadonlyMap<string, LedgerEntry>): void {
  try {
    underLock('sending letters', () => {
      const ledger = readLedger(ctx.ss);
      const keys = new Set<string>(outcome ? commit(ctx, ledger, outcome, runId) : []);
      const now = ctx.now();
      for (const [key, before] of claimed) {
        const e = ledger.entries.find((x) => x.key === key);
        if (!e || e.status !== 'sending' || e.runId !== runId) continue;
        setEntries(ledger, releaseClaim(ledger.entries, key, before, now));
        keys.add(key);
      }
      writeEntries(ledger, [...keys]);
      SpreadsheetApp.flush();
    });
  } catch (e) {
    console.log(`Letters: the outcome of this execution could not be recorded after a failure (${errorText(e)}); its letters will ask for a decision.`);
  }
}

/** The next letter (an email) or batch of posted letters to claim; quota: no email may go today. */
function pick(ledger: LedgerTab, prepared: ReadonlyMap<string, Prepared>, heldBack: ReadonlyMap<string, string>): { letters: LedgerEntry[]; quota: boolean } {
  const nowMs = Date.now();
  const candidates = ledger.entries.filter((e) => isSendable(e) && prepared.has(e.key) && !heldBack.has(e.key));
  // Posted letters: one print-pack writer at a time.
  const packBusy = ledger.entries.some((e) => e.status === 'sending' && e.recipient === POST && !isAbandoned(e, nowMs));
  const posts = packBusy ? [] : candidates.filter((e) => e.recipient === POST).slice(0, POST_BATCH);
  if (posts.length > 0) return { letters: posts, quota: false };
  const emails = candidates.filter((e) => e.recipient !== POST);
  if (emails.length === 0) return { letters: [], quota: false };
  const inFlight = ledger.entries.filter((e) => e.status === 'sending' && e.recipient !== POST && !isAbandoned(e, nowMs)).length;
  if (MailApp.getRemainingDailyQuota() - inFlight <= 0) return { letters: [], quota: inFlight === 0 };
  return { letters: [emails[0]], quota: false };
}

/** Writes the outcome of the letters this execution sent into the (freshly read) ledger. Returns the keys changed. */
function commit(ctx: LetterContext, ledger: LedgerTab, o: Outcome, runId: string): string[] {
  const now = ctx.now();
  const keys: string[] = [];
  for (const s of o.sent) {
    const e = ledger.entries.find((x) => x.key === s.key);
    if (!e) continue;
    // A posted letter in the print pack is not sent yet: 'to print' until someone marks the pack
    // printed (markPackPrinted writes its Log row then, issue 10).
    if (e.status === 'sending') setEntries(ledger, e.recipient === POST ? markToPrint(ledger.entries, s.key, now, s.url) : markSent(ledger.entries, s.key, now, s.url));
    // a slow send already shown as 'unknown': it did go, so it is recorded as sent
    else if (e.status === 'unknown') setEntries(ledger, ledger.entries.map((x) => (x.key === s.key ? { ...x, status: 'sent', updatedAt: now, documentUrl: s.url, error: undefined, runId } : x)));
    else continue;
    keys.push(s.key);
  }
  for (const f of o.failed) {
    const e = ledger.entries.find((x) => x.key === f.key);
    if (!e || e.status !== 'sending') continue;
    setEntries(ledger, markFailed(ledger.entries, f.key, f.kind === 'permanent' ? `${f.message} — correct the address on the tracker; this letter will not be retried.` : f.kind === 'quota' ? `Not sent: ${f.message} It will be sent when the quota allows.` : f.message, now));
    if (f.kind !== 'retry') {
      const attempts = f.kind === 'quota' ? Math.max(0, e.attempts - 1) : MAX_ATTEMPTS;
      setEntries(ledger, ledger.entries.map((x) => (x.key === f.key ? { ...x, attempts } : x)));
    }
    keys.push(f.key);
  }
  return keys;
}

/** Classifies a failure of one letter; a time-out ends the execution (rethrown). */
function failure(key: string, err: unknown): Outcome['failed'][number] {
  const msg = errorText(err);
  if (TIMEOUT.test(msg)) throw err;
  if (QUOTA.test(msg)) return { key, message: msg, kind: 'quota' };
  return { key, message: msg, kind: PERMANENT.test(msg) ? 'permanent' : 'retry' };
}

function masterOf(state: RunState, template: LoadedTemplate): string {
  const id = state.masters[template.ref.docId] ?? runState(state.runId)?.masters[template.ref.docId];
  if (id) return id;
  if (addOnCanCopy(template.ref.docId)) return template.ref.docId;
  throw new Error(`The copy of template ${template.label} for this run is missing; start the run again.`);
}

/** One emailed letter: a filled copy of the template, its PDF, the email. Outside the lock. */
function sendEmail(ctx: LetterContext, state: RunState, e: LedgerEntry, prep: Prepared): Outcome {
  try {
    const folder = letterFolder({ rootId: state.rootId, terms: state.folders, years: state.years }, e.windowKey, prep.record.student.yearGroup);
    const file = createLetterDocument(masterOf(state, prep.template), letterDocumentName(e.letterId, prep.values['Student name'] ?? prep.record.student.studentId, ctx.today), folder, prep.template, prep.values, true, letterReference(e.key));
    const mail = emailBody(e.language || 'en', prep.values);
    const ref = letterReference(e.key);
    MailApp.sendEmail({
      to: approvedRecipient(e), // the address approved with the plan (its key), never the editable cell
      // No control character leaves the add-on (the merge values are clean; the template and settings too).
      subject: outboundText(mail.subject).replace(/\n/g, ' '),
      body: outboundText(`${mail.text}\n\nRef ${ref}`),
      htmlBody: outboundText(`${mail.html}\n<p style="color:#666;font-size:small">Ref ${escapeHtml(ref)}</p>`),
      name: outboundText(ctx.settings.senderName).replace(/\n/g, ' '),
      attachments: [file.pdf!],
    });
    return { sent: [{ key: e.key, url: file.url }], failed: [], pack: null };
  } catch (err) {
    return { sent: [], failed: [failure(e.key, err)], pack: null };
  }
}

/** Posted letters: each a filled copy (filed like the others), then appended to the run's print pack. */
function sendPosts(ctx: LetterContext, state: RunState, runId: string, claim: Claim, prepared: ReadonlyMap<string, Prepared>): Outcome {
  const out: Outcome = { sent: [], failed: [], pack: null };
  const made: { key: string; id: string; windowKey: string }[] = [];
  for (const e of claim.letters) {
    const prep = prepared.get(e.key)!;
    try {
      const folder = letterFolder({ rootId: state.rootId, terms: state.folders, years: state.years }, e.windowKey, prep.record.student.yearGroup);
      const file = createLetterDocument(masterOf(state, prep.template), letterDocumentName(e.letterId, prep.values['Student name'] ?? prep.record.student.studentId, ctx.today), folder, prep.template, prep.values, false, letterReference(e.key));
      made.push({ key: e.key, id: file.id, windowKey: e.windowKey });
    } catch (err) {
      out.failed.push(failure(e.key, err));
    }
  }
  if (made.length === 0) return out;
  try {
    const title = `Print pack – ${ctx.settings.schoolName} – ${ctx.today} – ${runId}`.replace(/\./g, '');
    const folder = state.folders[made[0].windowKey] ?? state.rootId;
    const pack = addToPrintPack(claim.packId, title, made.map((m) => m.id), folder);
    out.pack = pack;
    for (const m of made) out.sent.push({ key: m.key, url: pack.url });
  } catch (err) {
    for (const m of made) out.failed.push(failure(m.key, err));
  }
  return out;
}

function quotaMessage(ledger: LedgerTab, heldBack: ReadonlyMap<string, string>): string {
  const waiting = ledger.entries.filter((e) => isSendable(e) && e.recipient !== POST && !heldBack.has(e.key)).length;
  return `Daily email quota reached: ${waiting} letter${waiting === 1 ? '' : 's'} wait until tomorrow.`;
}

function progress(
  ledger: LedgerTab,
  runId: string,
  heldBack: ReadonlyMap<string, string>,
  stoppedBecause: SendLettersResponse['stoppedBecause'],
  stopMessage: string,
  packUrl: string | null = null,
): SendLettersResponse {
  const nowMs = Date.now();
  const inRun = ledger.entries.filter((e) => e.runId === runId);
  const sent = inRun.filter((e) => e.status === 'sent').length;
  const toPrint = inRun.filter((e) => e.status === 'toPrint').length;
  const failed = inRun.filter((e) => e.status === 'failed' && e.attempts >= MAX_ATTEMPTS).length;
  const remaining = ledger.entries.filter((e) => isSendable(e) && !heldBack.has(e.key) && !(e.error ?? '').startsWith('Held back:')).length;
  const inFlight = ledger.entries.filter((e) => e.status === 'sending' && !isAbandoned(e, nowMs)).length;
  const unknown = ledger.entries.filter((e) => e.status === 'unknown' || isAbandoned(e, nowMs)).length;
  const held = ledger.entries.filter((e) => isSendable(e) && (heldBack.has(e.key) || (e.error ?? '').startsWith('Held back:'))).length;
  const total = sent + toPrint + failed + remaining + inFlight + held + unknown;
  const done = stoppedBecause === null && remaining === 0 && inFlight === 0;
  const notes: string[] = [];
  if (failed > 0) notes.push(`${failed} could not be sent (see the Letters Ledger's Error column)`);
  if (held > 0) {
    const first = [...heldBack.entries()].slice(0, 3).map(([k, r]) => `${k}: ${r}`);
    notes.push(`${held} held back until their data is fixed${first.length ? ` (${first.join('; ')}${heldBack.size > 3 ? '; …' : ''})` : ''}`);
  }
  if (unknown > 0) notes.push(`${unknown} stopped part-way and need${unknown === 1 ? 's' : ''} a decision: check the Sent folder for their reference`);
  if (toPrint > 0 || packUrl) notes.push(`${toPrint} letter${toPrint === 1 ? '' : 's'} for post ${toPrint === 1 ? 'is' : 'are'} in the print pack (Letters tab → Print packs): ${toPrint === 1 ? 'it counts' : 'they count'} as sent once you mark the pack printed`);
  let message: string;
  if (stoppedBecause !== null) message = stopMessage;
  else if (total === 0) message = 'Nothing to send: no letter is due.';
  else if (done) message = `${sent} of ${total} letter${total === 1 ? '' : 's'} sent${toPrint > 0 ? `, ${toPrint} to print` : ''}.`;
  else if (remaining === 0) message = `${sent} of ${total} sent; ${inFlight} still being sent…`;
  else message = `${sent} of ${total} sent so far; continuing…`;
  if (notes.length > 0) message += ` ${notes.join('; ')}.`;
  return { runId, sent, failed, remaining, total, done, stoppedBecause, message, inFlight, parallel: PARALLEL_SENDERS };
}

export { documentUrl };
