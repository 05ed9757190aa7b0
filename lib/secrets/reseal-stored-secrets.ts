import { recordAuditAlone } from '@/lib/audit/record';
import { resealInBatches, type ResealReport } from '@/lib/crypto/reseal';
import type { Db } from '@/lib/db/client';
import { resealBody } from '@/lib/mail/seal';
import { resealRecoveryCode } from '@/lib/mfa/recovery-codes';
import { resealFactorSecret } from '@/lib/mfa/secret-box';

export type StoredSecretsReport = { outboxBodies: ResealReport; factorSecrets: ResealReport; recoveryCodes: ResealReport };

/**
 * `npm run secrets:reseal`: after a rotation, seals every stored sealed value (queued mail that
 * holds a link, authenticator seeds, unused recovery codes) under the current NEXTAUTH_SECRET, so that
 * NEXTAUTH_SECRET_PREVIOUS can then be removed. Idempotent: a value already under the current key
 * is left as it is, so running it again, or while the app serves, is harmless.
 */
export async function resealStoredSecrets(database: Db, osUser: string, batchSize = 200): Promise<StoredSecretsReport> {
  const outboxBodies = await resealInBatches(
    {
      fields: ['textBody', 'htmlBody', 'headers'],
      reseal: resealBody,
      // Delivered messages hold no body any more (wiped after delivery); pending and dead ones may.
      batch: (afterId, take) =>
        database.outboxMessage.findMany({
          where: { sensitive: true, status: { not: 'SENT' }, ...(afterId ? { id: { gt: afterId } } : {}) },
          orderBy: { id: 'asc' },
          take,
          select: { id: true, textBody: true, htmlBody: true, headers: true },
        }),
      replace: async (id, before, after) =>
        (
          await database.outboxMessage.updateMany({
            where: { id, textBody: before.textBody!, htmlBody: before.htmlBody!, headers: before.headers },
            data: { textBody: after.textBody!, htmlBody: after.htmlBody!, headers: after.headers },
          })
        ).count === 1,
    },
    batchSize,
  );
  const factorSecrets = await resealInBatches(
    {
      fields: ['secret'],
      reseal: resealFactorSecret,
      batch: (afterId, take) =>
        database.mfaFactor.findMany({
          where: { kind: 'TOTP', secret: { not: null }, ...(afterId ? { id: { gt: afterId } } : {}) },
          orderBy: { id: 'asc' },
          take,
          select: { id: true, secret: true },
        }),
      replace: async (id, before, after) => (await database.mfaFactor.updateMany({ where: { id, secret: before.secret }, data: { secret: after.secret } })).count === 1,
    },
    batchSize,
  );
  // Unused codes only: a used one is never compared again. A legacy digest (no secret in it) is left as it is.
  const recoveryCodes = await resealInBatches(
    {
      fields: ['codeHash'],
      reseal: resealRecoveryCode,
      batch: (afterId, take) =>
        database.recoveryCode.findMany({
          where: { usedAt: null, ...(afterId ? { id: { gt: afterId } } : {}) },
          orderBy: { id: 'asc' },
          take,
          select: { id: true, codeHash: true },
        }),
      replace: async (id, before, after) =>
        (await database.recoveryCode.updateMany({ where: { id, codeHash: before.codeHash! }, data: { codeHash: after.codeHash! } })).count === 1,
    },
    batchSize,
  );
  const unreadable = outboxBodies.unreadable.length + factorSecrets.unreadable.length + recoveryCodes.unreadable.length;
  await recordAuditAlone(database, {
    actorType: 'SYSTEM',
    action: 'STORED_SECRETS_RESEALED',
    outcome: unreadable === 0 ? 'SUCCESS' : 'FAILURE',
    details: {
      by: `command line (${osUser})`,
      outboxChecked: outboxBodies.checked,
      outboxResealed: outboxBodies.resealed,
      outboxUnreadable: outboxBodies.unreadable.length,
      factorsChecked: factorSecrets.checked,
      factorsResealed: factorSecrets.resealed,
      factorsUnreadable: factorSecrets.unreadable.length,
      recoveryCodesChecked: recoveryCodes.checked,
      recoveryCodesResealed: recoveryCodes.resealed,
      recoveryCodesUnreadable: recoveryCodes.unreadable.length,
    },
    requestId: null,
  });
  return { outboxBodies, factorSecrets, recoveryCodes };
}
