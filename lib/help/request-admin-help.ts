import { createHash } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { auditThrottledAddress } from '@/lib/audit/record-throttled';
import { ADMIN_ROLES } from '@/lib/auth/access';
import { db, type Tx } from '@/lib/db/client';
import { answerNoSoonerThan } from '@/lib/http/answer-floor';
import { formKeyField } from '@/lib/http/form-key';
import { claimFormKey, onceForForm, sentBefore } from '@/lib/http/sent-once';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { mailableAddress } from '@/lib/validation/email-address';
import { helpRequestMail } from '@/lib/mail/templates/help-request';
import { consumeMailBudget, consumeRateLimit, MAIL_BUDGETS, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { clickableAddressIn, hasHiddenCharacters, hasStackedMarks, refuseAddresses, STACKED_MARKS_MESSAGE, tidyFreeText } from '@/lib/validation/free-text';
import { agencyOrNameSchema, loginNameSchema, normalizeKey } from '@/lib/validation/identifiers';

export const HELP_MESSAGE_MAX_LENGTH = 500;

const helpMessageSchema = z
  .string()
  .default('')
  .transform(tidyFreeText)
  .pipe(
    z
      .string()
      .max(HELP_MESSAGE_MAX_LENGTH, { error: `Your message must be ${HELP_MESSAGE_MAX_LENGTH} characters or fewer`, abort: true })
      .refine((value) => !hasHiddenCharacters(value, 'paragraphs'), 'Your message contains a hidden character. Type it in rather than pasting it')
      .refine((value) => !hasStackedMarks(value), `Your message ${STACKED_MARKS_MESSAGE}`)
      // Mailed to the agency's admins in CareNotes' name: anyone may write it, so it names no site or inbox.
      .superRefine(
        refuseAddresses(
          clickableAddressIn,
          (address) =>
            `Leave out web and e-mail addresses: ${address} would be a link in your administrators’ mail. They reach you through your account’s details. If it is no address, put a space after its full stop.`,
        ),
      ),
  )
  .transform((value) => value || null);

export const askAdminSchema = z.object({
  /** The agency's provider code, or its name for someone who does not know the code. */
  providerCode: agencyOrNameSchema,
  loginName: loginNameSchema,
  message: helpMessageSchema,
  ...formKeyField,
});

const FORM = 'ask-admin';

export type AskAdminInput = z.infer<typeof askAdminSchema>;

/** The person asking: anonymous, known only by the address the request came from. */
export type HelpRequester = { ip: string };

/** `accepted` says nothing about whether the account exists: the page is the same either way. */
export type AskAdminOutcome = { status: 'accepted' } | { status: 'throttled'; retryAfterSeconds: number };

/**
 * Every answer takes at least this long, so the work done for a real account (a transaction,
 * an audit record, one mail per admin) does not tell it apart from an unknown one.
 */
export const ASK_ADMIN_MIN_DURATION_MS = 400;

/** The per-account bucket is keyed by a hash: the rate-limit table never holds a login name. */
function accountSubject(agencyKey: string, loginKey: string): string {
  return createHash('sha256').update(`${agencyKey}\n${loginKey}`).digest('hex');
}

const AGENCY_FIELDS = { id: true, name: true, timeZone: true } as const;

/**
 * What was typed for the agency, without the joiners and soft hyphen a name may hold between letters
 * (the field takes a name's): as a code, or as a name, they count as nothing. One pasted with a soft
 * hyphen, or typed without the joiner, found no agency, and the answer cannot say so (reviews r36d F4, r36e F5).
 */
function withoutJoiners(typed: string): string {
  return typed.replace(/[\u00AD\u200C\u200D]/g, '');
}

/** Names are matched like codes, joiners aside, and runs of spaces count as one ("Harbour  Care" is "Harbour Care"). */
export function normalizeAgencyName(name: string): string {
  return normalizeKey(withoutJoiners(name)).replace(/\s+/g, ' ');
}

// Names are not unique and have no normalized column, so a name is looked for among all agencies'
// names (a few thousand short rows, read only when the code matched nothing, behind the answer's
// time floor and the per-address limit). A name two agencies share names no one: the person gets
// the same answer as for an unknown name, and no mail goes to the wrong agency.
async function agencyByName(tx: Tx, nameKey: string) {
  const ids = (await tx.agency.findMany({ select: { id: true, name: true } }))
    .filter((agency) => normalizeAgencyName(agency.name) === nameKey)
    .map((agency) => agency.id);
  return ids.length === 1 ? tx.agency.findUnique({ where: { id: ids[0] }, select: AGENCY_FIELDS }) : null;
}

/**
 * "Ask my administrator" (/help/ask-admin). For an active account, stores one HelpRequest for the
 * console's inbox and, within the limits, queues one mail per other active administrator of that
 * agency, with its audit record, in one transaction. For anything else nothing is stored or
 * queued. Either way the answer is the same `accepted`, in about the same time, and never names an
 * administrator.
 */
export async function requestAdminHelp(
  requester: HelpRequester,
  input: AskAdminInput,
  options: { minDurationMs?: number } = {},
): Promise<AskAdminOutcome> {
  // "Too many requests from this address" says so at once: it depends on no account.
  return answerNoSoonerThan(options.minDurationMs ?? ASK_ADMIN_MIN_DURATION_MS, () => handle(requester, input), (outcome) => outcome.status === 'throttled');
}

/** Thrown in the claiming transaction to undo it: a throttled form is not done, and may be sent again later. */
class AddressThrottled extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('help requests from this address are over their limit');
  }
}

