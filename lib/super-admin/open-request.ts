import { recordAudit } from '@/lib/audit/record';
import type { Tx } from '@/lib/db/client';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { mailableAddress } from '@/lib/validation/email-address';
import { superAdminRequestNoticeMail, type Gathered } from '@/lib/mail/templates/super-admin-request-notice';
import { hashSecretToken, newSecretToken } from '@/lib/password-reset/secret-token';
import { consumeMailBudget, MAIL_BUDGETS } from '@/lib/rate-limit/rate-limit';
import { listAgencyAdmins } from './list-agency-admins';
import { formatReference } from './reference';

export const REQUEST_LIFETIME_MS = 7 * 24 * 3600_000;

/**
 * The account's one open slot: the admin's user id, or, when nothing matched, what was typed
 * (normalized), so repeats of an unmatched request attach too and verifiers see them together.
 */
export function openKeyFor(userId: string | null, accountKey: string): string {
  return userId ? `user:${userId}` : `typed:${accountKey}`;
}

export type MatchedAccount = { id: string; displayName: string; loginName: string; email: string | null; phone: string | null };
export type RequestAgency = { id: string; code: string; name: string; timeZone: string };

/** The columns of TypedRequest, on a request and on each of its submissions alike. */
export const TYPED_FIELDS = {
  providerCode: true,
  loginName: true,
  fullName: true,
  jobTitle: true,
  workEmail: true,
  workPhone: true,
  reason: true,
  ip: true,
} as const;

/** What a requester typed, and the address it came from: the request's own words. */
export type TypedRequest = {
  providerCode: string;
  loginName: string;
  fullName: string;
  jobTitle: string;
  workEmail: string;
  workPhone: string;
  reason: string;
  ip: string | null;
};

/**
 * Opens a request in the caller's transaction, with its audit record and, for a real account, the
 * notices to the addresses on record; the caller files the submission itself on the request.
 * Two callers: a new filing (submit-request.ts), and a repeat that outlived the request it joined
 * (refile-repeats.ts), so a re-filed request warns and is audited exactly as a new filing is.
 */
export async function openRequest(
  tx: Tx,
  args: {
    typed: TypedRequest;
    reference: string;
    /** When its requester filed it: its seven days run from then. */
    submittedAt: Date;
    openKey: string;
    agency: RequestAgency | null;
    account: MatchedAccount | null;
    otherAdmins: Awaited<ReturnType<typeof listAgencyAdmins>>;
    /** Opened by re-filing: the closed request's reference, and the filings it holds (the earliest, its own, first). */
    refiled?: { from: string } & Gathered;
  },
): Promise<{ id: string }> {
  const { typed, reference, submittedAt, openKey, agency, account, otherAdmins } = args;
  const cancelToken = newSecretToken();
  // The other admins are told within the agency's budget (rate-limit.ts); the account holder always.
  const othersHeldBack =
    account !== null && agency !== null && otherAdmins.length > 0 && (await consumeMailBudget(tx, MAIL_BUDGETS.superAdminNoticesToOthersPerAgency, agency.id)).limited;
  // Only to addresses mail can reach: the verifiers are told how many were warned (noticesQueued).
  const holder = mailableAddress(account?.email);
  const notices =
    account && agency
      ? [
          ...(holder ? [{ to: holder, toAccountHolder: true }] : []),
          ...(othersHeldBack ? [] : otherAdmins.flatMap((admin) => { const to = mailableAddress(admin.email); return to ? [{ to, toAccountHolder: false }] : []; })),
        ]
      : [];
  const request = await tx.superAdminResetRequest.create({
    data: {
      reference,
      ...typed,
      agencyId: agency?.id ?? null,
      userId: account?.id ?? null,
      openKey,
      // What approval compares with and mails to: the address as it was when the request was filed.
      emailAtFiling: account?.email ?? null,
      phoneAtFiling: account?.phone ?? null,
      cancelTokenHash: account ? hashSecretToken(cancelToken) : null,
      refiledFrom: args.refiled?.from ?? null,
      createdAt: submittedAt,
      expiresAt: new Date(submittedAt.getTime() + REQUEST_LIFETIME_MS),
    },
    select: { id: true },
  });
  // Every request opened for a real account warns its holder: the canary must sing every time. The
  // holder's inbox stays bounded without a count: the account has one open request at a time (a
  // repeat attaches and mails nothing), so the next notice waits for this request to close, by their
  // own "this wasn't me", a verifier's decision or its expiry. A daily cap on notices let a stranger
  // whose requests the owner cancelled file a sixth that warned no one. The other admins' inboxes
  // take one notice per admin's request, so those are counted per agency (above; review r26b F2).
  await recordAudit(tx, {
    actorType: 'ANONYMOUS',
    agencyId: agency?.id ?? null,
    action: 'SUPER_ADMIN_RESET_SUBMITTED',
    targetType: 'SuperAdminResetRequest',
    targetId: request.id,
    ip: typed.ip,
    outcome: 'SUCCESS',
    details: {
      reference,
      matchesAdmin: account !== null,
      noticesQueued: notices.length,
      ...(othersHeldBack && { otherAdminsNotMailed: 'agency limit' }),
      ...(args.refiled && { refiledFrom: args.refiled.from, repeatsMoved: args.refiled.total - 1 }),
    },
  });
  await enqueueMailBatch(
    tx,
    notices.map(({ to, toAccountHolder }) =>
      superAdminRequestNoticeMail({
        to,
        toAccountHolder,
        account: account!,
        agency: agency!,
        reference: formatReference(reference),
        submittedAt,
        cancelToken,
        gathers: args.refiled && { total: args.refiled.total, earliest: args.refiled.earliest.map(formatReference), latest: args.refiled.latest.map(formatReference) },
      }),
    ),
  );
  return request;
}
