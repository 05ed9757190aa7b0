// Imports nothing: the secret-link pages' forms, drawn in the browser too, say how long to wait.

/** How long a client address's submissions to the secret-link pages are counted (RATE_LIMITS.tokenPagePerAddress). */
export const TOKEN_PAGE_WINDOW_MINUTES = 15;

/**
 * What every secret-link page's "cannot be used" answer to a submission adds: a throttled right link gets
 * that answer too (tokenPageThrottled), and must not be left believing it used or expired (review r41d F1).
 */
export const TRIES_FROM_YOUR_NETWORK = `If you have not used it yet, too many tries may have come from your network just now: wait ${TOKEN_PAGE_WINDOW_MINUTES} minutes and open the link again.`;
