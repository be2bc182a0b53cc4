/**
 * sendTestLetter RPC: "Send a test letter to me" — one planned letter made exactly as the run would
 * make it (document, PDF, covering email), sent only to the signed-in member of staff. It is not a
 * send: nothing goes in the Letters Ledger, the Interventions Log or the tracker, and the letter
 * stays planned. The recipient is never taken from the request (fail closed: a sidebar argument
 * cannot redirect it to a family). YAMM and autoCrat offer the same check (peers.md).
 */
import { conditionsOf, emailBody, renderText, resolveParagraphs } from '../../core/letters';
import { letterName } from '../../core/format';
import { escapeHtml, outboundText } from '../../core/sanitise';
import type { PlanItemRequest, SendTestLetterResponse } from '../../rpcTypes';
import { letterContext } from './context';
import { createLetterDocument } from './letterDoc';
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
  // Missing fields stay visible ({{Review date}}) so the test shows what the run would hold back.
  // The wording this family's history calls for ({{#if …}} blocks), as the real letter would have it.
  const paragraphs = resolveParagraphs(template.paragraphs, conditionsOf(merged.values)).map((p) => renderText(p, merged.values, { missing: 'keep' }));
  const studentName = model.byId.get(entry.studentId)?.student.name ?? '';
  const file = createLetterDocument(`TEST – ${letterDocumentName(entry.letterId, studentName, ctx.today)}`, paragraphs);
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
