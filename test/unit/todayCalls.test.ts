/** First-day absence calls (seed 003). */
import { DFE_2024, US_ILLINOIS } from '../../src/core/codes';
import { minutesOf, selectTodayCalls, type CallCandidate, type TodayCallsInput } from '../../src/core/todayCalls';

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
  it('lists N-coded students with the parent who has a phone, and students with no AM mark once the register closed', () => {
    expect(selectTodayCalls(input())).toEqual([
      { studentId: 'S2', name: 'Leo Khan', tutorGroup: '7A', parentName: 'Farah Khan', phone: '07700 900002', code: 'N' },
      { studentId: 'S1', name: 'Ava Smith', tutorGroup: '7B', parentName: 'Sarah Smith', phone: '07700 900001', code: 'N' },
      { studentId: 'S3', name: 'Mia Chen', tutorGroup: '8A', parentName: '', phone: '', code: '' },
    ]);
  });
  it('before the register closes, a missing mark is not a call', () => {
    expect(selectTodayCalls(input({ registerClosed: false })).map((c) => c.studentId)).toEqual(['S2', 'S1']);
  });
  it('when nobody has a mark today (register not imported yet) nobody is listed for "no mark"', () => {
    expect(selectTodayCalls(input({ marksToday: new Map() }))).toEqual([]);
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
