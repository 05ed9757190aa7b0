import type { ComponentStatus, IncidentStatus } from '@/lib/generated/sqlite/enums';
import { db, type Db } from '@/lib/db/client';
import { COMPONENT_LINK_SELECT, namesInOrder } from '@/lib/status/component-names';
import { SIGN_IN_COMPONENT_SLUG } from '@/lib/status/get-sign-in-notice';
import { inProgressWhere, isInProgress } from '@/lib/maintenance/maintenance-window';
import { worstStatus } from '@/lib/status/severity';
import type { MaintenanceSummary, StatusSummary } from '@/lib/status/status-summary';
import { UPTIME_DAYS, computeUptime, type ComponentUptime } from '@/lib/status/uptime';

const DAY_MS = 86_400_000;
/** Resolved incidents stay listed on /status for this long. */
const RECENT_INCIDENT_DAYS = 7;

/** Whether /status draws an incident: open, or resolved within the last RECENT_INCIDENT_DAYS. */
export function isDrawnOnStatusPage(incident: { resolvedAt: Date | null }, now: Date): boolean {
  return incident.resolvedAt === null || incident.resolvedAt.getTime() >= now.getTime() - RECENT_INCIDENT_DAYS * DAY_MS;
}

export type IncidentView = {
  id: string;
  title: string;
  impact: ComponentStatus;
  status: IncidentStatus;
  startedAt: string;
  resolvedAt: string | null;
  components: string[];
  /** Newest first. */
  updates: { id: string; status: IncidentStatus; message: string; createdAt: string }[];
};

export type MaintenanceView = MaintenanceSummary & { components: string[]; inProgress: boolean };

export type ComponentView = {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  /** What the operator set, before incidents and maintenance are applied. */
  baseStatus: ComponentStatus;
  /** The worst of the operator's state, open incidents and maintenance in progress. */
  status: ComponentStatus;
  uptime: ComponentUptime;
};

/** Everything /status shows; plain JSON (dates as ISO strings) so that it can be cached. */
export type StatusOverview = {
  overall: ComponentStatus;
  components: ComponentView[];
  activeIncidents: IncidentView[];
  recentIncidents: IncidentView[];
  maintenance: { inProgress: MaintenanceView[]; upcoming: MaintenanceView[] };
  generatedAt: string;
};

function maintenanceView(
  window: {
    id: string;
    title: string;
    description: string | null;
    startsAt: Date;
    endsAt: Date;
    endedAt: Date | null;
    cancelledAt: Date | null;
    blocksSignIn: boolean;
    components: { component: { name: string; position: number } }[];
  },
  now: Date,
): MaintenanceView {
  return {
    id: window.id,
    title: window.title,
    description: window.description,
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt.toISOString(),
    blocksSignIn: window.blocksSignIn,
    components: namesInOrder(window.components),
    inProgress: isInProgress(window, now),
  };
}

