import { recordAuditAlone } from '@/lib/audit/record';
import { getActor } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';
import { requestClientIp } from '@/lib/http/client-ip';

/**
 * No vendor session may set a password, even holding a link (PRODUCT.md: such routes do not exist
 * for vendor accounts). True when the current session is a vendor's; the try is audited.
 */
export async function refusedAsVendor(what: string): Promise<boolean> {
  const actor = await getActor();
  if (actor?.kind !== 'vendor') return false;
  await recordAuditAlone(db(), {
    actorType: 'VENDOR',
    actorId: actor.vendorAccountId,
    action: 'ACCESS_DENIED',
    outcome: 'DENIED',
    ip: await requestClientIp(),
    details: { what, decision: 'forbidden' },
  });
  return true;
}
