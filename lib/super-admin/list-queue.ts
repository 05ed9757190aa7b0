import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/sqlite/client';
import type { ResetRequestState } from '@/lib/generated/sqlite/enums';
import { normalizeKey } from '@/lib/validation/identifiers';
import { expireRequests } from './expire-requests';
import { describeAge, urgencyOf, type Urgency } from './queue-age';
import { formatReference, parseReference } from './reference';
import { CLOSED_STATES, isOpen, OPEN_STATES } from './state-machine';
import { STATE_LABEL } from './state-words';
import { assertVerifier } from './verifier-guard';

export const QUEUE_VIEWS = ['open', ...OPEN_STATES, 'closed'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export function parseQueueView(value: string | undefined): QueueView {
  return (QUEUE_VIEWS as readonly string[]).includes(value ?? '') ? (value as QueueView) : 'open';
}

export type QueueRow = {
  id: string;
  reference: string;
  state: ResetRequestState;
  stateLabel: string;
  stateReason: string | null;
  submittedAt: Date;
  waited: string;
  urgency: Urgency;
  providerCode: string;
  loginName: string;
  fullName: string;
  matchesAdmin: boolean;
  agencyName: string | null;
  claimedBy: string | null;
  verifiedBy: string | null;
  approvedBy: string | null;
  /** Later submissions attached to this request. */
  repeatCount: number;
};

// Super-admin requests are rare (a few a day at most); a view shows at most this many rows, and says so
// when there are more.
export const MAX_QUEUE_ROWS = 500;
// A text search reads a view this many rows at a time, and at most this many in all.
const SEARCH_BATCH = 500;
const SEARCH_SCAN_LIMIT = 20_000;

const QUEUE_SELECT = {
  id: true,
  reference: true,
  state: true,
  stateReason: true,
  createdAt: true,
  providerCode: true,
  loginName: true,
  fullName: true,
  agencyId: true,
  userId: true,
  claimedById: true,
  verifiedById: true,
  approvedById: true,
  repeatCount: true,
} as const;
type Found = Prisma.SuperAdminResetRequestGetPayload<{ select: typeof QUEUE_SELECT }>;

/** Vendor accounts' display names by id, for "claimed by", "verified by", the history. */
export async function vendorNames(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const accounts = await db().vendorAccount.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true } });
  return new Map(accounts.map((account) => [account.id, account.displayName]));
}

/** The fields describeRequest reads. */
export const DESCRIBED_FIELDS = { id: true, reference: true, state: true, stateReason: true, createdAt: true } as const;

/** What every view of a request says of where it stands and how long it has waited: the queue's rows and the request's page. */
export function describeRequest(
  request: { id: string; reference: string; state: ResetRequestState; stateReason: string | null; createdAt: Date },
  now: Date,
): Pick<QueueRow, 'id' | 'reference' | 'state' | 'stateLabel' | 'stateReason' | 'submittedAt' | 'waited' | 'urgency'> {
  const waitedMs = now.getTime() - request.createdAt.getTime();
  return {
    id: request.id,
    reference: formatReference(request.reference),
    state: request.state,
    stateLabel: STATE_LABEL[request.state],
    stateReason: request.stateReason,
    submittedAt: request.createdAt,
    waited: describeAge(waitedMs),
    urgency: isOpen(request.state) ? urgencyOf(waitedMs) : 'normal',
  };
}

/**
 * The verification queue: open requests oldest first, those that match an administrator's account
 * before those that match none (junk a stranger files cannot push a real request out of sight), with
 * how long each has waited; one state at a time; or the most recent closed ones. `q` finds a
 * reference, or text in the provider code, login name, full name or agency (compared normalized, the
 * same on both databases), among all the view's requests, not only the rows shown. At most
 * MAX_QUEUE_ROWS rows.
 */
export async function listQueue(actor: VendorActor, filter: { view?: string; q?: string } = {}, now = new Date()): Promise<QueueRow[]> {
  assertVerifier(actor);
  await expireRequests(now);
  const view = parseQueueView(filter.view);
  const inView: Prisma.SuperAdminResetRequestWhereInput =
    view === 'open' ? { state: { in: [...OPEN_STATES] } } : view === 'closed' ? { state: { in: [...CLOSED_STATES] } } : { state: view };
  const order = view === 'closed' ? ('desc' as const) : ('asc' as const);
  const q = filter.q?.trim();
  const requests = q ? await search(inView, order, q) : await inQueueOrder(inView, order, MAX_QUEUE_ROWS);
  return toRows(requests, now);
}

