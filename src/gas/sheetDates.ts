/**
 * Date cells read in the spreadsheet's own time zone.
 *
 * A date typed in a cell is midnight in the SPREADSHEET's zone; getValues returns it as a JS Date,
 * whose getDate()/getMonth() read it in the SCRIPT's zone (the manifest timeZone) — "differing zones
 * are a frequent source of scripting bugs" (Session.getScriptTimeZone docs; semantics S2.11, S4.3,
 * V1.7). A Europe/Berlin sheet under a Europe/London script read 2025-09-08 as 2025-09-07. So the
 * gas layer turns every Date of a block it reads into the text the sheet shows for it — 'yyyy-MM-dd'
 * for a date, 'yyyy-MM-dd HH:mm:ss' for a date-time — with Utilities.formatDate in the sheet's zone,
 * before the pure core sees it. One formatDate per distinct instant (a block rarely holds many).
 */
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** A converter for one execution: Date → its wall-clock text in the spreadsheet's zone (memoised). */
export function sheetDateText(ss: Spreadsheet): (d: Date) => string {
  let tz: string | null = null; // asked for on the first Date only
  const seen = new Map<number, string>();
  return (d: Date) => {
    if (tz === null) tz = ss.getSpreadsheetTimeZone() || Session.getScriptTimeZone();
    const ms = d.getTime();
    if (Number.isNaN(ms)) return '';
    let text = seen.get(ms);
    if (text === undefined) {
      text = Utilities.formatDate(d, tz, 'yyyy-MM-dd HH:mm:ss').replace(/ 00:00:00$/, '');
      seen.set(ms, text);
    }
    return text;
  };
}

/** The same block with every Date cell as its text in the spreadsheet's zone (other cells as they were). */
export function withSheetDates<T extends readonly (readonly unknown[])[]>(ss: Spreadsheet, values: T, toText: (d: Date) => string = sheetDateText(ss)): unknown[][] {
  if (!values.some((row) => row.some(isDate))) return values as unknown as unknown[][];
  return values.map((row) => row.map((v) => (isDate(v) ? toText(v) : v)));
}
