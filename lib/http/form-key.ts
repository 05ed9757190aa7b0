import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hmacSign, hmacVerify } from '@/lib/crypto/keyring';

/** The keyring purpose of a key's signature (exported for the tests that forge one). */
export const DRAWN_FOR = { salt: 'portal-form-key', info: 'form key drawn for v1' } as const;
/** The random part of a key: 18 bytes, base64url. A key drawn for an account carries its signature after it. */
const RANDOM_CHARS = 24;

/**
 * A fresh key for one rendering of a form (sent-once.ts). `drawnFor`: the account the page was drawn for
 * (formOwnerOf), signed into the key, so that the page sent after another account signed in on the same
 * browser (a shared computer) is refused as not this person's, not done as theirs (review r48e F3).
 */
export function newFormKey(drawnFor?: string): string {
  const random = randomBytes(18).toString('base64url');
  return drawnFor === undefined ? random : random + hmacSign(DRAWN_FOR, [drawnFor, random]);
}

/**
 * Whether `key` has the shape of a key drawn for some account (its random part and a signature), whoever's: one
 * that fails keyDrawnFor for this account was drawn for another, where a missing or unsigned one was never drawn.
 */
export function looksDrawnForAnAccount(key: string | undefined): boolean {
  return key !== undefined && key.length > RANDOM_CHARS + 16 && /^[A-Za-z0-9_-]+$/.test(key);
}

/** Whether `key` was drawn for the account `owner` (newFormKey). */
export function keyDrawnFor(key: string, owner: string): boolean {
  return hmacVerify(DRAWN_FOR, [owner, key.slice(0, RANDOM_CHARS)], key.slice(RANDOM_CHARS));
}

/** The keyring purpose of a tab mark (tabMarkOf). */
const TAB_MARK = { salt: 'portal-tab-mark', info: 'signed-in tab mark v1' } as const;

/**
 * The same for every page drawn for one account, another for another, and telling nothing of the account: a
 * browser's signed-in tabs compare it, and one drawn for an account no longer signed in there reloads
 * (components/auth/drawn-for.tsx).
 */
export function tabMarkOf(owner: string): string {
  return hmacSign(TAB_MARK, [owner]).slice(0, 22);
}

/** What a form whose key is not this rendering's (malformed, or drawn for someone else) is told. */
export const RELOAD_AND_SEND_AGAIN = 'Reload the page and send the form again.';
/**
 * What a signed-in form drawn for another account is told: one that signed in on this browser since. Reloading
 * shows that account's page, which the person must see is not theirs before sending anything (review r53a F2).
 */
export const DRAWN_FOR_ANOTHER_ACCOUNT =
  'Another account has signed in on this browser since this page was opened, so nothing was done. Reload the page and check whose account it shows before you go on.';

/** The form's hidden field: optional, as a client of the use case that is no browser form (a script, a test) sends none. */
export const formKeyField = { formKey: z.string().regex(/^[A-Za-z0-9_-]{20,80}$/, { error: RELOAD_AND_SEND_AGAIN }).optional() };
