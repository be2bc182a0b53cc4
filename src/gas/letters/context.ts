/**
 * What every letter operation starts from: the spreadsheet, settings, the signed-in member of
 * staff (checked against the action), today's date, and the locked section.
 */
import type { Action, Actor } from '../../core/roles';
import type { Settings } from '../../core/settings';
import { resolveActivePolicy } from '../../core/activePolicy';
import { dateFormatFor, type SchoolDateFormat } from '../../core/format';
import { timestampIso, todayIso } from '../clock';
import { withDocumentLock } from '../lock';
import { authorise } from '../session';
import { loadSettings } from '../settingsStore';
import { stampIfLogChanged } from './logWriter';
import { getSpreadsheet } from '../spreadsheet';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface LetterContext {
  ss: Spreadsheet;
  settings: Settings;
  actor: Actor;
  today: string;
  /** The ledger's 'Updated at': an ISO instant (UTC), from the clock each time — no service call. */
  now(): string;
  /** 'Recorded at' for Interventions Log rows, in the spreadsheet's time zone (2 service calls). */
  recordedAt(): string;
  /** The name that signs letters. */
  staffName: string;
  /** How this school writes dates for people (src/core/format). */
  dateFormat: SchoolDateFormat;
}

export function letterContext(action: Action): LetterContext {
  const ss = getSpreadsheet();
  const settings = loadSettings(ss).settings;
  const actor = authorise(settings, action);
  return {
    ss,
    settings,
    actor,
    today: todayIso(ss),
    now: () => new Date().toISOString(),
    recordedAt: () => timestampIso(ss, new Date()),
    staffName: actor.member?.name?.trim() || settings.senderName,
    dateFormat: dateFormatFor(resolveActivePolicy(settings).table.id),
  };
}

/**
 * Runs fn under the document lock; when another process holds it, says so in words (nothing was
 * done) and keeps Apps Script's own text for support.
 */
export function underLock<T>(what: string, fn: () => T): T {
  try {
    return withDocumentLock(() => {
      let done = false;
      try {
        const result = fn();
        done = true;
        return result;
      } finally {
        // Log rows appended: one SOL_UPDATED stamp for the whole operation. After a failure the
        // stamp is still attempted, but its own failure never hides the first one.
        try {
          stampIfLogChanged();
        } catch (stampError) {
          if (done) throw stampError;
        }
      }
    });
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    if (/^Lock timeout/i.test(msg)) {
      throw new Error(`Someone else is changing the tracker or sending letters right now, so ${what} did not start and nothing was changed. Try again in a minute. (${msg})`);
    }
    throw e;
  }
}
