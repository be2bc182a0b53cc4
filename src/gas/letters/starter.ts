/**
 * Starter letter templates: one Google Doc per (letter of the active policy, language), made with
 * DocumentApp.create from STARTER_TEMPLATES (documents scope; no Drive copy), and recorded in the
 * Settings → Templates table so letters can be sent straight away and edited in Docs later.
 * Letters/languages that already have a template are left alone, so running it twice adds nothing.
 */
import type { CreateTemplatesResponse } from '../../rpcTypes';
import { resolveActivePolicy } from '../../core/activePolicy';
import { STARTER_TEMPLATES, normaliseLanguage, type StarterTemplate } from '../../core/letters';
import { asSheetText } from '../../core/sanitise';
import { TEMPLATE_HEADERS, TEMPLATES_SECTION, type Settings } from '../../core/settings';
import { languageCellName, languageName, letterCellName, letterName } from '../../core/format';
import { ensureRows } from '../grow';
import { loadSettings } from '../settingsStore';
import { SHEET_NAMES } from '../sheetNames';
import { letterContext, underLock } from './context';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface StarterResult {
  created: { letterId: string; language: string; docId: string; name: string }[];
  message: string;
}

/** Document property: starter documents made but not yet listed in Settings (letterId|language → doc ID). */
const STARTER_JOURNAL = 'sol.starterTemplatesMade';

/** The starter templates the active policy's letters need that Settings does not have yet. */
export function startersNeeded(settings: Settings, languages: readonly string[] = ['en', 'es']): StarterTemplate[] {
  const { policy } = resolveActivePolicy(settings);
  const letterIds = new Set(policy.steps.flatMap((s) => s.actions).filter((a) => a.kind === 'letter' && a.letterId).map((a) => a.letterId!));
  const have = new Set(settings.templates.map((t) => `${t.letterId}|${normaliseLanguage(t.language)}`));
  return STARTER_TEMPLATES.filter((t) => letterIds.has(t.letterId) && languages.includes(t.language) && !have.has(`${t.letterId}|${t.language}`));
}

/** Rows for the Settings → Templates table: inserted after its last row, or a new section at the end. */
function recordTemplates(ss: Spreadsheet, rows: string[][]): void {
  const sheet = ss.getSheetByName(SHEET_NAMES.settings);
  if (!sheet) throw new Error(`There is no "${SHEET_NAMES.settings}" tab yet: run SOL Tracker ▸ Set up… first, then create the starter templates.`);
  const values = sheet.getDataRange().getValues();
  const width = TEMPLATE_HEADERS.length;
  const marker = values.findIndex((r) => String(r[0] ?? '').trim() === TEMPLATES_SECTION);
  if (marker < 0) {
    const block = [['', '', ''], [TEMPLATES_SECTION, '', 'One Google Docs template per letter and language.'], [...TEMPLATE_HEADERS], ...rows];
    ensureRows(sheet, values.length + block.length, width);
    sheet.getRange(values.length + 1, 1, block.length, width).setValues(block);
    return;
  }
  // The header follows the marker; template rows run to the first blank row.
  let last = marker + 1; // 0-based index of the header row
  while (last + 1 < values.length && values[last + 1].some((c) => String(c ?? '').trim() !== '')) last++;
  const insertAfterRow = last + 1; // 1-based sheet row of the last template (or the header)
  if (insertAfterRow < values.length) sheet.insertRowsAfter(insertAfterRow, rows.length);
  ensureRows(sheet, insertAfterRow + rows.length, width);
  sheet.getRange(insertAfterRow + 1, 1, rows.length, width).setValues(rows);
}

/**
 * Creates the missing starter templates (4 Docs calls each) and records them in Settings.
 * For setup and the menu; the caller holds the lock (see menuCreateLetterTemplates).
 */
