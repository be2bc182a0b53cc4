/** Mid-year adoption (issue 10): reading the school's own history columns, pure. */
import { adoptedRecords, findAdoptionColumns, proposeAdoption, stepOfValue } from '../../src/core/adoption';
import { calendarFromEntries } from '../../src/core/calendar';
import { isAction, isContact, isLetterSent, isMeetingHeld } from '../../src/core/history';
import { getPreset } from '../../src/core/policy/presets';
import { letterWindowKey } from '../../src/core/policy/evaluate';

const uk = getPreset('uk-secondary-sol')!;
const calendar = calendarFromEntries([{ kind: 'Term', name: 'Autumn', start: '2025-09-03', end: '2025-12-19' }] as never);

test('history columns are found by header; a step value is read in the school\'s words', () => {
  const cols = findAdoptionColumns(['Student ID', 'Name', 'Intervention', 'Letter 1', 'L2 sent', 'AIM 2 date', 'Meeting', 'Comments'], uk);
  expect(cols.map((c) => [c.kind, c.header, c.letterId ?? c.step ?? null])).toEqual([
    ['step', 'Intervention', null], ['letter', 'Letter 1', 'letter1'], ['letter', 'L2 sent', 'letter2'], ['meeting', 'AIM 2 date', 6], ['meeting', 'Meeting', null],
  ]);
  expect(stepOfValue('AIM 2', uk)).toBe(6);
  expect(stepOfValue('Letter 2', uk)).toBe(5);
  expect(stepOfValue(4, uk)).toBe(4);
  expect(stepOfValue('Step 7 – Home visit', uk)).toBe(7);
  expect(stepOfValue('see notes', uk)).toBeNull();
});

test('each pupil\'s items, questions for what cannot be read, and Log records that count as what they record', () => {
  const values = [
    ['Student ID', 'Name', 'Intervention', 'Letter 1', 'AIM 2 date', 'Meeting'],
    ['S1', 'Amy', '', '03/11/2025', '', ''],
    ['S2', 'Ben', 'AIM 2', '', '', ''],
    ['S3', 'Cy', 'see notes', 'soon', '01/12/2030', 'yes'],
    ['S4', 'Di', '', 'yes', '', ''],
  ];
  const p = proposeAdoption({ values, idColumn: 0, nameColumn: 1, policy: uk, calendar, today: '2025-11-20', format: 'dd/MM/yyyy' });
  expect(p.pupils.map((x) => [x.studentId, x.items.map((i) => `${i.method}@${i.step}${i.dateKnown ? ` ${i.date}` : ''}`)])).toEqual([
    ['S1', ['Letter@4 2025-11-03']],
    ['S2', ['Note@6', 'Letter@6']],
    ['S4', ['Letter@4']],
  ]);
  expect(p.questions).toEqual([
    expect.stringMatching(/^SOL Tracker row 4, column C "Intervention": "see notes" names no step/),
    expect.stringMatching(/^SOL Tracker row 4, column D "Letter 1": "soon" is neither a date nor a tick/),
    expect.stringMatching(/^SOL Tracker row 4, column E "AIM 2 date": 01\/12\/2030 is after today/),
    expect.stringMatching(/^SOL Tracker row 4, column F "Meeting": a meeting, but the column does not say which/),
  ]);
  const all = new Set(p.pupils.flatMap((x) => x.items.map((i) => i.key)));
  const records = adoptedRecords(p, all, { policy: uk, calendar, by: 'al@school.example' });
  const s1 = records.find((r) => r.studentId === 'S1')!;
  expect(s1.letterKey).toBe(`S1|letter1|${letterWindowKey(uk, calendar, '2025-11-03')}`);
  expect(isLetterSent(s1)).toBe(true);
  const note = records.find((r) => r.studentId === 'S2' && r.method === ('Note' as never))!;
  expect(note.notes).toMatch(/^Adopted history: At Step 6/);
  expect([isAction(note), isContact(note), isLetterSent(note), isMeetingHeld(note)]).toEqual([true, false, false, false]);
  // Unticked items are not recorded.
  expect(adoptedRecords(p, new Set([...all].filter((k) => !k.startsWith('S2|stepLetter'))), { policy: uk, calendar, by: 'x' }).filter((r) => r.studentId === 'S2')).toHaveLength(1);
});

test('the Log note of an adopted letter or meeting gives its date in the school\'s format, not ISO (preview walk: "Meeting held on 2025-11-03")', () => {
  const values = [['Student ID', 'Name', 'Letter 1', 'AIM 1'], ['S1', 'Amy', '03/11/2025', '10/11/2025']];
  const p = proposeAdoption({ values, idColumn: 0, nameColumn: 1, policy: uk, calendar, today: '2025-11-20', format: 'dd/MM/yyyy' });
  const records = adoptedRecords(p, new Set(p.pupils.flatMap((x) => x.items.map((i) => i.key))), { policy: uk, calendar, by: 'al@school.example' });
  expect(records.map((r) => r.notes)).toEqual([
    expect.stringContaining('Letter 1 sent on 03/11/2025 (column "Letter 1")'),
    expect.stringContaining('Meeting held on 10/11/2025 (column "AIM 1", Step 5)'),
  ]);
  for (const r of records) expect(r.notes).not.toMatch(/\d{4}-\d{2}-\d{2}/);
});
