import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { WebAuthnPurpose } from '@/lib/generated/sqlite/enums';
import { db } from '@/lib/db/client';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';
import { suspendPasskey } from '@/lib/mfa/suspend-passkey';
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
  name: true,
  suspendedAt: true,
} as const;

export type StoredPasskey = {
  id: string;
  userId: string | null;
  vendorAccountId: string | null;
  credentialId: string | null;
  publicKey: string | null;
  signCount: bigint | null;
  transports: string | null;
  name: string;
  suspendedAt: Date | null;
};

/** The confirmed passkey the assertion names, of this owner when one is given (a foreign credential finds nothing). */
export async function findPasskey(credentialId: string, owner?: MfaOwner): Promise<StoredPasskey | null> {
  return db().mfaFactor.findFirst({
    where: { credentialId, kind: 'PASSKEY', confirmedAt: { not: null }, ...(owner ? ownerWhere(owner) : {}) },
    select: PASSKEY_SELECT,
  });
}

/**
 * What a passkey's check found. `suspended`: its key signed rightly, but the passkey is suspended (suspendPasskey),
 * now or before: a copy of it may exist. That is no guess at anything, and callers count it on no lock.
 */
export type PasskeyCheck = 'accepted' | 'refused' | 'suspended';

/**
 * Whether a rightly signed counter is WebAuthn's sign of a cloned authenticator (§7.2, the signCount step): either
 * counter above 0 and the new one not above the stored one. Synced passkeys report 0 always and never trip it.
 */
export function counterWentBack(stored: bigint, signed: bigint): boolean {
  return (stored > 0n || signed > 0n) && signed <= stored;
}

/**
 * The one check of every passkey's assertion: the signature with user verification required, against our RP id and
 * origin, then the signature counter, then the new counter recorded with a conditional write (a cloned authenticator
 * racing the real one loses). The challenge was consumed before, so this never runs twice for one challenge.
 */
export async function checkAssertion(passkey: StoredPasskey, opened: OpenedAssertion, now = new Date()): Promise<PasskeyCheck> {
  const credential = credentialOf(passkey);
  if (!credential) return 'refused';
  const rp = relyingParty();
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: opened.response,
      expectedChallenge: opened.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The library's counter check is left out (counter 0 never trips it): it throws before the signature is
      // checked, as for a forgery, so a copy of the passkey went unseen. The counter is compared below, once the
      // signature is known to be right: a forged low counter raises no alarm (review r55g F3).
      credential: { ...credential, counter: 0 },
      requireUserVerification: true,
    });
  } catch {
    // The library throws for every malformed or mismatching part: all of them are a failed assertion.
    return 'refused';
  }
  if (!verification.verified || !verification.authenticationInfo.userVerified) return 'refused';
  if (passkey.suspendedAt) return 'suspended';
  const info = verification.authenticationInfo;
  const signed = BigInt(info.newCounter);
  const stored = passkey.signCount ?? 0n;
  if (counterWentBack(stored, signed)) {
    await suspendPasskey(passkey, { stored, signed }, now);
    return 'suspended';
  }
  const recorded = await db().mfaFactor.updateMany({
    where: { id: passkey.id, signCount: passkey.signCount, suspendedAt: null },
    data: { signCount: signed, backedUp: info.credentialBackedUp, lastUsedAt: now },
  });
  return recorded.count === 1 ? 'accepted' : 'refused';
}

/** A passkey of this owner proves the owner is here: open, find, check. `passkeySuspended`: checkAssertion's `suspended`. */
export async function confirmWithPasskey(
  owner: MfaOwner,
  text: string,
  purpose: WebAuthnPurpose,
  sessionId: string,
): Promise<{ ok: true; factorId: string } | { ok: false; passkeySuspended?: true }> {
  const opened = await openAssertion(text, purpose, sessionId);
  if (!opened) return { ok: false };
  const passkey = await findPasskey(opened.response.id, owner);
  if (!passkey) return { ok: false };
  const checked = await checkAssertion(passkey, opened);
  if (checked === 'suspended') return { ok: false, passkeySuspended: true };
  return checked === 'accepted' ? { ok: true, factorId: passkey.id } : { ok: false };
}
