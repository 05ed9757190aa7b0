export const RESET_LINK_SENT_PROMISE = 'You will not see it, and the password stays theirs alone.';

/** What a user's page in the console says after an action done there without JavaScript (`?done=<action>`). */
export const USER_PAGE_DONE = {
  'admin-send-reset-link': `A single-use reset link is on its way to their e-mail address on record. ${RESET_LINK_SENT_PROMISE}`,
} as const;

/** What the console's list says after a bulk unlock without JavaScript; its banner says what is still locked. */
export const CONSOLE_DONE = {
  'admin-bulk-unlock': 'The accounts are unlocked. Passwords have not changed.',
} as const;
