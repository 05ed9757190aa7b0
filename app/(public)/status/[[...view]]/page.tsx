import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { IncidentTimeline } from '@/components/status/incident-timeline';
import styles from '@/components/status/status.module.css';
import { UptimeBars, UptimeLegend } from '@/components/status/uptime-bars';
import { copyUntilAttribute } from '@/lib/runtime/copy-until.mjs';
import { getStatusOverview, nextChangeByClock, type IncidentView, type MaintenanceView } from '@/lib/status/get-status-overview';
import { COMPONENT_STATUS_LABEL, OVERALL_LABEL } from '@/lib/status/severity';
import { LocalTime } from '@/components/ui/local-time';
import { SubscribeForm } from '../subscribe-form';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = {
  title: 'System status',
  alternates: { types: { 'application/atom+xml': '/status/feed.atom' } },
};

// Rendered per request by Next.js, yet people get server.mjs's copy from memory
// (lib/runtime/pages-in-memory.mjs): rendered again on each instance within a second of a change
// (a version row the database bumps), at once after an operator's change on that instance, and
// every minute for the uptime bars, and when a window starts or ends; kept, and sent, while the
// database is down.
export const dynamic = 'force-dynamic';

function Incident({ incident }: { incident: IncidentView }) {
  return (
    <article className={styles.incident} id={`incident-${incident.id}`} aria-labelledby={`incident-${incident.id}-title`}>
      <h3 id={`incident-${incident.id}-title`}>{incident.title}</h3>
      <p>
        <span className={`${styles.badge} ${styles[incident.impact]}`}>{COMPONENT_STATUS_LABEL[incident.impact]}</span> Affects:{' '}
        {incident.components.join(', ')}
      </p>
      <IncidentTimeline updates={incident.updates} />
    </article>
  );
}

function Maintenance({ window }: { window: MaintenanceView }) {
  return (
    <article className={styles.maintenance} id={`maintenance-${window.id}`}>
      <h3>{window.title}</h3>
      <p>
        {window.inProgress ? (
          'In progress until about '
        ) : (
          <>
            From <LocalTime value={window.startsAt} /> to{' '}
          </>
        )}
        <LocalTime value={window.endsAt} />.{' '}
        {window.blocksSignIn ? <strong>Sign-in is not possible during this time.</strong> : 'Sign-in works during this time.'}
      </p>
      {window.description && <p className="typed-lines">{window.description}</p>}
      <p className="muted">Affects: {window.components.join(', ')}</p>
    </article>
  );
}

export default publicPage(async function StatusPage({ params }: { params: Promise<{ view?: string[] }> }) {
  if ((await params).view) notFound();
  const status = await getStatusOverview();
  const { inProgress, upcoming } = status.maintenance;
  const changesAt = nextChangeByClock(status);
  return (
    <>
      <h1>CareNotes status</h1>
      <p className={`${styles.overall} ${styles[status.overall]}`} role="status" {...(changesAt && copyUntilAttribute(changesAt))}>
        {OVERALL_LABEL[status.overall]}
      </p>

      {inProgress.length > 0 && (
        <section aria-labelledby="maintenance-now">
          <h2 id="maintenance-now">Maintenance in progress</h2>
          {inProgress.map((window) => (
            <Maintenance key={window.id} window={window} />
          ))}
        </section>
      )}

      {status.activeIncidents.length > 0 && (
        <section aria-labelledby="incidents">
          <h2 id="incidents">Current incidents</h2>
          {status.activeIncidents.map((incident) => (
            <Incident key={incident.id} incident={incident} />
          ))}
        </section>
      )}

      <section aria-labelledby="components">
        <h2 id="components">Systems</h2>
        <ul className={styles.components}>
          {status.components.map((component) => (
            <li key={component.id} className={styles.component} id={`component-${component.slug}`}>
              <div className={styles.componentHead}>
                <h3 className={styles.componentName}>{component.name}</h3>
                <span className={`${styles.badge} ${styles[component.status]}`}>{COMPONENT_STATUS_LABEL[component.status]}</span>
              </div>
              {component.description && <p className="muted">{component.description}</p>}
              <UptimeBars name={component.name} slug={component.slug} uptime={component.uptime} />
            </li>
          ))}
        </ul>
        <UptimeLegend />
        <p className="muted">
          Uptime counts partial and major outages as downtime. Slow service and announced maintenance show on the day but are
          not counted as downtime.
        </p>
      </section>

      <section aria-labelledby="upcoming">
        <h2 id="upcoming">Planned maintenance</h2>
        {upcoming.length === 0 ? <p>No maintenance is planned.</p> : upcoming.map((window) => <Maintenance key={window.id} window={window} />)}
      </section>

      {status.recentIncidents.length > 0 && (
        <section aria-labelledby="recent">
          <h2 id="recent">Resolved in the last 7 days</h2>
          {status.recentIncidents.map((incident) => (
            <Incident key={incident.id} incident={incident} />
          ))}
        </section>
      )}

      <section className={styles.subscribe} aria-labelledby="subscribe">
        <h2 id="subscribe">Get an e-mail when something changes</h2>
        <p>We write when an incident starts, changes or ends, and when maintenance is planned, starts or ends.</p>
        <SubscribeForm />
        <p>
          Or follow the <a href="/status/feed.atom">Atom feed</a> in a feed reader.
        </p>
      </section>

      <p className="muted">
        Updated <LocalTime value={status.generatedAt} />. Cannot sign in?{' '}
        <Link href="/help">Follow the sign-in help guide</Link>.
      </p>
    </>
  );
});
