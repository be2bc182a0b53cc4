/**
 * Numeric student IDs (normal in US schools) and leading zeros (issue 13): a tracker cell typed as
 * 007 holds the number 7, while the MIS export says 007. The import matches them by number when
 * exactly one tracker ID has it, and keeps the tracker's spelling so the Register agrees with it.
 */
import { DFE_2024 } from '../../src/core/codes';
import { parseRegister } from '../../src/core/register/import';

const csv = (id: string) => `student_id,date,session,code\n${id},2024-09-02,AM,/\n${id},2024-09-02,PM,N\n`;

test('007 in the export is the tracker\'s 7 (and 7 is the tracker\'s 007)', () => {
  const r = parseRegister(csv('007'), { table: DFE_2024, knownStudentIds: new Set(['7', '104523']) });
  expect(r.errors).toEqual([]);
  expect(r.marks.map((m) => m.studentId)).toEqual(['7', '7']);
  const back = parseRegister(csv('7'), { table: DFE_2024, knownStudentIds: new Set(['007']) });
  expect(back.marks.map((m) => m.studentId)).toEqual(['007', '007']);
  expect(parseRegister(csv('104523'), { table: DFE_2024, knownStudentIds: new Set(['104523']) }).marks).toHaveLength(2);
});

test('two tracker IDs with the same number (07 and 007) are ambiguous: the row is refused, never guessed', () => {
  const r = parseRegister(csv('7'), { table: DFE_2024, knownStudentIds: new Set(['07', '007']) });
  expect(r.marks).toEqual([]);
  expect(r.errors[0]).toMatchObject({ column: 'student_id', value: '7', reason: expect.stringMatching(/No student with this ID on the tracker/) });
});
