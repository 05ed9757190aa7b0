import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { WebAuthnPurpose } from '@/lib/generated/sqlite/enums';
import { db } from '@/lib/db/client';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';
import { challengeIn, consumeChallenge, credentialOf, parseAuthenticationResponse, relyingParty } from '@/lib/mfa/webauthn';

/** A browser's assertion whose challenge this request has just used up (no one else can now). */
export type OpenedAssertion = { response: AuthenticationResponseJSON; challenge: string };

export async function openAssertion(text: string, purpose: WebAuthnPurpose, sessionId: string | null): Promise<OpenedAssertion | null> {
  const response = parseAuthenticationResponse(text);
  if (!response) return null;
  const challenge = challengeIn(response);
  if (!challenge || !(await consumeChallenge(challenge, purpose, sessionId))) return null;
  return { response, challenge };
}

const PASSKEY_SELECT = {
  id: true,
  userId: true,
  vendorAccountId: true,
  credentialId: true,
  publicKey: true,
  signCount: true,
  transports: true,
} as const;

export type StoredPasskey = { id: string; userId: string | null; vendorAccountId: string | null; credentialId: string | null; publicKey: string | null; signCount: bigint | null; transports: string | null };

/** The confirmed passkey the assertion names, of this owner when one is given (a foreign credential finds nothing). */
export async function findPasskey(credentialId: string, owner?: MfaOwner): Promise<StoredPasskey | null> {
  return db().mfaFactor.findFirst({
    where: { credentialId, kind: 'PASSKEY', confirmedAt: { not: null }, ...(owner ? ownerWhere(owner) : {}) },
    select: PASSKEY_SELECT,
  });
}

/**
 * Checks the signature with user verification required, against our RP id and origin, and
 * records the new signature counter with a conditional write (a cloned authenticator racing the
 * real one loses). The challenge was consumed before, so this never runs twice for one challenge.
 */
export async function checkAssertion(passkey: StoredPasskey, opened: OpenedAssertion, now = new Date()): Promise<boolean> {
  const credential = credentialOf(passkey);
  if (!credential) return false;
  const rp = relyingParty();
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: opened.response,
      expectedChallenge: opened.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential,
      requireUserVerification: true,
    });
  } catch {
    // The library throws for every malformed or mismatching part: all of them are a failed assertion.
    return false;
  }
  if (!verification.verified || !verification.authenticationInfo.userVerified) return false;
  const info = verification.authenticationInfo;
  const recorded = await db().mfaFactor.updateMany({
    where: { id: passkey.id, signCount: passkey.signCount },
    data: { signCount: BigInt(info.newCounter), backedUp: info.credentialBackedUp, lastUsedAt: now },
  });
  return recorded.count === 1;
}

/** A passkey of this owner proves the owner is here: open, find, check. */
export async function confirmWithPasskey(owner: MfaOwner, text: string, purpose: WebAuthnPurpose, sessionId: string): Promise<{ ok: true; factorId: string } | { ok: false }> {
  const opened = await openAssertion(text, purpose, sessionId);
  if (!opened) return { ok: false };
  const passkey = await findPasskey(opened.response.id, owner);
  if (!passkey || !(await checkAssertion(passkey, opened))) return { ok: false };
  return { ok: true, factorId: passkey.id };
}
