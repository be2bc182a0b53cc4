import type { Placement } from '../../src/core/policy/evaluate';
import type { TrackerStudent } from '../../src/core/tracker/rows';
import { mergePlan, nextBatch } from '../../src/core/letters/ledger';
import { planLetters, type PlanInput } from '../../src/core/letters/plan';
import { STARTER_TEMPLATES } from '../../src/core/letters/templates';

const student = (id: string, over: Partial<TrackerStudent> = {}): TrackerStudent => ({
  row: 2,
  studentId: id,
  name: `Student ${id}`,
  yearGroup: '9',
  tutorGroup: '9B',
  parents: [{ name: `Parent of ${id}`, email: `${id.toLowerCase()}@example.org`, phone: '' }],
  language: 'en',
  rtc: '',
  ropc: '',
  ...over,
});

const placement = (letterId: string | null, step = 4): Placement => ({
  step,
  label: `Step ${step}`,
  reasons: [],
  explanation: `Step ${step} because attendance 94.1% is below 95%`,
  nextAction: '',
  owner: 'AO',
  dueDate: null,
  reviewDue: '2026-12-07',
  letterDue: letterId ? { letterId, step, windowKey: '2026-autumn' } : null,
  currentStepInHistory: 0,
});

const input = (students: TrackerStudent[], over: Partial<PlanInput> = {}): PlanInput => ({
  students,
  placements: new Map(students.map((s) => [s.studentId, placement('letter1')])),
  templatesAvailable: STARTER_TEMPLATES,
  exclusions: new Map(),
  ...over,
});

describe('letters: planLetters', () => {
  it('one item per parent/carer, with distinct keys and the placement explanation', () => {
    const s = student('S1', {
      parents: [
        { name: 'Mum', email: 'Mum@Example.org', phone: '' },
        { name: 'Dad', email: 'dad@example.org', phone: '' },
      ],
    });
    const { items, problems } = planLetters(input([s]));
    expect(problems).toEqual([]);
    expect(items).toHaveLength(2);
    expect(items.map((i) => i.key)).toEqual(['S1|letter1|2026-autumn|mum@example.org', 'S1|letter1|2026-autumn|dad@example.org']);
    expect(items[0]).toMatchObject({
      studentId: 'S1',
      studentName: 'Student S1',
      letterId: 'letter1',
      step: 4,
      windowKey: '2026-autumn',
      language: 'en',
      fellBackToEnglish: false,
      recipient: 'mum@example.org',
      recipientName: 'Mum',
      why: 'Step 4 because attendance 94.1% is below 95%',
    });
    expect(items[0].excluded).toBeUndefined();
  });

  it('a bad or missing email → a post item and a problem naming the student and the address', () => {
    const s = student('S2', {
      parents: [
        { name: 'Ana', email: 'ana@', phone: '' },
        { name: 'Luis', email: '', phone: '0123' },
      ],
    });
    const { items, problems } = planLetters(input([s]));
    expect(items.map((i) => [i.recipient, i.recipientName])).toEqual([['post', 'Ana'], ['post', 'Luis']]);
    expect(new Set(items.map((i) => i.key)).size).toBe(2);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('Student S2 (S2)');
    expect(problems[0]).toContain('"ana@" is not a valid address');
    expect(problems[1]).toContain('Luis has no email address');
  });

  it('no parent at all → a problem and no item', () => {
    const { items, problems } = planLetters(input([student('S3', { parents: [] }), student('S4', { parents: [{ name: ' ', email: '', phone: '' }] })]));
    expect(items).toEqual([]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/Student S3 \(S3\).*no parent\/carer/);
  });

  it('a Spanish-speaking family gets the Spanish template', () => {
    const { items, problems } = planLetters(input([student('S5', { language: 'es' })]));
    expect(items[0]).toMatchObject({ language: 'es', fellBackToEnglish: false });
    expect(problems).toEqual([]);
  });

  it('no Spanish template → English, flagged in the item and in the problems', () => {
    const onlyEnglish = STARTER_TEMPLATES.filter((t) => t.language === 'en');
    const { items, problems } = planLetters(input([student('S6', { language: 'es' })], { templatesAvailable: onlyEnglish }));
    expect(items[0]).toMatchObject({ language: 'en', fellBackToEnglish: true });
    expect(problems).toEqual([expect.stringContaining('no Spanish template for Letter 1; the English letter will be used')]);
  });

  it('no template in any language → a problem, no item', () => {
    const s = student('S7');
    const { items, problems } = planLetters(input([s], { placements: new Map([['S7', placement('roe-2', 6)]]) }));
    expect(items).toEqual([]);
    expect(problems[0]).toContain('ROE 2nd notification is due but there is no template');
  });

  it('an excluded student keeps its items, carrying the reason', () => {
    const { items } = planLetters(input([student('S8'), student('S9')], { exclusions: new Map([['S8', 'Hospital stay – medical evidence seen']]) }));
    expect(items.find((i) => i.studentId === 'S8')!.excluded).toBe('Hospital stay – medical evidence seen');
    expect(items.find((i) => i.studentId === 'S9')!.excluded).toBeUndefined();
  });

  it('students without a letter due, or without a placement, are not planned', () => {
    const a = student('A');
    const b = student('B');
    const { items, problems } = planLetters(input([a, b], { placements: new Map([['A', placement(null)]]) }));
    expect(items).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('two carers sharing one address get one email', () => {
    const s = student('S10', { parents: [{ name: 'Mum', email: 'family@example.org', phone: '' }, { name: 'Dad', email: 'FAMILY@example.org', phone: '' }] });
    expect(planLetters(input([s])).items).toHaveLength(1);
  });

  it('planning twice and merging into the ledger never duplicates; excluded items are not sent', () => {
    const students = [student('S1'), student('S2')];
    const plan = planLetters(input(students, { exclusions: new Map([['S2', 'illness']]) }));
    const first = mergePlan([], plan.items, '2026-11-23T09:00:00Z');
    const second = mergePlan(first.entries, planLetters(input(students, { exclusions: new Map([['S2', 'illness']]) })).items, '2026-11-24T09:00:00Z');
    expect(second.entries).toHaveLength(2);
    expect(second.added).toEqual([]);
    expect(nextBatch(second.entries, { quotaRemaining: 10, maxLetters: 10 }).map((e) => e.studentId)).toEqual(['S1']);
    expect(second.entries[1]).toMatchObject({ status: 'skipped', reason: 'Excluded: illness' });
  });
});
