/**
 * Student tab: the student on the selected tracker row (or one found by search), why they are on
 * their step, their contact history, and the form to log a contact.
 */
import { stepName } from '../../src/core/format/words';
import type { ContactMethod, ContactOutcome, StudentSummary, StudentView } from '../../src/rpcTypes';
import { call } from '../rpc';
import { type Child, announce, busy, button, field, formatDate, h, plural, replace, select, setFieldError, showError } from '../dom';
import type { App, View } from './app';

export const CONTACT_METHODS: readonly ContactMethod[] = ['Conversation', 'Phone call', 'Email', 'Letter', 'Meeting', 'Home visit', 'Referral'];
export const CONTACT_OUTCOMES: readonly ContactOutcome[] = [
  'Spoke to parent/carer', 'Spoke to student', 'No answer', 'Left message', 'Letter sent',
  'Meeting held', 'Review held', 'Parent did not attend', 'Referred', 'Other',
];

export interface StudentTab extends View {
  /** Loads a student and prefills the contact form's method (from Today). */
  openForContact(studentId: string, method: ContactMethod): Promise<void>;
}

export function mountStudent(panel: HTMLElement, app: App): StudentTab {
  let current: StudentView | null = null;
  let loadedOnce = false;

  // --- finding a student
  const useSelected = button('Use selected row', () => void busy(useSelected, loadSelected), { class: 'primary', 'data-testid': 'use-selected-row' });
  const query = h('input', { type: 'search', autocomplete: 'off', 'data-testid': 'student-search-input', placeholder: 'Name or ID' });
  const results = h('ul', { class: 'results', 'data-testid': 'student-search-results', hidden: true });
  const searchButton = h('button', { type: 'submit', class: 'secondary', 'data-testid': 'student-search-button' }, 'Search');
  const searchForm = h('form', { class: 'search', role: 'search', 'data-testid': 'student-search', onsubmit: (e) => { e.preventDefault(); void busy(searchButton, search); } },
    field('Find a student', query),
    searchButton,
    results);

  const card = h('section', { class: 'student', 'aria-live': 'off', 'data-testid': 'student-card' },
    h('p', { class: 'muted' }, 'Click a student’s row in the tracker, then “Use selected row”. Or search by name.'));

  // --- the contact form
  const method = select(CONTACT_METHODS, { 'data-testid': 'contact-method', required: true });
  const outcome = select(CONTACT_OUTCOMES, { 'data-testid': 'contact-outcome', required: true });
  const nextAction = h('input', { type: 'text', maxlength: 200, 'data-testid': 'contact-next-action' });
  const notes = h('textarea', { rows: 3, maxlength: 2000, 'data-testid': 'contact-notes' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'contact-submit' }, 'Log contact');
  const formHeading = h('h3', { id: 'contact-form-heading' }, 'Log a contact');
  const form = h('form', { class: 'card', 'aria-labelledby': 'contact-form-heading', 'data-testid': 'contact-form', hidden: true, onsubmit: (e) => { e.preventDefault(); void busy(submit, logContact); } },
    formHeading,
    field('Method', method),
    field('Outcome', outcome),
    field('Next action', nextAction, 'What happens next, e.g. “Call again Friday”.'),
    field('Notes', notes),
    h('div', { class: 'actions' }, submit));

  // --- the review date (Head of Year for their year, AO, AL, Admin; the server checks again)
  const reviewInput = h('input', { type: 'date', 'data-testid': 'review-date-input' });
  const reviewSubmit = h('button', { type: 'submit', class: 'secondary', 'data-testid': 'review-date-submit' }, 'Set review date');
  const reviewClear = button('Use the policy’s date', () => void busy(reviewClear, () => setReview(null)), { 'data-testid': 'review-date-clear' });
  const reviewForm = h('form', { class: 'card', 'aria-label': 'Review date', 'data-testid': 'review-date-form', hidden: true, onsubmit: (e) => { e.preventDefault(); void busy(reviewSubmit, () => setReview(reviewInput.value)); } },
    field('Review date', reviewInput, 'A school day: the plan and the letter’s {{Review date}} use it.'),
    h('div', { class: 'actions' }, reviewSubmit, reviewClear));

  async function setReview(date: string | null): Promise<void> {
    if (!current) { announce('Choose a student first.', 'error'); return; }
    if (date !== null && date.trim() === '') { setFieldError(reviewInput, 'Choose a date.'); reviewInput.focus(); return; }
    setFieldError(reviewInput, null);
    const student = await call('setReviewDate', { studentId: current.studentId, date });
    show(student);
    announce(date ? `Review date set to ${formatDate(student.reviewDue)} for ${student.name}.` : `Review date for ${student.name} is the policy’s again (${formatDate(student.reviewDue)}).`, 'success');
  }

  replace(panel, h('div', { class: 'toolbar' }, useSelected), searchForm, card, app.bootstrap.can.reviewDate ? reviewForm : null, app.bootstrap.can.logContact ? form : null);

  async function loadSelected(): Promise<void> {
    const student = await call('getSelectedStudent');
    if (!student) {
      announce('The selected row is not a student. Click a row in the SOL Tracker sheet and try again.', 'info');
      return;
    }
    show(student);
  }

  async function search(): Promise<void> {
    const text = query.value.trim();
    if (!text) { setFieldError(query, 'Type part of a name or an ID.'); query.focus(); return; }
    setFieldError(query, null);
    const found = await call('searchStudents', { query: text });
    results.hidden = false;
    replace(results, found.length === 0
      ? h('li', { class: 'muted' }, 'No student matches.')
      : found.map((s) => resultItem(s)));
    announce(found.length ? `${plural(found.length, 'student')} found.` : 'No student matches.');
  }

  function resultItem(s: StudentSummary): HTMLLIElement {
    const pick = h('button', { type: 'button', class: 'link', 'data-testid': 'student-search-result', 'data-student-id': s.studentId, onclick: () => void busy(pick, () => open(s.studentId)) },
      s.name);
    return h('li', null, pick, h('span', { class: 'muted' }, ` ${s.tutorGroup} · ${s.attendancePercent} · ${stepName(s.step)}`));
  }

  async function open(studentId: string): Promise<void> {
    show(await call('getStudent', { studentId }));
    results.hidden = true;
  }

  /** One reference per form submission, kept until it succeeds: pressing again is logged once. */
  let requestKey: string | null = null;
  const newRequestKey = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  form.addEventListener('input', () => { requestKey = null; }); // a changed form is a new submission

  function show(student: StudentView): void {
    if (current?.studentId !== student.studentId) requestKey = null;
    current = student;
    replace(card, studentCard(student));
    form.hidden = false;
    reviewForm.hidden = student.step === 0;
    reviewInput.value = student.reviewDue ?? '';
    replace(formHeading, `Log a contact with ${student.name}’s family`);
  }

  async function logContact(): Promise<void> {
    if (!current) { announce('Choose a student first.', 'error'); return; }
    requestKey ??= newRequestKey();
    const response = await call('logContact', {
      requestKey,
      studentId: current.studentId,
      method: method.value as ContactMethod,
      outcome: outcome.value as ContactOutcome,
      nextAction: nextAction.value.trim(),
      notes: notes.value.trim(),
    });
    requestKey = null;
    show(response.student);
    nextAction.value = '';
    notes.value = '';
    announce(`Contact logged for ${response.student.name}.`, 'success');
  }

  return {
    activate() {
      if (loadedOnce) return;
      loadedOnce = true;
      // Quietly try the selected row on first view; a non-student row just leaves the hint.
      call('getSelectedStudent').then((s) => { if (s && !current) show(s); }, showError);
    },
    async openForContact(studentId, contactMethod) {
      loadedOnce = true;
      app.showTab('student');
      try {
        await open(studentId);
        method.value = contactMethod;
        outcome.focus();
      } catch (err) {
        showError(err);
      }
    },
  };
}

