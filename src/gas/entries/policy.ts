/** Registry entries of the policy editor (issue 15): AL and Admin, checked on the server. */
import { defineEntry, type EntryPoint } from '../../registry';
import { getPolicyEditor, importPolicyFile, previewPolicy, savePolicy } from '../policyRpc';

const request = (description: string) => [{ name: 'request', type: 'Object', description }];

export const POLICY_ENTRIES: EntryPoint[] = [
  defineEntry({ name: 'getPolicyEditor', kind: 'rpc', description: 'The attendance policy in force, the presets and the history of changes (AL and Admin).', params: [], run: getPolicyEditor }),
  defineEntry({ name: 'previewPolicy', kind: 'rpc', description: 'Checks a policy draft and shows its impact on today’s data; saves nothing (AL and Admin).', params: request('{ draft, origins, baseVersion }'), run: previewPolicy }),
  defineEntry({ name: 'savePolicy', kind: 'rpc', description: 'Saves a policy draft as a new version from today, then recalculates (AL and Admin).', params: request('{ draft, origins, baseVersion }'), run: savePolicy }),
  defineEntry({ name: 'importPolicyFile', kind: 'rpc', description: 'Reads and checks an exported policy file; saves nothing (AL and Admin).', params: request('{ fileName, text }'), run: importPolicyFile }),
];
