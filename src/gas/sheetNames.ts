/** Default tab names a fresh setup creates (DESIGN.md §2). The tracker tab itself is adopted by header. */
export const SHEET_NAMES = {
  tracker: 'SOL Tracker',
  register: 'Register',
  log: 'Interventions Log',
  settings: 'Settings',
  weekly: 'Weekly Report',
  ledger: 'Letters Ledger',
  amendments: 'Register Amendments',
  policy: 'Policy',
  policyHistory: 'Policy History',
  /** Hidden: the SOL_UPDATED stamp that =ATTEND_TIER(id, SOL_UPDATED) takes (dataVersion.ts). */
  updates: 'SOL Updates',
} as const;

/** Document property keys (strings only — PropertiesService stores strings, semantics P1.2). */
export const PROPERTY_KEYS = {
  trackerSheet: 'sol.trackerSheet',
  columnMapping: 'sol.columnMapping',
  /** Contact columns the person picked in setup (core/tracker/columns.ts ColumnChoices), JSON. */
  columnChoices: 'sol.columnChoices',
  lastValidSettings: 'sol.lastValidSettings',
  spreadsheetId: 'sol.spreadsheetId',
  weeklyState: 'sol.weeklyState',
  letterRun: 'sol.letterRun',
  /** The school's own attendance policy and its versions (policyStore.ts), chunked. */
  policyBook: 'sol.policyBook',
} as const;
