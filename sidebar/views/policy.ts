/// <reference lib="dom" />
/**
 * Policy tab (issue 15; Attendance Lead and Admin — the server checks the role on every call):
 * the school's attendance policy without code. Start from the policy in force, a preset or an
 * imported file; edit the steps (name, entry conditions and thresholds, the "no improvement" jump,
 * owner, actions and letters, review period in school days, contact deadline, de-escalation) and the
 * code table; "Check and preview" validates the draft on the server (problems name the field) and
 * shows its impact on today's data — pupils moving between steps and letters becoming due, names on
 * demand — before "Save" is offered. Saving makes a new version from today and recalculates.
 */
import type { PolicyDraft, PolicyEditorView, PolicyImpact, PolicyPreviewResponse, PolicyProblem } from '../../src/rpcTypes';
import type { Condition, Step, StepAction } from '../../src/core/policy/schema';
import { ACTION_KINDS } from '../../src/core/policy/schema';
import { CONDITION_NAMES, describeCondition, unitOf } from '../../src/core/policy/words';
import type { CodeCategory } from '../../src/core/types';
import { call } from '../rpc';
import { announce, busy, button, field, h, plural, replace, select } from '../dom';
import type { App, View } from './app';

const CATEGORY_LABELS: Record<CodeCategory, string> = {
  present: 'Present',
  aea: 'Approved activity (attending)',
  authorised: 'Authorised / excused',
  unauthorised: 'Unauthorised / unexcused',
  notPossible: 'Not possible',
};

const ACTION_LABELS: Record<(typeof ACTION_KINDS)[number], string> = {
  conversation: 'Conversation',
  call: 'Phone call',
  letter: 'Letter',
  meeting: 'Meeting',
  homeVisit: 'Home visit',
  referral: 'Referral',
  email: 'Email',
};

type Kind = Condition['kind'];

/** The number fields of each condition kind: [field, label, required]. */
const CONDITION_FIELDS: Record<Kind, [string, string, boolean][]> = {
  attendanceBelow: [['percent', 'Below (%)', true], ['sinceStep', 'Only since step (optional)', false]],
  attendanceAtOrAbove: [['percent', 'At or above (%)', true]],
  absenceRateAtLeast: [['percent', 'Absence at least (%)', true]],
  unauthorisedAtLeast: [['sessions', 'At least', true], ['withinSchoolDays', 'In the last … school days (optional)', false]],
  unverifiedAtLeast: [['sessions', 'At least', true]],
  unexcusedAtLeast: [['sessions', 'At least (count)', false], ['percentOfPossible', 'or at least (% of possible)', false], ['sinceStep', 'Only since step (optional)', false]],
  consecutiveUnauthorisedAtLeast: [['sessions', 'At least', true]],
  anyAbsence: [],
  noImprovementSinceStep: [['step', 'By the review of step', true], ['whileBelowPercent', 'Only while attendance since and overall is below (%) (optional)', false]],
  reviewPassed: [['step', 'Review of step', true]],
  failedToAttendMeeting: [['atOrAfterStep', 'At step or later (optional)', false]],
  penaltyThresholdReached: [],
  brokenWeeks: [['count', 'Weeks with an absence, at least', true], ['withinSchoolDays', 'In the last … school days', true]],
  persistentAbsence: [],
  severeAbsence: [],
  atStep: [['step', 'Step', true]],
  anyOf: [],
  allOf: [],
};

