import { actOnTargetAsLoaded, loadAdminTarget, refusalWhileDisabled, TARGET_CHANGED_MESSAGE } from '@/lib/admin/admin-target';
import { issueTemporaryPasswordSchema, newTemporaryPassword, setTemporaryPassword, tellOfReset, whenSet, type IssuedTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import type { AgencyActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { formAbout, withFormKeyHeld } from '@/lib/http/sent-once';
import { formOwnerOf } from '@/lib/mfa/account';
import { askAgain, checkFreshSecondFactor, freshFactorFields, type FreshFactorRefused } from '@/lib/mfa/check-fresh-second-factor';
import { clearSecondFactorsOf } from '@/lib/mfa/clear-second-factors';
import type { Result } from '@/lib/result';
import type { z } from 'zod';

/** The account as the page showed it, the acting admin's own fresh factor (a code, or a passkey's answer), and the page's form key. */
export const clearSecondFactorsSchema = issueTemporaryPasswordSchema.extend({ ...freshFactorFields, ...formKeyField });

const FORM = 'clear-second-factors';

/**
 * What a copy of the same confirmation, sent while the first was at work (a double press without JavaScript),
 * is told: the first used the code and cleared the factors, and only its answer held the temporary password.
 */
export const CLEARED_ALREADY = {
  ok: false,
  message:
    'The second factors were cleared from this page already, and the temporary password was shown in the answer to the first press. If you did not see it, reset the password to get a new one.',
} as const;

/**
 * A lost phone: another admin clears the factors under the rules of a password reset, and the
 * password is reset with them, to a temporary one the admin hands over. Cleared alone, the factors
 * left the account to whoever knew its password, who could add their own factor before the owner
 * and keep the owner out (review r29b F1); the temporary password is now the only way in.
 *
 * The one console action that hands over a whole account, second factor and all: the acting admin
 * confirms it is them with a factor held before this session opened (as for a change to their own
 * factors, decision 061), so a borrowed screen or a stolen cookie cannot take an administrator's
 * account, a super admin's above all (review r43d F1).
 */
export async function clearUserSecondFactors(
  actor: AgencyActor,
  input: z.infer<typeof clearSecondFactorsSchema>,
  ip: string,
): Promise<Result<IssuedTemporaryPassword> | FreshFactorRefused> {
  // Held before the code is checked: a copy sent at the same moment waits, and does not spend the used code
  // again, nor count it on the admin's lock (review r43f F2).
  return withFormKeyHeld(formAbout(FORM, input.userId), input.formKey, formOwnerOf(actor), CLEARED_ALREADY, (claim) => clearHeld(actor, input, ip, claim));
}

async function clearHeld(
  actor: AgencyActor,
  input: z.infer<typeof clearSecondFactorsSchema>,
  ip: string,
  claim: (tx: Tx) => Promise<void>,
): Promise<Result<IssuedTemporaryPassword> | FreshFactorRefused> {
  const loaded = await loadAdminTarget(actor, 'users:clear-second-factors', input.userId, ip);
  if (!loaded.ok) return loaded;
  const { target } = loaded;
  const disabled = refusalWhileDisabled(target, 'clear the second factors');
  if (disabled) return disabled;
  // A copy of a form already used (a double click) is told so before a code is asked for and used up.
  if (target.sessionVersion !== input.expectedVersion) return { ok: false, message: TARGET_CHANGED_MESSAGE };
  // Always asked (needsFreshFactor): the clearing hands the whole account over.
  const fresh = await checkFreshSecondFactor(actor, input, ip, 'clear second factors', { userId: target.id });
  if (!fresh.ok) return askAgain(fresh);
  const issued = await newTemporaryPassword();
  return whenSet(
    issued,
    actOnTargetAsLoaded(actor, 'users:clear-second-factors', target, ip, async (tx) => {
      // Ends every session and earlier reset link: whoever holds one may be the one who took the phone.
      const expiresAt = await setTemporaryPassword(tx, actor, target, input.expectedVersion, issued, ip);
      await claim(tx);
      const cleared = await clearSecondFactorsOf(tx, { kind: 'user', id: target.id });
      await recordAdminAction(tx, actor, ip, 'ADMIN_SECOND_FACTORS_CLEARED', { type: 'User', id: target.id }, { ...cleared, targetRole: target.role, confirmedWith: fresh.kind });
      await tellOfReset(tx, actor, target, 'second factors cleared', issued.at);
      return expiresAt;
    }, { reset: 'second-factors' }),
  );
}
