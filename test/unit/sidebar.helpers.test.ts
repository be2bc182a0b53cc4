/** Pure helpers of the sidebar (no DOM needed): formatting, tel: links, parsing, send counts. */
import { formatDate, plural, telHref } from '../../sidebar/dom';
import { formatCodeOverrides, parseCodeOverrides } from '../../sidebar/views/settings';
import { sendable } from '../../sidebar/views/letters';
import { dayLabel, hourLabel } from '../../sidebar/views/weekly';
import type { LetterPlan, PlanItemView } from '../../src/rpcTypes';

describe('sidebar helpers', () => {
  test('formatDate reads ISO dates without a time-zone shift', () => {
    expect(formatDate('2025-03-14')).toBe('14/03/2025');
    expect(formatDate('2025-12-01')).toBe('01/12/2025');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('next week')).toBe('next week');
  });

  test('telHref keeps digits and a leading +, and refuses numbers without digits', () => {
    expect(telHref('07700 900123')).toBe('tel:07700900123');
    expect(telHref('+44 (0)7700-900 123')).toBe('tel:+4407700900123');
    expect(telHref('javascript:alert(1)')).toBeNull();
    expect(telHref('')).toBeNull();
  });

  test('plural', () => {
    expect(plural(1, 'letter')).toBe('1 letter');
    expect(plural(3, 'letter')).toBe('3 letters');
  });

  test('code overrides round-trip and bad lines are reported by number', () => {
    expect(parseCodeOverrides('X = notPossible\n\nB: aea')).toEqual({ overrides: { X: 'notPossible', B: 'aea' }, badLines: [] });
    expect(parseCodeOverrides('X notPossible\nY=present')).toEqual({ overrides: { Y: 'present' }, badLines: [1] });
    expect(parseCodeOverrides(formatCodeOverrides({ X: 'notPossible', Z: 'notPossible' })).overrides).toEqual({ X: 'notPossible', Z: 'notPossible' });
  });

  test('sendable counts planned letters that are not left out', () => {
    const item = (key: string, status: PlanItemView['status'], excluded: string | null): PlanItemView => ({
      key, studentId: key, studentName: key, tutorGroup: '7A', yearGroup: '7', letterId: 'letter1', letterName: 'Letter 1', step: 4, stepName: 'Step 4',
      language: 'en', languageName: 'English', fellBackToEnglish: false, recipient: 'p@example.org', why: '', excluded, heldBack: null, status,
    });
    const plan: LetterPlan = {
      items: [item('a', 'planned', null), item('b', 'planned', 'Bereavement'), item('c', 'sent', null), item('d', 'failed', null)],
      problems: [], quotaRemaining: 100, unknown: [], canSend: true, quotaResets: null, secondsPerLetter: 6.6,
    };
    expect(sendable(plan).map((i) => i.key)).toEqual(['a']);
  });

  test('weekly labels', () => {
    expect(dayLabel('WEDNESDAY')).toBe('Wednesday');
    expect(hourLabel(7)).toBe('07:00');
  });
});
