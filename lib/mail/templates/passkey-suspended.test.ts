import { describe, expect, it } from 'vitest';
import { passkeySuspendedMail } from './passkey-suspended';

const WHEN = new Date('2026-12-08T10:00:00Z');

describe('passkeySuspendedMail', () => {
  it('names the passkey, says a copy may exist and that it is suspended, and asks for a new one before the old one goes', () => {
    const mail = passkeySuspendedMail({ email: 'pat@agency.example', displayName: 'Pat', timeZone: 'America/New_York' }, 'Work laptop', WHEN);
    expect(mail.template).toBe('passkey-suspended');
    expect(mail.subject).toBe('A copy of your CareNotes passkey may exist');
    expect(mail.text).toContain('your passkey “Work laptop” was used with a count lower than at an earlier use');
    expect(mail.text).toContain('neither it nor any copy of it can sign in or confirm anything now');
    expect(mail.text).toContain('add a new passkey, then remove “Work laptop”');
    expect(mail.text).toContain('contact your agency’s CareNotes administrator');
    expect(mail.text).toMatch(/Open Sign-in security: https?:\/\/[^\s]+\/account\/security/);
    expect(mail.text).not.toMatch(/guessing/);
    // An admin held to passkeys has no app code to fall back on: the mail does not promise one (review r55h M2).
    expect(mail.text).toContain('and so does your authenticator app unless your agency requires administrators to use passkeys.');
  });

  it('sends vendor staff to their own security page and to the team that runs the portal', () => {
    const mail = passkeySuspendedMail({ email: 'vera@vendor.example', displayName: 'Vera', vendor: true }, 'Key <b>', WHEN);
    expect(mail.text).toMatch(/\/vendor\/security/);
    expect(mail.text).toContain('tell the team that runs CareNotes password help');
    expect(mail.text).not.toMatch(/agency|provider administrator/);
    // The name its owner chose is text, never markup.
    expect(mail.html).toContain('Key &lt;b&gt;');
  });
});
