// Small pieces the super-admin and reset-link messages share.

/** "27 November 2026, 14:05 UTC": mail is read anywhere, so the zone is always named. */
export function formatWhen(date: Date): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
  return `${text.replace(' at ', ', ')} UTC`;
}

export const NEVER_ASKS = 'No one from CareNotes will ever ask for your password, and CareNotes staff cannot see or set it.';
