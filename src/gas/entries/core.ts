/** Registry entries for the foundation: simple triggers, the sidebar and the custom functions. */
import { defineEntry, type EntryPoint } from '../../registry';
import { ATTEND_COUNT, ATTEND_FLAG, ATTEND_PCT, ATTEND_TIER } from '../customFunctions';
import { menuGenerateLetters, onInstall, onOpen, showSidebar } from '../menu';

export const CORE_ENTRIES: EntryPoint[] = [
  defineEntry({ name: 'onOpen', kind: 'simpleTrigger', description: 'Adds the SOL Tracker menu when the spreadsheet opens.', params: [{ name: 'e', type: 'Object', description: 'The open event.' }], run: onOpen }),
  defineEntry({ name: 'onInstall', kind: 'simpleTrigger', description: 'Adds the menu right after the add-on is installed.', params: [{ name: 'e', type: 'Object', description: 'The install event.' }], run: onInstall }),
  defineEntry({ name: 'showSidebar', kind: 'menu', description: 'Opens the SOL Tracker sidebar.', params: [], run: () => showSidebar() }),
  defineEntry({ name: 'menuGenerateLetters', kind: 'menu', description: 'Opens the sidebar on Generate letters.', params: [], run: menuGenerateLetters }),
  defineEntry({
    name: 'ATTEND_PCT',
    kind: 'customFunction',
    description: 'Attendance as a fraction of possible sessions, from register codes (DfE 2024 codes by default). A row or column gives one value; a 2-D range gives one value per row. Blank cells are sessions not yet marked.',
    params: [{ name: 'marks', type: 'string|Array<Array<string>>', description: 'A cell or range of register codes, e.g. B2:GZ2.' }],
    returns: { type: 'number|Array<Array<number>>', description: 'The attendance fraction (format the cell as a percentage).' },
    run: ATTEND_PCT,
  }),
  defineEntry({
    name: 'ATTEND_TIER',
    kind: 'customFunction',
    description: 'The escalation step for an attendance figure (=ATTEND_TIER(0.94) or =ATTEND_TIER(94) gives "Step 4 – Letter 1" on the default ladder), or for a student ID with the update stamp: =ATTEND_TIER(A2, SOL_UPDATED) gives that student\'s full evaluation from the tracker and recalculates whenever SOL Tracker updates the tracker (Sheets re-runs a custom function only when an argument changes). A range gives a range of the same shape.',
    params: [
      { name: 'value', type: 'number|string|Array<Array<number|string>>', description: 'An attendance fraction or percentage; or, with SOL_UPDATED, a student ID; or a range of them.' },
      { name: 'updated', type: 'Date', description: 'Optional: SOL_UPDATED, when the first argument is a student ID.' },
    ],
    returns: { type: 'string|Array<Array<string>>', description: 'The step label, starting "Step N".' },
    run: ATTEND_TIER,
  }),
  defineEntry({
    name: 'ATTEND_COUNT',
    kind: 'customFunction',
    description: 'How many sessions of a row of register codes are of a category — possible, present, attended, absent, authorised, unauthorised, late, unverified, unexcused — or carry one code such as "N". A 2-D range gives one count per row.',
    params: [
      { name: 'marks', type: 'string|Array<Array<string>>', description: 'A cell or range of register codes.' },
      { name: 'what', type: 'string', description: 'A category (e.g. "unauthorised") or a code (e.g. "N").' },
    ],
    returns: { type: 'number|Array<Array<number>>', description: 'The number of sessions.' },
    run: ATTEND_COUNT,
  }),
  defineEntry({
    name: 'ATTEND_FLAG',
    kind: 'customFunction',
    description: 'Persistent or severe absence from a row of register codes: "Severe" when absence is 50 % or more of possible sessions, "PA" at 10 % or more, blank otherwise (exact, never rounded).',
    params: [{ name: 'marks', type: 'string|Array<Array<string>>', description: 'A cell or range of register codes.' }],
    returns: { type: 'string|Array<Array<string>>', description: '"Severe", "PA" or blank.' },
    run: ATTEND_FLAG,
  }),
];
