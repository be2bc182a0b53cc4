/**
 * A Head of Year's weekly email on a phone (issue 11, done-when): the preview's sample school (900
 * pupils, 2025–26 calendar), its last school week, rendered at 390 × 844 CSS px in headless
 * Chromium. It must not scroll sideways and must fit in a few phone screens; the screenshot goes
 * to test-artifacts/weekly-email-hoy-phone.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEmulator } from '../../emulator';
import { generateSchool } from '../../src/core/sample/school';
import { loadBuiltProject } from '../helpers/project';
import { putSampleSchool } from '../helpers/sampleSpreadsheet';
import { ARTIFACTS, launchBrowser } from './helpers';

const PHONE = { width: 390, height: 844 };

test("a Head of Year's weekly email fits a phone: no sideways scroll, a few screens", async () => {
  const school = generateSchool({ seed: 1, students: 900, startDate: '2025-09-01', schoolDays: 60, preset: 'uk' });
  const today = school.schoolDays[school.schoolDays.length - 1]!; // Fri 28 Nov 2025
  const emu = createEmulator({ users: ['owner@school.example'], now: new Date(`${today}T17:00:00Z`) });
  const sample = putSampleSchool(emu, { school });
  loadBuiltProject(emu);
  await emu.rpc('runWeeklyNow', [], sample.staffOf('AL').email);
  const hoy = sample.staffOf('HOY');
  const mail = emu.mail.outbox.find((m) => m.to === hoy.email);
  expect(mail?.htmlBody).toBeDefined();

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 1 });
    await page.setContent(mail!.htmlBody!, { waitUntil: 'load' });
    const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
    const file = path.join(ARTIFACTS, 'weekly-email-hoy-phone.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(size.width).toBeLessThanOrEqual(PHONE.width);
    // "A few phone screens": at most five screens of a 390 × 844 phone.
    expect(size.height).toBeLessThanOrEqual(5 * PHONE.height);
  } finally {
    await browser.close();
  }
}, 120_000);
