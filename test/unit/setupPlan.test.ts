/**
 * Setup as a pure plan: adopt the school's tracker by header name, create only what is missing,
 * refuse (creating nothing) when a required column is missing, and plan nothing the second time.
 */
import {
  AMENDMENT_HEADERS,
  CONTACT_CELL_CHOICES,
  LOG_OUTCOME_CHOICES,
  PROTECTION_PREFIX,
  listBroughtUpToDate,
  logColumnBroughtUpToDate,
  LOG_LIST_RULES,
  logDropdownsVersion,
  mappingJson,
  planSetup,
  ruleSignature,
  validationSignature,
  type SetupAction,
  type SetupState,
  type TabKey,
  type TabState,
} from '../../src/core/setupPlan';
import { LOG_HEADERS } from '../../src/core/interventionsLog';
import { parseSettingsSheet, settingsToSheet, DEFAULT_SETTINGS } from '../../src/core/settings';
import { CONTACT_METHODS } from '../../src/core/types';

const NAMES = { register: 'Register', log: 'Interventions Log', settings: 'Settings', weekly: 'Weekly Report', ledger: 'Letters Ledger', amendments: 'Register Amendments' };
const PRESETS = ['uk-secondary-sol', 'us-illinois-elementary', 'generic'];

function missingTab(): TabState {
  return { exists: false, headers: [], frozenRows: 0, validations: {}, protections: [] };
}

function freshState(headers: string[]): SetupState {
  const tabs = Object.fromEntries(Object.keys(NAMES).map((k) => [k, missingTab()])) as Record<TabKey, TabState>;
  return {
    tracker: { name: 'Year 7-11', headers, frozenRows: 0, validations: {}, protections: [] },
    tabs,
    names: NAMES,
    storedTrackerSheet: null,
    storedMapping: null,
    currentUser: 'head@school.example',
    knownPresetIds: PRESETS,
  };
}

/** What the gas layer would read back after running the actions (a model of the spreadsheet). */
function apply(state: SetupState, actions: SetupAction[]): SetupState {
  const next: SetupState = JSON.parse(JSON.stringify(state));
  const tabKey = (sheet: string) => (Object.keys(NAMES) as TabKey[]).find((k) => NAMES[k] === sheet);
  for (const a of actions) {
    const key = 'sheet' in a ? tabKey(a.sheet) : undefined;
    const tab = key ? next.tabs[key] : null;
    const onTracker = 'sheet' in a && a.sheet === next.tracker!.name;
    switch (a.kind) {
      case 'appendTrackerColumns':
        a.headers.forEach((h, i) => (next.tracker!.headers[a.startColumn - 1 + i] = h));
        break;
      case 'createSheet':
      case 'writeValues':
        tab!.exists = true;
        tab!.headers = a.values[0].map(String);
        tab!.values = a.values;
        break;
      case 'freezeHeader':
        if (onTracker) next.tracker!.frozenRows = 1;
        else tab!.frozenRows = 1;
        break;
      case 'setValidation':
        (onTracker ? next.tracker!.validations : tab!.validations)[a.column] = ruleSignature(a.rule);
        break;
      case 'protectColumns':
        next.tracker!.protections.push({ description: a.description, warningOnly: true });
        break;
      case 'protectSheet':
        tab!.protections.push({ description: a.description, warningOnly: true });
        break;
      case 'storeMapping':
        next.storedMapping = a.mapping;
        next.storedTrackerSheet = a.trackerSheet;
        break;
    }
  }
  return next;
}

const RENAMED = ['Pupil', 'UPN', 'Reg Group', 'NC Year', 'Primary Contact', 'Mobile', 'Contact Email', 'Notes', 'House'];

