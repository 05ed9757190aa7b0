import { describe, expect, it } from 'vitest';
import { secondFactorChangedMail } from './second-factor-changed';

const WHEN = new Date('2026-12-06T10:00:00Z');

describe('secondFactorChangedMail', () => {
  it('sends vendor staff to the team that runs the portal, never to a provider administrator they do not have (review r41i F2)', () => {
    const mail = secondFactorChangedMail({ email: 'vera@vendor.example', displayName: 'Vera', vendor: true }, 'passkey added', WHEN);
    expect(mail.text).toContain('If you did this, you do not need to do anything.');
    expect(mail.text).toContain('tell the team that runs CareNotes password help now');
    expect(mail.text).not.toMatch(/provider administrator|agency/);
    expect(mail.text).not.toContain('/help#contact-admin');
  });

  it('tells an agency account of its administrators, and an agency’s only administrator of the super-admin request', () => {
    const mail = secondFactorChangedMail({ email: 'pat@agency.example', displayName: 'Pat' }, 'authenticator app added', WHEN);
    expect(mail.text).toContain('contact your agency’s CareNotes administrator now');
    expect(mail.text).toContain('If you are your agency’s only administrator, send a super administrator password reset request');
    expect(mail.text).toContain('/help#contact-admin');
  });

  it('does not say “if you did this” of a clearing someone else ran', () => {
    const mail = secondFactorChangedMail({ email: 'vera@vendor.example', displayName: 'Vera', vendor: true }, 'second factors cleared and password replaced by an administrator', WHEN);
    expect(mail.text).toContain('If you asked for this, sign in with the new password the team gave you, and add a second factor.');
    expect(mail.text).toContain('If you did not ask for this, tell the team');
    expect(mail.text).not.toContain('If you did this');
  });
});
