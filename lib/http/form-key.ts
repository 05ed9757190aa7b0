import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** A fresh key for one rendering of a form that creates something (sent-once.ts). */
export function newFormKey(): string {
  return randomBytes(18).toString('base64url');
}

/** The form's hidden field: optional, as a client of the use case that is no browser form (a script, a test) sends none. */
export const formKeyField = { formKey: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, { error: 'Reload the page and send the form again.' }).optional() };
