/**
 * The three shipped ladders, transcribed from the school SOPs in /work/shared/seeds (DESIGN.md §3).
 * Plain data: nothing is parsed or built at load; tests check each one against PolicySchema.
 */
import type { Condition, Policy } from './schema';

const below = (percent: number): Condition => ({ kind: 'attendanceBelow', percent });
const noImprovementSince = (step: number): Condition => ({ kind: 'noImprovementSinceStep', step });
const anyOf = (...conditions: Condition[]): Condition => ({ kind: 'anyOf', conditions });
const allOf = (...conditions: Condition[]): Condition => ({ kind: 'allOf', conditions });

/**
 * Seed 002 "Attendance Procedures" (SOL Tracker), DfE 2024 codes. Each step is entered by its own
 * attendance threshold, or by "no improvement" once the previous step's review date is reached
 * ("Jump escalations at any stage if no improvement"). Step 5's 93% is the "national average" jump
 * to Letter 2: national absence 7.1% in 2023/24 (attendance-rules.md §1.5).
 */
const UK_SECONDARY_SOL: Policy = {
  id: 'uk-secondary-sol',
  label: 'UK secondary: SOL Tracker attendance procedures (10 interventions)',
  codeTableId: 'dfe-2024',
  sessionsPerDay: 2,
  letterWindow: 'term',
  steps: [
    {
      number: 1,
      label: 'Step 1 – Tutor conversation',
      owner: 'Tutor',
      actions: [{ kind: 'conversation', description: 'Supportive tutor conversation with the student about reasons and barriers; record on the SOL Tracker' }],
      entry: { kind: 'anyAbsence' },
      reviewSchoolDays: 10,
    },
    {
      number: 2,
      label: 'Step 2 – Tutor contacts parent',
      owner: 'Tutor',
      actions: [
        { kind: 'conversation', description: 'Tutor talks to the student' },
        { kind: 'call', description: 'Tutor contacts the parent/carer, informs the Head of Year, possible 2-week monitoring (RTC marked green)' },
      ],
      // "Broken weeks or second bout of illness in short space of time".
      entry: { kind: 'brokenWeeks', count: 2, withinSchoolDays: 20 },
      reviewSchoolDays: 10,
    },
    {
      number: 3,
      label: 'Step 3 – Parent contact & 2-week monitoring',
      owner: 'Tutor',
      actions: [
        { kind: 'conversation', description: 'Tutor talks to the student (Attendance Monday)' },
        { kind: 'call', description: 'Tutor contacts parents/carers to confirm 2-week monitoring (ROPC form)' },
      ],
      entry: below(97),
      reviewSchoolDays: 10,
    },
    {
      number: 4,
      label: 'Step 4 – Letter 1',
      owner: 'AO/HOY',
      actions: [
        { kind: 'call', description: 'Call home from the Attendance Officer or Head of Year (ROPC form)' },
        { kind: 'letter', letterId: 'letter1', description: 'Letter 1: general concern regarding attendance, 2-week monitoring with review date' },
      ],
      entry: anyOf(below(95), noImprovementSince(3)),
      reviewSchoolDays: 10,
    },
    {
      number: 5,
      label: 'Step 5 – Letter 2, AIM 1',
      owner: 'AO/HOY/AL',
      actions: [
        { kind: 'meeting', description: 'AIM 1 meeting with parent/carer and the attendance team' },
        { kind: 'letter', letterId: 'letter2', description: 'Letter 2 issued at the meeting: absence may not be authorised; review date in 2–3 weeks' },
      ],
      entry: anyOf(below(93), noImprovementSince(4)),
      reviewSchoolDays: 15,
    },
    {
      number: 6,
      label: 'Step 6 – Letter 3, AIM 2',
      owner: 'AO/HOY',
      actions: [
        { kind: 'letter', letterId: 'letter3', description: 'Letter 3: AIM 2 meeting with the attendance team' },
        { kind: 'meeting', description: 'AIM 2 meeting; review date from Letter 2' },
        { kind: 'referral', description: 'Possible referral to the LA Education & Inclusion team if no genuine reason for absence' },
      ],
      // Below 90% is persistent absence territory (attendance-rules.md §1.4).
      entry: anyOf(below(90), noImprovementSince(5)),
      reviewSchoolDays: 15,
    },
    {
      number: 7,
      label: 'Step 7 – Home visit / AIM',
      owner: 'AO/HOY/AL',
      actions: [
        { kind: 'homeVisit', description: 'Home visit (only if the parent failed to attend the meeting)' },
        { kind: 'meeting', description: 'AIM meeting following the county template; review date from Letter 3' },
      ],
      // The AIM meetings are at steps 5 and 6.
      entry: anyOf({ kind: 'failedToAttendMeeting', atOrAfterStep: 5 }, noImprovementSince(6)),
      reviewSchoolDays: 15,
    },
    {
      number: 8,
      label: 'Step 8 – Letter 4, warning',
      owner: 'AO/HOY/AL',
      actions: [{ kind: 'letter', letterId: 'letter4', description: 'Letter 4: warning that legal action may result if there is no immediate improvement' }],
      entry: noImprovementSince(7),
      reviewSchoolDays: 10,
    },
    {
      number: 9,
      label: 'Step 9 – Penalty notice referral',
      owner: 'AO/HOY/AL',
      actions: [{ kind: 'referral', description: 'Penalty notice referral to the local authority' }],
      // National threshold: 10 unauthorised sessions in 10 school weeks (attendance-rules.md §1.6),
      // but only once support has been tried (WTISA support-first, §1.7): at step 6 or later.
      // atStep first: allOf stops at the first unmet condition, sparing the marks scan.
      entry: anyOf(noImprovementSince(8), allOf({ kind: 'atStep', step: 6 }, { kind: 'penaltyThresholdReached' })),
      reviewSchoolDays: 15,
    },
    {
      number: 10,
      label: 'Step 10 – Referral for prosecution',
      owner: 'AO/AL/HOY',
      actions: [{ kind: 'referral', description: 'Referral for prosecution to the LA (Inclusion Team)' }],
      entry: noImprovementSince(9),
      reviewSchoolDays: 20,
    },
  ],
};

