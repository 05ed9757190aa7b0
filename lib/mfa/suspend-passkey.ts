import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db/client';
import { currentRequestContext } from '@/lib/http/request-context';
import { enqueueMail } from '@/lib/mail/outbox';
import { passkeySuspendedMail } from '@/lib/mail/templates/passkey-suspended';
import { accountContact, lockFactorOwner } from '@/lib/mfa/account';
import type { MfaOwner } from '@/lib/mfa/policy';

/** The reason the records give every refusal of a suspended passkey, wherever it was checked. */
export const PASSKEY_SUSPENDED = 'passkey suspended: a copy of it may exist';

/** What its owner is told where a suspended passkey is refused to a session of theirs (the code step, a form that asks for a factor). */
export const PASSKEY_SUSPENDED_MESSAGE =
  'That passkey is suspended: a copy of it may exist. Use another passkey or a recovery code instead (or a code from your app, unless your agency requires administrators to use passkeys). Then, on your Sign-in security page, add a new passkey and remove the suspended one.';

type Passkey = { id: string; userId: string | null; vendorAccountId: string | null; name: string };

/**
 * A rightly signed assertion whose counter did not go up (counterWentBack): two authenticators hold the key, and
 * the one ahead may be a copy that signed in first. Nothing tells which is the owner's, so the passkey stops
 * working for both until its owner removes it (decision 046, session 55 addendum). Once per suspension, in one
 * transaction: the suspension, its record with both counters, and the owner's mail.
 */
export async function suspendPasskey(passkey: Passkey, counters: { stored: bigint; signed: bigint }, now = new Date()): Promise<void> {
  const owner: MfaOwner = passkey.userId ? { kind: 'user', id: passkey.userId } : { kind: 'vendor', id: passkey.vendorAccountId! };
  const ip = (await currentRequestContext())?.ip ?? null;
  await db().$transaction(async (tx) => {
    // The account before its factors, as every change to them takes them (PostgreSQL deadlocks otherwise).
    await lockFactorOwner(tx, owner);
    // Of copies refused at the same moment, or again later, only the first suspends, records and mails.
    const suspended = await tx.mfaFactor.updateMany({ where: { id: passkey.id, suspendedAt: null }, data: { suspendedAt: now } });
    if (suspended.count === 0) return;
    const subject =
      owner.kind === 'user'
        ? ({ actorType: 'USER', targetType: 'User', agencyId: (await tx.user.findUniqueOrThrow({ where: { id: owner.id }, select: { agencyId: true } })).agencyId } as const)
        : ({ actorType: 'VENDOR', targetType: 'VendorAccount', agencyId: null } as const);
    await recordAudit(tx, {
      ...subject,
      actorId: owner.id,
      targetId: owner.id,
      ip,
      action: 'PASSKEY_SUSPENDED',
      outcome: 'DENIED',
      // Counters are uint32: numbers, exactly.
      details: { reason: 'passkey counter went back: a copy of it may exist', factorId: passkey.id, storedCounter: Number(counters.stored), signedCounter: Number(counters.signed) },
    });
    const contact = await accountContact(owner, tx);
    if (contact) await enqueueMail(tx, passkeySuspendedMail(contact, passkey.name, now));
  });
}
