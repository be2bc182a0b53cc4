import fc from 'fast-check';
import { getPreset } from '../../src/core/policy/presets';
import { readAttendanceInput, tierForAttendance } from '../../src/core/policy/tier';

const uk = getPreset('uk-secondary-sol');
const stepFor = (value: number) => tierForAttendance(uk, readAttendanceInput(value))?.step ?? null;

describe('tierForAttendance on the default ladder (seed 002 thresholds 100 / 97 / 95 / 93 / 90)', () => {
  it.each([
    // [input, expected step]: both sides of every attendance threshold
    [1, null],
    [100, null],
    [0.999999, 1],
    [99.5, 1],
    [0.97, 1],
    [97, 1],
    [0.9699, 3],
    [96.99, 3],
    [0.95, 3],
    [95, 3],
    [0.9499, 4],
    [94.99, 4],
    [94.9, 4],
    [94, 4],
    [0.94, 4],
    [0.93, 4],
    [93, 4],
    [0.929, 5],
    [92.9, 5],
    [0.9, 5],
    [90, 5],
    [90.0, 5],
    [0.8999, 6],
    [89.99, 6],
    [0.5, 6],
    [0, 6],
  ] as const)('attendance %p → step %p', (input, expected) => {
    expect(stepFor(input)).toBe(expected);
  });

  it('labels come from the ladder ("Step 4 – Letter 1") for a fraction and a percentage alike', () => {
    expect(tierForAttendance(uk, readAttendanceInput(94))?.label).toMatch(/^Step 4 – /);
    expect(tierForAttendance(uk, readAttendanceInput(0.94))).toEqual({ step: 4, label: 'Step 4 – Letter 1' });
  });

  it('step 2 (broken weeks) is never given by a bare percentage: it needs the register', () => {
    for (let tenths = 0; tenths <= 1000; tenths++) expect(stepFor(tenths / 10)).not.toBe(2);
  });

  it('compares without float artefacts (0.95 * 3 / 3 = 0.9499999999999998 is not below 95%)', () => {
    expect((0.95 * 3) / 3).toBeLessThan(0.95);
    expect(stepFor((0.95 * 3) / 3)).toBe(3);
    expect(0.04 + 0.93).toBeGreaterThan(0.97);
    expect(stepFor(0.04 + 0.93)).toBe(1);
    expect(stepFor(97 / 100)).toBe(1);
  });

  it('lower attendance never gives a lower step (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(tierForAttendance(uk, low)?.step ?? 0).toBeGreaterThanOrEqual(tierForAttendance(uk, high)?.step ?? 0);
      }),
    );
  });

  it('rejects a fraction outside 0–1', () => {
    expect(() => tierForAttendance(uk, 1.5)).toThrow(/fraction from 0 to 1, got 1.5/);
  });
});

describe('tierForAttendance on count-based ladders', () => {
  it('Illinois and generic ladders have no pure attendance step (seed 004 / 001 count absences)', () => {
    for (const id of ['us-illinois-elementary', 'generic']) {
      expect(tierForAttendance(getPreset(id), 0)).toBeNull();
      expect(tierForAttendance(getPreset(id), 0.85)).toBeNull();
    }
  });
});

describe('readAttendanceInput', () => {
  it('reads 0–1 as a fraction and above 1 up to 100 as a percentage', () => {
    expect(readAttendanceInput(0)).toBe(0);
    expect(readAttendanceInput(0.5)).toBe(0.5);
    expect(readAttendanceInput(1)).toBe(1);
    expect(readAttendanceInput(50)).toBe(0.5);
    expect(readAttendanceInput(100)).toBe(1);
    expect(readAttendanceInput(94.9)).toBeCloseTo(0.949, 12);
  });

  it.each([-0.01, 100.01, 250, Number.NaN, Number.POSITIVE_INFINITY])('rejects %p with a clear message', (value) => {
    expect(() => readAttendanceInput(value)).toThrow(/is not valid: give a fraction from 0 to 1 .* or a percentage from 0 to 100/);
  });
});
