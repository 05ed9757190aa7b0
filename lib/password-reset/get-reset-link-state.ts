import { db } from '@/lib/db/client';
import { whyLinkIsDead } from './issue-reset-link';
import { hashSecretToken, looksLikeSecretToken } from './secret-token';

export type ResetLinkState = 'valid' | 'invalid';

/** What the reset page may show about a live link: whose account, and the length rule. */
export type ResetLinkDetails = { loginName: string; agencyCode: string; minPasswordLength: number };

/**
 * The link's account when it can still be used, else null. Used, expired, unknown, revoked, a
 * disabled account or a request no longer approved all give null: one message for all of them.
 * Reading never consumes the link (mail scanners open links); only a submitted password does.
 */
export async function getResetLinkDetails(token: string, now = new Date()): Promise<ResetLinkDetails | null> {
  if (!looksLikeSecretToken(token)) return null;
  const link = await db().passwordResetToken.findUnique({
    where: { tokenHash: hashSecretToken(token) },
    select: { userId: true, purpose: true, requestId: true, usedAt: true, expiresAt: true, endedAt: true },
  });
  if (!link || whyLinkIsDead(link, now)) return null;
  if (link.purpose === 'SUPER_ADMIN_REQUEST') {
    const request = link.requestId
      ? await db().superAdminResetRequest.findUnique({ where: { id: link.requestId }, select: { state: true } })
      : null;
    if (request?.state !== 'APPROVED') return null;
  }
  const user = await db().user.findUnique({
    where: { id: link.userId },
    select: { loginName: true, status: true, agency: { select: { code: true, minPasswordLength: true } } },
  });
  if (!user || user.status !== 'ACTIVE') return null;
  return { loginName: user.loginName, agencyCode: user.agency.code, minPasswordLength: user.agency.minPasswordLength };
}

export async function getResetLinkState(token: string): Promise<ResetLinkState> {
  return (await getResetLinkDetails(token)) ? 'valid' : 'invalid';
}
