import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { withFormKeyHeld } from '@/lib/http/sent-once';
import { formOwnerOf, lockFactorOwner, ownerOf } from '@/lib/mfa/account';
import { ownerWhere } from '@/lib/mfa/policy';
import { freshFactorFields } from '@/lib/mfa/check-fresh-second-factor';
import { currentPasswordField, refusalToAddFactor } from '@/lib/mfa/may-add-factor';
import { sealFactorSecret } from '@/lib/mfa/secret-box';
import { newTotpSecret } from '@/lib/mfa/totp';
import { singleLine } from '@/lib/validation/text-fields';

// A name like any other its owner types: no hidden characters (review r40b F2).
export const factorNameSchema = singleLine('Name', 'Name the factor, for example "Phone"', 60, 'name');
export const startTotpEnrolmentSchema = z.object({ name: factorNameSchema, ...freshFactorFields, currentPassword: currentPasswordField, ...formKeyField });

const FORM = 'start-totp-enrolment';

/** Started: the page shows the app waiting to be set up for this session (also to a copy of the form sent again, which finds it so). */
const STARTED = { ok: true } as const;

/**
 * Makes a new, unconfirmed app secret for this session (replacing any earlier unconfirmed one); it
 * counts once a code typed in this session confirms it. Only a session that may add a factor
 * (refusalToAddFactor) is shown a secret.
 */
export async function startTotpEnrolment(actor: Actor, input: z.infer<typeof startTotpEnrolmentSchema>, ip: string): Promise<ActionState> {
  const owner = ownerOf(actor);
  // The same rendering sent again (a double click, whose copy waits for the first) finds the app
  // waiting to be set up, as the first copy left it: checking its code again would count a wrong one.
  return withFormKeyHeld(FORM, input.formKey, formOwnerOf(actor), STARTED, async (claim): Promise<ActionState> => {
    const refusal = await refusalToAddFactor(actor, input, ip);
    if (refusal) return refusal;
    await db().$transaction(async (tx) => {
      await lockFactorOwner(tx, owner); // two tabs starting at once leave one app waiting, not two
      await claim(tx);
      await tx.mfaFactor.deleteMany({ where: { ...ownerWhere(owner), confirmedAt: null } });
      await tx.mfaFactor.create({ data: { ...ownerWhere(owner), kind: 'TOTP', name: input.name, secret: sealFactorSecret(newTotpSecret()), enrolmentSessionId: actor.sessionId } });
    });
    return STARTED;
  });
}

/**
 * The app this very session started adding and has not confirmed yet: the one place that decides whose
 * eyes its secret is for. Another session of the account, an older cookie above all, never gets it: it
 * would hold the owner's codes once the owner confirmed the app. Callers also require a recent sign-in.
 */
export function pendingEnrolmentOf(actor: Actor) {
  return db().mfaFactor.findFirst({
    where: { ...ownerWhere(ownerOf(actor)), kind: 'TOTP', confirmedAt: null, secret: { not: null }, enrolmentSessionId: actor.sessionId },
    select: { id: true, name: true, secret: true },
  });
}
