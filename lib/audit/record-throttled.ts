import { floodSampler } from '@/lib/audit/flood-sampler';
import { recordAuditAlone, type AuditInput } from '@/lib/audit/record';
import { db } from '@/lib/db/client';

const throttledToRecord = floodSampler();

/**
 * The record of an attempt refused before anything was checked (its client address over a limit,
 * or slowed while spraying an agency), or null: a flood of them is sampled as another site's posts
 * are (lib/audit/flood-sampler.ts), each record carrying the count of the minute. Refusals for an
 * account's limit are recorded every one: the address's limit bounds how many there are.
 */
export function sampledThrottle(input: AuditInput & { ip: string }): AuditInput | null {
  // Bounded per agency: a spray against one agency cannot leave another's refusals unrecorded. Vendor
  // staff's accounts have no agency: a spray of made-up provider codes must not leave theirs unrecorded either.
  const scope = input.agencyId ?? (input.actorType === 'VENDOR' ? 'vendor staff' : 'no agency');
  const refusalsThisMinute = throttledToRecord(`${input.action}:${input.ip}`, { scope });
  return refusalsThisMinute === null ? null : { ...input, details: { ...input.details, refusalsThisMinute } };
}

/** Audits such a refusal in a transaction of its own, when it is one to record. */
export async function auditThrottledAddress(input: AuditInput & { ip: string }): Promise<void> {
  const sampled = sampledThrottle(input);
  if (sampled) await recordAuditAlone(db(), sampled);
}
