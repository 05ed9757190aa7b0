import type { Tx } from '@/lib/db/client';
import { POLICY_BOUNDS } from '@/lib/policy/agency-policy';

/**
 * Remembers a password the user chose, so the policy can refuse it later, and forgets the ones
 * beyond the most any agency policy may look back (24): a super admin who raises the count gets
 * it at once, and the table does not grow forever.
 */
export async function rememberPassword(tx: Tx, userId: string, passwordHash: string): Promise<void> {
  await tx.passwordHistory.create({ data: { userId, passwordHash } });
  const kept = await tx.passwordHistory.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: POLICY_BOUNDS.passwordHistoryCount.max,
    select: { id: true },
  });
  if (kept.length < POLICY_BOUNDS.passwordHistoryCount.max) return;
  await tx.passwordHistory.deleteMany({ where: { userId, id: { notIn: kept.map((entry) => entry.id) } } });
}
