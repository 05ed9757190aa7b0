import type { ResetRequestState } from '@/lib/generated/sqlite/enums';

/** What a requester reads in the status lookup: the state in plain words, and nothing else. */
export const STATE_FOR_REQUESTER: Record<ResetRequestState, { title: string; detail: string }> = {
  SUBMITTED: { title: 'Received', detail: 'Your request is waiting for a CareNotes verifier.' },
  IN_REVIEW: {
    title: 'Being checked',
    detail: 'A CareNotes verifier is checking your request and will call your agency’s phone number on record.',
  },
  NEEDS_INFO: {
    title: 'More information needed',
    detail: 'A verifier needs more information and has written to the e-mail address on record for the account.',
  },
  VERIFIED: { title: 'Checked', detail: 'Your request has been checked and is waiting for a second verifier to approve it.' },
  APPROVED: {
    title: 'Approved',
    detail: 'A single-use link to choose a new password has been e-mailed to the address on record for the account.',
  },
  COMPLETED: { title: 'Completed', detail: 'A new password has been set with the link. You can sign in with it.' },
  REJECTED: {
    title: 'Not approved',
    detail: 'Your request was not approved. The reason has been e-mailed to the address on record for the account, if there is one.',
  },
  EXPIRED: { title: 'Expired', detail: 'The request was not completed within 7 days. You can file a new one.' },
  CANCELLED: {
    title: 'Cancelled',
    detail: 'The request was cancelled from the link in the notice sent to the account’s addresses on record.',
  },
};

/** Short labels for the verification queue. */
export const STATE_LABEL: Record<ResetRequestState, string> = {
  SUBMITTED: 'New',
  IN_REVIEW: 'In review',
  NEEDS_INFO: 'Needs information',
  VERIFIED: 'Verified, awaiting approval',
  APPROVED: 'Approved, link sent',
  COMPLETED: 'Completed',
  REJECTED: 'Rejected',
  EXPIRED: 'Expired',
  CANCELLED: 'Cancelled (“this wasn’t me”)',
};

/** How the request's audit records read in its history on the request page. */
export const HISTORY_LABEL: Record<string, string> = {
  SUPER_ADMIN_RESET_SUBMITTED: 'Submitted on the public form',
  SUPER_ADMIN_RESET_CLAIMED: 'Claimed',
  SUPER_ADMIN_RESET_CHECKLIST_SAVED: 'Checklist saved',
  SUPER_ADMIN_RESET_NEEDS_INFO: 'Asked for more information',
  SUPER_ADMIN_RESET_VERIFIED: 'Verified',
  SUPER_ADMIN_RESET_APPROVED: 'Approved; link mailed to the address on record',
  SUPER_ADMIN_RESET_REJECTED: 'Rejected',
  SUPER_ADMIN_RESET_CANCELLED: 'Cancelled with “this wasn’t me”',
  SUPER_ADMIN_RESET_EXPIRED: 'Expired after 7 days',
  SUPER_ADMIN_RESET_COMPLETED: 'Completed: the account holder set a new password',
};
