import fc from 'fast-check';
import {
  buildMergeValues,
  emailBody,
  escapeRe2,
  formatAbsenceDates,
  formatLetterDate,
  formatLetterPercent,
  missingValues,
  renderPlan,
  renderText,
  replaceTextCall,
  type MergeInput,
} from '../../src/core/letters/render';
import { fieldsUsed } from '../../src/core/letters/fields';
import { starterTemplate } from '../../src/core/letters/templates';

/**
 * Reference for Body.replaceText (semantics D2.3/D2.4): the pattern is matched per text block with
 * a JS RegExp (no 'u' flag; our patterns only use RE2 ∩ JS syntax), and the replacement follows
 * Java Matcher.appendReplacement: `\x` → x, `$<digit>` → group, any other `$` throws.
 */
function javaExpand(rep: string, groups: (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === '\\') {
      i++;
      if (i >= rep.length) throw new Error('character to be escaped is missing');
      out += rep[i];
    } else if (c === '$') {
      i++;
      if (i >= rep.length || !/[0-9]/.test(rep[i])) throw new Error('Illegal group reference');
      const g = Number(rep[i]);
      if (g >= groups.length) throw new Error(`No group ${g}`);
      out += groups[g] ?? '';
    } else {
      out += c;
    }
  }
  return out;
}
function replaceTextRef(block: string, pattern: string, replacement: string): string {
  const re = new RegExp(pattern, 'g');
  return block.replace(re, (...args: unknown[]) => {
    const groups = args.slice(0, args.findIndex((a) => typeof a === 'number')) as string[];
    return javaExpand(replacement, groups);
  });
}

const HOSTILE = ['$1', '\\', '{{x}}', '<script>alert(1)</script>', '$0 and $$ \\1 \\$', '{{Student name}}'];

describe('letters: the Java replacement reference itself', () => {
  it('shows why escaping is needed: unescaped values break or change', () => {
    expect(() => replaceTextRef('{{A}}', '\\{\\{A\\}\\}', 'costs $20')).toThrow('No group 2');
    expect(replaceTextRef('{{A}}', '\\{\\{A\\}\\}', 'C:\\temp')).toBe('C:temp');
    expect(replaceTextRef('{{A}}', '\\{\\{A\\}\\}', '$0')).toBe('{{A}}');
  });
  it('$ not followed by a digit throws, \\x yields x', () => {
    expect(() => javaExpand('$x', ['m'])).toThrow('Illegal group reference');
    expect(javaExpand('a\\b', ['m'])).toBe('ab');
    expect(javaExpand('[$0]', ['m'])).toBe('[m]');
  });
});

const baseInput = (over: Partial<MergeInput> = {}): MergeInput => ({
  student: { studentId: 'S001', name: 'Amira Khan', yearGroup: '9', tutorGroup: '9B', parents: [{ name: 'Mrs Khan', email: 'khan@example.org' }], language: 'en' },
  parent: { name: 'Mrs Khan', email: 'khan@example.org' },
  placement: { step: 4, label: 'Step 4', explanation: 'Step 4 because attendance 94.9% < 95%', letterDue: { letterId: 'letter1', step: 4, windowKey: '2026-T1' } },
  stats: { attended: 131, unauthorised: 7, possible: 139 },
  absenceDates: ['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-10'],
  schoolName: 'Hilltop Academy',
  staffName: 'Ms Jones',
  today: '2026-11-23',
  language: 'en',
  reviewDue: '2026-12-07',
  ...over,
});

