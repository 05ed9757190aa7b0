/**
 * The hidden field every signed-in form sends: the key its page was drawn for (components/auth/drawn-for.tsx).
 * Apart from form-key.ts, which signs with node:crypto: the browser's bundle reads this name too.
 */
export const DRAWN_FOR_FIELD = 'drawnFor';
