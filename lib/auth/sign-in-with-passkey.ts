import { z } from 'zod';
import { recordAudit, type AuditInput } from '@/lib/audit/record';
import { auditThrottledAddress } from '@/lib/audit/record-throttled';
import { isLocked, laneLockState, LANES_SELECT, type LanesState } from '@/lib/auth/lockout';
import { ACCOUNT_CHANGED_DURING_SIGN_IN, holdAccountAsChecked } from '@/lib/auth/account-as-checked';
import { laneOf, reserveAttempt, settleReservedAttempt, settleRightSecret, settleWrongSecret, type PrincipalKind, type Reservation } from '@/lib/auth/password-attempt';
import { openSession } from '@/lib/auth/session';
import { NO_DEVICE, type KnowsAccount, type SignInResult } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { answerNoSoonerThan } from '@/lib/http/answer-floor';
import { checkAssertion, findPasskey, openAssertion } from '@/lib/mfa/passkey-assertion';
import { PASSKEY_SUSPENDED } from '@/lib/mfa/suspend-passkey';
import { callbackUrlField } from '@/lib/http/safe-redirect';
import { webAuthnResponseField } from '@/lib/mfa/webauthn';
import { VENDOR_POLICY } from '@/lib/policy/agency-policy';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import { countSignIn } from '@/lib/observability/metrics.mjs';
import { endFourEyesLinkOnSignIn } from '@/lib/super-admin/end-link-on-sign-in';

export const passkeySignInSchema = z.object({ passkey: webAuthnResponseField, callbackUrl: callbackUrlField });

type Account = {
  kind: PrincipalKind;
  id: string;
  agencyId: string | null;
  role: Role | VendorRole;
  active: boolean;
  lock: LanesState;
  sessionVersion: number;
  policy: { softLockThreshold: number; hardLockThreshold: number };
};

async function accountOf(kind: 'agency' | 'vendor', passkey: { userId: string | null; vendorAccountId: string | null }): Promise<Account | null> {
  const lock = { role: true, ...LANES_SELECT, sessionVersion: true } as const;
  if (kind === 'agency') {
    if (!passkey.userId) return null;
    const user = await db().user.findUnique({
      where: { id: passkey.userId },
      select: { id: true, agencyId: true, status: true, ...lock, agency: { select: { softLockThreshold: true, hardLockThreshold: true } } },
    });
    return (
      user && {
        kind: 'user',
        id: user.id,
        agencyId: user.agencyId,
        role: user.role,
        active: user.status === 'ACTIVE',
        lock: user,
        sessionVersion: user.sessionVersion,
        policy: user.agency,
      }
    );
  }
  if (!passkey.vendorAccountId) return null;
  const account = await db().vendorAccount.findUnique({ where: { id: passkey.vendorAccountId }, select: { id: true, active: true, ...lock } });
  return account && { kind: 'vendor', agencyId: null, ...account, lock: account, policy: VENDOR_POLICY };
}

/**
 * A refusal answers no sooner than this. An unknown passkey is refused before the work a live
 * account's gets (its attempt counted, the signature checked): ~8 ms sooner, which told anyone
 * holding a passkey's id whether it names a live account. The address's limit is told at once.
 */
export const PASSKEY_REFUSAL_MIN_MS = 150;

/**
 * A passwordless sign-in: a discoverable passkey with user verification is a whole sign-in (no
 * /login/verify). The same account checks as a password: disabled or locked accounts are refused
 * with the same message as any failure, the attempt is reserved on the account's one failure
 * counter before the signature is checked, failures count for the address, and the session is
 * opened as sign-in opens it. A passkey signs in only at its own audience's page (a vendor passkey
 * at /login finds no account), and only when it names the account it was made for.
 */
export async function signInWithPasskey(kind: 'agency' | 'vendor', text: string, ip: string, knows = NO_DEVICE): Promise<SignInResult> {
  const result = await answerNoSoonerThan(PASSKEY_REFUSAL_MIN_MS, () => decidePasskeySignIn(kind, text, ip, knows), (answer) => answer.ok || answer.reason === 'THROTTLED');
  countSignIn(kind, 'passkey', result.ok ? 'success' : result.reason.toLowerCase());
  return result;
}

