/**
 * CSV reader for MIS exports (RFC 4180): quoted fields, doubled quotes, CRLF or LF line ends, a
 * byte-order mark, and comma, semicolon (European Excel) or tab separators, detected from the
 * header line. Written here rather than imported so the bundle stays small and Apps Script-safe.
 */

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvError {
  /** 1-based line in the file. */
  line: number;
  message: string;
}

export interface CsvParseResult {
  rows: string[][];
  /** 1-based line on which each row starts (a quoted field may span lines). */
  lines: number[];
  errors: CsvError[];
  delimiter: CsvDelimiter;
}

const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t'];

export function delimiterName(d: CsvDelimiter): string {
  return d === '\t' ? 'tab' : d === ';' ? 'semicolon' : 'comma';
}

/** The separator that occurs most often, outside quotes, on the first line; comma on a tie. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CANDIDATES.map((d) => [d, 0]));
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && counts.has(ch as CsvDelimiter)) counts.set(ch as CsvDelimiter, counts.get(ch as CsvDelimiter)! + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of CANDIDATES) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Rows of a CSV file. Empty lines are dropped (their line numbers still count). A quote that is
 * never closed is reported with the line it opened on; the rest of the file is then one field,
 * so the caller must not use the rows when there are errors.
 */
export function parseCsv(text: string, delimiter?: CsvDelimiter): CsvParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = delimiter ?? detectDelimiter(source);
  const rows: string[][] = [];
  const lines: number[] = [];
  const errors: CsvError[] = [];

  let line = 1;
  let rowStartLine = 1;
  let row: string[] = [];
  let field = '';
  let fieldWasQuoted = false;
  let i = 0;
  const n = source.length;

  const endRow = (): void => {
    row.push(field);
    // A line with nothing on it is not a row; ",," is (a row of empty fields).
    if (!(row.length === 1 && row[0] === '' && !fieldWasQuoted)) {
      rows.push(row);
      lines.push(rowStartLine);
    }
    row = [];
    field = '';
    fieldWasQuoted = false;
  };

  while (i < n) {
    const ch = source[i];
    if (ch === '"' && field === '' && !fieldWasQuoted) {
      // Quoted field: read to the closing quote; "" is a literal quote.
      fieldWasQuoted = true;
      const openLine = line;
      i++;
      let closed = false;
      let start = i;
      while (i < n) {
        const c = source[i];
        if (c === '"') {
          if (source[i + 1] === '"') {
            field += source.slice(start, i + 1);
            i += 2;
            start = i;
            continue;
          }
          field += source.slice(start, i);
          i++;
          closed = true;
          break;
        }
        if (c === '\n') line++;
        else if (c === '\r' && source[i + 1] !== '\n') line++;
        i++;
      }
      if (!closed) {
        field += source.slice(start, i);
        errors.push({ line: openLine, message: `Line ${openLine}: a quoted field is never closed (missing ")` });
      }
      continue;
    }
    if (ch === sep) {
      row.push(field);
      field = '';
      fieldWasQuoted = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      rowStartLine = line;
      continue;
    }
    // Unquoted text runs to the next separator or line end. Text after a closing quote (`"a"b`)
    // is not RFC 4180, but Excel keeps it: so do we.
    const start = i;
    while (i < n) {
      const c = source[i];
      if (c === sep || c === '\r' || c === '\n') break;
      i++;
    }
    field += source.slice(start, i);
  }
  if (field !== '' || fieldWasQuoted || row.length > 0) endRow();

  return { rows, lines, errors, delimiter: sep };
}

