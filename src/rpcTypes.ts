/**
 * The sidebar ⇄ server contract: every function the sidebar calls with google.script.run, with its
 * one request object (or none) and its response. Types only — no code — so both the browser bundle
 * (sidebar/) and the server (src/) import it without pulling anything in.
 *
 * Rules of the wire (apps-script-semantics.md H2.3–H2.4): requests and responses are plain JSON
 * data — primitives, plain objects, arrays, null. No Date (a Date in a response turns the whole
 * response into null): dates are ISO strings, 'yyyy-MM-dd' for school days and full ISO
 * timestamps for instants. No undefined inside arrays. A server exception reaches the sidebar as
 * an Error whose message is the exception's message, so throw messages a person can read.
 */
import type { TodayCallRow } from './core/todayCalls';
import type { PolicyFile, PolicyProblem } from './core/policy/file';
import type { PolicyImpact } from './core/policy/impact';

/** 'yyyy-MM-dd' in the school's time zone. */
export type IsoDateString = string;
/** A full ISO 8601 timestamp, e.g. '2025-03-14T08:15:00.000Z'. */
export type IsoTimestamp = string;

export type StaffRole = 'Tutor' | 'HOY' | 'AO' | 'AL' | 'Admin';

export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';

// ---------------------------------------------------------------- bootstrap

/** What the current user may do; the sidebar hides the tabs they cannot use. The server checks again. */
export interface Capabilities {
  logContact: boolean;
  generateLetters: boolean;
  schedule: boolean;
  /** Run the weekly report now (a Head of Year: their own year, to themselves). */
  runReport: boolean;
  recalculate: boolean;
  settings: boolean;
  import: boolean;
  /** Edit the attendance policy (Attendance Lead and Admin). */
  policy: boolean;
  /** Set a pupil's review date (Head of Year for their year, AO, AL, Admin). */
  reviewDate?: boolean;
}

export interface Bootstrap {
  /** role null: the user is not in the staff table (they see only what a tutor would, or nothing). */
  user: { email: string; name: string; role: StaffRole | null };
  schoolName: string;
  policy: { id: string; label: string };
  /** false until Setup has created/adopted the sheets: the sidebar then opens on Setup. */
  setupDone: boolean;
  /** MailApp.getRemainingDailyQuota(), or null when it cannot be read (e.g. not authorised). */
  mailQuotaRemaining: number | null;
  can: Capabilities;
  today: IsoDateString;
  /** How the school writes dates (dd/MM/yyyy UK, MM/dd/yyyy US); the sidebar formats every date with it. */
  dateFormat: 'dd/MM/yyyy' | 'MM/dd/yyyy';
  /** The tab a menu item asked for (e.g. 'letters' from "Generate letters"), once. */
  initialTab: 'student' | 'today' | 'letters' | 'weekly' | 'settings' | 'policy' | null;
}

// ---------------------------------------------------------------- students

export interface ContactHistoryEntry {
  date: IsoDateString;
  /** The member of staff who made the contact (name, or email when no name is known). */
  by: string;
  step: number;
  method: string;
  outcome: string;
  nextAction: string;
  /**
   * The letter's document (a filed copy, or the print pack of a posted letter), from the Log's
   * Document URL: only a Google Docs link (the Log is a tab anyone with edit access can change).
   */
  documentUrl?: string;
}

export interface StudentFlags {
  /** Persistent absence: absent * 10 >= possible. */
  persistent: boolean;
  /** Severe absence: absent * 2 >= possible. */
  severe: boolean;
  /** Unauthorised absences reached the penalty-notice threshold of the policy. */
  penaltyThreshold: boolean;
}

export interface StudentView {
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
  /** Display form, already rounded for people: '91.2%'. Never compare it. */
  attendancePercent: string;
  /** attended / possible, 0..1 (1 when nothing is possible yet). */
  attendanceFraction: number;
  /** Possible sessions so far. */
  possible: number;
  /** Unauthorised absence sessions so far. */
  unauthorised: number;
  flags: StudentFlags;
  /** Ladder step, 0 = no intervention. */
  step: number;
  stepLabel: string;
  /** The evaluation's own sentence: 'Step 5 because attendance 91.2 % < 93 % and …'. */
  explanation: string;
  /** The individual conditions that were met, one per line. */
  reasons: string[];
  nextAction: string;
  /** Who owns the current step (role or name). */
  owner: string;
  reviewDue: IsoDateString | null;
  contactDue: IsoDateString | null;
  overdue: boolean;
  /** Newest first. */
  history: ContactHistoryEntry[];
  /** Set when the register has no marks for several school days (nobody is moved up a step on it). */
  registerNotice?: string | null;
}

