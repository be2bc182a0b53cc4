/** Loads the built dist/ into an emulator (building it first when a test runs on its own). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Emulator } from '../../emulator';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export function loadBuiltProject(emu: Emulator): void {
  // SOL_DIST: run the tests against another build (e.g. main's, to see a new test fail there).
  const dist = process.env.SOL_DIST ?? path.join(REPO_ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'Code.js'))) execFileSync('node', ['build.mjs'], { cwd: REPO_ROOT, stdio: 'pipe' });
  emu.loadProject(dist);
}
