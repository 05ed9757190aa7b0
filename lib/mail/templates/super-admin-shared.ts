import { formatDateTime } from '@/lib/format/date';

// Small pieces the super-admin and reset-link messages share.

/** "Nov 27, 2026, 2:05 PM UTC": for the vendor's pages. Mail and pages for an agency use its zone (formatDateTime). */
export function formatWhen(date: Date): string {
  return formatDateTime(date, 'UTC');
}

export const NEVER_ASKS = 'No one from CareNotes will ever ask for your password, and CareNotes staff cannot see or set it.';
