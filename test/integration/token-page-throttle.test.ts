import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { SENT_PATH_HEADER } from '@/lib/http/request-context';
import { hashSecretToken, newSecretToken } from '@/lib/password-reset/secret-token';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { unsubscribePath } from '@/lib/status/subscription-token';
import { cancelRequest } from '@/lib/super-admin/cancel-request';
import { createAgency, createSuperAdminRequest, createUser, uniqueSuffix } from '@/prisma/factories';
import { NEW_PASSWORD, PASSWORD, someIp } from './super-admin-fixtures';

const RULE = RATE_LIMITS.tokenPagePerAddress;

async function overTheLimit(ip: string) {
  await db().rateLimitBucket.create({ data: { key: `${RULE.name}:${ip}`, windowStart: new Date(), count: RULE.limit } });
}

async function resetLink() {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { email: null });
  const { token } = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
  return { token, user, used: async () => !!(await db().passwordResetToken.findUniqueOrThrow({ where: { tokenHash: hashSecretToken(token) } })).usedAt };
}

async function openRequestWithCancelLink() {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { email: null });
  const { request, cancelToken: token } = await createSuperAdminRequest(db(), agency, user);
  return { token, state: async () => (await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state };
}

async function confirmedSubscriber() {
  const email = `sub.${uniqueSuffix()}@example.com`;
  const subscriber = await db().statusSubscriber.create({ data: { email, emailKey: email, confirmedAt: new Date() } });
  return { id: subscriber.id, path: unsubscribePath(subscriber.id), unsubscribed: async () => !!(await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt };
}

/** What a mail provider's server sends (RFC 8058), from the given address, as server.mjs passes it on. */
async function oneClick(path: string, ip: string) {
  const { POST } = await import('@/app/(public)/status/unsubscribe/route');
  const url = new URL(path, 'http://localhost:3000');
  const response = await POST(
    new Request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-portal-client-ip': ip,
        [SENT_PATH_HEADER]: url.pathname,
        origin: 'https://mail.example.net',
      },
      body: 'List-Unsubscribe=One-Click',
    }),
  );
  return { status: response.status, body: await response.text() };
}

const refusals = (action: string, ip: string) => db().auditEvent.count({ where: { action, ip } });
const counted = async (ip: string) => (await db().rateLimitBucket.findUnique({ where: { key: `${RULE.name}:${ip}` } }))?.count ?? 0;

