/**
 * previewLetter RPC: one planned letter exactly as it would be sent — merged paragraphs and the
 * covering email — without creating a document or sending anything (peers.md §2(b): "wanted: a
 * confirmation step or preview"). A field with no value is left as written ({{Review date}}) so
 * the gap is visible, and the preview says the letter is held back.
 */
import { conditionsOf, emailBody, renderText, resolveParagraphs, type LedgerEntry } from '../../core/letters';
import { escapeHtml } from '../../core/sanitise';
import type { LetterPreview, PlanItemRequest } from '../../rpcTypes';
import { loadSchool } from '../schoolData';
import { letterContext } from './context';
import { readLedger } from './ledgerStore';
import { holdBackReason, mergeValuesFor } from './mergeData';
import { currentPlan } from './plan';
import { letterReference } from './reference';
import { readTemplates, templateKey } from './templates';

export function previewLetter(req: PlanItemRequest): LetterPreview {
  const key = String(req?.key ?? '');
  if (!key) throw new Error('previewLetter needs the key of a planned letter.');
  const ctx = letterContext('planLetters');
  const { model } = loadSchool(ctx.ss, ctx.today, { settings: ctx.settings });
  const ledger = readLedger(ctx.ss);
  let entry: LedgerEntry | undefined = ledger.entries.find((e) => e.key === key);
  if (!entry) {
    const p = currentPlan(model, ctx.settings, ledger.entries).items.find((i) => i.key === key);
    if (p) {
      entry = {
        key: p.key, studentId: p.studentId, letterId: p.letterId, windowKey: p.windowKey, recipient: p.recipient,
        recipientName: p.recipientName, language: p.language, step: p.step, status: 'planned', attempts: 0, updatedAt: '', runId: '',
      };
    }
  }
  if (!entry) throw new Error(`No planned letter with key "${key}": refresh the plan.`);
  const language = entry.language || 'en';
  const templates = readTemplates(ctx.settings.templates, [{ letterId: entry.letterId, language }]);
  if (templates.errors.length > 0) throw new Error(templates.errors.join(' '));
  const template = templates.byKey.get(templateKey(entry.letterId, language));
  if (!template) throw new Error(`There is no template for ${entry.letterId} in ${language} (nor in English): add one in Settings → Templates.`);
  const merged = mergeValuesFor(entry, { model, settings: ctx.settings, staffName: ctx.staffName, today: ctx.today });
  if (!merged.ok) throw new Error(`This letter cannot be previewed: ${merged.reason}.`);
  const paragraphs = resolveParagraphs(template.paragraphs, conditionsOf(merged.values)).map((p) => renderText(p, merged.values, { missing: 'keep' }));
  const mail = emailBody(language, merged.values);
  const held = holdBackReason(template.fields, merged.values);
  const heldHtml = held ? `<p style="color:#b00020"><strong>Held back:</strong> ${escapeHtml(held)}</p>\n` : '';
  return {
    subject: mail.subject,
    paragraphs,
    language,
    emailHtml: `${heldHtml}${mail.html}\n<p style="color:#666;font-size:small">Ref ${escapeHtml(letterReference(entry.key))}</p>`,
  };
}
