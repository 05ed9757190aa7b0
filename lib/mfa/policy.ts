import type { Role } from '@/lib/generated/sqlite/enums';
import { db, type Tx } from '@/lib/db/client';

// Everyone who can change someone else's access (ASVS L2, NIST AAL2): agency admins always,
// vendor staff always, other staff when their agency's policy says so.
export const ROLES_REQUIRING_SECOND_FACTOR = ['PROVIDER_ADMIN', 'SUPER_ADMIN'] as const satisfies readonly Role[];

export type SecondFactorSubject =
  | { kind: 'vendor' }
  | { kind: 'agency'; role: Role; requireSecondFactorForAllStaff: boolean };

export function mustHaveSecondFactor(subject: SecondFactorSubject): boolean {
  if (subject.kind === 'vendor') return true;
  return subject.requireSecondFactorForAllStaff || (ROLES_REQUIRING_SECOND_FACTOR as readonly Role[]).includes(subject.role);
}

export type MfaOwner = { kind: 'user' | 'vendor'; id: string };

export function ownerWhere(owner: MfaOwner) {
  return owner.kind === 'user' ? { userId: owner.id } : { vendorAccountId: owner.id };
}

/** Only confirmed factors count: an enrolment waiting for its first code signs no one in. */
export async function countSecondFactors(owner: MfaOwner, database: Pick<Tx, 'mfaFactor'> = db()): Promise<number> {
  return database.mfaFactor.count({ where: { ...ownerWhere(owner), confirmedAt: { not: null } } });
}

export async function hasSecondFactor(owner: MfaOwner, database: Pick<Tx, 'mfaFactor'> = db()): Promise<boolean> {
  return (await countSecondFactors(owner, database)) > 0;
}
