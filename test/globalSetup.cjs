/**
 * Apps Script runs a project with JS local time in the manifest's timeZone (semantics V1.7).
 * Jest workers inherit this process's TZ, so every test (emulator or not) sees the same zone the
 * add-on would. (Outside jest the emulator sets process.env.TZ itself on loadProject.)
 *
 * It also chooses the browser for test/browser once (CHROMIUM_PATH, /usr/bin/chromium, or the npm
 * package @sparticuz/chromium unpacked into node_modules/.cache) and hands it on in SOL_BROWSER.
 */
const fs = require('node:fs');
const path = require('node:path');

module.exports = async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  process.env.TZ = process.env.SOL_TIMEZONE || pkg.solTracker.timeZone;
  await require('./browser/chromium.cjs').prepareBrowserForTests();
};
