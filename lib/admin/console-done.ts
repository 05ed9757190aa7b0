// What the admin console's pages say after an action done there without JavaScript (`?done=<action>`, decision 060).
export const RESET_LINK_SENT_PROMISE = 'You will not see it, and the password stays theirs alone: a temporary password given earlier no longer works.';

/** What a user's page in the console says after an action done there without JavaScript (`?done=<action>`). */
export const USER_PAGE_DONE = {
  'admin-send-reset-link': `A single-use reset link is on its way to their e-mail address on record. ${RESET_LINK_SENT_PROMISE}`,
} as const;

/** What the console's list says after a bulk unlock without JavaScript; its banner says what is still locked. */
export const CONSOLE_DONE = {
  'admin-bulk-unlock': 'The accounts are unlocked. Passwords have not changed.',
} as const;

/** What the help inbox says after "Mark resolved" or "Dismiss" without JavaScript: the entry has left the page with its buttons. */
export const HELP_INBOX_DONE = {
  'help-request-resolved': 'Marked as resolved.',
  'help-request-dismissed': 'Dismissed.',
} as const;

/**
 * What it says when, without JavaScript, either is refused because another administrator handled the
 * request first (or it is gone): its entry, and the answer drawn in it, are no longer on the page (review r34e).
 */
export const HELP_INBOX_GONE = {
  'help-request-resolved-gone': 'Not marked resolved: that request had already been resolved or dismissed, by another administrator or in another tab. Nothing was changed.',
  'help-request-dismissed-gone': 'Not dismissed: that request had already been resolved or dismissed, by another administrator or in another tab. Nothing was changed.',
} as const;
