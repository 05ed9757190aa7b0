import { domainToASCII, domainToUnicode } from 'node:url';
import { normalizeKey } from '@/lib/validation/identifiers';

/** Providers whose domains are aliases of one another: one name reaches one inbox under each (review r25b). */
const ALIAS_DOMAINS: Record<string, string> = {
  'googlemail.com': 'gmail.com',
  'me.com': 'icloud.com',
  'mac.com': 'icloud.com',
  'protonmail.com': 'proton.me',
  'protonmail.ch': 'proton.me',
  'pm.me': 'proton.me',
};

/**
 * One key for an address however its domain is spelt: a mail server reads the domain as UTS 46 does, so
 * "example。com" is "example.com" and "bücher.example" is "xn--bcher-kva.example" (review r41b F1). The
 * local part is normalizeKey's (NFKC, lower case). Never an address to write to.
 */
export function addressKey(address: string): string {
  const key = normalizeKey(address);
  const at = key.lastIndexOf('@');
  if (at < 0) return key;
  return `${key.slice(0, at)}@${domainToASCII(key.slice(at + 1)) || key.slice(at + 1)}`;
}

/**
 * The keys a row of this address may have been saved under before addressKey: its normalizeKey as typed,
 * and with its domain in Unicode (as a form took it then), after addressKey's own, first.
 */
export function addressKeySpellings(address: string): string[] {
  const key = addressKey(address);
  const at = key.lastIndexOf('@');
  const unicode = at < 0 ? key : `${key.slice(0, at)}@${domainToUnicode(key.slice(at + 1))}`;
  return [...new Set([key, normalizeKey(address), normalizeKey(unicode)])];
}

/**
 * The inbox an address key (addressKey) may reach, for limits on the mail sent to it: the
 * local part up to a `+` tag, without dots, dashes or underscores, at the domain or the domain it is
 * an alias of. Gmail ignores dots, Proton dots, dashes and underscores: a list of providers was always
 * one short (review r35a F2), so every domain is read so. Two people whose names differ only so
 * ("ann.lee" and "annlee" at one domain) share a limit of a few mails an hour; a tag after a dash is
 * not cut, or "mary-ann" and "mary-jane" would share one too (review r35c F5). Never an address to write to.
 */
export function inboxKey(emailKey: string): string {
  const at = emailKey.lastIndexOf('@');
  if (at < 0) return emailKey;
  const local = emailKey.slice(0, at).replace(/\+.*$/, '').replace(/[._-]/g, '');
  return `${local}@${inboxDomain(emailKey)}`;
}

/** The domain of an address key's inbox (inboxKey's): the domain, or the one it is an alias of. Never a domain to write to. */
export function inboxDomain(emailKey: string): string {
  const given = emailKey.slice(emailKey.lastIndexOf('@') + 1);
  return ALIAS_DOMAINS[given] ?? given;
}

/**
 * Large providers (as inboxDomain names them) where a stranger reaches an inbox only by the spellings inboxKey
 * folds (`+` tags, dots, the aliases above): no catch-all, no subdomain addressing, no tag after a dash that works
 * unless its owner made it. Many real people share each, so a domain's budget of mail strangers cause is larger
 * there (lib/rate-limit/rate-limit.ts); anywhere else `ann-1@`, `ann-2@`… may all reach one inbox (review r55d F2).
 */
export const LARGE_PROVIDER_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'yahoo.com',
  'aol.com',
  'proton.me',
]);
