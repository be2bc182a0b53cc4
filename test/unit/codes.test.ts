import {
  CODE_TABLES,
  DFE_2024,
  lookupCode,
  normaliseCode,
  UnknownCodeError,
  US_ILLINOIS,
  withCategoryOverrides,
} from '../../src/core/codes';
import type { CodeCategory, CodeTable } from '../../src/core/types';

function categoriesOf(table: CodeTable): Record<string, CodeCategory> {
  return Object.fromEntries(table.codes.map((c) => [c.code, c.category]));
}

describe('DfE 2024 code table (attendance-rules.md §1.2)', () => {
  test('every code and its statistical category, and nothing else', () => {
    expect(categoriesOf(DFE_2024)).toEqual({
      '/': 'present', '\\': 'present', L: 'present',
      K: 'aea', V: 'aea', P: 'aea', W: 'aea', B: 'aea',
      C: 'authorised', C1: 'authorised', C2: 'authorised', M: 'authorised', J1: 'authorised',
      S: 'authorised', T: 'authorised', R: 'authorised', I: 'authorised', E: 'authorised',
      G: 'unauthorised', N: 'unauthorised', O: 'unauthorised', U: 'unauthorised',
      D: 'notPossible', X: 'notPossible', Z: 'notPossible', '#': 'notPossible',
      // §1.2 notes / §7: Q and Y1–Y7 "not possible" is UNCONFIRMED; default, overridable.
      Q: 'notPossible', Y1: 'notPossible', Y2: 'notPossible', Y3: 'notPossible', Y4: 'notPossible',
      Y5: 'notPossible', Y6: 'notPossible', Y7: 'notPossible',
    });
    expect(DFE_2024.sessionsPerDay).toBe(2);
    expect(DFE_2024.id).toBe('dfe-2024');
  });

  test('codes are unique and each has a meaning', () => {
    const codes = DFE_2024.codes.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of DFE_2024.codes) expect(c.meaning.length).toBeGreaterThan(5);
  });

  test('§1.3: L is late before close (present), U late after close (unauthorised); N is unverified', () => {
    expect(lookupCode(DFE_2024, 'L')).toMatchObject({ category: 'present', late: 'beforeClose' });
    expect(lookupCode(DFE_2024, 'U')).toMatchObject({ category: 'unauthorised', late: 'afterClose' });
    expect(lookupCode(DFE_2024, 'N')).toMatchObject({ category: 'unauthorised', unverified: true });
    const flagged = DFE_2024.codes.filter((c) => c.late || c.unverified || c.unexcused).map((c) => c.code);
    expect(flagged.sort()).toEqual(['L', 'N', 'U']);
  });

  test('pre-2024 codes H, F, J and plain Y are not in the 2024 table (§1.2, §6.1)', () => {
    for (const old of ['H', 'F', 'J', 'Y']) expect(lookupCode(DFE_2024, old)).toBeUndefined();
  });
});

describe('US Illinois code table (seed 004)', () => {
  test('every code and its category', () => {
    expect(categoriesOf(US_ILLINOIS)).toEqual({
      P: 'present', T: 'present',
      EXC: 'authorised', MED: 'authorised', OSS: 'authorised', ECE: 'authorised', VAC: 'authorised',
      UNX: 'unauthorised', VACU: 'unauthorised',
      NS: 'notPossible',
    });
    expect(US_ILLINOIS.sessionsPerDay).toBe(1);
  });

  test('seed 004: ECE and VAC are unverified; UNX and VACU are unexcused; T is tardy (present)', () => {
    const unverified = US_ILLINOIS.codes.filter((c) => c.unverified).map((c) => c.code).sort();
    const unexcused = US_ILLINOIS.codes.filter((c) => c.unexcused).map((c) => c.code).sort();
    expect(unverified).toEqual(['ECE', 'VAC']);
    expect(unexcused).toEqual(['UNX', 'VACU']);
    expect(lookupCode(US_ILLINOIS, 'T')).toMatchObject({ category: 'present', late: 'beforeClose' });
  });

  test('105 ILCS 5/26-18: out-of-school suspension counts as absence (chronic absence)', () => {
    expect(['authorised', 'unauthorised']).toContain(lookupCode(US_ILLINOIS, 'OSS')!.category);
  });
});

test('CODE_TABLES is keyed by table id', () => {
  expect(CODE_TABLES['dfe-2024']).toBe(DFE_2024);
  expect(CODE_TABLES['us-illinois']).toBe(US_ILLINOIS);
  for (const [id, table] of Object.entries(CODE_TABLES)) expect(table.id).toBe(id);
});

describe('normaliseCode', () => {
  test.each([
    [' l ', 'L'],
    ['/', '/'],
    ['y1', 'Y1'],
    ['vacu', 'VACU'],
    ['', ''],
    ['   ', ''],
    [null, ''],
    [undefined, ''],
  ])('%p → %p', (raw, expected) => {
    expect(normaliseCode(raw)).toBe(expected);
  });
});

describe('lookupCode', () => {
  test('finds a code in either spelling and misses an unknown one', () => {
    expect(lookupCode(DFE_2024, 'C1')!.category).toBe('authorised');
    expect(lookupCode(DFE_2024, 'c1')!.code).toBe('C1');
    expect(lookupCode(DFE_2024, 'ZZ')).toBeUndefined();
    expect(lookupCode(US_ILLINOIS, '/')).toBeUndefined();
  });
});

describe('withCategoryOverrides (Settings choice for Q/Y1–Y7, §7 open item)', () => {
  test('returns a new table with the overridden categories; the original is unchanged', () => {
    const table = withCategoryOverrides(DFE_2024, { Q: 'authorised', y4: 'authorised' });
    expect(table).not.toBe(DFE_2024);
    expect(lookupCode(table, 'Q')!.category).toBe('authorised');
    expect(lookupCode(table, 'Y4')!.category).toBe('authorised');
    expect(lookupCode(table, 'Y5')!.category).toBe('notPossible');
    expect(lookupCode(DFE_2024, 'Q')!.category).toBe('notPossible');
    expect(table.codes).toHaveLength(DFE_2024.codes.length);
  });

  test('an override of an unknown code is a clear error naming the code and table', () => {
    expect(() => withCategoryOverrides(DFE_2024, { YY: 'authorised' })).toThrow(UnknownCodeError);
    expect(() => withCategoryOverrides(DFE_2024, { YY: 'authorised' })).toThrow(/"YY".*dfe-2024/);
  });

  test('an invalid category is rejected', () => {
    expect(() => withCategoryOverrides(DFE_2024, { Q: 'excused' as CodeCategory })).toThrow(/Invalid category "excused" for attendance code "Q"/);
  });
});

test('UnknownCodeError carries the code and position', () => {
  const error = new UnknownCodeError('ZZ', 'on 2024-09-04 (AM session)');
  expect(error).toBeInstanceOf(Error);
  expect(error.code).toBe('ZZ');
  expect(error.position).toBe('on 2024-09-04 (AM session)');
  expect(error.message).toBe('Unknown attendance code "ZZ" on 2024-09-04 (AM session)');
});
