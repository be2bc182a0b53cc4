/**
 * previewLetter RPC: one planned letter exactly as it would be sent — merged paragraphs and the
 * covering email — without creating a document or sending anything (peers.md §2(b): "wanted: a
 * confirmation step or preview"). A field with no value is left as written ({{Review date}}) so
 * the gap is visible, and the preview says the letter is held back.
 */
import { conditionsOf, emailBody, renderText, resolveParagraphs } from '../../core/letters';
import { languageName, letterName } from '../../core/format';
import { escapeHtml } from '../../core/sanitise';
import type { LetterPreview, PlanItemRequest } from '../../rpcTypes';
import { letterContext } from './context';
import { holdBackReason, mergeValuesFor } from './mergeData';
import { plannedEntry } from './plan';
import { letterReference } from './reference';
import { readTemplates, templateKey } from './templates';

export function previewLetter(req: PlanItemRequest): LetterPreview {
  const key = String(req?.key ?? '');
  if (!key) throw new Error('previewLetter needs the key of a planned letter.');
  const ctx = letterContext('planLetters');
  const { model, entry } = plannedEntry(ctx, key);
  if (!entry) throw new Error('That letter is no longer in the plan: refresh the plan.');
  const language = entry.language || 'en';
  const templates = readTemplates(ctx.settings.templates, [{ letterId: entry.letterId, language }]);
  if (templates.errors.length > 0) throw new Error(templates.errors.join(' '));
  const template = templates.byKey.get(templateKey(entry.letterId, language));
  if (!template) throw new Error(`There is no template for ${letterName(entry.letterId)} in ${languageName(language)} (nor in English): add one in Settings → Templates.`);
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
