import { z } from 'zod';
import { emailAddressSchema } from '@/lib/validation/email-address';
import { hasHiddenCharacters, hasStackedMarks, oneLine, STACKED_MARKS_MESSAGE, type OneLineShape } from '@/lib/validation/free-text';

/**
 * The form under which provider codes, login names and vendor e-mails are stored and matched.
 * NFKC first so that fullwidth "ＡＣＭＥ" and ligatures compare as their plain forms; lower-casing can
 * produce characters that are not in NFKC form, hence the second pass.
 */
export function normalizeKey(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

// Such characters almost always come from pasting, so the message says what to do about it.
function invisibleCharacterMessage(label: string): string {
  return `${label} contains a hidden character. Type it in rather than pasting it`;
}

function identifier(label: string, emptyMessage: string, max: number, shape: OneLineShape = 'identifier') {
  return z
    .string({ error: emptyMessage })
    .transform(oneLine)
    .pipe(
      z
        .string()
        .min(1, emptyMessage)
        // Stops here when too long: the checks after it read the whole text (up to a form's 64 KB).
        .max(max, { error: `${label} must be ${max} characters or fewer`, abort: true })
        .refine((value) => !hasHiddenCharacters(value, shape), invisibleCharacterMessage(label))
        .refine((value) => !hasStackedMarks(value), `${label} ${STACKED_MARKS_MESSAGE}`),
    );
}

// The schemas return the text as typed, on one line (runs of spaces as one: it is shown to staff);
// match on normalizeKey(value).
export const providerCodeSchema = identifier('Provider code', 'Enter your provider code, for example ACME-NY', 32);

/**
 * Where a person may give their agency's name instead of its code (/help/ask-admin). Checked as a name:
 * a Persian agency's is written with the joiner between letters; the lookup ignores the joiners and
 * soft hyphen, in a code or a name (lib/help/request-admin-help.ts).
 */
export const agencyOrNameSchema = identifier('Provider code or agency name', 'Enter your provider code or your agency’s name', 200, 'name');

export const loginNameSchema = identifier('Login name', 'Enter your login name', 64);

export const vendorEmailSchema = identifier('E-mail address', 'Enter your work e-mail address', 254).pipe(emailAddressSchema);

/** No account's password is longer: past it a typed one is refused before any check, by every form that asks for it. */
export const MAX_TYPED_PASSWORD = 1024;
/** What a password too long for any account is told, by the sign-in's and the signed-in forms' guards alike (review r45c F2). */
export const PASSWORD_TOO_LONG = `A password can be at most ${MAX_TYPED_PASSWORD} characters`;

/**
 * Only a guard against absurd input (a 6 MB body would otherwise be hashed). Never trimmed or normalized
 * here: spaces are part of a password, and hashing applies NFKC itself.
 */
export const signInPasswordSchema = z
  .string({ error: 'Enter your password' })
  .min(1, 'Enter your password')
  .max(MAX_TYPED_PASSWORD, PASSWORD_TOO_LONG);
