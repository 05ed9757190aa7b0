import { describe, expect, it } from 'vitest';
import { accountLockedMail, type AccountLock } from './account-locked';

const LOCK: AccountLock = { until: null, failures: 10, fromAddress: '203.0.113.7', fromKnownBrowser: false, otherBrowsersLocked: false, setBy: 'guesses' };
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
});
