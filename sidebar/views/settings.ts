/**
 * Setup & Settings tab: adopt the tracker (column mapping preview, run setup), the school's
 * settings (name, policy preset, letter templates, staff roles, code overrides) with validation
 * messages next to each field, register import from a CSV file, and a full recalculation.
 */
import { adoptionSection } from './adoption';
import type { CalendarRowSetting, FieldError, ImportRegisterResponse, SettingsBase, SettingsView, SetupColumnPick, SetupPreview, StaffRole, StaffSetting, TemplateSetting } from '../../src/rpcTypes';
import { call } from '../rpc';
import { announce, busy, button, field, formatDate, h, plural, replace, select, setFieldError } from '../dom';
import type { App, View } from './app';
import { rolloverSection } from './rollover';

export const STAFF_ROLES: readonly StaffRole[] = ['Tutor', 'HOY', 'AO', 'AL', 'Admin'];
/** The kinds of row of the academic year (core/calendar.ts CALENDAR_KINDS). */
export const CALENDAR_KINDS = ['Term', 'Half-term', 'Holiday', 'INSET', 'Bank holiday', 'Closure', 'Extra school day'] as const;
const ROLE_LABELS: Record<StaffRole, string> = {
  Tutor: 'Tutor', HOY: 'Head of Year', AO: 'Attendance Officer', AL: 'Attendance Lead', Admin: 'Admin',
};

/** 'X = notPossible' lines → { X: 'notPossible' }; bad lines are reported by number (1-based). */
export function parseCodeOverrides(text: string): { overrides: Record<string, string>; badLines: number[] } {
  const overrides: Record<string, string> = {};
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^\s*([^\s=:]{1,3})\s*[=:]\s*(\S+)\s*$/.exec(line);
    if (m) overrides[m[1]] = m[2];
    else badLines.push(i + 1);
  });
  return { overrides, badLines };
}

export function formatCodeOverrides(overrides: Record<string, string>): string {
  return Object.entries(overrides).map(([code, category]) => `${code} = ${category}`).join('\n');
}

