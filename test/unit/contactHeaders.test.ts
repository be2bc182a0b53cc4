/**
 * Setup knows the MIS's own contact headers (issue 11 point 4): each fixture in
 * test/fixtures/contacts/ (beside the register layouts) maps its parent/carer columns without
 * renaming; a tracker with no email column gets a plain warning naming the column that may be it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../src/core/register/csv';
import { contactColumnPicks, contactColumnWarnings, mapColumns, parseColumnChoices } from '../../src/core/tracker/columns';

const DIR = path.join(__dirname, '../fixtures/contacts');
const headersOf = (file: string) => parseCsv(fs.readFileSync(path.join(DIR, file), 'utf8')).rows[0]!.map(String);

test.each([
  ['sims-contacts.csv', { parentName: 'Contact 1 Name', parentEmail: 'Contact 1 Email', parentPhone: 'Contact 1 Telephone', secondParentName: 'Contact 2 Name', secondParentEmail: 'Contact 2 Email', secondParentPhone: 'Contact 2 Telephone' }],
  ['arbor-contacts.csv', { parentName: 'Primary Contact Name', parentEmail: 'Primary Contact Email', parentPhone: 'Primary Contact Mobile', secondParentName: 'Secondary Contact Name', secondParentEmail: 'Secondary Contact Email', secondParentPhone: 'Secondary Contact Mobile' }],
  ['us-sis-guardians.csv', { parentName: 'Guardian 1 Name', parentEmail: 'Guardian 1 Email', parentPhone: 'Guardian 1 Phone', secondParentName: 'Guardian 2 Name', secondParentEmail: 'Guardian 2 Email', secondParentPhone: 'Guardian 2 Phone' }],
  ['parent-guardian.csv', { parentName: 'Parent/Guardian Name', parentEmail: 'Parent/Guardian email', parentPhone: 'Parent/Guardian Phone' }],
])('%s: the contact columns map as exported, no warning', (file, expected) => {
  const headers = headersOf(file);
  const columns = mapColumns(headers);
  for (const [field, header] of Object.entries(expected)) {
    expect([field, headers[columns.mapping[field as keyof typeof columns.mapping]!]]).toEqual([field, header]);
  }
  expect(columns.missingRequired).toEqual([]);
  expect(contactColumnWarnings(columns, headers)).toEqual([]);
});

test('no email column: a plain warning that says what it means and which column may be it', () => {
  const headers = headersOf('no-email.csv');
  const warnings = contactColumnWarnings(mapColumns(headers), headers);
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toMatch(/^No parent\/carer email column was found, so no letter can go by email/);
  expect(warnings[1]).toMatch(/No parent\/carer phone column.*Your column "Mum mobile" may be it: pick it below, or rename it "Parent Phone"/);
});

test('a picked column maps the field only while it is one of the school\'s own headers, there once', () => {
  const headers = headersOf('no-email.csv'); // UPN, Name, Year, Form, Mum, Mum mobile, Notes
  expect(contactColumnPicks(mapColumns(headers)).map((p) => [p.field, p.suggested])).toEqual([['parentEmail', null], ['parentPhone', 'Mum mobile']]);
  const picked = mapColumns(headers, { parentPhone: 'mum MOBILE' });
  expect(picked.mapping.parentPhone).toBe(5);
  expect(picked.chosen).toEqual(['parentPhone']);
  expect(picked.unknownHeaders).not.toContain('Mum mobile');
  expect(contactColumnWarnings(picked, headers)).toHaveLength(1); // email still missing
  // A header the add-on reads as something else, or no longer there, is never taken.
  expect(mapColumns(headers, { parentEmail: 'UPN' }).mapping.parentEmail).toBeUndefined();
  expect(mapColumns(headers, { parentEmail: 'Notes' }).mapping.parentEmail).toBeUndefined();
  expect(mapColumns(headers, { parentEmail: 'Gone' }).mapping.parentEmail).toBeUndefined();
  expect(mapColumns([...headers, 'Mum mobile'], { parentPhone: 'Mum mobile' }).mapping.parentPhone).toBeUndefined();
  // A recognised column always wins over a stale pick.
  expect(mapColumns([...headers, 'Parent Phone'], { parentPhone: 'Mum mobile' }).mapping.parentPhone).toBe(7);
});

test('stored choices are read fail-closed', () => {
  expect(parseColumnChoices('{"parentEmail":"Home","studentId":"X","parentPhone":3}')).toEqual({ parentEmail: 'Home' });
  expect(parseColumnChoices('not json')).toEqual({});
  expect(parseColumnChoices('[1]')).toEqual({});
  expect(parseColumnChoices(null)).toEqual({});
});
