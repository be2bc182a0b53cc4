/**
 * Reads the Settings tab. An invalid setting is reported with its cell, and the last valid settings
 * (kept as JSON in document properties) stay in force until it is fixed (DESIGN.md §2).
 */
import { DEFAULT_SETTINGS, parseSettingsSheet, type Settings, type SettingsProblem } from '../core/settings';
import { PRESETS } from '../core/policy/presets';
import { loadPolicyBook } from './policyStore';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { withSheetDates } from './sheetDates';

export interface LoadedSettings {
  settings: Settings;
  problems: SettingsProblem[];
  /** Where the settings in force came from. */
  source: 'sheet' | 'lastValid' | 'default';
}

/**
 * The school's saved policy (document properties: only the add-on writes them) joins the settings;
 * a damaged one is reported with the settings' problems and the preset stays in force.
 */
function withPolicyBook(loaded: LoadedSettings): LoadedSettings {
  const { book, problem } = loadPolicyBook();
  const settings: Settings = { ...loaded.settings, policyBook: book };
  const problems = problem ? [...loaded.problems, { cell: 'Policy', field: 'Attendance policy', message: problem }] : loaded.problems;
  return { ...loaded, settings, problems };
}

function documentProperties(): GoogleAppsScript.Properties.Properties | null {
  try {
    return PropertiesService.getDocumentProperties();
  } catch {
    return null; // e.g. AuthMode.NONE: properties are not available (semantics S7.7)
  }
}

export function loadSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, opts: { remember?: boolean } = {}): LoadedSettings {
  return withPolicyBook(loadSheetSettings(ss, opts));
}

function loadSheetSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, opts: { remember?: boolean }): LoadedSettings {
  const sheet = ss.getSheetByName(SHEET_NAMES.settings);
  if (!sheet) return { settings: DEFAULT_SETTINGS, problems: [], source: 'default' };
  // getDataRange: one call for the whole tab (an empty tab reads as [['']], semantics S2.5).
  // Dates typed in Settings (term dates…) read in the spreadsheet's zone, not the script's (sheetDates.ts).
  const values = withSheetDates(ss, sheet.getDataRange().getValues());
  if (values.length === 1 && values[0].every((v) => v === '')) return { settings: DEFAULT_SETTINGS, problems: [], source: 'default' };
  const { settings, problems } = parseSettingsSheet(values, Object.keys(PRESETS));
  const props = documentProperties();
  if (problems.length === 0) {
    if (opts.remember && props) props.setProperty(PROPERTY_KEYS.lastValidSettings, JSON.stringify(settings));
    return { settings, problems, source: 'sheet' };
  }
  const saved = props?.getProperty(PROPERTY_KEYS.lastValidSettings);
  if (saved) {
    try {
      return { settings: JSON.parse(saved) as Settings, problems, source: 'lastValid' };
    } catch {
      /* fall through to defaults */
    }
  }
  return { settings: DEFAULT_SETTINGS, problems, source: 'default' };
}
