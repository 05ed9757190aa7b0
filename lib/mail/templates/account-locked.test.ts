import { describe, expect, it } from 'vitest';
import { accountLockedMail, type AccountLock } from './account-locked';

const LOCK: AccountLock = { until: null, failures: 10, fromAddress: '203.0.113.7', fromKnownBrowser: false, otherBrowsersLocked: false, setBy: 'guesses', temporaryPasswordOpen: false, secondFactor: false };
const AGENCY_OWNER = { email: 'pat@agency.example', displayName: 'Pat' };
const VENDOR_OWNER = { email: 'vera@vendor.example', displayName: 'Vera' };

describe('accountLockedMail: what the tries prove, said to an owner who did not make them', () => {
  it('asks vendor staff to have their password replaced by the team that runs the portal, never of an agency or its administrator', () => {
    for (const setBy of ['codes after the password', 'a signed-in session'] as const) {
      const mail = accountLockedMail(VENDOR_OWNER, { ...LOCK, setBy }, 'vendor');
      expect(mail.text).toContain('ask the colleague who runs the CareNotes password help portal to replace your password now');
      expect(mail.text).not.toMatch(/provider administrator|agency/);
    }
  });

  it('asks agency staff to have their password reset, and tells a lone super administrator where to ask', () => {
    const mail = accountLockedMail(AGENCY_OWNER, { ...LOCK, setBy: 'codes after the password' }, 'agency');
    expect(mail.text).toContain('someone knows your password: it was typed right, then the codes were wrong');
    expect(mail.text).toContain('ask your provider administrator to reset your password now');
    expect(mail.text).toContain('if you are your agency’s only super administrator, ask CareNotes for a reset link');
  });

  it('says a session signed in as the account made the tries, and that the reset signs every browser out', () => {
    const mail = accountLockedMail(AGENCY_OWNER, { ...LOCK, setBy: 'a signed-in session' }, 'agency');
    expect(mail.text).toContain('The wrong tries came from a browser signed in to your account.');
    expect(mail.text).toContain('which signs out every browser');
    expect(mail.text).not.toContain('Nobody signed in');
  });

  it('tells of a stranger’s guesses that nobody signed in and the password still works', () => {
    const mail = accountLockedMail(VENDOR_OWNER, LOCK, 'vendor');
    expect(mail.text).toContain('someone may be guessing at your password. Nobody signed in');
    expect(mail.text).not.toContain('replace your password now');
  });

  it('sends the owner of an open temporary password to it, not to a browser known to the account, which the admin’s reset ended (review r53b F2)', () => {
    const mail = accountLockedMail(AGENCY_OWNER, { ...LOCK, temporaryPasswordOpen: true }, 'agency');
    expect(mail.text).toContain('The temporary password your administrator gave you still opens your account from any browser');
    expect(mail.text).not.toContain('where you have signed in to it before');
    const withFactor = accountLockedMail(AGENCY_OWNER, { ...LOCK, temporaryPasswordOpen: true, secondFactor: true }, 'agency');
    expect(withFactor.text).toContain('no browser can finish signing in to your account, not even with the temporary password');
    expect(withFactor.text).not.toContain('still opens your account');
    expect(accountLockedMail(AGENCY_OWNER, LOCK, 'agency').text).toContain('where you have signed in to it before, you can still sign in');
  });
});
