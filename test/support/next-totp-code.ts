import { db } from '@/lib/db/client';
import { addTotpFactor } from '@/prisma/factories';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { TOTP_PERIOD_S, totpCodeFor, totpStep } from '@/lib/mfa/totp';

/**
 * The code an app shows for the first time step the account has not used yet. A code is
 * accepted once, so when this step's code was used (an earlier sign-in within 30 s), the next
 * step's is computed; the server accepts one step ahead. Past that, wait for the clock.
 */
export async function nextTotpCode(owner: { userId: string } | { vendorAccountId: string }): Promise<string> {
  const factor = await db().mfaFactor.findFirstOrThrow({ where: { ...owner, kind: 'TOTP', confirmedAt: { not: null } }, orderBy: { createdAt: 'asc' } });
  const now = totpStep(new Date());
  const step = Math.max(now, (factor.lastUsedStep ?? -1) + 1);
  const waitMs = (step - 1) * TOTP_PERIOD_S * 1000 - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs + 50));
  return totpCodeFor(unsealFactorSecret(factor.secret!), step);
}

/**
 * The code of an app the account has held since before any session of its opened, as a change that asks
 * for a fresh factor wants (checkFreshSecondFactor): one is added, confirmed an hour back, if it has none.
 */
export async function codeOfAppHeldBefore(owner: { userId: string } | { vendorAccountId: string }): Promise<string> {
  if ((await db().mfaFactor.count({ where: { ...owner, kind: 'TOTP', confirmedAt: { not: null } } })) === 0) {
    await addTotpFactor(db(), owner);
    await db().mfaFactor.updateMany({ where: { ...owner, kind: 'TOTP' }, data: { confirmedAt: new Date(Date.now() - 3_600_000) } });
  }
  return nextTotpCode(owner);
}
