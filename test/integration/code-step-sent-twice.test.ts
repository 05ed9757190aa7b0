// A code step pressed twice without JavaScript, whose first answer (and the session cookie in it) the browser
// dropped: the copy, from the same browser within a minute, is answered with the session the first press opened,
// not sent back to the sign-in page with its code used up (review r55c F1). Nobody else gets it.
import { describe, expect, it } from 'vitest';
import { browserKeyDigest, newBrowserKey } from '@/lib/auth/browser-key.mjs';
import { resolveSession, SENT_AGAIN_WITHIN_MS, signOutSession } from '@/lib/auth/session';
import { NO_DEVICE, signInAgencyUser, signInVendorAccount, type SigningBrowser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { sessionCodeStepOpenedHere, verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { addTotpFactor, createAgency, createUser, createVendorAccount } from '@/prisma/factories';
import { nextTotpCode } from '../support/next-totp-code';

const PASSWORD = 'amber willow seventy lantern';
let ipCounter = 0;
const freshIp = () => `10.99.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const aBrowser = (): SigningBrowser => ({ key: browserKeyDigest(newBrowserKey()), sessionHeld: null });

/** An agency admin past the password in `browser`, at the code step; then the step done, as the first press did it. */
async function codeStepDone(browser: SigningBrowser, { temporary = false } = {}) {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' }, temporary ? { expiresAt: new Date(Date.now() + 3600_000) } : undefined);
  await addTotpFactor(db(), { userId: user.id });
  const pending = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, freshIp(), NO_DEVICE, browser);
  if (!pending.ok || !pending.secondFactorPending) throw new Error('expected the code step');
  const done = await verifySignInSecondFactor((await resolveSession(pending.sessionId))!, { code: await nextTotpCode({ userId: user.id }) }, freshIp());
  if (!done.ok) throw new Error(`the code step refused: ${done.reason}`);
  return { user, pendingId: pending.sessionId, openedId: done.sessionId };
}

describe('a code step sent twice from one browser', () => {
  it('[PROVIDER_ADMIN] the copy from the browser the step was done in gets the session the step opened, at the account’s version', async () => {
    const browser = aBrowser();
    const { user, pendingId, openedId } = await codeStepDone(browser);
    const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await sessionCodeStepOpenedHere(pendingId, browser.key)).toEqual({ sessionId: openedId, account: { kind: 'user', id: user.id, version: sessionVersion } });
  });

  it('[PROVIDER_ADMIN] with a temporary password: the copy gets the session that claimed it, which owes the new password', async () => {
    const browser = aBrowser();
    const { pendingId, openedId } = await codeStepDone(browser, { temporary: true });
    expect(await sessionCodeStepOpenedHere(pendingId, browser.key)).toMatchObject({ sessionId: openedId });
    expect(await resolveSession(openedId)).toMatchObject({ mustChangePassword: true, secondFactorPending: false });
  });

  it('[VERIFIER] a vendor’s code step the same', async () => {
    const browser = aBrowser();
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    await addTotpFactor(db(), { vendorAccountId: account.id });
    const pending = await signInVendorAccount({ email: account.email, password: PASSWORD }, freshIp(), NO_DEVICE, browser);
    if (!pending.ok) throw new Error('refused');
    const done = await verifySignInSecondFactor((await resolveSession(pending.sessionId))!, { code: await nextTotpCode({ vendorAccountId: account.id }) }, freshIp());
    if (!done.ok) throw new Error('refused');
    expect(await sessionCodeStepOpenedHere(pending.sessionId, browser.key)).toMatchObject({ sessionId: done.sessionId, account: { kind: 'vendor', id: account.id } });
  });

  it('nobody else: another browser’s key, none, a minute on, a session signed out since, a pending session whose step is not done', async () => {
    const browser = aBrowser();
    const { pendingId, openedId } = await codeStepDone(browser);
    expect(await sessionCodeStepOpenedHere(pendingId, aBrowser().key)).toBeNull();
    expect(await sessionCodeStepOpenedHere(pendingId, null)).toBeNull();
    expect(await sessionCodeStepOpenedHere(pendingId, browser.key, new Date(Date.now() + SENT_AGAIN_WITHIN_MS + 1000))).toBeNull();
    // The full session's id is no pending session: a cookie of it gets nothing more.
    expect(await sessionCodeStepOpenedHere(openedId, browser.key)).toBeNull();
    await signOutSession(openedId, freshIp());
    expect(await sessionCodeStepOpenedHere(pendingId, browser.key)).toBeNull();

    const another = aBrowser();
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
    await addTotpFactor(db(), { userId: user.id });
    const pending = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, freshIp(), NO_DEVICE, another);
    if (!pending.ok) throw new Error('refused');
    expect(await sessionCodeStepOpenedHere(pending.sessionId, another.key)).toBeNull();
  });
});
