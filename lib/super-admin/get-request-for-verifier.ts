import type { VendorActor } from '@/lib/auth/session';
import { accountLock, isLocked, LANES_SELECT, type LanesState } from '@/lib/auth/lockout';
import { db } from '@/lib/db/client';
import { maskEmail, maskPhone } from '@/lib/format/mask';
import { describeDelivery } from '@/lib/mail/delivery-state';
import { addressKey } from '@/lib/mail/mailbox';
import { normalizeKey } from '@/lib/validation/identifiers';
import { NO_EMAIL_ON_RECORD, SAME_VERIFIER } from './approve-request';
import { contactDetailsChanged } from './contact-snapshot';
import { listAgencyAdmins } from './list-agency-admins';
import { DESCRIBED_FIELDS, describeRequest, vendorNames } from './list-queue';
import { TYPED_FIELDS } from './open-request';
import { formatReference } from './reference';
import { availableTransitions, isOpen } from './state-machine';
import { HISTORY_LABEL, STATE_LABEL } from './state-words';
import { assertVerifier } from './verifier-guard';
import { expireRequests } from './expire-requests';

export const RECENT_SIGN_IN_MS = 30 * 24 * 3600_000;
/** How far back the page lists the account's other requests. */
export const EARLIER_REQUESTS_MS = 30 * 24 * 3600_000;

type LockState = 'not locked' | 'locked for a while' | 'locked until an admin unlocks it';

function lockState(account: LanesState, now: Date): LockState {
  const lock = accountLock(account);
  if (lock.hardLockedAt) return 'locked until an admin unlocks it';
  return isLocked(lock, now) ? 'locked for a while' : 'not locked';
}

/** The newest history entries a request's page shows. */
const HISTORY_LIMIT = 200;

/**
 * One request as a verifier sees it: what was typed beside what is on record. Contact details on
 * record are masked, except the agency's phone number, which the verifier must call back. Every
 * select is explicit: no password hash, reset token or cancel-token hash ever leaves this file.
 */
