import { recordAudit } from '@/lib/audit/record';
import { accountLock, accountStreak, isLocked, LANES_SELECT, STREAKS_SELECT } from '@/lib/auth/lockout';
import { clearFailures } from '@/lib/auth/password-attempt';
import type { Db } from '@/lib/db/client';
import { normalizeKey } from '@/lib/validation/identifiers';

/**
 * `npm run vendor:unlock -- <email>`: ends a vendor account's lock, its streak of failures and its stop on wrong codes. Wrong
 * passwords from anyone lock an account (hard after 20), and vendor staff have no admin in the portal:
 * without this, strangers could lock both verifiers for good, and with them every super admin's way
 * back. Run by someone with shell access to the deployment; audited.
 */
export async function unlockVendorAccount(database: Db, email: string, osUser: string): Promise<'unlocked' | 'not-locked' | 'no-such-account'> {
  const account = await database.vendorAccount.findUnique({
    where: { emailKey: normalizeKey(email) },
    select: { id: true, ...LANES_SELECT, ...STREAKS_SELECT },
  });
  if (!account) return 'no-such-account';
  // Either lane (lockout.ts): strangers' locks, or those of browsers the account signed in from before.
  const lock = accountLock(account);
  const locked = isLocked(lock, new Date());
  await database.$transaction(async (tx) => {
    // The operator's unlock ends what an agency admin's does, the known browsers' budget too (review r54h F1).
    await clearFailures(tx, 'vendor', account.id, {}, { knownBrowserTries: true });
    await recordAudit(tx, {
      actorType: 'SYSTEM',
      action: 'VENDOR_ACCOUNT_UNLOCKED',
      targetType: 'VendorAccount',
      targetId: account.id,
      outcome: 'SUCCESS',
      details: { hardLocked: lock.hardLockedAt !== null, failedSignIns: accountStreak(account).failures, by: `command line (${osUser})` },
    });
  });
  return locked ? 'unlocked' : 'not-locked';
}
