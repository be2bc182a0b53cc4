import { keepLetters, letterSchool, parallelSend } from '../test/helpers/lettersSchool';
(async () => {
  const { emu, al, school } = letterSchool({ seed: 11, students: 400 });
  const admin = school.staff.find((s) => s.role === 'Admin')!.email;
  await keepLetters(emu, al, 60);
  const t = Date.now();
  const r = parallelSend(emu, [al, admin], { workers: 2, seed: 5, startAfterMs: [0, 200] });
  console.log('real', Date.now() - t, 'wall', r.wallMs, r.errors, r.runIds, emu.mail.outbox.length);
  console.log(r.responses.map((x) => `${x.runId} ${x.sent}/${x.remaining}/${x.inFlight} ${x.done} ${x.stoppedBecause} ${x.message.slice(0, 120)}`).join('\n'));
  process.exit(0);
})();