export function mountSettings(panel: HTMLElement, app: App): View {
  const can = app.bootstrap.can;
  let loaded = false;
  /** The settings this form was filled with: the server refuses a save made over someone else's. */
  let base: SettingsBase | null = null;

  // ------------------------------------------------------------------ setup
  const setupResult = h('div', { 'data-testid': 'setup-preview' });
  const checkSetup = button('Check the tracker', () => void busy(checkSetup, async () => renderSetupPreview(await call('previewSetup'))), { 'data-testid': 'setup-check' });
  const runSetup = button('Run setup', () => void busy(runSetup, async () => {
    const result = await call('runSetup');
    replace(setupResult,
      listBlock('Created', result.created, 'setup-created'),
      listBlock('Columns found', result.mapping, 'setup-mapping'));
    announce(result.message, 'success');
  }), { class: 'primary', 'data-testid': 'setup-run' });
  const setupSection = h('section', { class: 'card', 'aria-labelledby': 'setup-heading', 'data-testid': 'setup-section' },
    h('h3', { id: 'setup-heading' }, 'Setup'),
    app.bootstrap.setupDone
      ? h('p', { class: 'muted' }, 'Setup has been run. Run it again after adding columns or sheets; it never removes anything.')
      : h('p', { class: 'note' }, 'Setup has not been run yet. Check the tracker first to see how your columns will be read.'),
    h('div', { class: 'actions' }, checkSetup, runSetup),
    setupResult,
    adoptionSection());

  function renderSetupPreview(p: SetupPreview): void {
    replace(setupResult,
      listBlock('Columns found', p.mapping, 'setup-mapping'),
      listBlock('Missing columns', p.missing, 'setup-missing'),
      listBlock('Check before you start', p.warnings ?? [], 'setup-warnings'),
      ...(p.picks ?? []).map(pickBlock),
      listBlock('Setup will create', p.willCreate, 'setup-will-create'));
    announce(p.missing.length ? `${plural(p.missing.length, 'column')} missing; setup will add ${plural(p.willCreate.length, 'item')}.` : 'All the columns the add-on needs were found.');
  }

  /** Pick the tracker column that holds parents' email (or phone) when none was recognised by name. */
  function pickBlock(pick: SetupColumnPick): HTMLElement {
    const id = `setup-pick-${pick.field}`;
    const choice = select([{ value: '', label: '— none of these —' }, ...pick.options.map((o) => ({ value: o, label: `“${o}”` }))], { id, 'data-testid': `${id}-select` });
    choice.value = pick.current ?? pick.suggested ?? '';
    const use: HTMLButtonElement = button(pick.current ? 'Change' : 'Use this column', () => void busy(use, async () => {
      const header = choice.value || null;
      renderSetupPreview(await call('chooseSetupColumn', { field: pick.field, header }));
      announce(header ? `${pick.label}: the column “${header}” is used. Run setup to keep it in the column mapping.` : `${pick.label}: no column is used.`, 'success');
    }), { 'data-testid': `${id}-use` });
    return h('div', { class: 'subcard', 'data-testid': id, role: 'group', 'aria-labelledby': `${id}-label` },
      h('h4', { id: `${id}-label` }, pick.current ? `${pick.label}: “${pick.current}” (picked)` : `${pick.label}: not found`),
      h('p', { class: 'muted' }, pick.meaning),
      field('Which of your columns holds it?', choice),
      h('div', { class: 'actions' }, use));
  }

  // ------------------------------------------------------------------ settings form
  const schoolName = h('input', { type: 'text', maxlength: 120, required: true, 'data-testid': 'settings-school-name' });
  const preset = h('select', { 'data-testid': 'settings-preset' });
  const policyNote = h('p', { class: 'note', hidden: true, 'data-testid': 'settings-school-policy' });
  const timeZone = h('span', { class: 'muted', 'data-testid': 'settings-time-zone' });
  const templates = h('div', { 'data-testid': 'settings-templates' });
  const staff = h('div', { 'data-testid': 'settings-staff' });
  const overrides = h('textarea', { rows: 3, 'data-testid': 'settings-code-overrides', spellcheck: 'false' });
  const mapping = h('div', { 'data-testid': 'settings-column-mapping' });
  const formErrors = h('div', { class: 'form-errors', 'data-testid': 'settings-errors', hidden: true, tabindex: -1 });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'settings-save' }, 'Save settings');
  let templateRows: { letterId: HTMLInputElement; language: HTMLInputElement; docId: HTMLInputElement }[] = [];
  let staffRows: { email: HTMLInputElement; name: HTMLInputElement; role: HTMLSelectElement; yearGroup: HTMLInputElement; tutorGroup: HTMLInputElement }[] = [];
  const calendar = h('div', { 'data-testid': 'settings-calendar' });
  const calendarSummary = h('p', { class: 'muted', 'data-testid': 'settings-calendar-summary' });
  let calendarRows: { kind: HTMLSelectElement; name: HTMLInputElement; from: HTMLInputElement; to: HTMLInputElement }[] = [];
  let pattern: SettingsView['calendarPattern'] | null = null;
  const usePattern = button('Start from England’s usual pattern', () => {
    if (!pattern) return;
    if (calendarRows.length > 0 && !window.confirm(`Replace the ${plural(calendarRows.length, 'row')} shown with ${pattern.label}? Nothing changes until you save.`)) return;
    replace(calendar); calendarRows = [];
    pattern.rows.forEach(addCalendarRow);
    announce(`${pattern.label}: check each date against your local authority's calendar, then save.`);
  }, { 'data-testid': 'settings-calendar-pattern' });

  /**
   * Field path → control, for validation messages. Row indexes are positions in the current
   * lists, which are exactly the arrays sent by saveSettings, so 'staff.2.email' is the third row shown.
   */
  function controls(): Map<string, HTMLElement> {
    const map = new Map<string, HTMLElement>([['schoolName', schoolName], ['presetId', preset], ['codeOverrides', overrides]]);
    templateRows.forEach((r, i) => { for (const k of Object.keys(r) as (keyof typeof r)[]) map.set(`templates.${i}.${k}`, r[k]); });
    staffRows.forEach((r, i) => { for (const k of Object.keys(r) as (keyof typeof r)[]) map.set(`staff.${i}.${k}`, r[k]); });
    calendarRows.forEach((r, i) => { for (const k of Object.keys(r) as (keyof typeof r)[]) map.set(`calendar.${i}.${k}`, r[k]); });
    return map;
  }

  // Starter templates: Google Docs in the SOPs' wording, English and Spanish, for letters with none.
  const createStarters: HTMLButtonElement = button('Create starter templates', () => void busy(createStarters, async () => {
    const result = await call('createLetterTemplates');
    announce(result.message, 'success');
    if (result.created > 0) fill(await call('getSettings'));
  }), { 'data-testid': 'settings-create-templates' });

  const settingsForm = h('form', {
    class: 'card', 'aria-labelledby': 'settings-heading', 'data-testid': 'settings-form', novalidate: true,
    onsubmit: (e) => { e.preventDefault(); void busy(save, saveSettings); },
  },
  h('h3', { id: 'settings-heading' }, 'Settings'),
  formErrors,
  field('School name', schoolName),
  field('Attendance policy', preset, 'The school’s ladder of steps and thresholds.'),
  policyNote,
  h('p', null, 'Time zone: ', timeZone),
  h('fieldset', null, h('legend', null, 'Letter templates'), templates,
    button('Add a template', () => { addTemplateRow({ letterId: '', language: 'English', docId: '' }); templateRows[templateRows.length - 1].letterId.focus(); }, { 'data-testid': 'settings-add-template' }),
    createStarters),
  h('fieldset', null, h('legend', null, 'Staff'), staff,
    button('Add a member of staff', () => { addStaffRow({ email: '', name: '', role: 'Tutor', yearGroup: '', tutorGroup: '' }); staffRows[staffRows.length - 1].email.focus(); }, { 'data-testid': 'settings-add-staff' })),
  h('fieldset', null, h('legend', null, 'Academic year'),
    h('p', { class: 'muted' }, 'Terms, half-terms, holidays, INSET days, bank holidays and closures. Dates yyyy-mm-dd; leave “To” blank for one day. Every school-day count (contact deadlines, review dates, weekly report weeks, penalty windows) uses these dates.'),
    calendarSummary, calendar,
    h('div', { class: 'actions' },
      button('Add a row', () => { addCalendarRow({ kind: 'Closure', name: '', from: '', to: '' }); calendarRows[calendarRows.length - 1].from.focus(); }, { 'data-testid': 'settings-add-calendar-row' }),
      usePattern)),
  field('Register code changes', overrides, 'One per line, e.g. “X = notPossible”.'),
  h('div', { class: 'actions' }, save),
  h('h4', null, 'Tracker columns'), mapping);

  function fill(s: SettingsView): void {
    loaded = true;
    // Once the school saved its own policy (Policy tab), the preset and Q/Y rows no longer apply.
    replace(policyNote, s.schoolPolicy ? `The school’s own policy “${s.schoolPolicy}” is in force: change it in the Policy tab.` : '');
    policyNote.hidden = !s.schoolPolicy;
    preset.disabled = Boolean(s.schoolPolicy);
    base = { schoolName: s.schoolName, presetId: s.presetId, templates: s.templates, staff: s.staff, codeOverrides: s.codeOverrides, calendar: s.calendar };
    schoolName.value = s.schoolName;
    replace(preset, s.presets.map((p) => h('option', { value: p.id }, p.label)));
    preset.value = s.presetId;
    replace(timeZone, s.timeZone);
    overrides.value = formatCodeOverrides(s.codeOverrides);
    replace(templates); templateRows = [];
    s.templates.forEach(addTemplateRow);
    replace(staff); staffRows = [];
    s.staff.forEach(addStaffRow);
    replace(calendar); calendarRows = [];
    s.calendar.forEach(addCalendarRow);
    pattern = s.calendarPattern;
    usePattern.textContent = `Start from ${s.calendarPattern.label}`;
    replace(calendarSummary, s.calendarSummary);
    replace(mapping, s.columnMapping.length ? h('ul', null, s.columnMapping.map((m) => h('li', null, m))) : h('p', { class: 'muted' }, 'Run setup to map the columns.'));
  }

  function addTemplateRow(t: TemplateSetting): void {
    const row = {
      letterId: h('input', { type: 'text', value: t.letterId, 'data-testid': 'template-letter-id' }),
      language: h('input', { type: 'text', value: t.language, 'data-testid': 'template-language' }),
      docId: h('input', { type: 'text', value: t.docId, spellcheck: 'false', 'data-testid': 'template-doc-id' }),
    };
    templateRows.push(row);
    const box = h('div', { class: 'subcard', 'data-testid': 'template-row', role: 'group', 'aria-label': 'Letter template' },
      h('div', { class: 'inline-fields' }, field('Letter', row.letterId), field('Language', row.language)),
      field('Google Doc ID', row.docId),
      button('Remove this template', () => { box.remove(); templateRows = templateRows.filter((r) => r !== row); }, { class: 'link' }));
    templates.appendChild(box);
  }

  function addStaffRow(m: StaffSetting): void {
    const row = {
      email: h('input', { type: 'email', value: m.email, 'data-testid': 'staff-email' }),
      name: h('input', { type: 'text', value: m.name, 'data-testid': 'staff-name' }),
      role: select(STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })), { 'data-testid': 'staff-role' }),
      yearGroup: h('input', { type: 'text', value: m.yearGroup, 'data-testid': 'staff-year-group' }),
      tutorGroup: h('input', { type: 'text', value: m.tutorGroup, 'data-testid': 'staff-tutor-group' }),
    };
    row.role.value = m.role;
    staffRows.push(row);
    const box = h('div', { class: 'subcard', 'data-testid': 'staff-row', role: 'group', 'aria-label': 'Member of staff' },
      field('Email', row.email), field('Name', row.name), field('Role', row.role),
      h('div', { class: 'inline-fields' }, field('Year group', row.yearGroup), field('Tutor group', row.tutorGroup)),
      button('Remove this person', () => { box.remove(); staffRows = staffRows.filter((r) => r !== row); }, { class: 'link' }));
    staff.appendChild(box);
  }

  function addCalendarRow(r: CalendarRowSetting): void {
    const row = {
      kind: select([...CALENDAR_KINDS], { 'data-testid': 'calendar-kind' }),
      name: h('input', { type: 'text', value: r.name, maxlength: 100, 'data-testid': 'calendar-name' }),
      from: h('input', { type: 'text', value: r.from, placeholder: 'yyyy-mm-dd', inputmode: 'numeric', 'data-testid': 'calendar-from' }),
      to: h('input', { type: 'text', value: r.to, placeholder: 'yyyy-mm-dd', inputmode: 'numeric', 'data-testid': 'calendar-to' }),
    };
    row.kind.value = (CALENDAR_KINDS as readonly string[]).includes(r.kind) ? r.kind : 'Closure';
    calendarRows.push(row);
    const box = h('div', { class: 'subcard', 'data-testid': 'calendar-row', role: 'group', 'aria-label': 'Academic year row' },
      h('div', { class: 'inline-fields' }, field('What', row.kind), field('Name', row.name)),
      h('div', { class: 'inline-fields' }, field('From', row.from), field('To', row.to)),
      button('Remove this row', () => { box.remove(); calendarRows = calendarRows.filter((x) => x !== row); }, { class: 'link' }));
    calendar.appendChild(box);
  }

  async function saveSettings(): Promise<void> {
    showErrors([]);
    const parsed = parseCodeOverrides(overrides.value);
    const local: FieldError[] = [];
    if (!schoolName.value.trim()) local.push({ field: 'schoolName', message: 'Enter the school’s name.' });
    if (parsed.badLines.length) local.push({ field: 'codeOverrides', message: `Line ${parsed.badLines.join(', ')}: write a code, “=”, then a category.` });
    if (local.length) { showErrors(local); return; }
    const response = await call('saveSettings', {
      schoolName: schoolName.value.trim(),
      presetId: preset.value,
      templates: templateRows.map((r) => ({ letterId: r.letterId.value.trim(), language: r.language.value.trim(), docId: r.docId.value.trim() })),
      staff: staffRows.map((r) => ({ email: r.email.value.trim(), name: r.name.value.trim(), role: r.role.value as StaffRole, yearGroup: r.yearGroup.value.trim(), tutorGroup: r.tutorGroup.value.trim() })),
      codeOverrides: parsed.overrides,
      calendar: calendarRows.map((r) => ({ kind: r.kind.value, name: r.name.value.trim(), from: r.from.value.trim(), to: r.to.value.trim() })),
      ...(base ? { base } : {}),
    });
    if (response.ok) {
      fill(response.settings);
      if (response.warnings?.length) {
        formErrors.hidden = false;
        replace(formErrors, h('p', null, h('strong', null, 'Saved, but check:')), h('ul', { 'data-testid': 'settings-warnings' }, response.warnings.map((w) => h('li', null, w))));
        announce(`Settings saved. ${response.warnings[0]}`, 'error');
      } else announce('Settings saved.', 'success');
    } else {
      showErrors(response.errors);
    }
  }

  function showErrors(errors: FieldError[]): void {
    const byField = controls();
    for (const control of byField.values()) setFieldError(control, null);
    const unplaced: FieldError[] = [];
    for (const e of errors) {
      const control = byField.get(e.field);
      if (control) setFieldError(control, e.message); else unplaced.push(e);
    }
    formErrors.hidden = errors.length === 0;
    replace(formErrors, errors.length === 0 ? null : [
      h('p', null, h('strong', null, `The settings were not saved: ${plural(errors.length, 'problem')}.`)),
      unplaced.length ? h('ul', null, unplaced.map((e) => h('li', null, e.field ? `${e.field}: ${e.message}` : e.message))) : null,
    ]);
    if (errors.length) {
      announce(`The settings were not saved: ${plural(errors.length, 'problem')}. ${errors[0].message}`, 'error');
      const first = byField.get(errors[0].field);
      (first ?? formErrors).focus();
    }
  }

  // ------------------------------------------------------------------ import
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain', 'data-testid': 'import-file' });
  const onlyValid = h('input', { type: 'checkbox', id: 'import-only-valid', 'data-testid': 'import-only-valid' });
  const importButton = h('button', { type: 'submit', class: 'primary', 'data-testid': 'import-submit' }, 'Import');
  const importResult = h('div', { 'data-testid': 'import-result' });
  const importForm = h('form', {
    class: 'card', 'aria-labelledby': 'import-heading', 'data-testid': 'import-form',
    onsubmit: (e) => { e.preventDefault(); void busy(importButton, importRegister); },
  },
  h('h3', { id: 'import-heading' }, 'Import register marks'),
  field('CSV file exported from the MIS', file, 'SIMS, Arbor, Bromcom, PowerSchool or Infinite Campus exports.'),
  h('div', { class: 'check' }, onlyValid, h('label', { for: 'import-only-valid' }, 'If some rows have errors, import the other rows')),
  h('div', { class: 'actions' }, importButton),
  importResult);

  async function importRegister(confirmSchoolDays?: string[]): Promise<void> {
    const chosen = file.files && file.files[0];
    if (!chosen) { setFieldError(file, 'Choose a CSV file first.'); file.focus(); return; }
    setFieldError(file, null);
    announce(`Reading ${chosen.name}…`);
    const csvText = await readText(chosen);
    announce(`Checking and importing ${chosen.name}…`);
    const result = await call('importRegister', { fileName: chosen.name, csvText, onlyValidRows: onlyValid.checked, ...(confirmSchoolDays ? { confirmSchoolDays } : {}) });
    renderImport(result);
    announce(result.message, result.ok ? 'success' : 'error');
  }

  function renderImport(r: ImportRegisterResponse): void {
    const shown = r.errors.slice(0, 50);
    replace(importResult,
      h('p', null, r.layout ? `Recognised as ${r.layout}. ` : '', `${r.added} added, ${r.amended} changed, ${r.unchanged} unchanged.`),
      r.errors.length ? h('p', { class: 'error-text' }, `${plural(r.errors.length, 'row problem')}${r.errors.length > shown.length ? ` (first ${shown.length} shown)` : ''}:`) : null,
      r.errors.length ? h('ul', { class: 'import-errors', 'data-testid': 'import-errors' }, shown.map((e) =>
        h('li', null, `Row ${e.row}, ${e.column}: “${e.value}” — ${e.reason}`))) : null,
      nonSchoolDaysBlock(r));
  }

  /** Marks refused because their day is not a school day: the person may confirm the school was open. */
  function nonSchoolDaysBlock(r: ImportRegisterResponse): HTMLElement | null {
    const days = r.nonSchoolDays ?? [];
    if (days.length === 0) return null;
    const boxes = days.map((d) => h('input', { type: 'checkbox', value: d.date, 'data-testid': 'import-confirm-day' }));
    const confirm: HTMLButtonElement = button('These were school days: import again', () => {
      const chosenDays = boxes.filter((b) => b.checked).map((b) => b.value);
      if (chosenDays.length === 0) { announce('Tick the days the school was open first.', 'error'); return; }
      void busy(confirm, () => importRegister(chosenDays));
    }, { 'data-testid': 'import-confirm-days' });
    return h('div', { class: 'subcard', 'data-testid': 'import-non-school-days' },
      h('p', null, 'Marks on days that are not school days in the academic year were not imported. If the school was open, tick the day: it becomes an extra school day in Settings.'),
      h('ul', null, days.map((d, i) => h('li', null, h('label', null, boxes[i], ` ${formatDate(d.date)} — ${d.why} (${plural(d.rows, 'row')})`)))),
      confirm);
  }

  // ------------------------------------------------------------------ recalculate
  const recalc = button('Recalculate all students', () => void busy(recalc, async () => {
    announce('Recalculating…');
    announce((await call('recalculate')).message, 'success');
  }), { 'data-testid': 'recalculate' });

  replace(panel,
    h('h2', null, 'Setup & settings'),
    can.settings ? setupSection : null,
    can.import ? importForm : null,
    can.settings || can.import ? h('div', { class: 'actions' }, recalc) : null,
    can.settings ? rolloverSection() : null,
    can.settings ? settingsForm : null);

  return {
    activate() {
      if (!loaded && can.settings) void busy(null, async () => fill(await call('getSettings')));
    },
  };
}

function listBlock(title: string, items: string[], testId: string): HTMLElement | null {
  if (items.length === 0) return null;
  return h('div', { 'data-testid': testId }, h('h4', null, title), h('ul', null, items.map((i) => h('li', null, i))));
}

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(new Error(`Could not read ${file.name}. Choose the file again.`));
    reader.readAsText(file);
  });
}