function studentCard(s: StudentView): Child[] {
  const flags = [
    s.flags.severe ? h('span', { class: 'badge badge-red' }, 'Severe absence') : null,
    s.flags.persistent && !s.flags.severe ? h('span', { class: 'badge badge-amber' }, 'Persistent absence') : null,
    s.flags.penaltyThreshold ? h('span', { class: 'badge badge-red' }, 'Penalty notice threshold') : null,
    s.overdue ? h('span', { class: 'badge badge-red', 'data-testid': 'student-overdue' }, 'Contact overdue') : null,
  ];
  const anyFlag = flags.some(Boolean);
  return [
    h('h2', { class: 'student-name', 'data-testid': 'student-name', 'data-student-id': s.studentId }, s.name),
    h('p', { class: 'muted' }, `${s.studentId} · Year ${s.yearGroup} · ${s.tutorGroup}`),
    h('div', { class: 'stat-row' },
      h('div', { class: 'stat' }, h('span', { class: 'stat-value', 'data-testid': 'student-attendance' }, s.attendancePercent), h('span', { class: 'stat-label' }, 'attendance')),
      h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, String(s.unauthorised)), h('span', { class: 'stat-label' }, 'unauthorised')),
      h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, String(s.possible)), h('span', { class: 'stat-label' }, 'possible'))),
    anyFlag ? h('p', { class: 'badges', 'data-testid': 'student-flags' }, flags) : null,
    s.registerNotice ? h('p', { class: 'note', 'data-testid': 'register-stale' }, s.registerNotice) : null,
    h('div', { class: 'card' },
      // Policy labels already start "Step N – …"; add the number only to a label that lacks it.
      h('h3', { 'data-testid': 'student-step' }, s.step > 0 && !/^Step\s/.test(s.stepLabel) ? `Step ${s.step}: ${s.stepLabel}` : s.stepLabel || 'No intervention'),
      h('p', { 'data-testid': 'student-explanation' }, s.explanation),
      s.reasons.length ? h('ul', { class: 'reasons' }, s.reasons.map((r) => h('li', null, r))) : null,
      h('dl', { class: 'facts' },
        h('dt', null, 'Next action'), h('dd', null, s.nextAction || '—'),
        h('dt', null, 'Owner'), h('dd', null, s.owner || '—'),
        h('dt', null, 'Contact due'), h('dd', null, formatDate(s.contactDue)),
        h('dt', null, 'Review due'), h('dd', null, formatDate(s.reviewDue)))),
    h('h3', null, 'History'),
    s.history.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'student-history' }, 'No contact recorded yet.')
      : h('ol', { class: 'history', 'data-testid': 'student-history' }, s.history.map((e) =>
        h('li', null,
          h('span', { class: 'history-head' }, `${formatDate(e.date)} · ${stepName(e.step)} · ${e.by}`),
          h('span', null, `${e.method}: ${e.outcome}`),
          e.documentUrl ? h('a', { href: e.documentUrl, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'history-letter-link' }, 'Open the letter') : null,
          e.nextAction ? h('span', { class: 'muted' }, `Next: ${e.nextAction}`) : null))),
  ];
}
