import type { AgencyActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { adminAccountResetReceiptMail, type AdminAccountReset } from '@/lib/mail/templates/password-reset-by-admin';

type ResetAccount = { id: string; agencyId: string; loginName: string; displayName: string; email: string | null; agency: { name: string; timeZone: string } };

/** PRODUCT.md: every reset of an admin account is mailed at once to the agency's super admins and to the account. */
export async function notifyAdminAccountReset(tx: Tx, actor: AgencyActor, account: ResetAccount, method: AdminAccountReset, when: Date) {
  const superAdmins = await tx.user.findMany({
    where: { agencyId: account.agencyId, role: 'SUPER_ADMIN', status: 'ACTIVE', email: { not: null } },
    select: { id: true, email: true, displayName: true },
  });
  const recipients = new Map<string, { email: string; displayName: string }>();
  for (const admin of superAdmins) recipients.set(admin.email!.toLowerCase(), { email: admin.email!, displayName: admin.displayName });
  if (account.email) recipients.set(account.email.toLowerCase(), { email: account.email, displayName: account.displayName });
  const reset = {
    accountName: account.displayName,
    accountLogin: account.loginName,
    agencyName: account.agency.name,
    timeZone: account.agency.timeZone,
    byName: actor.displayName,
    method,
    when,
  };
  await enqueueMailBatch(tx, [...recipients.values()].map((to) => adminAccountResetReceiptMail(to, reset)));
}
