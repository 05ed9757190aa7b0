import { normalizeKey } from '@/lib/validation/identifiers';

/** The account's contact details on record, as snapshot at filing and compared at approval. */
export type ContactDetails = { email: string | null; phone: string | null };

const emailKey = (email: string | null) => (email ? normalizeKey(email) : null);
// "+1 (512) 555-0178" and "+1 512 555 0178" are the same number on record; any digit is a change.
const phoneKey = (phone: string | null) => (phone ? phone.replace(/\D/g, '') || null : null);

/** Whether the account's e-mail or phone on record differs from the snapshot taken at filing. */
export function contactDetailsChanged(atFiling: ContactDetails, now: ContactDetails): boolean {
  return emailKey(atFiling.email) !== emailKey(now.email) || phoneKey(atFiling.phone) !== phoneKey(now.phone);
}
