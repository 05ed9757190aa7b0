import { z } from 'zod';
import { recordAuditAlone } from '@/lib/audit/record';
import { ofAgency } from '@/lib/admin/list-agency-users';
import { requireAdminCapability } from '@/lib/admin/permissions';
import { csvDocument } from '@/lib/format/csv';
import type { AgencyActor } from '@/lib/auth/session';
import { auditActionLabel } from '@/lib/audit/action-labels';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/sqlite/client';

export const auditQuerySchema = z.object({
  action: z.string().regex(/^[A-Z_]{1,64}$/).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const AUDIT_PAGE_SIZE = 50;

const LAST_DAY = '9999-12-31';

function whereFor(actor: AgencyActor, query: AuditQuery) {
  return {
    agencyId: actor.agencyId,
    ...(query.action ? { action: query.action } : {}),
    ...(query.from || query.to
      ? {
          createdAt: {
            ...(query.from ? { gte: new Date(`${query.from}T00:00:00Z`) } : {}),
            // The day after 9999-12-31 has a five-digit year, which SQLite's stored dates compare as text
            // before every real one: that last day has no upper bound.
            ...(query.to && query.to < LAST_DAY ? { lt: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
          },
        }
      : {}),
  };
}

const EVENT_SELECT = {
  seq: true,
  createdAt: true,
  actorType: true,
  actorId: true,
  action: true,
  targetType: true,
  targetId: true,
  ip: true,
  outcome: true,
  details: true,
} as const;

/** The agency's own audit records, newest first. */
export async function listAgencyAudit(actor: AgencyActor, query: AuditQuery) {
  requireAdminCapability(actor, 'audit:read');
  const rows = await db().auditEvent.findMany({
    where: whereFor(actor, query),
    orderBy: { seq: 'desc' },
    skip: (query.page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE + 1,
    select: EVENT_SELECT,
  });
  return { events: rows.slice(0, AUDIT_PAGE_SIZE).map(forTheAgency), hasNextPage: rows.length > AUDIT_PAGE_SIZE };
}

/** People named in records, so the console shows names rather than ids (own agency only). */
export async function namesForAudit(actor: AgencyActor, ids: (string | null)[]) {
  requireAdminCapability(actor, 'audit:read');
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const users = ofAgency(
    actor.agencyId,
    await db().user.findMany({ where: { id: { in: wanted } }, select: { id: true, agencyId: true, displayName: true, loginName: true } }),
  );
  return new Map(users.map((u) => [u.id, `${u.displayName} (${u.loginName})`]));
}

// Facts kept for the vendor alone: about other agencies (an admin who tried a foreign user id must not
// learn from their own export that it exists, auditAdminRefusal), and the verifiers' own work on the
// agency's requests (a taken-over claim keeps the previous verifier's call notes, which say who at the
// agency was called and what they thought of it), and which of the vendor's accounts did it.
const NOT_FOR_THE_AGENCY = ['targetAgencyId', 'previousClaimerId', 'previousCallbackNotes', 'verifiedById'];

/**
 * A record as the agency's admins see it (console and export): the vendor's staff are "CareNotes
 * staff", without their account id or network address, and details only the vendor keeps are left out.
 */
function forTheAgency<Row extends { actorType: string; actorId: string | null; ip: string | null; details: string | null }>(row: Row): Row {
  const vendor = row.actorType === 'VENDOR';
  return { ...row, actorId: vendor ? null : row.actorId, ip: vendor ? null : row.ip, details: agencyVisibleDetails(row.details) };
}

function agencyVisibleDetails(details: string | null): string | null {
  if (!details || !NOT_FOR_THE_AGENCY.some((key) => details.includes(`"${key}"`))) return details;
  const parsed = JSON.parse(details) as Record<string, unknown>;
  for (const key of NOT_FOR_THE_AGENCY) delete parsed[key];
  return JSON.stringify(parsed);
}

/** The most records one export holds. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;
const EXPORT_BATCH = 2_000;

/**
 * CSV of the records matching the query, oldest first: the newest AUDIT_EXPORT_MAX_ROWS of them. When
 * there are more, its first row says so (the oldest were kept before, and the newest, a sign-in a
 * minute ago included, were silently left out). Audited, as the verifiers' queue export is: the file
 * carries names and addresses out of the portal (review r42e F4).
 */
export async function exportAgencyAuditCsv(actor: AgencyActor, query: AuditQuery, ip: string, maxRows = AUDIT_EXPORT_MAX_ROWS): Promise<string | typeof EXPORT_BUSY> {
  requireAdminCapability(actor, 'audit:read');
  // One at a time on an instance: each holds its rows and its file in memory (a few exports at once
  // took 380 MB and held every other request for 20 s); the next admin is asked to wait a moment.
  if (exportsRunning.count > 0) return EXPORT_BUSY;
  exportsRunning.count += 1;
  try {
    const { csv, rows } = await auditCsv(actor, query, maxRows);
    await recordAuditAlone(db(), {
      actorType: 'USER',
      actorId: actor.userId,
      agencyId: actor.agencyId,
      action: 'ADMIN_AUDIT_EXPORTED',
      targetType: 'Agency',
      targetId: actor.agencyId,
      ip,
      outcome: 'SUCCESS',
      details: { rows, action: query.action ?? null, from: query.from ?? null, to: query.to ?? null },
    });
    return csv;
  } finally {
    exportsRunning.count -= 1;
  }
}

/** Said when another export is being made on this instance. */
export const EXPORT_BUSY = 'busy';
// On globalThis: the bundler may give each route its own copy of this module.
const exportsRunning = ((globalThis as unknown as { portalAuditExports?: { count: number } }).portalAuditExports ??= { count: 0 });

async function auditCsv(actor: AgencyActor, query: AuditQuery, maxRows: number): Promise<{ csv: string; rows: number }> {
  // Read in batches, letting other requests run between them: on SQLite each read holds the process,
  // and 50,000 rows at once held it for two seconds per export.
  const newestFirst: Prisma.AuditEventGetPayload<{ select: typeof EVENT_SELECT }>[] = [];
  while (newestFirst.length <= maxRows) {
    const before = newestFirst.at(-1)?.seq;
    const batch = await db().auditEvent.findMany({
      where: { AND: [whereFor(actor, query), before === undefined ? {} : { seq: { lt: before } }] },
      orderBy: { seq: 'desc' },
      take: Math.min(EXPORT_BATCH, maxRows + 1 - newestFirst.length),
      select: EVENT_SELECT,
    });
    newestFirst.push(...batch);
    if (batch.length === 0 || newestFirst.length > maxRows) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const leftOut = newestFirst.length > maxRows;
  const rows = newestFirst.slice(0, maxRows).reverse().map(forTheAgency);
  const names = await namesForAudit(actor, rows.flatMap((r) => [r.actorId, r.targetId]));
  const header = ['seq', 'time', 'actor_type', 'actor', 'action', 'action_label', 'target_type', 'target', 'address', 'outcome', 'details'];
  const notice = [
    '',
    '',
    '',
    '',
    'EXPORT_INCOMPLETE',
    `Only the newest ${maxRows.toLocaleString('en-US')} records are in this file: choose dates to export the older ones`,
    '',
    '',
    '',
    '',
    '',
  ];
  const lines = rows.map((r) =>
    [r.seq, r.createdAt, r.actorType, r.actorType === 'VENDOR' ? 'CareNotes staff' : (names.get(r.actorId ?? '') ?? r.actorId), r.action, auditActionLabel(r.action), r.targetType, names.get(r.targetId ?? '') ?? r.targetId, r.ip, r.outcome, r.details],
  );
  return { csv: csvDocument(header, leftOut ? [notice, ...lines] : lines), rows: lines.length };
}
