/**
 * A student as the sidebar shows them (src/rpcTypes.ts StudentView / StudentSummary): plain JSON,
 * dates as ISO strings, display percentages already formatted. Pure.
 */
import type { ContactHistoryEntry, StudentSummary, StudentView } from '../rpcTypes';
import type { StaffMember } from './settings';
import type { StudentRecord } from './schoolModel';
import { formatAttendance } from './format/percent';

/** A name for whoever recorded a log entry: the staff table's name for their email, else as logged. */
function staffName(by: string, staff: readonly StaffMember[]): string {
  const key = by.trim().toLowerCase();
  return staff.find((s) => s.email.toLowerCase() === key)?.name || by;
}

export function contactHistory(record: StudentRecord, staff: readonly StaffMember[]): ContactHistoryEntry[] {
  return [...record.history]
    .reverse() // the log is oldest first; the sidebar shows newest first
    .map((r) => ({
      date: r.date,
      by: staffName(r.by, staff),
      step: r.step,
      method: r.method,
      outcome: String(r.outcome),
      nextAction: r.nextAction ?? '',
      ...(safeDocumentUrl(r.documentUrl) ? { documentUrl: safeDocumentUrl(r.documentUrl)! } : {}),
    }));
}

/**
 * A Log cell's link, only when it is a Google Docs document link (https, docs.google.com, an id):
 * anything else a person typed there — another site, a javascript: URL — is not made a link.
 */
export function safeDocumentUrl(url: string | undefined): string | null {
  const m = /^https:\/\/docs\.google\.com\/document\/d\/([A-Za-z0-9_-]{10,})(\/[a-z]*)?\/?$/.exec((url ?? '').trim());
  return m ? `https://docs.google.com/document/d/${m[1]}/edit` : null;
}

export function toStudentSummary(record: StudentRecord): StudentSummary {
  const { student, stats, placement } = record;
  return {
    studentId: student.studentId,
    name: student.name,
    yearGroup: student.yearGroup,
    tutorGroup: student.tutorGroup,
    attendancePercent: formatAttendance(stats),
    step: placement.step,
  };
}

/** The summary, plus everything the Student tab shows. */
export function toStudentView(record: StudentRecord, staff: readonly StaffMember[]): StudentView {
  const { stats, placement, penalty } = record;
  return {
    ...toStudentSummary(record),
    attendanceFraction: stats.attendanceFraction,
    possible: stats.possible,
    unauthorised: stats.unauthorised,
    flags: { persistent: stats.persistentAbsence, severe: stats.severeAbsence, penaltyThreshold: penalty.reached },
    stepLabel: placement.label,
    explanation: placement.explanation,
    reasons: [...placement.reasons],
    nextAction: placement.nextAction,
    owner: placement.owner,
    reviewDue: placement.reviewDue,
    contactDue: record.contactDue,
    overdue: record.overdue,
    history: contactHistory(record, staff),
  };
}

/** Text reduced for matching: case and accents do not matter ("Zoe" finds "Zoë"). */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

/** Does a student match a search query (part of the name or of the ID)? */
export function matchesQuery(student: { studentId: string; name: string }, query: string): boolean {
  const q = searchKey(query);
  if (q === '') return false;
  return searchKey(student.name).includes(q) || searchKey(student.studentId).includes(q);
}
