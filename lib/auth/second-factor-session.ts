import { db } from '@/lib/db/client';
import { hasSecondFactor } from '@/lib/mfa/policy';

/**
 * Called by the sign-in form's finishing step, before the browser gets its cookie: a session
 * opened by the password of an account with a second factor reaches only /login/verify.
 */
export async function holdForSecondFactor(sessionId: string): Promise<boolean> {
  const session = await db().authSession.findUniqueOrThrow({ where: { id: sessionId }, select: { userId: true, vendorAccountId: true } });
  const owner = session.userId ? { kind: 'user' as const, id: session.userId } : { kind: 'vendor' as const, id: session.vendorAccountId! };
  if (!(await hasSecondFactor(owner))) return false;
  await db().authSession.update({ where: { id: sessionId }, data: { secondFactorPending: true } });
  return true;
}