export interface StudentSummary {
  studentId: string;
  name: string;
  yearGroup: string;
  tutorGroup: string;
  attendancePercent: string;
  step: number;
}

export interface StudentRequest {
  studentId: string;
}

/** History the school's own tracker records (set-up adoption), per pupil, for confirmation. */
export interface AdoptionPreview {
  /** Headers of the columns read. */
  columns: string[];
  pupils: { studentId: string; name: string; row: number; items: { key: string; what: string; date: string; dateKnown: boolean; step: number }[] }[];
  /** Cells that could not be read, each naming its row and column. */
  questions: string[];
}

export interface AdoptHistoryRequest {
  /** The keys of the items the person confirmed. */
  keys: string[];
}

export interface AdoptHistoryResult {
  recorded: number;
  pupils: number;
}

/** Sets the review date of the pupil's current step; date null or '' puts the policy's review period back. */
export interface SetReviewDateRequest {
  studentId: string;
  /** 'yyyy-MM-dd' (a date input's value). */
  date: string | null;
}

export interface SearchStudentsRequest {
  /** Part of a name or an ID; case-insensitive. */
  query: string;
}

/** The methods the sidebar offers; the server stores them as given (the log's words). */
export type ContactMethod = 'Conversation' | 'Phone call' | 'Email' | 'Letter' | 'Meeting' | 'Home visit' | 'Referral';

export type ContactOutcome =
  | 'Spoke to parent/carer' | 'Spoke to student' | 'No answer' | 'Left message' | 'Letter sent'
  | 'Meeting held' | 'Review held' | 'Parent did not attend' | 'Referred' | 'Other';

export interface LogContactRequest {
  studentId: string;
  method: ContactMethod;
  outcome: ContactOutcome;
  nextAction: string;
  notes: string;
  /** The form submission's reference: pressing again after a failure sends the same one (logged once). */
  requestKey?: string;
}

export interface LogContactResponse {
  logged: true;
  /** The student after the contact was logged and re-evaluated. */
  student: StudentView;
  /** The tracker row's new background, '#rrggbb'. */
  rowColour: string;
}

/** One first-day absence call (seed 003): the core's row, as the sidebar receives it. */
export type TodayCall = TodayCallRow;

export interface TodayCallsResponse {
  date: IsoDateString;
  students: TodayCall[];
  /** Today is a school day in the academic year. */
  schoolDay: boolean;
  /** Any mark for today is in the Register. */
  marksImported: boolean;
  /** When the register was last imported, in words ("Mon 1 Dec 2025 at 08:10"), or null when never recorded. */
  lastImported: string | null;
  /** Set when the register has no marks for several school days: the sentence to show. */
  registerNotice?: string | null;
}

// ---------------------------------------------------------------- letters

export type PlanItemStatus = 'planned' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped' | 'toPrint';

export interface PlanItemView {
  /** Stable per (student, step, window): the idempotency key of the send. Never shown. */
  key: string;
  studentId: string;
  studentName: string;
  /** The pupil's tutor group and year group ('' when the tracker has none): two pupils of one name are told apart. */
  tutorGroup: string;
  yearGroup: string;
  letterId: string;
  /** The letter in words ('Letter 3'): src/core/format. */
  letterName: string;
  step: number;
  /** 'Step 6' / 'No step'. */
  stepName: string;
  /** Language code of the template used ('es'); languageName is what people read ('Spanish'). */
  language: string;
  languageName: string;
  /** No template in the family's language, so the English one is used. */
  fellBackToEnglish: boolean;
  /** The email address the letter goes to. */
  recipient: string;
  /** Why this letter is due, in words. */
  why: string;
  /** The reason the user gave for leaving this letter out, or null when it is included. */
  excluded: string | null;
  /** Why the letter cannot go yet (a merge field has no value…), in words; null when it can. */
  heldBack: string | null;
  status: PlanItemStatus;
}

