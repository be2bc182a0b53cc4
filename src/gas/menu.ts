/**
 * Menus and the sidebar. onOpen may run in AuthMode.NONE (add-on installed but not enabled in this
 * file) or LIMITED: it only builds the menu and touches nothing else (semantics S7.7).
 */
import { rememberInstaller } from './staffStore';

export const MENU_ITEMS: { caption: string; fn: string }[] = [
  { caption: 'Open sidebar', fn: 'showSidebar' },
  { caption: 'Set up…', fn: 'menuSetup' },
  { caption: 'Recalculate', fn: 'menuRecalculate' },
  { caption: 'Generate letters', fn: 'menuGenerateLetters' },
  { caption: 'Create letter templates', fn: 'menuCreateLetterTemplates' },
  { caption: 'Weekly report now', fn: 'menuWeeklyReport' },
];

export function onOpen(e?: { authMode?: GoogleAppsScript.Script.AuthMode }): void {
  void e;
  const menu = SpreadsheetApp.getUi().createAddonMenu();
  MENU_ITEMS.forEach((item, i) => {
    if (i === 1) menu.addSeparator();
    menu.addItem(item.caption, item.fn);
  });
  menu.addToUi();
}

/** onInstall runs in FULL; Google's pattern is to build the menu as onOpen would (semantics S7.6). */
export function onInstall(e?: { authMode?: GoogleAppsScript.Script.AuthMode }): void {
  onOpen(e);
  // The installer may do the first set-up (once) when the spreadsheet has no owner to do it (a shared drive).
  try {
    rememberInstaller(Session.getEffectiveUser().getEmail());
  } catch {
    /* no identity or no document here: the owner sets it up */
  }
}

/** User-cache key through which a menu item tells the sidebar which tab to open on. */
export const SIDEBAR_TAB_KEY = 'sol.sidebarTab';

/**
 * Opens the sidebar. The HTML is a static file (not a template: minified JS may contain `<?`),
 * so a requested tab travels through the user cache and getBootstrap hands it over once.
 */
export function showSidebar(tab?: 'letters' | 'weekly' | 'settings' | 'today'): void {
  if (typeof tab === 'string') CacheService.getUserCache()?.put(SIDEBAR_TAB_KEY, tab, 120);
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('SOL Tracker');
  SpreadsheetApp.getUi().showSidebar(html);
}

/** Menu "Generate letters": the sidebar, opened on the Letters tab (plan → preview → send). */
export function menuGenerateLetters(): void {
  showSidebar('letters');
}
