/** The Register writes of an import: only the cells that change (src/core/register/registerDelta.ts). */
import { cellsIn, registerWrites } from '../../src/core/register/registerDelta';

const header = (n: number) => ['Student ID', ...Array.from({ length: n }, (_, i) => `2025-07-${String(1 + Math.floor(i / 2)).padStart(2, '0')} ${i % 2 ? 'PM' : 'AM'}`)];
function tab(students: number, sessions: number, code = '/'): string[][] {
  return [header(sessions), ...Array.from({ length: students }, (_, r) => [`S${r}`, ...Array<string>(sessions).fill(code)])];
}

test('a day added at the end: one rectangle of the two new columns, every pupil', () => {
  const before = tab(2000, 380);
  const after = tab(2000, 382);
  const writes = registerWrites(before, after);
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatchObject({ row: 1, column: 382 });
  expect(cellsIn(writes)).toBe(2001 * 2);
});

test('a corrected mark far from the new day is its own small rectangle', () => {
  const before = tab(100, 40);
  const after = tab(100, 42);
  after[37]![5] = 'O';
  const writes = registerWrites(before, after);
  expect(writes.map((w) => [w.row, w.column, w.values.length, w.values[0]!.length])).toEqual([[38, 6, 1, 1], [1, 42, 101, 2]]);
  expect(writes[0]!.values).toEqual([['O']]);
});

test('nothing changed: nothing written; numbers read back as text compare equal', () => {
  const before: unknown[][] = [['Student ID', '2025-07-01 AM'], [7, '/']];
  expect(registerWrites(before, [['Student ID', '2025-07-01 AM'], ['7', '/']])).toEqual([]);
});

test('new pupils and cells beyond the new tab are written (blanked)', () => {
  const before = tab(3, 2);
  const after = tab(4, 1);
  const writes = registerWrites(before, after);
  const cells = new Map<string, string>();
  for (const w of writes) w.values.forEach((r, i) => r.forEach((v, j) => cells.set(`${w.row + i},${w.column + j}`, v)));
  expect(cells.get('5,1')).toBe('S3'); // the new pupil's row
  expect(cells.get('1,3')).toBe(''); // the dropped session's header blanked
  expect(cells.get('2,3')).toBe('');
});

test('scattered corrections are bounded: many runs become one rectangle', () => {
  const before = tab(50, 100);
  const after = tab(50, 100);
  for (let c = 1; c <= 100; c += 10) after[3]![c] = 'O';
  const writes = registerWrites(before, after);
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatchObject({ row: 4, column: 2 });
  expect(writes[0]!.values[0]![0]).toBe('O');
});