async function decidePasskeySignIn(kind: 'agency' | 'vendor', text: string, ip: string, knows: KnowsAccount): Promise<SignInResult> {
  const addressRule = RATE_LIMITS.signInFailuresPerAddress;
  const anonymous = { actorType: 'ANONYMOUS', actorId: null, agencyId: null, targetType: null, targetId: null, ip } as const;
  // Counted before anything is checked and given back on success, as a password attempt is: attempts
  // sent at once each meet the address's limit, instead of all passing a look at it first.
  const { limited } = await consumeRateLimit(db(), addressRule, ip);
  const refuse = async (audit: Omit<AuditInput, 'action' | 'outcome'>, reason: string, reservation?: Reservation): Promise<SignInResult> => {
    await settleWrongSecret(reservation ?? null, { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE', details: { reason, factor: 'PASSKEY' } }, 'passkey sign-in');
    return { ok: false, reason: 'INVALID' };
  };

  const opened = await openAssertion(text, 'SIGN_IN', null);
  const passkey = opened ? await findPasskey(opened.response.id) : null;
  const account = passkey ? await accountOf(kind, passkey) : null;
  // Past the limit, only a browser that has signed in as the passkey's account before goes on, as at the
  // password step (decision 062); its attempt is counted all the same, on the account's streak for known devices.
  const knownDevice = account !== null && knows({ kind: account.kind, id: account.id, version: account.sessionVersion });
  if (limited && !knownDevice) {
    await auditThrottledAddress({ ...anonymous, action: 'SIGN_IN_THROTTLED', outcome: 'DENIED', details: { factor: 'PASSKEY' } });
    return { ok: false, reason: 'THROTTLED' };
  }
  if (!opened) return refuse(anonymous, 'challenge unknown, used or expired');
  if (!passkey || !account) return refuse(anonymous, 'unknown passkey');
  const audit = {
    actorType: account.kind === 'vendor' ? 'VENDOR' : 'USER',
    actorId: account.id,
    agencyId: account.agencyId,
    targetType: account.kind === 'vendor' ? 'VendorAccount' : 'User',
    targetId: account.id,
    ip,
  } as const;
  const handle = opened.response.response.userHandle;
  if (handle !== undefined && handle !== Buffer.from(`${account.kind}:${account.id}`).toString('base64url')) {
    return refuse(audit, 'passkey names another account');
  }
  // Not counted, as with a password: a disabled account has no streak, and attempts while locked are not counted.
  if (!account.active) return refuse(audit, 'account disabled');
  const lane = laneOf(knownDevice);
  if (isLocked(laneLockState(account.lock, lane), new Date())) return refuse(audit, 'account locked');
  const failure = { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE', details: { factor: 'PASSKEY' } } as const;
  const reservation = await db().$transaction((tx) =>
    reserveAttempt(tx, { kind: account.kind, id: account.id, policy: account.policy, lane }, { failure, pathway: 'passkey sign-in' }),
  );
  if (!reservation.counted) return refuse(audit, 'account locked', reservation);
  const checked = await checkAssertion(passkey, opened);
  if (checked === 'refused') return refuse(audit, 'passkey refused', reservation);
  if (checked === 'suspended') {
    // Its key signed rightly: no guess, so counted on no lock and given back to the address; only its record says why.
    await settleReservedAttempt(() =>
      db().$transaction(async (tx) => {
        await settleRightSecret(tx, reservation, account, { rule: addressRule, ip }, { onlyThisAttempt: true });
        await recordAudit(tx, { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE', details: { reason: PASSKEY_SUSPENDED, factor: 'PASSKEY', factorId: passkey.id } });
      }),
    );
    return { ok: false, reason: 'INVALID' };
  }

  const sessionId = await settleReservedAttempt(() =>
    db().$transaction(async (tx) => {
      // A disable, a removed passkey or a reset committed while the signature was checked: this sign-in
      // writes no success after it, ends no four-eyes link, and counts no failure (review r37b F3).
      if (!(await holdAccountAsChecked(tx, account))) {
        await settleRightSecret(tx, reservation, account, { rule: addressRule, ip }, { onlyThisAttempt: true });
        await recordAudit(tx, { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE', details: { reason: ACCOUNT_CHANGED_DURING_SIGN_IN, factor: 'PASSKEY' } });
        return null;
      }
      const now = new Date();
      // The four-eyes link before the address's count, in the order the code step takes them.
      const fourEyesLinkRevoked = account.kind === 'user' && (await endFourEyesLinkOnSignIn(tx, account.id, now, ip));
      await settleRightSecret(tx, reservation, account, { rule: addressRule, ip }, { onlyThisAttempt: false, lastSignInAt: now });
      const id = await openSession(tx, account, account.sessionVersion, ip);
      const details = { factor: 'PASSKEY', factorId: passkey.id, passwordless: true, ...(fourEyesLinkRevoked && { fourEyesLinkRevoked }) };
      await recordAudit(tx, { ...audit, action: 'SIGN_IN_SUCCESS', outcome: 'SUCCESS', details });
      return id;
    }),
  );
  if (!sessionId) return { ok: false, reason: 'INVALID' };
  // A passkey with user verification was both factors.
  return { ok: true, sessionId, secondFactorPending: false, role: account.role, account: { kind: account.kind, id: account.id, version: account.sessionVersion } };
}
