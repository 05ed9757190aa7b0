import type { AuditInput } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/session';
import { db, type Db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import type { MfaOwner } from '@/lib/mfa/policy';

/** The account a second-factor use case acts on, and how its audit records name it. */
export function ownerOf(actor: Actor): MfaOwner {
  return actor.kind === 'agency' ? { kind: 'user', id: actor.userId } : { kind: 'vendor', id: actor.vendorAccountId };
}

export function auditSubject(actor: Actor, ip: string): Omit<AuditInput, 'action' | 'outcome'> {
  return actor.kind === 'agency'
    ? { actorType: 'USER', actorId: actor.userId, agencyId: actor.agencyId, targetType: 'User', targetId: actor.userId, ip }
    : { actorType: 'VENDOR', actorId: actor.vendorAccountId, agencyId: null, targetType: 'VendorAccount', targetId: actor.vendorAccountId, ip };
}

/**
 * Holds the account's row until the transaction ends (PostgreSQL; SQLite runs one transaction at a
 * time), so changes to its factors and recovery codes take turns: each counts what the one before
 * it left, not what it read before that one committed.
 */
export async function lockFactorOwner(tx: Tx, owner: MfaOwner): Promise<void> {
  await lockRow(tx, owner.kind === 'user' ? 'User' : 'VendorAccount', owner.id);
}

/**
 * Whether the session is still open, read after lockFactorOwner: a factor is kept only for a
 * session that still stands, so an administrator's clearing of the factors (which ends every
 * session) is never outlived by an addition that was in flight.
 */
export async function sessionStillStands(tx: Tx, actor: Actor): Promise<boolean> {
  const session = await tx.authSession.findUnique({ where: { id: actor.sessionId }, select: { endedAt: true } });
  return session !== null && session.endedAt === null;
}

/**
 * Where notices about the account go (agency staff may have no e-mail on record); `database`: a
 * transaction's, when read inside one.
 */
export async function accountContact(owner: MfaOwner, database: Db | Tx = db()): Promise<{ email: string; displayName: string; timeZone?: string } | null> {
  if (owner.kind === 'vendor') {
    return database.vendorAccount.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true, displayName: true } });
  }
  const user = await database.user.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true, displayName: true, agency: { select: { timeZone: true } } } });
  return user.email ? { email: user.email, displayName: user.displayName, timeZone: user.agency.timeZone } : null;
}

/** The label an authenticator app shows for this account. */
export function accountLabel(actor: Actor): string {
  return actor.kind === 'agency' ? `${actor.agencyCode}:${actor.loginName}` : actor.email;
}
