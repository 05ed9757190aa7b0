import type { ResetRequestState } from '@/lib/generated/sqlite/enums';

/**
 * What a requester reads in the status lookup: only whether the submission's seven days are over, by the
 * clock alone. Anyone may file for any account name, and whatever happens to a request tells of the
 * account: a request for a real administrator goes through steps one for nobody never reaches
 * (checked, approved, completed, cancelled from a notice on record), and one for nobody is rejected at
 * the verifiers' first look (its page tells them to), while a real one waits on call-backs. A stranger
 * who filed, or filed again, could watch for either (PRODUCT.md: the requester can't tell). What
 * actually happens is told to the phone number and e-mail address on record.
 */
const OPEN = {
  title: 'Received',
  detail:
    'Your request was received. Verifiers handle it through the phone number and e-mail address on record for the account: any call, question, decision or link comes there, never here.',
};
const CLOSED = {
  title: 'Closed',
  detail:
    'This request is closed. What happened has been sent to the e-mail address on record for the account, if there is one. If you still need a new password, you can file a new request.',
};

/**
 * The lookup's words for a submission, the same whatever became of its request: open until
 * `expiresAt` (the submission's own: a repeat's runs from its own filing, get-request-status.ts),
 * closed from then on, by the clock alone, not by whether the expiry round has marked it yet.
 */
export function stateForRequester(submission: { expiresAt: Date }, now: Date) {
  return now >= submission.expiresAt ? CLOSED : OPEN;
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
  SUPER_ADMIN_RESET_LINK_LAPSED: 'Closed: its link expired or was revoked before it was used',
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
