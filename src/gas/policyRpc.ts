/**
 * RPCs of the policy editor (issue 15): getPolicyEditor, previewPolicy, savePolicy,
 * importPolicyFile. Every one checks the caller's role on the server (Attendance Lead, Admin);
 * a draft is checked with the policy schema and every problem is returned naming its field in the
 * editor's words; nothing is written unless the whole draft is valid and based on the version in
 * force. A save adds a version from today (who, when, what changed) and recalculates the tracker.
 */
import { resolveActivePolicy } from '../core/activePolicy';
import { CODE_TABLES } from '../core/codes';
import { addVersion, type PolicyBook } from '../core/policy/book';
import { checkSchoolPolicy, policyFile, policyFileName, policyFileText, readPolicyFile, type PolicyProblem, type SchoolPolicy } from '../core/policy/file';
import { policyImpact } from '../core/policy/impact';
import { PRESETS } from '../core/policy/presets';
import { dateText } from '../core/report/weeklyHtml';
import type { Settings } from '../core/settings';
import type {
  ImportPolicyRequest,
  ImportPolicyResponse,
  PolicyDraft,
  PolicyDraftRequest,
  PolicyEditorView,
  PolicyPreviewResponse,
  PolicyVersionView,
  SavePolicyResponse,
} from '../rpcTypes';
import { timestampIso, todayIso } from './clock';
import { withDocumentLock } from './lock';
import { completePolicyTabs, savePolicyBook } from './policyStore';
import { recalculateWithin } from './recalc';
import { loadSchool } from './schoolData';
import { activeUserEmail, authorise } from './session';
import { loadSettings } from './settingsStore';
import { getSpreadsheet } from './spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A policy file's text is at most this long (a real policy is under 20,000 characters). */
const MAX_FILE_CHARS = 200_000;

const lastVersion = (book: PolicyBook) => book.versions[book.versions.length - 1]!;

function draftOf(school: SchoolPolicy): PolicyDraft {
  const file = policyFile(school.policy, school.table);
  return { policy: file.policy, codeTable: file.codeTable! };
}

function savedText(savedAt: string): string {
  if (!savedAt) return '';
  const time = /T(\d{2}:\d{2})/.exec(savedAt)?.[1];
  return `${dateText(savedAt.slice(0, 10))}${time ? ` ${time}` : ''}`;
}

function historyView(book: PolicyBook | null): PolicyVersionView[] {
  if (!book) return [];
  return [...book.versions].reverse().map((v) => ({
    version: v.version,
    inForceFrom: v.version === 0 ? 'before version 1' : dateText(v.effectiveFrom),
    saved: savedText(v.savedAt),
    savedBy: v.savedBy,
    changes: [...v.changes],
  }));
}

function editorView(ss: Spreadsheet, settings: Settings, problem: string | null): PolicyEditorView {
  const active = resolveActivePolicy(settings);
  const book = active.book;
  return {
    draft: draftOf(active),
    source: book ? 'school' : 'preset',
    version: book ? book.versions[book.versions.length - 1]!.version : 0,
    presets: Object.values(PRESETS).map((p) => ({ id: p.id, label: p.label, draft: draftOf({ policy: p, table: CODE_TABLES[p.codeTableId]! }) })),
    history: historyView(book),
    fileName: policyFileName(active.policy),
    fileText: policyFileText(active.policy, active.table),
    problem,
    today: dateText(todayIso(ss)),
  };
}

function policyProblemOf(loadedProblems: { cell: string; message: string }[]): string | null {
  return loadedProblems.find((p) => p.cell === 'Policy')?.message ?? null;
}

/** RPC getPolicyEditor. */
export function getPolicyEditor(): PolicyEditorView {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  authorise(loaded.settings, 'editPolicy');
  return editorView(ss, loaded.settings, policyProblemOf(loaded.problems));
}

/** The request's draft checked; shape problems (a missing draft) are reported like field problems. */
function checkDraft(req: PolicyDraftRequest | null | undefined): { ok: true; school: SchoolPolicy; origins?: (number | null)[] } | { ok: false; problems: PolicyProblem[] } {
  if (!req || typeof req !== 'object' || !req.draft || typeof req.draft !== 'object') {
    return { ok: false, problems: [{ field: 'the policy', message: 'Nothing to check: the editor sent no policy.' }] };
  }
  const check = checkSchoolPolicy({ policy: req.draft.policy, codeTable: req.draft.codeTable });
  if (!check.ok) return check;
  let origins: (number | null)[] | undefined;
  if (req.origins !== undefined) {
    const ok = Array.isArray(req.origins) && req.origins.length === check.policy.steps.length && req.origins.every((o) => o === null || Number.isInteger(o));
    if (!ok) return { ok: false, problems: [{ field: 'steps', message: 'Steps: the editor lost track of where each step came from; reload the policy editor and make the change again.' }] };
    origins = req.origins;
  }
  return { ok: true, school: { policy: check.policy, table: check.table }, origins };
}

/** The register codes the draft's table lacks (marks that could no longer be read), from the model. */
function missingCodes(notEvaluated: { problem: string }[]): string[] {
  const codes = new Set<string>();
  for (const n of notEvaluated) {
    const m = /"([^"]+)" is not a code|Unknown attendance code "([^"]+)"/.exec(n.problem);
    if (m) codes.add(m[1] ?? m[2]!);
  }
  return [...codes];
}

