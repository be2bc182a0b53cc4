/**
 * Wording follows history (issue 10): conditional blocks in letter templates, chosen from what
 * really happened (a SENT letter, a HELD meeting), the same words on the plain-text path and in a
 * template copy filled with replaceText, and the plan's jump note.
 */
import { createEmulator } from '../../emulator';
import {
  STARTER_TEMPLATES,
  blockReplaceSteps,
  buildMergeValues,
  conditionsOf,
  findBlocks,
  jumpNote,
  letterConditions,
  lettersSent,
  planLetters,
  renderPlan,
  resolveBlocks,
  resolveParagraphs,
  validateTemplate,
} from '../../src/core/letters';
import { LETTER_LEFT_OUT, LETTER_INCLUDED_AGAIN } from '../../src/core/history';
import type { InterventionRecord } from '../../src/core/types';

const yes = { 'Earlier letter': true, 'Meeting held': true };
const no = { 'Earlier letter': false, 'Meeting held': false };

describe('conditional blocks', () => {
  const p = 'A {{#if Earlier letter}}we wrote to {{Student name}}{{else}}we write to {{Student name}}{{/if}}. {{#if meeting  HELD }}Again.{{/if}}';

  test('each block gives the wording its condition chooses; else and spacing/case are optional', () => {
    expect(resolveBlocks(p, yes)).toBe('A we wrote to {{Student name}}. Again.');
    expect(resolveBlocks(p, no)).toBe('A we write to {{Student name}}. ');
    expect(resolveBlocks('No block here {{Student name}}', no)).toBe('No block here {{Student name}}');
  });

  test('a paragraph that is only a block and resolves to nothing is dropped (no empty line)', () => {
    expect(resolveParagraphs(['Dear X,', '{{#if Meeting held}}Thank you for coming to our meeting.{{/if}}', 'Bye'], no)).toEqual(['Dear X,', 'Bye']);
    expect(resolveParagraphs(['Dear X,', '{{#if Meeting held}}Thank you for coming.{{/if}}', ''], yes)).toEqual(['Dear X,', 'Thank you for coming.', '']);
  });

  test('template problems name the paragraph and say why: unknown condition, unclosed, nested, stray else', () => {
    const problems = validateTemplate({
      name: 'T',
      paragraphs: [
        'Dear {{Parent/Guardian name}},',
        '{{#if Earlier leter}}x{{/if}}',
        '{{#if Earlier letter}}open across paragraphs',
        'closed here{{/if}}',
        '{{#if Earlier letter}}a{{#if Meeting held}}b{{/if}}',
        'stray {{else}} here',
      ],
    }).filter((x) => x.level === 'error');
    const text = problems.map((x) => `${x.paragraph}: ${x.message}`).join('\n');
    expect(text).toMatch(/2: Unknown condition "Earlier leter".*did you mean \{\{#if Earlier letter\}\}\?/);
    expect(text).toMatch(/3: \{\{#if Earlier letter\}\} is not closed in this paragraph/);
    expect(text).toMatch(/4: \{\{\/if\}\} closes a block that was not opened in this paragraph/);
    expect(text).toMatch(/5: \{\{#if Meeting held\}\} opens a block inside another one/);
    expect(text).toMatch(/6: \{\{else\}\} is not inside a \{\{#if …\}\} block/);
    expect(text).not.toMatch(/Unknown field/); // markers are not merge fields
  });

  test('every starter template is valid, and the history-claiming wording sits inside blocks', () => {
    for (const t of STARTER_TEMPLATES) {
      expect(validateTemplate({ name: t.name, paragraphs: t.paragraphs }).filter((x) => x.level === 'error')).toEqual([]);
      for (const para of resolveParagraphs(t.paragraphs, no)) {
        expect(para).not.toMatch(/wrote to you recently|since our last meeting|met with you|written to you|última reunión|nos hemos reunido|Le hemos escrito|Hace poco/i);
      }
    }
  });

  test('the body-text path and a template copy filled with replaceText give the same words', () => {
    const emu = createEmulator({});
    for (const t of STARTER_TEMPLATES.filter((x) => /letter[234]|medical/.test(x.letterId))) {
      for (const conditions of [yes, no, { 'Earlier letter': true, 'Meeting held': false }]) {
        const values = { ...sampleValues(), ...Object.fromEntries(Object.entries(conditions).map(([k, v]) => [`#if ${k}`, v ? 'yes' : 'no'])) };
        const plain = resolveParagraphs(t.paragraphs, conditionsOf(values));
        const expected = [...plain];
        for (const r of renderPlan(plain, values)) expected[r.index] = r.after;
        // The copy: replaceText per block (Docs' own call, emulated), then the fields.
        const id = emu.docs.create(t.name, [...t.paragraphs]);
        const text = emu.direct(() => {
          const body = (emu.services.DocumentApp as GoogleAppsScript.Document.DocumentApp).openById(id).getBody();
          for (const s of blockReplaceSteps(t.paragraphs, conditionsOf(values))) body.replaceText(s.pattern, s.replacement);
          for (const [f, v] of Object.entries(values)) body.replaceText(`\\{\\{${f.replace(/[\\^$.|?*+()[\]{}%/]/g, '\\$&')}\\}\\}`, v.replace(/[\\$]/g, '\\$&'));
          return body.getText();
        });
        // A paragraph left empty by its block stays in a copy (an empty line); the words are the same.
        expect(text.split('\n').filter((x) => x !== '')).toEqual(expected.filter((x) => x !== ''));
      }
    }
  });

  test('block text with $ and \\ lands literally in a copy', () => {
    const steps = blockReplaceSteps(['Fee {{#if Earlier letter}}$20 \\ paid{{else}}none{{/if}}'], yes);
    expect(steps).toHaveLength(1);
    expect(steps[0]!.replacement).toBe('\\$20 \\\\ paid');
    expect(findBlocks('x {{#if Earlier letter}}a{{/if}} y').blocks[0]).toMatchObject({ condition: 'Earlier letter', ifText: 'a', elseText: '' });
  });
});

const row = (over: Partial<InterventionRecord>): InterventionRecord => ({ date: '2025-11-10', studentId: 'S1', step: 4, method: 'Letter', outcome: 'Letter sent', by: 'al@school.example', ...over });

describe('conditions come from what really happened', () => {
  const letter = { letterId: 'letter2', windowKey: '2025-T1' };

  test('a left-out or included-again note is not a letter; a sent letter is', () => {
    expect(letterConditions([row({ outcome: LETTER_LEFT_OUT }), row({ outcome: LETTER_INCLUDED_AGAIN })], letter, '2025-11-20')['Earlier letter']).toBe(false);
    expect(letterConditions([row({ method: 'Letter', outcome: 'Other', notes: 'Letter not sent: left out by al — hospital' })], letter, '2025-11-20')['Earlier letter']).toBe(false);
    expect(letterConditions([row({ letterKey: 'S1|letter1|2025-T1' })], letter, '2025-11-20')['Earlier letter']).toBe(true);
    expect(letterConditions([row({ notes: 'posted by hand' })], letter, '2025-11-20')['Earlier letter']).toBe(true); // hand-logged letter
  });

  test('the same letter to the other carer, or a letter dated after today, is not an earlier letter', () => {
    expect(letterConditions([row({ letterKey: 'S1|letter2|2025-T1' })], letter, '2025-11-20')['Earlier letter']).toBe(false);
    expect(letterConditions([row({ letterKey: 'S1|letter1|2025-T1', date: '2025-11-21' })], letter, '2025-11-20')['Earlier letter']).toBe(false);
  });

  test('a meeting counts when it was held, not when the parent did not attend or it was a call', () => {
    expect(letterConditions([row({ method: 'Meeting', outcome: 'Parent did not attend' })], letter, '2025-11-20')['Meeting held']).toBe(false);
    expect(letterConditions([row({ method: 'Phone call', outcome: 'Spoke to parent' })], letter, '2025-11-20')['Meeting held']).toBe(false);
    expect(letterConditions([row({ method: 'Meeting', outcome: 'Attended' })], letter, '2025-11-20')['Meeting held']).toBe(true);
  });

  test('Letter 2 says "We wrote to you recently" only after a sent Letter 1; Letter 3 "since our last meeting" only after a meeting held', () => {
    const l2 = STARTER_TEMPLATES.find((t) => t.letterId === 'letter2' && t.language === 'en')!;
    const l3 = STARTER_TEMPLATES.find((t) => t.letterId === 'letter3' && t.language === 'en')!;
    const render = (paras: string[], history: InterventionRecord[], letterId: string) => {
      const values = buildMergeValues({ ...mergeInput(), conditions: letterConditions(history, { letterId, windowKey: 'w' }, '2025-11-20') });
      const resolved = resolveParagraphs(paras, conditionsOf(values));
      const out = [...resolved];
      for (const r of renderPlan(resolved, values)) out[r.index] = r.after;
      return out.join('\n');
    };
    expect(render(l2.paragraphs, [], 'letter2')).not.toMatch(/wrote to you recently/);
    expect(render(l2.paragraphs, [row({ outcome: LETTER_LEFT_OUT })], 'letter2')).not.toMatch(/wrote to you recently/);
    expect(render(l2.paragraphs, [row({ letterKey: 'S1|letter1|w' })], 'letter2')).toMatch(/We wrote to you recently about Amy Smith's attendance, which is now 84\.2%/);
    expect(render(l3.paragraphs, [row({ letterKey: 'S1|letter2|w' })], 'letter3')).not.toMatch(/since our last meeting|again/);
    expect(render(l3.paragraphs, [row({ method: 'Meeting', outcome: 'Parent did not attend' })], 'letter3')).not.toMatch(/since our last meeting/);
    expect(render(l3.paragraphs, [row({ method: 'Meeting', outcome: 'Attended' })], 'letter3')).toMatch(/meet you again.*since our last meeting/);
  });
});

describe('the plan marks a jump', () => {
  const ladder = ['letter1', 'letter2', 'letter3', 'letter4'];
  test('jump notes', () => {
    expect(jumpNote('letter3', [], ladder)).toBe('First letter to this family — jumps to Letter 3');
    expect(jumpNote('letter1', [], ladder)).toBe('');
    expect(jumpNote('letter2', ['letter1'], ladder)).toBe('');
    expect(jumpNote('letter3', ['letter1'], ladder)).toBe('Jumps from Letter 1 to Letter 3 (Letter 2 not sent)');
    // Preview walk, first week of the spring term: 318 letters said "No earlier letter of the ladder was
    // sent to this family — jumps to Letter 3" to families who had that Letter 3 in the autumn term.
    expect(jumpNote('letter3', ['letter3'], ladder)).toBe('Letter 3 again: this family had it in an earlier term');
    expect(jumpNote('letter4', ['letter'], ladder)).toBe('No earlier letter of the ladder was sent to this family — jumps to Letter 4');
  });

  test('planLetters puts the note on the item and in front of why; a left-out Letter 1 does not count as sent', () => {
    const history = [row({ outcome: LETTER_LEFT_OUT })];
    const plan = planLetters({
      students: [{ studentId: 'S1', name: 'Amy Smith', yearGroup: '9', tutorGroup: '9A', parents: [{ name: 'Pat', email: 'pat@home.example' }], language: 'en' }],
      placements: new Map([['S1', { step: 6, explanation: 'Step 6 because attendance 84.2% is below 90%', letterDue: { letterId: 'letter3', step: 6, windowKey: 'w' } }]]),
      templatesAvailable: [{ letterId: 'letter3', language: 'en' }],
      exclusions: new Map(),
      lettersSent: new Map([['S1', lettersSent(history, '2025-11-20')]]),
      ladderLetters: ladder,
    });
    expect(plan.items[0]!.jump).toBe('First letter to this family — jumps to Letter 3');
    expect(plan.items[0]!.why).toBe('First letter to this family — jumps to Letter 3. Step 6 because attendance 84.2% is below 90%');
  });
});

function mergeInput() {
  return {
    student: { studentId: 'S1', name: 'Amy Smith', yearGroup: '9', tutorGroup: '9A', parents: [{ name: 'Pat Smith', email: 'pat@home.example' }], language: 'en' },
    parent: { name: 'Pat Smith', email: 'pat@home.example' },
    placement: { step: 6, explanation: '', letterDue: null },
    stats: { attended: 160, unauthorised: 20, possible: 190 },
    absenceDates: ['2025-11-03'],
    schoolName: 'Hill School',
    staffName: 'Ms Lead',
    today: '2025-11-20',
    language: 'en',
    reviewDue: '2025-12-04',
  };
}

function sampleValues(): Record<string, string> {
  return buildMergeValues(mergeInput());
}
