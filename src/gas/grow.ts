/**
 * Every tab grows before it is written (DESIGN.md §5): a range past the sheet's last row or column
 * fails with "The coordinates of the range are outside the dimensions of the sheet." (semantics
 * S3.x), and a new tab has only 1,000 rows. One getMaxRows/getMaxColumns each, an insert only when
 * needed.
 */
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export function ensureRows(sheet: Sheet, lastRow: number, lastColumn = 0): void {
  const maxRows = sheet.getMaxRows();
  if (lastRow > maxRows) sheet.insertRowsAfter(maxRows, lastRow - maxRows);
  if (lastColumn > 0) {
    const maxColumns = sheet.getMaxColumns();
    if (lastColumn > maxColumns) sheet.insertColumnsAfter(maxColumns, lastColumn - maxColumns);
  }
}
