import { describe, expect, it } from 'vitest';
import { passwordChangedMail } from './password-changed';
import { passwordResetByAdminMail } from './password-reset-by-admin';
import { signInSprayAlertMail } from './sign-in-spray-alert';

process.env.APP_URL ??= 'http://localhost:3000';

const WHEN = new Date('2026-12-01T14:05:00Z');
const TO = { email: 'ben@solocare.example', displayName: 'Ben Ortiz', agencyName: 'Solo Care Texas' };

describe('mails to an agency give times in its zone, naming it', () => {
  it('uses the agency’s zone when given, UTC (named) otherwise', () => {
    expect(passwordChangedMail({ ...TO, timeZone: 'America/Chicago' }, WHEN).text).toContain('on Dec 1, 2026, 8:05 AM CST.');
    expect(passwordResetByAdminMail({ ...TO, timeZone: 'America/New_York' }, 'Olga Owens', WHEN).text).toContain('on Dec 1, 2026, 9:05 AM EST.');
    expect(passwordChangedMail(TO, WHEN).text).toContain('on Dec 1, 2026, 2:05 PM UTC.');
    const spray = signInSprayAlertMail({ ...TO, timeZone: 'America/Chicago' }, { accounts: 12, attempts: 40, addresses: [], since: new Date('2026-12-01T13:55:00Z') }, WHEN);
    expect(spray.text).toContain('Since Dec 1, 2026, 7:55 AM CST');
  });
});
