import type { ComponentStatus, IncidentStatus } from '@/lib/generated/sqlite/enums';

/**
 * What GET /api/status answers: the public status at a glance, for the guide's live
 * checks and the Unavailable page's self-check. Never holds anything private.
 */
export type StatusSummary = {
  /** The worst state of any component. */
  overall: ComponentStatus;
  components: { slug: string; name: string; status: ComponentStatus }[];
  activeIncidents: {
    id: string;
    title: string;
    impact: ComponentStatus;
    status: IncidentStatus;
    startedAt: string;
    latestUpdate: { message: string; createdAt: string } | null;
  }[];
  maintenance: { active: MaintenanceSummary | null; next: MaintenanceSummary | null };
  generatedAt: string;
};

export type MaintenanceSummary = {
  id: string;
  title: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  blocksSignIn: boolean;
};
