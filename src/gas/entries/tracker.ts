/** Registry entries for the tracker: Recalculate (menu and sidebar) and the student look-ups. */
import { defineEntry, type EntryPoint } from '../../registry';
import { menuRecalculate, recalculate } from '../recalc';
import { getSelectedStudent, getStudent, searchStudents } from '../students';

export const TRACKER_ENTRIES: EntryPoint[] = [
  defineEntry({ name: 'menuRecalculate', kind: 'menu', description: 'Recalculates attendance, steps and colours for every student on the tracker.', params: [], run: menuRecalculate }),
  defineEntry({
    name: 'recalculate',
    kind: 'rpc',
    description: 'Recalculates every student (sidebar). HOY, AO, AL and Admin only.',
    params: [],
    returns: { type: 'Object', description: 'RecalculateResponse: { students, message }.' },
    run: () => recalculate(),
  }),
  defineEntry({
    name: 'getStudent',
    kind: 'rpc',
    description: 'One student as the sidebar shows them.',
    params: [{ name: 'request', type: 'Object', description: 'StudentRequest: { studentId }.' }],
    returns: { type: 'Object', description: 'StudentView.' },
    run: getStudent,
  }),
  defineEntry({
    name: 'getSelectedStudent',
    kind: 'rpc',
    description: 'The student on the tracker row under the cursor, or null.',
    params: [],
    returns: { type: 'Object', description: 'StudentView or null.' },
    run: getSelectedStudent,
  }),
  defineEntry({
    name: 'searchStudents',
    kind: 'rpc',
    description: 'Students whose name or ID contains the query (at most 20; a tutor sees only their groups).',
    params: [{ name: 'request', type: 'Object', description: 'SearchStudentsRequest: { query }.' }],
    returns: { type: 'Array<Object>', description: 'StudentSummary[].' },
    run: searchStudents,
  }),
];
