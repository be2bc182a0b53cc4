/** Helpers for the emulator conformance tests. */
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator, Emulator, EmulatorOptions } from '../../emulator';

export const AUTH = 'https://www.googleapis.com/auth/';
export const PROJECT_SCOPES = ['spreadsheets', 'documents', 'script.send_mail', 'script.container.ui', 'script.scriptapp', 'userinfo.email'].map((s) => AUTH + s);
export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'emulator', 'project');

/** An emulator running `code` as the project's only .js file, with the add-on's manifest scopes unless given. */
export function emulatorWith(code: string, opts: EmulatorOptions & { scopes?: string[]; html?: Record<string, string> } = {}): Emulator {
  const emu = createEmulator(opts);
  const files: Record<string, string> = {
    'appsscript.json': JSON.stringify({ timeZone: 'Europe/London', runtimeVersion: 'V8', oauthScopes: opts.scopes ?? PROJECT_SCOPES }),
    'Code.js': code,
  };
  for (const [name, html] of Object.entries(opts.html ?? {})) files[`${name}.html`] = html;
  emu.loadSources(files);
  return emu;
}

/** Runs fn and returns the thrown error (fails the test when nothing is thrown). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception, none was thrown');
}

export async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, none happened');
}

export function fixtureExists(): boolean {
  return fs.existsSync(path.join(FIXTURE_DIR, 'appsscript.json'));
}
