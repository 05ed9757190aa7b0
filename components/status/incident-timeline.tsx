import type { IncidentView } from '@/lib/status/get-status-overview';
import { INCIDENT_STATUS_LABEL, formatUtc } from '@/lib/status/severity';
import styles from './status.module.css';

/** An incident's updates, newest first. */
export function IncidentTimeline({ updates }: { updates: IncidentView['updates'] }) {
  return (
    <ol className={styles.timeline}>
      {updates.map((update) => (
        <li key={update.id}>
          <time dateTime={update.createdAt}>{formatUtc(update.createdAt)}</time>
          <strong>{INCIDENT_STATUS_LABEL[update.status]}</strong>: {update.message}
        </li>
      ))}
    </ol>
  );
}
