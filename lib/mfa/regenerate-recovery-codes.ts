import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { endOtherSessions } from '@/lib/auth/end-account-access';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { withFormKeyHeld } from '@/lib/http/sent-once';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { accountContact, auditSubject, formOwnerOf, holdOwnFactors, ownerOf, SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import { checkFreshSecondFactor, freshFactorFields } from '@/lib/mfa/check-fresh-second-factor';
import type { WithRecoveryCodes } from '@/lib/mfa/confirm-totp-enrolment';
import { replaceRecoveryCodes } from '@/lib/mfa/recovery-codes';
import { hasSecondFactor } from '@/lib/mfa/policy';

export const regenerateRecoveryCodesSchema = z.object({ ...freshFactorFields, ...formKeyField });

const FORM = 'regenerate-recovery-codes';

const ADD_A_FACTOR_FIRST = { ok: false, message: 'Add an authenticator app or a passkey first.' } as const;

/**
 * The same rendering of the form sent again (without JavaScript, a reload of the page that showed the
 * codes; a double click, whose copy waits for the first): its code was used by the first copy, and
 * checking it again would count a wrong code on the account's lock. It is told what happened instead;
 * the codes are not kept, so they are not shown again.
 */
export const RECOVERY_CODES_MADE_ALREADY = {
  ok: true,
  message: 'These recovery codes were made already, from this page; they were shown once. If you did not keep them, make new ones.',
} as const;

/** Ten new recovery codes; every earlier one stops working, and so does every other session (one may have been opened with an old code). */
export async function regenerateRecoveryCodes(actor: Actor, input: z.infer<typeof regenerateRecoveryCodesSchema>, ip: string): Promise<WithRecoveryCodes> {
  const owner = ownerOf(actor);
  return withFormKeyHeld(FORM, input.formKey, formOwnerOf(actor), RECOVERY_CODES_MADE_ALREADY, async (claim): Promise<WithRecoveryCodes> => {
    if (!(await hasSecondFactor(owner))) return ADD_A_FACTOR_FIRST;
    const used = await checkFreshSecondFactor(actor, input, ip, 'new recovery codes');
    if (!used.ok) return used.refusal;
    const contact = await accountContact(owner);
    return db().$transaction(async (tx): Promise<WithRecoveryCodes> => {
      if (!(await holdOwnFactors(tx, actor))) return SIGNED_OUT_MEANWHILE;
      // The last factor may have gone meanwhile: codes without a factor would be a way in of their own.
      if (!(await hasSecondFactor(owner, tx))) return ADD_A_FACTOR_FIRST;
      // Claimed only by the work itself: a refused copy leaves its rendering free to be sent again.
      await claim(tx);
      const recoveryCodes = await replaceRecoveryCodes(tx, owner);
      const otherSessionsEnded = await endOtherSessions(tx, actor, new Date());
      await recordAudit(tx, { ...auditSubject(actor, ip), action: 'RECOVERY_CODES_REPLACED', outcome: 'SUCCESS', details: { confirmedWith: used.kind, otherSessionsEnded } });
      if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, 'new recovery codes made', new Date()));
      return { ok: true, message: 'New recovery codes made. The old ones no longer work, and you were signed out everywhere else.', recoveryCodes };
    });
  });
}
