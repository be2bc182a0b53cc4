/**
 * Today's school date. The core never reads the clock (DESIGN.md §4): the gas layer does it once,
 * in the spreadsheet's time zone, and passes an ISO date down.
 */
export function todayIso(ss: GoogleAppsScript.Spreadsheet.Spreadsheet | null, now: Date = new Date()): string {
  const tz = ss?.getSpreadsheetTimeZone() || Session.getScriptTimeZone();
  return Utilities.formatDate(now, tz, 'yyyy-MM-dd');
}

export function timestampIso(ss: GoogleAppsScript.Spreadsheet.Spreadsheet | null, now: Date = new Date()): string {
  const tz = ss?.getSpreadsheetTimeZone() || Session.getScriptTimeZone();
  return Utilities.formatDate(now, tz, "yyyy-MM-dd'T'HH:mm:ss");
}
