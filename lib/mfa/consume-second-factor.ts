import { db, type Tx } from '@/lib/db/client';
import { confirmWithPasskey } from '@/lib/mfa/passkey-assertion';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';
import { findUnusedRecoveryCode, looksLikeRecoveryCode } from '@/lib/mfa/recovery-codes';
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
 * A proof that matched, and what using it up writes: an app code's time step (and every earlier one) or a recovery
 * code passes once. A passkey's challenge is spent by its check (it answers a challenge issued to this very session).
 */
type Spend = { factorId: string; step: number } | { recoveryCodeId: string } | null;
/** `passkeySuspended`: a passkey whose key signed rightly, but which is suspended (a copy of it may exist): no guess. */
export type MatchedFactor = (Extract<UsedFactor, { ok: true }> & { spend: Spend; at: Date }) | { ok: false; passkeySuspended?: true };

/**
 * Checks either kind of proof, using up nothing but a passkey's challenge: `spendFactor` spends a code in the
 * transaction that records its use, so a database lost in between leaves the code for the person's next press, not
 * spent without a record (review r54e F1). A passkey answers a SECOND_FACTOR challenge issued to this very session,
 * so an assertion made for another session (or for a sign-in) is refused. `heldBefore`: only a factor (or recovery
 * code) the account already had then counts.
 */
export async function matchSecondFactor(owner: MfaOwner, proof: SecondFactorProof, sessionId: string, heldBefore?: Date): Promise<MatchedFactor> {
  const at = new Date();
  if ('passkey' in proof) {
    const used = await confirmWithPasskey(owner, proof.passkey, 'SECOND_FACTOR', sessionId);
    if (!used.ok) return used;
    if (heldBefore) {
      const factor = await db().mfaFactor.findUnique({ where: { id: used.factorId }, select: { confirmedAt: true } });
      if (!factor?.confirmedAt || factor.confirmedAt >= heldBefore) return { ok: false };
    }
    return { ok: true, kind: 'PASSKEY', factorId: used.factorId, spend: null, at };
  }
  const code = typedCode(proof.code);
  if (isAppCode(code)) {
    const factors = await db().mfaFactor.findMany({
      where: { ...ownerWhere(owner), kind: 'TOTP', confirmedAt: heldBefore ? { lt: heldBefore } : { not: null } },
      select: { id: true, secret: true, lastUsedStep: true },
    });
    for (const factor of factors) {
      if (!factor.secret) continue;
      const step = await matchTotpCode(unsealFactorSecret(factor.secret), code, factor.lastUsedStep, at);
      if (step !== null) return { ok: true, kind: 'TOTP', factorId: factor.id, spend: { factorId: factor.id, step }, at };
    }
    return { ok: false };
  }
  if (!looksLikeRecoveryCode(code)) return { ok: false };
  const recoveryCode = await findUnusedRecoveryCode(owner, code, heldBefore);
  return recoveryCode ? { ok: true, kind: 'RECOVERY_CODE', factorId: null, spend: { recoveryCodeId: recoveryCode.id }, at } : { ok: false };
}

/**
 * Uses up a matched code, in the caller's transaction (or alone): one conditional write, so of two presses of the same code
 * (in parallel, or one that matched before the other committed) only one spends it. False for the other: its code
 * was taken meanwhile, a wrong code like any other.
 */
export async function spendFactor(tx: Pick<Tx, 'mfaFactor' | 'recoveryCode'>, matched: Extract<MatchedFactor, { ok: true }>): Promise<boolean> {
  const { spend, at } = matched;
  if (spend === null) return true;
  if ('step' in spend) {
    const used = await tx.mfaFactor.updateMany({
      where: { id: spend.factorId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: spend.step } }] },
      data: { lastUsedStep: spend.step, lastUsedAt: at },
    });
    return used.count === 1;
  }
  const used = await tx.recoveryCode.updateMany({ where: { id: spend.recoveryCodeId, usedAt: null }, data: { usedAt: at } });
  return used.count === 1;
}

/** Checks and uses up a proof at once: for a check whose use has no record of its own to go with (tests, the password change's passkey). */
export async function proveSecondFactor(owner: MfaOwner, proof: SecondFactorProof, sessionId: string, heldBefore?: Date): Promise<UsedFactor> {
  const matched = await matchSecondFactor(owner, proof, sessionId, heldBefore);
  if (!matched.ok || !(await spendFactor(db(), matched))) return { ok: false };
  return { ok: true, kind: matched.kind, factorId: matched.factorId };
}