describe('letters: dates, percentages and merge values', () => {
  it('formats dates for en-GB, en-US and Spanish', () => {
    expect(formatLetterDate('2026-11-23', 'en-GB')).toBe('23 November 2026');
    expect(formatLetterDate('2026-11-23', 'en-US')).toBe('November 23, 2026');
    expect(formatLetterDate('2026-11-23', 'es')).toBe('23 de noviembre de 2026');
    expect(() => formatLetterDate('2026-02-30', 'en-GB')).toThrow('not a real calendar date');
    expect(() => formatLetterDate('23/11/2026', 'en-GB')).toThrow('yyyy-MM-dd');
  });

  it('condenses absence dates into ranges, de-duplicates, and caps with "and N more"', () => {
    expect(formatAbsenceDates(['2026-11-05', '2026-11-03', '2026-11-04', '2026-11-04', '2026-11-10'], 'en-GB')).toBe('3–5 November 2026; 10 November 2026');
    expect(formatAbsenceDates(['2026-10-30', '2026-10-31', '2026-11-01'], 'en-US')).toBe('October 30 – November 1, 2026');
    expect(formatAbsenceDates(['2026-11-03', '2026-11-04'], 'es')).toBe('3–4 de noviembre de 2026');
    // 14 separate days (every other day): first 10 listed, then "and 4 more dates".
    const days = Array.from({ length: 14 }, (_, i) => `2026-09-${String(1 + 2 * i).padStart(2, '0')}`);
    const text = formatAbsenceDates(days, 'en-GB');
    expect(text.split('; ')).toHaveLength(10);
    expect(text.endsWith('19 September 2026 and 4 more dates')).toBe(true);
    expect(formatAbsenceDates(days, 'es').endsWith('y 4 fechas más')).toBe(true);
    expect(formatAbsenceDates([], 'en-GB')).toBe('');
  });

  it('attendance follows the one percent rule (one decimal, half-up, from the counts)', () => {
    expect(formatLetterPercent(131, 139, 'en')).toBe('94.2%');
    expect(formatLetterPercent(19, 20, 'en')).toBe('95.0%');
    expect(formatLetterPercent(341, 379, 'en')).toBe('90.0%');
    expect(formatLetterPercent(114, 125, 'es')).toBe('91,2 %');
    expect(formatLetterPercent(10, 10, 'en')).toBe('100.0%');
  });

  it('buildMergeValues fills every catalogue field, dates in the letter language', () => {
    const v = buildMergeValues(baseInput());
    expect(v).toMatchObject({
      'Student name': 'Amira Khan',
      'Parent/Guardian name': 'Mrs Khan',
      'Attendance %': '94.2%',
      'Absence dates': '3–5 November 2026; 10 November 2026',
      'Review date': '7 December 2026',
      Date: '23 November 2026',
      Step: '4',
      'Unauthorised sessions': '7',
      'Possible sessions': '139',
      'Student ID': 'S001',
      'Year group': '9',
      'Tutor group': '9B',
      'School name': 'Hilltop Academy',
      'Staff name': 'Ms Jones',
    });
    expect(buildMergeValues(baseInput({ language: 'es' }))['Review date']).toBe('7 de diciembre de 2026');
    expect(buildMergeValues(baseInput({ englishLocale: 'en-US' })).Date).toBe('November 23, 2026');
  });

  it('missing data is reported before sending: no parent name, no review date', () => {
    const v = buildMergeValues(baseInput({ parent: { name: '  ', email: 'x@example.org' }, reviewDue: null }));
    const tpl = starterTemplate('letter1', 'en')!;
    expect(missingValues(fieldsUsed(tpl.paragraphs), v)).toEqual(['Parent/Guardian name', 'Review date']);
    expect(() => renderPlan(tpl.paragraphs, v)).toThrow('no value for {{Parent/Guardian name}}, {{Review date}}');
    expect(missingValues(['Student name', 'Not a field'], { 'Student name': 'A' })).toEqual(['Not a field']);
  });
});

describe('letters: renderText', () => {
  it('renders placeholders with inner spaces', () => {
    expect(renderText('Dear {{ Parent/Guardian name }}, {{Student name}} ({{Attendance %}})', buildMergeValues(baseInput()))).toBe('Dear Mrs Khan, Amira Khan (94.2%)');
  });

  it.each(HOSTILE)('hostile value %p appears literally and is not expanded again', (hostile) => {
    const values = { 'Student name': hostile, 'Parent/Guardian name': 'P' };
    expect(renderText('A {{Student name}} B {{Parent/Guardian name}}', values)).toBe(`A ${hostile} B P`);
  });

  it('a value containing another placeholder is not expanded (single pass), in any field order', () => {
    const values = { 'Parent/Guardian name': '{{Student name}}', 'Student name': '{{Parent/Guardian name}}' };
    expect(renderText('{{Parent/Guardian name}}|{{Student name}}', values)).toBe('{{Student name}}|{{Parent/Guardian name}}');
  });

  it('throws on a missing value or unknown field, or keeps it for previews', () => {
    expect(() => renderText('{{Review date}}', {})).toThrow('no value for {{Review date}}');
    expect(() => renderText('{{Bogus}}', { Bogus: 'x' })).toThrow('{{Bogus}} is not a merge field');
    expect(renderText('x {{Review date}}', {}, { missing: 'keep' })).toBe('x {{Review date}}');
  });

  it('property: any value string renders literally', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a.trim() !== '' && b.trim() !== '');
        expect(renderText('[{{Student name}}][{{Staff name}}]', { 'Student name': a, 'Staff name': b })).toBe(`[${a}][${b}]`);
      }),
    );
  });
});

