import { floodSampler } from '@/lib/audit/flood-sampler';
import { recordAuditAlone } from '@/lib/audit/record';
import { refusedWhat } from '@/lib/audit/refused-what';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';

export function appOrigin(): string {
  return new URL(config().APP_URL).origin;
}

/** Which of another site's refused posts get a record (lib/audit/flood-sampler.ts). */
const crossSiteRefusalToRecord = floodSampler();

/** Audits a state-changing request refused because it did not come from the portal's own pages. */
export async function auditCrossSiteRefusal(ip: string, what: string, origin: string | null): Promise<void> {
  const refusalsThisMinute = crossSiteRefusalToRecord(ip);
  if (refusalsThisMinute === null) return;
  await recordAuditAlone(db(), {
    actorType: 'ANONYMOUS',
    action: 'CROSS_SITE_REFUSED',
    outcome: 'DENIED',
    ip,
    details: { what: refusedWhat(what), origin: origin?.slice(0, 200) ?? null, refusalsThisMinute },
  });
}

export const CROSS_SITE_MESSAGE =
  'This form must be sent from the portal’s own page. Go back, reload the page and try again. Nothing was changed.';