export interface LetterPlan {
  items: PlanItemView[];
  /** Things that block or affect letters (missing template, no parent email…), in words. */
  problems: string[];
  quotaRemaining: number;
  /** Letters whose send was started but not confirmed (stopped mid-send): they need a decision. */
  unknown: PlanItemView[];
  /** May the signed-in user send (AL, Admin)? An Attendance Officer sees the plan only. */
  canSend: boolean;
  /** When the quota is used up: when it comes back, in words ('at about 14:05 on 27/11/2026'); null otherwise or unknown. */
  quotaResets: string | null;
  /** Modelled seconds one letter takes to send (for the duration estimate in the confirm). */
  secondsPerLetter: number;
  /** Letters the Attendance Lead left out (any window), with the reason: each can be included again. */
  leftOut?: LeftOutLetterView[];
  /** Print packs of posted letters: those with letters still to print first, each with its link. */
  printPacks?: PrintPackView[];
  /** The latest run stopped part-way (e.g. the sidebar was closed): the sidebar offers to resume it. */
  resume?: { runId: string; sent: number; remaining: number; sending: number } | null;
  /** Set when the register has no marks for several school days: the sentence to show, with the last import date. */
  registerNotice?: string | null;
}

export interface SendTestLetterResponse {
  /** The signed-in user's address the test went to. */
  to: string;
  message: string;
}

export interface LeftOutLetterView {
  key: string;
  studentId: string;
  studentName: string;
  /** The pupil's tutor group ('' when unknown): two pupils of one name are told apart. */
  tutorGroup: string;
  /** 'Letter 2' */
  letter: string;
  /** The term or year the letter belonged to, in words. */
  window: string;
  reason: string;
  /** Whether it is still due now (including it again puts it back in this plan). */
  stillDue: boolean;
}

export interface PrintPackView {
  url: string;
  /** Letters in the pack still waiting to be printed. */
  toPrint: number;
  printed: number;
  /** Date of the pack's latest letter, in the school's format. */
  date: string;
}

export interface PrintPackRequest {
  url: string;
}

export interface SetExclusionRequest {
  studentId: string;
  /** Several pupils at once (a tutor group's "Leave all out" / "Include all"), with one reason; studentId is then ignored. */
  studentIds?: string[];
  /** null includes the student again. */
  reason: string | null;
}

export interface PlanItemRequest {
  key: string;
}

export interface LetterPreview {
  subject: string;
  /** The merged letter, one paragraph per entry, plain text. */
  paragraphs: string[];
  language: string;
  /** The email body as it will be sent. The sidebar shows it in a sandboxed iframe (srcdoc), never in its own DOM. */
  emailHtml: string;
}

export interface SendLettersRequest {
  /** null starts a new run; otherwise the runId from the previous response continues it. */
  runId: string | null;
}

export interface SendLettersResponse {
  runId: string;
  /** Sent so far in this run (cumulative). */
  sent: number;
  /** Failed so far in this run (cumulative). */
  failed: number;
  /** Still to send. */
  remaining: number;
  /** Letters in the run. */
  total: number;
  done: boolean;
  /** Why the run paused before done: the sidebar stops looping on anything but null. */
  stoppedBecause: null | 'quota' | 'time' | 'error';
  message: string;
  /** Letters other executions of the run are sending right now. */
  inFlight?: number;
  /** How many sendLetters calls the sidebar should run at once for this run. */
  parallel?: number;
}

export interface ResolveUnknownRequest {
  key: string;
  /** markSent: the parent did get it (checked in Sent mail); resend: send it again. */
  decision: 'markSent' | 'resend';
}

// ---------------------------------------------------------------- weekly report

export interface WeeklySchedule {
  day: Weekday;
  /** 0–23 in the school's time zone. */
  hour: number;
}

export interface WeeklyStatus {
  schedule: WeeklySchedule | null;
  lastRun: { at: IsoTimestamp; week: string; ok: boolean; message: string } | null;
  /** Whose trigger runs the report (it runs as them; it stops if their account goes). */
  owner: string | null;
  /** Emails a run stopped while sending: a person checks the Sent folder and settles each. */
  unconfirmed?: { email: string; week: string }[];
}

export interface ResolveWeeklyUnknownRequest {
  email: string;
  /** markSent: it is in the Sent folder; resend: send it again (once). */
  decision: 'markSent' | 'resend';
}

export interface WeeklyRunResponse {
  /** The school week reported, e.g. '2025-03-10'. */
  week: string;
  yearGroups: number;
  emailsSent: number;
  message: string;
}

