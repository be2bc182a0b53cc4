/**
 * Modelled latency of Apps Script service calls. Each execution's clock advances by these costs,
 * which is what makes the 6-minute limit and the benchmarks meaningful offline.
 *
 * cost = baseMs + perCellMs × cells. Keys are call-count keys ('SpreadsheetApp.Range.getValues'),
 * 'Service.Class.*' or 'Service.*' wildcards, and '*' (fallback). The most specific key wins.
 */
export interface LatencyEntry {
  baseMs: number;
  perCellMs?: number;
  /** Where the figure comes from (apps-script-engineering.md §2.1–2.2) or 'assumption'. */
  source: string;
}
export type LatencyTable = Record<string, LatencyEntry>;

const BEST_PRACTICES = 'apps-script-engineering.md §2.1 (Google best practices: 10,000 single-cell writes ≈ 70 s ⇒ ≈ 7 ms per call; one 100×100 setBackgrounds ≈ 1 s)';
const MOGSDAD = 'apps-script-engineering.md §2.2 (Mogsdad: one setValues of 4,000 cells < 50 ms)';
const ZIRITIONE = 'apps-script-engineering.md §1.2/§2.2 (ziritione.org Properties/Cache measurements)';

export const DEFAULT_LATENCY: LatencyTable = {
  '*': { baseMs: 1, source: 'assumption: in-process getters and builders are cheap' },
  'SpreadsheetApp.*': { baseMs: 1, source: 'assumption: object navigation without a server round trip' },
  'SpreadsheetApp.getActive': { baseMs: 5, source: 'assumption' },
  'SpreadsheetApp.getActiveSpreadsheet': { baseMs: 5, source: 'assumption' },
  'SpreadsheetApp.openById': { baseMs: 300, source: 'assumption: opening another file' },
  'SpreadsheetApp.flush': { baseMs: 150, source: 'apps-script-engineering.md §2.2 (Mogsdad: adding one flush() ≈ +560 ms on a 4,000-cell write; ~150 ms on small writes, assumption)' },
  'SpreadsheetApp.Spreadsheet.getSheetByName': { baseMs: 5, source: 'assumption' },
  'SpreadsheetApp.Spreadsheet.getSheets': { baseMs: 5, source: 'assumption' },
  'SpreadsheetApp.Spreadsheet.insertSheet': { baseMs: 200, source: 'assumption' },
  'SpreadsheetApp.Spreadsheet.deleteSheet': { baseMs: 200, source: 'assumption' },
  'SpreadsheetApp.Spreadsheet.toast': { baseMs: 20, source: 'assumption' },
  'SpreadsheetApp.Sheet.getLastRow': { baseMs: 5, source: 'assumption' },
  'SpreadsheetApp.Sheet.getLastColumn': { baseMs: 5, source: 'assumption' },
  'SpreadsheetApp.Sheet.getDataRange': { baseMs: 5, source: 'assumption' },
  'SpreadsheetApp.Sheet.appendRow': { baseMs: 50, perCellMs: 0.01, source: MOGSDAD },
  'SpreadsheetApp.Sheet.insertRowsAfter': { baseMs: 50, source: 'assumption' },
  'SpreadsheetApp.Sheet.insertColumnsAfter': { baseMs: 50, source: 'assumption' },
  'SpreadsheetApp.Sheet.clear': { baseMs: 50, source: 'assumption' },
  'SpreadsheetApp.Sheet.clearContents': { baseMs: 50, source: 'assumption' },
  'SpreadsheetApp.Sheet.protect': { baseMs: 100, source: 'assumption' },
  'SpreadsheetApp.Range.getValues': { baseMs: 50, perCellMs: 0.005, source: MOGSDAD },
  'SpreadsheetApp.Range.getDisplayValues': { baseMs: 50, perCellMs: 0.008, source: MOGSDAD + ' (display formatting assumed slower)' },
  'SpreadsheetApp.Range.getFormulas': { baseMs: 50, perCellMs: 0.005, source: MOGSDAD },
  'SpreadsheetApp.Range.getBackgrounds': { baseMs: 50, perCellMs: 0.005, source: MOGSDAD },
  'SpreadsheetApp.Range.getFontColors': { baseMs: 50, perCellMs: 0.005, source: MOGSDAD },
  'SpreadsheetApp.Range.getFontWeights': { baseMs: 50, perCellMs: 0.005, source: MOGSDAD },
  'SpreadsheetApp.Range.getNotes': { baseMs: 50, perCellMs: 0.005, source: MOGSDAD },
  'SpreadsheetApp.Range.getValue': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.getDisplayValue': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.getBackground': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.getNote': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.getFormula': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setValues': { baseMs: 50, perCellMs: 0.01, source: MOGSDAD },
  'SpreadsheetApp.Range.setFormulas': { baseMs: 50, perCellMs: 0.01, source: MOGSDAD },
  'SpreadsheetApp.Range.setNotes': { baseMs: 50, perCellMs: 0.01, source: MOGSDAD },
  'SpreadsheetApp.Range.setNumberFormats': { baseMs: 50, perCellMs: 0.01, source: MOGSDAD },
  'SpreadsheetApp.Range.setBackgrounds': { baseMs: 50, perCellMs: 0.095, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setFontColors': { baseMs: 50, perCellMs: 0.095, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setFontWeights': { baseMs: 50, perCellMs: 0.095, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setDataValidations': { baseMs: 50, perCellMs: 0.05, source: 'assumption (like setBackgrounds, cheaper)' },
  'SpreadsheetApp.Range.setValue': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setFormula': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setBackground': { baseMs: 7, perCellMs: 0.05, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setFontColor': { baseMs: 7, perCellMs: 0.05, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setFontWeight': { baseMs: 7, perCellMs: 0.05, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setNote': { baseMs: 7, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setNumberFormat': { baseMs: 7, perCellMs: 0.01, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.setDataValidation': { baseMs: 7, perCellMs: 0.01, source: BEST_PRACTICES },
  'SpreadsheetApp.Range.clear': { baseMs: 30, perCellMs: 0.005, source: 'assumption' },
  'SpreadsheetApp.Range.clearContent': { baseMs: 30, perCellMs: 0.005, source: 'assumption' },
  'SpreadsheetApp.Range.protect': { baseMs: 100, source: 'assumption' },
  'SpreadsheetApp.Ui.*': { baseMs: 20, source: 'assumption' },
  'SpreadsheetApp.Ui.showSidebar': { baseMs: 200, source: 'assumption' },
  'SpreadsheetApp.Ui.showModalDialog': { baseMs: 200, source: 'assumption' },
  'SpreadsheetApp.Ui.alert': { baseMs: 2000, source: 'assumption: a user reading and dismissing a dialog' },
  'SpreadsheetApp.Ui.prompt': { baseMs: 5000, source: 'assumption: a user typing an answer' },
  'PropertiesService.*': { baseMs: 1, source: 'assumption' },
  'PropertiesService.Properties.getProperty': { baseMs: 30, source: ZIRITIONE },
  'PropertiesService.Properties.getProperties': { baseMs: 30, source: ZIRITIONE },
  'PropertiesService.Properties.getKeys': { baseMs: 30, source: ZIRITIONE },
  'PropertiesService.Properties.setProperty': { baseMs: 62, source: ZIRITIONE },
  'PropertiesService.Properties.setProperties': { baseMs: 62, source: ZIRITIONE },
  'PropertiesService.Properties.deleteProperty': { baseMs: 62, source: ZIRITIONE },
  'PropertiesService.Properties.deleteAllProperties': { baseMs: 62, source: ZIRITIONE },
  'CacheService.*': { baseMs: 1, source: 'assumption' },
  'CacheService.Cache.put': { baseMs: 93, source: ZIRITIONE },
  'CacheService.Cache.putAll': { baseMs: 93, source: ZIRITIONE },
  'CacheService.Cache.get': { baseMs: 3, source: ZIRITIONE },
  'CacheService.Cache.getAll': { baseMs: 3, source: ZIRITIONE },
  'LockService.*': { baseMs: 10, source: 'assumption' },
  'MailApp.sendEmail': { baseMs: 1200, source: 'apps-script-engineering.md §2.2 (Small Outbox vendor FAQ: a 100 KB email ≈ 1.2 s)' },
  'MailApp.getRemainingDailyQuota': { baseMs: 20, source: 'assumption' },
  'DocumentApp.create': { baseMs: 1500, source: 'assumption: no published figure (apps-script-engineering.md §2.2 "Not found")' },
  'DocumentApp.openById': { baseMs: 800, source: 'assumption: no published figure (apps-script-engineering.md §2.2 "Not found")' },
  'DocumentApp.Document.getAs': { baseMs: 2500, source: 'assumption: no published figure for PDF export (apps-script-engineering.md §2.2 "Not found")' },
  'DocumentApp.Document.saveAndClose': { baseMs: 500, source: 'assumption' },
  'DocumentApp.*': { baseMs: 5, source: 'assumption: body edits are batched until save' },
  'DriveApp.*': { baseMs: 200, source: 'assumption' },
  'Drive.*': { baseMs: 300, source: 'assumption: one Drive API request (no published figure)' },
  'Drive.Files.copy': { baseMs: 1500, source: 'assumption: as DocumentApp.create (apps-script-engineering.md §2.2 "Not found" for makeCopy)' },
  'Drive.Files.list': { baseMs: 400, source: 'assumption' },
  'DriveApp.File.getAs': { baseMs: 2500, source: 'assumption (as Document.getAs)' },
  'ScriptApp.*': { baseMs: 100, source: 'assumption' },
  'ScriptApp.TriggerBuilder.*': { baseMs: 1, source: 'assumption' },
  'ScriptApp.ClockTriggerBuilder.*': { baseMs: 1, source: 'assumption' },
  'ScriptApp.SpreadsheetTriggerBuilder.*': { baseMs: 1, source: 'assumption' },
  'ScriptApp.ClockTriggerBuilder.create': { baseMs: 300, source: 'assumption' },
  'ScriptApp.SpreadsheetTriggerBuilder.create': { baseMs: 300, source: 'assumption' },
  'Session.*': { baseMs: 5, source: 'assumption' },
  'HtmlService.*': { baseMs: 2, source: 'assumption' },
  'Utilities.*': { baseMs: 0.5, source: 'assumption: runs in-process' },
  'Logger.*': { baseMs: 0.1, source: 'assumption' },
  'console.*': { baseMs: 0.1, source: 'assumption' },
};

export function latencyOf(table: LatencyTable, key: string, cells = 1): number {
  const entry = lookup(table, key);
  return entry.baseMs + (entry.perCellMs ?? 0) * cells;
}

function lookup(table: LatencyTable, key: string): LatencyEntry {
  const exact = table[key];
  if (exact) return exact;
  const parts = key.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const wild = table[`${parts.slice(0, n).join('.')}.*`];
    if (wild) return wild;
  }
  return table['*'] ?? { baseMs: 0, source: 'none' };
}
