/** Registry entries for letters: the sidebar's letter RPCs and the starter-template menu item. */
import { defineEntry, type EntryPoint } from '../../registry';
import { getLetterPlan, markPackPrinted, resolveUnknown, setExclusion } from '../letters/plan';
import { previewLetter } from '../letters/preview';
import { sendLetters } from '../letters/send';
import { sendTestLetter } from '../letters/testLetter';
import { createLetterTemplates, menuCreateLetterTemplates } from '../letters/starter';

export const LETTER_ENTRIES: EntryPoint[] = [
  defineEntry({
    name: 'getLetterPlan',
    kind: 'rpc',
    description: 'The letters due: who gets which letter, in which language, by email or post, why, and their send status (AO, AL, Admin).',
    params: [],
    returns: { type: 'Object', description: 'LetterPlan: { items, problems, quotaRemaining, unknown }.' },
    run: () => getLetterPlan(),
  }),
  defineEntry({
    name: 'setExclusion',
    kind: 'rpc',
    description: "Leaves a student's due letters out with the Attendance Lead's reason (or includes them again with reason null); logged in the Interventions Log.",
    params: [{ name: 'request', type: 'Object', description: 'SetExclusionRequest: { studentId, reason }.' }],
    returns: { type: 'Object', description: 'LetterPlan after the change.' },
    run: setExclusion,
  }),
  defineEntry({
    name: 'markPackPrinted',
    kind: 'rpc',
    description: 'Marks a print pack printed: its posted letters become sent, are logged in the Interventions Log and shown on the tracker (AL, Admin).',
    params: [{ name: 'request', type: 'Object', description: 'PrintPackRequest: { url }.' }],
    returns: { type: 'Object', description: 'LetterPlan after the change.' },
    run: markPackPrinted,
  }),
  defineEntry({
    name: 'previewLetter',
    kind: 'rpc',
    description: 'One planned letter and its covering email exactly as they would be sent; nothing is created or sent.',
    params: [{ name: 'request', type: 'Object', description: 'PlanItemRequest: { key }.' }],
    returns: { type: 'Object', description: 'LetterPreview: { subject, paragraphs, language, emailHtml }.' },
    run: previewLetter,
  }),
  defineEntry({
    name: 'sendTestLetter',
    kind: 'rpc',
    description: 'Sends one planned letter (PDF and email) to the signed-in member of staff only, as a test; nothing is recorded as sent (AO, AL, Admin).',
    params: [{ name: 'request', type: 'Object', description: 'PlanItemRequest: { key }.' }],
    returns: { type: 'Object', description: 'SendTestLetterResponse: { to, message }.' },
    run: sendTestLetter,
  }),
  defineEntry({
    name: 'sendLetters',
    kind: 'rpc',
    description: 'Sends one bounded batch of letters (PDF by email, or into the print pack), exactly once each; call again with the runId until done (AL, Admin).',
    params: [{ name: 'request', type: 'Object', description: 'SendLettersRequest: { runId } (null starts a run).' }],
    returns: { type: 'Object', description: 'SendLettersResponse: { runId, sent, failed, remaining, total, done, stoppedBecause, message }.' },
    run: sendLetters,
  }),
  defineEntry({
    name: 'resolveUnknown',
    kind: 'rpc',
    description: 'Records the decision about a letter whose send was interrupted: markSent (it is in the Sent folder) or resend.',
    params: [{ name: 'request', type: 'Object', description: 'ResolveUnknownRequest: { key, decision }.' }],
    returns: { type: 'Object', description: 'LetterPlan after the decision.' },
    run: resolveUnknown,
  }),
  defineEntry({
    name: 'menuCreateLetterTemplates',
    kind: 'menu',
    description: "Creates Google Docs starter templates (English and Spanish) for the policy's letters and lists them in Settings → Templates.",
    params: [],
    run: () => menuCreateLetterTemplates(),
  }),
  defineEntry({
    name: 'createLetterTemplates',
    kind: 'rpc',
    description: "Creates English and Spanish starter templates for the policy's letters that have none (Settings → Letter templates; AL, Admin).",
    params: [],
    returns: { type: 'Object', description: 'CreateTemplatesResponse: { created, message }.' },
    run: () => createLetterTemplates(),
  }),
];
