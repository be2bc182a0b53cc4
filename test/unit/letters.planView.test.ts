/** The letter plan at school scale, the sidebar's pure parts: summary counts, filters and search, groups. */
import { NO_FILTER, filterPlan, groupByTutorGroup, planSummary, sendable } from '../../sidebar/views/letters';
import type { LetterPlan, PlanItemView } from '../../src/rpcTypes';
import { LOG_HEADERS, logRow, readInterventionsLog } from '../../src/core/interventionsLog';

function item(over: Partial<PlanItemView> & { key: string }): PlanItemView {
  return {
    studentId: over.key, studentName: 'Kai Smith-Jones', tutorGroup: '7A', yearGroup: '7', letterId: 'letter1', letterName: 'Letter 1',
    step: 4, stepName: 'Step 4', language: 'en', languageName: 'English', fellBackToEnglish: false, recipient: 'p@example.org',
    why: '', excluded: null, heldBack: null, status: 'planned', ...over,
  };
}

const plan: LetterPlan = {
  items: [
    item({ key: 'A1' }),
    item({ key: 'A2', tutorGroup: '10B', yearGroup: '10', letterId: 'letter3', letterName: 'Letter 3', language: 'es', languageName: 'Spanish', recipient: 'post' }),
    item({ key: 'A3', studentName: 'Zoë Brown', tutorGroup: '7B', heldBack: 'no review date' }),
    item({ key: 'A4', tutorGroup: '10B', yearGroup: '10', excluded: 'Hospital stay', status: 'skipped' }),
    item({ key: 'A5', status: 'unknown' }),
    item({ key: 'A6', status: 'sent', tutorGroup: '' }),
  ],
  problems: [], quotaRemaining: 100, unknown: [], canSend: true, quotaResets: null, secondsPerLetter: 6.6,
};

test('the summary counts letters by letter, language, email or post, and those held back, left out or needing a decision', () => {
  expect(sendable(plan).map((i) => i.key)).toEqual(['A1', 'A2', 'A3']);
  expect(planSummary(plan)).toEqual({
    toSend: 3, byEmail: 2, byPost: 1,
    byLetter: [['Letter 1', 2], ['Letter 3', 1]],
    byLanguage: [['English', 2], ['Spanish', 1]],
    heldBack: 1, leftOut: 1, needDecision: 1, sent: 1,
  });
});

test('filters by year, tutor group and letter, and a search by name or ID (accents and case ignored)', () => {
  expect(filterPlan(plan.items, { ...NO_FILTER, year: '10' }).map((i) => i.key)).toEqual(['A2', 'A4']);
  expect(filterPlan(plan.items, { ...NO_FILTER, tutorGroup: '7B' }).map((i) => i.key)).toEqual(['A3']);
  expect(filterPlan(plan.items, { ...NO_FILTER, letter: 'Letter 3' }).map((i) => i.key)).toEqual(['A2']);
  expect(filterPlan(plan.items, { ...NO_FILTER, search: 'zoe' }).map((i) => i.key)).toEqual(['A3']);
  expect(filterPlan(plan.items, { ...NO_FILTER, search: 'a5' }).map((i) => i.key)).toEqual(['A5']);
  expect(filterPlan(plan.items, NO_FILTER)).toHaveLength(6);
});

test('groups by tutor group in natural order, no group last', () => {
  expect(groupByTutorGroup(plan.items).map(([g, items]) => [g, items.length])).toEqual([['7A', 2], ['7B', 1], ['10B', 2], ['', 1]]);
});

test("the Interventions Log is written in the school's format and read back exactly, UK and US", () => {
  const record = { date: '2025-12-19', studentId: 'S1', step: 4, method: 'Phone call' as const, outcome: 'No answer', by: 'ao@school.example', attendanceAtTime: 0.8416666667 };
  for (const format of ['dd/MM/yyyy', 'MM/dd/yyyy'] as const) {
    const row = logRow(record, '2025-12-19T14:05:09', 'Kai', format);
    // Text, never a date cell (a leading apostrophe keeps Sheets from parsing it).
    expect(row[0]).toBe("'" + (format === 'dd/MM/yyyy' ? '19/12/2025 14:05' : '12/19/2025 14:05'));
    expect(row[1]).toBe("'" + (format === 'dd/MM/yyyy' ? '19/12/2025' : '12/19/2025'));
    expect(row[9]).toBe(0.8416666667); // the exact fraction; the column shows it as 84.2% (number format)
    const back = readInterventionsLog([[...LOG_HEADERS], row], format);
    expect(back.problems).toEqual([]);
    expect(back.byStudent.get('S1')![0]).toMatchObject({ date: '2025-12-19', attendanceAtTime: 0.8416666667 });
  }
});
