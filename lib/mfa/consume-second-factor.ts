import { db } from '@/lib/db/client';
import { confirmWithPasskey } from '@/lib/mfa/passkey-assertion';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';
import { hashRecoveryCode, looksLikeRecoveryCode } from '@/lib/mfa/recovery-codes';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { matchTotpCode, typedCode } from '@/lib/mfa/totp';

export type UsedFactor = { ok: true; kind: 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY'; factorId: string | null } | { ok: false };

/** What a person offers as their second factor: a typed code, or a passkey's answer to a challenge. */
export type SecondFactorProof = { code: string } | { passkey: string };

/**
 * Whether a typed code is an app code: six digits once read as typedCode reads them (spaces aside,
 * digits of any script). The passkey policy and the check below share this one test: the policy read
 * the raw text, so "０６８７１７" passed it as no app code and was then accepted as one.
 */
export function isAppCode(typed: string): boolean {
  return /^\d{6}$/.test(typedCode(typed));
}

/**
 * Checks and uses up either kind of proof. A passkey answers a SECOND_FACTOR challenge issued to
 * this very session, so an assertion made for another session (or for a sign-in) is refused.
 * `heldBefore`: only a factor (or recovery code) the account already had then counts.
 */
export async function proveSecondFactor(owner: MfaOwner, proof: SecondFactorProof, sessionId: string, heldBefore?: Date): Promise<UsedFactor> {
  if ('passkey' in proof) {
    const used = await confirmWithPasskey(owner, proof.passkey, 'SECOND_FACTOR', sessionId);
    if (!used.ok) return { ok: false };
    if (heldBefore) {
      const factor = await db().mfaFactor.findUnique({ where: { id: used.factorId }, select: { confirmedAt: true } });
      if (!factor?.confirmedAt || factor.confirmedAt >= heldBefore) return { ok: false };
    }
    return { ok: true, kind: 'PASSKEY', factorId: used.factorId };
  }
  return consumeSecondFactor(owner, proof.code, new Date(), heldBefore);
}

/**
 * Checks a code typed for a second factor and uses it up: an app code's time step (and every
 * earlier one) or a recovery code can pass once. Each use is one conditional write, so two
 * parallel submissions of the same code cannot both succeed.
 */
export async function consumeSecondFactor(owner: MfaOwner, typed: string, now = new Date(), heldBefore?: Date): Promise<UsedFactor> {
  const code = typedCode(typed);
  if (isAppCode(code)) {
    const factors = await db().mfaFactor.findMany({
      where: { ...ownerWhere(owner), kind: 'TOTP', confirmedAt: heldBefore ? { lt: heldBefore } : { not: null } },
      select: { id: true, secret: true, lastUsedStep: true },
    });
    for (const factor of factors) {
      if (!factor.secret) continue;
      const step = await matchTotpCode(unsealFactorSecret(factor.secret), code, factor.lastUsedStep, now);
      if (step === null) continue;
      const used = await db().mfaFactor.updateMany({
        where: { id: factor.id, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
        data: { lastUsedStep: step, lastUsedAt: now },
      });
      return used.count === 1 ? { ok: true, kind: 'TOTP', factorId: factor.id } : { ok: false };
    }
    return { ok: false };
  }
  if (!looksLikeRecoveryCode(code)) return { ok: false };
  const used = await db().recoveryCode.updateMany({
    where: { ...ownerWhere(owner), codeHash: hashRecoveryCode(code), usedAt: null, ...(heldBefore && { createdAt: { lt: heldBefore } }) },
    data: { usedAt: now },
  });
  return used.count === 1 ? { ok: true, kind: 'RECOVERY_CODE', factorId: null } : { ok: false };
}
