/**
 * SOL_UPDATED: the add-on's update stamp, so that =ATTEND_TIER(id, SOL_UPDATED) can never go stale.
 *
 * Sheets re-runs a custom function only when its formula or the value of one of its arguments
 * changes: "the custom function doesn't recalculate until you edit the function, or you change the
 * value of a referenced cell" (https://developers.google.com/apps-script/guides/sheets/functions;
 * semantics S9.2). ATTEND_TIER by student ID reads the Register, the log and the tracker through
 * SpreadsheetApp, which creates no dependency — so with the ID as its only argument it kept showing
 * the step of the day it was typed. Every change the add-on makes to what an evaluation reads
 * (Recalculate — which also follows every import and the weekly job —, a logged contact, an RTC/ROPC
 * typed in the tracker, a letter sent) writes the time into this named cell; a formula that names it
 * as an argument is re-run by Sheets each time. ATTEND_TIER checks that its second argument IS the
 * current stamp, so a formula cannot pass something else and go stale quietly.
 *
 * The stamp is a date-time to the millisecond on a hidden tab ("SOL Updates"), one setValue per
 * change once the tab exists.
 */
import { SHEET_NAMES } from './sheetNames';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const UPDATED_RANGE_NAME = 'SOL_UPDATED';
const STAMP_FORMAT = 'd mmm yyyy hh:mm:ss.000';
const LABEL = 'Tracker data last changed by SOL Tracker. Formulas =ATTEND_TIER(student ID, SOL_UPDATED) recalculate when this cell changes: do not edit it.';

/** Writes a new stamp (creating the hidden tab and the named range the first time). */
export function markTrackerChanged(ss: Spreadsheet, now: Date = new Date()): void {
  const named = ss.getRangeByName(UPDATED_RANGE_NAME);
  if (named) {
    named.setValue(now);
    return;
  }
  // First time: the tab is made hidden and the user's active tab stays active (insertSheet activates, S1.4).
  const active = ss.getActiveSheet();
  const sheet = ss.getSheetByName(SHEET_NAMES.updates) ?? ss.insertSheet(SHEET_NAMES.updates);
  sheet.getRange(1, 1).setValue(LABEL);
  const stamp = sheet.getRange(1, 2);
  stamp.setNumberFormat(STAMP_FORMAT);
  stamp.setValue(now);
  ss.setNamedRange(UPDATED_RANGE_NAME, stamp);
  sheet.hideSheet();
  if (active) ss.setActiveSheet(active);
}

/** The current stamp, or null when none was written yet (read-only: custom functions use it). */
export function currentStamp(ss: Spreadsheet): Date | null {
  const named = ss.getRangeByName(UPDATED_RANGE_NAME);
  if (!named) return null;
  const v = named.getValue();
  return Object.prototype.toString.call(v) === '[object Date]' ? (v as Date) : null;
}
