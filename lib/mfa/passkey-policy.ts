import type { Actor } from '@/lib/auth/session';
import type { Role } from '@/lib/generated/sqlite/enums';
import { db, type Tx } from '@/lib/db/client';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';

// Admins of an agency that turned on "require passkeys for admins": phishing-resistant factors
// for everyone who can change someone else's access (NIST SP 800-63B AAL2+, verifier-impersonation resistance).
const ROLES_REQUIRING_PASSKEY = ['PROVIDER_ADMIN', 'SUPER_ADMIN'] as const satisfies readonly Role[];

export function mustHavePasskey(role: Role, agency: { requirePasskeyForAdmins: boolean }): boolean {
  return agency.requirePasskeyForAdmins && (ROLES_REQUIRING_PASSKEY as readonly Role[]).includes(role);
}

export async function hasPasskey(owner: MfaOwner, database: Pick<Tx, 'mfaFactor'> = db()): Promise<boolean> {
  return (await database.mfaFactor.count({ where: { ...ownerWhere(owner), kind: 'PASSKEY', confirmedAt: { not: null } } })) > 0;
}

/**
 * An admin whose agency requires passkeys, and who has one, proves it is them with it (or a recovery
 * code): an app code alone is not enough, to finish a sign-in or to change the factors themselves.
 */
export async function appCodesRefused(actor: Actor): Promise<boolean> {
  if (actor.kind !== 'agency') return false;
  const agency = await db().agency.findUniqueOrThrow({ where: { id: actor.agencyId }, select: { requirePasskeyForAdmins: true } });
  return mustHavePasskey(actor.role, agency) && (await hasPasskey({ kind: 'user', id: actor.userId }));
}
