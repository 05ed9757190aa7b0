import { createHash } from 'node:crypto';
import type { Db, Tx } from '@/lib/db/client';
import { currentRequestContext } from '@/lib/http/request-context';

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export type AuditActorType = 'USER' | 'VENDOR' | 'ANONYMOUS' | 'SYSTEM';
export type AuditOutcome = 'SUCCESS' | 'FAILURE' | 'DENIED';

export type AuditInput = {
  actorType: AuditActorType;
  actorId?: string | null;
  agencyId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  outcome: AuditOutcome;
  /** Facts that help an investigation. Never a password, temporary password, token or hash. */
  details?: Record<string, string | number | boolean | null>;
  /** Taken from the request being served when not given (see lib/http/request-context.ts). */
  requestId?: string | null;
};

type ChainedFields = {
  seq: number;
  createdAt: Date;
  actorType: string;
  actorId: string | null;
  agencyId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  outcome: string;
  details: string | null;
  requestId?: string | null;
};

/** The hash that links a record to the one before it; changing any field breaks the chain. */
export function chainHash(prevHash: string, event: ChainedFields): string {
  const fields = [
    prevHash,
    event.seq,
    event.createdAt.toISOString(),
    event.actorType,
    event.actorId,
    event.agencyId,
    event.action,
    event.targetType,
    event.targetId,
    event.ip,
    event.outcome,
    event.details,
  ];
  // Records written before requestId existed were hashed without it: appended only when
  // present, it keeps their hashes, and a longer array can never hash like a shorter one.
  if (event.requestId != null) fields.push(event.requestId);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends one record inside the caller's transaction, so a security change and its
 * record commit together. Bumping the single head row (created by a migration) first serializes appenders on
 * both databases (row lock on PostgreSQL, write lock on SQLite): the chain never forks.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  const requestId = input.requestId !== undefined ? input.requestId : ((await currentRequestContext())?.requestId ?? null);
  const head = await tx.auditChainHead.update({ where: { id: 1 }, data: { lastSeq: { increment: 1 } } });
  const fields: ChainedFields = {
    seq: head.lastSeq,
    createdAt: new Date(),
    actorType: input.actorType,
    actorId: input.actorId ?? null,
    agencyId: input.agencyId ?? null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    ip: input.ip ?? null,
    outcome: input.outcome,
    details: input.details ? JSON.stringify(input.details) : null,
    requestId,
  };
  const hash = chainHash(head.lastHash, fields);
  await tx.auditEvent.create({ data: { ...fields, prevHash: head.lastHash, hash } });
  await tx.auditChainHead.update({ where: { id: 1 }, data: { lastHash: hash } });
}

/** For events with no other write to join (e.g. a refused sign-in). */
export async function recordAuditAlone(database: Db, input: AuditInput): Promise<void> {
  await database.$transaction((tx) => recordAudit(tx, input));
}
