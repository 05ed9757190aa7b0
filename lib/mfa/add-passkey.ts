import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { z } from 'zod';
import { SIGNED_OUT_ELSEWHERE } from '@/lib/auth/end-account-access';
import type { Actor } from '@/lib/auth/session';
import { isUniqueClash } from '@/lib/db/unique-clash';
import { db, type Tx } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { withFormKeyHeld } from '@/lib/http/sent-once';
import { accountContact, formOwnerOf, holdOwnFactors, ownerOf, SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import type { WithRecoveryCodes } from '@/lib/mfa/confirm-totp-enrolment';
import { ownerWhere } from '@/lib/mfa/policy';
import { openedRecently, sessionOpenedAt, SIGN_IN_AGAIN_TO_ADD } from '@/lib/mfa/recent-sign-in';
import { freshFactorFields } from '@/lib/mfa/check-fresh-second-factor';
import { currentPasswordField, refusalToAddFactor } from '@/lib/mfa/may-add-factor';
import { recordFactorAdded } from '@/lib/mfa/factor-added';
import { factorNameSchema } from '@/lib/mfa/start-totp-enrolment';
import { challengeIn, consumeChallenge, parseRegistrationResponse, relyingParty, webAuthnResponseField } from '@/lib/mfa/webauthn';

// `passkey` is the new passkey's registration; the proof asked for is a typed code, or the password for a first factor.
export const addPasskeySchema = z.object({ name: factorNameSchema, passkey: webAuthnResponseField, code: freshFactorFields.code, currentPassword: currentPasswordField, ...formKeyField });

const FORM = 'add-passkey';

/**
 * The same rendering sent again (a retried POST, whose copy waits for the first): the first used the
 * code and the challenge, and checking them again would say the passkey was not added. Its recovery
 * codes, for a first factor, are not kept, so they are not shown again.
 */
export const PASSKEY_ADDED_ALREADY = {
  ok: true,
  message: 'This passkey was added already, from this page. If it was your first sign-in method, its recovery codes were shown then, once: if you did not keep them, make new ones on this page.',
} as const;

const NOT_ADDED = 'The passkey was not added. Try again, and confirm with your fingerprint, face or PIN when asked.';

/**
 * Keeps a passkey the browser has just created for this session's challenge (used up first, so
 * an answer is kept at most once), with user verification required, by a session that may add a
 * factor (refusalToAddFactor). An account's first factor
 * also gets its recovery codes. Audited and mailed like every other factor change.
 */
export async function addPasskey(actor: Actor, input: z.infer<typeof addPasskeySchema>, ip: string): Promise<WithRecoveryCodes> {
  return withFormKeyHeld(FORM, input.formKey, formOwnerOf(actor), PASSKEY_ADDED_ALREADY, (claim) => addHeld(actor, input, ip, claim));
}

async function addHeld(actor: Actor, input: z.infer<typeof addPasskeySchema>, ip: string, claim: (tx: Tx) => Promise<void>): Promise<WithRecoveryCodes> {
  // A sign-in too long ago is told so first: no passkey made for it could be kept.
  const opened = await sessionOpenedAt(actor);
  if (!openedRecently(opened)) return SIGN_IN_AGAIN_TO_ADD;
  const owner = ownerOf(actor);
  // The passkey is checked before the proof is asked for and used up: a refused one (its challenge past
  // its time, or replaced from another tab) spent a recovery code, an account's only proof here when it
  // has passkeys alone (review r41i F3). Each press asks for a new challenge, so one spent here costs nothing.
  const response = parseRegistrationResponse(input.passkey);
  const challenge = response ? challengeIn(response) : null;
  if (!response || !challenge || !(await consumeChallenge(challenge, 'REGISTRATION', actor.sessionId))) {
    return { ok: false, message: NOT_ADDED };
  }
  const rp = relyingParty();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    return { ok: false, message: NOT_ADDED };
  }
  if (!verification.verified || !verification.registrationInfo.userVerified) return { ok: false, message: NOT_ADDED };
  const { credential, credentialBackedUp } = verification.registrationInfo;
  // A passkey this account keeps already is refused before the proof too (review r41j F4): the browser offers the one
  // it has. Whether another account keeps it is no business of a session that has proved nothing yet (review r42d F3).
  const kept = await db().mfaFactor.findUnique({ where: { credentialId: credential.id }, select: { userId: true, vendorAccountId: true } });
  if (kept) return { ok: false, message: (kept.userId ?? kept.vendorAccountId) === owner.id ? 'That passkey is already on your account.' : NOT_ADDED };
  const refusal = await refusalToAddFactor(actor, { code: input.code, currentPassword: input.currentPassword }, ip, opened);
  if (refusal) return refusal;
  const contact = await accountContact(owner);
  const now = new Date();
  return db().$transaction(async (tx) => {
    if (!(await holdOwnFactors(tx, actor))) return SIGNED_OUT_MEANWHILE;
    await claim(tx);
    const factor = await tx.mfaFactor.create({
      data: {
        ...ownerWhere(owner),
        kind: 'PASSKEY',
        name: input.name,
        confirmedAt: now,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        signCount: BigInt(credential.counter),
        transports: (response.response.transports ?? []).join(',') || null,
        backedUp: credentialBackedUp,
      },
      select: { id: true },
    });
    const recoveryCodes = await recordFactorAdded(tx, actor, ip, contact, { factor: 'PASSKEY', factorId: factor.id, details: { backedUp: credentialBackedUp } }, now);
    return { ok: true, message: `Your passkey "${input.name}" has been added. ${SIGNED_OUT_ELSEWHERE}`, recoveryCodes };
  }).catch((error: unknown): WithRecoveryCodes => {
    // Kept a moment ago by another add of the same passkey (an answer sent twice at once from two renderings): not added, no error page.
    if (isUniqueClash(error)) return { ok: false, message: NOT_ADDED };
    throw error;
  });
}
