import { recordAudit } from '@/lib/audit/record';
import { endOtherSessions } from '@/lib/auth/end-account-access';
import type { Actor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { auditSubject, ownerOf, type accountContact } from '@/lib/mfa/account';
import { recoveryCodesForNewFactor } from '@/lib/mfa/recovery-codes';

/**
 * What every new factor does in the transaction that adds it: an account's first factor gets its
 * recovery codes, every other session ends (one may be someone else's), and the change is audited and
 * mailed to the owner. Returns the recovery codes to show once, if any were made.
 */
export async function recordFactorAdded(
  tx: Tx,
  actor: Actor,
  ip: string,
  contact: Awaited<ReturnType<typeof accountContact>>,
  added: { factor: 'TOTP' | 'PASSKEY'; factorId: string; details?: Record<string, string | number | boolean> },
  now: Date,
): Promise<string[] | undefined> {
  const recoveryCodes = await recoveryCodesForNewFactor(tx, ownerOf(actor));
  const otherSessionsEnded = await endOtherSessions(tx, actor, now);
  await recordAudit(tx, {
    ...auditSubject(actor, ip),
    action: 'SECOND_FACTOR_ADDED',
    outcome: 'SUCCESS',
    details: { factor: added.factor, factorId: added.factorId, ...added.details, recoveryCodesMade: recoveryCodes !== undefined, otherSessionsEnded },
  });
  if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, added.factor === 'TOTP' ? 'authenticator app added' : 'passkey added', now));
  return recoveryCodes;
}
