import { z } from 'zod';
import { recordAudit, recordAuditAlone } from '@/lib/audit/record';
import { isLocked, lockAfterFailure, STREAK_RESET_MS, UNLOCKED, type LockDecision } from '@/lib/auth/lockout';
import { db, type Tx } from '@/lib/db/client';
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from '@/lib/password/hash';
import { VENDOR_POLICY } from '@/lib/policy/agency-policy';
import { checkRateLimit, consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import {
  loginNameSchema,
  normalizeKey,
  providerCodeSchema,
  signInPasswordSchema,
  vendorEmailSchema,
} from '@/lib/validation/identifiers';

/** What the sign-in forms may tell a person. Everything else is INVALID: no enumeration. */
export type SignInFailure = 'INVALID' | 'THROTTLED' | 'TEMPORARY_PASSWORD_EXPIRED' | 'BAD_INPUT';
export type SignInResult = { ok: true; sessionId: string } | { ok: false; reason: SignInFailure };

export const agencySignInSchema = z.object({
  providerCode: providerCodeSchema,
  loginName: loginNameSchema,
  password: signInPasswordSchema,
});

export const vendorSignInSchema = z.object({
  email: vendorEmailSchema,
  password: signInPasswordSchema,
});

type PrincipalKind = 'user' | 'vendor';

type Candidate = {
  kind: PrincipalKind;
  id: string;
  agencyId: string | null;
  active: boolean;
  passwordHash: string;
  lockedUntil: Date | null;
  hardLockedAt: Date | null;
  sessionVersion: number;
  policy: { softLockThreshold: number; hardLockThreshold: number };
  temporaryPasswordExpiresAt: Date | null;
  mustChangePassword: boolean;
};

export async function signInAgencyUser(input: unknown, ip: string): Promise<SignInResult> {
  const parsed = agencySignInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'BAD_INPUT' };
  const { providerCode, loginName, password } = parsed.data;

  const agency = await db().agency.findUnique({
    where: { codeKey: normalizeKey(providerCode) },
    select: { id: true, softLockThreshold: true, hardLockThreshold: true },
  });
  const user = agency
    ? await db().user.findUnique({
        where: { agencyId_loginKey: { agencyId: agency.id, loginKey: normalizeKey(loginName) } },
        select: {
          id: true,
          status: true,
          passwordHash: true,
          lockedUntil: true,
          hardLockedAt: true,
          sessionVersion: true,
          mustChangePassword: true,
          temporaryPasswordExpiresAt: true,
        },
      })
    : null;
  const candidate: Candidate | null =
    agency && user
      ? {
          kind: 'user',
          id: user.id,
          agencyId: agency.id,
          active: user.status === 'ACTIVE',
          passwordHash: user.passwordHash,
          lockedUntil: user.lockedUntil,
          hardLockedAt: user.hardLockedAt,
          sessionVersion: user.sessionVersion,
          policy: agency,
          temporaryPasswordExpiresAt: user.temporaryPasswordExpiresAt,
          mustChangePassword: user.mustChangePassword,
        }
      : null;
  return attemptSignIn(candidate, password, ip, agency?.id ?? null);
}

export async function signInVendorAccount(input: unknown, ip: string): Promise<SignInResult> {
  const parsed = vendorSignInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'BAD_INPUT' };
  const account = await db().vendorAccount.findUnique({
    where: { emailKey: normalizeKey(parsed.data.email) },
    select: { id: true, active: true, passwordHash: true, lockedUntil: true, hardLockedAt: true, sessionVersion: true },
  });
  const candidate: Candidate | null = account
    ? {
        kind: 'vendor',
        ...account,
        agencyId: null,
        policy: VENDOR_POLICY,
        temporaryPasswordExpiresAt: null,
        mustChangePassword: false,
      }
    : null;
  return attemptSignIn(candidate, parsed.data.password, ip, null);
}

