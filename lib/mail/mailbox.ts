/** Providers that deliver every spelling of a local part with or without dots to one inbox. */
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * The inbox a normalized address (normalizeKey) reaches, for limits on the mail sent to it: a
 * `+tag` is dropped, and at Gmail the dots and the googlemail.com alias, so "a.nn+1@googlemail.com"
 * and "ann@gmail.com" share one limit. Never an address to write to.
 */
export function inboxKey(emailKey: string): string {
  const at = emailKey.lastIndexOf('@');
  if (at < 0) return emailKey;
  const domain = emailKey.slice(at + 1);
  const local = emailKey.slice(0, at).replace(/\+.*$/, '');
  const dotless = DOTLESS_DOMAINS[domain];
  return dotless ? `${local.replaceAll('.', '')}@${dotless}` : `${local}@${domain}`;
}
