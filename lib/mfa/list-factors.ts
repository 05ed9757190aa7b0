import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { accountLabel, ownerOf } from '@/lib/mfa/account';
import { ownerWhere } from '@/lib/mfa/policy';
import { signedInRecently } from '@/lib/mfa/recent-sign-in';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { pendingEnrolmentOf } from '@/lib/mfa/start-totp-enrolment';
import { formatSecretForTyping, totpQrSvg, totpUri } from '@/lib/mfa/totp';

/** `suspendedAt`: a passkey that a copy of it may exist stopped (lib/mfa/suspend-passkey.ts). */
export type FactorRow = { id: string; kind: 'TOTP' | 'PASSKEY'; name: string; createdAt: Date; lastUsedAt: Date | null; suspendedAt: Date | null };

/**
 * What /account/security shows its owner: never a confirmed factor's secret, only that of the app
 * this very session started adding, while it may still confirm it (signed in recently).
 */
export async function listOwnFactors(actor: Actor) {
  const owner = ownerOf(actor);
  const factors = await db().mfaFactor.findMany({
    where: { ...ownerWhere(owner), confirmedAt: { not: null } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true, suspendedAt: true },
  });
  const started = await pendingEnrolmentOf(actor);
  const pending = started && (await signedInRecently(actor)) ? started : null;
  const enrolment = pending?.secret
    ? await (async () => {
        const secret = unsealFactorSecret(pending.secret!);
        return { name: pending.name, qrSvg: await totpQrSvg(totpUri(secret, accountLabel(actor))), secretText: formatSecretForTyping(secret) };
      })()
    : null;
  const unusedRecoveryCodes = await db().recoveryCode.count({ where: { ...ownerWhere(owner), usedAt: null } });
  return { factors: factors satisfies FactorRow[], enrolment, unusedRecoveryCodes };
}