// ---------------------------------------------------------------- settings, setup, import

export interface TemplateSetting {
  letterId: string;
  language: string;
  /** Google Doc ID of the template. */
  docId: string;
}

export interface StaffSetting {
  email: string;
  name: string;
  role: StaffRole;
  /** '' when not applicable (HOY owns a year, a tutor a group). */
  yearGroup: string;
  tutorGroup: string;
}

export interface SettingsView {
  schoolName: string;
  presetId: string;
  presets: { id: string; label: string }[];
  timeZone: string;
  templates: TemplateSetting[];
  staff: StaffSetting[];
  /** One line per tracker column found: 'Attendance % ← column F "Att %"'. */
  columnMapping: string[];
  /** Register code → category overrides, e.g. { 'X': 'notPossible' }. */
  codeOverrides: Record<string, string>;
  /** The academic year: terms and days off, one row each (Settings ▸ Academic year). */
  calendar: CalendarRowSetting[];
  /** A starting point to offer when the year is empty or next year is due: England's usual pattern. */
  calendarPattern: { label: string; rows: CalendarRowSetting[] };
  /** The calendar in words: "190 school days in 3 terms, 2026-09-01 to 2027-07-20", or that none is entered. */
  calendarSummary: string;
  /** The school's own policy (saved in the Policy tab) when one is in force: the preset and Q/Y rows then do not apply. */
  schoolPolicy?: string | null;
}

/** One row of the academic year. kind: Term, Half-term, Holiday, INSET, Bank holiday, Closure or Extra school day. */
export interface CalendarRowSetting {
  kind: string;
  name: string;
  /** yyyy-mm-dd */
  from: string;
  /** yyyy-mm-dd, or '' for one day. */
  to: string;
}

/** The settings a form was loaded with: a save made from an older copy is refused with what changed. */
export type SettingsBase = Pick<SettingsView, 'schoolName' | 'presetId' | 'templates' | 'staff' | 'codeOverrides' | 'calendar'>;

/** The editable part of the settings; fields left out stay as they are. `base`: what the form was loaded with (required to change staff). */
export type SaveSettingsRequest = Partial<Omit<SettingsView, 'presets' | 'columnMapping' | 'calendarPattern' | 'calendarSummary' | 'schoolPolicy'>> & { base?: SettingsBase };

export interface FieldError {
  /** Path of the field, e.g. 'schoolName', 'templates.2.docId', 'staff.0.email'. */
  field: string;
  message: string;
}

export interface SaveSettingsResponse {
  ok: boolean;
  errors: FieldError[];
  /** The settings in force after the call (unchanged when ok is false). */
  settings: SettingsView;
  /** Saved, but worth fixing: e.g. a Head of Year whose year group matches no student, so they would get no weekly report. */
  warnings?: string[];
}

export interface SetupPreview {
  /** How the existing tracker's columns will be read. */
  mapping: string[];
  /** Columns the add-on needs and could not find. */
  missing: string[];
  /** Sheets/columns setup will create. */
  willCreate: string[];
  /** Plain warnings, e.g. no parent/carer email column (no letters by email) and which column may be it. */
  warnings?: string[];
  /** Contact columns the person may pick from the tracker's own headers (none recognised by name). */
  picks?: SetupColumnPick[];
}

/** The new academic year (sidebar → Settings → New academic year). */
export interface RolloverRequest {
  /** The MIS's list of next year's pupils (CSV text): leavers are the pupils it no longer lists. */
  exportCsv?: string;
  fileName?: string;
  /** Without an export: the year group that leaves (default: the top year on the tracker). */
  leavingYearGroup?: string;
}

export interface ApplyRolloverRequest extends RolloverRequest {
  /** Made by the sidebar for one preview; pressing again with it finishes the same rollover. */
  requestKey: string;
  /** The preview's token: what was shown is what is done. */
  token: string;
}

export interface RolloverPreview {
  /** It can be started now (no problems). */
  ok: boolean;
  problems: string[];
  closingYear: string | null;
  nextStart: IsoDateString | null;
  /** Every kind of change, in words. */
  lines: string[];
  archives: { from: string; to: string; rows: number }[];
  moves: { name: string; fromYear: string; toYear: string; fromGroup: string; toGroup: string }[];
  movesCount: number;
  leavers: { name: string; yearGroup: string; why: string }[];
  leaversCount: number;
  joiners: { name: string; yearGroup: string; tutorGroup: string }[];
  joinersCount: number;
  token: string | null;
  /** A rollover that stopped part-way (fault, time limit), to finish. */
  inProgress: string | null;
  /** The rollover already done for this year, in words. */
  done: string | null;
}

