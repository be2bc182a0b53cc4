/**
 * sendTestLetter RPC: "Send a test letter to me" — one planned letter made exactly as the run would
 * make it (document, PDF, covering email), sent only to the signed-in member of staff. It is not a
 * send: nothing goes in the Letters Ledger, the Interventions Log or the tracker, and the letter
 * stays planned. The recipient is never taken from the request (fail closed: a sidebar argument
 * cannot redirect it to a family). YAMM and autoCrat offer the same check (peers.md).
 */
import { emailBody, type LedgerEntry } from '../../core/letters';
import { letterName } from '../../core/format';
import { escapeHtml, outboundText } from '../../core/sanitise';
import type { PlanItemRequest, SendTestLetterResponse } from '../../rpcTypes';
import { letterContext } from './context';
import { addOnCanCopy, buildMaster, createLetterDocument } from './letterDoc';
import { readLedger } from './ledgerStore';
import { holdBackReason, mergeValuesFor } from './mergeData';
import { plannedEntry } from './plan';
import { letterDocumentName } from './reference';
import { readTemplates, templateKey } from './templates';

export const TEST_SUBJECT_PREFIX = '[TEST – not sent to the family] ';

export function sendTestLetter(req: PlanItemRequest): SendTestLetterResponse {
  const key = typeof req?.key === 'string' ? req.key : '';
  if (!key) throw new Error('Choose a planned letter to send yourself a test of.');
  const ctx = letterContext('planLetters');
  const to = String(ctx.actor.email ?? '').trim();
  if (!to) throw new Error('Google did not tell the add-on who you are, so there is nowhere to send the test letter. Open the sidebar again from the menu.');
  const { model, entry } = plannedEntry(ctx, key);
  if (!entry) throw new Error('That letter is no longer in the plan: refresh the plan.');
  const language = entry.language || 'en';
  const templates = readTemplates(ctx.settings.templates, [{ letterId: entry.letterId, language }]);
  if (templates.errors.length > 0) throw new Error(templates.errors.join(' '));
  const template = templates.byKey.get(templateKey(entry.letterId, language));
  if (!template) throw new Error(`There is no template for ${letterName(entry.letterId)}: add one in Settings → Templates.`);
  const merged = mergeValuesFor(entry, { model, settings: ctx.settings, staffName: ctx.staffName, today: ctx.today });
  if (!merged.ok) throw new Error(`This letter cannot be made yet: ${merged.reason}.`);
  if (MailApp.getRemainingDailyQuota() < 1) throw new Error('The email quota for today is used up, so the test letter was not sent. Try again when the quota resets.');
  // Made as the run makes it (a copy of the template, filled with replaceText, keeping its formatting);
  // missing fields stay visible ({{Review date}}) so the test shows what the run would hold back.
  const values = merged.values;
  const has = (f: string) => (values[f] ?? '') !== '';
  const fill = { fieldsIn: { body: template.fieldsIn.body.filter(has), header: template.fieldsIn.header.filter(has), footer: template.fieldsIn.footer.filter(has) }, paragraphs: template.paragraphs, header: template.header, footer: template.footer };
  const studentName = model.byId.get(entry.studentId)?.student.name ?? '';
  const templateId = template.ref.docId;
  const ownCopy = addOnCanCopy(templateId) ? null : buildMaster(templateId, `Template copy – test letter – ${ctx.today}`, null);
  const made: string[] = ownCopy ? [ownCopy] : [];
  let pdf: GoogleAppsScript.Base.Blob;
  try {
    const file = createLetterDocument(ownCopy ?? templateId, `TEST – ${letterDocumentName(entry.letterId, studentName, ctx.today)}`, null, fill, values, true);
    made.push(file.id);
    pdf = file.pdf!;
  } finally {
    // A test leaves no document behind; removed before the email, so sending is the last thing the
    // call does (a time-out after it would make the person press again and get two tests).
    trashQuietly(made);
  }
  return sendTest(ctx, to, entry, language, values, template.fields, studentName, pdf);
}

function trashQuietly(ids: readonly string[]): void {
  for (const id of ids) {
    try {
      Drive!.Files!.update({ trashed: true }, id);
    } catch {
      /* the test was sent; a copy left in the sender's Drive is harmless */
    }
  }
}

function sendTest(ctx: ReturnType<typeof letterContext>, to: string, entry: LedgerEntry, language: string, values: Record<string, string>, fields: string[], studentName: string, pdf: GoogleAppsScript.Base.Blob): SendTestLetterResponse {
  const merged = { values };
  const file = { pdf };
  const template = { fields };
  const mail = emailBody(language, merged.values);
  const held = holdBackReason(template.fields, merged.values);
  const note = `This is a test: the family did not receive it, and the letter is still planned.${held ? ` The run would hold it back: ${held}.` : ''}`;
  const family = entry.recipient === 'post' ? 'the print pack (post)' : entry.recipient;
  MailApp.sendEmail({
    to,
    // No control character leaves the add-on.
    subject: outboundText(`${TEST_SUBJECT_PREFIX}${mail.subject}`).replace(/\n/g, ' '),
    body: outboundText(`${note}\nIt would go to ${family}.\n\n${mail.text}`),
    htmlBody: outboundText(`<p style="color:#b00020"><strong>${escapeHtml(note)}</strong><br>It would go to ${escapeHtml(family)}.</p>\n${mail.html}`),
    name: outboundText(ctx.settings.senderName).replace(/\n/g, ' '),
    attachments: [file.pdf],
  });
  return { to, message: `A test of ${letterName(entry.letterId)} for ${studentName || 'this pupil'} was sent to ${to}. Nothing was recorded as sent.` };
}
