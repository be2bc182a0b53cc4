/** The one formatting module (src/core/format): words, not identifiers, and the school's dates. */
import {
  dateFormatFor, formatSchoolDate, formatSchoolTimestamp, isoOfSchoolDate, languageName, layoutName, letterName,
  mondayOfIsoWeek, schoolDatesIn, stepName, weekOf, weekWords, letterIdOfName, letterKeyWords, letterKeyOfWords, dateWords, ledgerStatusWords,
} from '../../src/core/format';
import { LOG_HEADERS, logRow, readInterventionsLog } from '../../src/core/interventionsLog';
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

describe('letter keys in the Log: words people read, the key the add-on reads back', () => {
  test('every letter id of the presets and the starter letters round-trips', () => {
    for (const id of ['letter1', 'letter2', 'letter3', 'letter12', 'probation-warning', 'five-day', 'roe-2', 'roe-3', 'medical', 'home-visit-note']) {
      if (id !== 'home-visit-note') expect(letterIdOfName(letterName(id))).toBe(id);
      const key = `A123|${id}|Autumn term 2025`;
      expect(letterKeyWords(key)).not.toContain('|');
      expect(letterKeyOfWords(letterKeyWords(key), 'A123')).toBe(key);
    }
    expect(letterKeyWords('A123|letter3|Autumn term 2025')).toBe('Letter 3 · Autumn term 2025');
    expect(letterKeyWords('A123|letter3|2025-26')).toBe('Letter 3 · 2025-26');
  });
  test('an id whose name would not give it back is shown as it is (never read back as another letter)', () => {
    expect(letterKeyWords('A1|myLetter|Spring 2026')).toBe('myLetter · Spring 2026');
    expect(letterKeyOfWords('myLetter · Spring 2026', 'A1')).toBe('A1|myLetter|Spring 2026');
  });
  test('rows written before the words, and text staff typed, are read as they are', () => {
    expect(letterKeyOfWords('A1|letter2|Autumn 2025', 'A1')).toBe('A1|letter2|Autumn 2025');
    expect(letterKeyOfWords('sent by hand', 'A1')).toBe('sent by hand');
    expect(letterKeyOfWords('', 'A1')).toBe('');
  });
  test('a Log row round-trips its letter key through the sheet text', () => {
    const row = logRow({ date: '2025-11-28', studentId: '00123', step: 6, method: 'Letter', outcome: 'Letter sent', by: 'al@school.example', letterKey: '00123|letter3|Autumn term 2025' }, '2025-11-28T12:00:43', 'Amy Smith');
    expect(row[LOG_HEADERS.indexOf('Letter key')]).toBe('Letter 3 · Autumn term 2025');
    const back = readInterventionsLog([[...LOG_HEADERS], row]).byStudent.get('00123')!;
    expect(back[0]!.letterKey).toBe('00123|letter3|Autumn term 2025');
  });
  test('ledger statuses and file-name dates in words', () => {
    expect(ledgerStatusWords('toPrint')).toBe('in the print pack');
    expect(ledgerStatusWords('unknown')).toBe('waiting for a decision');
    expect(dateWords('2025-12-19')).toBe('19 Dec 2025');
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
    // Issue 10: a date that ends a clause ("…: keep monitoring") is turned too; a timestamp is not.
    expect(schoolDatesIn('Review on 2026-05-21: attendance improved', 'dd/MM/yyyy')).toBe('Review on 21/05/2026: attendance improved');
    expect(schoolDatesIn('at 2026-05-21T10:00 and 2026-05-21:10', 'dd/MM/yyyy')).toBe('at 2026-05-21T10:00 and 2026-05-21:10');
    expect(isoOfSchoolDate("'19/12/2025 – overdue", 'dd/MM/yyyy')).toBe('2025-12-19');
    expect(isoOfSchoolDate('12/19/2025', 'MM/dd/yyyy')).toBe('2025-12-19');
    expect(isoOfSchoolDate('31/02/2025', 'dd/MM/yyyy')).toBeNull();
    expect(isoOfSchoolDate('2025-12-19', 'MM/dd/yyyy')).toBe('2025-12-19');
  });
});
