import { actOnTargetAsLoaded, loadAdminTarget } from '@/lib/admin/admin-target';
import { notifyAdminAccountReset } from '@/lib/admin/notify-admin-account-reset';
import type { userIdSchema } from '@/lib/admin/unlock-user';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { endAccountAccess } from '@/lib/auth/end-account-access';
import type { AgencyActor } from '@/lib/auth/session';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { clearSecondFactorsOf } from '@/lib/mfa/clear-second-factors';
import type { Result } from '@/lib/result';
import type { z } from 'zod';

/** A lost phone: another admin clears the factors under the rules of a password reset, and the person enrols again. */
export async function clearUserSecondFactors(actor: AgencyActor, input: z.infer<typeof userIdSchema>, ip: string): Promise<Result> {
  const loaded = await loadAdminTarget(actor, 'users:clear-second-factors', input.userId, ip);
  if (!loaded.ok) return loaded;
  const target = loaded.target;
  const now = new Date();
  return actOnTargetAsLoaded(actor, 'users:clear-second-factors', target, ip, async (tx) => {
    const cleared = await clearSecondFactorsOf(tx, { kind: 'user', id: target.id });
    // Whoever holds a session of this account now may be the one who took the phone.
    await tx.user.update({ where: { id: target.id }, data: { sessionVersion: { increment: 1 } } });
    // And so may the one who reads the mailbox a reset link waits in.
    await endAccountAccess(tx, target.id, now);
    await recordAdminAction(tx, actor, ip, 'ADMIN_SECOND_FACTORS_CLEARED', { type: 'User', id: target.id }, { ...cleared, targetRole: target.role });
    if (target.role !== 'STAFF') {
      await notifyAdminAccountReset(tx, actor, { ...target, agency: target.agency }, 'second factors cleared', now);
    } else if (target.email) {
      await enqueueMail(tx, secondFactorChangedMail({ email: target.email, displayName: target.displayName, timeZone: target.agency.timeZone }, 'second factors cleared by an administrator', now));
    }
    return undefined;
  }, { reset: 'second-factors' });
}
