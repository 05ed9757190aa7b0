import type { Metadata } from 'next';
import Link from 'next/link';
import { IncidentTimeline } from '@/components/status/incident-timeline';
import { DoneNotice } from '@/components/ui/done-notice';
import styles from '@/components/status/status.module.css';
import { requirePageActor } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { DEFAULT_TIME_ZONE, supportedTimeZones, timeZoneLabel } from '@/lib/format/date';
import { countActiveSubscribers } from '@/lib/status/count-active-subscribers';
import { getStatusOverview, type MaintenanceView } from '@/lib/status/get-status-overview';
import { COMPONENT_STATUS_LABEL, COMPONENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUS_LABEL, INCIDENT_STATUSES, formatUtc } from '@/lib/status/severity';
import {
  cancelMaintenanceAction,
  endMaintenanceAction,
  extendMaintenanceAction,
  openIncidentAction,
  postIncidentUpdateAction,
  scheduleMaintenanceAction,
  setComponentStatusAction,
  startMaintenanceAction,
} from './actions';
import { FormKey } from '@/components/ui/form-key';
import { formOwnerOf } from '@/lib/mfa/account';
import { ActionForm, Checkbox, ComponentCheckboxes, OperatorNotices, Select, TextArea, TextField } from './form-controls';
import { OPERATOR_ACCESS } from '@/lib/status/operator-access';
import { OPERATOR_DONE, OPERATOR_GONE } from '@/lib/status/operator-done';

export const metadata: Metadata = { title: 'Status operations' };

const statusOptions = COMPONENT_STATUSES.map((value) => ({ value, label: COMPONENT_STATUS_LABEL[value] }));
const impactOptions = INCIDENT_IMPACTS.map((value) => ({ value, label: COMPONENT_STATUS_LABEL[value] }));
const openStateOptions = INCIDENT_STATUSES.filter((s) => s !== 'RESOLVED').map((value) => ({ value, label: INCIDENT_STATUS_LABEL[value] }));
const updateStateOptions = INCIDENT_STATUSES.map((value) => ({ value, label: INCIDENT_STATUS_LABEL[value] }));

// UTC first (the default, and what the rest of this page shows), then every zone by name.
const TIME_ZONE_OPTIONS = supportedTimeZones().map((zone) => ({ value: zone, label: timeZoneLabel(zone) }));

function WindowControls({ window }: { window: MaintenanceView }) {
  return (
    <div className={styles.maintenance}>
      <h3>{window.title}</h3>
      <p>
        {window.inProgress ? 'In progress' : 'Starts ' + formatUtc(window.startsAt)}, ends {formatUtc(window.endsAt)}.{' '}
        {window.blocksSignIn ? 'Blocks sign-in.' : 'Does not block sign-in.'} Affects: {window.components.join(', ')}.
      </p>
      <ActionForm action={extendMaintenanceAction} submit="Extend" secondary inline>
        <input type="hidden" name="windowId" value={window.id} />
        <TextField name="endsAt" label="New end (UTC)" type="datetime-local" defaultValue={window.endsAt.slice(0, 16)} />
      </ActionForm>
      {window.inProgress ? (
        <ActionForm action={endMaintenanceAction} submit="End maintenance now">
          <input type="hidden" name="windowId" value={window.id} />
        </ActionForm>
      ) : (
        <>
          <ActionForm action={startMaintenanceAction} submit="Start now">
            <input type="hidden" name="windowId" value={window.id} />
          </ActionForm>
          <ActionForm action={cancelMaintenanceAction} submit="Cancel this maintenance" secondary>
            <input type="hidden" name="windowId" value={window.id} />
          </ActionForm>
        </>
      )}
    </div>
  );
}

