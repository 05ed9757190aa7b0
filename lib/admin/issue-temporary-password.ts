import 'server-only';
import { z } from 'zod';
import { actOnTargetAsLoaded, loadAdminTarget, refusalWhileDisabled, TARGET_CHANGED_MESSAGE } from '@/lib/admin/admin-target';
import { notifyAdminAccountReset } from '@/lib/admin/notify-admin-account-reset';
import { recordAudit } from '@/lib/audit/record';
import { UNLOCKED } from '@/lib/auth/lockout';
import { forgetAccountBudgets } from '@/lib/mfa/wrong-codes';
import { endAccountAccess } from '@/lib/auth/end-account-access';
import type { AgencyActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
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
  const disabled = refusalWhileDisabled(target, 'reset the password');
  if (disabled) return disabled;
  const issued = await newTemporaryPassword();
  return whenSet(
    issued,
    actOnTargetAsLoaded(actor, 'users:reset-password', target, ip, async (tx) => {
      const expiresAt = await setTemporaryPassword(tx, actor, target, input.expectedVersion, issued, ip);
      await tellOfReset(tx, actor, target, 'temporary password', issued.at);
      return expiresAt;
    }, { reset: 'temporary-password' }),
  );
}

/** A temporary password about to be set: made and hashed before any transaction (argon2 takes a while). */
export type NewTemporaryPassword = { temporaryPassword: string; passwordHash: string; at: Date };

export async function newTemporaryPassword(): Promise<NewTemporaryPassword> {
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  return { temporaryPassword, passwordHash, at: new Date() };
}

/**
 * In the reset's transaction: the account's password becomes the temporary one, to be changed at
 * its next sign-in; it is unlocked, signed out everywhere, and its earlier reset links stop working.
 * Throws FormStale (rolling the transaction back) when the account is no longer at the version the
 * admin saw: a double submit, or another admin's reset meanwhile. Returns when the password expires,
 * by the agency's lifetime as read here, behind the agency's row (actOnTargetAsLoaded): a policy save
 * that shortens it either comes first or finds this password among those to shorten.
 */
export async function setTemporaryPassword(
  tx: Tx,
  actor: AgencyActor,
  target: { id: string; role: string },
  expectedVersion: number,
  issued: NewTemporaryPassword,
  ip: string,
): Promise<Date> {
  const { temporaryPasswordHours } = await tx.agency.findUniqueOrThrow({ where: { id: actor.agencyId }, select: { temporaryPasswordHours: true } });
  const expiresAt = new Date(issued.at.getTime() + temporaryPasswordHours * 3_600_000);
  const updated = await tx.user.updateMany({
    where: { id: target.id, agencyId: actor.agencyId, sessionVersion: expectedVersion },
    data: {
      passwordHash: issued.passwordHash,
      mustChangePassword: true,
      temporaryPasswordIssuedAt: issued.at,
      temporaryPasswordIssuedById: actor.userId,
      temporaryPasswordExpiresAt: expiresAt,
      temporaryPasswordEndedAt: null,
      temporaryPasswordUsedAt: null,
      ...UNLOCKED,
      sessionVersion: { increment: 1 },
    },
  });
  // Thrown, so the transaction rolls back and the stale submit spends none of the account's resets.
  if (updated.count !== 1) throw new FormStale();
  await forgetAccountBudgets(tx, { kind: 'user', id: target.id }, { knownBrowserTries: true });
  // Earlier reset links stop working too: the temporary password is now the way in.
  await endAccountAccess(tx, target.id, issued.at);
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
  return expiresAt;
}

type ResetTarget = Parameters<typeof notifyAdminAccountReset>[2] & { role: string };

/**
 * Who is told of a temporary password (with the second factors, when they went too): an admin's
 * account and the agency's super admins get the receipt; a staff member a notice, if on record.
 * Neither holds the password.
 */
export async function tellOfReset(tx: Tx, actor: AgencyActor, target: ResetTarget, what: 'temporary password' | 'second factors cleared', at: Date): Promise<void> {
  if (target.role !== 'STAFF') return notifyAdminAccountReset(tx, actor, target, what, at);
  if (!target.email) return;
  const to = { email: target.email, displayName: target.displayName, agencyName: target.agency.name, timeZone: target.agency.timeZone };
  await enqueueMail(tx, passwordResetByAdminMail(to, actor.displayName, at, { secondFactorsCleared: what === 'second factors cleared' }));
}

/** The temporary password, once the reset that set it is done; a stale form changed nothing and is told so. */
export async function whenSet(issued: NewTemporaryPassword, done: Promise<Result<Date>>): Promise<Result<IssuedTemporaryPassword>> {
  const result = await done.catch((error: unknown) => {
    // A second submit of the same form changes nothing and is no refusal: it is told what a changed account is.
    if (error instanceof FormStale) return { ok: false as const, message: TARGET_CHANGED_MESSAGE };
    throw error;
  });
  if (!result.ok) return result;
  return { ok: true, value: { temporaryPassword: issued.temporaryPassword, expiresAt: result.value } };
}

/** The account's version moved since the form was loaded: a double submit, or another admin's reset meanwhile. */
class FormStale extends Error {}
