import type { Actor } from '@/lib/auth/session';
import { newFormKey } from '@/lib/http/form-key';
import { formOwnerOf } from '@/lib/mfa/account';

/** A rendering's key as the page drawn for `actor` gives it (lib/http/form-key.ts). */
export const formKeyFor = (actor: Actor) => newFormKey(formOwnerOf(actor));
