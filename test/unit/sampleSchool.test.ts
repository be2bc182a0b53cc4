import { DFE_2024, US_ILLINOIS, lookupCode } from '../../src/core/codes';
import { SeededRandom } from '../../src/core/sample/random';
import { type SampleSchool, generateSchool, sampleSchoolDays } from '../../src/core/sample/school';
import type { CodeTable } from '../../src/core/types';

/** PA and severe shares by the DfE "exact" rules: absent*10 >= possible, absent*2 >= possible (attendance-rules.md §1.4). */
function absenceShares(school: SampleSchool, table: CodeTable): { pa: number; severe: number; atLeast95: number } {
  const counts = new Map<string, { possible: number; absent: number }>();
  for (const m of school.marks) {
    const code = lookupCode(table, m.code);
    if (!code) throw new Error(`code ${m.code} not in ${table.id}`);
    const c = counts.get(m.studentId) ?? { possible: 0, absent: 0 };
    if (code.category !== 'notPossible') c.possible++;
    if (code.category === 'authorised' || code.category === 'unauthorised') c.absent++;
    counts.set(m.studentId, c);
  }
  const all = [...counts.values()];
  const share = (f: (c: { possible: number; absent: number }) => boolean) => all.filter(f).length / all.length;
  return {
    pa: share((c) => c.absent * 10 >= c.possible),
    severe: share((c) => c.absent * 2 >= c.possible),
    atLeast95: share((c) => c.absent * 20 <= c.possible),
  };
}

describe('SeededRandom (mulberry32)', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
  it('int stays in range and reaches both ends; shuffle keeps every item', () => {
    const r = new SeededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(r.int(1, 4));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => r.pick([])).toThrow(/at least one/);
  });
});

describe('sampleSchoolDays', () => {
  it('gives weekdays only, from the start date, skipping one half-term week', () => {
    const days = sampleSchoolDays('2024-09-02', 50);
    expect(days).toHaveLength(50);
    expect(days[0]).toBe('2024-09-02');
    for (const d of days) {
      const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
      expect(wd >= 1 && wd <= 5).toBe(true);
    }
    // The 8th week (21–25 Oct 2024) is half-term.
    expect(days).toContain('2024-10-18');
    expect(days).not.toContain('2024-10-21');
    expect(days[days.indexOf('2024-10-18') + 1]).toBe('2024-10-28');
  });
  it('starts on the next Monday when the start date is a weekend', () => {
    expect(sampleSchoolDays('2024-09-01', 1)).toEqual(['2024-09-02']);
  });
});

