/** The Settings tab (DESIGN.md §2): validated cell by cell, problems named by A1 cell. */
import { DEFAULT_SETTINGS, parseSettingsSheet, presetCellName, settingsToSheet, type Settings } from '../../src/core/settings';
import { resolveActivePolicy } from '../../src/core/activePolicy';
import { PRESETS } from '../../src/core/policy/presets';

const presets = Object.keys(PRESETS);

const sample: Settings = {
  ...DEFAULT_SETTINGS,
  schoolName: 'Hillside Academy',
  presetId: 'us-illinois-elementary',
  calendar: [
    { kind: 'Term', name: 'Autumn term', start: '2026-09-02', end: '2026-12-18' },
    { kind: 'Half-term', name: 'Autumn half-term', start: '2026-10-26', end: '2026-10-30' },
    { kind: 'INSET', name: 'INSET day', start: '2026-09-02', end: '2026-09-02' },
  ],
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

const calRow = (values: unknown[][], name: string) => values.findIndex((r) => r[1] === name);

test('the preset cell is in words; its words in any case and the preset id (tabs written before) are read', () => {
  const values = asSheet(sample);
  const row = rowOf(values, 'Policy preset');
  expect(values[row][1]).toBe(presetCellName(sample.presetId));
  expect(values[row][1]).not.toMatch(/-/);
  for (const written of [presetCellName(sample.presetId).toUpperCase(), sample.presetId]) {
    values[row][1] = written;
    const { settings, problems } = parseSettingsSheet(values, presets);
    expect(problems).toEqual([]);
    expect(settings.presetId).toBe(sample.presetId);
  }
});

test('each bad value is reported by its cell, and the good ones still parse', () => {
  const values = asSheet(sample);
  values[rowOf(values, 'Policy preset')][1] = 'uk-primary';
  values[calRow(values, 'Autumn term')][2] = '2 Sept';
  values[calRow(values, 'Autumn half-term')][3] = '2026-10-26, next Tuesday';
  const staffRow = rowOf(values, 'tutor@school.example');
  values[staffRow][2] = 'Teacher';
  const { settings, problems } = parseSettingsSheet(values, presets);
  // The preset cell is wrong, so the dates are read in the default (UK) format: this US tab's
  // half-term From (10/26/2026) is then no date either — each named by its cell.
  expect(problems.map((p) => p.cell).sort()).toEqual([`B${rowOf(values, 'Policy preset') + 1}`, `C${staffRow + 1}`, `C${calRow(values, 'Autumn term') + 1}`, `C${calRow(values, 'Autumn half-term') + 1}`].sort());
  const text = problems.map((p) => p.message).join('\n');
  expect(text).toMatch(/"uk-primary" is not a known preset \(use one of: UK secondary, US elementary \(Illinois\), Generic\)/);
  expect(text).toMatch(/Autumn term\): From "2 Sept" is not a date: write it dd\/mm\/yyyy \(for example 03\/09\/2026\)/);
  expect(text).toMatch(/"10\/26\/2026" is not a date: there is no month 26/);
  expect(text).toMatch(/role "Teacher" must be one of Tutor, HOY, AO, AL, Admin/);
  expect(settings.schoolName).toBe('Hillside Academy');
  expect(settings.staff.map((s) => s.email)).toEqual(['al@school.example']);
});

test('a date cell (a Date from getValues) is read as its calendar date', () => {
  const values = asSheet(sample) as unknown[][];
  values[calRow(values, 'Autumn term')][3] = new Date(2026, 11, 18);
  expect(parseSettingsSheet(values, presets).settings.calendar[0]!.end).toBe('2026-12-18');
});

test('a term that ends before it starts is a problem naming the To cell', () => {
  const values = asSheet(sample);
  const r = calRow(values, 'Autumn term');
  values[r][2] = '2026-12-18';
  values[r][3] = '2026-09-02';
  const { problems } = parseSettingsSheet(values, presets);
  expect(problems).toEqual([expect.objectContaining({ cell: `D${r + 1}`, message: expect.stringMatching(/To 09\/02\/2026 is before From 12\/18\/2026/) })]); // the US school's format
});

test('staff: a bad address and a duplicate are named by row; templates need a language we know and a document ID', () => {
  const values = asSheet({ ...sample, staff: [...sample.staff, { ...sample.staff[0] }, { ...sample.staff[1], email: 'not-an-email' }], templates: [{ letterId: 'letter2', language: 'Klingon', docId: 'x' }] });
  const messages = parseSettingsSheet(values, presets).problems.map((p) => p.message);
  expect(messages).toEqual(expect.arrayContaining([
    expect.stringMatching(/al@school\.example is listed twice/),
    expect.stringMatching(/"not-an-email" is not an email address/),
    expect.stringMatching(/language "Klingon" is not one we know: write it as a name \(Spanish\) or a code \(es\)/),
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
  expect(parseSettingsSheet(values, presets).problems[0].message).toMatch(/must be not possible, authorised or unauthorised/);
});

test('the tab shows words and the school\'s dates, and reads them back: Letter 2 / Spanish, 09/02/2026 (US), not possible', () => {
  const values = asSheet({ ...sample, templates: [{ letterId: 'letter2', language: 'es', docId: '1AbCdEfGhIjKlMnOpQrStUv' }] });
  const t = values.findIndex((r) => r[2] === '1AbCdEfGhIjKlMnOpQrStUv');
  expect(values[t]!.slice(0, 2)).toEqual(['Letter 2', 'Spanish']);
  expect(values[calRow(values, 'Autumn term')]!.slice(2, 4)).toEqual(["'09/02/2026", "'12/18/2026"]);
  expect(values[rowOf(values, 'Q and Y codes count as')]![1]).toBe('not possible');
  const back = parseSettingsSheet(values, presets);
  expect(back.problems).toEqual([]);
  expect(back.settings.templates).toEqual([{ letterId: 'letter2', language: 'es', docId: '1AbCdEfGhIjKlMnOpQrStUv' }]);
  expect(back.settings.calendar).toEqual(sample.calendar.map((e) => ({ ...e })));
  // Ids and ISO dates typed before the words are still read.
  values[t]![0] = 'letter2'; values[t]![1] = 'es';
  values[calRow(values, 'Autumn term')]![2] = '2026-09-02';
  expect(parseSettingsSheet(values, presets).settings.templates[0]!.letterId).toBe('letter2');
  expect(parseSettingsSheet(values, presets).settings.calendar[0]!.start).toBe('2026-09-02');
});

test('the US preset resolves to the one-session Illinois table and ignores UK-only overrides', () => {
  const { policy, table } = resolveActivePolicy({ presetId: 'us-illinois-elementary', codeOverrides: { Q: 'authorised' } });
  expect(policy.id).toBe('us-illinois-elementary');
  expect(table.sessionsPerDay).toBe(1);
  expect(table.codes.some((c) => c.code === 'Q')).toBe(false);
});