export default async function VendorStatusPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor(OPERATOR_ACCESS, '/vendor/status');
  const { done } = await firstValues(searchParams);
  const [status, subscribers] = await Promise.all([getStatusOverview(), countActiveSubscribers()]);
  const components = status.components.map(({ id, name }) => ({ id, name }));
  const windows = [...status.maintenance.inProgress, ...status.maintenance.upcoming];
  return (
    <OperatorNotices>
      <h1>Status operations</h1>
      <DoneNotice messages={OPERATOR_DONE} done={done} pathname="/vendor/status" viewer={actor} />
      <DoneNotice messages={OPERATOR_GONE} done={done} pathname="/vendor/status" viewer={actor} tone="warning" />
      <p>
        Changes show on the public <Link href="/status">status page</Link> at once. Opening or updating an incident and scheduling,
        starting or ending maintenance e-mail the {subscribers} confirmed {subscribers === 1 ? 'subscriber' : 'subscribers'}. Times
        on this page are in UTC; a new window’s times are read in the zone you choose beside them.
      </p>

      <h2>Components</h2>
      <table className={`${styles.operatorTable} stack-table`}>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Shown now</th>
            <th scope="col">Own state</th>
          </tr>
        </thead>
        <tbody>
          {status.components.map((component) => (
            <tr key={component.id}>
              <th scope="row">{component.name}</th>
              <td data-label="Shown now">{COMPONENT_STATUS_LABEL[component.status]}</td>
              <td data-label="Own state">
                <ActionForm action={setComponentStatusAction} submit="Set" secondary inline>
                  <input type="hidden" name="componentId" value={component.id} />
                  <Select name="status" label={`State of ${component.name}`} options={statusOptions} defaultValue={component.baseStatus} />
                </ActionForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Shown now: the worst of the own state, open incidents and maintenance in progress.</p>

      <h2>Open incidents</h2>
      {status.activeIncidents.length === 0 && <p>No open incident.</p>}
      {status.activeIncidents.map((incident) => (
        <div className={styles.incident} key={incident.id}>
          <h3>{incident.title}</h3>
          <p>
            {COMPONENT_STATUS_LABEL[incident.impact]} · {incident.components.join(', ')} · since {formatUtc(incident.startedAt)}
          </p>
          <IncidentTimeline updates={incident.updates} />
          <ActionForm action={postIncidentUpdateAction} submit="Post update">
            <input type="hidden" name="incidentId" value={incident.id} />
            <FormKey drawnFor={formOwnerOf(actor)} />
            <Select name="status" label="New state" options={updateStateOptions} defaultValue={incident.status} />
            <TextArea name="message" label="Update" hint="Choose Resolved to close the incident." />
          </ActionForm>
        </div>
      ))}

      <h2>Open an incident</h2>
      <ActionForm action={openIncidentAction} submit="Open incident">
        <FormKey drawnFor={formOwnerOf(actor)} />
        <TextField name="title" label="Title" hint="What people notice, for example: Sign-in is slow" />
        <Select name="impact" label="Impact" options={impactOptions} />
        <ComponentCheckboxes components={components} />
        <Select name="status" label="State" options={openStateOptions} />
        <TextArea name="message" label="First update" hint="Shown on the status page and mailed to subscribers." />
      </ActionForm>

      <h2>Maintenance</h2>
      {windows.length === 0 && <p>No maintenance in progress or planned.</p>}
      {windows.map((window) => (
        <WindowControls key={window.id} window={window} />
      ))}

      <h3>Schedule maintenance</h3>
      <ActionForm action={scheduleMaintenanceAction} submit="Schedule maintenance">
        <FormKey drawnFor={formOwnerOf(actor)} />
        <TextField name="title" label="Title" />
        <TextArea name="description" label="Description (optional)" />
        <TextField name="startsAt" label="Start" type="datetime-local" />
        <TextField name="endsAt" label="End" type="datetime-local" />
        <Select name="timeZone" label="Time zone of the start and end" options={TIME_ZONE_OPTIONS} defaultValue={DEFAULT_TIME_ZONE} />
        <ComponentCheckboxes components={components} />
        <Checkbox name="blocksSignIn" label="Blocks sign-in (the app shows the Unavailable page while it runs)" />
      </ActionForm>
    </OperatorNotices>
  );
}