function defaultCondition(kind: Kind, stepNumber: number): Condition {
  const previous = Math.max(1, stepNumber - 1);
  switch (kind) {
    case 'attendanceBelow': case 'attendanceAtOrAbove': return { kind, percent: 90 };
    case 'absenceRateAtLeast': return { kind, percent: 10 };
    case 'unauthorisedAtLeast': case 'unverifiedAtLeast': case 'consecutiveUnauthorisedAtLeast': return { kind, sessions: 5 };
    case 'unexcusedAtLeast': return { kind, sessions: 5 };
    case 'noImprovementSinceStep': case 'reviewPassed': case 'atStep': return { kind, step: previous };
    case 'brokenWeeks': return { kind, count: 2, withinSchoolDays: 20 };
    case 'anyOf': case 'allOf': return { kind, conditions: [{ kind: 'anyAbsence' }] };
    default: return { kind } as Condition;
  }
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The "no improvement" jump of step n: no improvement by the previous step's review. */
function jumpIndex(entry: Condition, n: number): number {
  if (entry.kind !== 'anyOf') return -1;
  return entry.conditions.findIndex((c) => c.kind === 'noImprovementSinceStep' && c.step === n - 1);
}

/** The attendance threshold of the nearest step up to n with one (the concern a jump keeps to), if any. */
function concernPercent(steps: readonly Step[], n: number): number | undefined {
  const below = (c: Condition): number | undefined =>
    c.kind === 'attendanceBelow' && c.sinceStep === undefined ? c.percent : c.kind === 'anyOf' ? c.conditions.map(below).find((p) => p !== undefined) : undefined;
  for (let k = n; k >= 1; k--) {
    const percent = steps[k - 1] ? below(steps[k - 1]!.entry) : undefined;
    if (percent !== undefined) return percent;
  }
  return undefined;
}

function setJump(step: Step, on: boolean, steps: readonly Step[]): void {
  const n = step.number;
  const at = jumpIndex(step.entry, n);
  if (on && at < 0) {
    // "No improvement" only while attendance since is below the concern of the step reviewed.
    const percent = concernPercent(steps, n - 1);
    const jump: Condition = percent === undefined ? { kind: 'noImprovementSinceStep', step: n - 1 } : { kind: 'noImprovementSinceStep', step: n - 1, whileBelowPercent: percent };
    step.entry = step.entry.kind === 'anyOf' ? { kind: 'anyOf', conditions: [...step.entry.conditions, jump] } : { kind: 'anyOf', conditions: [step.entry, jump] };
  } else if (!on && at >= 0 && step.entry.kind === 'anyOf') {
    const rest = step.entry.conditions.filter((_, i) => i !== at);
    step.entry = rest.length === 1 ? rest[0]! : { kind: 'anyOf', conditions: rest };
  }
}

/** Step references inside a condition, renumbered (a moved step keeps the steps it refers to). */
function remapRefs(c: Condition, map: (n: number) => number): void {
  const any = c as unknown as Record<string, unknown>;
  for (const key of ['step', 'sinceStep', 'atOrAfterStep']) if (typeof any[key] === 'number') any[key] = map(any[key] as number);
  if (c.kind === 'anyOf' || c.kind === 'allOf') c.conditions.forEach((x) => remapRefs(x, map));
}

export function mountPolicy(panel: HTMLElement, _app: App): View {
  let loaded = false;
  let view: PolicyEditorView | null = null;
  let draft: PolicyDraft | null = null;
  /** For each draft step, the step of the policy in force it came from (null: new). */
  let origins: (number | null)[] = [];
  let previewed: string | null = null;

  const intro = h('p', { class: 'muted', 'data-testid': 'policy-source' }, 'Loading…');
  const problemBox = h('div', { 'data-testid': 'policy-problem' });
  const editor = h('div', { 'data-testid': 'policy-editor' });
  const results = h('div', { 'data-testid': 'policy-results', 'aria-live': 'polite' });
  const historyBox = h('div', { 'data-testid': 'policy-history' });
  const exportLink = h('a', { 'data-testid': 'policy-export', download: 'policy.json', href: '#' }, 'Download the policy in force (JSON)');
  const presetSelect = select([], { 'data-testid': 'policy-preset' });
  const fileInput = h('input', { type: 'file', accept: '.json,application/json', 'data-testid': 'policy-import-file' }) as HTMLInputElement;
  const previewButton = h('button', { type: 'button', class: 'secondary', 'data-testid': 'policy-preview' }, 'Check and preview impact');
  const saveButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'policy-save', disabled: true }, 'Save');

  const usePreset = button('Start from this preset', () => {
    const preset = view?.presets.find((p) => p.id === presetSelect.value);
    if (!preset || !view) return;
    loadDraft(clone(preset.draft), 'positional');
    announce(`Editing a copy of the preset “${preset.label}”. Nothing changes until you save.`, 'info');
  }, { 'data-testid': 'policy-use-preset' });

  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    void busy(null, async () => {
      const text = await file.text();
      const result = await call('importPolicyFile', { fileName: file.name, text });
      fileInput.value = '';
      if (!result.ok || !result.draft) {
        showProblems(result.problems, `The file ${file.name} was not imported:`);
        announce(`The file ${file.name} is not a valid policy file; nothing was changed.`, 'error');
        return;
      }
      loadDraft(result.draft, 'positional');
      announce(`Imported ${file.name}. Check and preview it, then save to put it in force.`, 'info');
    });
  });

  previewButton.addEventListener('click', () => void busy(previewButton, async () => {
    if (!draft) return;
    const snapshot = JSON.stringify({ draft, origins });
    const response = await call('previewPolicy', { draft, origins, baseVersion: view?.version });
    showPreview(response);
    previewed = response.ok && response.changes.length > 0 ? snapshot : null;
    saveButton.disabled = previewed === null;
    if (response.ok && response.changes.length === 0) announce('This is the policy in force: nothing to save.', 'info');
    else if (response.ok) announce('Checked. Review the impact, then save.', 'success');
    else announce(`${plural(response.problems.length, 'problem')} to fix before saving.`, 'error');
  }));

  let saveKey: { form: string | null; key: string } | null = null;
  saveButton.addEventListener('click', () => void busy(saveButton, async () => {
    if (!draft || previewed !== JSON.stringify({ draft, origins })) {
      saveButton.disabled = true;
      announce('The policy changed since the preview: check and preview it again first.', 'error');
      return;
    }
    // One key per previewed form: pressing Save again after a lost answer finishes that save, never a second version.
    const formKey = previewed;
    if (saveKey === null || saveKey.form !== formKey) saveKey = { form: formKey, key: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` };
    const response = await call('savePolicy', { draft, origins, baseVersion: view?.version, requestKey: saveKey.key });
    if (!response.ok) {
      showProblems(response.problems, 'The policy was not saved:');
      announce(response.message, 'error');
      return;
    }
    render(response.editor);
    replace(results, h('p', { class: 'note', 'data-testid': 'policy-saved' }, response.message));
    announce(response.message, 'success');
  }));

  replace(panel,
    h('h2', null, 'Attendance policy'),
    intro, problemBox,
    h('div', { class: 'card' },
      h('h3', null, 'Start from'),
      field('A preset', presetSelect),
      h('div', { class: 'actions' }, usePreset),
      field('Or import a policy file', fileInput, 'A file exported from this or another school (JSON).'),
      h('p', null, exportLink)),
    editor,
    h('div', { class: 'actions sticky-actions' }, previewButton, saveButton),
    results,
    h('h3', null, 'Changes so far'),
    historyBox);

  /** Any edit: the preview no longer matches the draft. */
  function edited(): void {
    if (previewed !== null) {
      previewed = null;
      saveButton.disabled = true;
    }
  }

  function loadDraft(next: PolicyDraft, mapping: 'same' | 'positional'): void {
    draft = next;
    const inForce = view?.draft.policy.steps.length ?? 0;
    origins = next.policy.steps.map((_, i) => (mapping === 'same' || i < inForce ? i + 1 : null));
    previewed = null;
    saveButton.disabled = true;
    replace(results);
    renderEditor();
  }

  function render(v: PolicyEditorView): void {
    view = v;
    loaded = true;
    const current = v.history[0];
    replace(intro, v.source === 'school'
      ? `In force: ${v.draft.policy.label} — version ${v.version}${current ? `, from ${current.inForceFrom}` : ''}. Changes apply from the day they are saved (${v.today}); past steps and letters keep the policy that was in force.`
      : `In force: the preset “${v.draft.policy.label}”. Edit it below; your changes apply from the day you save them (${v.today}).`);
    replace(problemBox, v.problem ? h('p', { class: 'note' }, v.problem) : null);
    replace(presetSelect, ...v.presets.map((p) => h('option', { value: p.id }, p.label)));
    presetSelect.value = v.draft.policy.id in Object.fromEntries(v.presets.map((p) => [p.id, 1])) ? v.draft.policy.id : v.presets[0]?.id ?? '';
    exportLink.setAttribute('href', `data:application/json;charset=utf-8,${encodeURIComponent(v.fileText)}`);
    exportLink.setAttribute('download', v.fileName);
    replace(historyBox, v.history.length === 0
      ? h('p', { class: 'muted' }, 'No changes yet: the preset is in force as shipped.')
      : v.history.map((version) => h('details', { class: 'card', 'data-testid': 'policy-version' },
        h('summary', null, version.version === 0 ? 'Before version 1 (the preset)' : `Version ${version.version}, from ${version.inForceFrom} — ${version.savedBy}`),
        version.saved ? h('p', { class: 'muted' }, `Saved ${version.saved}`) : null,
        h('ul', null, version.changes.map((c) => h('li', null, c))))));
    loadDraft(clone(v.draft), 'same');
  }

  // ---------------------------------------------------------------- the editor

  function renumber(permutation: (number | null)[]): void {
    // permutation[i] = the old number of new step i+1 (null: new).
    if (!draft) return;
    const toNew = new Map<number, number>();
    permutation.forEach((old, i) => { if (old !== null) toNew.set(old, i + 1); });
    draft.policy.steps.forEach((step, i) => {
      step.number = i + 1;
      step.label = step.label.replace(/^Step\s+\d+/i, `Step ${i + 1}`);
      remapRefs(step.entry, (n) => toNew.get(n) ?? n);
    });
    if (draft.policy.deescalation) draft.policy.deescalation.afterStep = toNew.get(draft.policy.deescalation.afterStep) ?? draft.policy.deescalation.afterStep;
  }

  function moveStep(i: number, by: -1 | 1): void {
    if (!draft) return;
    const steps = draft.policy.steps;
    const j = i + by;
    if (j < 0 || j >= steps.length) return;
    const order = steps.map((s) => s.number as number | null);
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
    [origins[i], origins[j]] = [origins[j]!, origins[i]!];
    [order[i], order[j]] = [order[j]!, order[i]!];
    renumber(order);
    edited();
    renderEditor();
  }

  function removeStep(i: number): void {
    if (!draft) return;
    const order = draft.policy.steps.map((s) => s.number as number | null);
    draft.policy.steps.splice(i, 1);
    origins.splice(i, 1);
    order.splice(i, 1);
    renumber(order);
    edited();
    renderEditor();
  }

  function addStep(): void {
    if (!draft) return;
    const n = draft.policy.steps.length + 1;
    draft.policy.steps.push({
      number: n,
      label: `Step ${n} – New step`,
      owner: draft.policy.steps[n - 2]?.owner ?? 'AO',
      actions: [{ kind: 'meeting', description: 'Describe what staff do at this step' }],
      entry: { kind: 'noImprovementSinceStep', step: Math.max(1, n - 1) },
      reviewSchoolDays: 10,
    });
    origins.push(null);
    edited();
    renderEditor();
  }

  function numberInput(value: number | undefined, onValue: (v: number | undefined) => void, attrs: Record<string, string> = {}): HTMLInputElement {
    const input = h('input', { type: 'number', step: 'any', inputmode: 'decimal', value: value === undefined ? '' : String(value), ...attrs }) as HTMLInputElement;
    input.addEventListener('input', () => {
      const text = input.value.trim();
      onValue(text === '' ? undefined : Number(text));
      edited();
    });
    return input;
  }

  function textInput(value: string, onValue: (v: string) => void, attrs: Record<string, string> = {}): HTMLInputElement {
    const input = h('input', { type: 'text', value, ...attrs }) as HTMLInputElement;
    input.addEventListener('input', () => { onValue(input.value); edited(); });
    return input;
  }

  /** One condition, editable; `replaceWith` swaps it in its parent (kind changes). */
  function conditionEditor(c: Condition, stepNumber: number, replaceWith: (next: Condition) => void, remove: (() => void) | null, testId: string): HTMLElement {
    const kind = select(Object.entries(CONDITION_NAMES).map(([value, label]) => ({ value, label })), { 'data-testid': `${testId}-kind` });
    kind.value = c.kind;
    kind.addEventListener('change', () => { replaceWith(defaultCondition(kind.value as Kind, stepNumber)); edited(); renderEditor(); });
    const box = h('div', { class: 'condition', 'data-testid': testId });
    const fields: HTMLElement[] = CONDITION_FIELDS[c.kind].map(([name, label, required]) => {
      const record = c as unknown as Record<string, unknown>;
      const input = numberInput(record[name] as number | undefined, (v) => {
        if (v === undefined && !required) delete record[name];
        else record[name] = v === undefined ? null : v;
      }, { 'data-testid': `${testId}-${name}` });
      return field(label, input);
    });
    if (c.kind === 'unauthorisedAtLeast') {
      const term = h('input', { type: 'checkbox', checked: Boolean(c.withinCurrentTerm), 'data-testid': `${testId}-withinCurrentTerm` }) as HTMLInputElement;
      term.addEventListener('change', () => { if (term.checked) c.withinCurrentTerm = true; else delete c.withinCurrentTerm; edited(); });
      fields.push(h('label', { class: 'check' }, term, ' This term only'));
    }
    const children = (c.kind === 'anyOf' || c.kind === 'allOf')
      ? h('div', { class: 'conditions' },
        c.conditions.map((child, i) => conditionEditor(child, stepNumber, (next) => { c.conditions[i] = next; }, c.conditions.length > 1 ? () => { c.conditions.splice(i, 1); edited(); renderEditor(); } : null, `${testId}-c${i + 1}`)),
        button('Add a condition', () => { c.conditions.push({ kind: 'attendanceBelow', percent: 90 }); edited(); renderEditor(); }, { class: 'link', 'data-testid': `${testId}-add` }))
      : null;
    replace(box, field('Condition', kind), ...fields, children, remove ? button('Remove this condition', () => remove(), { class: 'link' }) : null);
    return box;
  }

  function actionEditor(step: Step, action: StepAction, i: number, testId: string): HTMLElement {
    const kind = select(ACTION_KINDS.map((k) => ({ value: k, label: ACTION_LABELS[k] })), { 'data-testid': `${testId}-kind` });
    kind.value = action.kind;
    kind.addEventListener('change', () => {
      action.kind = kind.value as StepAction['kind'];
      if (action.kind !== 'letter') delete action.letterId;
      else action.letterId = action.letterId ?? '';
      edited();
      renderEditor();
    });
    const description = textInput(action.description, (v) => { action.description = v; }, { 'data-testid': `${testId}-description` });
    const letter = action.kind === 'letter'
      ? field('Letter (template name)', textInput(action.letterId ?? '', (v) => { action.letterId = v; }, { 'data-testid': `${testId}-letter` }), 'The letter’s name in Settings → Letter templates, e.g. letter1.')
      : null;
    return h('div', { class: 'subcard' },
      field(`Action ${i + 1}`, kind), field('What staff do', description), letter,
      step.actions.length > 1 ? button('Remove this action', () => { step.actions.splice(i, 1); edited(); renderEditor(); }, { class: 'link' }) : null);
  }

  function stepEditor(step: Step, i: number): HTMLElement {
    const id = `policy-step-${i + 1}`;
    const unit = unitOf(draft!.policy.sessionsPerDay);
    const summaryText = h('span', null, step.label);
    const details = h('details', { class: 'card', 'data-testid': id }) as HTMLDetailsElement;
    const name = textInput(step.label, (v) => { step.label = v; replace(summaryText, v); }, { 'data-testid': `${id}-name` });
    const owner = textInput(step.owner, (v) => { step.owner = v; }, { 'data-testid': `${id}-owner` });
    const review = numberInput(step.reviewSchoolDays, (v) => { (step as { reviewSchoolDays: number | null }).reviewSchoolDays = v ?? null; }, { 'data-testid': `${id}-review` });
    const contact = numberInput(step.contactWithinSchoolDays, (v) => { if (v === undefined) delete step.contactWithinSchoolDays; else step.contactWithinSchoolDays = v; }, { 'data-testid': `${id}-contact` });
    const jump = h('input', { type: 'checkbox', checked: jumpIndex(step.entry, step.number) >= 0, disabled: step.number === 1, 'data-testid': `${id}-jump` }) as HTMLInputElement;
    jump.addEventListener('change', () => { setJump(step, jump.checked, draft!.policy.steps); edited(); renderEditor(); });
    const note = h('textarea', { rows: 2, 'data-testid': `${id}-note` }, step.note ?? '') as HTMLTextAreaElement;
    note.addEventListener('input', () => { if (note.value.trim()) step.note = note.value; else delete step.note; edited(); });
    details.open = openSteps.has(i);
    details.addEventListener('toggle', () => { if (details.open) openSteps.add(i); else openSteps.delete(i); });
    replace(details,
      h('summary', { 'data-testid': `${id}-summary` }, summaryText, origins[i] === null ? h('span', { class: 'muted' }, ' (new)') : null),
      field('Name', name),
      h('p', { class: 'muted wrap' }, `Entered when ${describeCondition(step.entry, unit)}.`),
      h('h4', null, 'Entry conditions'),
      conditionEditor(step.entry, step.number, (next) => { step.entry = next; }, null, `${id}-entry`),
      h('label', { class: 'check' }, jump, step.number === 1 ? ' Jump rule (not for the first step)' : ` Jump here when there is no improvement by Step ${step.number - 1}’s review`),
      h('h4', null, 'Actions'),
      step.actions.map((a, j) => actionEditor(step, a, j, `${id}-action-${j + 1}`)),
      button('Add an action', () => { step.actions.push({ kind: 'call', description: 'Phone call home' }); edited(); renderEditor(); }, { class: 'link', 'data-testid': `${id}-add-action` }),
      field('Owner', owner, 'Who does it, in your school’s words: Tutor, AO/HOY, AL…'),
      h('div', { class: 'inline-fields' }, field('Review after (school days)', review), field('Contact within (school days)', contact)),
      field('Why (source in your procedure)', note),
      h('div', { class: 'actions' },
        button('Move up', () => moveStep(i, -1), { disabled: i === 0, 'data-testid': `${id}-up` }),
        button('Move down', () => moveStep(i, 1), { disabled: i === draft!.policy.steps.length - 1, 'data-testid': `${id}-down` }),
        button('Remove step', () => removeStep(i), { 'data-testid': `${id}-remove` })));
    return details;
  }

  const openSteps = new Set<number>();

  function codeTableEditor(): HTMLElement {
    const table = draft!.codeTable;
    const rows = table.codes.map((c, i) => {
      const category = select(Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })), { 'aria-label': `Category of code ${c.code || i + 1}`, 'data-testid': `policy-code-${i + 1}-category` });
      category.value = c.category;
      category.addEventListener('change', () => { c.category = category.value as CodeCategory; edited(); });
      const flag = (name: 'unverified' | 'unexcused', label: string) => {
        const box = h('input', { type: 'checkbox', checked: Boolean(c[name]), 'aria-label': `${label}: ${c.code}` }) as HTMLInputElement;
        box.addEventListener('change', () => { if (box.checked) c[name] = true; else delete c[name]; edited(); });
        return h('label', { class: 'check' }, box, ` ${label}`);
      };
      return h('div', { class: 'subcard', 'data-testid': `policy-code-${i + 1}` },
        h('div', { class: 'inline-fields' },
          field('Code', textInput(c.code, (v) => { c.code = v.trim().toUpperCase(); }, { 'data-testid': `policy-code-${i + 1}-code`, maxlength: '8' })),
          field('Counts as', category)),
        field('Meaning', textInput(c.meaning, (v) => { c.meaning = v; }, { 'data-testid': `policy-code-${i + 1}-meaning` })),
        flag('unverified', 'Unverified'), flag('unexcused', 'Unexcused'),
        button('Remove', () => { table.codes.splice(i, 1); edited(); renderEditor(); }, { class: 'link' }));
    });
    const details = h('details', { class: 'card', 'data-testid': 'policy-codes' },
      h('summary', null, `Attendance codes (${table.codes.length})`),
      h('p', { class: 'muted' }, 'Renaming a code the Register already uses is refused on save: pupils with that mark could no longer be evaluated.'),
      rows,
      button('Add a code', () => { table.codes.push({ code: '', category: 'unauthorised', meaning: '' }); edited(); renderEditor(); codesOpen = true; }, { class: 'link', 'data-testid': 'policy-add-code' })) as HTMLDetailsElement;
    details.open = codesOpen;
    details.addEventListener('toggle', () => { codesOpen = details.open; });
    return details;
  }
  let codesOpen = false;

  function deescalationEditor(): HTMLElement {
    const policy = draft!.policy;
    const on = h('input', { type: 'checkbox', checked: Boolean(policy.deescalation), 'data-testid': 'policy-deescalation-on' }) as HTMLInputElement;
    on.addEventListener('change', () => {
      if (on.checked) policy.deescalation = { afterStep: policy.steps.length, schoolDaysWithoutUnexcused: 20, minAttendancePercent: 90 };
      else delete policy.deescalation;
      edited();
      renderEditor();
    });
    const d = policy.deescalation;
    return h('div', { class: 'card', 'data-testid': 'policy-deescalation' },
      h('h3', null, 'De-escalation'),
      h('label', { class: 'check' }, on, ' A pupil leaves the ladder after enough clean school days'),
      d ? h('div', null,
        field('After step', numberInput(d.afterStep, (v) => { (d as { afterStep: number | null }).afterStep = v ?? null; }, { 'data-testid': 'policy-deescalation-step' })),
        field('School days with no unexcused absence', numberInput(d.schoolDaysWithoutUnexcused, (v) => { (d as { schoolDaysWithoutUnexcused: number | null }).schoolDaysWithoutUnexcused = v ?? null; })),
        field('Attendance at least (%)', numberInput(d.minAttendancePercent, (v) => { (d as { minAttendancePercent: number | null }).minAttendancePercent = v ?? null; })))
        : h('p', { class: 'muted' }, 'Off: a pupil stays at the step reached.'));
  }

  function renderEditor(): void {
    if (!draft) return;
    const policy = draft.policy;
    const label = textInput(policy.label, (v) => { policy.label = v; }, { 'data-testid': 'policy-label' });
    const windowSelect = select([{ value: 'term', label: 'Once per term' }, { value: 'academicYear', label: 'Once per academic year' }], { 'data-testid': 'policy-letter-window' });
    windowSelect.value = policy.letterWindow;
    windowSelect.addEventListener('change', () => { policy.letterWindow = windowSelect.value as 'term' | 'academicYear'; edited(); });
    replace(editor,
      h('div', { class: 'card' },
        h('h3', null, 'Policy'),
        field('Name', label),
        field('Each letter at most', windowSelect),
        h('p', { class: 'muted' }, policy.sessionsPerDay === 1 ? 'Register: one session a day.' : 'Register: two sessions a day (AM and PM).')),
      h('h3', null, `Steps (${policy.steps.length})`),
      h('p', { class: 'muted' }, 'A pupil is placed on the highest step whose entry conditions hold (jumping is the rule), never below a step already reached.'),
      policy.steps.map((s, i) => stepEditor(s, i)),
      button('Add a step', addStep, { 'data-testid': 'policy-add-step' }),
      deescalationEditor(),
      codeTableEditor());
  }

  // ---------------------------------------------------------------- results

  function showProblems(problems: PolicyProblem[], heading: string): void {
    replace(results, h('div', { class: 'card', role: 'alert', 'data-testid': 'policy-problems' },
      h('h3', null, heading),
      h('ul', null, problems.map((p) => h('li', { class: 'error-text' }, p.message)))));
  }

  function namesToggle(students: { name: string; yearGroup: string; tutorGroup: string }[], testId: string): HTMLElement {
    const list = h('ul', { hidden: true, 'data-testid': `${testId}-names` }, students.map((s) => h('li', null, `${s.name} (${[s.yearGroup && `Year ${s.yearGroup}`, s.tutorGroup].filter(Boolean).join(', ')})`)));
    const toggle = button('Show names', () => {
      list.hidden = !list.hidden;
      toggle.textContent = list.hidden ? 'Show names' : 'Hide names';
      toggle.setAttribute('aria-expanded', String(!list.hidden));
    }, { class: 'link', 'aria-expanded': 'false', 'data-testid': `${testId}-show` });
    return h('div', null, toggle, list);
  }

  function impactView(impact: PolicyImpact): HTMLElement {
    const moved = impact.moves.reduce((n, m) => n + m.students.length, 0);
    const newly = impact.lettersNewlyDue.reduce((n, l) => n + l.students.length, 0);
    return h('div', { class: 'card', 'data-testid': 'policy-impact' },
      h('h3', null, 'Impact on today’s data'),
      h('p', { 'data-testid': 'policy-impact-summary' },
        `${plural(moved, 'pupil')} would move between steps; ${plural(newly, 'letter')} would become due; ${impact.unchanged} of ${impact.evaluated} pupils are unchanged.`),
      impact.moves.length ? h('h4', null, 'Moving between steps') : null,
      impact.moves.map((m, i) => h('div', { class: 'subcard', 'data-testid': `policy-move-${i + 1}` },
        h('p', null, `${m.fromLabel} → ${m.toLabel}: `, h('strong', { 'data-testid': `policy-move-${i + 1}-count` }, plural(m.students.length, 'pupil'))),
        namesToggle(m.students, `policy-move-${i + 1}`))),
      impact.lettersNewlyDue.length ? h('h4', null, 'Letters that would become due') : null,
      impact.lettersNewlyDue.map((l, i) => h('div', { class: 'subcard', 'data-testid': `policy-letter-${i + 1}` },
        h('p', null, `${l.description} (${l.stepLabel}): `, h('strong', { 'data-testid': `policy-letter-${i + 1}-count` }, plural(l.students.length, 'pupil'))),
        namesToggle(l.students, `policy-letter-${i + 1}`))),
      impact.lettersNoLongerDue.length ? h('h4', null, 'Letters no longer due') : null,
      impact.lettersNoLongerDue.map((l, i) => h('div', { class: 'subcard' },
        h('p', null, `${l.description} (${l.stepLabel}): ${plural(l.students.length, 'pupil')}`),
        namesToggle(l.students, `policy-noletter-${i + 1}`))),
      impact.notEvaluated.length
        ? h('p', { class: 'error-text' }, `${plural(impact.notEvaluated.length, 'pupil')} could not be evaluated with this policy (for example: ${impact.notEvaluated[0]!.problem}). Saving is refused until this is fixed.`)
        : null);
  }

  function showPreview(response: PolicyPreviewResponse): void {
    if (!response.ok) {
      showProblems(response.problems, 'Please fix these before saving:');
      return;
    }
    replace(results,
      h('div', { class: 'card', 'data-testid': 'policy-changes' },
        h('h3', null, 'What changes'),
        response.changes.length ? h('ul', null, response.changes.map((c) => h('li', null, c))) : h('p', { class: 'muted' }, 'Nothing: this is the policy in force.')),
      response.impact ? impactView(response.impact) : null);
  }

  return {
    activate() {
      if (loaded) return;
      loaded = true;
      void busy(null, async () => {
        try {
          render(await call('getPolicyEditor'));
        } catch (err) {
          loaded = false;
          replace(intro, 'The policy could not be loaded.');
          throw err;
        }
      });
    },
  };
}
