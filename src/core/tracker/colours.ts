/**
 * Colour coding of the tracker (seed 002: "RTC marked green on Google Sheet"; ROPC "marked on the
 * sheet"). Light tints of the Okabe–Ito palette, chosen so every pair stays apart (CIE76 ΔE ≥ 10)
 * in normal vision and under simulated deuteranopia and protanopia, and so black text keeps at
 * least 4.5:1 contrast (test/unit/colours.test.ts measures both). Colour is never the only signal:
 * the Step, PA/Severe and Contact due columns say the same thing in words.
 */
import type { StudentRecord } from '../schoolModel';
import type { ColumnMapping } from './columns';

export type Band = 'none' | 'monitoring' | 'letters' | 'legal';

export const COLOURS = {
  none: '#ffffff',
  /** Okabe–Ito sky blue, tinted. */
  monitoring: '#cde6f7',
  /** Okabe–Ito orange, tinted. */
  letters: '#fcd58c',
  /** Okabe–Ito vermillion, tinted. */
  legal: '#e89f80',
  /** Okabe–Ito bluish green, tinted: "RTC marked green". */
  rtc: '#8fd9bd',
  /** Okabe–Ito reddish purple, tinted. */
  ropc: '#d9a8c9',
  /** Okabe–Ito yellow: the contact due date has passed with no contact logged. */
  overdue: '#f5ea4d',
  /** Neutral grey: the row could not be evaluated (its Why column says why). */
  notEvaluated: '#e0e0e0',
} as const;

export type ColourName = keyof typeof COLOURS;

/** First step of the letters band and of the legal band, per policy. */
export interface BandLimits {
  letters: number;
  legal: number;
}

/**
 * Seed 002: steps 1–3 are tutor monitoring, 4–6 letters and AIM meetings, 7–10 home visit,
 * warning and legal referrals. Seed 004: steps 1–6 are letters, 7–8 the hearing and the state's
 * attorney. Generic (seeds 000/001): notification, then meetings; no legal step.
 */
const BANDS_BY_POLICY: Record<string, BandLimits> = {
  'uk-secondary-sol': { letters: 4, legal: 7 },
  'us-illinois-elementary': { letters: 1, legal: 7 },
  generic: { letters: 2, legal: 99 },
};

/** The band limits of a policy; an unknown policy of n steps splits into thirds. */
export function bandsFor(policyId: string, stepCount = 10): BandLimits {
  return BANDS_BY_POLICY[policyId] ?? { letters: Math.floor(stepCount / 3) + 1, legal: Math.floor((2 * stepCount) / 3) + 1 };
}

export function bandOf(step: number, limits: BandLimits = BANDS_BY_POLICY['uk-secondary-sol']!): Band {
  if (step <= 0) return 'none';
  if (step >= limits.legal) return 'legal';
  if (step >= limits.letters) return 'letters';
  return 'monitoring';
}

export const LEGEND: { label: string; colour: string; meaning: string }[] = [
  { label: 'No step', colour: COLOURS.none, meaning: 'No intervention needed (row)' },
  { label: 'Monitoring', colour: COLOURS.monitoring, meaning: 'Steps 1–3: tutor conversation, parent contact, 2-week monitoring (row)' },
  { label: 'Letters', colour: COLOURS.letters, meaning: 'Steps 4–6: letters 1–3 and AIM meetings (row)' },
  { label: 'Legal', colour: COLOURS.legal, meaning: 'Steps 7–10: home visit, warning letter, penalty notice, prosecution (row)' },
  { label: 'RTC', colour: COLOURS.rtc, meaning: 'Record of Tutor Conversation made (RTC cell)' },
  { label: 'ROPC', colour: COLOURS.ropc, meaning: 'Record of Phone Call made (ROPC cell)' },
  { label: 'Overdue', colour: COLOURS.overdue, meaning: 'Contact due date passed with no contact logged (Contact due cell, also says "overdue")' },
  { label: 'Not evaluated', colour: COLOURS.notEvaluated, meaning: 'Row could not be evaluated: the Why column says what to fix (row)' },
];

/** The legend as text, for the note on the Step header. */
export function legendText(): string {
  return ['SOL Tracker colours (each also shown in words):', ...LEGEND.map((l) => `${l.label}: ${l.meaning}`)].join('\n');
}

/** A row filled with one colour, for rows that are not evaluated or blank. */
export function plainRow(colour: string | null, columnCount: number): (string | null)[] {
  return new Array<string | null>(columnCount).fill(colour);
}

/**
 * Per-cell backgrounds of one tracker row: the step band over the row, the RTC cell green when a
 * tutor conversation is recorded, the ROPC cell its colour when a call is recorded, the Contact due
 * cell yellow when overdue. No step → null (the sheet's default background).
 */
export function rowColours(record: StudentRecord, columnCount: number, mapping: ColumnMapping, limits?: BandLimits): (string | null)[] {
  const band = bandOf(record.placement.step, limits);
  const row = plainRow(band === 'none' ? null : COLOURS[band], columnCount);
  const put = (col: number | undefined, colour: string) => {
    if (col !== undefined && col < columnCount) row[col] = colour;
  };
  if (record.student.rtc !== '') put(mapping.rtc, COLOURS.rtc);
  if (record.student.ropc !== '') put(mapping.ropc, COLOURS.ropc);
  if (record.overdue) put(mapping.contactDue, COLOURS.overdue);
  return row;
}
