import { attendPct } from '../../src/core/attendPct';
import { DFE_2024, US_ILLINOIS, withCategoryOverrides } from '../../src/core/codes';

// apps-script-semantics.md S9.2: one cell arrives as a scalar, a range as a 2-D array,
// empty cells as ''. S9.4: a 2-D array result spills down from the calling cell.
describe('ATTEND_PCT shapes (custom functions, apps-script-semantics.md §1.9)', () => {
  test('a single cell: 1 for present, 0 for an absence, blank for no mark or a not-possible code', () => {
    expect(attendPct('/', DFE_2024)).toBe(1);
    expect(attendPct('O', DFE_2024)).toBe(0);
    expect(attendPct('', DFE_2024)).toBe('');
    expect(attendPct('#', DFE_2024)).toBe('');
  });

  test('a single row (1×n) gives one fraction for the whole row', () => {
    expect(attendPct([['/', '\\', 'L', 'U', '', 'D']], DFE_2024)).toBe(0.75);
  });

  test('a single column (n×1) gives one fraction for the whole column', () => {
    expect(attendPct([['/'], ['O'], [''], ['K']], DFE_2024)).toBeCloseTo(2 / 3, 12);
  });

  test('a block of several rows and columns gives one value per row, as an n×1 array', () => {
    const result = attendPct(
      [
        ['/', '\\', '/', 'O'],
        ['', '', '', ''],
        ['I', 'I', '/', '\\'],
        ['#', 'X', '', 'Z'],
      ],
      DFE_2024,
    );
    expect(result).toEqual([[0.75], [''], [0.5], ['']]);
  });

  test('T1 (§5) through the custom function: 26 present + 26 U is 0.5', () => {
    const row = [[...Array<string>(26).fill('/'), ...Array<string>(26).fill('U')]];
    expect(attendPct(row, DFE_2024)).toBe(0.5);
  });

  test('codes may be lowercase or padded in cells (l = L)', () => {
    expect(attendPct([['l', ' u ', 'k', null]], DFE_2024)).toBeCloseTo(2 / 3, 12);
  });

  test('uses the school table: US daily codes', () => {
    expect(attendPct([['P', 'T', 'UNX', 'ECE', 'NS']], US_ILLINOIS)).toBe(0.5);
  });

  test('a Settings override of Q changes the result (§7 open item)', () => {
    const overridden = withCategoryOverrides(DFE_2024, { Q: 'authorised' });
    expect(attendPct([['/', 'Q']], DFE_2024)).toBe(1);
    expect(attendPct([['/', 'Q']], overridden)).toBe(0.5);
  });
});

describe('ATTEND_PCT errors name the code and its place in the range', () => {
  test('unknown code in a block', () => {
    const range = [
      ['/', '/', '/', '/', '/'],
      ['/', '/', '/', '/', 'zz'],
    ];
    expect(() => attendPct(range, DFE_2024)).toThrow('Unknown attendance code "ZZ" in row 2, column 5 of the range');
  });

  test('unknown code in a column reports its row', () => {
    expect(() => attendPct([['/'], ['/'], ['H']], DFE_2024)).toThrow('Unknown attendance code "H" in row 3, column 1 of the range');
  });

  test('unknown code in a single cell', () => {
    expect(() => attendPct('P', US_ILLINOIS)).not.toThrow();
    expect(() => attendPct('/', US_ILLINOIS)).toThrow('Unknown attendance code "/" in row 1, column 1 of the range');
  });

  test('a number or date in a mark cell is not a code', () => {
    expect(() => attendPct([['/', 5]], DFE_2024)).toThrow('Unknown attendance code "5" in row 1, column 2 of the range');
  });
});
