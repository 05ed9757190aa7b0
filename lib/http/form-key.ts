import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** A fresh key for one rendering of a form that creates something (sent-once.ts). */
export function newFormKey(): string {
  return randomBytes(18).toString('base64url');
}

/** What a form whose key is not this rendering's (malformed, or drawn for someone else) is told. */
export const RELOAD_AND_SEND_AGAIN = 'Reload the page and send the form again.';

/** The form's hidden field: optional, as a client of the use case that is no browser form (a script, a test) sends none. */
export const formKeyField = { formKey: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, { error: RELOAD_AND_SEND_AGAIN }).optional() };