describe('planSetup on a reordered, renamed tracker', () => {
  const state = freshState(RENAMED);
  const plan = planSetup(state);

  it('maps the school headers by alias, whatever the order', () => {
    expect(plan.ok).toBe(true);
    expect(plan.finalMapping.studentId).toBe(1);
    expect(plan.finalMapping.studentName).toBe(0);
    expect(plan.finalMapping.yearGroup).toBe(3);
    expect(plan.finalMapping.tutorGroup).toBe(2);
    expect(plan.mapping).toContain('Student ID ← column B "UPN"');
    expect(plan.mapping.some((l) => l.startsWith('"House"'))).toBe(true);
  });

  it('appends RTC, ROPC and the owned columns after the last column, headers only', () => {
    const append = plan.actions.filter((a) => a.kind === 'appendTrackerColumns');
    expect(append).toHaveLength(1);
    const a = append[0] as Extract<SetupAction, { kind: 'appendTrackerColumns' }>;
    expect(a.startColumn).toBe(RENAMED.length + 1);
    expect(a.headers.slice(0, 3)).toEqual(['RTC', 'ROPC', 'Attendance %']);
    expect(a.headers).toContain('Last contact');
    expect(plan.finalMapping.rtc).toBe(RENAMED.length);
  });

  it('creates every tab with its headers, once', () => {
    const created = plan.actions.filter((a): a is Extract<SetupAction, { kind: 'createSheet' }> => a.kind === 'createSheet');
    expect(created.map((c) => c.sheet).sort()).toEqual(Object.values(NAMES).sort());
    expect(created.find((c) => c.sheet === 'Interventions Log')!.values[0]).toEqual([...LOG_HEADERS]);
    expect(created.find((c) => c.sheet === 'Register Amendments')!.values[0]).toEqual([...AMENDMENT_HEADERS]);
  });

  it('puts the person running setup in the Staff table as Admin', () => {
    const settings = plan.actions.find((a) => a.kind === 'createSheet' && a.sheet === 'Settings') as Extract<SetupAction, { kind: 'createSheet' }>;
    const parsed = parseSettingsSheet(settings.values, PRESETS);
    expect(parsed.problems).toEqual([]);
    expect(parsed.settings.staff).toEqual([{ email: 'head@school.example', name: '', role: 'Admin', yearGroup: '', tutorGroup: '' }]);
  });

  it('sets dropdowns on RTC/ROPC and on the log Method, Outcome and Step', () => {
    const rules = plan.actions.filter((a): a is Extract<SetupAction, { kind: 'setValidation' }> => a.kind === 'setValidation');
    const method = rules.find((r) => r.sheet === 'Interventions Log' && r.column === LOG_HEADERS.indexOf('Method') + 1)!;
    expect(method.rule).toMatchObject({ type: 'list', values: CONTACT_METHODS, allowInvalid: false });
    const step = rules.find((r) => r.sheet === 'Interventions Log' && r.column === LOG_HEADERS.indexOf('Step') + 1)!;
    expect(step.rule).toMatchObject({ type: 'numberBetween', min: 0, max: 10 });
    const rtc = rules.find((r) => r.sheet === 'Year 7-11' && r.column === RENAMED.length + 1)!;
    expect(rtc.rule).toMatchObject({ type: 'list', values: CONTACT_CELL_CHOICES, allowInvalid: true });
  });

  it('protects the owned columns (one run) and the log, all with the add-on prefix', () => {
    const cols = plan.actions.filter((a): a is Extract<SetupAction, { kind: 'protectColumns' }> => a.kind === 'protectColumns');
    expect(cols).toHaveLength(1);
    expect(cols[0].column).toBe(RENAMED.length + 3);
    expect(cols[0].numColumns).toBe(11);
    expect(cols[0].description.startsWith(PROTECTION_PREFIX)).toBe(true);
    expect(plan.actions.some((a) => a.kind === 'protectSheet' && a.sheet === 'Interventions Log')).toBe(true);
  });

  it('stores the mapping including the new columns', () => {
    const store = plan.actions.find((a) => a.kind === 'storeMapping') as Extract<SetupAction, { kind: 'storeMapping' }>;
    expect(JSON.parse(store.mapping)).toMatchObject({ studentId: 1, rtc: RENAMED.length, letterStatus: RENAMED.length + 12 });
    expect(store.trackerSheet).toBe('Year 7-11');
  });

  it('a second run plans nothing', () => {
    const after = apply(state, plan.actions);
    const again = planSetup(after);
    expect(again.ok).toBe(true);
    expect(again.actions).toEqual([]);
    expect(again.willCreate).toEqual([]);
  });

  it('describes every action in words', () => {
    expect(plan.willCreate).toHaveLength(plan.actions.length);
  });
});

