/** The stale-register sentence every tab shows (issue 10), with the last import date. */
import { reachFromSessionDates, staleRegisterNotice, importedWords } from '../../src/core/register/staleness';

const days = ['2025-12-01', '2025-12-02', '2025-12-03', '2025-12-04', '2025-12-05', '2025-12-08', '2025-12-09', '2025-12-10', '2025-12-11'];

test('no notice while the register is current; one sentence with the last import once it is stale', () => {
  expect(staleRegisterNotice(reachFromSessionDates(days, ['2025-12-08'], '2025-12-10'), null)).toBeNull();
  const reach = reachFromSessionDates(days, ['2025-12-01', '2025-12-02', '2025-12-12'], '2025-12-09');
  expect(reach).toEqual({ lastMarkDate: '2025-12-02', stale: true, missingSchoolDays: 4 });
  expect(staleRegisterNotice(reach, '2025-12-02T16:05:00')).toBe(
    'The register has no marks since Tue 2 Dec 2025 (4 school days without marks; last imported Tue 2 Dec 2025 at 16:05). ' +
      'Nobody is moved up a step until the register is imported: import the latest register marks (sidebar ▸ Settings ▸ Import register marks).',
  );
  expect(staleRegisterNotice(reach, null)).toMatch(/no import recorded/);
  expect(importedWords('nonsense')).toBeNull();
});
