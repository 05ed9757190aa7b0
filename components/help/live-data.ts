import { classifyHealth, type HealthResult } from '@/lib/help/connection-check';
import { parseStatusSummary } from '@/lib/help/status-messages';
import type { StatusSummary } from '@/lib/status/status-summary';

// The guide's live checks read two endpoints. Each page load asks each of them once, however
// many steps show the answer; only "Check again" asks the health endpoint anew.

const TIMEOUT_MS = 8_000;

async function getJson(path: string): Promise<{ status: number; body: unknown } | null> {
  try {
    // no-store: the answer must come from the portal now, never from a cache on the way.
    const response = await fetch(path, { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body: unknown = await response.json().catch(() => null);
    return { status: response.status, body };
  } catch {
    return null;
  }
}

export async function checkHealth(): Promise<HealthResult> {
  return classifyHealth(await getJson('/api/health'));
}

let firstHealth: Promise<HealthResult> | null = null;
let status: Promise<StatusSummary | null> | null = null;

export function healthOnce(): Promise<HealthResult> {
  firstHealth ??= checkHealth();
  return firstHealth;
}

/** The public status (GET /api/status), or null when it is missing, down or not what we expect. */
export async function checkStatus(): Promise<StatusSummary | null> {
  const answer = await getJson('/api/status');
  return answer?.status === 200 ? parseStatusSummary(answer.body) : null;
}

/** The status as first read, shared by the guide's checks. */
export function statusOnce(): Promise<StatusSummary | null> {
  status ??= checkStatus();
  return status;
}
