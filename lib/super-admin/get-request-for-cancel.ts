import { db } from '@/lib/db/client';
import { hashSecretToken, looksLikeSecretToken } from '@/lib/password-reset/secret-token';
import { formatReference } from './reference';
import { isOpen } from './state-machine';

/**
 * What the "this wasn't me" page shows before anyone confirms: the request the link belongs to,
 * if it can still be cancelled. Opening the link changes nothing (mail scanners open links).
 */
export async function getRequestForCancel(token: string) {
  if (!looksLikeSecretToken(token)) return null;
  const request = await db().superAdminResetRequest.findUnique({
    where: { cancelTokenHash: hashSecretToken(token) },
    select: { reference: true, state: true, createdAt: true, userId: true },
  });
  if (!request || !request.userId || !isOpen(request.state)) return null;
  const account = await db().user.findUnique({
    where: { id: request.userId },
    select: { displayName: true, loginName: true, agency: { select: { name: true, timeZone: true } } },
  });
  if (!account) return null;
  return {
    reference: formatReference(request.reference),
    submittedAt: request.createdAt,
    accountName: account.displayName,
    loginName: account.loginName,
    agencyName: account.agency.name,
    /** The agency's zone: the notice that links here says its times in it. */
    timeZone: account.agency.timeZone,
  };
}