// Only a wrong link is counted on its address, and audited within the address's budget; a right link
// always goes on, whatever the address did (lib/rate-limit/token-pages.ts, review r44c F1).
describe('secret-link pages from an address over the limit', () => {
  it('[ANONYMOUS] a right reset link sets the password, and is not counted', async () => {
    const { token, used } = await resetLink();
    const ip = someIp();
    await overTheLimit(ip);
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip)).toMatchObject({ ok: true });
    expect(await used()).toBe(true);
    expect(await counted(ip)).toBe(RULE.limit);
  });

  it('[ANONYMOUS] pressing “cancel” with a right link cancels the request, and is not counted', async () => {
    const { token, state } = await openRequestWithCancelLink();
    const ip = someIp();
    await overTheLimit(ip);
    expect((await cancelRequest(token, ip)).ok).toBe(true);
    expect(await state()).toBe('CANCELLED');
    expect(await counted(ip)).toBe(RULE.limit);
  });

  it('[ANONYMOUS] wrong reset links sent at once past the budget get the same answer but no audit record, and the right link then works from that address', async () => {
    const { token, used } = await resetLink();
    const ip = someIp();
    const wrong = await resetPasswordWithLink(newSecretToken(), NEW_PASSWORD, NEW_PASSWORD, someIp());
    const answers = await Promise.all(Array.from({ length: RULE.limit + 5 }, () => resetPasswordWithLink(newSecretToken(), NEW_PASSWORD, NEW_PASSWORD, ip)));
    for (const answer of answers) expect(answer).toEqual(wrong);
    expect(await refusals('RESET_LINK_REFUSED', ip)).toBe(RULE.limit);
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip)).toMatchObject({ ok: true });
    expect(await used()).toBe(true);
  });

  it('[ANONYMOUS] wrong cancel links sent at once past the budget get the same answer but no audit record, and the right link then cancels from that address', async () => {
    const { token, state } = await openRequestWithCancelLink();
    const ip = someIp();
    const wrong = await cancelRequest(newSecretToken(), someIp());
    const answers = await Promise.all(Array.from({ length: RULE.limit + 5 }, () => cancelRequest(newSecretToken(), ip)));
    for (const answer of answers) expect(answer).toEqual(wrong);
    expect(await refusals('SUPER_ADMIN_RESET_CANCEL_REFUSED', ip)).toBe(RULE.limit);
    expect((await cancelRequest(token, ip)).ok).toBe(true);
    expect(await state()).toBe('CANCELLED');
  });

  it('[ANONYMOUS] a cancel link on record that can cancel nothing any more, pressed again and again, is a wrong link: counted, and audited only within the budget (review r44e F1)', async () => {
    const { token, state } = await openRequestWithCancelLink();
    const ip = someIp();
    expect((await cancelRequest(token, ip)).ok).toBe(true);
    const wrong = await cancelRequest(newSecretToken(), someIp());
    for (let i = 0; i < RULE.limit + 5; i += 1) expect(await cancelRequest(token, ip)).toEqual(wrong);
    // The first refused press is always on the record (review r44g F4); the repeats within the budget only.
    expect(await db().auditEvent.count({ where: { action: 'SUPER_ADMIN_RESET_CANCELLED', outcome: 'DENIED', ip } })).toBe(1 + RULE.limit);
    expect(await db().auditEvent.count({ where: { action: 'SUPER_ADMIN_RESET_CANCELLED', outcome: 'SUCCESS', ip } })).toBe(1);
    expect(await counted(ip)).toBe(RULE.limit + 4);
    expect(await state()).toBe('CANCELLED');
  });

  it('[OWNER pressing “this wasn’t me” too late, from an office whose address a flood spent] is on the record all the same, once (review r44g F4)', async () => {
    const { token } = await openRequestWithCancelLink();
    expect((await cancelRequest(token, someIp())).ok).toBe(true);
    const office = someIp();
    for (let i = 0; i < RULE.limit; i += 1) await cancelRequest(newSecretToken(), office);
    const refusedPresses = () => db().auditEvent.count({ where: { action: 'SUPER_ADMIN_RESET_CANCELLED', outcome: 'DENIED', ip: office } });
    expect((await cancelRequest(token, office)).ok).toBe(false);
    expect(await refusedPresses()).toBe(1);
    expect((await cancelRequest(token, office)).ok).toBe(false);
    expect(await refusedPresses()).toBe(1);
  });

  it('[HOLDER of a live reset link] sending passwords the history refuses, again and again, is bounded per link; the link stays usable (review r44e F2)', async () => {
    const { token, used } = await resetLink();
    const ip = someIp();
    const { limit } = RATE_LIMITS.resetLinkHistoryChecksPerLink;
    // The account's own password: each try costs the history check's argon2 work, and leaves the link unused.
    for (let i = 0; i < limit; i += 1) expect(await resetPasswordWithLink(token, PASSWORD, PASSWORD, ip)).toMatchObject({ ok: false, message: 'Choose a password you have not used recently.' });
    expect(await resetPasswordWithLink(token, PASSWORD, PASSWORD, someIp())).toMatchObject({ ok: false, message: expect.stringContaining('Too many attempts') });
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: false, message: expect.stringContaining('your link still works') });
    expect(await used()).toBe(false);
    expect(await counted(ip)).toBe(0);
    // Fifteen minutes later (the window forgotten), a new password sets it.
    await db().rateLimitBucket.deleteMany({ where: { key: { startsWith: `${RATE_LIMITS.resetLinkHistoryChecksPerLink.name}:` } } });
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip)).toMatchObject({ ok: true });
    expect(await used()).toBe(true);
  });

  it('[INTRUDER holding a session of the account] spending its budget of password changes does not hold off the owner’s reset link (review r44g F1)', async () => {
    const { token, user, used } = await resetLink();
    const { limit } = RATE_LIMITS.passwordChangePerUser;
    for (let i = 0; i <= limit; i += 1) await consumeRateLimit(db(), RATE_LIMITS.passwordChangePerUser, user.id);
    expect((await consumeRateLimit(db(), RATE_LIMITS.passwordChangePerUser, user.id)).limited).toBe(true);
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: true });
    expect(await used()).toBe(true);
  });

  it('[ANONYMOUS] a right reset link’s new passwords that the policy refuses are not counted on the address', async () => {
    const { token, used } = await resetLink();
    const ip = someIp();
    for (let i = 0; i < RULE.limit + 5; i += 1) {
      const answer = i % 2 ? await resetPasswordWithLink(token, 'short', 'short', ip) : await resetPasswordWithLink(token, NEW_PASSWORD, 'a typo', ip);
      expect(answer).toMatchObject({ ok: false, fieldErrors: expect.any(Object) });
      expect(answer).not.toHaveProperty('linkInvalid');
    }
    expect(await counted(ip)).toBe(0);
    expect(await used()).toBe(false);
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip)).toMatchObject({ ok: true });
    expect(await used()).toBe(true);
  });
});

describe('RFC 8058 one-click unsubscribe', () => {
  it('[MAIL PROVIDER] unsubscribes many subscribers from one address: right links do not count against the limit', async () => {
    const ip = someIp();
    const subscribers = await Promise.all(Array.from({ length: RULE.limit + 10 }, () => confirmedSubscriber()));
    for (const subscriber of subscribers) expect(await oneClick(subscriber.path, ip)).toEqual({ status: 200, body: 'Unsubscribed.\n' });
    for (const subscriber of subscribers) expect(await subscriber.unsubscribed()).toBe(true);
  });

  it('[ANONYMOUS] forged links, however many and from one address, never turn away the right one', async () => {
    const ip = someIp();
    const subscriber = await confirmedSubscriber();
    const forged = subscriber.path.replace(/t=[^&]+/, `t=${'A'.repeat(43)}`);
    const answers = await Promise.all(Array.from({ length: RULE.limit + 10 }, () => oneClick(forged, ip)));
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ status: 400, body: 'This unsubscribe link is not valid.\n' })]));
    expect(await subscriber.unsubscribed()).toBe(false);
    expect(await oneClick(subscriber.path, ip)).toEqual({ status: 200, body: 'Unsubscribed.\n' });
    expect(await subscriber.unsubscribed()).toBe(true);
    // Nothing of the forged posts was stored.
    expect(await db().rateLimitBucket.count({ where: { key: { contains: ip } } })).toBe(0);
  });

  it('[ATTACKER] wrong one-click links, which any site can make a visitor’s browser send, spend none of the tries of the secret-link pages', async () => {
    const ip = someIp();
    const subscriber = await confirmedSubscriber();
    const forged = subscriber.path.replace(/t=[^&]+/, `t=${'A'.repeat(43)}`);
    for (let i = 0; i < RULE.limit + 5; i += 1) await oneClick(forged, ip);
    const { token, used } = await resetLink();
    const cancel = await openRequestWithCancelLink();
    expect((await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip)).ok).toBe(true);
    expect(await used()).toBe(true);
    expect((await cancelRequest(cancel.token, ip)).ok).toBe(true);
    expect(await cancel.state()).toBe('CANCELLED');
  });
});
