import { domainToASCII } from 'node:url';
import { z } from 'zod';

// What an e-mail address is, in one place: what the forms take and what the outbox sends to.

// RFC 5322's unquoted local part, letters of any script allowed (SMTPUTF8, RFC 6531; nodemailer asks
// the server for it): nothing that would read as a second address, a comment or a header.
const LOCAL_PART = /^[^<>()[\]\\.,;:\s@"\p{C}]+(?:\.[^<>()[\]\\.,;:\s@"\p{C}]+)*$/u;
// The domain checked in its ASCII form, as zod checks one (an IDN's punycode: what nodemailer sends
// when the local part is ASCII; beside a non-ASCII one it sends the domain as typed, under SMTPUTF8),
// and a top-level domain in punycode too (".рф" is "xn--p1ai"; review r35c F6).
const ASCII_DOMAIN = /^(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?:[A-Za-z]{2,}|xn--[A-Za-z0-9-]+)$/;

/**
 * Whether a mail server can be given this address: what ends up on record (imported, typed years ago)
 * is not always what a form would take today, and `z.email()` refused addresses in real use
 * (`olga.ówens@…`, `…@homecäre.example`, `first/last@…`; review r35a F1).
 */
export function isMailableAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at < 1 || at > 64 || address.length > 254) return false;
  return LOCAL_PART.test(address.slice(0, at)) && ASCII_DOMAIN.test(domainToASCII(address.slice(at + 1)));
}

/** The address when mail can be sent to it; null for none, or one no mail server can take (treated as none). */
export function mailableAddress(address: string | null | undefined): string | null {
  return address && isMailableAddress(address) ? address : null;
}

export const EMAIL_FORMAT_MESSAGE = 'Enter an e-mail address in the correct format, like name@example.com';

/**
 * The address with its local part in NFKC: full-width letters and ligatures as the letters they stand for.
 * Every address is keyed so (addressKey), and a form that kept the typed "ｗａｔｃｈｅｒ@…" mailed a
 * look-alike mailbox under the key of "watcher@…", taking that person's subscription over (review r51d F1).
 * Checked after this, as NFKC can make "<" or "@" of their full-width forms.
 */
function withPlainLocalPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at).normalize('NFKC')}${address.slice(at)}`;
}

/** An address typed in a form: one the outbox can send to (z.email() took some it could not, and refused some in real use; review r35c F7). */
export const emailAddressSchema = z.string().transform(withPlainLocalPart).refine(isMailableAddress, EMAIL_FORMAT_MESSAGE);
