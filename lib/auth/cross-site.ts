import { recordAuditAlone } from '@/lib/audit/record';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';

export function appOrigin(): string {
  return new URL(config().APP_URL).origin;
}

/** Audits a state-changing request refused because it did not come from the portal's own pages. */
export async function auditCrossSiteRefusal(ip: string, what: string, origin: string | null): Promise<void> {
  await recordAuditAlone(db(), {
    actorType: 'ANONYMOUS',
    action: 'CROSS_SITE_REFUSED',
    outcome: 'DENIED',
    ip,
    details: { what: what.slice(0, 200), origin: origin?.slice(0, 200) ?? null },
  });
}

export const CROSS_SITE_MESSAGE =
  'This form must be sent from the portal’s own page. Go back, reload the page and try again. Nothing was changed.';
