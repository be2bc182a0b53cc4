/**
 * Small records kept IN the spreadsheet file as developer metadata with PROJECT visibility
 * (https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#addDeveloperMetadata(String,String,DeveloperMetadataVisibility);
 * "Project-visible metadata is only visible to and accessible by the developer project that created
 * the metadata", …/developer-metadata-visibility). Unlike document properties they are reachable from
 * every execution that can open the file — a time-driven trigger without its document included — and
 * unlike a cell nobody edits them from the grid. Kept small (a few hundred characters each).
 */
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Metadata = GoogleAppsScript.Spreadsheet.DeveloperMetadata;

/** Entries found in this execution (globals start afresh in each execution, V1.4): one lookup each. */
const found = new WeakMap<object, Map<string, Metadata>>();

export function fileRecordEntry(ss: Spreadsheet, key: string): Metadata | null {
  const known = found.get(ss)?.get(key);
  if (known) return known;
  for (const m of ss.getDeveloperMetadata()) {
    if (m.getKey() !== key) continue;
    let byKey = found.get(ss);
    if (!byKey) found.set(ss, (byKey = new Map()));
    byKey.set(key, m);
    return m;
  }
  return null;
}

/** The record's text, or null when there is none. Throws when Google cannot read it. */
export function readFileRecord(ss: Spreadsheet, key: string): string | null {
  const entry = fileRecordEntry(ss, key);
  return entry ? entry.getValue() : null;
}

/** Writes the record (creating it the first time). */
export function writeFileRecord(ss: Spreadsheet, key: string, text: string, entry: Metadata | null = fileRecordEntry(ss, key)): void {
  if (entry) entry.setValue(text);
  else ss.addDeveloperMetadata(key, text, SpreadsheetApp.DeveloperMetadataVisibility.PROJECT); // found (and cached) on the next read
}
