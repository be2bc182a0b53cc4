/**
 * MailApp (M1.x): four sendEmail overloads, recipient counting (to + cc + bcc, each address counts),
 * per-message and daily limits, checked in the M1.4 order: arguments → addresses → per-message
 * limits → daily quota. The quota is taken only when the send succeeds.
 */
import { Blob, utf8 } from '../utilities/blob';
import { exception, signatureError } from '../runtime/errors';
import { DailyQuota } from '../runtime/quota';
import type { RenderedDocument } from '../docs/docsModel';
import type { Runtime } from '../runtime/runtime';

export interface SentMail {
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  body: string;
  htmlBody?: string;
  name?: string;
  replyTo?: string;
  from: string;
  attachments: Array<{ name: string | null; contentType: string | null; bytes: Uint8Array; text: string; rendered?: RenderedDocument }>;
  at: Date;
  recipients: number;
}

export const MAIL_LIMITS = {
  consumer: { recipientsPerDay: 100, bodyBytes: 200 * 1024 },
  workspace: { recipientsPerDay: 1500, bodyBytes: 400 * 1024 },
  recipientsPerMessage: 50,
  attachmentsPerMessage: 250,
  attachmentBytes: 25 * 1024 * 1024,
  subjectChars: 250, // INF: the limit behind "Argument too large: subject"
};

const ADDRESS = /^[^\s@,;<>"()]+@[^\s@,;<>"()]+\.[^\s@,;<>"()]+$/;

interface Message {
  to: string;
  cc: string;
  bcc: string;
  replyTo?: string;
  subject: string;
  body: string;
  htmlBody?: string;
  name?: string;
  attachments: unknown[];
}

function parseAddresses(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const named = /<([^>]*)>\s*$/.exec(s); // "Name <a@b.c>"
      return named ? named[1].trim() : s;
    });
}

export class MailBox {
  readonly outbox: SentMail[] = [];
  readonly quota: DailyQuota;
  constructor(private readonly runtime: Runtime) {
    this.quota = new DailyQuota(MAIL_LIMITS[runtime.config.account].recipientsPerDay, () => runtime.clock.nowMs());
  }

  service() {
    const runtime = this.runtime;
    const box = this;
    return {
      getRemainingDailyQuota(): number {
        runtime.gate('MailApp.getRemainingDailyQuota');
        return box.quota.remaining(box.sender());
      },
      sendEmail(...args: unknown[]): void {
        runtime.gate('MailApp.sendEmail');
        box.send(box.normalise(args));
      },
    };
  }

  private sender(): string {
    const exec = this.runtime.current;
    return exec ? exec.effectiveUser || exec.user : this.runtime.owner;
  }

  /** M1.1 overloads. */
  private normalise(args: unknown[]): Message {
    const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
    if (args.length === 1 && args[0] !== null && typeof args[0] === 'object') {
      const m = args[0] as Record<string, unknown>;
      return {
        to: str(m.to), cc: str(m.cc), bcc: str(m.bcc), replyTo: m.replyTo === undefined ? undefined : str(m.replyTo),
        subject: str(m.subject), body: str(m.body), htmlBody: m.htmlBody === undefined ? undefined : str(m.htmlBody),
        name: m.name === undefined ? undefined : str(m.name), attachments: asList(m.attachments),
      };
    }
    if (args.length === 3 && args.every((a) => typeof a === 'string')) {
      return { to: str(args[0]), cc: '', bcc: '', subject: str(args[1]), body: str(args[2]), attachments: [] };
    }
    if (args.length === 4 && args.every((a) => typeof a === 'string')) {
      return { to: str(args[0]), replyTo: str(args[1]), cc: '', bcc: '', subject: str(args[2]), body: str(args[3]), attachments: [] };
    }
    if (args.length === 4 && typeof args[0] === 'string' && typeof args[1] === 'string' && typeof args[2] === 'string' && args[3] !== null && typeof args[3] === 'object') {
      const o = args[3] as Record<string, unknown>;
      return {
        to: args[0], subject: args[1], body: args[2], cc: str(o.cc), bcc: str(o.bcc),
        replyTo: o.replyTo === undefined ? undefined : str(o.replyTo), htmlBody: o.htmlBody === undefined ? undefined : str(o.htmlBody),
        name: o.name === undefined ? undefined : str(o.name), attachments: asList(o.attachments),
      };
    }
    throw signatureError(args, 'MailApp.sendEmail');
  }

  private send(m: Message): void {
    const limits = MAIL_LIMITS;
    const to = parseAddresses(m.to);
    const cc = parseAddresses(m.cc);
    const bcc = parseAddresses(m.bcc);
    const all = [...to, ...cc, ...bcc];
    if (all.length === 0) throw exception('Failed to send email: no recipient');
    for (const a of [...all, ...(m.replyTo ? parseAddresses(m.replyTo) : [])]) {
      if (!ADDRESS.test(a)) throw exception(`Invalid email: ${a}`);
    }
    if (all.length > limits.recipientsPerMessage) throw exception('Limit Exceeded: Email Recipients Per Message.');
    if (m.subject.length > limits.subjectChars) throw exception('Argument too large: subject');
    const bodyBytes = utf8(m.body).length + (m.htmlBody ? utf8(m.htmlBody).length : 0);
    if (bodyBytes > limits[this.runtime.config.account].bodyBytes) throw exception('Limit Exceeded: Email Body Size.');
    const attachments = m.attachments.map((a) => {
      const blob = a instanceof Blob ? a : a && typeof (a as { getBlob?: unknown }).getBlob === 'function' ? (a as { getBlob(): Blob }).getBlob() : null;
      if (!(blob instanceof Blob)) throw signatureError([a], 'MailApp.sendEmail');
      const bytes = new Uint8Array(blob.rawBytes());
      const text = blob.plainText ?? new TextDecoder().decode(bytes);
      return { name: this.runtime.direct(() => blob.getName()), contentType: this.runtime.direct(() => blob.getContentType()), bytes, text, ...(blob.rendered ? { rendered: blob.rendered } : {}) };
    });
    if (attachments.length > limits.attachmentsPerMessage) throw exception('Limit Exceeded: Email Attachments Per Message.'); // INF text
    if (attachments.reduce((n, a) => n + a.bytes.length, 0) > limits.attachmentBytes) throw exception('Limit Exceeded: Email Total Attachments Size.');
    const from = this.sender();
    if (!this.quota.take(from, all.length)) throw exception('Service invoked too many times for one day: email.');
    this.outbox.push({
      to: m.to, cc: m.cc, bcc: m.bcc, subject: m.subject, body: m.body,
      ...(m.htmlBody !== undefined ? { htmlBody: m.htmlBody } : {}),
      ...(m.name !== undefined ? { name: m.name } : {}),
      ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
      from, attachments, at: this.runtime.clock.now(), recipients: all.length,
    });
  }
}

function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
