import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { UNLOCKED } from '@/lib/auth/lockout';
import { countWrongSecondFactorCode, isSecondFactorLocked } from '@/lib/auth/second-factor-lockout';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { accountContact, auditSubject, ownerOf } from '@/lib/mfa/account';
import { consumeSecondFactor } from '@/lib/mfa/consume-second-factor';
import { countAccountLock, countSignIn } from '@/lib/observability/metrics.mjs';
import { checkRateLimit, consumeRateLimit, type RateLimitRule } from '@/lib/rate-limit/rate-limit';

// A right password ends the lockout streak (lib/auth/sign-in.ts), so someone who knows the
// password could sign in again between code guesses; this budget per account outlives that.
const WRONG_CODES_PER_ACCOUNT: RateLimitRule = { name: 'second-factor-fail-account', limit: 10, windowMs: 60 * 60_000 };

export const verifySecondFactorSchema = z.object({
  code: z.string().trim().min(1, 'Enter the code from your app, or a recovery code').max(40, 'That code is too long'),
});

export type VerifyOutcome = { ok: true; sessionId: string } | { ok: false; reason: 'WRONG_CODE' | 'LOCKED' | 'NOT_PENDING' };

/**
 * The second step of a sign-in. Success ends the pending session and opens a new full one (a
 * new id), so the pending session's cookie can never be replayed as a full session. A wrong
 * code counts on the account's lockout; once locked, the pending session ends too.
 */
export async function verifySignInSecondFactor(actor: Actor, input: z.infer<typeof verifySecondFactorSchema>, ip: string): Promise<VerifyOutcome> {
  const outcome = await checkSecondFactor(actor, input, ip);
  countSignIn(ownerOf(actor).kind === 'vendor' ? 'vendor' : 'agency', 'second_factor', outcome.ok ? 'success' : outcome.reason.toLowerCase());
  return outcome;
}

async function checkSecondFactor(actor: Actor, input: z.infer<typeof verifySecondFactorSchema>, ip: string): Promise<VerifyOutcome> {
  if (!actor.secondFactorPending) return { ok: false, reason: 'NOT_PENDING' };
  const owner = ownerOf(actor);
  const audit = auditSubject(actor, ip);
  const budgetKey = `${owner.kind}:${owner.id}`;
  if ((await isSecondFactorLocked(owner)) || (await checkRateLimit(db(), WRONG_CODES_PER_ACCOUNT, budgetKey)).limited) {
    await db().$transaction(async (tx) => {
      await tx.authSession.updateMany({ where: { id: actor.sessionId, endedAt: null }, data: { endedAt: new Date() } });
      await recordAudit(tx, { ...audit, action: 'SIGN_IN_SECOND_FACTOR_FAILURE', outcome: 'DENIED', details: { reason: 'account locked' } });
    });
    return { ok: false, reason: 'LOCKED' };
  }

  const used = await consumeSecondFactor(owner, input.code);
  if (!used.ok) {
    const overBudget = (await consumeRateLimit(db(), WRONG_CODES_PER_ACCOUNT, budgetKey)).limited;
    const locked = await db().$transaction(async (tx) => {
      const counted = await countWrongSecondFactorCode(tx, owner);
      const nowLocked = overBudget || counted === null || counted.lock.hardLock || counted.lock.lockedUntil !== null;
      await recordAudit(tx, {
        ...audit,
        action: 'SIGN_IN_SECOND_FACTOR_FAILURE',
        outcome: 'FAILURE',
        details: { reason: 'wrong code', consecutiveFailures: counted?.failureCount ?? null },
      });
      if (counted && nowLocked) {
        countAccountLock(counted.lock.hardLock ? 'hard' : 'temporary', 'second-factor');
        await recordAudit(tx, {
          ...audit,
          actorType: 'SYSTEM',
          actorId: null,
          action: counted.lock.hardLock ? 'ACCOUNT_HARD_LOCKED' : 'ACCOUNT_LOCKED',
          outcome: 'SUCCESS',
          details: { consecutiveFailures: counted.failureCount, lockedUntil: counted.lock.lockedUntil?.toISOString() ?? null, by: 'second factor' },
        });
      }
      if (nowLocked) await tx.authSession.updateMany({ where: { id: actor.sessionId, endedAt: null }, data: { endedAt: new Date() } });
      return nowLocked;
    });
    return { ok: false, reason: locked ? 'LOCKED' : 'WRONG_CODE' };
  }

  const contact = used.kind === 'RECOVERY_CODE' ? await accountContact(owner) : null;
  const now = new Date();
  return db().$transaction(async (tx) => {
    const old = await tx.authSession.updateMany({ where: { id: actor.sessionId, endedAt: null, secondFactorPending: true }, data: { endedAt: now } });
    if (old.count === 0) return { ok: false, reason: 'NOT_PENDING' } as const;
    const previous = await tx.authSession.findUniqueOrThrow({ where: { id: actor.sessionId }, select: { sessionVersion: true } });
    const session = await tx.authSession.create({
      data: {
        userId: owner.kind === 'user' ? owner.id : null,
        vendorAccountId: owner.kind === 'vendor' ? owner.id : null,
        sessionVersion: previous.sessionVersion,
        ip,
      },
      select: { id: true },
    });
    if (owner.kind === 'user') await tx.user.update({ where: { id: owner.id }, data: UNLOCKED });
    else await tx.vendorAccount.update({ where: { id: owner.id }, data: UNLOCKED });
    await recordAudit(tx, {
      ...audit,
      action: 'SIGN_IN_SECOND_FACTOR_SUCCESS',
      outcome: 'SUCCESS',
      details: { factor: used.kind, factorId: used.factorId },
    });
    if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, 'recovery code used to sign in', now));
    return { ok: true, sessionId: session.id } as const;
  });
}
