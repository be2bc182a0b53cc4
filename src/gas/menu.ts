/**
 * Menus and the sidebar. onOpen may run in AuthMode.NONE (add-on installed but not enabled in this
 * file) or LIMITED: it only builds the menu and touches nothing else (semantics S7.7).
 */
export const MENU_ITEMS: { caption: string; fn: string }[] = [
  { caption: 'Open sidebar', fn: 'showSidebar' },
  { caption: 'Set up…', fn: 'menuSetup' },
  { caption: 'Recalculate', fn: 'menuRecalculate' },
  { caption: 'Generate letters', fn: 'menuGenerateLetters' },
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
}

export function showSidebar(): void {
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('SOL Tracker');
  SpreadsheetApp.getUi().showSidebar(html);
}
