/** First-day absence calls (seed 003). */
import { DFE_2024, US_ILLINOIS } from '../../src/core/codes';
import { minutesOf, selectTodayCalls, todaysMarksImported, type CallCandidate, type TodayCallsInput } from '../../src/core/todayCalls';

const students: CallCandidate[] = [
  { studentId: 'S1', name: 'Ava Smith', yearGroup: '7', tutorGroup: '7B', parents: [{ name: 'Sarah Smith', phone: '07700 900001' }] },
  { studentId: 'S2', name: 'Leo Khan', yearGroup: '7', tutorGroup: '7A', parents: [{ name: 'No phone', phone: '' }, { name: 'Farah Khan', phone: '07700 900002' }] },
  { studentId: 'S3', name: 'Mia Chen', yearGroup: '8', tutorGroup: '8A', parents: [] },
  { studentId: 'S4', name: 'Noah Ali', yearGroup: '7', tutorGroup: '7A', parents: [{ name: 'Omar Ali', phone: '07700 900004' }] },
];

function input(over: Partial<TodayCallsInput> = {}): TodayCallsInput {
  return {
    today: '2025-03-14',
    schoolDay: true,
    registerClosed: true,
    marksToday: new Map([
      ['S1', { AM: 'N' }],
      ['S2', { AM: '/' , PM: 'n' }],
      ['S4', { AM: '/' }],
    ]),
    students,
    table: DFE_2024,
    mayView: () => true,
    ...over,
  };
}

describe('selectTodayCalls', () => {
  it('lists N-coded students with the parent who has a phone; a pupil with no mark is not a call', () => {
    expect(selectTodayCalls(input())).toEqual([
      { studentId: 'S2', name: 'Leo Khan', yearGroup: '7', tutorGroup: '7A', parentName: 'Farah Khan', phone: '07700 900002', code: 'N', calledToday: null },
      { studentId: 'S1', name: 'Ava Smith', yearGroup: '7', tutorGroup: '7B', parentName: 'Sarah Smith', phone: '07700 900001', code: 'N', calledToday: null },
    ]);
  });
  it('marks imported for two pupils only: the rest of the group (unmarked) is not listed (issue 11)', () => {
    const marksToday = new Map([['S1', { AM: 'N' }], ['S4', { AM: '/' }]]);
    expect(selectTodayCalls(input({ marksToday })).map((c) => c.studentId)).toEqual(['S1']);
    expect(todaysMarksImported(marksToday)).toBe(true);
    expect(todaysMarksImported(new Map())).toBe(false);
  });
  it('when nobody has a mark today (register not imported yet) nobody is listed', () => {
    expect(selectTodayCalls(input({ marksToday: new Map() }))).toEqual([]);
  });
  it('a family called today stays on the list marked done; a letter does not count as a call', () => {
    const rows = selectTodayCalls(input({ contactsToday: [{ studentId: 'S1', method: 'Phone call', outcome: 'Spoke to parent', by: 'Ms Patel' }, { studentId: 'S2', method: 'Letter', outcome: 'Sent', by: 'AO' }] }));
    expect(rows.map((r) => [r.studentId, r.calledToday])).toEqual([['S2', null], ['S1', 'Ms Patel: Spoke to parent']]);
  });
  it('sorted by year group (7 before 10), then tutor group, then name', () => {
    const more: CallCandidate[] = [...students, { studentId: 'S5', name: 'Zed Old', yearGroup: '10', tutorGroup: '10A', parents: [] }];
    const marksToday = new Map([['S5', { AM: 'N' }], ['S1', { AM: 'N' }], ['S2', { AM: 'N' }]]);
    expect(selectTodayCalls(input({ students: more, marksToday })).map((c) => c.tutorGroup)).toEqual(['7A', '7B', '10A']);
  });
  it('no calls on a non-school day', () => {
    expect(selectTodayCalls(input({ schoolDay: false }))).toEqual([]);
  });
  it('a tutor sees only their group', () => {
    expect(selectTodayCalls(input({ mayView: (s) => s.tutorGroup === '7B' })).map((c) => c.studentId)).toEqual(['S1']);
  });
  it('US daily registers: unverified codes (ECE, VAC) are calls; excused and present are not', () => {
    const marksToday = new Map([['S1', { DAY: 'ECE' }], ['S2', { DAY: 'P' }], ['S3', { DAY: 'UNX' }], ['S4', { DAY: 'VAC' }]]);
    const rows = selectTodayCalls(input({ table: US_ILLINOIS, marksToday }));
    expect(rows.map((r) => [r.studentId, r.code])).toEqual([['S4', 'VAC'], ['S1', 'ECE']]);
  });
});

describe('minutesOf', () => {
  it('reads HH:mm and refuses anything else', () => {
    expect(minutesOf('09:30')).toBe(570);
    expect(() => minutesOf('9.30')).toThrow(/HH:mm/);
    expect(() => minutesOf('25:00')).toThrow(/HH:mm/);
  });
});
