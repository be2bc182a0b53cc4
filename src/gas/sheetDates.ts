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

/**
 * Converters made in this execution, one per spreadsheet object (globals start afresh in each
 * execution, V1.4): the zone is asked once and each instant formatted once, however many times the
 * same tabs are read (Settings is read by several steps of one call).
 */
const converters = new WeakMap<object, (d: Date) => string>();

/** A converter for one execution: Date → its wall-clock text in the spreadsheet's zone (memoised). */
export function sheetDateText(ss: Spreadsheet): (d: Date) => string {
  const known = converters.get(ss);
  if (known) return known;
  let tz: string | null = null; // asked for on the first Date only
  let sameZone = false;
  const seen = new Map<number, string>();
  const convert = (d: Date) => {
    if (tz === null) {
      const scriptZone = Session.getScriptTimeZone();
      tz = ss.getSpreadsheetTimeZone() || scriptZone;
      // The usual case: one zone. A JS Date's local fields ARE the script's zone (V1.7), so no
      // Utilities call is needed at all; a sheet in another zone is formatted in its own.
      sameZone = tz === scriptZone;
    }
    const ms = d.getTime();
    if (Number.isNaN(ms)) return '';
    let text = seen.get(ms);
    if (text === undefined) {
      text = (sameZone ? localText(d) : Utilities.formatDate(d, tz, 'yyyy-MM-dd HH:mm:ss')).replace(/ 00:00:00$/, '');
      seen.set(ms, text);
    }
    return text;
  };
  converters.set(ss, convert);
  return convert;
}

/** 'yyyy-MM-dd HH:mm:ss' from the Date's local (script-zone) fields. */
function localText(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear()).padStart(4, '0')}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The same block with every Date cell as its text in the spreadsheet's zone (other cells as they were). */
export function withSheetDates<T extends readonly (readonly unknown[])[]>(ss: Spreadsheet, values: T, toText: (d: Date) => string = sheetDateText(ss)): unknown[][] {
  if (!values.some((row) => row.some(isDate))) return values as unknown as unknown[][];
  return values.map((row) => row.map((v) => (isDate(v) ? toText(v) : v)));
}
