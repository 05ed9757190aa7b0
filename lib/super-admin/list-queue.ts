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

// Super-admin requests are rare (a few a day at most); a view shows at most this many rows.
const MAX_ROWS = 500;

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
 * The verification queue: open requests oldest first, with how long each has waited; one state at
 * a time; or the most recent closed ones. `q` finds a reference, or text in the provider code,
 * login name, full name or agency (compared normalized, the same on both databases).
 */
export async function listQueue(actor: VendorActor, filter: { view?: string; q?: string } = {}, now = new Date()): Promise<QueueRow[]> {
  assertVerifier(actor);
  await expireRequests(now);
  const view = parseQueueView(filter.view);
  const where: Prisma.SuperAdminResetRequestWhereInput =
    view === 'open' ? { state: { in: [...OPEN_STATES] } } : view === 'closed' ? { state: { in: [...CLOSED_STATES] } } : { state: view };
  const requests = await db().superAdminResetRequest.findMany({
    where,
    orderBy: { createdAt: view === 'closed' ? 'desc' : 'asc' },
    take: MAX_ROWS,
    select: {
      ...DESCRIBED_FIELDS,
      providerCode: true,
      loginName: true,
      fullName: true,
      agencyId: true,
      userId: true,
      claimedById: true,
      verifiedById: true,
      approvedById: true,
      repeatCount: true,
    },
  });
  const agencyIds = [...new Set(requests.map((r) => r.agencyId).filter((id): id is string => id !== null))];
  const agencies = new Map(
    (await db().agency.findMany({ where: { id: { in: agencyIds } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]),
  );
  const names = await vendorNames(requests.flatMap((r) => [r.claimedById, r.verifiedById, r.approvedById]));

  const rows: QueueRow[] = requests.map((request) => ({
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
  const q = filter.q?.trim();
  if (!q) return rows;
  const reference = parseReference(q);
  if (reference) {
    // A repeat's reference (what that requester was told) finds the request it was attached to.
    const submission = await db().superAdminRequestSubmission.findUnique({ where: { reference }, select: { requestId: true } });
    return rows.filter((row) => row.reference.replace('-', '') === reference || row.id === submission?.requestId);
  }
  const needle = normalizeKey(q);
  return rows.filter((row) =>
    [row.providerCode, row.loginName, row.fullName, row.agencyName ?? ''].some((field) => normalizeKey(field).includes(needle)),
  );
}
