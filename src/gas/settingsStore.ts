/**
 * Reads the Settings tab. An invalid setting is reported with its cell, and the last valid settings
 * (kept in the add-on's own record in document properties, src/gas/staffStore.ts) stay in force
 * until it is fixed (DESIGN.md §2). The staff list never comes from the tab: the tab shows a
 * read-only copy, and roles come from the stored record. A renamed or deleted Settings tab leaves the
 * last valid settings in force — never the defaults with "everyone is Admin".
 */
import { DEFAULT_SETTINGS, parseSettingsSheet, type Settings, type SettingsProblem } from '../core/settings';
import { PRESETS } from '../core/policy/presets';
import { loadPolicyBook } from './policyStore';
import { withoutStaff } from '../core/staffRecord';
import { SHEET_NAMES } from './sheetNames';
import { saveConfig, staffAccess } from './staffStore';
import { withSheetDates } from './sheetDates';

export interface LoadedSettings {
  settings: Settings;
  problems: SettingsProblem[];
  /** Where the settings in force came from. */
  source: 'sheet' | 'lastValid' | 'default';
  /** The staff list as shown on the tab (a copy; only a first set-up adopts it). */
  tabStaff?: Settings['staff'];
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

/** Problems of the tab's staff copy are not problems of the settings in force. */
const isStaffProblem = (p: SettingsProblem) => p.field === 'Staff email' || p.field === 'Staff role';

function lastValid(): Omit<Settings, 'staff'> | null {
  return staffAccess().record?.settings ?? null;
}

export function loadSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, opts: { remember?: boolean } = {}): LoadedSettings {
  return withPolicyBook(loadSheetSettings(ss, opts));
}

function loadSheetSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, opts: { remember?: boolean }): LoadedSettings {
  const access = staffAccess();
  const staff = access.staff;
  const sheet = ss.getSheetByName(SHEET_NAMES.settings);
  const fallback = (problems: SettingsProblem[], tabStaff?: Settings['staff']): LoadedSettings => {
    const saved = lastValid();
    return saved
      ? { settings: { ...DEFAULT_SETTINGS, ...saved, staff }, problems, source: 'lastValid', tabStaff }
      : { settings: { ...DEFAULT_SETTINGS, staff }, problems, source: 'default', tabStaff };
  };
  if (!sheet) {
    const problems: SettingsProblem[] = access.record?.settings
      ? [{ cell: '', field: 'Settings tab', message: `There is no "${SHEET_NAMES.settings}" tab (renamed or deleted?): the last saved settings are in force. Run SOL Tracker ▸ Set up… to put it back.` }]
      : [];
    return fallback(problems);
  }
  // getDataRange: one call for the whole tab (an empty tab reads as [['']], semantics S2.5).
  // Dates typed in Settings (term dates…) read in the spreadsheet's zone, not the script's (sheetDates.ts).
  const values = withSheetDates(ss, sheet.getDataRange().getValues());
  if (values.length === 1 && values[0].every((v) => v === '')) return fallback([]);
  const parsed = parseSettingsSheet(values, Object.keys(PRESETS));
  const problems = parsed.problems.filter((p) => !isStaffProblem(p));
  const settings: Settings = { ...parsed.settings, staff };
  if (problems.length === 0) {
    if (opts.remember && access.record) {
      const next = withoutStaff(settings);
      if (JSON.stringify(next) !== JSON.stringify(access.record.settings)) {
        try {
          saveConfig({ ...access.record, settings: next }).cleanup();
        } catch {
          /* the tab is valid and in force; the copy is refreshed on the next save */
        }
      }
    }
    return { settings, problems, source: 'sheet', tabStaff: parsed.settings.staff };
  }
  return fallback(problems, parsed.settings.staff);
}
