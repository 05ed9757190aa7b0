import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, loosenedSettings, policyChanges, type AgencyPolicy } from '@/lib/policy/agency-policy';

const STRICT: AgencyPolicy = { ...DEFAULT_POLICY, onlySuperAdminsResetAdmins: true, requireSecondFactorForAllStaff: true, requirePasskeyForAdmins: true };

describe('which way a policy setting is less strict (review r55g F1)', () => {
  it('a shorter or less remembered password, more guesses before a lock, longer-lived resets, a quieter spray alert, a rule turned off', () => {
    const looser: Array<[keyof AgencyPolicy, AgencyPolicy[keyof AgencyPolicy]]> = [
      ['minPasswordLength', 14],
      ['passwordHistoryCount', 4],
      ['softLockThreshold', 6],
      ['hardLockThreshold', 21],
      ['temporaryPasswordHours', 73],
      ['resetLinkHours', 25],
      ['signInAlertThreshold', 11],
      ['onlySuperAdminsResetAdmins', false],
      ['requireSecondFactorForAllStaff', false],
      ['requirePasskeyForAdmins', false],
    ];
    for (const [setting, value] of looser) expect(loosenedSettings(STRICT, { ...STRICT, [setting]: value }), setting).toEqual([setting]);
  });

  it('the other way, and the time zone, are not', () => {
    const stricter: Partial<AgencyPolicy> = { minPasswordLength: 16, passwordHistoryCount: 6, softLockThreshold: 4, hardLockThreshold: 19, temporaryPasswordHours: 71, resetLinkHours: 23, signInAlertThreshold: 9, timeZone: 'America/Chicago' };
    expect(loosenedSettings(DEFAULT_POLICY, { ...DEFAULT_POLICY, ...stricter, onlySuperAdminsResetAdmins: true, requireSecondFactorForAllStaff: true, requirePasskeyForAdmins: true })).toEqual([]);
    expect(loosenedSettings(STRICT, STRICT)).toEqual([]);
  });

  it('says each change in words, before and after, marking the less strict ones', () => {
    expect(policyChanges(STRICT, { ...STRICT, minPasswordLength: 20, requirePasskeyForAdmins: false, timeZone: 'America/New_York' })).toEqual([
      { setting: 'minPasswordLength', label: 'Minimum password length', from: '15', to: '20', looser: false },
      { setting: 'requirePasskeyForAdmins', label: expect.stringMatching(/^Administrators must sign in with a passkey/), from: 'on', to: 'off', looser: true },
      { setting: 'timeZone', label: 'Time zone', from: 'UTC', to: 'America/New York', looser: false },
    ]);
  });
});
