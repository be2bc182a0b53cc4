/**
 * Start-up cost: Apps Script evaluates all top-level code on every execution — every menu click,
 * sidebar call, trigger and custom-function cell (semantics V1.4). The bundle must do no work at
 * load beyond defining things.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { medianMs, row } from './util';

export async function bench(): Promise<void> {
  const code = fs.readFileSync(path.join(__dirname, '..', 'dist', 'Code.js'), 'utf8');
  const script = new vm.Script(code);
  const ms = medianMs(() => script.runInContext(vm.createContext({})), 31, 5);
  row('dist/Code.js size, KB', (Buffer.byteLength(code) / 1024).toFixed(0));
  row('top-level evaluation per execution, median ms', ms.toFixed(2));
}
