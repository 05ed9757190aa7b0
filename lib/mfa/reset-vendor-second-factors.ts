import { recordAudit } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { accountLock, accountStreak, isLocked, LANES_SELECT, STREAKS_SELECT } from '@/lib/auth/lockout';
import { clearFailures } from '@/lib/auth/password-attempt';
import { clearSecondFactorsOf } from '@/lib/mfa/clear-second-factors';
import { forgetWrongCodes } from '@/lib/mfa/wrong-codes';
import { normalizeKey } from '@/lib/validation/identifiers';

/**
 * `npm run vendor:reset-mfa -- <email>`: vendor staff who lost their factors are cleared by
 * someone with shell access to the deployment (no web page can do it), audited and mailed. The lock
 * their wrong codes set (and its budget) ends with them, as a temporary password ends an agency
 * account's: kept, the right password was refused until it ran out, while the command said the
 * account enrols again at its next sign-in (review r41i F4). Every lock ends so, strangers' wrong
 * passwords' too, as `vendor:unlock` would: the record and the command say so (review r41j F2).
 */
export async function resetVendorSecondFactors(database: Db, email: string, osUser: string): Promise<'cleared' | 'cleared-and-unlocked' | 'no-such-account'> {
  const account = await database.vendorAccount.findUnique({
    where: { emailKey: normalizeKey(email) },
    select: { id: true, email: true, displayName: true, ...LANES_SELECT, ...STREAKS_SELECT },
  });
  if (!account) return 'no-such-account';
  const now = new Date();
  const lock = accountLock(account);
  const endedLock = isLocked(lock, now) ? { endedLock: lock.hardLockedAt ? 'hard' : 'for a time', failedSignIns: accountStreak(account).failures } : undefined;
  await database.$transaction(async (tx) => {
    const cleared = await clearSecondFactorsOf(tx, { kind: 'vendor', id: account.id });
    await tx.vendorAccount.update({ where: { id: account.id }, data: { sessionVersion: { increment: 1 } } });
    await clearFailures(tx, 'vendor', account.id);
    await forgetWrongCodes(tx, { kind: 'vendor', id: account.id });
    await tx.authSession.updateMany({ where: { vendorAccountId: account.id, endedAt: null }, data: { endedAt: now } });
    await recordAudit(tx, {
      actorType: 'SYSTEM',
      action: 'VENDOR_SECOND_FACTORS_CLEARED',
      targetType: 'VendorAccount',
      targetId: account.id,
      outcome: 'SUCCESS',
      details: { ...cleared, ...endedLock, by: `command line (${osUser})` },
    });
    await enqueueMail(tx, secondFactorChangedMail({ ...account, vendor: true }, 'second factors cleared by an administrator', now));
  });
  return endedLock ? 'cleared-and-unlocked' : 'cleared';
}