async function handle({ ip }: HelpRequester, input: AskAdminInput): Promise<AskAdminOutcome> {
  // The same form sent again (a double click, a retried POST) was received: nothing is counted, stored or mailed twice.
  if (await sentBefore(FORM, input.formKey)) return { status: 'accepted' };
  try {
    // The limits are counted in the transaction that claims the form, after the claim: a copy sent
    // at the same moment fails at its claim, and what it counted goes with it (review r28b F2).
    await onceForForm(FORM, input.formKey, null, undefined, () => db().$transaction((tx) => receive(tx, ip, input)));
    return { status: 'accepted' };
  } catch (error) {
    if (!(error instanceof AddressThrottled)) throw error;
    await auditThrottledAddress({
      actorType: 'ANONYMOUS',
      action: 'HELP_REQUEST_THROTTLED',
      outcome: 'DENIED',
      ip,
      details: { limit: 'address' },
    });
    return { status: 'throttled', retryAfterSeconds: error.retryAfterSeconds };
  }
}

/** The form's work, in the transaction that claims it. */
async function receive(tx: Tx, ip: string, input: AskAdminInput): Promise<void> {
  await claimFormKey(tx, FORM, input.formKey);
  // "Too many requests from this address" depends on no account, so it is decided before any is looked for.
  const byAddress = await consumeRateLimit(tx, RATE_LIMITS.helpRequestPerAddress, ip);
  if (byAddress.limited) throw new AddressThrottled(byAddress.retryAfterSeconds);

  const codeKey = normalizeKey(withoutJoiners(input.providerCode));
  const loginKey = normalizeKey(input.loginName);
  const agency = (await tx.agency.findUnique({ where: { codeKey }, select: AGENCY_FIELDS })) ?? (await agencyByName(tx, normalizeAgencyName(input.providerCode)));
  // Counted whether or not the account exists, so the limit itself reveals nothing; by agency id
  // when there is one, so asking by name and by code fill the same bucket.
  const byAccount = await consumeRateLimit(tx, RATE_LIMITS.helpRequestPerAccount, accountSubject(agency?.id ?? codeKey, loginKey));
  const user = agency
    ? await tx.user.findUnique({
        where: { agencyId_loginKey: { agencyId: agency.id, loginKey } },
        select: { id: true, loginName: true, displayName: true, status: true },
      })
    : null;

  if (!agency || !user || user.status !== 'ACTIVE') {
    await recordAudit(tx, {
      actorType: 'ANONYMOUS',
      agencyId: agency?.id ?? null,
      action: 'HELP_REQUEST_UNMATCHED',
      outcome: 'FAILURE',
      ip,
      details: { reason: !agency ? 'unknown agency' : !user ? 'unknown user' : 'account disabled' },
    });
    return;
  }

  const request = await tx.helpRequest.create({
    data: { agencyId: agency.id, userId: user.id, message: input.message, ip },
    select: { id: true, createdAt: true },
  });
  // An admin asking for help is helped by the others: no one acts on their own account.
  const admins = await tx.user.findMany({
    where: { agencyId: agency.id, role: { in: [...ADMIN_ROLES] }, status: 'ACTIVE', id: { not: user.id } },
    select: { displayName: true, email: true },
  });
  // Past a limit the request is still stored and listed in the console, not mailed. Past the
  // account's, the admins were mailed about this person within the hour, and someone typing
  // another person's name over and over must not flood them; but the request may be the person's
  // own, after strangers named them, so it is never dropped.
  const heldBack = byAccount.limited
    ? 'account limit'
    : (await consumeMailBudget(tx, MAIL_BUDGETS.helpRequestMailsPerAgency, agency.id)).limited
      ? 'agency limit'
      : null;
  const mailable = admins.flatMap((admin) => {
    const to = mailableAddress(admin.email);
    return to ? [{ admin, to }] : [];
  });
  const queued = await enqueueMailBatch(
    tx,
    (heldBack ? [] : mailable).map(({ admin, to }) =>
      helpRequestMail({
        to,
        adminName: admin.displayName,
        agencyName: agency.name,
        requester: { displayName: user.displayName, loginName: user.loginName },
        message: input.message,
        requestedAt: request.createdAt,
        timeZone: agency.timeZone,
      }),
    ),
  );
  await recordAudit(tx, {
    actorType: 'ANONYMOUS',
    agencyId: agency.id,
    targetType: 'User',
    targetId: user.id,
    ip,
    action: 'HELP_REQUEST_CREATED',
    outcome: 'SUCCESS',
    details: {
      helpRequestId: request.id,
      adminsNotified: queued,
      adminsWithoutAddress: admins.length - mailable.length,
      ...(heldBack && { mailHeldBack: heldBack }),
      withMessage: input.message !== null,
    },
  });
}
