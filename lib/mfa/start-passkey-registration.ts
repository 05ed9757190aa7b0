import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { accountLabel, ownerOf } from '@/lib/mfa/account';
import { ownerWhere } from '@/lib/mfa/policy';
import { signedInRecently, SIGN_IN_AGAIN_TO_ADD } from '@/lib/mfa/recent-sign-in';
import { challengeBytes, issueChallenge, relyingParty, transportsOf } from '@/lib/mfa/webauthn';

/**
 * Options for the browser to create a passkey: discoverable (so it can sign in without a name)
 * and with user verification required; the account's own passkeys are excluded, so one
 * authenticator is not added twice. A suspended one is not: its owner replaces it with a new
 * passkey on the same device before removing it (decision 046, session 55 addendum). The
 * challenge is bound to this session.
 */
export async function startPasskeyRegistration(
  actor: Actor,
): Promise<{ ok: true; options: PublicKeyCredentialCreationOptionsJSON } | typeof SIGN_IN_AGAIN_TO_ADD> {
  // Refused before the browser makes a passkey that could not be kept.
  if (!(await signedInRecently(actor))) return SIGN_IN_AGAIN_TO_ADD;
  const owner = ownerOf(actor);
  const existing = await db().mfaFactor.findMany({
    where: { ...ownerWhere(owner), kind: 'PASSKEY', credentialId: { not: null }, suspendedAt: null },
    select: { credentialId: true, transports: true },
  });
  const rp = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    // The user handle the authenticator keeps: our id for the account, never a name or an e-mail.
    userID: new TextEncoder().encode(`${owner.kind}:${owner.id}`),
    userName: accountLabel(actor),
    userDisplayName: actor.displayName,
    challenge: challengeBytes(await issueChallenge('REGISTRATION', actor.sessionId)),
    attestationType: 'none',
    excludeCredentials: existing.map((factor) => ({ id: factor.credentialId!, transports: transportsOf(factor.transports) })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  });
  return { ok: true, options };
}
