import { actOnTargetAsLoaded, loadAdminTarget, refusalWhileDisabled } from '@/lib/admin/admin-target';
import { issueTemporaryPasswordSchema, newTemporaryPassword, setTemporaryPassword, tellOfReset, whenSet, type IssuedTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import type { AgencyActor } from '@/lib/auth/session';
import { clearSecondFactorsOf } from '@/lib/mfa/clear-second-factors';
import type { Result } from '@/lib/result';
import type { z } from 'zod';

/**
 * A lost phone: another admin clears the factors under the rules of a password reset, and the
 * password is reset with them, to a temporary one the admin hands over. Cleared alone, the factors
 * left the account to whoever knew its password, who could add their own factor before the owner
 * and keep the owner out (review r29b F1); the temporary password is now the only way in.
 */
export async function clearUserSecondFactors(
  actor: AgencyActor,
  input: z.infer<typeof issueTemporaryPasswordSchema>,
  ip: string,
): Promise<Result<IssuedTemporaryPassword>> {
  const loaded = await loadAdminTarget(actor, 'users:clear-second-factors', input.userId, ip);
  if (!loaded.ok) return loaded;
  const { target } = loaded;
  const disabled = refusalWhileDisabled(target, 'clear the second factors');
  if (disabled) return disabled;
  const issued = await newTemporaryPassword();
  return whenSet(
    issued,
    actOnTargetAsLoaded(actor, 'users:clear-second-factors', target, ip, async (tx) => {
      // Ends every session and earlier reset link: whoever holds one may be the one who took the phone.
      const expiresAt = await setTemporaryPassword(tx, actor, target, input.expectedVersion, issued, ip);
      const cleared = await clearSecondFactorsOf(tx, { kind: 'user', id: target.id });
      await recordAdminAction(tx, actor, ip, 'ADMIN_SECOND_FACTORS_CLEARED', { type: 'User', id: target.id }, { ...cleared, targetRole: target.role });
      await tellOfReset(tx, actor, target, 'second factors cleared', issued.at);
      return expiresAt;
    }, { reset: 'second-factors' }),
  );
}
