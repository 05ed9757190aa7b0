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
