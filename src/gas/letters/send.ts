/**
 * Sending letters, exactly once, in bounded batches (DESIGN.md §5).
 *
 * One call = one execution = at most MAX_LETTERS_PER_CALL letters and TIME_BUDGET_MS of the
 * 6-minute limit; the sidebar calls again with the runId until done. Under the document lock:
 *   1. read the Letters Ledger once; beginRun turns entries left 'sending' by a run that died into
 *      'unknown' (a person decides after checking the Sent folder — never re-sent automatically);
 *   2. load the school once; a new run (runId null) adds the current plan to the ledger;
 *   3. read every template used once and validate it — any template error stops the run before
 *      anything is sent, naming the template and paragraph; a letter whose data is missing for a
 *      field its template uses is held back with the reason (the others go);
 *   4. per batch: MailApp.getRemainingDailyQuota(), nextBatch; for each letter the ledger row is
 *      written as 'sending' BEFORE the document is made and the email sent, and written 'sent'
 *      together with the next letter's 'sending' (one setValues of the batch's rows); log rows and
 *      the tracker's Letters column are written once per batch.
 * A stop at any point (time limit, quota, crash) therefore leaves at most one letter 'sending',
 * which the next run shows as 'unknown'; nothing is sent twice and nothing is lost.
 */
import {
  MAX_ATTEMPTS,
  POST,
  beginRun,
  emailBody,
  isSendable,
  markFailed,
  markSending,
  markSent,
  markToPrint,
  mergePlan,
  nextBatch,
  type LedgerEntry,
} from '../../core/letters';
import { escapeHtml, outboundText } from '../../core/sanitise';
import type { StudentRecord } from '../../core/schoolModel';
import type { SendLettersRequest, SendLettersResponse } from '../../rpcTypes';
import { loadSchool, type LoadedSchool } from '../schoolData';
import { PROPERTY_KEYS } from '../sheetNames';
import { letterContext, underLock, type LetterContext } from './context';
import { openBlock, readLedger, setEntries, writeEntries, type LedgerTab } from './ledgerStore';
import { addToPrintPack, createLetterDocument, renderLetter } from './letterDoc';
import { appendLogRows, letterLogRow, missingLogRows, writeTrackerLetterStatus } from './logWriter';
import { approvedRecipient, holdBackReason, mergeValuesFor } from './mergeData';
import { currentPlan } from './plan';
import { letterDocumentName, letterReference, newRunId } from './reference';
import { TemplateReader, templateKey, type LoadedTemplate } from './templates';

/** Stop starting letters once this much of the 6-minute execution has gone (engineering §2.2). */
export const TIME_BUDGET_MS = 270_000;
/** Hard cap per call, whatever the clock says; the time budget usually stops first (≈ 6.7 s modelled per letter). */
export const MAX_LETTERS_PER_CALL = 40;
/** Letters per batch: the mail quota is read again before each batch. */
export const BATCH_SIZE = 20;
/** Assumed cost of one letter until one has been timed in this execution. */
const FIRST_LETTER_ESTIMATE_MS = 10_000;

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
  packId: string | null;
  packUrl: string | null;
}

function readRunState(): RunState | null {
  const raw = PropertiesService.getDocumentProperties()?.getProperty(PROPERTY_KEYS.letterRun);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as RunState;
  } catch {
    return null;
  }
}

function saveRunState(state: RunState): void {
  PropertiesService.getDocumentProperties()?.setProperty(PROPERTY_KEYS.letterRun, JSON.stringify(state));
}

