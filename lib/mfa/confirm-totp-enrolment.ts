import { z } from 'zod';
import { SIGNED_OUT_ELSEWHERE } from '@/lib/auth/end-account-access';
import type { ActionState } from '@/lib/auth/guards';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { withFormKeyHeld } from '@/lib/http/sent-once';
import { accountContact, formOwnerOf, holdOwnFactors, ownerOf, SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import { signedInRecently, SIGN_IN_AGAIN_TO_ADD } from '@/lib/mfa/recent-sign-in';
import { recordFactorAdded } from '@/lib/mfa/factor-added';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { pendingEnrolmentOf } from '@/lib/mfa/start-totp-enrolment';
import { matchTotpCode, typedCode } from '@/lib/mfa/totp';

export const confirmTotpSchema = z.object({
  code: z.string().max(20).transform(typedCode).pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code your app shows')),
  ...formKeyField,
});

const FORM = 'confirm-totp-enrolment';

const START_AGAIN = { ok: false, message: 'Start again: add an authenticator app.' } as const;

/**
 * The same rendering of "Confirm" sent again (without JavaScript, a reload of the page that said the
 * app was added; a double click, whose copy waits for the first): the app is on the account, and "Start again" beside it would say otherwise. The
 * recovery codes of a first factor are not kept, so they are not shown again.
 */
export const TOTP_ADDED_ALREADY = {
  ok: true,
  message:
    'This authenticator app was added already, from this page. If it was your first sign-in method, its recovery codes were shown then, once: if you did not keep them, make new ones on this page.',
} as const;

export type WithRecoveryCodes = ActionState & { recoveryCodes?: string[] };

/**
 * The first correct code, typed in the session that started adding the app (opened recently),
 * confirms it; an account's first factor also gets its recovery codes.
 */
export async function confirmTotpEnrolment(actor: Actor, input: z.infer<typeof confirmTotpSchema>, ip: string): Promise<WithRecoveryCodes> {
  const owner = ownerOf(actor);
  return withFormKeyHeld(FORM, input.formKey, formOwnerOf(actor), TOTP_ADDED_ALREADY, async (claim): Promise<WithRecoveryCodes> => {
    if (!(await signedInRecently(actor))) return SIGN_IN_AGAIN_TO_ADD;
    const pending = await pendingEnrolmentOf(actor);
    if (!pending?.secret) return START_AGAIN;
    const now = new Date();
    const step = await matchTotpCode(unsealFactorSecret(pending.secret), input.code, null, now);
    if (step === null) {
      return { ok: false, message: 'That code is not right.', fieldErrors: { code: ['That code is not right. Check the time on your phone and type the code your app shows now.'] } };
    }
    const contact = await accountContact(owner);
    return db().$transaction(async (tx): Promise<WithRecoveryCodes> => {
      if (!(await holdOwnFactors(tx, actor))) return SIGNED_OUT_MEANWHILE;
      const confirmed = await tx.mfaFactor.updateMany({
        where: { id: pending.id, confirmedAt: null },
        data: { confirmedAt: now, lastUsedStep: step, lastUsedAt: now, enrolmentSessionId: null },
      });
      if (confirmed.count === 0) return START_AGAIN;
      await claim(tx);
      const recoveryCodes = await recordFactorAdded(tx, actor, ip, contact, { factor: 'TOTP', factorId: pending.id }, now);
      return { ok: true, message: `Your authenticator app has been added. ${SIGNED_OUT_ELSEWHERE}`, recoveryCodes };
    });
  });
}