/** RPC previewPolicy: the changes in words and the impact on today's data. Saves nothing. */
export function previewPolicy(req: PolicyDraftRequest): PolicyPreviewResponse {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  authorise(loaded.settings, 'editPolicy');
  const draft = checkDraft(req);
  if (!draft.ok) return { ok: false, problems: draft.problems, changes: [], impact: null };
  const active = resolveActivePolicy(loaded.settings);
  const school = loadSchool(ss, todayIso(ss), { settings: loaded.settings, settingsProblems: loaded.problems });
  let changes: string[] = [];
  try {
    changes = lastVersion(addVersion(active.book, active, draft.school, { today: school.model.today, savedAt: '', savedBy: '', origins: draft.origins })).changes;
  } catch (err) {
    if (!/Nothing has changed/.test((err as Error).message)) return { ok: false, problems: [{ field: 'steps', message: (err as Error).message }], changes: [], impact: null };
  }
  const impact = policyImpact(school.model, active, active.book, draft.school, draft.origins);
  return { ok: true, problems: [], changes, impact };
}

/** RPC savePolicy: a new version from today, then Recalculate with it. */
export function savePolicy(req: PolicyDraftRequest): SavePolicyResponse {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  authorise(loaded.settings, 'editPolicy');
  const refuse = (problems: PolicyProblem[], settings: Settings = loaded.settings): SavePolicyResponse => ({
    ok: false,
    problems,
    message: problems.length === 1 ? problems[0]!.message : `The policy was not saved: ${problems.length} problems to fix.`,
    editor: editorView(ss, settings, policyProblemOf(loaded.problems)),
  });
  const draft = checkDraft(req);
  if (!draft.ok) return refuse(draft.problems);

  return withDocumentLock(() => {
    // Read again under the lock: another member of staff may have saved meanwhile.
    const fresh = loadSettings(ss);
    const active = resolveActivePolicy(fresh.settings);
    const inForce = active.book ? lastVersion(active.book).version : 0;
    // Pressed again after a fault: the version this form made is found by its key; the save is finished, not repeated.
    const requestKey = typeof req.requestKey === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(req.requestKey) ? req.requestKey : '';
    const made = requestKey && active.book ? active.book.versions.find((v) => v.requestKey === requestKey) : undefined;
    if (made && active.book) {
      completePolicyTabs(ss, active.book);
      const after = loadSettings(ss, { remember: true });
      const recalculated = recalculateWithin(ss, after);
      return {
        ok: true,
        problems: [],
        message: `Saved as version ${made.version}, in force from ${dateText(made.effectiveFrom)}. ${recalculated.message}`,
        editor: editorView(ss, after.settings, null),
      };
    }
    if (req.baseVersion !== undefined && req.baseVersion !== inForce) {
      const by = active.book ? lastVersion(active.book).savedBy : '';
      return refuse([{ field: 'the policy', message: `The policy was changed by ${by || 'someone else'} while you were editing (it is now version ${inForce}). Reload the policy editor and make your change again.` }], fresh.settings);
    }
    const today = todayIso(ss);
    // A table that drops a code still used on the Register would leave pupils unevaluated: refuse.
    const school = loadSchool(ss, today, { settings: fresh.settings, settingsProblems: fresh.problems });
    const impact = policyImpact(school.model, active, active.book, draft.school, draft.origins);
    const lost = missingCodes(impact.notEvaluated);
    if (impact.notEvaluated.length > 0) {
      const what = lost.length > 0 ? `the Register uses code${lost.length > 1 ? 's' : ''} ${lost.join(', ')}, which the new code table does not have` : impact.notEvaluated[0]!.problem;
      return refuse([{ field: 'Code table', message: `Code table: ${impact.notEvaluated.length} pupil${impact.notEvaluated.length === 1 ? '' : 's'} could not be evaluated with it (${what}). Keep the code, or correct the Register first.` }], fresh.settings);
    }
    let book: PolicyBook;
    try {
      book = addVersion(active.book, active, draft.school, { today, savedAt: timestampIso(ss), savedBy: activeUserEmail() || 'unknown', origins: draft.origins, ...(requestKey ? { requestKey } : {}) });
    } catch (err) {
      return refuse([{ field: 'the policy', message: (err as Error).message }], fresh.settings);
    }
    savePolicyBook(ss, book);
    const after = loadSettings(ss, { remember: true });
    const recalculated = recalculateWithin(ss, after);
    const version = lastVersion(book);
    return {
      ok: true,
      problems: [],
      message: `Saved as version ${version.version}, in force from ${dateText(version.effectiveFrom)}. ${recalculated.message}`,
      editor: editorView(ss, after.settings, null),
    };
  });
}

/** RPC importPolicyFile: reads and checks a policy file; the editor then shows it for preview and save. */
export function importPolicyFile(req: ImportPolicyRequest): ImportPolicyResponse {
  const ss = getSpreadsheet();
  const loaded = loadSettings(ss);
  authorise(loaded.settings, 'editPolicy');
  const text = req && typeof req.text === 'string' ? req.text : '';
  if (!text.trim()) return { ok: false, problems: [{ field: 'the policy file', message: 'The file is empty.' }], draft: null };
  if (text.length > MAX_FILE_CHARS) return { ok: false, problems: [{ field: 'the policy file', message: `The file is too large to be a policy file (${text.length} characters; at most ${MAX_FILE_CHARS}).` }], draft: null };
  const result = readPolicyFile(text);
  if (!result.ok) return { ok: false, problems: result.problems, draft: null };
  return { ok: true, problems: [], draft: draftOf(result) };
}