/** Reads components, incidents and maintenance of the last 90 days and derives what /status shows. */
export async function getStatusOverview(database: Db = db(), now = new Date()): Promise<StatusOverview> {
  const since = new Date(now.getTime() - UPTIME_DAYS * DAY_MS);
  const [components, incidents, windows] = await Promise.all([
    database.statusComponent.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] }),
    database.incident.findMany({
      where: { OR: [{ resolvedAt: null }, { resolvedAt: { gte: since } }] },
      orderBy: { startedAt: 'desc' },
      include: { components: COMPONENT_LINK_SELECT, updates: { orderBy: { createdAt: 'desc' } } },
    }),
    database.maintenanceWindow.findMany({
      where: { cancelledAt: null, endsAt: { gte: since } },
      orderBy: { startsAt: 'asc' },
      include: { components: COMPONENT_LINK_SELECT },
    }),
  ]);

  const uptimeIncidents = incidents.map((i) => ({ ...i, componentIds: i.components.map((c) => c.componentId) }));
  // A window that blocks sign-in takes the Sign-in component down with it, listed or not.
  const signInId = components.find((c) => c.slug === SIGN_IN_COMPONENT_SLUG)?.id;
  const uptimeWindows = windows.map((w) => {
    const componentIds = w.components.map((c) => c.componentId);
    if (w.blocksSignIn && signInId && !componentIds.includes(signInId)) componentIds.push(signInId);
    return { ...w, componentIds };
  });
  const open = uptimeIncidents.filter((i) => i.resolvedAt === null);
  // Blocking windows first: they are the ones people are locked out by.
  const inProgress = uptimeWindows
    .filter((w) => isInProgress(w, now))
    .sort((a, b) => Number(b.blocksSignIn) - Number(a.blocksSignIn) || b.endsAt.getTime() - a.endsAt.getTime());

  const componentViews = components.map((component): ComponentView => {
    const states: ComponentStatus[] = [component.status];
    for (const incident of open) if (incident.componentIds.includes(component.id)) states.push(incident.impact);
    if (inProgress.some((w) => w.componentIds.includes(component.id))) states.push('UNDER_MAINTENANCE');
    return {
      id: component.id,
      slug: component.slug,
      name: component.name,
      description: component.description,
      baseStatus: component.status,
      status: worstStatus(states),
      uptime: computeUptime(component, uptimeIncidents, uptimeWindows, now),
    };
  });

  const incidentView = (incident: (typeof incidents)[number]): IncidentView => ({
    id: incident.id,
    title: incident.title,
    impact: incident.impact,
    status: incident.status,
    startedAt: incident.startedAt.toISOString(),
    resolvedAt: incident.resolvedAt?.toISOString() ?? null,
    components: namesInOrder(incident.components),
    updates: incident.updates.map((u) => ({ id: u.id, status: u.status, message: u.message, createdAt: u.createdAt.toISOString() })),
  });

  return {
    overall: worstStatus(componentViews.map((c) => c.status)),
    components: componentViews,
    activeIncidents: incidents.filter((i) => i.resolvedAt === null).map(incidentView),
    recentIncidents: incidents.filter((i) => i.resolvedAt && isDrawnOnStatusPage(i, now)).map(incidentView),
    maintenance: {
      inProgress: inProgress.map((w) => maintenanceView(w, now)),
      upcoming: windows.filter((w) => w.endedAt === null && w.startsAt > now).map((w) => maintenanceView(w, now)),
    },
    generatedAt: now.toISOString(),
  };
}

function toMaintenanceSummary(view: MaintenanceView | undefined): MaintenanceSummary | null {
  if (!view) return null;
  const { id, title, description, startsAt, endsAt, blocksSignIn } = view;
  return { id, title, description, startsAt, endsAt, blocksSignIn };
}

/**
 * The first moment the overview changes by the clock alone (a maintenance window starts or ends),
 * as ISO 8601: a copy of what it shows is good until then.
 */
export function nextChangeByClock(overview: StatusOverview): string | undefined {
  const { inProgress, upcoming } = overview.maintenance;
  return [...inProgress.map((window) => window.endsAt), ...upcoming.map((window) => window.startsAt)].sort()[0];
}

/** The public JSON shape (GET /api/status) from the overview. */
export function toStatusSummary(overview: StatusOverview): StatusSummary {
  return {
    overall: overview.overall,
    components: overview.components.map(({ slug, name, status }) => ({ slug, name, status })),
    activeIncidents: overview.activeIncidents.map((incident) => ({
      id: incident.id,
      title: incident.title,
      impact: incident.impact,
      status: incident.status,
      startedAt: incident.startedAt,
      latestUpdate: incident.updates[0] ? { message: incident.updates[0].message, createdAt: incident.updates[0].createdAt } : null,
    })),
    maintenance: {
      active: toMaintenanceSummary(overview.maintenance.inProgress[0]),
      next: toMaintenanceSummary(overview.maintenance.upcoming[0]),
    },
    generatedAt: overview.generatedAt,
  };
}

/** The blocking window in progress at `now`, if any: what the proxy and the sign-in banner ask. */
export async function getBlockingMaintenance(database: Db, now = new Date()): Promise<{ id: string; title: string; endsAt: Date } | null> {
  return database.maintenanceWindow.findFirst({
    where: { ...inProgressWhere(now), blocksSignIn: true },
    orderBy: { endsAt: 'desc' },
    select: { id: true, title: true, endsAt: true },
  });
}
