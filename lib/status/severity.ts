import { formatDateTime } from '@/lib/format/date';
import type { ComponentStatus, IncidentStatus } from '@/lib/generated/sqlite/enums';

// Planned maintenance ranks above "operational" but below any unplanned trouble, so an
// outage during a window still shows as the outage.
const SEVERITY: Record<ComponentStatus, number> = {
  OPERATIONAL: 0,
  UNDER_MAINTENANCE: 1,
  DEGRADED_PERFORMANCE: 2,
  PARTIAL_OUTAGE: 3,
  MAJOR_OUTAGE: 4,
};

export const COMPONENT_STATUSES = [
  'OPERATIONAL',
  'DEGRADED_PERFORMANCE',
  'PARTIAL_OUTAGE',
  'MAJOR_OUTAGE',
  'UNDER_MAINTENANCE',
] as const satisfies readonly ComponentStatus[];
export const INCIDENT_STATUSES = ['INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED'] as const satisfies readonly IncidentStatus[];
/** What an incident may claim as its impact: maintenance is announced through windows, not incidents. */
export const INCIDENT_IMPACTS = ['DEGRADED_PERFORMANCE', 'PARTIAL_OUTAGE', 'MAJOR_OUTAGE'] as const satisfies readonly ComponentStatus[];

export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'OPERATIONAL';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}

export const COMPONENT_STATUS_LABEL: Record<ComponentStatus, string> = {
  OPERATIONAL: 'Operational',
  UNDER_MAINTENANCE: 'Under maintenance',
  DEGRADED_PERFORMANCE: 'Degraded performance',
  PARTIAL_OUTAGE: 'Partial outage',
  MAJOR_OUTAGE: 'Major outage',
};

export const OVERALL_LABEL: Record<ComponentStatus, string> = {
  OPERATIONAL: 'All systems operational',
  UNDER_MAINTENANCE: 'Scheduled maintenance in progress',
  DEGRADED_PERFORMANCE: 'Some systems are slow',
  PARTIAL_OUTAGE: 'Some systems are not working',
  MAJOR_OUTAGE: 'Major outage',
};

export const INCIDENT_STATUS_LABEL: Record<IncidentStatus, string> = {
  INVESTIGATING: 'Investigating',
  IDENTIFIED: 'Identified',
  MONITORING: 'Monitoring',
  RESOLVED: 'Resolved',
};

/** "27 Nov 2026, 14:05 UTC": one unambiguous zone on every page, mail and feed. */
export function formatUtc(value: Date | string): string {
  return formatDateTime(value, 'UTC');
}
