import { db } from '@/lib/db/client';

/** The parts of an agency's policy a person needs to see when choosing a password. */
export async function getAgencyPasswordRules(agencyId: string) {
  return db().agency.findUniqueOrThrow({
    where: { id: agencyId },
    select: { minPasswordLength: true, passwordHistoryCount: true },
  });
}
