import type { AuditInput } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/session';
import { db, type Db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import type { MfaOwner } from '@/lib/mfa/policy';

/** The account a second-factor use case acts on, and how its audit records name it. */
export function ownerOf(actor: Actor): MfaOwner {
  return actor.kind === 'agency' ? { kind: 'user', id: actor.userId } : { kind: 'vendor', id: actor.vendorAccountId };
}

/** Whose a form's rendering is (the `claimedBy` of lib/http/sent-once.ts): the account, of either kind. */
export function formOwnerOf(actor: Actor): string {
  const owner = ownerOf(actor);
  return `${owner.kind}:${owner.id}`;
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
 * The first step of every change a person makes to their own factors and recovery codes, in its
 * transaction: holds the account's row (lockFactorOwner), then says whether the acting session still
 * stands as this request found it. Every such change, and an administrator's clearing, ends the
 * account's other sessions and moves the version of the one that made it; a change in flight from
 * another session, or another tab of this one, must not outlive that: an addition kept a factor for a
 * session cleared away, and two "new recovery codes" at once each showed codes, only the last ones
 * real (review r34f F1, r34h L1).
 */
export async function holdOwnFactors(tx: Tx, actor: Actor): Promise<boolean> {
  await lockFactorOwner(tx, ownerOf(actor));
  const session = await tx.authSession.findUnique({ where: { id: actor.sessionId }, select: { endedAt: true, sessionVersion: true } });
  if (session === null || session.endedAt !== null) return false;
  return actor.resolvedAtVersion === undefined || session.sessionVersion === actor.resolvedAtVersion;
}

/** The answer to a change whose session ended, or changed its factors, while it was on its way (holdOwnFactors). */
export const SIGNED_OUT_MEANWHILE = {
  ok: false,
  message:
    'Your sign-in methods changed while this was on its way (in another tab or device, or by an administrator). Nothing was changed. Reload the page and try again.',
} as const;

/** `vendor`: a vendor staff member's, told to turn to the vendor's own team, not to an agency's administrators. */
export type AccountContact = { email: string; displayName: string; timeZone?: string; vendor?: boolean };

/**
 * Where notices about the account go (agency staff may have no e-mail on record); `database`: a
 * transaction's, when read inside one.
 */
export async function accountContact(owner: MfaOwner, database: Db | Tx = db()): Promise<AccountContact | null> {
  if (owner.kind === 'vendor') {
    const account = await database.vendorAccount.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true, displayName: true } });
    return { ...account, vendor: true };
  }
  const user = await database.user.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true, displayName: true, agency: { select: { timeZone: true } } } });
  return user.email ? { email: user.email, displayName: user.displayName, timeZone: user.agency.timeZone } : null;
}

/** The label an authenticator app shows for this account. */
export function accountLabel(actor: Actor): string {
  return actor.kind === 'agency' ? `${actor.agencyCode}:${actor.loginName}` : actor.email;
}