function errorText(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

/** sendLetters RPC (AL, Admin): one bounded batch; call again with the runId until done. */
export function sendLetters(req: SendLettersRequest): SendLettersResponse {
  const startedMs = Date.now();
  const requested = req && typeof req.runId === 'string' && req.runId.trim() !== '' ? req.runId.trim() : null;
  const ctx = letterContext('sendLetters');
  return underLock('sending letters', () => runBatches(ctx, requested, startedMs));
}

function runBatches(ctx: LetterContext, requested: string | null, startedMs: number): SendLettersResponse {
  const ledger = readLedger(ctx.ss);
  const runId = requested ?? newRunId(ctx.now(), Math.random());
  const toWrite = new Set<string>();

  // 1. A run that died mid-send left entries 'sending': they become 'unknown'.
  const begun = beginRun(ledger.entries, runId, ctx.now());
  setEntries(ledger, begun.entries);
  begun.recovered.forEach((e) => toWrite.add(e.key));

  // 2. The school, once; a new run adds the current plan to the ledger.
  const school = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
  if (requested === null) {
    const plan = currentPlan(school.model, ctx.settings, ledger.entries);
    const merged = mergePlan(ledger.entries, plan.items, ctx.now(), runId);
    setEntries(ledger, merged.entries);
    merged.added.forEach((e) => toWrite.add(e.key));
  }

  // 3. Templates (each read once) and each letter's data, before anything is sent. A new run
  //    checks every template any planned letter uses; a continuing call those of its own letters.
  const sendable = ledger.entries.filter(isSendable);
  const templates = new TemplateReader(ctx.settings.templates, `sol.letterTemplates.${runId}`);
  if (requested === null) for (const e of sendable) templates.get(e.letterId, e.language || 'en');
  const heldBack = new Map<string, string>();
  const prepared = new Map<string, Prepared>();
  const mergeCtx = { model: school.model, settings: ctx.settings, staffName: ctx.staffName, today: ctx.today };
  for (const e of sendable) {
    if (prepared.size >= MAX_LETTERS_PER_CALL) break; // later letters are prepared by later calls
    const template = templates.get(e.letterId, e.language || 'en');
    if (!template) {
      if (!templates.missing.includes(templateKey(e.letterId, e.language || 'en'))) continue; // a template error: reported below
      heldBack.set(e.key, `there is no template for ${e.letterId} in ${e.language || 'en'} (nor in English); add one in Settings → Templates`);
      continue;
    }
    const merged = mergeValuesFor(e, mergeCtx);
    const reason = merged.ok ? holdBackReason(template.fields, merged.values) : merged.reason;
    if (!merged.ok || reason) {
      heldBack.set(e.key, reason);
      continue;
    }
    prepared.set(e.key, { template, values: merged.values, record: merged.record });
  }
  if (templates.errors.length === 0) templates.save();
  if (templates.errors.length > 0) {
    writeEntries(ledger, [...begun.recovered.map((e) => e.key)]);
    return progress(ledger, runId, new Map(), 'error', `Nothing was sent: a letter template must be fixed first. ${templates.errors.join(' ')}`);
  }
  if (heldBack.size > 0) {
    const now = ctx.now();
    setEntries(ledger, ledger.entries.map((e) => {
      const reason = heldBack.get(e.key);
      if (reason === undefined || e.error === `Held back: ${reason}`) return e;
      toWrite.add(e.key);
      return { ...e, error: `Held back: ${reason}`, updatedAt: now };
    }));
  }
  writeEntries(ledger, [...toWrite]);

  // Log rows a stopped batch did not write (found through the ledger key in Notes).
  appendLogRows(ctx.ss, missingLogRows(ctx, ledger.entries, school.model));

  // 4. Batches.
  const sender = new BatchSender(ctx, ledger, school, runId, prepared, startedMs);
  let stopped: SendLettersResponse['stoppedBecause'] = null;
  let stopMessage = '';
  while (sender.attempted < MAX_LETTERS_PER_CALL && !sender.outOfTime()) {
    const quota = MailApp.getRemainingDailyQuota();
    const candidates = ledger.entries.filter((e) => prepared.has(e.key));
    const batch = nextBatch(candidates, { quotaRemaining: quota, maxLetters: Math.min(BATCH_SIZE, MAX_LETTERS_PER_CALL - sender.attempted) });
    if (batch.length === 0) {
      if (quota <= 0 && candidates.some((e) => isSendable(e) && e.recipient !== POST)) {
        stopped = 'quota';
        stopMessage = quotaMessage(ledger, heldBack);
      }
      break;
    }
    const result = sender.sendBatch(batch);
    if (result.quotaStop) {
      stopped = 'quota';
      stopMessage = result.quotaStop === 'email' ? quotaMessage(ledger, heldBack) : `Daily limit for creating documents (${result.quotaStop}) reached: the remaining letters wait until tomorrow.`;
      break;
    }
  }
  return progress(ledger, runId, heldBack, stopped, stopMessage, sender.packUrl);
}

function quotaMessage(ledger: LedgerTab, heldBack: ReadonlyMap<string, string>): string {
  const waiting = ledger.entries.filter((e) => isSendable(e) && e.recipient !== POST && !heldBack.has(e.key)).length;
  return `Daily email quota reached: ${waiting} letter${waiting === 1 ? '' : 's'} wait until tomorrow.`;
}

class BatchSender {
  attempted = 0;
  packUrl: string | null = null;
  /** Set when the execution hit its time limit: every later call would throw, so nothing more is written. */
  private timedOut = false;
  private slowestLetterMs = 0;

  constructor(
    private readonly ctx: LetterContext,
    private readonly ledger: LedgerTab,
    private readonly school: LoadedSchool,
    private readonly runId: string,
    private readonly prepared: ReadonlyMap<string, Prepared>,
    private readonly startedMs: number,
  ) {
    const state = readRunState();
    if (state && state.runId === runId) this.packUrl = state.packUrl;
  }

  /** True when one more letter might not finish within the time budget. */
  outOfTime(): boolean {
    const perLetter = Math.max(this.slowestLetterMs, this.attempted === 0 ? FIRST_LETTER_ESTIMATE_MS : 0);
    return Date.now() - this.startedMs + 2 * perLetter > TIME_BUDGET_MS;
  }

  private change(entries: LedgerEntry[]): void {
    setEntries(this.ledger, entries);
  }

  private entry(key: string): LedgerEntry {
    return this.ledger.entries.find((e) => e.key === key)!;
  }

  /** A failure: 'failed' (retried later up to MAX_ATTEMPTS); a quota refusal does not use up an attempt. */
  private fail(key: string, message: string, kind: 'retry' | 'permanent' | 'quota'): void {
    this.change(markFailed(this.ledger.entries, key, message, this.ctx.now()));
    if (kind === 'retry') return;
    const e = this.entry(key);
    const attempts = kind === 'quota' ? Math.max(0, e.attempts - 1) : MAX_ATTEMPTS;
    this.change(this.ledger.entries.map((x) => (x.key === key ? { ...x, attempts } : x)));
  }

  sendBatch(batch: readonly LedgerEntry[]): { quotaStop: string | null } {
    const logRows: string[] = []; // keys of letters sent in this batch
    const touched = new Set<string>();
    let quotaStop: string | null = null;
    try {
      const posts = batch.filter((e) => e.recipient === POST);
      if (posts.length > 0) quotaStop = this.sendPosts(posts, logRows, touched);
      if (quotaStop === null) quotaStop = this.sendEmails(batch.filter((e) => e.recipient !== POST), logRows, touched);
    } catch (err) {
      if (TIMEOUT.test(errorText(err))) this.timedOut = true;
      throw err;
    } finally {
      // Once per batch — also when a letter threw (but not after the time limit: nothing runs then;
      // the next run writes the missing log rows from the ledger).
      if (!this.timedOut) {
        if (logRows.length > 0) {
          const at = this.ctx.recordedAt();
          appendLogRows(this.ctx.ss, logRows.map((k) => letterLogRow(this.ctx, this.entry(k), this.prepared.get(k)!.record, at)));
        }
        writeTrackerLetterStatus(this.school.tracker, this.ledger.entries, touched, this.school.model, this.ctx.today);
      }
    }
    return { quotaStop };
  }

  private sendEmails(letters: readonly LedgerEntry[], logRows: string[], touched: Set<string>): string | null {
    if (letters.length === 0) return null;
    const block = openBlock(this.ledger, letters.map((e) => e.key));
    let unsaved: string[] = [];
    const persist = () => {
      if (unsaved.length === 0) return;
      if (block && unsaved.every((k) => block.covers(k))) block.write();
      else writeEntries(this.ledger, unsaved);
      unsaved = [];
    };
    let quotaStop: string | null = null;
    try {
      for (const e of letters) {
        if (this.attempted >= MAX_LETTERS_PER_CALL || this.outOfTime()) break;
        const t0 = Date.now();
        this.attempted++;
        // The 'sending' mark reaches the sheet before anything leaves (with the previous letter's 'sent').
        this.change(markSending(this.ledger.entries, e.key, this.runId, this.ctx.now(), this.ctx.actor.email));
        unsaved.push(e.key);
        persist();
        unsaved.push(e.key); // its outcome is written with the next letter's mark, or at the end
        try {
          const url = this.sendOne(this.entry(e.key));
          this.change(markSent(this.ledger.entries, e.key, this.ctx.now(), url));
          logRows.push(e.key);
          touched.add(e.studentId);
        } catch (err) {
          const msg = errorText(err);
          if (TIMEOUT.test(msg)) {
            this.timedOut = true; // the execution is over: the entry stays 'sending' → 'unknown'
            throw err;
          }
          const quota = QUOTA.exec(msg);
          if (quota) {
            this.fail(e.key, `Not sent: ${msg} It will be sent when the quota allows.`, 'quota');
            quotaStop = quota[1];
            break;
          }
          const permanent = PERMANENT.test(msg);
          this.fail(e.key, permanent ? `${msg} — correct the address on the tracker; this letter will not be retried.` : msg, permanent ? 'permanent' : 'retry');
          touched.add(e.studentId);
        }
        this.slowestLetterMs = Math.max(this.slowestLetterMs, Date.now() - t0);
      }
    } catch (err) {
      if (TIMEOUT.test(errorText(err))) this.timedOut = true;
      throw err;
    } finally {
      if (unsaved.length > 0 && !this.timedOut) persist();
    }
    return quotaStop;
  }

  /** Builds the letter, its PDF, and emails it; returns the document URL. */
  private sendOne(e: LedgerEntry): string {
    const prep = this.prepared.get(e.key);
    if (!prep) throw new Error('Internal: the letter was not prepared (not sent).');
    const paragraphs = renderLetter(prep.template, prep.values);
    const file = createLetterDocument(letterDocumentName(e.letterId, prep.values['Student name'] ?? prep.record.student.studentId, this.ctx.today), paragraphs);
    const mail = emailBody(e.language || 'en', prep.values);
    const ref = letterReference(e.key);
    MailApp.sendEmail({
      to: approvedRecipient(e), // the address approved with the plan (its key), never the editable cell
      // No control character leaves the add-on (the merge values are clean; the template and settings too).
      subject: outboundText(mail.subject).replace(/\n/g, ' '),
      body: outboundText(`${mail.text}\n\nRef ${ref}`),
      htmlBody: outboundText(`${mail.html}\n<p style="color:#666;font-size:small">Ref ${escapeHtml(ref)}</p>`),
      name: outboundText(this.ctx.settings.senderName).replace(/\n/g, ' '),
      attachments: [file.pdf],
    });
    return file.url;
  }

  /** Posted letters of the batch: one print pack per run, a page per letter; no email. */
  private sendPosts(posts: readonly LedgerEntry[], logRows: string[], touched: Set<string>): string | null {
    const now = this.ctx.now();
    let entries = this.ledger.entries;
    for (const e of posts) entries = markSending(entries, e.key, this.runId, now, this.ctx.actor.email);
    this.change(entries);
    this.attempted += posts.length;
    const keys = posts.map((e) => e.key);
    writeEntries(this.ledger, keys);
    const pages: { key: string; paragraphs: string[] }[] = [];
    for (const e of posts) {
      try {
        pages.push({ key: e.key, paragraphs: renderLetter(this.prepared.get(e.key)!.template, this.prepared.get(e.key)!.values) });
      } catch (err) {
        this.fail(e.key, errorText(err), 'retry');
      }
    }
    let quotaStop: string | null = null;
    try {
      if (pages.length > 0) {
        const state = readRunState();
        const title = `Print pack – ${this.ctx.settings.schoolName} – ${this.ctx.today} – ${this.runId}`.replace(/\./g, '');
        const pack = addToPrintPack(state && state.runId === this.runId ? state.packId : null, title, pages.map((p) => ({ addressee: p.key, paragraphs: p.paragraphs })));
        saveRunState({ runId: this.runId, packId: pack.id, packUrl: pack.url });
        this.packUrl = pack.url;
        // In the pack is not sent: 'to print' until someone marks the pack printed (issue 10);
        // the Log row is written then (markPackPrinted), so nothing counts a letter still on a desk.
        for (const p of pages) {
          this.change(markToPrint(this.ledger.entries, p.key, this.ctx.now(), pack.url));
          touched.add(this.entry(p.key).studentId);
        }
      }
    } catch (err) {
      const msg = errorText(err);
      if (TIMEOUT.test(msg)) {
        this.timedOut = true;
        throw err;
      }
      const quota = QUOTA.exec(msg);
      for (const p of pages) this.fail(p.key, msg, quota ? 'quota' : 'retry');
      if (quota) quotaStop = quota[1];
    }
    writeEntries(this.ledger, keys);
    return quotaStop;
  }
}

function progress(
  ledger: LedgerTab,
  runId: string,
  heldBack: ReadonlyMap<string, string>,
  stoppedBecause: SendLettersResponse['stoppedBecause'],
  stopMessage: string,
  packUrl: string | null = null,
): SendLettersResponse {
  const inRun = ledger.entries.filter((e) => e.runId === runId);
  const sent = inRun.filter((e) => e.status === 'sent').length;
  const toPrint = inRun.filter((e) => e.status === 'toPrint').length;
  const failed = inRun.filter((e) => e.status === 'failed' && e.attempts >= MAX_ATTEMPTS).length;
  const remaining = ledger.entries.filter((e) => isSendable(e) && !heldBack.has(e.key)).length;
  const unknown = ledger.entries.filter((e) => e.status === 'unknown').length;
  const total = sent + toPrint + failed + remaining + heldBack.size + unknown;
  const done = stoppedBecause === null && remaining === 0;
  const notes: string[] = [];
  if (failed > 0) notes.push(`${failed} could not be sent (see the Letters Ledger's Error column)`);
  if (heldBack.size > 0) {
    const first = [...heldBack.entries()].slice(0, 3).map(([k, r]) => `${k}: ${r}`);
    notes.push(`${heldBack.size} held back until their data is fixed (${first.join('; ')}${heldBack.size > 3 ? '; …' : ''})`);
  }
  if (unknown > 0) notes.push(`${unknown} stopped part-way and need${unknown === 1 ? 's' : ''} a decision: check the Sent folder for their reference`);
  if (toPrint > 0 || packUrl) notes.push(`${toPrint} letter${toPrint === 1 ? '' : 's'} for post ${toPrint === 1 ? 'is' : 'are'} in the print pack (Letters tab → Print packs): ${toPrint === 1 ? 'it counts' : 'they count'} as sent once you mark the pack printed`);
  let message: string;
  if (stoppedBecause !== null) message = stopMessage;
  else if (total === 0) message = 'Nothing to send: no letter is due.';
  else if (done) message = `${sent} of ${total} letter${total === 1 ? '' : 's'} sent${toPrint > 0 ? `, ${toPrint} to print` : ''}.`;
  else message = `${sent} of ${total} sent so far; continuing…`;
  if (notes.length > 0) message += ` ${notes.join('; ')}.`;
  return { runId, sent, failed, remaining, total, done, stoppedBecause, message };
}
