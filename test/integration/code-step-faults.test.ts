// A code step (or a form that asks for a factor again) that the database interrupts. Review r54e F1: a one-time
// code was used up by its check, outside the transaction that records its use. A database lost in between left a
// recovery code spent with no record and no mail, the person told "nothing was saved", and the same code, typed
// again, refused as wrong and counted on the lock. The code is now used up in the transaction that records it:
// lost with it, the code is still the person's to type again. F2: a press the database left holding the step.
import { afterEach, describe, expect, it } from 'vitest';
import { ABANDONED_AFTER_MS, settleAttemptsLeftToTheRound } from '@/lib/auth/password-attempt';
import { resolveSession, type Actor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db, type Db } from '@/lib/db/client';
import { newFormKey } from '@/lib/http/form-key';
import { replaceRecoveryCodes } from '@/lib/mfa/recovery-codes';
import { regenerateRecoveryCodes } from '@/lib/mfa/regenerate-recovery-codes';
import { verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { checkFreshSecondFactor } from '@/lib/mfa/check-fresh-second-factor';
import { databaseKind } from '@/lib/db/kind';
import type { SentQuery } from '@/lib/db/client';
import { statementsOf } from '@/test/support/statements-of';
import { addTotpFactor, createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { nextTotpCode } from '../support/next-totp-code';

const PASSWORD = 'quiet meadow copper bicycle';
const IP = '198.18.54.6';
const portal = globalThis as unknown as { portalDb?: Db };

/**
 * The database goes away once the code has been checked (a statement on its table, outside any transaction: the
 * check's read, or a use that came before its record), before the step's transaction: every transaction from then
 * on fails as a database that is away does (P1001), until `back()`.
 */
function awayOnceChecked(model: 'recoveryCode' | 'mfaFactor') {
  const real = db();
  let away = false;
  const unreachable = () => Promise.reject(Object.assign(new Error("Can't reach database server"), { code: 'P1001' }));
  const table = new Proxy(real[model], {
    get(target, name, receiver) {
      const statement = Reflect.get(target, name, receiver) as unknown;
      if (typeof statement !== 'function') return statement;
      return async (...args: unknown[]) => {
        const rows = await (statement as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        away = true;
        return rows;
      };
    },
  });
  portal.portalDb = new Proxy(real, {
    get(target, name, receiver) {
      if (name === model) return table;
      if (name === '$transaction' && away) return unreachable;
      return Reflect.get(target, name, receiver);
    },
  });
  return { back: () => (portal.portalDb = real) };
}

let restore: (() => unknown) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

async function adminWithCodes(role: 'SUPER_ADMIN' | 'PROVIDER_ADMIN') {
  const agency = await createAgency(db());
  const email = `codes.${uniqueSuffix()}@example.test`;
  const user = await createUser(db(), agency.id, PASSWORD, { role, email });
  await addTotpFactor(db(), { userId: user.id });
  const codes = await db().$transaction((tx) => replaceRecoveryCodes(tx, { kind: 'user', id: user.id }));
  /** A new browser's password step: its code step, pending. */
  const pendingAgain = async () => {
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, IP);
    if (!signedIn.ok) throw new Error('sign-in failed');
    return (await resolveSession(signedIn.sessionId)) as Actor;
  };
  return { user, email, codes, pending: await pendingAgain(), pendingAgain };
}

/** The attempt the lost step reserved is the round's to write, as "not completed" (decision 065). */
async function roundWritesTheLostAttempt() {
  expect(await settleAttemptsLeftToTheRound(db(), new Date(Date.now() + ABANDONED_AFTER_MS + 60_000))).toBe(1);
}

const spentCodes = (userId: string) => db().recoveryCode.count({ where: { userId, usedAt: { not: null } } });

describe('a one-time code is used up with its record, or not at all (review r54e F1)', () => {
  it('[SUPER_ADMIN] the database lost between the code’s check and its step: the recovery code is not spent, and typed again it signs in, on the record and mailed', async () => {
    const { user, email, codes, pending } = await adminWithCodes('SUPER_ADMIN');
    const fault = awayOnceChecked('recoveryCode');
    restore = fault.back;
    await expect(verifySignInSecondFactor(pending, { code: codes[0]! }, IP)).rejects.toMatchObject({ code: 'P1001' });
    fault.back();
    expect(await spentCodes(user.id)).toBe(0);

    const again = await verifySignInSecondFactor(pending, { code: codes[0]! }, IP);
    expect(again).toMatchObject({ ok: true });
    expect(await spentCodes(user.id)).toBe(1);
    const success = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' } });
    expect(JSON.parse(success.details ?? '{}')).toMatchObject({ factor: 'RECOVERY_CODE' });
    expect(await db().outboxMessage.count({ where: { toAddress: email } })).toBe(1);
    await roundWritesTheLostAttempt();
  });

  it('[PROVIDER_ADMIN] an app code’s time step the same way: not used up by a step the database lost', async () => {
    const { user, pending } = await adminWithCodes('PROVIDER_ADMIN');
    const code = await nextTotpCode({ userId: user.id });
    const fault = awayOnceChecked('mfaFactor');
    restore = fault.back;
    await expect(verifySignInSecondFactor(pending, { code }, IP)).rejects.toMatchObject({ code: 'P1001' });
    fault.back();
    expect(await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({ lastUsedStep: null });
    expect(await verifySignInSecondFactor(pending, { code }, IP)).toMatchObject({ ok: true });
    await roundWritesTheLostAttempt();
  });

  it('[PROVIDER_ADMIN] new recovery codes confirmed with a recovery code: lost with the database, the code is not spent; done, it is spent and on the record', async () => {
    const { user, codes, pending } = await adminWithCodes('PROVIDER_ADMIN');
    const full = await verifySignInSecondFactor(pending, { code: await nextTotpCode({ userId: user.id }) }, IP);
    if (!full.ok) throw new Error('code step failed');
    const actor = (await resolveSession(full.sessionId)) as Actor;
    const fault = awayOnceChecked('recoveryCode');
    restore = fault.back;
    await expect(regenerateRecoveryCodes(actor, { code: codes[1]!, formKey: newFormKey(`user:${user.id}`) }, IP)).rejects.toMatchObject({ code: 'P1001' });
    fault.back();
    expect(await spentCodes(user.id)).toBe(0);
    expect(await regenerateRecoveryCodes(actor, { code: codes[1]!, formKey: newFormKey(`user:${user.id}`) }, IP)).toMatchObject({ ok: true });
    expect(await db().auditEvent.count({ where: { actorId: user.id, action: 'RECOVERY_CODE_USED' } })).toBe(1);
    await roundWritesTheLostAttempt();
  });
});

describe('a press the database left holding the code step (review r54e F2)', () => {
  it('[PROVIDER_ADMIN] the next press is told on the step that the last try is still being finished: nothing checked or counted, the step still open', async () => {
    const { user, pending } = await adminWithCodes('PROVIDER_ADMIN');
    // The hold the lost press could not release, as it is left until it lapses.
    await db().sentForm.create({ data: { key: `sign-in-code-step:${pending.sessionId}`, claimedBy: `user:${user.id}`, underWayUntil: new Date(Date.now() + 90_000) } });
    const code = await nextTotpCode({ userId: user.id });
    expect(await verifySignInSecondFactor(pending, { code }, IP)).toEqual({ ok: false, reason: 'STILL_UNDER_WAY' });
    expect(await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({ lastUsedStep: null });
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedSignInCount: 0 });
    expect(await db().authSession.findUniqueOrThrow({ where: { id: pending.sessionId } })).toMatchObject({ secondFactorPending: true, endedAt: null });
  }, 60_000);
});

/** Whether, in the transaction that spends a code, the account's row is held before the code's row is written. */
function accountHeldBeforeCodeSpent(sent: SentQuery[]) {
  const sql = sent.map((query) => query.sql.replace(/"public"\./g, ''));
  const spends = sql.findIndex((statement) => /^UPDATE "(RecoveryCode|MfaFactor)"/.test(statement));
  // The statements since the transaction before it ended (the client reports each COMMIT, not each BEGIN).
  const since = sql.slice(0, spends).lastIndexOf('COMMIT');
  return spends > 0 && sql.slice(since, spends).some((statement) => /^SELECT "id" FROM "User" WHERE "id" = \$1 FOR UPDATE/.test(statement));
}

describe('one code, pressed in two places at once (review r54f)', () => {
  it('[PROVIDER_ADMIN] the code step of one browser and a signed-in form of another send one recovery code together: it is used once, with one record', async () => {
    const { user, codes, pending, pendingAgain } = await adminWithCodes('PROVIDER_ADMIN');
    const full = await verifySignInSecondFactor(pending, { code: await nextTotpCode({ userId: user.id }) }, IP);
    if (!full.ok) throw new Error('code step failed');
    const signedIn = (await resolveSession(full.sessionId)) as Actor;
    const [check, step] = await Promise.all([
      checkFreshSecondFactor(signedIn, { code: codes[2]! }, IP, 'a test'),
      verifySignInSecondFactor(await pendingAgain(), { code: codes[2]! }, IP),
    ]);
    expect([check.ok, step.ok].filter(Boolean)).toHaveLength(1);
    expect(await spentCodes(user.id)).toBe(1);
    const recorded = await db().auditEvent.findMany({ where: { targetId: user.id, action: { in: ['RECOVERY_CODE_USED', 'SIGN_IN_SECOND_FACTOR_SUCCESS'] } } });
    expect(recorded.filter((record) => record.action === 'RECOVERY_CODE_USED' || JSON.parse(record.details ?? '{}').factor === 'RECOVERY_CODE')).toHaveLength(1);
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[PROVIDER_ADMIN] the code step and a signed-in form each hold the account before they spend its code, as every change to factors does: no deadlock (review r54f F1)',
    async () => {
      const { user, codes, pending, pendingAgain } = await adminWithCodes('PROVIDER_ADMIN');
      const step = await statementsOf(() => verifySignInSecondFactor(pending, { code: codes[0]! }, IP));
      await step.probe.$disconnect();
      expect(accountHeldBeforeCodeSpent(step.sent)).toBe(true);
      const full = await verifySignInSecondFactor(await pendingAgain(), { code: await nextTotpCode({ userId: user.id }) }, IP);
      if (!full.ok) throw new Error('code step failed');
      const signedIn = (await resolveSession(full.sessionId)) as Actor;
      const check = await statementsOf(() => checkFreshSecondFactor(signedIn, { code: codes[1]! }, IP, 'a test'));
      await check.probe.$disconnect();
      expect(accountHeldBeforeCodeSpent(check.sent)).toBe(true);
    },
  );
});

