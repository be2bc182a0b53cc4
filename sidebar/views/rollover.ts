/**
 * The new academic year (Settings tab, AL and Admin): check it — every change shown before anything
 * is written (archives, pupils moving up, leavers, joiners, what starts again) — then start it. A
 * start that stops part-way is finished by pressing the same button again (the same request key).
 */
import type { RolloverPreview, RolloverRequest } from '../../src/rpcTypes';
import { call } from '../rpc';
import { announce, busy, button, field, h, plural, replace } from '../dom';

function newKey(): string {
  return `ny${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(new Error(`Could not read ${file.name}. Choose the file again.`));
    reader.readAsText(file);
  });
}

export function rolloverSection(): HTMLElement {
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain', 'data-testid': 'rollover-file' });
  const leaving = h('input', { type: 'text', maxlength: 20, placeholder: 'the top year', 'data-testid': 'rollover-leaving' });
  const result = h('div', { 'data-testid': 'rollover-preview', 'aria-live': 'polite' });
  let key = newKey();
  let shown: RolloverPreview | null = null;

  async function request(): Promise<RolloverRequest> {
    const chosen = file.files && file.files[0];
    const req: RolloverRequest = {};
    if (chosen) { req.exportCsv = await readText(chosen); req.fileName = chosen.name; }
    if (leaving.value.trim()) req.leavingYearGroup = leaving.value.trim();
    return req;
  }

  const check: HTMLButtonElement = button('Check the new year', () => void busy(check, async () => {
    const preview = await call('previewRollover', await request());
    if (!shown || shown.token !== preview.token) key = newKey(); // a new preview is a new request, unless it is the same plan
    render(preview);
  }), { 'data-testid': 'rollover-check' });

  const start: HTMLButtonElement = button('Start the new year', () => void busy(start, async () => {
    if (!shown?.token) return;
    if (!window.confirm(`Start the ${shown.closingYear ? `year after ${shown.closingYear}` : 'new year'}? Last year is archived first; the changes listed are then made.`)) return;
    announce('Starting the new year: archiving last year first…');
    try {
      const done = await call('applyRollover', { ...(await request()), requestKey: key, token: shown.token });
      announce(done.message, 'success');
      render(await call('previewRollover', await request()));
    } catch (err) {
      // Nothing is lost: the same button finishes it.
      start.hidden = false;
      throw new Error(`${(err as Error).message} Press “Start the new year” again to finish: nothing is lost and nothing is done twice.`);
    }
  }), { class: 'primary', 'data-testid': 'rollover-start', hidden: true });

  function list(title: string, items: string[], total: number, testId: string): HTMLElement | null {
    if (total === 0) return null;
    return h('details', { 'data-testid': testId },
      h('summary', null, `${title} (${total})`),
      h('ul', null, items.map((i) => h('li', null, i))),
      total > items.length ? h('p', { class: 'muted' }, `…and ${total - items.length} more.`) : null);
  }

  function render(p: RolloverPreview): void {
    shown = p;
    start.hidden = !p.ok;
    replace(result,
      p.done ? h('p', { class: 'note', 'data-testid': 'rollover-done' }, p.done) : null,
      p.inProgress ? h('p', { class: 'note', 'data-testid': 'rollover-in-progress' }, p.inProgress) : null,
      p.problems.length ? h('ul', { class: 'error-text', 'data-testid': 'rollover-problems' }, p.problems.map((x) => h('li', null, x))) : null,
      p.lines.length ? h('div', null,
        h('h4', null, `What starting the year after ${p.closingYear} will do`),
        h('ul', { 'data-testid': 'rollover-lines' }, p.lines.map((x) => h('li', null, x)))) : null,
      list('Pupils moving up', p.moves.map((m) => `${m.name}: ${m.fromYear} ${m.fromGroup} → ${m.toYear} ${m.toGroup}`), p.movesCount, 'rollover-moves'),
      list('Leavers (kept on the archive)', p.leavers.map((l) => `${l.name} (${l.yearGroup}) — ${l.why}`), p.leaversCount, 'rollover-leavers'),
      list('Joining from the export', p.joiners.map((j) => `${j.name} (${j.yearGroup} ${j.tutorGroup})`), p.joinersCount, 'rollover-joiners'));
    announce(p.ok ? `Checked: ${plural(p.movesCount, 'pupil')} move up, ${plural(p.leaversCount, 'leaver')}. Read the changes, then start the new year.` : p.done ?? p.problems[0] ?? 'The new year cannot start yet.', p.ok ? 'info' : 'error');
  }

  return h('section', { class: 'card', 'aria-labelledby': 'rollover-heading', 'data-testid': 'rollover-section' },
    h('h3', { id: 'rollover-heading' }, 'New academic year'),
    h('p', { class: 'muted' }, 'At the end of the year: last year’s tracker, Register, Interventions Log and Letters Ledger are kept on dated tabs, pupils move up, leavers leave the tracker (kept on the archive), and the ladder starts again. Next year’s terms must be in the Academic year below first. Nothing changes until you start it.'),
    field('Next year’s pupils from the MIS (optional CSV)', file, 'With it, leavers are the pupils it no longer lists, and each pupil takes its year and tutor group; new pupils join.'),
    field('Without a file: the year group that leaves', leaving, 'Leave blank for the top year on the tracker.'),
    h('div', { class: 'actions' }, check, start),
    result);
}
