import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { accountLabel, ownerOf } from '@/lib/mfa/account';
import { ownerWhere } from '@/lib/mfa/policy';
import { signedInRecently } from '@/lib/mfa/recent-sign-in';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { formatSecretForTyping, totpQrSvg, totpUri } from '@/lib/mfa/totp';

export type FactorRow = { id: string; kind: 'TOTP' | 'PASSKEY'; name: string; createdAt: Date; lastUsedAt: Date | null };

/**
 * What /account/security shows its owner: never a confirmed factor's secret, only that of the app
 * this very session started adding, while it may still confirm it (signed in recently). Another
 * session of the account, an older cookie above all, never reads it: it would hold the owner's codes
 * once the owner confirmed the app.
 */
export async function listOwnFactors(actor: Actor) {
  const owner = ownerOf(actor);
  const factors = await db().mfaFactor.findMany({
    where: ownerWhere(owner),
    orderBy: { createdAt: 'asc' },
    select: { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true, confirmedAt: true, secret: true, enrolmentSessionId: true },
  });
  const started = factors.find((factor) => factor.confirmedAt === null && factor.secret && factor.enrolmentSessionId === actor.sessionId);
  const pending = started && (await signedInRecently(actor)) ? started : undefined;
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
