import type { IncidentView } from '@/lib/status/get-status-overview';
import { LocalTime } from '@/components/ui/local-time';
import { INCIDENT_STATUS_LABEL } from '@/lib/status/severity';
import styles from './status.module.css';

/** An incident's updates, newest first. */
export function IncidentTimeline({ updates }: { updates: IncidentView['updates'] }) {
  return (
    <ol className={styles.timeline}>
      {updates.map((update) => (
        <li key={update.id}>
          <LocalTime value={update.createdAt} />
          <strong>{INCIDENT_STATUS_LABEL[update.status]}</strong>: <span className="typed-lines">{update.message}</span>
        </li>
      ))}
    </ol>
  );
}
