// Only what the person does in the portal restarts the 30-minute idle limit of admins and vendor staff (PRODUCT.md):
// a request another site sent is answered without it, and a page asked for as an image is answered as to nobody
// (review r55b F2). The browser sends the session cookie with a sibling subdomain's requests (same site: SameSite=Lax
// lets it go), so an `<img src>` there kept the session open for its whole 12 hours.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { createAgency, createUser, createVendorAccount } from '@/prisma/factories';

const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
// A browser without cookies of ours but the session's: no known-device token (known-browser.ts).
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined }) }));
const signedIn = vi.hoisted(() => ({ session: null as { sid: string } | null }));
vi.mock('next-auth', () => ({ getServerSession: async () => signedIn.session }));

const { getActor, requirePageActor } = await import('@/lib/auth/guards');

const PASSWORD = 'quiet meadow copper bicycle';
const MINUTE = 60_000;

/** What Chromium sends with each kind of request. */
const SENT = {
  // A link followed, or an address typed, in the portal's own tab.
  pageOpenedInThePortal: { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-user': '?1' },
  typedAddress: { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-user': '?1' },
  // `<img src="https://portal/admin">` on a sibling subdomain.
  siblingImage: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
  // `fetch('https://portal/vendor', { credentials: 'include' })` on a sibling subdomain: a script's request, not an image.
  siblingFetch: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' },
  // A link in a webmail's page, followed.
  linkInWebmail: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-user': '?1' },
} as const;

function sending(kind: keyof typeof SENT) {
  requestHeaders.current = new Headers(SENT[kind]);
}

beforeEach(() => {
  signedIn.session = null;
  requestHeaders.current = new Headers();
});

/** A session of the account, last active `minutes` ago, presented by the browser's cookie. */
async function idleFor(sessionId: string, minutes: number): Promise<Date> {
  const lastSeenAt = new Date(Date.now() - minutes * MINUTE);
  await db().authSession.update({ where: { id: sessionId }, data: { lastSeenAt } });
  signedIn.session = { sid: sessionId };
  return lastSeenAt;
}

async function adminSession() {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
  const result = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, '127.0.0.1');
  if (!result.ok) throw new Error('sign-in failed');
  return result.sessionId;
}

const lastSeenAt = async (sessionId: string) => (await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt;

describe('what counts as activity for the idle limit (review r55b F2)', () => {
  it('[PROVIDER_ADMIN] a sibling subdomain’s image of a console page does not restart the idle clock, and gets no page drawn for the admin; a page the admin opens does', async () => {
    const sessionId = await adminSession();
    const idleSince = await idleFor(sessionId, 20);

    sending('siblingImage');
    expect(await getActor()).toBeNull();
    await expect(requirePageActor({ principal: 'agency', roles: ['PROVIDER_ADMIN', 'SUPER_ADMIN'] }, '/admin')).rejects.toMatchObject({
      digest: expect.stringContaining(`/login?callbackUrl=${encodeURIComponent('/admin')}`),
    });
    expect(await lastSeenAt(sessionId)).toEqual(idleSince);

    sending('pageOpenedInThePortal');
    const before = Date.now();
    expect(await getActor()).toMatchObject({ kind: 'agency', role: 'PROVIDER_ADMIN', idleForMs: 0 });
    expect((await lastSeenAt(sessionId)).getTime()).toBeGreaterThanOrEqual(before);
  });

  it('[PROVIDER_ADMIN] a link in a webmail opens the page signed in, but the idle clock runs on from the admin’s last request, and the page says how far', async () => {
    const sessionId = await adminSession();
    const idleSince = await idleFor(sessionId, 20);

    sending('linkInWebmail');
    const actor = await getActor();
    expect(actor).toMatchObject({ kind: 'agency', role: 'PROVIDER_ADMIN' });
    // The tab counts from there (IdleSignOut), not from the page.
    expect(actor!.idleForMs).toBeGreaterThanOrEqual(20 * MINUTE);
    expect(actor!.idleForMs).toBeLessThan(21 * MINUTE);
    expect(await lastSeenAt(sessionId)).toEqual(idleSince);

    // An address typed, or a bookmark, is the person's own.
    sending('typedAddress');
    expect(await getActor()).toMatchObject({ idleForMs: 0 });
    expect((await lastSeenAt(sessionId)).getTime()).toBeGreaterThan(idleSince.getTime());
  });

  it('[VERIFIER] a sibling subdomain’s script reading a vendor page does not restart the idle clock', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const result = await signInVendorAccount({ email: account.email, password: PASSWORD }, '127.0.0.1');
    if (!result.ok) throw new Error('sign-in failed');
    const idleSince = await idleFor(result.sessionId, 29);

    sending('siblingFetch');
    expect(await getActor()).toMatchObject({ kind: 'vendor', role: 'VERIFIER' });
    expect(await lastSeenAt(result.sessionId)).toEqual(idleSince);
  });
});
