import { listRecentSprayAlerts } from '@/lib/auth/sign-in-velocity';
import type { VendorActor } from '@/lib/auth/session';
import { countDeadMessagesByCause } from '@/lib/mail/dead-letters';
import { assertOperator } from '@/lib/status/operator-input';
import { getQueueHealth } from '@/lib/super-admin/get-queue-health';

/** What an operator watches on /vendor: undeliverable mail, the verifiers' queue, recent sprays. */
export async function getOperatorOverview(actor: VendorActor, now = new Date()) {
  assertOperator(actor);
  const [deadMail, queue, sprays] = await Promise.all([countDeadMessagesByCause(undefined, now), getQueueHealth(undefined, now), listRecentSprayAlerts(now)]);
  return { deadMail, queue, sprays };
}
