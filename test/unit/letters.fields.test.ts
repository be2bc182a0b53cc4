import { MERGE_FIELD_NAMES, fieldsUsed, findFields, suggestField, validateTemplate } from '../../src/core/letters/fields';

describe('letters: merge-field catalogue', () => {
  it('has the fields the brief and seeds need, regex metacharacters included', () => {
    for (const f of ['Student name', 'Parent/Guardian name', 'Attendance %', 'Absence dates', 'Review date', 'School name', 'Staff name', 'Date', 'Year group', 'Tutor group', 'Step', 'Unauthorised sessions', 'Possible sessions', 'Student ID']) {
      expect(MERGE_FIELD_NAMES).toContain(f);
    }
  });

  it('findFields returns every placeholder, trimming spaces inside the braces', () => {
    expect(findFields('Dear {{ Parent/Guardian name }}, {{Student name}} is at {{Attendance %}}.')).toEqual([
      { field: 'Parent/Guardian name', raw: '{{ Parent/Guardian name }}', index: 5 },
      { field: 'Student name', raw: '{{Student name}}', index: 33 },
      { field: 'Attendance %', raw: '{{Attendance %}}', index: 56 },
    ]);
    expect(findFields('no fields here')).toEqual([]);
  });

  it('fieldsUsed lists known fields once, in first-use order', () => {
    expect(fieldsUsed(['{{Student name}} {{Date}}', '{{Student name}} {{Nope}} {{Review date}}'])).toEqual(['Student name', 'Date', 'Review date']);
  });
});

describe('letters: validateTemplate', () => {
  const v = (...paragraphs: string[]) => validateTemplate({ name: 'Letter 1', paragraphs });

  it('accepts a correct template', () => {
    expect(v('Dear {{Parent/Guardian name}},', '{{ Student name }} is at {{Attendance %}}.')).toEqual([]);
  });

  it('reports an unknown field with a did-you-mean suggestion, naming the paragraph', () => {
    const problems = v('Dear {{Parent/Guardian name}},', 'About {{Student nmae}}.');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ template: 'Letter 1', paragraph: 2, text: '{{Student nmae}}', level: 'error' });
    expect(problems[0].message).toContain('did you mean {{Student name}}?');
  });

  it('suggests the right case and catches near misses, but not nonsense', () => {
    expect(suggestField('student name')).toBe('Student name');
    expect(suggestField('Attendance')).toBe('Attendance %');
    expect(suggestField('Parent name')).toBe('Parent/Guardian name');
    expect(suggestField('Carer name')).toBe('Parent/Guardian name');
    expect(suggestField('Homeroom')).toBe('Tutor group');
    expect(suggestField('Studnet name')).toBe('Student name');
    expect(suggestField('Favourite colour of the headteacher')).toBeNull();
    const p = v('{{Favourite colour of the headteacher}} {{Date}}');
    expect(p[0].message).toContain('Known fields:');
  });

  it('field names are exact: wrong case is an error (with the suggestion)', () => {
    const p = v('{{student name}}');
    expect(p.some((x) => x.level === 'error' && x.message.includes('did you mean {{Student name}}?'))).toBe(true);
  });

  it.each([
    ['{Student name}}', 'missing opening brace'],
    ['{{Student name}', 'missing closing brace'],
    ['{{{Student name}}}', 'triple braces'],
    ['Hello } there {{Date}}', 'stray closing brace'],
  ])('reports unbalanced braces: %s (%s)', (text) => {
    const p = v(text, '{{Date}}');
    const unb = p.filter((x) => x.message.startsWith('Unbalanced braces'));
    expect(unb).toHaveLength(1);
    expect(unb[0].paragraph).toBe(1);
    expect(unb[0].level).toBe('error');
  });

  it('reports an empty placeholder', () => {
    const p = v('{{Date}} {{}} {{  }}');
    expect(p.filter((x) => x.message.startsWith('Empty placeholder'))).toHaveLength(2);
  });

  it('warns when the template uses no field at all', () => {
    const p = v('Dear parent,', 'Please come to school.');
    expect(p).toEqual([expect.objectContaining({ paragraph: 0, level: 'warning' })]);
    expect(p[0].message).toContain('uses no merge field');
  });
});
