/**
 * RPC getBootstrap: who the user is, their role and what they may do (seed 000 §3.5). The sidebar
 * hides what the role cannot use; every server action checks the role again (authorise).
 * Never throws for an unknown user: they get role null and no capabilities.
 */
import { dateFormatFor } from '../core/format';
import type { Bootstrap } from '../rpcTypes';
import { resolveActivePolicy } from '../core/activePolicy';
import { can } from '../core/roles';
import { todayIso } from './clock';
import { currentActor } from './session';
import { loadSettings } from './settingsStore';
import { PROPERTY_KEYS, SHEET_NAMES } from './sheetNames';
import { getSpreadsheet } from './spreadsheet';
import { SIDEBAR_TAB_KEY } from './menu';

function mailQuota(): number | null {
  try {
    return MailApp.getRemainingDailyQuota();
  } catch {
    return null; // not authorised yet, or the quota cannot be read here
  }
}

function setupDone(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): boolean {
  let remembered: string | null = null;
  try {
    remembered = PropertiesService.getDocumentProperties().getProperty(PROPERTY_KEYS.trackerSheet);
  } catch {
    remembered = null;
  }
  return remembered !== null && ss.getSheetByName(remembered) !== null && ss.getSheetByName(SHEET_NAMES.log) !== null;
}

/** The tab a menu item asked the sidebar to open on (left in the user cache by showSidebar). */
function takeRequestedTab(): Bootstrap['initialTab'] {
  const cache = CacheService.getUserCache();
  const tab = cache?.get(SIDEBAR_TAB_KEY) ?? null;
  if (tab) cache?.remove(SIDEBAR_TAB_KEY);
  return tab === 'student' || tab === 'today' || tab === 'letters' || tab === 'weekly' || tab === 'settings' || tab === 'policy' ? tab : null;
}

export function getBootstrap(): Bootstrap {
  const ss = getSpreadsheet();
  const { settings } = loadSettings(ss);
  const actor = currentActor(settings);
  let policy = { id: settings.presetId, label: settings.presetId };
  let dateFormat = dateFormatFor('');
  try {
    const p = resolveActivePolicy(settings).policy;
    policy = { id: p.id, label: p.label };
    dateFormat = dateFormatFor(p.codeTableId);
  } catch {
    /* an unknown preset is reported by Settings; the id is shown as it is */
  }
  return {
    user: { email: actor.email, name: actor.member?.name ?? '', role: actor.role },
    schoolName: settings.schoolName,
    policy,
    setupDone: setupDone(ss),
    mailQuotaRemaining: mailQuota(),
    can: {
      logContact: can(actor, 'logContact'),
      generateLetters: can(actor, 'planLetters'),
      schedule: can(actor, 'scheduleReport'),
      runReport: can(actor, 'runReport'),
      recalculate: can(actor, 'recalculate'),
      settings: can(actor, 'editSettings'),
      import: can(actor, 'importRegister'),
      policy: can(actor, 'editPolicy'),
      reviewDate: can(actor, 'setReviewDate'),
    },
    today: todayIso(ss),
    dateFormat,
    initialTab: takeRequestedTab(),
  };
}
