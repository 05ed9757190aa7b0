import { recordAudit } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { clearSecondFactorsOf } from '@/lib/mfa/clear-second-factors';
import { normalizeKey } from '@/lib/validation/identifiers';

/**
 * `npm run vendor:reset-mfa -- <email>`: vendor staff who lost their factors are cleared by
 * someone with shell access to the deployment (no web page can do it), audited and mailed.
 */
export async function resetVendorSecondFactors(database: Db, email: string, osUser: string): Promise<'cleared' | 'no-such-account'> {
  const account = await database.vendorAccount.findUnique({ where: { emailKey: normalizeKey(email) } });
  if (!account) return 'no-such-account';
  const now = new Date();
  await database.$transaction(async (tx) => {
    const cleared = await clearSecondFactorsOf(tx, { kind: 'vendor', id: account.id });
    await tx.vendorAccount.update({ where: { id: account.id }, data: { sessionVersion: { increment: 1 } } });
    await tx.authSession.updateMany({ where: { vendorAccountId: account.id, endedAt: null }, data: { endedAt: now } });
    await recordAudit(tx, {
      actorType: 'SYSTEM',
      action: 'VENDOR_SECOND_FACTORS_CLEARED',
      targetType: 'VendorAccount',
      targetId: account.id,
      outcome: 'SUCCESS',
      details: { ...cleared, by: `command line (${osUser})` },
    });
    await enqueueMail(tx, secondFactorChangedMail(account, 'second factors cleared by an administrator', now));
  });
  return 'cleared';
}
