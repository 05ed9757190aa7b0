/** Providers that deliver every spelling of a local part with or without dots to one inbox. */
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };
/** Providers whose domains are aliases of one another: one name reaches one inbox under each (review r25b). */
const ALIAS_DOMAINS: Record<string, string> = {
  'me.com': 'icloud.com',
  'mac.com': 'icloud.com',
  'protonmail.com': 'proton.me',
  'protonmail.ch': 'proton.me',
  'pm.me': 'proton.me',
};

/**
 * The inbox a normalized address (normalizeKey) reaches, for limits on the mail sent to it: a
 * `+tag` is dropped, and at Gmail the dots and the googlemail.com alias, so "a.nn+1@googlemail.com"
 * and "ann@gmail.com" share one limit, as do "ann@me.com" and "ann@icloud.com". Never an address to write to.
 */
export function inboxKey(emailKey: string): string {
  const at = emailKey.lastIndexOf('@');
  if (at < 0) return emailKey;
  const given = emailKey.slice(at + 1);
  const domain = ALIAS_DOMAINS[given] ?? given;
  const local = emailKey.slice(0, at).replace(/\+.*$/, '');
  const dotless = DOTLESS_DOMAINS[domain];
  return dotless ? `${local.replaceAll('.', '')}@${dotless}` : `${local}@${domain}`;
}
