import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { accountLabel, ownerOf } from '@/lib/mfa/account';
import { ownerWhere } from '@/lib/mfa/policy';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { formatSecretForTyping, totpQrSvg, totpUri } from '@/lib/mfa/totp';

export type FactorRow = { id: string; kind: 'TOTP' | 'PASSKEY'; name: string; createdAt: Date; lastUsedAt: Date | null };

/** What /account/security shows its owner: never a confirmed factor's secret, only a pending one's. */
export async function listOwnFactors(actor: Actor) {
  const owner = ownerOf(actor);
  const factors = await db().mfaFactor.findMany({
    where: ownerWhere(owner),
    orderBy: { createdAt: 'asc' },
    select: { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true, confirmedAt: true, secret: true },
  });
  const pending = factors.find((factor) => factor.confirmedAt === null && factor.secret);
  const enrolment = pending?.secret
    ? await (async () => {
        const secret = unsealFactorSecret(pending.secret!);
        return { name: pending.name, qrSvg: await totpQrSvg(totpUri(secret, accountLabel(actor))), secretText: formatSecretForTyping(secret) };
      })()
    : null;
  const unusedRecoveryCodes = await db().recoveryCode.count({ where: { ...ownerWhere(owner), usedAt: null } });
  return {
    factors: factors.filter((factor) => factor.confirmedAt !== null).map(({ id, kind, name, createdAt, lastUsedAt }): FactorRow => ({ id, kind, name, createdAt, lastUsedAt })),
    enrolment,
    unusedRecoveryCodes,
  };
}
