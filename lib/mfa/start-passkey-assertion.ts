import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { KnownAccount } from '@/lib/auth/known-device';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { ownerOf } from '@/lib/mfa/account';
import { ownerWhere } from '@/lib/mfa/policy';
import { challengeBytes, issueChallenge, relyingParty, transportsOf } from '@/lib/mfa/webauthn';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';

/**
 * Options to confirm it is this account's owner (the second step of a sign-in, or a fresh factor
 * before changing factors): only the account's own passkeys, none suspended (the browser offers
 * one that works), the challenge bound to this session.
 */
export async function startPasskeyConfirmation(actor: Actor): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await db().mfaFactor.findMany({
    where: { ...ownerWhere(ownerOf(actor)), kind: 'PASSKEY', confirmedAt: { not: null }, credentialId: { not: null }, suspendedAt: null },
    select: { credentialId: true, transports: true },
  });
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge: challengeBytes(await issueChallenge('SECOND_FACTOR', actor.sessionId)),
    userVerification: 'required',
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId!, transports: transportsOf(passkey.transports) })),
  });
}

/**
 * Options for a passwordless sign-in: no account named, the browser offers its discoverable passkeys. Null when the
 * address asked too often, unless the browser has signed in as an account before (`known`): it passes the address's
 * limit as it does at the sign-in itself (decision 062), on a budget of that account's, or a stranger flooding a shared
 * address shut every passkey out of it at the first step (review r42b F1).
 */
export async function startPasskeySignIn(ip: string, known: KnownAccount | null = null): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  if ((await consumeRateLimit(db(), RATE_LIMITS.passkeySignInChallengesPerAddress, ip)).limited) {
    if (!known || (await consumeRateLimit(db(), RATE_LIMITS.passkeySignInChallengesPerKnownAccount, `${known.kind}:${known.id}`)).limited) return null;
  }
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge: challengeBytes(await issueChallenge('SIGN_IN', null)),
    userVerification: 'required',
  });
}
