/** The Settings tab (DESIGN.md §2): validated cell by cell, problems named by A1 cell. */
import { DEFAULT_SETTINGS, parseSettingsSheet, settingsToSheet, type Settings } from '../../src/core/settings';
import { resolveActivePolicy } from '../../src/core/activePolicy';
import { PRESETS } from '../../src/core/policy/presets';

const presets = Object.keys(PRESETS);

const sample: Settings = {
  ...DEFAULT_SETTINGS,
  schoolName: 'Hillside Academy',
  presetId: 'us-illinois-elementary',
  termName: 'Autumn 2026',
  termStart: '2026-09-02',
  termEnd: '2026-12-18',
  closures: ['2026-10-26', '2026-10-27'],
  senderName: 'Attendance Office',
  codeOverrides: {},
  staff: [
    { email: 'al@school.example', name: 'Sam Lead', role: 'AL', yearGroup: '', tutorGroup: '' },
    { email: 'tutor@school.example', name: 'Ms Patel', role: 'Tutor', yearGroup: '7', tutorGroup: '7A' },
  ],
  templates: [{ letterId: 'letter1', language: 'es', docId: '1AbCdEfGhIjKlMnOpQrStUv' }],
};

/** The sheet as Sheets returns it: the same grid, cells as typed. */
const asSheet = (s: Settings) => settingsToSheet(s).map((r) => [...r]);
const rowOf = (values: unknown[][], label: string) => values.findIndex((r) => r[0] === label);

test('what setup writes parses back to the same settings, with no problem', () => {
  const { settings, problems } = parseSettingsSheet(asSheet(sample), presets);
  expect(problems).toEqual([]);
  expect(settings).toEqual(sample);
});

test('each bad value is reported by its cell, and the good ones still parse', () => {
  const values = asSheet(sample);
  values[rowOf(values, 'Policy preset')][1] = 'uk-primary';
  values[rowOf(values, 'Term start')][1] = '02/09/2026';
  values[rowOf(values, 'Closures')][1] = '2026-10-26, next Tuesday';
  const staffRow = rowOf(values, 'tutor@school.example');
  values[staffRow][2] = 'Teacher';
  const { settings, problems } = parseSettingsSheet(values, presets);
  expect(problems.map((p) => p.cell)).toEqual([`B${rowOf(values, 'Policy preset') + 1}`, `B${rowOf(values, 'Term start') + 1}`, `B${rowOf(values, 'Closures') + 1}`, `C${staffRow + 1}`]);
  expect(problems[0].message).toMatch(/"uk-primary" is not a known preset \(use one of: uk-secondary-sol, us-illinois-elementary, generic\)/);
  expect(problems[1].message).toMatch(/must be a date written yyyy-mm-dd/);
  expect(problems[2].message).toMatch(/"next Tuesday"/);
  expect(problems[3].message).toMatch(/role "Teacher" must be one of Tutor, HOY, AO, AL, Admin/);
  expect(settings.schoolName).toBe('Hillside Academy');
  expect(settings.staff.map((s) => s.email)).toEqual(['al@school.example']);
});

test('a date cell (a Date from getValues) is read as its calendar date', () => {
  const values = asSheet(sample) as unknown[][];
  values[rowOf(values as string[][], 'Term end')][1] = new Date(2026, 11, 18);
  expect(parseSettingsSheet(values, presets).settings.termEnd).toBe('2026-12-18');
});

test('a term that ends before it starts is a problem', () => {
  const { problems } = parseSettingsSheet(asSheet({ ...sample, termStart: '2026-12-18', termEnd: '2026-09-02' }), presets);
  expect(problems.map((p) => p.message).join()).toMatch(/Term end 2026-09-02 is before term start 2026-12-18/);
});

test('staff: a bad address and a duplicate are named by row; templates need a language code and a document ID', () => {
  const values = asSheet({ ...sample, staff: [...sample.staff, { ...sample.staff[0] }, { ...sample.staff[1], email: 'not-an-email' }], templates: [{ letterId: 'letter2', language: 'Spanish', docId: 'x' }] });
  const messages = parseSettingsSheet(values, presets).problems.map((p) => p.message);
  expect(messages).toEqual(expect.arrayContaining([
    expect.stringMatching(/al@school\.example is listed twice/),
    expect.stringMatching(/"not-an-email" is not an email address/),
    expect.stringMatching(/language "Spanish" must be a code such as en or es/),
  ]));
});

test('Q and Y1–Y7 default to not possible; the setting moves all eight together (attendance-rules §1.2 unconfirmed)', () => {
  const values = asSheet({ ...sample, presetId: 'uk-secondary-sol' });
  const plain = resolveActivePolicy(parseSettingsSheet(values, presets).settings).table;
  expect(plain.codes.find((c) => c.code === 'Y3')!.category).toBe('notPossible');
  values[rowOf(values, 'Q and Y codes count as')][1] = 'authorised';
  const { settings, problems } = parseSettingsSheet(values, presets);
  expect(problems).toEqual([]);
  const table = resolveActivePolicy(settings).table;
  for (const code of ['Q', 'Y1', 'Y7']) expect(table.codes.find((c) => c.code === code)!.category).toBe('authorised');
  values[rowOf(values, 'Q and Y codes count as')][1] = 'sometimes';
  expect(parseSettingsSheet(values, presets).problems[0].message).toMatch(/must be notPossible, authorised or unauthorised/);
});

test('the US preset resolves to the one-session Illinois table and ignores UK-only overrides', () => {
  const { policy, table } = resolveActivePolicy({ presetId: 'us-illinois-elementary', codeOverrides: { Q: 'authorised' } });
  expect(policy.id).toBe('us-illinois-elementary');
  expect(table.sessionsPerDay).toBe(1);
  expect(table.codes.some((c) => c.code === 'Q')).toBe(false);
});
