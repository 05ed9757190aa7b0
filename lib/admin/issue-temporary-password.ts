import 'server-only';
import { z } from 'zod';
import { actOnTargetAsLoaded, loadAdminTarget, TARGET_CHANGED_MESSAGE } from '@/lib/admin/admin-target';
import { notifyAdminAccountReset } from '@/lib/admin/notify-admin-account-reset';
import { recordAudit } from '@/lib/audit/record';
import { UNLOCKED } from '@/lib/auth/lockout';
import { forgetWrongCodes } from '@/lib/mfa/wrong-codes';
import { endAccountAccess } from '@/lib/auth/end-account-access';
import type { AgencyActor } from '@/lib/auth/session';
import { enqueueMail } from '@/lib/mail/outbox';
import { passwordResetByAdminMail } from '@/lib/mail/templates/password-reset-by-admin';
import { hashPassword } from '@/lib/password/hash';
import { generateTemporaryPassword } from '@/lib/password/temporary';
import type { Result } from '@/lib/result';

export const issueTemporaryPasswordSchema = z.object({
  userId: z.string().min(1).max(64),
  /** The account's session version when the admin opened the page: a second submit of the same form changes nothing. */
  expectedVersion: z.coerce.number().int().min(0),
});

export type IssuedTemporaryPassword = { temporaryPassword: string; expiresAt: Date };

/**
 * Resets a user's password to a server-generated temporary one. The admin sees it once; only
 * its hash is stored. Unlocks the account, ends all its sessions, and mails the owner a notice
 * without the password (and a receipt to the super admins when the account is an admin's).
 */
export async function issueTemporaryPassword(
  actor: AgencyActor,
  input: z.infer<typeof issueTemporaryPasswordSchema>,
  ip: string,
): Promise<Result<IssuedTemporaryPassword>> {
  const loaded = await loadAdminTarget(actor, 'users:reset-password', input.userId, ip);
  if (!loaded.ok) return loaded;
  const { target } = loaded;

  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + target.agency.temporaryPasswordHours * 3600_000);

  const done = await actOnTargetAsLoaded(actor, 'users:reset-password', target, ip, async (tx) => {
    // Optimistic check: a double submit (or another admin's reset meanwhile) finds a new version.
    const updated = await tx.user.updateMany({
      where: { id: target.id, agencyId: actor.agencyId, sessionVersion: input.expectedVersion },
      data: {
        passwordHash,
        mustChangePassword: true,
        temporaryPasswordIssuedAt: now,
        temporaryPasswordIssuedById: actor.userId,
        temporaryPasswordExpiresAt: expiresAt,
        temporaryPasswordUsedAt: null,
        ...UNLOCKED,
        sessionVersion: { increment: 1 },
      },
    });
    // Thrown, so the transaction rolls back and the stale submit spends none of the account's resets.
    if (updated.count !== 1) throw new FormStale();
    await forgetWrongCodes(tx, { kind: 'user', id: target.id });
    // Earlier reset links stop working too: the temporary password is now the way in.
    await endAccountAccess(tx, target.id, now);
    await recordAudit(tx, {
      actorType: 'USER',
      actorId: actor.userId,
      agencyId: actor.agencyId,
      action: 'ADMIN_TEMPORARY_PASSWORD_ISSUED',
      targetType: 'User',
      targetId: target.id,
      ip,
      outcome: 'SUCCESS',
      details: { targetRole: target.role, expiresAt: expiresAt.toISOString() },
    });
    if (target.role !== 'STAFF') {
      await notifyAdminAccountReset(tx, actor, target, 'temporary password', now);
    } else if (target.email) {
      await enqueueMail(tx, passwordResetByAdminMail({ email: target.email, displayName: target.displayName, agencyName: target.agency.name, timeZone: target.agency.timeZone }, actor.displayName, now));
    }
    return true;
  }, { reset: 'temporary-password' }).catch((error: unknown) => {
    // A second submit of the same form changes nothing and is no refusal: it is told what a changed account is.
    if (error instanceof FormStale) return { ok: false as const, message: TARGET_CHANGED_MESSAGE };
    throw error;
  });
  if (!done.ok) return done;
  return { ok: true, value: { temporaryPassword, expiresAt } };
}

/** The account's version moved since the form was loaded: a double submit, or another admin's reset meanwhile. */
class FormStale extends Error {}
