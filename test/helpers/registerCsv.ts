/** MIS export files made from a generated school's own marks (for import tests). */
import type { SampleSchool } from '../../src/core/sample/school';

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
export const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** A SIMS "Attendance marks" export (wide) of the school's own marks on the given days. */
export function simsCsv(school: SampleSchool, days: string[]): string {
  const sessions = days.flatMap((d) => (['AM', 'PM'] as const).map((s) => ({ d, s })));
  const header = ['Adno', 'UPN', 'Surname', 'Forename', 'Reg', ...sessions.map(({ d, s }) => `${WEEKDAY[new Date(`${d}T12:00:00Z`).getUTCDay()]} ${dmy(d)} ${s}`)];
  const code = new Map(school.marks.map((m) => [`${m.studentId}|${m.date}|${m.session}`, m.code]));
  const lines = [header.join(',')];
  for (const st of school.students) {
    const [first, ...rest] = st.name.split(' ');
    lines.push([st.studentId.replace(/^A/, ''), st.studentId, quote(rest.join(' ')), quote(first), st.tutorGroup, ...sessions.map(({ d, s }) => code.get(`${st.studentId}|${d}|${s}`) ?? '')].map(String).join(','));
  }
  return lines.join('\r\n');
}