describe('planSetup refuses what it cannot adopt', () => {
  it('no Student ID column: names what is missing and what was found, plans nothing', () => {
    const plan = planSetup(freshState(['Pupil', 'Year', 'Form']));
    expect(plan.ok).toBe(false);
    expect(plan.actions).toEqual([]);
    expect(plan.missing).toEqual(['Student ID']);
    expect(plan.problems.join('\n')).toMatch(/No "Student ID" column found/);
    expect(plan.problems.join('\n')).toMatch(/Headers found on "Year 7-11" row 1: "Pupil", "Year", "Form"/);
  });

  it('two columns claiming the student ID: ambiguous, plans nothing', () => {
    const plan = planSetup(freshState(['UPN', 'Adno', 'Name', 'Year']));
    expect(plan.ok).toBe(false);
    expect(plan.actions).toEqual([]);
    expect(plan.problems[0]).toMatch(/claimed by more than one column/);
  });

  it('an existing log tab with other headers is not overwritten', () => {
    const state = freshState(['Student ID', 'Name', 'Year']);
    state.tabs.log = { exists: true, headers: ['When', 'Who'], frozenRows: 1, validations: {}, protections: [] };
    const plan = planSetup(state);
    expect(plan.ok).toBe(false);
    expect(plan.actions).toEqual([]);
    expect(plan.problems[0]).toMatch(/"Interventions Log" already exists but its row 1 is "When", "Who"/);
  });

  it('no tab with content at all', () => {
    const state = freshState([]);
    state.tracker = null;
    expect(planSetup(state).problems[0]).toMatch(/No tracker tab found/);
  });
});

describe('planSetup adopts what already exists', () => {
  it('existing owned columns and RTC/ROPC are used where they are, not appended', () => {
    const headers = ['Student ID', 'Student Name', 'Year Group', 'RTC', 'ROPC', 'Att %', 'Step', 'Notes'];
    const plan = planSetup(freshState(headers));
    const append = plan.actions.find((a) => a.kind === 'appendTrackerColumns') as Extract<SetupAction, { kind: 'appendTrackerColumns' }>;
    expect(append.headers).not.toContain('RTC');
    expect(append.headers).not.toContain('Attendance %');
    expect(append.startColumn).toBe(9);
    expect(plan.finalMapping.attendancePercent).toBe(5);
    // Att % + Step (F:G) are one run, apart from the appended run: one protection per run of adjacent columns.
    const runs = plan.actions.filter((a): a is Extract<SetupAction, { kind: 'protectColumns' }> => a.kind === 'protectColumns');
    expect(runs.map((r) => [r.column, r.numColumns])).toEqual([[6, 2], [9, 9]]);
    expect(runs[0].description).toMatch(/Att %, Step$/);
  });

  it('an existing Settings tab with an empty Staff table gets the current user as Admin; a filled one is left alone', () => {
    const state = freshState(['Student ID', 'Name', 'Year']);
    const values = settingsToSheet({ ...DEFAULT_SETTINGS, schoolName: 'Hillside Academy' });
    state.tabs.settings = { exists: true, headers: values[0], frozenRows: 1, validations: {}, protections: [], values };
    const plan = planSetup(state);
    const write = plan.actions.find((a) => a.kind === 'writeValues' && a.sheet === 'Settings') as Extract<SetupAction, { kind: 'writeValues' }>;
    const parsed = parseSettingsSheet(write.values, PRESETS).settings;
    expect(parsed.schoolName).toBe('Hillside Academy');
    expect(parsed.staff.map((s) => s.role)).toEqual(['Admin']);

    const staffed = settingsToSheet({ ...DEFAULT_SETTINGS, staff: [{ email: 'ao@school.example', name: 'AO', role: 'AO', yearGroup: '', tutorGroup: '' }] });
    state.tabs.settings = { ...state.tabs.settings, values: staffed, headers: staffed[0] };
    expect(planSetup(state).actions.some((a) => a.kind === 'writeValues' && a.sheet === 'Settings')).toBe(false);
  });

  it('a mapping stored for another tab is stored again', () => {
    const state = freshState(['Student ID', 'Name', 'Year']);
    const plan = planSetup(state);
    const after = apply(state, plan.actions);
    after.storedTrackerSheet = 'Old tab';
    expect(planSetup(after).actions.map((a) => a.kind)).toEqual(['storeMapping']);
  });
});