/**
 * Seed 004 "Elementary Attendance & Truancy SOP" (Illinois), one daily session, US codes.
 * Letters go once per academic year. After the truancy hearing (step 6), 20 school days with no
 * unexcused absence and 90% attendance end the probation (seed 004 item 15).
 */
const US_ILLINOIS_ELEMENTARY: Policy = {
  id: 'us-illinois-elementary',
  label: 'US Illinois elementary: attendance & truancy SOP',
  codeTableId: 'us-illinois',
  sessionsPerDay: 1,
  letterWindow: 'academicYear',
  steps: [
    {
      number: 1,
      label: 'Step 1 – Probation warning letter',
      owner: 'Building Secretary',
      actions: [{ kind: 'letter', letterId: 'probation-warning', description: 'Warning letter for attendance probation (5–9 unverified absences)' }],
      entry: { kind: 'unverifiedAtLeast', sessions: 5 },
      reviewSchoolDays: 20,
    },
    {
      number: 2,
      label: 'Step 2 – Attendance probation letter',
      owner: 'Building Secretary',
      actions: [{ kind: 'letter', letterId: 'probation', description: 'Attendance probation letter (10 or more unverified absences)' }],
      entry: { kind: 'unverifiedAtLeast', sessions: 10 },
      reviewSchoolDays: 20,
    },
    {
      number: 3,
      label: 'Step 3 – 5-day letter',
      owner: 'Building Secretary/Building Admin',
      actions: [{ kind: 'letter', letterId: 'five-day', description: '5-day letter, signed by the building admin; share with the ROE truancy interventionist' }],
      entry: { kind: 'unexcusedAtLeast', sessions: 5 },
      reviewSchoolDays: 20,
    },
    {
      number: 4,
      label: 'Step 4 – ROE 2nd notification',
      owner: 'Truancy Interventionist',
      actions: [{ kind: 'letter', letterId: 'roe-2', description: '2nd notification from the Regional Attendance Cooperative; 90% attendance counts as improved' }],
      // "below 90% with 1 unexcused absence ... after 1st letter".
      entry: allOf(below(90), { kind: 'unexcusedAtLeast', sessions: 1, sinceStep: 3 }),
      reviewSchoolDays: 20,
    },
    {
      number: 5,
      label: 'Step 5 – ROE 3rd notification & home visit',
      owner: 'Truancy Interventionist',
      actions: [
        { kind: 'letter', letterId: 'roe-3', description: '3rd notification from the Regional Office of Education' },
        { kind: 'homeVisit', description: 'Home visit, phone call, any form of contact possible' },
      ],
      // "Continuing to be below 90% with 2 or more unexcused absences".
      entry: allOf(below(90), { kind: 'unexcusedAtLeast', sessions: 2, sinceStep: 4 }),
      reviewSchoolDays: 20,
    },
    {
      number: 6,
      label: 'Step 6 – Truancy hearing packet',
      owner: 'Truancy Interventionist',
      actions: [{ kind: 'referral', description: 'Develop the packet for the ROE; truancy hearing scheduled at the school (20 days with no unexcused absence and 90% expected)' }],
      // "All truancy interventionist interventions are exhausted and unexcused absences continue".
      entry: allOf({ kind: 'reviewPassed', step: 5 }, { kind: 'unexcusedAtLeast', sessions: 1, sinceStep: 5 }),
      reviewSchoolDays: 20,
    },
    {
      number: 7,
      label: "Step 7 – State's attorney referral",
      owner: 'ROE Director of At-Risk Student Services',
      actions: [{ kind: 'referral', description: "Submit the case to the state's attorney to establish a court date" }],
      // "Within 20 days, if attendance requirements not met": an unexcused absence after the
      // hearing, or below 90% over the 20 days once they are over.
      entry: allOf(
        { kind: 'atStep', step: 6 },
        anyOf({ kind: 'unexcusedAtLeast', sessions: 1, sinceStep: 6 }, allOf({ kind: 'reviewPassed', step: 6 }, { kind: 'attendanceBelow', percent: 90, sinceStep: 6 })),
      ),
      reviewSchoolDays: 20,
    },
  ],
  deescalation: { afterStep: 6, schoolDaysWithoutUnexcused: 20, minAttendancePercent: 90 },
};

