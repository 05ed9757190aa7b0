import type { ResetRequestState } from '@/lib/generated/sqlite/enums';

/**
 * What a requester reads in the status lookup: only whether the request is still open or closed.
 * Anyone may file for any account name, and a request for a real administrator goes on through
 * states one that matches no account never reaches (checked, approved, completed, cancelled from a
 * notice on record): a stranger who filed, or filed again, could watch for those and learn the
 * account is real and when to expect the call-back (PRODUCT.md: the requester can't tell). What
 * actually happens is told to the phone number and e-mail address on record.
 */
const OPEN = {
  title: 'Received',
  detail:
    'Your request is with CareNotes. Verifiers handle it through the phone number and e-mail address on record for the account: any call, question or link comes there, never here.',
};
const CLOSED = {
  title: 'Closed',
  detail:
    'This request is closed. What happened has been sent to the e-mail address on record for the account, if there is one. If you still need a new password, you can file a new request.',
};
const STATE_FOR_REQUESTER: Record<ResetRequestState, { title: string; detail: string }> = {
  SUBMITTED: OPEN,
  IN_REVIEW: OPEN,
  NEEDS_INFO: OPEN,
  VERIFIED: OPEN,
  APPROVED: OPEN,
  COMPLETED: CLOSED,
  REJECTED: CLOSED,
  EXPIRED: CLOSED,
  CANCELLED: CLOSED,
};

// Ends that read as open until the submission's own expiry. Only a request for a real account reaches
// COMPLETED or CANCELLED (the owner's new password, or their "this wasn't me" from the notice); a request
// for nobody closes only by a verifier's rejection (which any request may get) or at its expiry. And a
// repeat, attached to a request someone filed earlier, outlives that request's expiry: its own runs
// from its own filing (get-request-status.ts).
const READ_AS_OPEN_UNTIL_EXPIRY: ReadonlySet<ResetRequestState> = new Set(['COMPLETED', 'CANCELLED', 'EXPIRED']);

/**
 * The lookup's words for a request, the same for a real account's request and one for nobody, and for
 * a first filing and a repeat: past `expiresAt` (the submission's own) by the clock alone, not by
 * whether the expiry round has marked it yet, closed.
 */
export function stateForRequester(request: { state: ResetRequestState; expiresAt: Date }, now: Date) {
  if (now >= request.expiresAt) return CLOSED;
  if (READ_AS_OPEN_UNTIL_EXPIRY.has(request.state)) return OPEN;
  return STATE_FOR_REQUESTER[request.state];
}

/** Short labels for the verification queue. */
export const STATE_LABEL: Record<ResetRequestState, string> = {
  SUBMITTED: 'New',
  IN_REVIEW: 'In review',
  NEEDS_INFO: 'Needs information',
  VERIFIED: 'Verified, awaiting approval',
  APPROVED: 'Approved, link by e-mail',
  COMPLETED: 'Completed',
  REJECTED: 'Rejected',
  EXPIRED: 'Expired',
  CANCELLED: 'Cancelled (“this wasn’t me”)',
};

/** How the request's audit records read in its history on the request page. */
export const HISTORY_LABEL: Record<string, string> = {
  SUPER_ADMIN_RESET_SUBMITTED: 'Submitted on the public form',
  SUPER_ADMIN_RESET_REPEATED: 'Submitted again on the public form (attached here; no notice sent)',
  SUPER_ADMIN_RESET_CLAIMED: 'Claimed',
  SUPER_ADMIN_RESET_CHECKLIST_SAVED: 'Checklist saved',
  SUPER_ADMIN_RESET_NEEDS_INFO: 'Asked for more information',
  SUPER_ADMIN_RESET_VERIFIED: 'Verified',
  SUPER_ADMIN_RESET_APPROVED: 'Approved; link queued for e-mail to the address on record at filing',
  SUPER_ADMIN_RESET_REJECTED: 'Rejected',
  SUPER_ADMIN_RESET_CANCELLED: 'Cancelled with “this wasn’t me”',
  SUPER_ADMIN_RESET_EXPIRED: 'Expired after 7 days',
  SUPER_ADMIN_RESET_COMPLETED: 'Completed: the account holder set a new password',
};

/**
 * What happens when the account has no e-mail address on record (README, "No e-mail on record"):
 * no link can go anywhere, so the request is rejected, and the agency has an address added through
 * its contract contact before filing again. The requester reads it before filing, whoever they are:
 * it must not depend on whether their account has an address.
 */
export const NO_EMAIL_FOR_REQUESTER =
  'If your account has no e-mail address on record, we cannot send you a link, and we will not send it anywhere else. We will call your agency’s phone number on record to explain: the person who signed your agency’s CareNotes contract asks CareNotes in writing to add a work e-mail address to your account, and then you send this form again.';

/** The verifier's steps for an account with no e-mail on record, shown on the request page. */
export const NO_EMAIL_STEPS_FOR_VERIFIER = [
  'Do not approve: a link can only go to an e-mail address on record, and none was on record when this request was filed.',
  'Call the agency’s phone number on record (never the number typed in the request) and explain that no link can be sent.',
  'Tell them how to add an address: the agency’s contract signatory writes to the CareNotes account team (on agency letterhead, signed) naming a work e-mail address for this administrator. The account team checks the letter by calling this same number on record and records the address. Verifiers never add or change contact details.',
  'Reject this request with the reason below. Once the address is on record, the administrator sends a new request.',
] as const;
