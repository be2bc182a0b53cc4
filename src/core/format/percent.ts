/**
 * THE percent display rule of the add-on (issue 10): one decimal, rounded half-up, from the exact
 * integer fraction (attended / possible), never from a rounded or truncated intermediate. Every
 * output a person reads uses it: the tracker's Attendance % cell, the sidebar, letters, the weekly
 * report, the Interventions Log and the step explanations. Spanish letters write a decimal comma
 * and a space before the sign ("84,2 %", RAE usage); everything else "84.2%".
 *
 * Thresholds never use these figures: the policy compares exact integers (attended * 1000 <
 * tenths * possible). This module is display only.
 *
 * Why the integer form is exact: tenths = round_half_up(1000 * attended / possible)
 *   = floor((2000 * attended + possible) / (2 * possible)), all in integers (exact far beyond any
 * school's session counts).
 *
 * Why the fraction form is exact too (for figures stored as a fraction, e.g. the Log's
 * "Attendance at time"): for a fraction a/p with p < 10^8, 1000·a/p is either exactly k + ½ or at
 * least 1/(2p) > 5e-9 away from it, while the double a/p is within 2^-53 relative of the true
 * value; so adding 1e-9 before flooring settles the halves upward and moves nothing else.
 */
import { normaliseLanguage } from '../language';

/** Tenths of a percent (842 for 84.2 %), half-up, from the integers. possible 0 reads as 100 %. */
export function percentTenths(attended: number, possible: number): number {
  if (!Number.isInteger(attended) || !Number.isInteger(possible) || attended < 0 || possible < 0 || attended > possible) {
    throw new Error(`Attendance ${attended} of ${possible} sessions is not a valid count.`);
  }
  if (possible === 0) return 1000;
  return Math.floor((2000 * attended + possible) / (2 * possible));
}

/** Tenths of a percent, half-up, of a fraction that came from whole session counts (see above). */
export function fractionTenths(fraction: number): number {
  if (!Number.isFinite(fraction)) throw new Error(`An attendance figure must be a number, got ${String(fraction)}.`);
  return Math.floor(fraction * 1000 + 0.5 + 1e-9);
}

function tenthsText(tenths: number, language?: string): string {
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(tenths);
  const whole = Math.floor(abs / 10);
  const decimal = abs % 10;
  if (language !== undefined && normaliseLanguage(language) === 'es') return `${sign}${whole},${decimal} %`;
  return `${sign}${whole}.${decimal}%`;
}

/** "84.2%" (or "84,2 %" for Spanish) for attended of possible sessions. */
export function formatPercentOf(attended: number, possible: number, language?: string): string {
  return tenthsText(percentTenths(attended, possible), language);
}

/** Same rule for any integer part of a whole (absent of possible, unexcused of possible...). */
export function formatShareOf(part: number, whole: number, language?: string): string {
  return formatPercentOf(part, whole, language);
}

/** "84.2%" for a stored fraction of whole counts (e.g. the Log's attendance at the time). */
export function formatFraction(fraction: number, language?: string): string {
  return tenthsText(fractionTenths(fraction), language);
}

/** Attendance of a stats object ({ attended, possible }) under the one rule. */
export function formatAttendance(stats: { attended: number; possible: number }, language?: string): string {
  return formatPercentOf(stats.attended, stats.possible, language);
}

/**
 * A change in percentage points between two displayed figures ("3.2"), so that "84.2% → 81.0%,
 * down 3.2 points" always adds up: the difference of the two displayed tenths.
 */
export function formatPointsBetween(beforeFraction: number, nowFraction: number): string {
  const t = fractionTenths(beforeFraction) - fractionTenths(nowFraction);
  const abs = Math.abs(t);
  return `${t < 0 ? '-' : ''}${Math.floor(abs / 10)}.${abs % 10}`;
}

/** The number format the tracker's and the Log's percentage cells carry. */
export const PERCENT_CELL_FORMAT = '0.0%';

/**
 * The number a percentage cell holds: the exact fraction, so sorting, charts and =ATTEND_TIER(cell)
 * see the true value; except when it is exactly half a tenth (e.g. 23/80 = 28.75 %), where the
 * double would sit a hair below the half and Sheets' "0.0%" would show 28.7: then the value is
 * nudged up by 1e-9 (a billionth of a percent point, nowhere near any whole-tenth threshold), so
 * the cell shows the same 28.8% as every other output.
 */
export function percentCellValue(attended: number, possible: number): number {
  if (possible === 0) return 1;
  const t = percentTenths(attended, possible);
  const twiceThousand = 2000 * attended;
  const isHalf = twiceThousand % possible === 0 && (twiceThousand / possible) % 2 === 1;
  return isHalf ? (t - 0.5) / 1000 + 1e-9 : attended / possible;
}

/** percentCellValue for a stored fraction of whole counts (the Log's "Attendance at time"). */
export function fractionCellValue(fraction: number): number {
  const t = fractionTenths(fraction);
  const isHalf = Math.abs(fraction * 1000 - (t - 0.5)) < 1e-9;
  return isHalf ? (t - 0.5) / 1000 + 1e-9 : fraction;
}
