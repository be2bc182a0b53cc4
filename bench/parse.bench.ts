/**
 * Parsing at school scale: the CSV reader, a SIMS wide export, the amendment merge and the sample
 * school generator at 2,000 students × 190 days. These were wall-clock assertions in unit tests;
 * timings belong here (a loaded CI machine made them flaky).
 */
import { DFE_2024 } from '../src/core/codes';
import { parseCsv } from '../src/core/register/csv';
import { mergeMarks, parseRegister } from '../src/core/register/import';
import { generateSchool } from '../src/core/sample/school';
import type { RegisterMark } from '../src/core/types';
import { medianMs, row } from './util';

export async function bench(): Promise<void> {
  const header = ['UPN', ...Array.from({ length: 380 }, (_, i) => `S${i}`)].join(',');
  const line = ['A1', ...Array.from({ length: 380 }, () => '/')].join(',');
  const text = [header, ...Array.from({ length: 2000 }, () => line)].join('\r\n');
  row('parseCsv 2,000 × 380 (median ms)', medianMs(() => parseCsv(text), 5, 1).toFixed(0));

  const school = generateSchool({ seed: 1, students: 2000, startDate: '2024-09-02', schoolDays: 190 });
  row('generateSchool 2,000 × 190 days (median ms)', medianMs(() => generateSchool({ seed: 1, students: 2000, startDate: '2024-09-02', schoolDays: 190 }), 3, 1).toFixed(0));

  const dates = Array.from({ length: 190 }, (_, d) => new Date(Date.UTC(2024, 8, 2 + d)).toISOString().slice(0, 10));
  const headers = dates.flatMap((d) => [`${d} AM`, `${d} PM`]);
  const ids = new Set<string>();
  const lines = [`Adno,UPN,Surname,Forename,Reg,${headers.join(',')}`];
  for (let i = 0; i < 2000; i++) {
    const upn = `A${String(i).padStart(12, '0')}`;
    ids.add(upn);
    lines.push(`${i},${upn},Surname,Forename,7A,${headers.map((_, j) => (j % 2 ? '\\' : '/')).join(',')}`);
  }
  const sims = lines.join('\r\n');
  row('parseRegister SIMS 2,000 × 380 (median ms)', medianMs(() => parseRegister(sims, { table: DFE_2024, knownStudentIds: ids }), 3, 1).toFixed(0));

  const big: RegisterMark[] = school.marks.slice(0, 760000) as RegisterMark[];
  const changed = big.map((m, i) => (i % 1000 === 0 ? { ...m, code: 'I' } : m));
  const meta = { by: 'ao@school.example', at: '2024-09-10T09:15:00Z', reason: 'bench' };
  row('mergeMarks 760,000 marks (median ms)', medianMs(() => mergeMarks(big, changed, meta), 3, 1).toFixed(0));
}
