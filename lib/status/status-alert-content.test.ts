import { beforeAll, describe, expect, it } from 'vitest';
import { statusAlertMail } from '@/lib/mail/templates/status-alert';
import { statusSubscriptionConfirmMail } from '@/lib/mail/templates/status-subscription-confirm';
import { statusAlertContent } from '@/lib/status/status-alert-content';

beforeAll(() => {
  process.env.APP_URL ??= 'http://localhost:3000';
});

describe('status mail templates', () => {
  it('an incident alert names the state, the message and the components, with a one-click unsubscribe', () => {
    const content = statusAlertContent({
      kind: 'incident-opened',
      title: 'Sign-in <slow>',
      impact: 'PARTIAL_OUTAGE',
      status: 'INVESTIGATING',
      message: 'Some people cannot <b>sign in</b>.',
      components: ['Sign-in'],
    });
    const mail = statusAlertMail('a@example.com', content, { subscriberId: 'x', unsubscribePath: '/status/unsubscribe?s=x&t=y' });
    expect(mail.template).toBe('status-incident-opened');
    expect(mail.subject).toBe('[CareNotes status] Incident: Sign-in <slow>');
    expect(mail.text).toContain('Investigating: Some people cannot <b>sign in</b>.');
    expect(mail.text).toContain('Affects: Sign-in.');
    expect(mail.text).toContain('/status/unsubscribe?s=x&t=y');
    expect(mail.html).toContain('cannot &lt;b&gt;sign in&lt;/b&gt;.');
    expect(mail.html).not.toContain('<b>');
    expect(mail.headers).toEqual({
      'List-Unsubscribe': expect.stringMatching(/^<https?:\/\/[^>]+\/status\/unsubscribe\?s=x&t=y>$/),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    });
  });

  it('a maintenance alert gives the window in UTC and says whether sign-in works', () => {
    const content = statusAlertContent({
      kind: 'maintenance-scheduled',
      title: 'Database upgrade',
      description: 'Faster search afterwards.',
      startsAt: new Date('2026-12-01T02:00:00Z'),
      endsAt: new Date('2026-12-01T04:30:00Z'),
      blocksSignIn: true,
      components: ['Sign-in', 'API'],
    });
    expect(content.template).toBe('status-maintenance-scheduled');
    expect(content.paragraphs).toEqual([
      'From Dec 1, 2026, 2:00 AM UTC to Dec 1, 2026, 4:30 AM UTC.',
      'Faster search afterwards.',
      'Sign-in to CareNotes is not possible during this time.',
      'Affects: Sign-in, API.',
    ]);
  });

  it('the confirmation asks to confirm, says for how long the link works, and carries no unsubscribe header', () => {
    const mail = statusSubscriptionConfirmMail('a@example.com', '/status/subscribe/confirm?s=x&t=y', 7);
    expect(mail.text).toContain('confirm your subscription within 7 days');
    expect(mail.template).toBe('status-subscription-confirm');
    expect(mail.text).toContain('Confirm my subscription: http');
    expect(mail.text).toContain('/status/subscribe/confirm?s=x&t=y');
    expect(mail.headers).not.toHaveProperty('List-Unsubscribe');
  });
});
