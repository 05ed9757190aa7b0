import { LANES_SELECT } from '@/lib/auth/lockout';
import { z } from 'zod';
import { auditAdminRefusal } from '@/lib/admin/admin-target';
import { canAdmin, requireAdminCapability, type AdminDecision } from '@/lib/admin/permissions';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { ACTOR_CHANGED_MESSAGE, holdActor, type AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { Prisma } from '@/lib/generated/sqlite/client';
import type { Result } from '@/lib/result';
import { listAgencyAdmins } from '@/lib/super-admin/list-agency-admins';
import { normalizeKey } from '@/lib/validation/identifiers';
import { prefixRange, searchTextSchema } from '@/lib/validation/search-text';

/** How many people waiting for help one page of the inbox shows, those waiting longest first. */
export const HELP_INBOX_PEOPLE = 100;
/** How many of one person's open requests with words the inbox shows at once, the newest first. */
export const HELP_INBOX_WORDS = 10;

const REQUEST_SELECT = {
  id: true,
  message: true,
  status: true,
  createdAt: true,
  handledAt: true,
  user: { select: { id: true, agencyId: true, role: true, displayName: true, loginName: true, ...LANES_SELECT, mustChangePassword: true } },
} as const;

/** The inbox's address: a page, and a name or login name to find one person (as the users list's search). */
export const helpInboxQuerySchema = z.object({
  q: searchTextSchema,
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type HelpInboxQuery = z.infer<typeof helpInboxQuerySchema>;

/**
 * The inbox of "ask my administrator": one entry per person with open requests (strangers may name
 * someone again and again, and must not push other people out of view), those waiting longest first,
 * each with its newest request and the words of its newest requests that have any; and the latest
 * handled requests. Anyone may ask in anyone's name, so no words hide behind newer ones: an entry is
 * closed only as far as it was shown (handleHelpRequest).
 * Strangers naming a hundred real people can fill a page (and the agency's mail budget) before the
 * person who really asked: every entry stays reachable, on the next pages and by the person's name.
 */
export async function listHelpRequests(actor: AgencyActor, query: HelpInboxQuery = { page: 1 }) {
  requireAdminCapability(actor, 'help-requests:handle');
  const key = query.q ? normalizeKey(query.q) : '';
  const openWhere: Prisma.HelpRequestWhereInput = {
    agencyId: actor.agencyId,
    status: 'OPEN',
    // The users list's search: a prefix of any word of the name or login name (user-search-terms.ts).
    ...(key ? { user: { searchTerms: { some: { term: prefixRange(key) } } } } : {}),
  };
  const [people, handled] = await Promise.all([
    db().helpRequest.groupBy({
      by: ['userId'],
      where: openWhere,
      _count: { _all: true },
      _min: { createdAt: true },
      // The id settles ties, so that no one falls between two pages.
      orderBy: [{ _min: { createdAt: 'asc' } }, { userId: 'asc' }],
      skip: (query.page - 1) * HELP_INBOX_PEOPLE,
      take: HELP_INBOX_PEOPLE + 1,
    }),
    db().helpRequest.findMany({
      where: { agencyId: actor.agencyId, status: { not: 'OPEN' } },
      orderBy: [{ handledAt: 'desc' }, { id: 'desc' }],
      take: HANDLED_ROWS_READ,
      select: { status: true, handledAt: true, handledById: true, user: { select: { id: true, displayName: true } } },
    }),
  ]);
  const shownPeople = people.slice(0, HELP_INBOX_PEOPLE);
  const rows = await db().helpRequest.findMany({
    where: { id: { in: await entryRequestIds(actor.agencyId, shownPeople.map((person) => person.userId)) } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { ...REQUEST_SELECT, userId: true },
  });
  const open = shownPeople.flatMap((person) => {
    const [newest, ...older] = rows.filter((row) => row.userId === person.userId);
    // Handled by another admin a moment ago, between the two reads.
    if (!newest) return [];
    const words = [newest, ...older].filter((row) => row.message !== null).map(({ id, message, createdAt }) => ({ id, message, createdAt }));
    return [{ ...newest, requests: person._count._all, firstAskedAt: person._min.createdAt!, words }];
  });
  // An entry in the reader's own name is closed by another administrator (canAdmin): an agency's only one is told none can.
  const noOtherAdministrator = open.some((entry) => entry.user.id === actor.userId) && (await listAgencyAdmins(db(), actor.agencyId, actor.userId)).length === 0;
  return { open, morePeopleWaiting: people.length > HELP_INBOX_PEOPLE, handled: await handledPresses(actor.agencyId, handled), noOtherAdministrator };
}

/** How many presses "Recently handled" lists, and how many handled rows are read to find them. */
const HANDLED_SHOWN = 20;
const HANDLED_ROWS_READ = 200;

type HandledRow = { status: string; handledAt: Date | null; handledById: string | null; user: { id: string; displayName: string } };

/**
 * The latest presses of "Mark resolved" or "Dismiss", one line each with who pressed it and how many
 * requests it closed: one press on an entry strangers named a hundred times closes a hundred rows, and
 * listed by row it filled the list with one person (review r41g F2). A press that closed more rows than
 * are read leaves fewer lines: the newest ones.
 */
async function handledPresses(agencyId: string, rows: HandledRow[]) {
  const presses = new Map<string, { key: string; name: string; status: string; handledAt: Date | null; handledById: string | null; requests: number }>();
  for (const row of rows) {
    const key = [row.user.id, row.status, row.handledAt?.getTime(), row.handledById].join('|');
    const press = presses.get(key);
    if (press) press.requests += 1;
    else if (presses.size < HANDLED_SHOWN) presses.set(key, { key, name: row.user.displayName, status: row.status, handledAt: row.handledAt, handledById: row.handledById, requests: 1 });
  }
  const handlerIds = [...new Set([...presses.values()].flatMap((press) => (press.handledById ? [press.handledById] : [])))];
  const handlers = await db().user.findMany({ where: { id: { in: handlerIds }, agencyId }, select: { id: true, displayName: true } });
  const handlerName = new Map(handlers.map((handler) => [handler.id, handler.displayName]));
  return [...presses.values()].map(({ handledById, ...press }) => ({ ...press, by: handledById ? (handlerName.get(handledById) ?? null) : null }));
}

/**
 * The requests the inbox entries of these people show, in one query however many people there are:
 * each person's newest open request, and their newest HELP_INBOX_WORDS open requests with words.
 * Ranked by the database (window functions, on both SQLite and PostgreSQL); a flood naming one person
 * adds nothing to what is read for the others.
 */
async function entryRequestIds(agencyId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const ranked = await db().$queryRaw<{ id: string }[]>`
    SELECT "id" FROM (
      SELECT "id", "message",
        ROW_NUMBER() OVER (PARTITION BY "userId" ORDER BY "createdAt" DESC, "id" DESC) AS "newest",
        ROW_NUMBER() OVER (PARTITION BY "userId", "message" IS NULL ORDER BY "createdAt" DESC, "id" DESC) AS "newestWithWords"
      FROM "HelpRequest"
      WHERE "agencyId" = ${agencyId} AND "status" = 'OPEN' AND "userId" IN (${Prisma.join(userIds)})
    ) AS "ranked"
    WHERE "newest" = 1 OR ("message" IS NOT NULL AND "newestWithWords" <= ${HELP_INBOX_WORDS})`;
  return ranked.map((row) => row.id);
}

export const handleHelpRequestSchema = z.object({
  /** The entry's newest request: the person, and how far the entry reached. */
  requestId: z.string().min(1).max(64),
  /** The requests with words the entry showed (ids, comma-separated): of those with words, only these are closed. */
  shown: z
    .string()
    .max(HELP_INBOX_WORDS * 65)
    .default('')
    .transform((ids) => ids.split(',').filter(Boolean))
    .pipe(z.array(z.string().max(64)).max(HELP_INBOX_WORDS)),
  outcome: z.enum(['RESOLVED', 'DISMISSED']),
});

export async function handleHelpRequest(actor: AgencyActor, input: z.infer<typeof handleHelpRequestSchema>, ip: string): Promise<Result> {
  const decision = canAdmin(actor, 'help-requests:handle');
  if (!decision.allowed) {
    await auditAdminRefusal(actor, 'help-requests:handle', null, decision.reason, ip);
    return { ok: false, message: decision.message };
  }
  const done = await db().$transaction(async (tx): Promise<Result | 'actor-changed' | { otherAgencyId: string | null } | { refused: Extract<AdminDecision, { allowed: false }> }> => {
    if (!(await holdActor(tx, actor))) return 'actor-changed';
    const shown = await tx.helpRequest.findUnique({
      where: { id: input.requestId },
      select: { agencyId: true, userId: true, status: true, createdAt: true, user: { select: { role: true } } },
    });
    // Another agency's request, or one that never was, is answered as one that is gone, and leaves the
    // same record in this agency's log (the other agency is named only where the vendor reads it).
    if (!shown || shown.agencyId !== actor.agencyId) return { otherAgencyId: shown?.agencyId ?? null };
    const onPerson = canAdmin(actor, 'help-requests:handle', { id: shown.userId, agencyId: shown.agencyId, role: shown.user.role });
    if (!onPerson.allowed) return { refused: onPerson };
    if (shown.status !== 'OPEN') return NO_LONGER_OPEN;
    // The entry stood for that person's requests up to its newest: those without words, and those whose
    // words it showed. One that came later, or whose words were not shown, stays open and is listed next.
    const updated = await tx.helpRequest.updateMany({
      where: {
        agencyId: actor.agencyId,
        userId: shown.userId,
        status: 'OPEN',
        createdAt: { lte: shown.createdAt },
        OR: [{ message: null }, { id: { in: input.shown } }],
      },
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
  if ('refused' in done) {
    // Only one's own requests get here (the agency and the role are checked above): the person is the actor.
    await auditAdminRefusal(actor, 'help-requests:handle', actor.userId, done.refused.reason, ip);
    return { ok: false, message: done.refused.message };
  }
  if ('otherAgencyId' in done) {
    await auditAdminRefusal(actor, 'help-requests:handle', null, 'other-agency', ip, done.otherAgencyId);
    return NO_LONGER_OPEN;
  }
  return done;
}

// Handled by another admin, or gone: its entry and buttons are gone from the inbox with it.
const NO_LONGER_OPEN = { ok: false, message: 'That request is no longer open.', gone: true } as const;