describe('generateSchool', () => {
  const opts = { seed: 2024, students: 600, startDate: '2024-09-02', schoolDays: 120 };
  const uk = generateSchool(opts);

  it('is deterministic for a seed and different for another seed', () => {
    expect(generateSchool(opts)).toEqual(uk);
    const other = generateSchool({ ...opts, seed: 2025 });
    expect(other.students.map((s) => s.studentId)).not.toEqual(uk.students.map((s) => s.studentId));
    expect(other.marks).not.toEqual(uk.marks);
  });

  it('UK students: unique UPN-like IDs, years 7–11, groups like 7A, 1–2 parents with fictional contacts', () => {
    expect(uk.students).toHaveLength(600);
    const ids = uk.students.map((s) => s.studentId);
    expect(new Set(ids).size).toBe(600);
    for (const s of uk.students) {
      expect(s.studentId).toMatch(/^A\d{12}$/);
      expect(['7', '8', '9', '10', '11']).toContain(s.yearGroup);
      expect(s.tutorGroup).toMatch(new RegExp(`^${s.yearGroup}[A-Z]$`));
      expect(s.parents.length === 1 || s.parents.length === 2).toBe(true);
      for (const p of s.parents) {
        expect(p.email).toMatch(/^[a-z0-9.-]+@example\.org$/);
        expect(p.phone).toMatch(/^07700 900\d{3}$/);
      }
      expect(['en', 'es']).toContain(s.language);
    }
    const es = uk.students.filter((s) => s.language === 'es').length / 600;
    expect(es).toBeGreaterThan(0.07);
    expect(es).toBeLessThan(0.25);
  });

  it('names are diverse, including apostrophes, accents and hyphens', () => {
    const names = uk.students.map((s) => s.name).join('|');
    expect(names).toMatch(/'/);
    expect(names).toMatch(/[áéíóúëñłś]/i);
    expect(names).toMatch(/-/);
  });

  it('staff: a tutor per group, a HOY per year, one AO, AL and Admin, with unique school e-mails', () => {
    const groups = new Set(uk.students.map((s) => s.tutorGroup));
    const tutors = uk.staff.filter((s) => s.role === 'Tutor');
    expect(new Set(tutors.map((t) => t.tutorGroup))).toEqual(groups);
    expect(uk.staff.filter((s) => s.role === 'HOY').map((s) => s.yearGroup)).toEqual(['7', '8', '9', '10', '11']);
    for (const role of ['AO', 'AL', 'Admin'] as const) expect(uk.staff.filter((s) => s.role === role)).toHaveLength(1);
    const emails = uk.staff.map((s) => s.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const e of emails) expect(e).toMatch(/^[a-z-]+\.[a-z-]+\d*@school\.example$/);
  });

  it('UK marks: two sessions a day for every student and day, all codes in the DfE 2024 table', () => {
    expect(uk.marks).toHaveLength(600 * 120 * 2);
    const codes = new Set(uk.marks.map((m) => m.code));
    for (const c of codes) expect(lookupCode(DFE_2024, c)).toBeDefined();
    for (const c of ['/', '\\', 'I', 'G', 'L', 'U', 'N', 'M', 'O']) expect(codes).toContain(c);
    // Present AM is '/', present PM is '\'.
    expect(uk.marks.some((m) => m.session === 'PM' && m.code === '/')).toBe(false);
    expect(uk.marks.some((m) => m.session === 'AM' && m.code === '\\')).toBe(false);
  });

  it('attendance distribution is realistic: most ≥ 95 %, PA 10–35 %, some severe', () => {
    const shares = absenceShares(uk, DFE_2024);
    expect(shares.pa).toBeGreaterThan(0.1);
    expect(shares.pa).toBeLessThan(0.35);
    expect(shares.severe).toBeGreaterThan(0);
    expect(shares.severe).toBeLessThan(0.05);
    expect(shares.atLeast95).toBeGreaterThan(0.5);
  });

  it('absence comes in bouts: illness runs over consecutive days', () => {
    let runsOfTwoOrMore = 0;
    const byStudent = new Map<string, string[]>();
    for (const m of uk.marks) if (m.session === 'AM') (byStudent.get(m.studentId) ?? byStudent.set(m.studentId, []).get(m.studentId)!).push(m.code);
    for (const codes of byStudent.values()) for (let i = 1; i < codes.length; i++) if (codes[i] === 'I' && codes[i - 1] === 'I') runsOfTwoOrMore++;
    expect(runsOfTwoOrMore).toBeGreaterThan(50);
  });

  it('US preset: grades K–5, one DAY mark a day with US codes', () => {
    const us = generateSchool({ ...opts, preset: 'us' });
    expect(us.timeZone).toBe('America/Chicago');
    expect(new Set(us.students.map((s) => s.yearGroup))).toEqual(new Set(['K', '1', '2', '3', '4', '5']));
    expect(us.marks).toHaveLength(600 * 120);
    expect(us.marks.every((m) => m.session === 'DAY')).toBe(true);
    const codes = new Set(us.marks.map((m) => m.code));
    for (const c of codes) expect(lookupCode(US_ILLINOIS, c)).toBeDefined();
    for (const c of ['P', 'T', 'ECE', 'UNX', 'EXC', 'MED', 'VAC', 'VACU']) expect(codes).toContain(c);
    const shares = absenceShares(us, US_ILLINOIS);
    expect(shares.pa).toBeGreaterThan(0.1);
    expect(shares.pa).toBeLessThan(0.35);
    expect(shares.severe).toBeGreaterThan(0);
  });

  it('generates 2,000 students × 190 days (its speed is in npm run bench: parse)', () => {
    const big = generateSchool({ seed: 1, students: 2000, startDate: '2024-09-02', schoolDays: 190 });
    expect(big.marks).toHaveLength(2000 * 190 * 2);
  });

  it('rejects a bad start date or count with a clear message', () => {
    expect(() => generateSchool({ ...opts, startDate: '02/09/2024' })).toThrow(/startDate must be an ISO date/);
    expect(() => generateSchool({ ...opts, startDate: '2024-02-30' })).toThrow(/not a real date/);
    expect(() => generateSchool({ ...opts, students: -1 })).toThrow(/students must be/);
  });
});
