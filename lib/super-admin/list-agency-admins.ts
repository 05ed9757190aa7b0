import { LANES_SELECT } from '@/lib/auth/lockout';
import { ADMIN_ROLES } from '@/lib/auth/access';
import type { Db, Tx } from '@/lib/db/client';

/**
 * The agency's active administrators other than `exceptUserId`, with what a notice or a verifier
 * needs. `agencyId` may be null (a submission that matched nothing): the same query still runs,
 * so both answers of the public form cost the same work.
 */
export async function listAgencyAdmins(database: Db | Tx, agencyId: string | null, exceptUserId: string | null) {
  return database.user.findMany({
    where: {
      agencyId: agencyId ?? '',
      role: { in: [...ADMIN_ROLES] },
      status: 'ACTIVE',
      ...(exceptUserId ? { NOT: { id: exceptUserId } } : {}),
    },
    orderBy: { displayName: 'asc' },
    select: {
      id: true,
      displayName: true,
      loginName: true,
      role: true,
      email: true,
      lastSignInAt: true,
      ...LANES_SELECT,
    },
  });
}
