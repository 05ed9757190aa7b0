import { z } from 'zod';
import { auditAdminRefusal, holdActor } from '@/lib/admin/admin-target';
import { canAdmin, requireAdminCapability } from '@/lib/admin/permissions';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { ACTOR_CHANGED_MESSAGE, type AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Result } from '@/lib/result';

/** How many people waiting for help the inbox shows at once, those waiting longest first. */
export const HELP_INBOX_PEOPLE = 100;

const REQUEST_SELECT = {
  id: true,
  message: true,
  status: true,
  createdAt: true,
  handledAt: true,
  user: { select: { id: true, displayName: true, loginName: true, lockedUntil: true, hardLockedAt: true, mustChangePassword: true } },
} as const;

/**
 * The inbox of "ask my administrator": one entry per person with open requests (strangers may name
 * someone again and again, and must not push other people out of view), those waiting longest first,
 * each with its newest request; and the latest handled requests.
 */
export async function listHelpRequests(actor: AgencyActor) {
  requireAdminCapability(actor, 'help-requests:handle');
  const openWhere = { agencyId: actor.agencyId, status: 'OPEN' } as const;
  const [people, handled] = await Promise.all([
    db().helpRequest.groupBy({
      by: ['userId'],
      where: openWhere,
      _count: { _all: true },
      _min: { createdAt: true },
      _max: { createdAt: true },
      orderBy: { _min: { createdAt: 'asc' } },
      take: HELP_INBOX_PEOPLE + 1,
    }),
    db().helpRequest.findMany({ where: { agencyId: actor.agencyId, status: { not: 'OPEN' } }, orderBy: { handledAt: 'desc' }, take: 20, select: REQUEST_SELECT }),
  ]);
  const shown = people.slice(0, HELP_INBOX_PEOPLE);
  const newest = shown.length
    ? await db().helpRequest.findMany({ where: { ...openWhere, OR: shown.map((person) => ({ userId: person.userId, createdAt: person._max.createdAt! })) }, select: REQUEST_SELECT })
    : [];
  const open = shown.flatMap((person) => {
    // Two requests of one person stored in the same millisecond: either is the newest.
    const request = newest.find((candidate) => candidate.user.id === person.userId);
    return request ? [{ ...request, requests: person._count._all, firstAskedAt: person._min.createdAt! }] : [];
  });
  return { open, morePeopleWaiting: people.length > HELP_INBOX_PEOPLE, handled };
}

export const handleHelpRequestSchema = z.object({
  requestId: z.string().min(1).max(64),
  outcome: z.enum(['RESOLVED', 'DISMISSED']),
});

export async function handleHelpRequest(actor: AgencyActor, input: z.infer<typeof handleHelpRequestSchema>, ip: string): Promise<Result> {
  const decision = canAdmin(actor, 'help-requests:handle');
  if (!decision.allowed) {
    await auditAdminRefusal(actor, 'help-requests:handle', null, decision.reason, ip);
    return { ok: false, message: decision.message };
  }
  const done = await db().$transaction(async (tx): Promise<Result | 'actor-changed' | { otherAgencyId: string }> => {
    if (!(await holdActor(tx, actor))) return 'actor-changed';
    const shown = await tx.helpRequest.findUnique({ where: { id: input.requestId }, select: { agencyId: true, userId: true, status: true, createdAt: true } });
    // Another agency's request is answered as one that is gone, and audited like any foreign id.
    if (shown && shown.agencyId !== actor.agencyId) return { otherAgencyId: shown.agencyId };
    if (!shown || shown.status !== 'OPEN') return NO_LONGER_OPEN;
    // The entry stood for every open request of that person up to the newest shown; one that came later is left open.
    const updated = await tx.helpRequest.updateMany({
      where: { agencyId: actor.agencyId, userId: shown.userId, status: 'OPEN', createdAt: { lte: shown.createdAt } },
      data: { status: input.outcome, handledAt: new Date(), handledById: actor.userId },
    });
    // Another admin handled them a moment ago (their write went first).
    if (updated.count === 0) return NO_LONGER_OPEN;
    await recordAdminAction(tx, actor, ip, input.outcome === 'RESOLVED' ? 'HELP_REQUEST_RESOLVED' : 'HELP_REQUEST_DISMISSED', { type: 'HelpRequest', id: input.requestId }, {
      requests: updated.count,
    });
    return { ok: true, value: undefined };
  });
  if (done === 'actor-changed') {
    await auditAdminRefusal(actor, 'help-requests:handle', null, done, ip);
    return { ok: false, message: ACTOR_CHANGED_MESSAGE };
  }
  if ('otherAgencyId' in done) {
    await auditAdminRefusal(actor, 'help-requests:handle', null, 'other-agency', ip, done.otherAgencyId);
    return NO_LONGER_OPEN;
  }
  return done;
}

const NO_LONGER_OPEN = { ok: false, message: 'That request is no longer open.' } as const;
