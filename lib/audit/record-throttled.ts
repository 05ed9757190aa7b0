import { floodSampler } from '@/lib/audit/flood-sampler';
import { recordAuditAlone, type AuditInput } from '@/lib/audit/record';
import { db } from '@/lib/db/client';

const throttledToRecord = floodSampler();

/**
 * `scope`: where a refusal that names an account someone typed is sampled, from what was typed, never from what a
 * lookup found: a scope from the lookup (a real provider code's agency, a real vendor e-mail's "vendor staff") let
 * a real one's refusal write a record where a made-up one's, in a scope filled beforehand, wrote none and answered
 * sooner (review r55e F1). Without it, the refusal's own agency (a refusal whose account is known already).
 */
export type ThrottledRefusal = AuditInput & { ip: string; scope?: string };

/**
 * The record of an attempt refused before anything was checked (its client address over a limit,
 * or slowed while spraying an agency), or null: a flood of them is sampled as another site's posts
 * are (lib/audit/flood-sampler.ts), each record carrying the count of the minute. Refusals for an
 * account's limit are recorded every one: the address's limit bounds how many there are.
 */
export function sampledThrottle({ scope, ...input }: ThrottledRefusal): AuditInput | null {
  // Bounded per scope: a spray against one agency cannot leave another's refusals unrecorded. Vendor
  // staff's accounts have no agency: a spray of made-up provider codes must not leave theirs unrecorded either.
  const sampledIn = scope ?? input.agencyId ?? (input.actorType === 'VENDOR' ? 'vendor staff' : 'no agency');
  const refusalsThisMinute = throttledToRecord(`${input.action}:${input.ip}`, { scope: sampledIn });
  return refusalsThisMinute === null ? null : { ...input, details: { ...input.details, refusalsThisMinute } };
}

/** Audits such a refusal in a transaction of its own, when it is one to record. */
export async function auditThrottledAddress(input: ThrottledRefusal): Promise<void> {
  const sampled = sampledThrottle(input);
  if (sampled) await recordAuditAlone(db(), sampled);
}