/**
 * Seeds 000/001 generic SOPs: notify on 3 consecutive unexcused days or 5 in a term, within 1–2
 * school days; then a meeting if unresolved, then an attendance improvement plan. The wording
 * (unexcused, SIS, counselor) is US, so it uses daily sessions and the US code table by default.
 */
const GENERIC: Policy = {
  id: 'generic',
  label: 'Generic: notify parents, meeting, attendance improvement plan',
  codeTableId: 'us-illinois',
  sessionsPerDay: 1,
  letterWindow: 'term',
  steps: [
    {
      number: 1,
      label: 'Step 1 – Parent notification',
      owner: 'Attendance Clerk',
      actions: [
        { kind: 'call', description: 'Contact the parent/guardian by their preferred channel (phone call, email or letter)' },
        { kind: 'letter', letterId: 'notification', description: 'Attendance concern notification listing the dates absent' },
      ],
      entry: anyOf({ kind: 'consecutiveUnauthorisedAtLeast', sessions: 3 }, { kind: 'unauthorisedAtLeast', sessions: 5, withinCurrentTerm: true }),
      reviewSchoolDays: 10,
      contactWithinSchoolDays: 2,
    },
    {
      number: 2,
      label: 'Step 2 – Parent meeting',
      owner: 'Counselor/Administrator',
      actions: [{ kind: 'meeting', description: 'Meeting (phone or in person) with the parent/guardian and relevant staff' }],
      entry: noImprovementSince(1),
      reviewSchoolDays: 10,
      contactWithinSchoolDays: 2,
    },
    {
      number: 3,
      label: 'Step 3 – Attendance improvement plan',
      owner: 'Counselor/Administrator',
      actions: [{ kind: 'meeting', description: 'Develop an attendance improvement plan with the parent/guardian' }],
      entry: noImprovementSince(2),
      reviewSchoolDays: 20,
    },
  ],
};

export const DEFAULT_PRESET_ID = 'uk-secondary-sol';

export const PRESETS: Record<string, Policy> = {
  [UK_SECONDARY_SOL.id]: UK_SECONDARY_SOL,
  [US_ILLINOIS_ELEMENTARY.id]: US_ILLINOIS_ELEMENTARY,
  [GENERIC.id]: GENERIC,
};

export function getPreset(id: string): Policy {
  const preset = Object.prototype.hasOwnProperty.call(PRESETS, id) ? PRESETS[id] : undefined;
  if (!preset) throw new Error(`Unknown policy preset "${id}": known presets are ${Object.keys(PRESETS).join(', ')}`);
  return preset;
}