const MATCHING: Prisma.SuperAdminResetRequestWhereInput = { userId: { not: null } };

/** How many of the view's requests match an account: where the others start in queue order. */
function countMatching(inView: Prisma.SuperAdminResetRequestWhereInput): Promise<number> {
  return db().superAdminResetRequest.count({ where: { AND: [inView, MATCHING] } });
}

/**
 * The view's requests, matching an account first, then matching none, each oldest (or newest) first.
 * A search reading the view in batches counts the matching ones once, so every batch splits the
 * order at the same place.
 */
async function inQueueOrder(
  inView: Prisma.SuperAdminResetRequestWhereInput,
  order: 'asc' | 'desc',
  take: number,
  skip = 0,
  matchingCount?: number,
): Promise<Found[]> {
  const find = (where: Prisma.SuperAdminResetRequestWhereInput, take: number, skip: number) =>
    take > 0 ? db().superAdminResetRequest.findMany({ where: { AND: [inView, where] }, orderBy: [{ createdAt: order }, { id: order }], take, skip, select: QUEUE_SELECT }) : [];
  matchingCount ??= await countMatching(inView);
  const first = await find(MATCHING, Math.min(take, Math.max(0, matchingCount - skip)), skip);
  const rest = await find({ userId: null }, take - first.length, Math.max(0, skip - matchingCount));
  return [...first, ...rest];
}

async function search(inView: Prisma.SuperAdminResetRequestWhereInput, order: 'asc' | 'desc', q: string): Promise<Found[]> {
  const reference = parseReference(q);
  if (reference) {
    // A repeat's reference (what that requester was told) finds the request it was attached to.
    const submission = await db().superAdminRequestSubmission.findUnique({ where: { reference }, select: { requestId: true } });
    return db().superAdminResetRequest.findMany({
      where: { AND: [inView, { OR: [{ reference }, ...(submission ? [{ id: submission.requestId }] : [])] }] },
      select: QUEUE_SELECT,
    });
  }
  // Normalized text is compared here, not in SQL (the two databases fold case and width differently):
  // the view is read in batches until enough rows match.
  const needle = normalizeKey(q);
  const agencyNames = new Map<string, string>();
  const found: Found[] = [];
  const matchingCount = await countMatching(inView);
  for (let skip = 0; skip < SEARCH_SCAN_LIMIT && found.length < MAX_QUEUE_ROWS; skip += SEARCH_BATCH) {
    const batch = await inQueueOrder(inView, order, SEARCH_BATCH, skip, matchingCount);
    const unknown = [...new Set(batch.map((r) => r.agencyId).filter((id): id is string => id !== null && !agencyNames.has(id)))];
    for (const agency of await db().agency.findMany({ where: { id: { in: unknown } }, select: { id: true, name: true } })) agencyNames.set(agency.id, agency.name);
    for (const request of batch) {
      const fields = [request.providerCode, request.loginName, request.fullName, request.agencyId ? (agencyNames.get(request.agencyId) ?? '') : ''];
      if (fields.some((field) => normalizeKey(field).includes(needle))) found.push(request);
    }
    if (batch.length < SEARCH_BATCH) break;
  }
  return found.slice(0, MAX_QUEUE_ROWS);
}

async function toRows(requests: Found[], now: Date): Promise<QueueRow[]> {
  const agencyIds = [...new Set(requests.map((r) => r.agencyId).filter((id): id is string => id !== null))];
  const agencies = new Map(
    (await db().agency.findMany({ where: { id: { in: agencyIds } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]),
  );
  const names = await vendorNames(requests.flatMap((r) => [r.claimedById, r.verifiedById, r.approvedById]));
  return requests.map((request) => ({
    ...describeRequest(request, now),
    providerCode: request.providerCode,
    loginName: request.loginName,
    fullName: request.fullName,
    matchesAdmin: request.userId !== null,
    agencyName: request.agencyId ? (agencies.get(request.agencyId) ?? null) : null,
    claimedBy: request.claimedById ? (names.get(request.claimedById) ?? null) : null,
    verifiedBy: request.verifiedById ? (names.get(request.verifiedById) ?? null) : null,
    approvedBy: request.approvedById ? (names.get(request.approvedById) ?? null) : null,
    repeatCount: request.repeatCount,
  }));
}
