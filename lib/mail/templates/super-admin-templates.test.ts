import { describe, expect, it } from 'vitest';
import { mailMessageSchema } from '@/lib/mail/outbox';
import { resetLinkMail } from './reset-link';
import { superAdminNeedsInfoMail } from './super-admin-needs-info';
import { superAdminRejectedMail } from './super-admin-rejected';
import { superAdminRequestNoticeMail } from './super-admin-request-notice';
import { superAdminResetCompletedMail } from './super-admin-reset-completed';
import { formatWhen } from './super-admin-shared';

const TOKEN = 'q'.repeat(43);
const WHEN = new Date('2026-11-27T14:05:00Z');
const account = { displayName: 'Olga Owens', loginName: 'olga.owner' };
const agency = { name: 'Solo Care Texas', code: 'SOLO-TX', timeZone: 'America/Chicago' };

describe('super-admin and reset-link mail', () => {
  it('names the time in UTC on the vendor’s pages', () => {
    expect(formatWhen(WHEN)).toBe('Nov 27, 2026, 2:05 PM UTC');
  });

  it('the request notice carries an absolute "this wasn’t me" link, is sealed, and names the account from the record', () => {
    const mail = superAdminRequestNoticeMail({ to: 'olga@solocare.example', toAccountHolder: true, account, agency, reference: '7K3QZ-M4T9P', submittedAt: WHEN, cancelToken: TOKEN });
    expect(mail).toMatchObject({ template: 'super-admin-request-notice', to: 'olga@solocare.example', sensitive: true });
    expect(mail.text).toContain(`http://localhost:3000/super-admin-reset/cancel/${TOKEN}`);
    expect(mail.text).toContain('7K3QZ-M4T9P');
    expect(mail.text).toContain('olga.owner at Solo Care Texas (SOLO-TX)');
    expect(mail.text).toContain('On Nov 27, 2026, 8:05 AM CST, someone filed');
    expect(mailMessageSchema.safeParse(mail).success).toBe(true);
  });

  it('the notice to another admin says whose account it is about', () => {
    const mail = superAdminRequestNoticeMail({ to: 'pat@solocare.example', toAccountHolder: false, account, agency, reference: '7K3QZ-M4T9P', submittedAt: WHEN, cancelToken: TOKEN });
    expect(mail.subject).toBe('Someone asked CareNotes to reset the password of Olga Owens');
  });

  it('a re-filed request’s notice names the filings it holds, so the owner can recognise hers; an ordinary one names none', () => {
    const refiled = { account, agency, reference: '7K3QZ-M4T9P', submittedAt: WHEN, cancelToken: TOKEN, gathers: { total: 2, earliest: ['7K3QZ-M4T9P', 'B2C3D-E4F5G'], latest: [] } };
    const toHer = superAdminRequestNoticeMail({ ...refiled, to: 'olga@solocare.example', toAccountHolder: true });
    expect(toHer.text).toContain(
      'This request gathers 2 filings made while an earlier request for your account was open (references 7K3QZ-M4T9P, B2C3D-E4F5G). If one of them is yours, do not cancel:',
    );
    expect(toHer.text).toContain('If you made none of them, cancel the request now');
    const toOthers = superAdminRequestNoticeMail({ ...refiled, to: 'pat@solocare.example', toAccountHolder: false });
    expect(toOthers.text).toContain('an earlier request for this account was open (references 7K3QZ-M4T9P, B2C3D-E4F5G). If one of them is theirs, do not cancel:');
    const alone = superAdminRequestNoticeMail({ ...refiled, gathers: { total: 1, earliest: ['7K3QZ-M4T9P'], latest: [] }, to: 'olga@solocare.example', toAccountHolder: true });
    expect(alone.text).toContain('was open (reference 7K3QZ-M4T9P). If it is yours, do not cancel:');
    const ordinary = superAdminRequestNoticeMail({ ...refiled, gathers: undefined, to: 'olga@solocare.example', toAccountHolder: true });
    expect(ordinary.text).not.toContain('earlier request');
    expect(ordinary.text).toContain('If you did not ask for this, cancel the request now');
    // Thousands of filings a stranger attached: the earliest and the latest are named, those between counted (reviews r31a F1, r31d).
    const flooded = superAdminRequestNoticeMail({
      ...refiled,
      gathers: { total: 60_000, earliest: ['7K3QZ-M4T9P', 'B2C3D-E4F5G'], latest: ['H7NKB-RSR7Q'] },
      to: 'olga@solocare.example',
      toAccountHolder: true,
    });
    expect(flooded.text).toContain(
      'This request gathers 60,000 filings made while an earlier request for your account was open (references 7K3QZ-M4T9P, B2C3D-E4F5G, then 59,997 more, then H7NKB-RSR7Q).',
    );
  });

  it('the reset link is absolute, sealed, and says when it stops working', () => {
    const mail = resetLinkMail({ to: 'olga@solocare.example', displayName: 'Olga Owens', token: TOKEN, expiresAt: WHEN, timeZone: agency.timeZone, superAdminReference: '7K3QZ-M4T9P' });
    expect(mail).toMatchObject({ template: 'reset-link', sensitive: true });
    expect(mail.text).toContain(`http://localhost:3000/reset/${TOKEN}`);
    expect(mail.html).toContain(`href="http://localhost:3000/reset/${TOKEN}"`);
    expect(mail.text).toContain('until Nov 27, 2026, 8:05 AM CST');
    expect(mail.text).toContain('request 7K3QZ-M4T9P');
  });

  it('an admin’s reset link says who sent it', () => {
    const mail = resetLinkMail({ to: 'j@acme.example', displayName: 'Jordan', token: TOKEN, expiresAt: WHEN, timeZone: 'UTC' });
    expect(mail.text).toContain('An administrator of your agency sent you this link');
  });

  it('escapes what a verifier wrote in the HTML part, and carries no secret', () => {
    const needsInfo = superAdminNeedsInfoMail({ to: 'olga@solocare.example', displayName: 'Olga', reference: '7K3QZ-M4T9P', message: '<script>alert(1)</script>' });
    const rejected = superAdminRejectedMail({ to: 'olga@solocare.example', displayName: 'Olga', reference: '7K3QZ-M4T9P', reason: '<b>no</b>' });
    expect(needsInfo.html).toContain('&lt;script&gt;');
    expect(needsInfo.html).not.toContain('<script>');
    expect(rejected.html).toContain('&lt;b&gt;no&lt;/b&gt;');
    for (const mail of [needsInfo, rejected]) expect(mail.sensitive).toBeUndefined();
  });

  it('quotes what a verifier wrote, as their words, never as the mail’s own sentences', () => {
    const rejected = superAdminRejectedMail({ to: 'olga@solocare.example', displayName: 'Olga', reference: '7K3QZ-M4T9P', reason: 'Identity confirmed.\nPlease call us.' });
    const needsInfo = superAdminNeedsInfoMail({ to: 'olga@solocare.example', displayName: 'Olga', reference: '7K3QZ-M4T9P', message: 'Who is your manager?' });
    expect(rejected.text).toContain('in their words:\n\n> Identity confirmed.\n> Please call us.');
    expect(needsInfo.text).toContain('Their words:\n\n> Who is your manager?');
    for (const mail of [rejected, needsInfo]) expect(mail.html).toMatch(/<blockquote[^>]*>[^<]*(Identity confirmed|Who is your manager)/);
  });

  it('the completion receipt is not sensitive and names the request', () => {
    const mail = superAdminResetCompletedMail({ to: 'pat@solocare.example', toAccountHolder: false, account, agency, reference: '7K3QZ-M4T9P', completedAt: WHEN });
    expect(mail.subject).toBe('The CareNotes password of Olga Owens was changed');
    expect(mail.text).toContain('7K3QZ-M4T9P');
    expect(mail.text).toContain('On Nov 27, 2026, 8:05 AM CST, a new password was set');
    expect(mail.sensitive).toBeUndefined();
  });
});
