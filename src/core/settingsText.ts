/**
 * Free text in a Settings form, checked before anything is saved (issue 12 §4): each field capped at
 * a sensible length with a message naming the field (and the staff row), control characters
 * refused. Pure: saveSettings (src/gas/settingsRpc.ts) calls it.
 */
import type { Settings } from './settings';
import { TEXT_LIMITS, tooLong } from './sanitise';

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface TextProblem {
  field: string;
  message: string;
}

/** Problems in the fields the form sends (only those: stored settings never block a save). */
export function settingsTextProblems(next: Settings, sent: { schoolName?: unknown; staff?: unknown }): TextProblem[] {
  const out: TextProblem[] = [];
  const check = (field: string, where: string, value: string, max: number) => {
    const long = tooLong(where, value, max);
    if (long) out.push({ field, message: long });
    else if (CONTROL.test(value)) out.push({ field, message: `${where} contains a control character (pasted from another program?): type it again.` });
  };
  if (sent.schoolName !== undefined) check('schoolName', 'School name', next.schoolName, TEXT_LIMITS.schoolName);
  if (sent.staff !== undefined) {
    next.staff.forEach((m, i) => {
      const row = `Staff row ${i + 1}`;
      check(`staff.${i}.email`, `${row}: the email`, m.email, TEXT_LIMITS.email);
      check(`staff.${i}.name`, `${row}: the name`, m.name, TEXT_LIMITS.name);
      check(`staff.${i}.yearGroup`, `${row}: the year group`, m.yearGroup, TEXT_LIMITS.group);
      check(`staff.${i}.tutorGroup`, `${row}: the tutor group`, m.tutorGroup, TEXT_LIMITS.group);
    });
  }
  return out;
}
