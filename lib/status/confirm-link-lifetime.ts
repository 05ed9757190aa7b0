// Its own module, free of server imports: the confirm page's client form says it too.

/** An unconfirmed subscription, and its confirm link, last this long; then the row is removed. */
export const CONFIRM_LINK_DAYS = 7;
export const CONFIRM_LINK_LIFETIME_MS = CONFIRM_LINK_DAYS * 24 * 3_600_000;
