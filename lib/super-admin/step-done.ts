/** What a request's page in the queue says after a verifier's step (`?done=<step>`): the page reloaded. */
export const STEP_DONE = {
  claim: 'You are working this request.',
  checklist: 'Checklist saved.',
  verify: 'Verified. A second verifier must now approve it.',
  'more-info': 'The request is on hold. What we ask for is queued for e-mail to the address on record.',
  approve: 'Approved. The system queued a single-use link for e-mail to the address on record at filing; its delivery shows below. No one at CareNotes sees it.',
  reject: 'Rejected.',
} as const;

export type StepName = keyof typeof STEP_DONE;

const MOVED_ON = 'this request had changed since you opened it (a step taken meanwhile, by another verifier or in another tab, or its 7 days ran out). Nothing was changed: where it stands now is below.';

/**
 * What it says when, without JavaScript, a step is refused because the request moved on: its form is
 * no longer on the page drawn again, nor the answer drawn in it (review r34e).
 */
export const STEP_GONE = {
  'claim-gone': `Not claimed: ${MOVED_ON}`,
  'checklist-gone': `Your checklist was not saved: ${MOVED_ON}`,
  'verify-gone': `Not marked verified: ${MOVED_ON}`,
  'more-info-gone': `Not put on hold, and nothing was mailed: ${MOVED_ON}`,
  'approve-gone': `Not approved, and no link was sent: ${MOVED_ON}`,
  'reject-gone': `Not rejected, and nothing was mailed: ${MOVED_ON}`,
} as const satisfies Record<`${StepName}-gone`, string>;
