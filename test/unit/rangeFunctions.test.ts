/** =ATTEND_COUNT and =ATTEND_FLAG: the same shape rules as ATTEND_PCT, exact thresholds. */
import { attendCount, attendFlag } from '../../src/core/attendPct';
import { DFE_2024, US_ILLINOIS } from '../../src/core/codes';

const row = (...codes: string[]) => [codes];

describe('ATTEND_COUNT', () => {
  test('counts a category or a single code over a row; blanks are not sessions', () => {
    const marks = row('/', '\\', 'L', 'U', 'N', 'N', 'I', '#', '');
    expect(attendCount(marks, 'possible', DFE_2024)).toBe(7);
    expect(attendCount(marks, 'unauthorised', DFE_2024)).toBe(3);
    expect(attendCount(marks, 'Unauthorized', DFE_2024)).toBe(3); // US spelling
    expect(attendCount(marks, 'late', DFE_2024)).toBe(2); // L before and U after the register closed
    expect(attendCount(marks, 'unverified', DFE_2024)).toBe(2);
    expect(attendCount(marks, 'N', DFE_2024)).toBe(2);
    expect(attendCount(marks, 'n', DFE_2024)).toBe(2);
    expect(attendCount(marks, 'not possible', DFE_2024)).toBe(1);
  });

  test('a 2-D range gives one count per row; US unexcused codes', () => {
    expect(attendCount([['P', 'UNX', 'VACU'], ['P', 'ECE', 'P']], 'unexcused', US_ILLINOIS)).toEqual([[2], [0]]);
  });

  test('an unknown category names the choices; an unknown code names its cell', () => {
    expect(() => attendCount(row('/'), 'sick days', DFE_2024)).toThrow(/"sick days" is neither a category \(possible, present, .*\) nor a code/);
    expect(() => attendCount(row('/', 'ZZ'), 'possible', DFE_2024)).toThrow('Unknown attendance code "ZZ" in row 1, column 2 of the range');
  });
});

describe('ATTEND_FLAG (attendance-rules §1.4: PA ≥ 10 %, severe ≥ 50 % of possible sessions)', () => {
  const sessions = (absent: number, possible: number) => row(...Array.from({ length: possible }, (_, i) => (i < absent ? 'O' : '/')));
  test('38 of 380 is PA and 37 is not; 190 of 380 is severe and 189 is PA', () => {
    expect(attendFlag(sessions(38, 380), DFE_2024)).toBe('PA');
    expect(attendFlag(sessions(37, 380), DFE_2024)).toBe('');
    expect(attendFlag(sessions(190, 380), DFE_2024)).toBe('Severe');
    expect(attendFlag(sessions(189, 380), DFE_2024)).toBe('PA');
  });
  test('38 of 379 shows as 90.0 % attendance but is PA', () => {
    expect(attendFlag(sessions(38, 379), DFE_2024)).toBe('PA');
  });
  test('no possible session gives a blank; a block gives one flag per row', () => {
    expect(attendFlag(row('#', 'X'), DFE_2024)).toBe('');
    expect(attendFlag([['/', 'O'], ['/', '/']], DFE_2024)).toEqual([['Severe'], ['']]);
  });
});
