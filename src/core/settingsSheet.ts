/**
 * Writing settings back to the Settings tab WITHOUT erasing what else staff keep there: known
 * setting rows get their new value in column B (other columns of the row stay), the add-on's own
 * sections ([Staff], [Templates], [Academic year] — whatever settingsToSheet writes) are rebuilt
 * from the settings, and every other row — notes, unknown labels, sections the add-on does not
 * know — is kept as it was. Pure: values in, the block to write out.
 *
 * The [Staff] section is a read-only copy of the stored staff list (src/core/staffRecord.ts):
 * editing it changes nobody's role.
 */
import { SETTING_ROWS, STAFF_SECTION, settingsToSheet, type Settings } from './settings';

export const STAFF_COPY_NOTE = 'Read-only copy of the staff list: change roles in the sidebar (Settings → Staff). Editing these rows changes nobody\'s role.';

/** Rows of tabs written before the academic year had its own section: now part of that section. */
const LEGACY_LABELS = new Set(['term name', 'term start', 'term end', 'closures']);
const SECTION = /^\[.+\]$/;
const norm = (v: unknown) => String(v ?? '').trim().toLowerCase();

function isBlankRow(row: readonly unknown[]): boolean {
  return row.every((c) => String(c ?? '').trim() === '');
}

/** A cell as it must be written back so Sheets keeps it exactly (text forced as text). */
function keep(v: unknown): unknown {
  // settingsToSheet's date cells already carry the text marker: not twice.
  if (typeof v === 'string') return v === '' ? '' : v.startsWith("'") ? v : `'${v}`;
  return v ?? '';
}

interface Parts {
  main: unknown[][];
  sections: { name: string; rows: unknown[][] }[];
}

function split(rows: readonly (readonly unknown[])[]): Parts {
  const main: unknown[][] = [];
  const sections: { name: string; rows: unknown[][] }[] = [];
  for (const row of rows) {
    const a = String(row[0] ?? '').trim();
    if (SECTION.test(a)) sections.push({ name: a.toLowerCase(), rows: [[...row]] });
    else if (sections.length > 0) sections[sections.length - 1].rows.push([...row]);
    else main.push([...row]);
  }
  // A section ends at its last non-blank row (the blank separator is not part of it).
  for (const s of sections) while (s.rows.length > 1 && isBlankRow(s.rows[s.rows.length - 1])) s.rows.pop();
  return { main, sections };
}

/** The Settings tab after saving `settings` over `existing` (getValues of the whole tab). */
export function mergeSettingsIntoSheet(existing: readonly (readonly unknown[])[], settings: Settings): unknown[][] {
  const fresh = split(settingsToSheet(settings));
  for (const s of fresh.sections) if (s.name === STAFF_SECTION.toLowerCase()) s.rows[0] = [STAFF_SECTION, '', STAFF_COPY_NOTE];
  const valueOf = new Map<string, string>();
  fresh.main.slice(1, 1 + SETTING_ROWS.length).forEach((r) => valueOf.set(norm(r[0]), String(r[1])));

  const old = split(existing.length === 1 && isBlankRow(existing[0]) ? [] : existing);
  const out: unknown[][] = [];
  const seen = new Set<string>();
  old.main.forEach((row, i) => {
    const label = norm(row[0]);
    if (i > 0 && LEGACY_LABELS.has(label)) return; // moved into [Academic year]
    if (i > 0 && valueOf.has(label) && !seen.has(label)) {
      seen.add(label);
      const next = row.map(keep);
      next[1] = keep(valueOf.get(label) ?? '');
      out.push(next);
    } else out.push(row.map(keep));
  });
  if (out.length === 0) out.push(fresh.main[0].map(keep));
  // Settings rows the tab lacks go after the last non-blank main row.
  let insertAt = out.length;
  while (insertAt > 1 && isBlankRow(out[insertAt - 1])) insertAt--;
  const missing = fresh.main.slice(1, 1 + SETTING_ROWS.length).filter((r) => !seen.has(norm(r[0])));
  out.splice(insertAt, 0, ...missing.map((r) => r.map(keep)));
  while (out.length > 1 && isBlankRow(out[out.length - 1])) out.pop();

  const gap = () => out.push(['', '', '']);
  const ours = new Map(fresh.sections.map((s) => [s.name, s]));
  const written = new Set<string>();
  for (const section of old.sections) {
    const mine = ours.get(section.name);
    if (mine) {
      // One copy of each of the add-on's sections (a second copy would be read as well, or win silently).
      if (written.has(section.name)) continue;
      written.add(section.name);
      gap();
      out.push(...mine.rows.map((r) => r.map(keep)));
    } else {
      gap();
      out.push(...section.rows.map((r) => r.map(keep)));
    }
  }
  for (const s of fresh.sections) {
    if (written.has(s.name)) continue;
    gap();
    out.push(...s.rows.map((r) => r.map(keep)));
  }
  return pad(out, existing.length, Math.max(0, ...existing.map((r) => r.length)));
}

/** Rectangular, at least as tall and wide as the old tab (so no stale row or column survives). */
function pad(rows: unknown[][], minHeight: number, minWidth: number): unknown[][] {
  const width = Math.max(minWidth, ...rows.map((r) => r.length));
  const out = rows.map((r) => [...r, ...Array(width - r.length).fill('')]);
  while (out.length < minHeight) out.push(Array(width).fill(''));
  return out;
}
