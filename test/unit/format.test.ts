/** The one formatting module (src/core/format): words, not identifiers, and the school's dates. */
import {
  dateFormatFor, formatSchoolDate, formatSchoolTimestamp, isoOfSchoolDate, languageName, layoutName, letterName,
  mondayOfIsoWeek, schoolDatesIn, stepName, weekOf, weekWords,
} from '../../src/core/format';
import { runDurationWords } from '../../src/core/letters/estimate';

describe('words, not identifiers', () => {
  test('letters, languages, steps and register layouts in words', () => {
    expect(letterName('letter3')).toBe('Letter 3');
    expect(letterName('five-day')).toBe('5-day letter');
    expect(letterName('roe-2')).toBe('ROE 2nd notification');
    expect(letterName('home-visit-note')).toBe('Home visit note');
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('Español')).toBe('Spanish');
    expect(languageName('es-MX')).toBe('Spanish');
    expect(languageName('')).toBe('English');
    expect(languageName('Tagalog')).toBe('Tagalog');
    expect(stepName(0)).toBe('No step');
    expect(stepName(6)).toBe('Step 6');
    expect(layoutName('arbor-long')).toBe('Arbor');
    expect(layoutName('sims-wide')).toBe('SIMS');
  });

  test('weeks: "week of 17 Nov 2025", from a Monday or an ISO week label', () => {
    expect(weekOf('2025-11-17')).toBe('week of 17 Nov 2025');
    expect(mondayOfIsoWeek('2025-W47')).toBe('2025-11-17');
    expect(mondayOfIsoWeek('2026-W01')).toBe('2025-12-29');
    expect(mondayOfIsoWeek('2020-W53')).toBe('2020-12-28');
    expect(weekWords('2025-W47')).toBe('week of 17 Nov 2025');
  });

  test('run durations in words', () => {
    expect(runDurationWords(5, 6.6)).toBe('under a minute');
    expect(runDurationWords(300, 6.6)).toBe('about 33 minutes');
    expect(runDurationWords(600, 6.6)).toBe('about 1 hour 6 minutes');
  });
});

describe("dates in the school's format", () => {
  test('UK dd/MM/yyyy, US MM/dd/yyyy, chosen by the code table', () => {
    expect(dateFormatFor('dfe-2024')).toBe('dd/MM/yyyy');
    expect(dateFormatFor('us-illinois')).toBe('MM/dd/yyyy');
    expect(formatSchoolDate('2025-12-19', 'dd/MM/yyyy')).toBe('19/12/2025');
    expect(formatSchoolDate('2025-12-19', 'MM/dd/yyyy')).toBe('12/19/2025');
    expect(formatSchoolDate('not a date', 'dd/MM/yyyy')).toBe('not a date');
  });

  test('school-zone timestamps lose the ISO "T" and seconds', () => {
    expect(formatSchoolTimestamp('2025-11-28T12:00:43', 'dd/MM/yyyy')).toBe('28/11/2025 12:00');
    expect(formatSchoolTimestamp('2025-11-28T12:00:43', 'MM/dd/yyyy')).toBe('11/28/2025 12:00');
  });

  test('dates inside sentences, and read back', () => {
    expect(schoolDatesIn('Letter 1 review (due 2025-12-19) passed; was 91.0% on 2025-11-03', 'dd/MM/yyyy'))
      .toBe('Letter 1 review (due 19/12/2025) passed; was 91.0% on 03/11/2025');
    expect(isoOfSchoolDate("'19/12/2025 – overdue", 'dd/MM/yyyy')).toBe('2025-12-19');
    expect(isoOfSchoolDate('12/19/2025', 'MM/dd/yyyy')).toBe('2025-12-19');
    expect(isoOfSchoolDate('31/02/2025', 'dd/MM/yyyy')).toBeNull();
    expect(isoOfSchoolDate('2025-12-19', 'MM/dd/yyyy')).toBe('2025-12-19');
  });
});
