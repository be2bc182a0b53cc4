/**
 * Recording contacts: RTC / ROPC typed on the tracker, and the sidebar's Log contact form.
 */
import {
  UNKNOWN_EDITOR,
  recordFromRequest,
  recordFromTrackerEdit,
  stepFromCell,
  validateContactRequest,
} from '../../src/core/contactRecord';
import { logRow } from '../../src/core/interventionsLog';

const base = { studentId: 'A123', step: 3, today: '2025-03-14', by: 'tutor@school.example' };

describe('recordFromTrackerEdit', () => {
  it('RTC "Yes" is a conversation with the student at the row step', () => {
    expect(recordFromTrackerEdit({ ...base, column: 'rtc', cellText: 'Yes' })).toEqual({
      date: '2025-03-14', studentId: 'A123', step: 3, method: 'Conversation', outcome: 'Spoke to student', by: 'tutor@school.example', notes: undefined,
    });
  });
  it('ROPC defaults to a phone call with the parent; a typed outcome wins', () => {
    expect(recordFromTrackerEdit({ ...base, column: 'ropc', cellText: '14/03/2025' })).toMatchObject({ method: 'Phone call', outcome: 'Spoke to parent/carer', notes: undefined });
    expect(recordFromTrackerEdit({ ...base, column: 'ropc', cellText: 'no answer' })).toMatchObject({ method: 'Phone call', outcome: 'No answer' });
  });
  it('a comment is kept as the note ("with any comments added")', () => {
    expect(recordFromTrackerEdit({ ...base, column: 'ropc', cellText: 'Mum says dentist, will send note' })).toMatchObject({ outcome: 'Spoke to parent/carer', notes: 'Mum says dentist, will send note' });
  });
  it('blank cell or blank ID records nothing; unknown editor is named as such', () => {
    expect(recordFromTrackerEdit({ ...base, column: 'rtc', cellText: '  ' })).toBeNull();
    expect(recordFromTrackerEdit({ ...base, studentId: '', column: 'rtc', cellText: 'Yes' })).toBeNull();
    expect(recordFromTrackerEdit({ ...base, by: '', column: 'rtc', cellText: 'Yes' })!.by).toBe(UNKNOWN_EDITOR);
  });
  it('the unknown editor is named in staff words, not Apps Script\'s (preview walk: Log "By" and history read "unknown (simple trigger)")', () => {
    expect(UNKNOWN_EDITOR).toBe('not known (typed in the tracker)');
  });
  it('a formula-looking comment stays text in the log row', () => {
    const rec = recordFromTrackerEdit({ ...base, column: 'rtc', cellText: '=HYPERLINK("http://evil","x")' })!;
    expect(logRow(rec, '2025-03-14T09:00:00', 'Zoë')[12]).toBe(`'=HYPERLINK("http://evil","x")`);
  });
});

describe('stepFromCell', () => {
  it.each([[3, 3], ['4', 4], ['Step 10 – Prosecution', 10], ['', 0], ['No step', 0], [null, 0], [2.7, 2]])('%p → %p', (v, n) => {
    expect(stepFromCell(v)).toBe(n);
  });
});

describe('validateContactRequest', () => {
  const ok = { studentId: ' A123 ', method: 'Phone call', outcome: 'Left message', nextAction: 'Call back Monday', notes: '' };
  it('accepts a good request, trimming and matching case-insensitively', () => {
    expect(validateContactRequest({ ...ok, method: 'phone CALL' })).toEqual({ studentId: 'A123', method: 'Phone call', outcome: 'Left message', nextAction: 'Call back Monday', notes: '' });
  });
  it('names every bad field and says nothing was recorded', () => {
    expect(() => validateContactRequest({ studentId: '', method: 'Carrier pigeon', outcome: 'Maybe' })).toThrow(
      /Student ID is blank; Method "Carrier pigeon" must be one of Conversation, .*; Outcome "Maybe" must be one of .*Nothing was recorded/,
    );
  });
  it('refuses non-text and over-long notes, and a missing request', () => {
    expect(() => validateContactRequest({ ...ok, notes: { a: 1 } })).toThrow(/Notes must be text/);
    expect(() => validateContactRequest({ ...ok, notes: 'x'.repeat(2001) })).toThrow(/Notes is 2001 characters long/);
    expect(() => validateContactRequest(null)).toThrow(/request is empty/);
  });
});

describe('recordFromRequest', () => {
  it('carries the step and the attendance baseline', () => {
    const req = validateContactRequest({ studentId: 'A1', method: 'Meeting', outcome: 'Meeting held', nextAction: '', notes: 'AIM 1' });
    expect(recordFromRequest(req, { today: '2025-03-14', by: 'ao@school.example', step: 5, attendanceAtTime: 0.912 })).toEqual({
      date: '2025-03-14', studentId: 'A1', step: 5, method: 'Meeting', outcome: 'Meeting held', nextAction: undefined, by: 'ao@school.example', attendanceAtTime: 0.912, notes: 'AIM 1',
    });
  });
});
