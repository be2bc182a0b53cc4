/** Conformance: MailApp (§3, M1.x). */
import { emulatorWith, thrown } from './helpers';

const code = `
  function send3(to) { MailApp.sendEmail(to, 'Subject', 'Body'); return MailApp.getRemainingDailyQuota(); }
  function sendOpts(to, opts) { MailApp.sendEmail(to, 'Subject', 'Body', opts); }
  function sendReplyTo() { MailApp.sendEmail('a@s.example', 'office@s.example', 'Subj', 'Body'); }
  function sendMessage(m) { MailApp.sendEmail(m); }
  function sendWithPdf() {
    var blob = Utilities.newBlob('Dear parent', 'text/plain', 'letter.txt');
    MailApp.sendEmail({ to: 'p@home.example', subject: 'Letter', body: 'see attached', htmlBody: '<p>see attached</p>', name: 'Attendance Office', attachments: [blob] });
  }
  function badArgs() { MailApp.sendEmail(1, 2); }
`;

describe('M1 MailApp', () => {
  test('M1.1 the four overloads record to, cc, bcc, replyTo, subject, body, htmlBody, name and the sender', () => {
    const emu = emulatorWith(code, { users: ['al@s.example'] });
    emu.run('send3', ['x@s.example']);
    emu.run('sendOpts', ['y@s.example', { cc: 'c1@s.example, c2@s.example', bcc: 'b@s.example', replyTo: 'r@s.example' }]);
    emu.run('sendReplyTo');
    emu.run('sendMessage', [{ to: 'z@s.example', subject: 'S', body: 'B', htmlBody: '<b>B</b>', name: 'School' }]);
    const [a, b, c, d] = emu.mail.outbox;
    expect(a).toMatchObject({ to: 'x@s.example', subject: 'Subject', body: 'Body', from: 'al@s.example', recipients: 1 });
    expect(b).toMatchObject({ cc: 'c1@s.example, c2@s.example', bcc: 'b@s.example', replyTo: 'r@s.example', recipients: 4 });
    expect(c).toMatchObject({ to: 'a@s.example', replyTo: 'office@s.example', subject: 'Subj' });
    expect(d).toMatchObject({ htmlBody: '<b>B</b>', name: 'School' });
    expect(a.at).toBeInstanceOf(Date);
  });
  test('M1.3 each address in to+cc+bcc counts against the daily quota; getRemainingDailyQuota reflects it', () => {
    const emu = emulatorWith(code);
    expect(emu.mail.remaining()).toBe(100); // E0.5 consumer
    emu.run('sendOpts', ['a@s.example,b@s.example', { cc: 'c@s.example', bcc: 'a@s.example' }]);
    expect(emu.mail.remaining()).toBe(96);
    expect(emulatorWith(code, { account: 'workspace' }).mail.remaining()).toBe(1500);
  });
  test('M1.4 daily quota exhausted → "Service invoked too many times for one day: email." and nothing is sent or charged', () => {
    const emu = emulatorWith(code);
    emu.mail.setRemaining(1);
    expect(thrown(() => emu.run('sendOpts', ['a@s.example', { cc: 'b@s.example' }])).message).toBe('Service invoked too many times for one day: email.');
    expect(emu.mail.outbox).toHaveLength(0);
    expect(emu.mail.remaining()).toBe(1);
    expect(emu.run('send3', ['a@s.example'])).toBe(0);
  });
  test('E0.5 the quota refills 24 h after the first use', () => {
    const emu = emulatorWith(code);
    emu.mail.setRemaining(0);
    emu.clock.advance(24 * 3600 * 1000);
    expect(emu.mail.remaining()).toBe(100);
  });
  test('M1.4 more than 50 recipients in one message → "Limit Exceeded: Email Recipients Per Message."', () => {
    const emu = emulatorWith(code);
    const to = Array.from({ length: 51 }, (_, i) => `p${i}@s.example`).join(',');
    expect(thrown(() => emu.run('send3', [to])).message).toBe('Limit Exceeded: Email Recipients Per Message.');
    expect(emu.mail.remaining()).toBe(100);
  });
  test('M1.4 a malformed address → "Invalid email: <address>", checked before the per-message limit', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('send3', ['foo@'])).message).toBe('Invalid email: foo@');
    const many = [...Array.from({ length: 60 }, (_, i) => `p${i}@s.example`), 'bad'].join(',');
    expect(thrown(() => emu.run('send3', [many])).message).toBe('Invalid email: bad');
    expect(thrown(() => emu.run('sendOpts', ['ok@s.example', { replyTo: 'nope' }])).message).toBe('Invalid email: nope');
  });
  test('M1.4 no recipient → "Failed to send email: no recipient"', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('send3', [''])).message).toBe('Failed to send email: no recipient');
  });
  test('M1.4 body over 200 KB (consumer) → "Limit Exceeded: Email Body Size."', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('sendMessage', [{ to: 'a@s.example', subject: 's', body: 'x'.repeat(200 * 1024 + 1) }])).message).toBe('Limit Exceeded: Email Body Size.');
  });
  test('M1.1 wrong arguments → signature error (E0.2)', () => {
    const emu = emulatorWith(code);
    expect(thrown(() => emu.run('badArgs')).message).toMatch(/don't match the method signature for MailApp\.sendEmail\.$/);
  });
  test('attachments are copied bytes with name, type and readable text', () => {
    const emu = emulatorWith(code);
    emu.run('sendWithPdf');
    const [att] = emu.mail.outbox[0].attachments;
    expect(att).toMatchObject({ name: 'letter.txt', contentType: 'text/plain', text: 'Dear parent' });
    expect(Buffer.from(att.bytes).toString()).toBe('Dear parent');
  });
});