export interface RolloverResult {
  ok: boolean;
  message: string;
}

/** A contact column to pick in setup (core/tracker/columns.ts ColumnPick). */
export interface SetupColumnPick {
  field: 'parentEmail' | 'parentPhone';
  label: string;
  meaning: string;
  options: string[];
  current: string | null;
  suggested: string | null;
}

/** Pick (header) or forget (null) the tracker column that holds a contact field. */
export interface ChooseSetupColumnRequest {
  field: 'parentEmail' | 'parentPhone';
  header: string | null;
}

export interface SetupResult {
  created: string[];
  mapping: string[];
  message: string;
}

export interface ImportRegisterRequest {
  fileName: string;
  csvText: string;
  /** true: import the valid rows and report the rest; false: import nothing if any row is invalid. */
  onlyValidRows: boolean;
  /**
   * Days (yyyy-mm-dd) the person confirms were school days though the academic year says not
   * (a Saturday catch-up, a cancelled INSET day): their marks are imported and each day is added
   * to Settings ▸ Academic year as an "Extra school day".
   */
  confirmSchoolDays?: string[];
}

export interface ImportRowError {
  /** 1-based row in the CSV file (header = 1). */
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface ImportRegisterResponse {
  ok: boolean;
  /** Recognised export layout in words ('SIMS', 'Arbor'…), null when not recognised. */
  layout: string | null;
  added: number;
  unchanged: number;
  amended: number;
  errors: ImportRowError[];
  message: string;
  /** Days refused only because they are not school days, with why and how many rows: the person may confirm them. */
  nonSchoolDays?: { date: string; why: string; rows: number }[];
}

export interface RecalculateResponse {
  students: number;
  message: string;
}

// ---------------------------------------------------------------- the API

/**
 * Every server function the sidebar calls. Each is a top-level Apps Script function (an 'rpc'
 * entry in src/entries.ts) taking at most one request object.
 */
export interface SidebarApi {
  getBootstrap(): Bootstrap;

  /** The student on the tracker row under the cursor, or null when the cursor is not on a student row. */
  getSelectedStudent(): StudentView | null;
  getStudent(req: StudentRequest): StudentView;
  /** A tutor sees only their own groups. At most 20 results. */
  searchStudents(req: SearchStudentsRequest): StudentSummary[];
  logContact(req: LogContactRequest): LogContactResponse;
  /** What the school's own tracker already records (set-up adoption), for confirmation. */
  previewAdoption(): AdoptionPreview;
  /** Records the confirmed history in the Interventions Log as adopted history, then recalculates. */
  adoptHistory(req: AdoptHistoryRequest): AdoptHistoryResult;
  /** Sets the review date of a pupil's current step (logged as a note in the Interventions Log). */
  setReviewDate(req: SetReviewDateRequest): StudentView;
  /** First-day absence calls for today. */
  getTodayCalls(): TodayCallsResponse;

  getLetterPlan(): LetterPlan;
  setExclusion(req: SetExclusionRequest): LetterPlan;
  previewLetter(req: PlanItemRequest): LetterPreview;
  /** The letter (PDF and email) sent to the signed-in user only: not recorded as sent, not in the ledger or the log. */
  sendTestLetter(req: PlanItemRequest): SendTestLetterResponse;
  /** Sends one bounded batch; the sidebar calls again with the runId until done or stopped. */
  sendLetters(req: SendLettersRequest): SendLettersResponse;
  resolveUnknown(req: ResolveUnknownRequest): LetterPlan;
  /** The print pack was printed: its letters become sent and are logged (AL, Admin). */
  markPackPrinted(req: PrintPackRequest): LetterPlan;

  getWeeklyStatus(): WeeklyStatus;
  scheduleWeekly(req: WeeklySchedule): WeeklyStatus;
  unscheduleWeekly(): WeeklyStatus;
  runWeeklyNow(): WeeklyRunResponse;
  resolveWeeklyUnknown(req: ResolveWeeklyUnknownRequest): WeeklyStatus;