describe('letters: renderPlan (what the Docs side applies)', () => {
  const values = { ...buildMergeValues(baseInput()), 'Parent/Guardian name': '{{Student name}} $1 \\' };
  const paragraphs = ['Heading', 'Dear {{Parent/Guardian name}},', '{{Student name}} is at {{ Attendance % }}.', 'Thanks'];

  it('lists only paragraphs with fields; `after` is the single-pass rendering', () => {
    const plan = renderPlan(paragraphs, values);
    expect(plan.map((p) => p.index)).toEqual([1, 2]);
    expect(plan[0].after).toBe('Dear {{Student name}} $1 \\,');
    expect(plan[1].after).toBe('Amira Khan is at 94.2%.');
  });

  it('edits applied last-first on the original text give exactly `after` (delete then insert)', () => {
    for (const p of renderPlan(paragraphs, values)) {
      let text = p.before;
      let prevStart = Infinity;
      for (const e of p.edits) {
        expect(e.start).toBeLessThan(prevStart);
        prevStart = e.start;
        text = text.slice(0, e.start) + text.slice(e.endInclusive + 1); // Text.deleteText(start, endInclusive)
        text = text.slice(0, e.start) + e.value + text.slice(e.start); // Text.insertText(start, value)
      }
      expect(text).toBe(p.after);
    }
  });

  it('refuses a template with an unknown placeholder', () => {
    expect(() => renderPlan(['{{Nope}}'], values)).toThrow('not merge fields: {{Nope}}');
  });
});

describe('letters: replaceTextCall (RE2 pattern + Java replacement)', () => {
  const fields = ['Student name', 'Attendance %', 'Parent/Guardian name', 'Weird (a+b)*? [x] ^$ | . \\ {y}'];

  it('escapes metacharacters of field names', () => {
    expect(escapeRe2('Attendance %')).toBe('Attendance \\%');
    expect(escapeRe2('Parent/Guardian name')).toBe('Parent\\/Guardian name');
    expect(replaceTextCall('Attendance %', '1').pattern).toBe('\\{\\{\\s*Attendance \\%\\s*\\}\\}');
  });

  it.each(fields)('pattern for %p matches the placeholder (with inner spaces) and nothing else', (field) => {
    const { pattern } = replaceTextCall(field, 'V');
    expect(replaceTextRef(`a {{${field}}} b {{  ${field} }} c`, pattern, replaceTextCall(field, 'V').replacement)).toBe('a V b V c');
    expect(replaceTextRef(`{{${field}x}} ${field}`, pattern, 'V')).toBe(`{{${field}x}} ${field}`);
  });

  it.each(HOSTILE)('value %p comes out literally under Java replacement semantics', (hostile) => {
    const { pattern, replacement } = replaceTextCall('Student name', hostile);
    expect(replaceTextRef('Dear {{Student name}}.', pattern, replacement)).toBe(`Dear ${hostile}.`);
  });

  it('property: any value comes out literally', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...fields), (value, field) => {
        const { pattern, replacement } = replaceTextCall(field, value);
        expect(replaceTextRef(`<{{${field}}}>`, pattern, replacement)).toBe(`<${value}>`);
      }),
    );
  });
});

describe('letters: emailBody', () => {
  const hostileValues = {
    'Student name': '<script>alert(1)</script>',
    'Parent/Guardian name': '$1 & {{x}}',
    'School name': 'Hill\\top "High"',
    'Staff name': "O'Neil",
  };

  it('English: says a letter is attached; html escapes every value; text keeps them literally', () => {
    const e = emailBody('en', hostileValues);
    expect(e.text).toContain('Please find attached a letter');
    expect(e.text).toContain('<script>alert(1)</script>');
    expect(e.text).toContain('Dear $1 & {{x}},');
    expect(e.html).not.toContain('<script>');
    expect(e.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(e.html).toContain('$1 &amp; {{x}}');
    expect(e.html).toContain('Hill\\top &quot;High&quot;');
    expect(e.html).toContain('O&#39;Neil');
    expect(e.subject).toBe('Attendance of <script>alert(1)</script> – Hill\\top "High"');
  });

  it('Spanish for Spanish-speaking families, with the illness invitation', () => {
    const e = emailBody('es', { 'Student name': 'Lucía', 'Parent/Guardian name': 'Sra. García', 'School name': 'Lincoln Elementary', 'Staff name': 'Ms Ortiz' });
    expect(e.subject).toBe('Asistencia de Lucía – Lincoln Elementary');
    expect(e.text).toContain('Estimado/a Sra. García:');
    expect(e.text).toContain('Le adjuntamos una carta');
    expect(e.text).toContain('enfermedad');
  });

  it('subject never carries a line break', () => {
    expect(emailBody('en', { 'Student name': 'A\r\nBcc: x@y.z' }).subject).not.toMatch(/[\r\n]/);
  });
});
