import { findFields, validateTemplate } from '../../src/core/letters/fields';
import { STARTER_TEMPLATES, starterTemplate, templateFor } from '../../src/core/letters/templates';

describe('letters: starter templates', () => {
  const ids = ['letter1', 'letter2', 'letter3', 'letter4', 'probation-warning', 'probation', 'five-day', 'notification'];

  it.each(ids.flatMap((id) => [[id, 'en'], [id, 'es']]))('%s exists in %s and validates cleanly', (id, lang) => {
    const t = starterTemplate(id, lang);
    expect(t).not.toBeNull();
    expect(validateTemplate({ name: t!.name, paragraphs: [t!.subject, ...t!.paragraphs] })).toEqual([]);
    expect(t!.paragraphs.join(' ')).toContain('{{Student name}}');
  });

  it('every template invites the family to tell the school about illness or barriers', () => {
    for (const t of STARTER_TEMPLATES) {
      const text = t.paragraphs.join(' ');
      expect(t.language === 'es' ? /enferm/.test(text) : /(ill|sick)/.test(text)).toBe(true);
    }
  });

  it('carries the seed wording: 2-week monitoring and review date, AIM meetings, LA referral, legal warning', () => {
    const txt = (id: string, lang = 'en') => starterTemplate(id, lang)!.paragraphs.join(' ');
    expect(txt('letter1')).toMatch(/two weeks.*\{\{Review date\}\}/);
    expect(txt('letter2')).toMatch(/Attendance Improvement Meeting/);
    expect(txt('letter2')).toMatch(/may not be authorised/);
    expect(txt('letter3')).toMatch(/persistent absence/);
    expect(txt('letter3')).toMatch(/Local Authority/);
    expect(txt('letter4')).toMatch(/legal action/);
    expect(txt('probation-warning')).toMatch(/10 unverified absences/);
    expect(txt('probation')).toMatch(/attendance probation/);
    expect(txt('five-day')).toMatch(/\{\{Absence dates\}\}/);
    expect(starterTemplate('notification', 'en')!.subject).toBe('Attendance Concern for {{Student name}}');
    expect(txt('notification')).toContain('We have noticed that {{Student name}} has been absent on the following date(s): {{Absence dates}}.');
    expect(txt('letter4', 'es')).toMatch(/acciones legales/);
  });

  it('English and Spanish versions use the same merge fields', () => {
    for (const id of ids) {
      const f = (lang: string) => new Set(starterTemplate(id, lang)!.paragraphs.flatMap((p) => findFields(p).map((x) => x.field)));
      expect([...f('es')].sort()).toEqual([...f('en')].sort());
    }
  });

  it('starterTemplate normalises the language and returns a copy', () => {
    expect(starterTemplate('letter1', 'es-MX')!.language).toBe('es');
    expect(starterTemplate('letter1', 'Spanish')!.language).toBe('es');
    expect(starterTemplate('nope', 'en')).toBeNull();
    starterTemplate('letter1', 'en')!.paragraphs.push('x');
    expect(starterTemplate('letter1', 'en')!.paragraphs).not.toContain('x');
  });

  it('templateFor uses the family language, else English with fellBack, else null', () => {
    const available = [
      { letterId: 'letter1', language: 'en', id: 'a' },
      { letterId: 'letter1', language: 'es', id: 'b' },
      { letterId: 'letter2', language: 'en', id: 'c' },
    ];
    expect(templateFor('letter1', 'es', available)).toEqual({ template: available[1], language: 'es', fellBack: false });
    expect(templateFor('letter2', 'es', available)).toEqual({ template: available[2], language: 'en', fellBack: true });
    expect(templateFor('letter1', 'pl', available)).toMatchObject({ language: 'en', fellBack: true });
    expect(templateFor('letter1', 'en', available)).toMatchObject({ fellBack: false });
    expect(templateFor('letter3', 'en', available)).toBeNull();
  });
});