  getSettings(): SettingsView;
  saveSettings(req: SaveSettingsRequest): SaveSettingsResponse;
  previewSetup(): SetupPreview;
  runSetup(): SetupResult;
  /** Picks (or forgets) the tracker column holding parents' email or phone; returns the preview again. AL and Admin. */
  chooseSetupColumn(req: ChooseSetupColumnRequest): SetupPreview;
  /** Every change the new academic year would make (AL, Admin). Writes nothing. */
  previewRollover(req: RolloverRequest): RolloverPreview;
  /** Starts the new academic year as previewed; pressing again finishes a run that stopped (AL, Admin). */
  applyRollover(req: ApplyRolloverRequest): RolloverResult;
  /** Creates English and Spanish starter templates (Google Docs, in the SOPs' wording) for the policy's letters that have none, and lists them in Settings. */
  createLetterTemplates(): CreateTemplatesResponse;
  importRegister(req: ImportRegisterRequest): ImportRegisterResponse;
  recalculate(): RecalculateResponse;

  /** The policy in force as the editor edits it, the presets and the history of changes (AL, Admin). */
  getPolicyEditor(): PolicyEditorView;
  /** Checks a draft and shows its impact on today's data; saves nothing. */
  previewPolicy(req: PolicyDraftRequest): PolicyPreviewResponse;
  /** Saves a draft as a new version from today, then recalculates the tracker with it. */
  savePolicy(req: PolicyDraftRequest): SavePolicyResponse;
  /** Reads an exported policy file (its text) and checks it; saves nothing. */
  importPolicyFile(req: ImportPolicyRequest): ImportPolicyResponse;
}

// ---------------------------------------------------------------- the attendance policy (issue 15)

export type { PolicyProblem, PolicyImpact };

/** What the editor edits: the file format of core/policy/file.ts (policy + its code table). */
export type PolicyDraft = Pick<PolicyFile, 'policy'> & { codeTable: NonNullable<PolicyFile['codeTable']> };

export interface PolicyVersionView {
  version: number;
  /** 'Thu 26 Nov 2026'; version 0 (the preset before the school's own policy) says 'before version 1'. */
  inForceFrom: string;
  /** 'Thu 26 Nov 2026 09:14', '' for version 0. */
  saved: string;
  savedBy: string;
  changes: string[];
}

export interface PolicyEditorView {
  /** The policy in force (with its code table). */
  draft: PolicyDraft;
  /** 'preset' while a shipped preset is in force; 'school' once the school saved its own. */
  source: 'preset' | 'school';
  /** The version in force (0 while a preset is in force). Sent back on save: a stale editor is refused. */
  version: number;
  presets: { id: string; label: string; draft: PolicyDraft }[];
  /** Newest first. */
  history: PolicyVersionView[];
  /** The export file's name and text (the policy in force). */
  fileName: string;
  fileText: string;
  /** A stored policy that could not be read (the preset is in force meanwhile). */
  problem: string | null;
  /** Today, as staff read it: changes apply from this date. */
  today: string;
}

export interface PolicyDraftRequest {
  draft: PolicyDraft;
  /** For each step of the draft, the number of the step in force it came from (null: a new step). */
  origins?: (number | null)[];
  /** The version the editor was opened on (savePolicy refuses a stale one). */
  baseVersion?: number;
  /** One per form submission: Save pressed again after a lost answer finishes that save instead of refusing it as stale. */
  requestKey?: string;
}

export interface PolicyPreviewResponse {
  ok: boolean;
  problems: PolicyProblem[];
  /** What changes, in words (empty when the draft is the policy in force). */
  changes: string[];
  impact: PolicyImpact | null;
}

export interface SavePolicyResponse {
  ok: boolean;
  problems: PolicyProblem[];
  message: string;
  editor: PolicyEditorView;
}

export interface ImportPolicyRequest {
  fileName?: string;
  text: string;
}

export interface ImportPolicyResponse {
  ok: boolean;
  problems: PolicyProblem[];
  draft: PolicyDraft | null;
}

export type RpcName = keyof SidebarApi;
export type RpcRequest<K extends RpcName> = Parameters<SidebarApi[K]>;
export type RpcResponse<K extends RpcName> = ReturnType<SidebarApi[K]>;

export interface CreateTemplatesResponse {
  /** Templates created this time (0 when every letter already had one). */
  created: number;
  message: string;
}
