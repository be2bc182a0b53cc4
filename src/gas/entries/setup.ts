/** Registry entries for setup, register import, contact recording, today's calls, roles and settings. */
import { defineEntry, type EntryPoint } from '../../registry';
import { getBootstrap } from '../bootstrap';
import { logContact, onEdit } from '../contacts';
import { setReviewDate } from '../reviewDate';
import { adoptHistory, previewAdoption } from '../adoption';
import { importRegister } from '../importRegister';
import { getSettings, saveSettings } from '../settingsRpc';
import { chooseSetupColumn, menuSetup, previewSetup, runSetup } from '../setup';
import { getTodayCalls } from '../today';
import { applyRollover, previewRollover } from '../rollover';

const request = (description: string) => [{ name: 'request', type: 'Object', description }];

export const SETUP_ENTRIES: EntryPoint[] = [
  defineEntry({ name: 'menuSetup', kind: 'menu', description: 'SOL Tracker ▸ Set up…: adopts the tracker, shows the column mapping for confirmation, creates what is missing.', params: [], run: menuSetup }),
  defineEntry({
    name: 'onEdit',
    kind: 'simpleTrigger',
    description: 'Records an RTC / ROPC entry typed on the tracker in the Interventions Log and colours the row (runs in LIMITED mode, 30 s).',
    params: [{ name: 'e', type: 'Object', description: 'The edit event.' }],
    run: onEdit,
  }),
  defineEntry({ name: 'previewSetup', kind: 'rpc', description: 'What setup would do: the column mapping, what is missing, what it would create.', params: [], run: previewSetup }),
  defineEntry({ name: 'chooseSetupColumn', kind: 'rpc', description: 'Picks (or forgets) the tracker column holding the parents\' email or phone when none is recognised by name.', params: request('{ field, header }'), run: chooseSetupColumn }),
  defineEntry({ name: 'previewRollover', kind: 'rpc', description: 'Every change the new academic year would make (archive, move up, leavers, resets). Writes nothing.', params: request('{ exportCsv, fileName, leavingYearGroup }'), run: previewRollover }),
  defineEntry({ name: 'applyRollover', kind: 'rpc', description: 'Starts the new academic year as previewed; pressing again finishes a run that stopped.', params: request('{ requestKey, token, exportCsv, fileName, leavingYearGroup }'), run: applyRollover }),
  defineEntry({ name: 'runSetup', kind: 'rpc', description: 'Runs setup (idempotent: a second run changes nothing).', params: [], run: runSetup }),
  defineEntry({ name: 'importRegister', kind: 'rpc', description: 'Imports an MIS register export uploaded in the sidebar.', params: request('{ fileName, csvText, onlyValidRows }'), run: importRegister }),
  defineEntry({ name: 'previewAdoption', kind: 'rpc', description: "What the school's own tracker already records (a current step, dated letters and meetings), per pupil, for confirmation.", params: [], run: previewAdoption }),
  defineEntry({ name: 'adoptHistory', kind: 'rpc', description: 'Records the confirmed history in the Interventions Log as adopted history, then recalculates.', params: request('{ keys }'), run: adoptHistory }),
  defineEntry({ name: 'setReviewDate', kind: 'rpc', description: "Sets the review date of a pupil's current step (logged in the Interventions Log).", params: request('{ studentId, date }'), run: setReviewDate }),
  defineEntry({ name: 'logContact', kind: 'rpc', description: 'Logs a contact with a student or parent in the Interventions Log.', params: request('{ studentId, method, outcome, nextAction, notes }'), run: logContact }),
  defineEntry({ name: 'getTodayCalls', kind: 'rpc', description: 'First-day absence calls for today (seed 003).', params: [], run: getTodayCalls }),
  defineEntry({ name: 'getBootstrap', kind: 'rpc', description: 'The user, their role and what they may do.', params: [], run: getBootstrap }),
  defineEntry({ name: 'getSettings', kind: 'rpc', description: 'The settings in force (AL and Admin).', params: [], run: getSettings }),
  defineEntry({ name: 'saveSettings', kind: 'rpc', description: 'Validates and saves settings (AL and Admin).', params: request('The settings fields to change.'), run: saveSettings }),
];
