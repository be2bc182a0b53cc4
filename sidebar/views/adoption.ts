/**
 * Set-up's adoption step (issue 10): the history the school's own tracker already records — a
 * current step or intervention, dated letters and meetings — shown per pupil to confirm, with the
 * cells that cannot be read listed as questions. Ticked items go to the Interventions Log as adopted
 * history (the server checks the role and reads the sheet again; nothing here is trusted).
 */
import type { AdoptionPreview } from '../../src/rpcTypes';
import { call } from '../rpc';
import { announce, busy, button, h, plural, replace } from '../dom';

export function adoptionSection(): HTMLElement {
  const result = h('div', { 'data-testid': 'adoption-preview' });
  const find = button('Find history in the tracker', () => void busy(find, async () => render(await call('previewAdoption'))), { 'data-testid': 'adoption-find' });
  const section = h('section', { class: 'card', 'aria-labelledby': 'adoption-heading', 'data-testid': 'adoption-section' },
    h('h3', { id: 'adoption-heading' }, 'History already in your tracker'),
    h('p', { class: 'muted' }, 'Letters, meetings and steps your own tracker records (columns such as “Intervention”, “Letter 1”, “AIM 2”). Check each pupil, untick anything that did not happen, then record it: the first letter plan builds on it.'),
    h('div', { class: 'actions' }, find),
    result);

  function render(p: AdoptionPreview): void {
    if (p.pupils.length === 0 && p.questions.length === 0) {
      replace(result, h('p', { class: 'muted' }, p.columns.length ? 'Nothing new to record: the history in these columns is already in the Interventions Log.' : 'No history columns found (Intervention, Letter 1–4, AIM 1–2).'));
      announce('No history to record.');
      return;
    }
    const boxes: HTMLInputElement[] = [];
    const record = button('Record ticked history', () => void busy(record, async () => {
      const keys = boxes.filter((b) => b.checked).map((b) => b.value);
      const done = await call('adoptHistory', { keys });
      announce(`Recorded ${plural(done.recorded, 'item')} for ${plural(done.pupils, 'pupil')} in the Interventions Log as adopted history.`, 'success');
      render(await call('previewAdoption'));
    }), { class: 'primary', 'data-testid': 'adoption-record' });
    replace(result,
      p.questions.length ? h('ul', { class: 'warnings', 'aria-label': 'Cells to check', 'data-testid': 'adoption-questions' }, p.questions.map((q) => h('li', null, q))) : null,
      h('ul', { class: 'rows', 'aria-label': 'History found', 'data-testid': 'adoption-pupils' }, p.pupils.map((pupil) =>
        h('li', { class: 'row', 'data-student-id': pupil.studentId },
          h('strong', null, `${pupil.name || pupil.studentId}`), h('span', { class: 'muted' }, ` ${pupil.studentId} · tracker row ${pupil.row}`),
          h('ul', null, pupil.items.map((item) => {
            const box = h('input', { type: 'checkbox', value: item.key, checked: true, 'data-testid': 'adoption-item' });
            boxes.push(box);
            return h('li', null, h('label', null, box, ` ${item.what}`));
          }))))),
      h('div', { class: 'actions' }, record));
    announce(`${plural(p.pupils.length, 'pupil')} with history to confirm${p.questions.length ? `, ${plural(p.questions.length, 'cell')} to check` : ''}.`);
  }

  return section;
}