export function createStarterTemplates(ss: Spreadsheet, settings: Settings, languages: readonly string[] = ['en', 'es']): StarterResult {
  const needed = startersNeeded(settings, languages);
  if (needed.length === 0) return { created: [], message: 'Every letter of the policy already has a template in English and Spanish; nothing was created.' };
  const created: StarterResult['created'] = [];
  // A journal of the documents made (document properties, written right after each is made): a run
  // stopped before it listed them in Settings (even by the time limit, when nothing else can run)
  // reuses them next time instead of making them again.
  const props = PropertiesService.getDocumentProperties();
  let journal: Record<string, string> = {};
  try {
    journal = JSON.parse(props.getProperty(STARTER_JOURNAL) ?? '{}') as Record<string, string>;
  } catch {
    journal = {};
  }
  try {
    for (const t of needed) {
      const key = `${t.letterId}|${t.language}`;
      const made = typeof journal[key] === 'string' ? journal[key] : '';
      if (made) {
        // Made by a run that stopped: its wording is written again (that run may have stopped before).
        let again: GoogleAppsScript.Document.Document | null = null;
        try {
          again = DocumentApp.openById(made);
        } catch (err) {
          if (!/missing|not found|no item|deleted|do not have permission/i.test(String((err as Error)?.message))) throw err;
          again = null; // deleted meanwhile: made anew below
        }
        if (again) {
          again.getBody().setText(t.paragraphs.join('\n'));
          again.saveAndClose();
          created.push({ letterId: t.letterId, language: t.language, docId: made, name: t.name });
          continue;
        }
      }
      const doc = DocumentApp.create(t.name);
      const docId = doc.getId();
      journal = { ...journal, [key]: docId };
      props.setProperty(STARTER_JOURNAL, JSON.stringify(journal));
      doc.getBody().setText(t.paragraphs.join('\n'));
      doc.saveAndClose();
      created.push({ letterId: t.letterId, language: t.language, docId, name: t.name });
    }
  } catch (e) {
    // Record the documents already made, so a second run does not make them again.
    if (created.length > 0) {
      recordTemplates(ss, created.map((c) => [asSheetText(letterCellName(c.letterId)), languageCellName(c.language), asSheetText(c.docId)]));
      // A document made but not yet worded stays in the journal: the next run writes it and lists it.
      const listed = new Set(created.map((c) => `${c.letterId}|${c.language}`));
      const rest = Object.fromEntries(Object.entries(journal).filter(([k]) => !listed.has(k)));
      if (Object.keys(rest).length > 0) props.setProperty(STARTER_JOURNAL, JSON.stringify(rest));
      else props.deleteProperty(STARTER_JOURNAL);
    }
    throw new Error(`Creating the letter templates stopped after ${created.length} of ${needed.length}: ${(e as Error)?.message ?? e}${created.length ? ' (those made are listed in Settings → Templates; run it again later for the rest)' : ''}`);
  }
  recordTemplates(ss, created.map((c) => [asSheetText(letterCellName(c.letterId)), languageCellName(c.language), asSheetText(c.docId)]));
  props.deleteProperty(STARTER_JOURNAL);
  loadSettings(ss, { remember: true });
  return {
    created,
    message: `Created ${created.length} letter template${created.length === 1 ? '' : 's'} (${created.map((c) => `${letterName(c.letterId)} in ${languageName(c.language)}`).join(', ')}) and listed them in Settings → Templates. Open them from there to adjust the wording.`,
  };
}

/** Menu: SOL Tracker ▸ Create letter templates (AL, Admin). */
/** RPC from Settings → Letter templates (AL, Admin): the same as the menu item, without a toast. */
export function createLetterTemplates(): CreateTemplatesResponse {
  const ctx = letterContext('setup');
  const result = underLock('creating the templates', () => createStarterTemplates(ctx.ss, loadSettings(ctx.ss).settings));
  return { created: result.created.length, message: result.message };
}

export function menuCreateLetterTemplates(): StarterResult {
  const ctx = letterContext('setup');
  const result = underLock('creating the templates', () => createStarterTemplates(ctx.ss, loadSettings(ctx.ss).settings));
  ctx.ss.toast(result.message, 'SOL Tracker', 10);
  return result;
}