async function attemptSignIn(
  candidate: Candidate | null,
  password: string,
  ip: string,
  agencyId: string | null,
): Promise<SignInResult> {
  const audit = {
    actorType: candidate?.kind === 'vendor' ? 'VENDOR' : candidate ? 'USER' : 'ANONYMOUS',
    actorId: candidate?.id ?? null,
    agencyId,
    targetType: candidate ? (candidate.kind === 'vendor' ? 'VendorAccount' : 'User') : null,
    targetId: candidate?.id ?? null,
    ip,
  } as const;

  if ((await checkRateLimit(db(), RATE_LIMITS.signInFailuresPerAddress, ip)).limited) {
    await recordAuditAlone(db(), { ...audit, action: 'SIGN_IN_THROTTLED', outcome: 'DENIED' });
    return { ok: false, reason: 'THROTTLED' };
  }

  const refuse = async (reason: string): Promise<SignInResult> => {
    // Same work as a real check, so a missing, disabled or locked account answers in the same time.
    await verifyDummy(password);
    await consumeRateLimit(db(), RATE_LIMITS.signInFailuresPerAddress, ip);
    await recordAuditAlone(db(), { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE', details: { reason } });
    return { ok: false, reason: 'INVALID' };
  };

  if (!candidate) return refuse('unknown account');
  if (!candidate.active) return refuse('account disabled');
  if (isLocked(candidate, new Date())) return refuse('account locked');

  // The attempt is counted (and the lock set) before the password is checked, so a
  // burst of parallel guesses gets at most `threshold` checks before the lock holds.
  const reservation = await db().$transaction((tx) => reserveAttempt(tx, candidate));
  if (!reservation) return refuse('account locked');

  if (!(await verifyPassword(candidate.passwordHash, password))) {
    await consumeRateLimit(db(), RATE_LIMITS.signInFailuresPerAddress, ip);
    await db().$transaction(async (tx) => {
      await recordAudit(tx, {
        ...audit,
        action: 'SIGN_IN_FAILURE',
        outcome: 'FAILURE',
        details: { reason: 'wrong password', consecutiveFailures: reservation.failureCount },
      });
      if (reservation.lock.hardLock || reservation.lock.lockedUntil) {
        await recordAudit(tx, {
          ...audit,
          actorType: 'SYSTEM',
          actorId: null,
          action: reservation.lock.hardLock ? 'ACCOUNT_HARD_LOCKED' : 'ACCOUNT_LOCKED',
          outcome: 'SUCCESS',
          details: {
            consecutiveFailures: reservation.failureCount,
            lockedUntil: reservation.lock.lockedUntil?.toISOString() ?? null,
          },
        });
      }
    });
    return { ok: false, reason: 'INVALID' };
  }

  const now = new Date();
  if (candidate.mustChangePassword && candidate.temporaryPasswordExpiresAt && candidate.temporaryPasswordExpiresAt <= now) {
    await db().$transaction(async (tx) => {
      await clearFailures(tx, candidate, {});
      await recordAudit(tx, {
        ...audit,
        action: 'SIGN_IN_FAILURE',
        outcome: 'FAILURE',
        details: { reason: 'temporary password expired' },
      });
    });
    return { ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' };
  }

  const rehash = needsRehash(candidate.passwordHash) ? await hashPassword(password) : null;
  const sessionId = await db().$transaction(async (tx) => {
    await clearFailures(tx, candidate, { lastSignInAt: now, ...(rehash ? { passwordHash: rehash } : {}) });
    const session = await tx.authSession.create({
      data: {
        userId: candidate.kind === 'user' ? candidate.id : null,
        vendorAccountId: candidate.kind === 'vendor' ? candidate.id : null,
        sessionVersion: candidate.sessionVersion,
        ip,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...audit,
      action: 'SIGN_IN_SUCCESS',
      outcome: 'SUCCESS',
      details: { temporaryPassword: candidate.mustChangePassword, passwordRehashed: rehash !== null },
    });
    return session.id;
  });
  return { ok: true, sessionId };
}

/** The columns the lockout uses, which users and vendor accounts share. */
type LockoutTable = Pick<Tx['user'], 'updateMany' | 'findUniqueOrThrow' | 'update'>;

function lockoutTable(tx: Tx, kind: PrincipalKind): LockoutTable {
  // Both models carry the same lockout columns; only those are touched through this view.
  return kind === 'user' ? tx.user : (tx.vendorAccount as unknown as LockoutTable);
}

async function reserveAttempt(
  tx: Tx,
  candidate: Candidate,
): Promise<{ failureCount: number; lock: LockDecision } | null> {
  const table = lockoutTable(tx, candidate.kind);
  const now = new Date();
  await table.updateMany({
    where: { id: candidate.id, lastFailedSignInAt: { lt: new Date(now.getTime() - STREAK_RESET_MS) } },
    data: { failedSignInCount: 0, firstFailedSignInAt: null },
  });
  // One conditional increment: attempts while locked are not counted, and concurrent
  // attempts each see their own count (row lock on PostgreSQL, write lock on SQLite).
  const counted = await table.updateMany({
    where: { id: candidate.id, hardLockedAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data: { failedSignInCount: { increment: 1 }, lastFailedSignInAt: now },
  });
  if (counted.count === 0) return null;
  const row = await table.findUniqueOrThrow({
    where: { id: candidate.id },
    select: { failedSignInCount: true, firstFailedSignInAt: true },
  });
  const streakStart = row.firstFailedSignInAt ?? now;
  const lock = lockAfterFailure(row.failedSignInCount, streakStart, now, candidate.policy);
  await table.update({
    where: { id: candidate.id },
    data: {
      firstFailedSignInAt: streakStart,
      lockedUntil: lock.lockedUntil,
      ...(lock.hardLock ? { hardLockedAt: now } : {}),
    },
  });
  return { failureCount: row.failedSignInCount, lock };
}

/** The right password ends the streak, including the lock its own reservation set. */
async function clearFailures(tx: Tx, candidate: Candidate, extra: { lastSignInAt?: Date; passwordHash?: string }) {
  await lockoutTable(tx, candidate.kind).update({
    where: { id: candidate.id },
    data: { ...UNLOCKED, ...extra },
  });
}
