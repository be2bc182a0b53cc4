/**
 * The preview server's HTTP API (preview/server.ts), shared by the page and the server.
 * Types only: both sides import it without pulling code in.
 */

export interface SheetInfo {
  name: string;
  /** Last row with content (the header row included). */
  rows: number;
  /** Last column with content. */
  columns: number;
  frozenRows: number;
}

export interface SheetsResponse {
  sheets: SheetInfo[];
  /** The active sheet's name (where the selection is). */
  active: string | null;
}

export interface SheetRow {
  /** 1-based sheet row. */
  row: number;
  /** Display values, as Sheets shows them. */
  values: string[];
  /** '#rrggbb' per cell. */
  backgrounds: string[];
  /** 'bold' | 'normal' per cell. */
  fontWeights: string[];
  /** '#rrggbb' per cell. */
  fontColors: string[];
}

export interface SheetWindowResponse {
  name: string;
  rows: number;
  columns: number;
  frozenRows: number;
  /** The frozen (header) rows, always sent. */
  header: SheetRow[];
  /** Rows offset+1 … offset+limit after the frozen rows' area (1-based row numbers in each row). */
  offset: number;
  data: SheetRow[];
  /** The selected row when it is on this sheet, else null. */
  selectedRow: number | null;
}

export interface AttachmentInfo {
  index: number;
  name: string;
  contentType: string;
  size: number;
}

export interface MailInfo {
  index: number;
  to: string;
  cc: string;
  subject: string;
  /** ISO timestamp (modelled clock). */
  at: string;
  body: string;
  htmlBody: string | null;
  attachments: AttachmentInfo[];
}

export interface OutboxResponse {
  mails: MailInfo[];
}

export interface ClockResponse {
  /** ISO timestamp of the modelled clock. */
  now: string;
  /** 'yyyy-MM-dd' in the school's time zone. */
  date: string;
  /** e.g. 'Friday 5 December 2025, 10:00'. */
  label: string;
  timeZone: string;
}

export interface AdvanceResponse {
  clock: ClockResponse;
  /** Triggers that ran while the clock moved: 'handler' or 'handler ×N' (hourly triggers run often). */
  fired: string[];
  /** Trigger failures, in words. */
  errors: string[];
}

export interface PreviewUser {
  email: string;
  name: string;
  role: string;
  /** e.g. 'Year 9' or '9B'. */
  detail: string;
}

export interface UsersResponse {
  users: PreviewUser[];
  current: string;
}

export interface StateResponse {
  /** Increases on every change the page should show (RPC, clock, selection, user). */
  version: number;
  /** Messages from start-up (setup/recalculation missing or failing), shown on the page. */
  notices: string[];
}
