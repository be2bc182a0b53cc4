import { bandOf, bandsFor, COLOURS, LEGEND, legendText, rowColours } from '../../src/core/tracker/colours';
import type { StudentRecord } from '../../src/core/schoolModel';
import type { ColumnMapping } from '../../src/core/tracker/columns';

// ---- a small colour-vision model: sRGB → linear → Machado et al. (2009) severity-1.0 matrices → CIELAB

const MACHADO: Record<string, number[][]> = {
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
};

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
function linearRgb(hex: string): number[] {
  expect(hex).toMatch(/^#[0-9a-f]{6}$/);
  return [1, 3, 5].map((i) => toLinear(parseInt(hex.slice(i, i + 2), 16) / 255));
}
function simulate(rgb: number[], vision: string): number[] {
  const m = MACHADO[vision];
  if (!m) return rgb;
  return m.map((r) => Math.min(1, Math.max(0, r[0]! * rgb[0]! + r[1]! * rgb[1]! + r[2]! * rgb[2]!)));
}
function lab(rgb: number[]): number[] {
  const [r, g, b] = rgb as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a: string, b: string, vision: string) => {
  const [p, q] = [lab(simulate(linearRgb(a), vision)), lab(simulate(linearRgb(b), vision))];
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
};
const luminance = (hex: string) => {
  const [r, g, b] = linearRgb(hex) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrastWithBlack = (hex: string) => (luminance(hex) + 0.05) / 0.05;

describe('the colour model itself', () => {
  test('red and green, far apart normally, nearly merge under deuteranopia', () => {
    expect(deltaE('#ff0000', '#00ff00', 'normal')).toBeGreaterThan(100);
    expect(deltaE('#d62728', '#2ca02c', 'deuteranopia')).toBeLessThan(deltaE('#d62728', '#2ca02c', 'normal') / 3);
  });
  test('white on black is 21:1', () => {
    expect(contrastWithBlack('#ffffff')).toBeCloseTo(21, 5);
  });
});

describe('palette', () => {
  const names = Object.keys(COLOURS) as (keyof typeof COLOURS)[];

  test.each(names)('%s keeps black text readable (≥ 4.5:1)', (name) => {
    expect(contrastWithBlack(COLOURS[name])).toBeGreaterThanOrEqual(4.5);
  });

  test.each(['normal', 'deuteranopia', 'protanopia'])('every pair stays distinguishable in %s vision (ΔE ≥ 10)', (vision) => {
    const tooClose: string[] = [];
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const d = deltaE(COLOURS[names[i]!], COLOURS[names[j]!], vision);
        if (d < 10) tooClose.push(`${names[i]}/${names[j]} ${d.toFixed(1)}`);
      }
    }
    expect(tooClose).toEqual([]);
  });

  test.each(['deuteranopia', 'protanopia'])('the four step bands are well apart in %s (ΔE ≥ 13)', (vision) => {
    const bands = [COLOURS.none, COLOURS.monitoring, COLOURS.letters, COLOURS.legal];
    for (let i = 0; i < bands.length; i++) for (let j = i + 1; j < bands.length; j++) expect(deltaE(bands[i]!, bands[j]!, vision)).toBeGreaterThanOrEqual(13);
  });

  test('the legend lists every colour once, each with words', () => {
    expect(new Set(LEGEND.map((l) => l.colour))).toEqual(new Set(Object.values(COLOURS)));
    for (const l of LEGEND) expect(l.meaning.length).toBeGreaterThan(10);
    expect(legendText()).toContain('RTC: Record of Tutor Conversation');
  });
});

describe('bands', () => {
  test('seed 002 ladder: 1–3 monitoring, 4–6 letters, 7–10 legal', () => {
    const uk = bandsFor('uk-secondary-sol');
    expect([0, 1, 3, 4, 6, 7, 10].map((s) => bandOf(s, uk))).toEqual(['none', 'monitoring', 'monitoring', 'letters', 'letters', 'legal', 'legal']);
  });
  test('an unknown policy splits its steps into thirds', () => {
    const l = bandsFor('custom', 9);
    expect([1, 3, 4, 6, 7, 9].map((s) => bandOf(s, l))).toEqual(['monitoring', 'monitoring', 'letters', 'letters', 'legal', 'legal']);
  });
});

describe('rowColours', () => {
  const mapping: ColumnMapping = { studentId: 0, rtc: 2, ropc: 3, contactDue: 5 };
  const record = (step: number, rtc = '', ropc = '', overdue = false) =>
    ({ placement: { step }, student: { rtc, ropc }, overdue }) as unknown as StudentRecord;

  test('no step: default background everywhere', () => {
    expect(rowColours(record(0), 6, mapping)).toEqual([null, null, null, null, null, null]);
  });
  test('step band over the row; RTC green, ROPC its colour, overdue contact yellow', () => {
    const row = rowColours(record(5, 'yes', '12/10 spoke to mum', true), 6, mapping);
    expect(row).toEqual([COLOURS.letters, COLOURS.letters, COLOURS.rtc, COLOURS.ropc, COLOURS.letters, COLOURS.overdue]);
  });
  test('RTC recorded on a student with no step still shows green', () => {
    expect(rowColours(record(0, 'x'), 6, mapping)[2]).toBe(COLOURS.rtc);
  });
  test('columns beyond the block are ignored', () => {
    expect(rowColours(record(8, '', '', true), 4, mapping)).toEqual([COLOURS.legal, COLOURS.legal, COLOURS.legal, COLOURS.legal]);
  });
});