export async function getRequestForVerifier(actor: VendorActor, requestId: string, now = new Date()) {
  assertVerifier(actor);
  await expireRequests(now);
  const request = await db().superAdminResetRequest.findUnique({
    where: { id: requestId },
    select: {
      ...DESCRIBED_FIELDS,
      expiresAt: true,
      completedAt: true,
      ...TYPED_FIELDS,
      agencyId: true,
      userId: true,
      claimedById: true,
      callbackDone: true,
      callbackNotes: true,
      identityConfirmed: true,
      noOtherAdminConfirmed: true,
      verifiedById: true,
      verifiedAt: true,
      approvedById: true,
      approvedAt: true,
      emailAtFiling: true,
      phoneAtFiling: true,
      contactChangedAt: true,
      approvalMailId: true,
      repeatCount: true,
    },
  });
  if (!request) return null;

  const agency = request.agencyId
    ? await db().agency.findUnique({ where: { id: request.agencyId }, select: { name: true, code: true, phoneOnRecord: true } })
    : null;
  const account = request.userId
    ? await db().user.findUnique({
        where: { id: request.userId },
        select: {
          displayName: true,
          loginName: true,
          role: true,
          status: true,
          email: true,
          phone: true,
          lastSignInAt: true,
          ...LANES_SELECT,
        },
      })
    : null;
  const others = request.userId ? await listAgencyAdmins(db(), request.agencyId, request.userId) : [];
  // The repeats are shown on their own below (the earliest fifty, and their count), not one history
  // line each: a stranger may file thousands, and reading their records ran the instance out of
  // memory (review r31e F1). What is left, the verifiers' own steps, is bounded all the same.
  const ofThisRequest = { targetType: 'SuperAdminResetRequest', targetId: request.id };
  const history = (
    await db().auditEvent.findMany({
      where: { ...ofThisRequest, action: { not: 'SUPER_ADMIN_RESET_REPEATED' } },
      orderBy: { seq: 'desc' },
      take: HISTORY_LIMIT,
      select: { seq: true, createdAt: true, actorType: true, actorId: true, action: true, outcome: true, details: true },
    })
  ).reverse();
  const submitted = await db().auditEvent.findFirst({ where: { ...ofThisRequest, action: 'SUPER_ADMIN_RESET_SUBMITTED' }, select: { details: true } });
  const repeats = await db().superAdminRequestSubmission.findMany({
    where: { requestId: request.id, repeat: true },
    orderBy: { createdAt: 'asc' },
    take: 50,
    select: { reference: true, createdAt: true, fullName: true, jobTitle: true, workEmail: true, workPhone: true, reason: true, ip: true },
  });
  // Strangers may file again and again for one account; "this wasn't me" answers to earlier ones are
  // what a verifier most needs to see before calling the number on record.
  const earlier = request.userId
    ? await db().superAdminResetRequest.findMany({
        where: { userId: request.userId, id: { not: request.id }, createdAt: { gte: new Date(now.getTime() - EARLIER_REQUESTS_MS) } },
        orderBy: { createdAt: 'desc' },
        take: 20,
        select: { reference: true, createdAt: true, state: true },
      })
    : [];
  // Only the delivery columns of the link's mail: its body is the secret.
  const approvalMail = request.approvalMailId
    ? await db().outboxMessage.findUnique({
        where: { id: request.approvalMailId },
        select: { status: true, attempts: true, nextAttemptAt: true, sentAt: true, createdAt: true },
      })
    : null;
  const contactChanged = account !== null && contactDetailsChanged({ email: request.emailAtFiling, phone: request.phoneAtFiling }, account);
  const names = await vendorNames([
    request.claimedById,
    request.verifiedById,
    request.approvedById,
    ...history.filter((event) => event.actorType === 'VENDOR').map((event) => event.actorId),
  ]);
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'a former vendor account') : null);

  const filing = submitted?.details ? (JSON.parse(submitted.details) as { noticesQueued?: number; noticesHeldBack?: string }) : {};
  const me = actor.vendorAccountId;
  const actions = availableTransitions(request, me);

  return {
    ...describeRequest(request, now),
    isOpen: isOpen(request.state),
    expiresAt: request.expiresAt,
    completedAt: request.completedAt,
    submitted: {
      providerCode: request.providerCode,
      loginName: request.loginName,
      fullName: request.fullName,
      jobTitle: request.jobTitle,
      workEmail: request.workEmail,
      workPhone: request.workPhone,
      reason: request.reason,
      ip: request.ip,
    },
    matchesAdmin: account !== null,
    agency,
    account: account && {
      displayName: account.displayName,
      loginName: account.loginName,
      role: account.role,
      active: account.status === 'ACTIVE',
      hasEmail: account.email !== null,
      maskedEmail: account.email ? maskEmail(account.email) : null,
      maskedPhone: account.phone ? maskPhone(account.phone) : null,
      // Whether the typed contact details are those on record, without showing what is on record.
      typedEmailMatches: account.email ? addressKey(account.email) === addressKey(request.workEmail) : null,
      typedNameMatches: normalizeKey(account.displayName) === normalizeKey(request.fullName),
      lastSignInAt: account.lastSignInAt,
      lock: lockState(account, now),
    },
    otherAdmins: others.map((admin) => ({
      displayName: admin.displayName,
      role: admin.role,
      hasEmail: admin.email !== null,
      lastSignInAt: admin.lastSignInAt,
      signedInRecently: admin.lastSignInAt !== null && now.getTime() - admin.lastSignInAt.getTime() <= RECENT_SIGN_IN_MS,
      lock: lockState(admin, now),
    })),
    noticesQueued: filing.noticesQueued ?? null,
    /** Filed while a daily cap held notices back (until session 16): no one on record was warned. */
    noticesHeldBack: filing.noticesHeldBack !== undefined,
    /** The account's other requests of the last 30 days, newest first. */
    earlierRequests: earlier.map((other) => ({
      reference: formatReference(other.reference),
      createdAt: other.createdAt,
      state: STATE_LABEL[other.state],
      cancelledOnRecord: other.state === 'CANCELLED',
    })),
    /** Later submissions for this account, attached here: what was typed each time, unverified. */
    repeatCount: request.repeatCount,
    repeats: repeats.map((repeat) => ({ ...repeat, reference: formatReference(repeat.reference) })),
    /** No address on record at filing: approval is impossible; the page shows what to do instead. */
    noEmailAtFiling: account !== null && request.emailAtFiling === null,
    /** The account's contact details on record differ from those at filing (approval would send it back). */
    contactChanged,
    /** When an approval found them changed and sent the request back to review. */
    contactChangedAt: request.contactChangedAt,
    delivery: approvalMail ? describeDelivery(approvalMail) : null,
    /** Closed because its approval's link died unused (lapse-approval.ts): a new filing starts afresh. */
    linkLapsed: request.state === 'EXPIRED' && history.some((event) => event.action === 'SUPER_ADMIN_RESET_LINK_LAPSED'),
    checklist: {
      callbackDone: request.callbackDone,
      callbackNotes: request.callbackNotes,
      identityConfirmed: request.identityConfirmed,
      noOtherAdminConfirmed: request.noOtherAdminConfirmed,
    },
    claimedBy: nameOf(request.claimedById),
    /** Whose claim the page shows: the claim form sends it back (claimSchema). */
    claimedById: request.claimedById,
    verifiedBy: nameOf(request.verifiedById),
    verifiedAt: request.verifiedAt,
    approvedBy: nameOf(request.approvedById),
    approvedAt: request.approvedAt,
    youClaimed: request.claimedById === me,
    actions,
    /** Why this verifier cannot approve a VERIFIED request, shown instead of the button. */
    approveBlocked:
      request.state !== 'VERIFIED'
        ? null
        : request.verifiedById === me
          ? SAME_VERIFIER
          : account && !contactChanged && !request.emailAtFiling
            ? NO_EMAIL_ON_RECORD
            : null,
    history: history.map((event) => {
      const details = event.details ? (JSON.parse(event.details) as Record<string, unknown>) : {};
      return {
        seq: event.seq,
        at: event.createdAt,
        what: HISTORY_LABEL[event.action] ?? event.action,
        who:
          event.actorType === 'VENDOR'
            ? nameOf(event.actorId)
            : event.actorType === 'SYSTEM'
              ? 'the system'
              : event.action === 'SUPER_ADMIN_RESET_COMPLETED'
                ? 'the account holder'
                : 'someone on the public site',
        refused: event.outcome !== 'SUCCESS',
        note:
          typeof details.refused === 'string'
            ? details.refused
            : typeof details.refiledFrom === 'string'
              ? `filed as a repeat of ${formatReference(details.refiledFrom)}, which was closed; opened as a request of its own`
              : null,
      };
    }),
  };
}

export type RequestForVerifier = NonNullable<Awaited<ReturnType<typeof getRequestForVerifier>>>;
