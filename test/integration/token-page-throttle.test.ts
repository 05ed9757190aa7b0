import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { SENT_PATH_HEADER } from '@/lib/http/request-context';
import { hashSecretToken, newSecretToken } from '@/lib/password-reset/secret-token';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
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
  return { token, used: async () => !!(await db().passwordResetToken.findUniqueOrThrow({ where: { tokenHash: hashSecretToken(token) } })).usedAt };
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

describe('token pages over the per-address limit', () => {
  it('[ANONYMOUS] submitting a right reset link gets exactly the wrong link’s answer, and the link stays unused', async () => {
    const { token, used } = await resetLink();
    const ip = someIp();
    const wrong = await resetPasswordWithLink(newSecretToken(), NEW_PASSWORD, NEW_PASSWORD, someIp());
    await overTheLimit(ip);
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip)).toEqual(wrong);
    expect(await used()).toBe(false);
    expect((await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp())).ok).toBe(true);
  });

  it('[ANONYMOUS] pressing “cancel” with a right link gets exactly the wrong link’s answer, and the request stays open', async () => {
    const { token, state } = await openRequestWithCancelLink();
    const ip = someIp();
    const wrong = await cancelRequest(newSecretToken(), someIp());
    await overTheLimit(ip);
    expect(await cancelRequest(token, ip)).toEqual(wrong);
    expect(await state()).toBe('SUBMITTED');
    expect((await cancelRequest(token, someIp())).ok).toBe(true);
  });

  it('[ANONYMOUS] a burst of wrong reset links sent at once from one address still reaches the limit', async () => {
    const { token, used } = await resetLink();
    const ip = someIp();
    const answers = await Promise.all(Array.from({ length: RULE.limit + 5 }, () => resetPasswordWithLink(newSecretToken(), NEW_PASSWORD, NEW_PASSWORD, ip)));
    expect(answers.every((a) => a.linkInvalid)).toBe(true);
    const refused = await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip);
    expect(refused).toEqual(answers[0]);
    expect(await used()).toBe(false);
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