describe('signatures', () => {
  it('a rule read back from a sheet has the signature of the rule planned', () => {
    expect(validationSignature('VALUE_IN_LIST', [['a', 'b'], true])).toBe(ruleSignature({ type: 'list', values: ['a', 'b'], allowInvalid: true, helpText: '' }));
    expect(validationSignature('NUMBER_BETWEEN', [0, 10])).toBe(ruleSignature({ type: 'numberBetween', min: 0, max: 10, allowInvalid: false, helpText: '' }));
    expect(validationSignature('VALUE_IN_LIST', [['a']])).not.toBe(validationSignature('VALUE_IN_LIST', [['a', 'b']]));
  });
  it('mappingJson is independent of key order', () => {
    expect(mappingJson({ yearGroup: 2, studentId: 0 })).toBe(mappingJson({ studentId: 0, yearGroup: 2 }));
  });
});

describe('dropdowns of an older sheet (issue 10)', () => {
  it('a list lacking values the add-on writes gains them, the school\'s own values kept after them', () => {
    expect(listBroughtUpToDate(['Letter', 'Text message', 'Phone call', 'Text message', ' '], ['Phone call', 'Letter', 'Note'])).toEqual(['Phone call', 'Letter', 'Note', 'Text message']);
    expect(listBroughtUpToDate(['Note', 'Letter', 'Phone call', 'Mine'], ['Phone call', 'Letter', 'Note'])).toBeNull();
  });
  it('the Log\'s Outcome list holds every outcome the add-on writes', () => {
    for (const v of ['Letter left out', 'Letter included again', 'Letter printed for post', 'Review date set', 'Letter sent', 'Meeting held']) expect(LOG_OUTCOME_CHOICES).toContain(v);
  });
  it('Recalculate brings every row of a Log column up to date, not only row 2\'s area (issue 10 D); the version changes with the lists', () => {
    const methodRule = LOG_LIST_RULES.find((r) => r.header === 'Method')!.rule;
    const current = [...CONTACT_METHODS];
    const old = CONTACT_METHODS.filter((m) => m !== 'Note');
    // Row 2's area up to date, rows the Log grew into with no rule: those rows get the list.
    const grown = logColumnBroughtUpToDate(methodRule, [current, current, null, null]);
    expect(grown).toEqual({ values: current, added: [], keep: [true, true, false, false] });
    // Two parts set up by different versions, each with a school value: one list, ours first, then both of theirs.
    const parts = logColumnBroughtUpToDate(methodRule, [[...old, 'Text message'], [...old, 'Note', 'Home visit', 'WhatsApp'], 'other']);
    expect(parts!.values).toEqual([...CONTACT_METHODS, 'Text message', 'WhatsApp']);
    expect(parts!.added).toEqual(['Note']);
    expect(parts!.keep).toEqual([false, false, true]); // another kind of rule stays
    // Nothing to do: every row already has the list; or no dropdown anywhere (the school removed it).
    expect(logColumnBroughtUpToDate(methodRule, [current, current])).toBeNull();
    expect(logColumnBroughtUpToDate(methodRule, [[...current, 'Mine'], [...current, 'Mine']])).toBeNull();
    expect(logColumnBroughtUpToDate(methodRule, [null, null, 'other'])).toBeNull();
    expect(logDropdownsVersion()).toMatch(/^v1-[0-9a-f]{8}$/);
  });
  it('setup on an older Log: one action per dropdown, in words, and nothing the second time', () => {
    const state = freshState(['Student ID', 'Name', 'Year']);
    const after = apply(state, planSetup(state).actions);
    const method = LOG_HEADERS.indexOf('Method') + 1;
    const old = [...CONTACT_METHODS.filter((m) => m !== 'Note'), 'Text message'];
    after.tabs.log.validations[method] = validationSignature('VALUE_IN_LIST', [old, true]);
    after.tabs.log.lists = { [method]: old };
    const plan = planSetup(after);
    expect(plan.willCreate).toEqual([`Dropdown on "Interventions Log" column F (Method): adds "Note", the school's own values kept`]);
    const rule = (plan.actions[0] as Extract<SetupAction, { kind: 'setValidation' }>).rule;
    expect(rule.type === 'list' && rule.values).toEqual([...CONTACT_METHODS, 'Text message']);
    after.tabs.log.validations[method] = ruleSignature(rule);
    after.tabs.log.lists = { [method]: [...(rule.type === 'list' ? rule.values : [])] };
    expect(planSetup(after).actions).toEqual([]);
  });
});
