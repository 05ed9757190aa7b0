import type { ComponentStatus, IncidentStatus } from '@/lib/generated/sqlite/enums';
import type { StatusAlertContent } from '@/lib/mail/templates/status-alert';
import { COMPONENT_STATUS_LABEL, INCIDENT_STATUS_LABEL, formatUtc } from '@/lib/status/severity';

export type StatusAlertEvent =
  | {
      kind: 'incident-opened' | 'incident-updated' | 'incident-resolved';
      title: string;
      impact: ComponentStatus;
      status: IncidentStatus;
      message: string;
      components: string[];
    }
  | {
      kind: 'maintenance-scheduled' | 'maintenance-started' | 'maintenance-extended' | 'maintenance-ended' | 'maintenance-cancelled';
      title: string;
      description: string | null;
      startsAt: Date;
      endsAt: Date;
      blocksSignIn: boolean;
      components: string[];
    };

const SUBJECT_PREFIX: Record<StatusAlertEvent['kind'], string> = {
  'incident-opened': 'Incident',
  'incident-updated': 'Update',
  'incident-resolved': 'Resolved',
  'maintenance-scheduled': 'Planned maintenance',
  'maintenance-started': 'Maintenance started',
  'maintenance-extended': 'Maintenance extended',
  'maintenance-ended': 'Maintenance ended',
  'maintenance-cancelled': 'Maintenance cancelled',
};

/** What every subscriber gets for one event: built once, then addressed per subscriber. */
export function statusAlertContent(event: StatusAlertEvent): StatusAlertContent {
  const affects = event.components.length ? `Affects: ${event.components.join(', ')}.` : null;
  let paragraphs: string[];
  if ('message' in event) {
    paragraphs = [`${INCIDENT_STATUS_LABEL[event.status]}: ${event.message}`, `Impact: ${COMPONENT_STATUS_LABEL[event.impact]}.`];
  } else {
    const signIn = event.blocksSignIn ? 'Sign-in to CareNotes is not possible during this time.' : 'You can still sign in during this time.';
    if (event.kind === 'maintenance-scheduled') {
      paragraphs = [`From ${formatUtc(event.startsAt)} to ${formatUtc(event.endsAt)}.`, ...(event.description ? [event.description] : []), signIn];
    } else if (event.kind === 'maintenance-started') {
      paragraphs = [`The maintenance has started. We expect it to end by ${formatUtc(event.endsAt)}.`, signIn];
    } else if (event.kind === 'maintenance-extended') {
      // True of a window extended before it started too (review r41f I1).
      paragraphs = [`The maintenance will end later than planned: it now runs from ${formatUtc(event.startsAt)} to ${formatUtc(event.endsAt)}.`, signIn];
    } else if (event.kind === 'maintenance-cancelled') {
      paragraphs = [`The maintenance planned from ${formatUtc(event.startsAt)} to ${formatUtc(event.endsAt)} will not take place. Nothing changes for you.`];
    } else {
      paragraphs = ['The maintenance has ended. CareNotes is available again.'];
    }
  }
  if (affects) paragraphs.push(affects);
  return { template: `status-${event.kind}`, subject: `[CareNotes status] ${SUBJECT_PREFIX[event.kind]}: ${event.title}`, paragraphs };
}
