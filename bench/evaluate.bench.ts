/**
 * Issue 2: the median time to evaluate 2,000 students × 380 sessions (statistics + ladder placement)
 * in Node. Aim: under 200 ms on these machines. Also reports the ratio to statistics alone.
 */
import { computeStats } from '../src/core/stats';
import { DFE_2024 } from '../src/core/codes';
import { defaultUkCalendar, schoolDaysInRange } from '../src/core/calendar';
import { getPreset } from '../src/core/policy/presets';
import { evaluateStudent } from '../src/core/policy/evaluate';
import type { MarkOnDay } from '../src/core/types';
import { medianMs, row } from './util';

export async function bench(): Promise<void> {
  const calendar = defaultUkCalendar(2025);
  const days = schoolDaysInRange(calendar, calendar.terms[0].start, calendar.terms[calendar.terms.length - 1].end).slice(0, 190);
  const today = days[days.length - 1];
  const codes = ['/', '/', '/', '/', '/', '/', '/', 'I', 'N', 'U', 'L', 'M', 'G', 'O'];
  // Deterministic spread of attendance: student i misses roughly (i % 25)% of sessions.
  const students: MarkOnDay[][] = Array.from({ length: 2000 }, (_, i) => {
    const marks: MarkOnDay[] = [];
    days.forEach((date, d) => {
      for (const session of ['AM', 'PM'] as const) {
        const k = (i * 31 + d * 7 + (session === 'PM' ? 3 : 0)) % 100;
        const absent = k < i % 25;
        const code = absent ? codes[7 + ((i + d) % 7)] : session === 'AM' ? '/' : '\\';
        marks.push({ date, session, code });
      }
    });
    return marks;
  });
  const policy = getPreset('uk-secondary-sol');
  const statsOnly = medianMs(() => {
    for (const m of students) computeStats(m, DFE_2024);
  }, 11, 2);
  let placed = 0;
  const full = medianMs(() => {
    placed = 0;
    students.forEach((marks, i) => {
      const stats = computeStats(marks, DFE_2024);
      const p = evaluateStudent(policy, { studentId: `S${i}`, stats, marks, history: [], today, calendar, table: DFE_2024 });
      if (p.step > 0) placed++;
    });
  }, 11, 2);
  row('students × sessions', `2000 × ${days.length * 2}`);
  row('statistics only, median ms', statsOnly.toFixed(1));
  row('statistics + placement, median ms (aim < 200)', full.toFixed(1));
  row('placement cost / statistics cost', (full / statsOnly).toFixed(2));
  row('students placed on a step', placed);
}
