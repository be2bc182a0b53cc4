/**
 * Making outside text safe for the places it lands: sheet cells (written USER_ENTERED) and HTML
 * (the sidebar, letters). Names, comments and imported values come from parents, staff and MIS
 * exports, so none of them is trusted.
 */

/** Characters that make Sheets (or a CSV opened in a spreadsheet) treat a cell as a formula. */
const FORMULA_TRIGGERS = /^[=+\-@]/;
/** Tab and CR at the start are also formula triggers in CSV/spreadsheet injection attacks. */
const LEADING_TAB_OR_CR = /^[\t\r]/;
/**
 * Text that USER_ENTERED parsing would turn into something else (semantics S4.6): numbers
 * ("00123", "0770090012"), percentages, dates, booleans. A leading
 * zero in a US student number or a phone number would be lost, and an ID that became a number
 * would no longer match its register row.
 */
const COERCED_BY_SHEETS = /^(\s*[-+]?[\d.,]+\s*%?\s*|\s*\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?\s*|true|false)$/i;
/** Control characters except newline (\n); \r is normalised to \n first. */
const CONTROL_CHARS = /[\u0000-\u0009\u000B-\u001F\u007F]/g;

/**
 * A string as it must be written to a cell so Sheets stores exactly that text and never runs it
 * as a formula. With USER_ENTERED input a leading apostrophe forces text and is not part of the
 * stored value (apps-script-semantics.md S4.6), so `'=1+1` is stored as the text `=1+1`.
 * A value that already starts with an apostrophe gets one more, or Sheets would eat it; text that
 * Sheets would read as a number, date or boolean ("00123", "2024-01-31", "TRUE") is kept as text too.
 */
export function asSheetText(value: string): string {
  const text = String(value);
  const startsWithTabOrCr = LEADING_TAB_OR_CR.test(text);
  const cleaned = text.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
  if (startsWithTabOrCr || FORMULA_TRIGGERS.test(cleaned) || cleaned.startsWith("'") || COERCED_BY_SHEETS.test(cleaned)) {
    return `'${cleaned}`;
  }
  return cleaned;
}

/** A cell value read from a sheet or a file, as trimmed text; '' for an empty cell. */
export function cleanCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).trim();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe to place in HTML element content or a quoted attribute. */
export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/** Control characters that never leave the add-on (newline and tab are kept; CR becomes newline). */
const OUTBOUND_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text as it may leave the add-on (an email, a letter, a document): no control characters. */
export function outboundText(value: string): string {
  return String(value).replace(/\r\n?/g, '\n').replace(OUTBOUND_CONTROL, '');
}

/**
 * Sensible lengths for free text a person or a file gives the add-on (issue 12 §4). Longer text is
 * refused (a form) or cut and reported (a tab), with a message naming where.
 */
export const TEXT_LIMITS = {
  /** A pupil's or a parent's name, a member of staff's name. */
  name: 100,
  /** The school's name, the sender name on emails. */
  schoolName: 100,
  /** An email address (RFC 5321's 254). */
  email: 254,
  /** A year group or tutor group, a phone number. */
  group: 40,
  /** A student ID (UPNs are 13 characters). */
  studentId: 50,
  /** Why a letter is left out. */
  reason: 500,
} as const;

/** "School name is 5,000 characters long; at most 100 are allowed — shorten it." or null. */
export function tooLong(where: string, value: string, max: number, verb = 'are allowed'): string | null {
  const n = String(value).length;
  return n > max ? `${where} is ${n.toLocaleString('en-GB')} characters long; at most ${max.toLocaleString('en-GB')} ${verb} — shorten it.` : null;
}
