import { recordAudit } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { accountLock, accountStreak, isLocked, LANES_SELECT, STREAKS_SELECT } from '@/lib/auth/lockout';
import { clearFailures } from '@/lib/auth/password-attempt';
import { lockFactorOwner } from '@/lib/mfa/account';
import { clearSecondFactorsOf } from '@/lib/mfa/clear-second-factors';
import { hashPassword } from '@/lib/password/hash';
import { generateTemporaryPassword } from '@/lib/password/temporary';
import { normalizeKey } from '@/lib/validation/identifiers';

/** What the command did: the new password, to be handed to the account's owner once, and whether a lock ended. */
export type VendorFactorsReset = { newPassword: string; endedLock: boolean };

/**
 * `npm run vendor:reset-mfa -- <email>`: vendor staff who lost their factors are cleared by someone with
 * shell access to the deployment (no web page can do it), audited and mailed. Their password is replaced with
 * them, as clearing an agency account's factors sets a temporary password (decision 061): left as it was, it
 * was the account's only proof, and whoever knew it enrolled their own app at the next sign-in (review r42d
 * F2). The lock their wrong codes set (and its budget) ends with them: kept, the new password was refused
 * until it ran out (review r41i F4). Every lock ends so, strangers' wrong passwords' too, as `vendor:unlock`
 * would: the record and the command say so (review r41j F2), read with the account's row held.
 */
export async function resetVendorSecondFactors(database: Db, email: string, osUser: string): Promise<VendorFactorsReset | 'no-such-account' | 'disabled'> {
  const account = await database.vendorAccount.findUnique({ where: { emailKey: normalizeKey(email) }, select: { id: true, active: true } });
  if (!account) return 'no-such-account';
  // A disabled account is given no way in, as an agency's is given no reset (decision 005 addendum; review r42f F3).
  if (!account.active) return 'disabled';
  const newPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(newPassword);
  const now = new Date();
  return database.$transaction(async (tx) => {
    const owner = { kind: 'vendor', id: account.id } as const;
    await lockFactorOwner(tx, owner);
    const held = await tx.vendorAccount.findUniqueOrThrow({
      where: { id: account.id },
      select: { email: true, displayName: true, active: true, ...LANES_SELECT, ...STREAKS_SELECT },
    });
    // Read again with the row held: a disable that landed since the first look is honoured (review r43e F4).
    if (!held.active) return 'disabled';
    const lock = accountLock(held);
    const endedLock = isLocked(lock, now) ? { endedLock: lock.hardLockedAt ? 'hard' : 'for a time', failedSignIns: accountStreak(held).failures } : undefined;
    const cleared = await clearSecondFactorsOf(tx, owner);
    await tx.vendorAccount.update({ where: { id: account.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await clearFailures(tx, 'vendor', account.id, {}, { knownBrowserTries: true });
    await tx.authSession.updateMany({ where: { vendorAccountId: account.id, endedAt: null }, data: { endedAt: now } });
    await recordAudit(tx, {
      actorType: 'SYSTEM',
      action: 'VENDOR_SECOND_FACTORS_CLEARED',
      targetType: 'VendorAccount',
      targetId: account.id,
      outcome: 'SUCCESS',
      details: { ...cleared, passwordReplaced: true, ...endedLock, by: `command line (${osUser})` },
    });
    await enqueueMail(tx, secondFactorChangedMail({ ...held, vendor: true }, 'second factors cleared and password replaced by an administrator', now));
    return { newPassword, endedLock: endedLock !== undefined };
  });
}
