import { recordAuditAlone } from '@/lib/audit/record';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';

export function appOrigin(): string {
  return new URL(config().APP_URL).origin;
}

const WINDOW_MS = 60_000;
/** Refusals from one address in a window that each get a record of their own. */
const EACH_RECORDED = 10;
/** Addresses remembered at most; a flood from many addresses starts a fresh table rather than grow. */
const MAX_ADDRESSES = 10_000;

/** Records of all addresses together in a window: a flood from many addresses is bounded too. */
const ALL_RECORDED = 100;

/** Refusals per address in the current window, and records of them all, in this process. */
const refusalsByAddress = new Map<string, { windowStart: number; count: number }>();
let records = { windowStart: 0, count: 0 };

/**
 * Which refusal of a flood gets an audit record: every one of the first ten from an address in a
 * minute, then the 100th, 1,000th, … each carrying the count, and no more than 100 records a minute
 * from all addresses together. Every record is a write under the audit chain's lock, so recording
 * each of a flood's refusals would let any site on the web slow every sign-in to a crawl, and fill
 * the log that is never pruned; this keeps the evidence (who, how many) at a bounded cost.
 */
export function crossSiteRefusalToRecord(ip: string, now = Date.now()): number | null {
  const count = refusalsFrom(ip, now);
  if (count === null) return null;
  if (now - records.windowStart >= WINDOW_MS) records = { windowStart: now, count: 0 };
  if (records.count >= ALL_RECORDED) return null;
  records.count += 1;
  return count;
}

function refusalsFrom(ip: string, now: number): number | null {
  let entry = refusalsByAddress.get(ip);
  if (!entry || now - entry.windowStart >= WINDOW_MS) {
    if (!entry && refusalsByAddress.size >= MAX_ADDRESSES) refusalsByAddress.clear();
    entry = { windowStart: now, count: 0 };
    refusalsByAddress.set(ip, entry);
  }
  entry.count += 1;
  const { count } = entry;
  if (count <= EACH_RECORDED) return count;
  return Number.isInteger(Math.log10(count)) ? count : null;
}

/** Audits a state-changing request refused because it did not come from the portal's own pages. */
export async function auditCrossSiteRefusal(ip: string, what: string, origin: string | null): Promise<void> {
  const refusalsThisMinute = crossSiteRefusalToRecord(ip);
  if (refusalsThisMinute === null) return;
  await recordAuditAlone(db(), {
    actorType: 'ANONYMOUS',
    action: 'CROSS_SITE_REFUSED',
    outcome: 'DENIED',
    ip,
    details: { what: what.slice(0, 200), origin: origin?.slice(0, 200) ?? null, refusalsThisMinute },
  });
}

export const CROSS_SITE_MESSAGE =
  'This form must be sent from the portal’s own page. Go back, reload the page and try again. Nothing was changed.';
