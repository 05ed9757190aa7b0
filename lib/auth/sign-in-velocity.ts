import { recordAudit } from '@/lib/audit/record';
import { db, type Db, type Tx } from '@/lib/db/client';
import { isUniqueClash } from '@/lib/db/unique-clash';
import { deleteInBatches } from '@/lib/housekeeping/delete-in-batches';
import { enqueueMail } from '@/lib/mail/outbox';
import { signInSprayAlertMail } from '@/lib/mail/templates/sign-in-spray-alert';
import { errorFields, logger } from '@/lib/observability/logger.mjs';
import { POLICY_BOUNDS } from '@/lib/policy/agency-policy';
import { isStopping } from '@/lib/runtime/stop-signal';

// Velocity of failed sign-ins per agency and per address within an agency (PRODUCT.md, "Under attack").
// Rows live in the database so every instance sees the same figures.

export const VELOCITY_WINDOW_MS = 10 * 60_000;
export const ALERT_INTERVAL_MS = 60 * 60_000;
/** An address failing on this many distinct accounts of one agency within the window is slowed. */
export const SLOW_AFTER_ACCOUNTS = 5;
export const MAX_SLOWING_SECONDS = 60;
const ALERT_ADDRESSES = 20;

/** Where an attempt lands: the agency (or the code typed when none has it), the login name typed, the address. */
export type VelocityKey = { agencyKey: string; accountKey: string; ip: string };

export function velocityKey(agencyId: string | null, codeKey: string, accountKey: string, ip: string): VelocityKey {
  return { agencyKey: agencyId ?? `?${codeKey}`, accountKey, ip };
}

const addressRowKey = (k: VelocityKey) => `${k.agencyKey}/${k.ip}/${k.accountKey}`;
const accountRowKey = (k: Pick<VelocityKey, 'agencyKey' | 'accountKey'>) => `${k.agencyKey}/${k.accountKey}`;
const checkRowKey = (k: VelocityKey) => `${k.agencyKey}/${k.ip}`;

/** Seconds an address must wait before its next sign-in into this agency, doubling per further account from 1 s up to 60 s. */
export function slowingSeconds(distinctAccounts: number): number {
  if (distinctAccounts < SLOW_AFTER_ACCOUNTS) return 0;
  return Math.min(2 ** Math.min(distinctAccounts - SLOW_AFTER_ACCOUNTS, 16), MAX_SLOWING_SECONDS);
}

/**
 * How long this address must still wait before a password is checked for it in this agency; 0 when it may go on.
 * Counted: failures already known (a password checked and wrong, or a refusal for slowing), never attempts still
 * in flight, so an office signing in at once is not slowed by its own successes. The wait runs from the last
 * check, so refusals meanwhile (which a person at the same address may get too) do not push it further.
 */
export async function slowingWait(tx: Tx, key: VelocityKey, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - VELOCITY_WINDOW_MS);
  const accounts = await tx.signInAddressFailure.count({ where: { agencyKey: key.agencyKey, ip: key.ip, lastFailedAt: { gt: since } } });
  const last = await tx.signInAddressCheck.findUnique({ where: { key: checkRowKey(key) }, select: { lastCheckedAt: true } });
  const seconds = slowingSeconds(accounts);
  if (seconds === 0 || !last) return 0;
  return Math.max(0, Math.ceil((last.lastCheckedAt.getTime() + seconds * 1000 - now.getTime()) / 1000));
}

/**
 * Takes the address's turn to have a password checked in this agency, in the transaction that read the wait.
 * Parallel attempts from one address take turns on the address's rate-limit row first, so when the address is
 * slowed only one of a burst finds the wait over.
 */
export async function claimCheck(tx: Tx, key: VelocityKey, now = new Date()): Promise<void> {
  await tx.signInAddressCheck.upsert({
    where: { key: checkRowKey(key) },
    create: { key: checkRowKey(key), lastCheckedAt: now },
    update: { lastCheckedAt: now },
  });
}

/** Counts one failure (a wrong password, an account that cannot sign in, or a refusal for slowing) for the address and the agency. */
export async function recordVelocityFailure(tx: Tx, key: VelocityKey, now = new Date()): Promise<void> {
  await tx.signInAddressFailure.upsert({
    where: { key: addressRowKey(key) },
    create: { key: addressRowKey(key), ...key, attempts: 1, firstFailedAt: now, lastFailedAt: now },
    update: { attempts: { increment: 1 }, lastFailedAt: now },
  });
  await tx.signInFailingAccount.upsert({
    where: { key: accountRowKey(key) },
    create: { key: accountRowKey(key), agencyKey: key.agencyKey, lastFailedAt: now },
    update: { lastFailedAt: now },
  });
}

/**
 * The right password was typed: this account's failures from this address, and the account in the agency's
 * gauge, no longer count. An office where many people mistype and then get in is neither slowed nor reported.
 */
export async function forgetVelocityFailures(tx: Tx, key: VelocityKey): Promise<void> {
  await tx.signInAddressFailure.deleteMany({ where: { key: addressRowKey(key) } });
  await tx.signInFailingAccount.deleteMany({ where: { key: accountRowKey(key) } });
}

/**
 * The status round's: alerts the admins of each agency whose distinct accounts failing within the
 * window reached its threshold, at most once an hour. Not on the failing request itself: the alert's
 * writes (its figures, a mail per admin, the audit record) made the one failure that crossed a real
 * agency's threshold slower than the same failure under a made-up code, which told a stranger the code
 * exists (review r32b). Every failure now does the same work; the alert follows within a round (30 s).
 * Made-up codes (`?code`) name no agency and are not looked at; made-up names are no account and do not
 * count (failingAccountsOf).
 */
export async function sendDueSprayAlerts(database: Db, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - VELOCITY_WINDOW_MS);
  const failing = await database.signInFailingAccount.groupBy({
    by: ['agencyKey'],
    where: { lastFailedAt: { gt: since }, NOT: { agencyKey: { startsWith: '?' } } },
    _count: { _all: true },
    having: { agencyKey: { _count: { gte: POLICY_BOUNDS.signInAlertThreshold.min } } },
  });
  let sent = 0;
  for (const { agencyKey, _count } of failing) {
    if (isStopping()) break;
    // Each agency on its own: one that fails (gone meanwhile, say) keeps no other's alert back.
    try {
      if (await alertIfDue(database, agencyKey, _count._all, since, now)) sent += 1;
    } catch (error) {
      logger.error({ event: 'auth.spray_alert_failed', agencyId: agencyKey, ...errorFields(error) });
    }
  }
  return sent;
}

/** `failingNames`: the login names failing in the window, accounts or not; as many accounts at most. */
async function alertIfDue(database: Db, agencyId: string, failingNames: number, since: Date, now: Date): Promise<boolean> {
  const agency = await database.agency.findUnique({ where: { id: agencyId }, select: { signInAlertThreshold: true } });
  if (!agency || failingNames < agency.signInAlertThreshold) return false;
  const alert = await database.signInSprayAlert.findUnique({ where: { agencyId }, select: { sentAt: true } });
  if (alert && alert.sentAt.getTime() > now.getTime() - ALERT_INTERVAL_MS) return false;
  if ((await failingAccountsOf(database, agencyId, since)) < agency.signInAlertThreshold) return false;
  try {
    return await database.$transaction((tx) => sendSprayAlert(tx, agencyId, now));
  } catch (error) {
    // Another instance's round created the alert row first: it sends this hour's alert.
    if (isUniqueClash(error)) return false;
    throw error;
  }
}

async function sendSprayAlert(tx: Tx, agencyId: string, now: Date): Promise<boolean> {
  const hourAgo = new Date(now.getTime() - ALERT_INTERVAL_MS);
  const figures = await sprayFigures(tx, agencyId, hourAgo);
  const data = { sentAt: now, since: figures.since, accounts: figures.accounts, attempts: figures.attempts, addresses: JSON.stringify(figures.addresses) };
  // The claim: only one of several rounds at once (instances) moves sentAt past the hour (or creates the row).
  const claimed = await tx.signInSprayAlert.updateMany({ where: { agencyId, sentAt: { lte: hourAgo } }, data });
  if (claimed.count === 0) {
    if (await tx.signInSprayAlert.findUnique({ where: { agencyId }, select: { agencyId: true } })) return false;
    await tx.signInSprayAlert.create({ data: { agencyId, ...data } });
  }
  const agency = await tx.agency.findUniqueOrThrow({ where: { id: agencyId }, select: { name: true, code: true, timeZone: true } });
  const admins = await tx.user.findMany({
    where: { agencyId, role: { in: ['PROVIDER_ADMIN', 'SUPER_ADMIN'] }, status: 'ACTIVE', email: { not: null } },
    select: { email: true, displayName: true },
  });
  for (const admin of admins) {
    await enqueueMail(tx, signInSprayAlertMail({ email: admin.email!, displayName: admin.displayName, agencyName: agency.name, timeZone: agency.timeZone }, figures, now));
  }
  await recordAudit(tx, {
    actorType: 'SYSTEM',
    actorId: null,
    agencyId,
    action: 'SIGN_IN_SPRAY_ALERTED',
    targetType: 'Agency',
    targetId: agencyId,
    ip: null,
    outcome: 'SUCCESS',
    details: { accounts: figures.accounts, attempts: figures.attempts, addresses: figures.addresses.length, since: figures.since.toISOString(), mailed: admins.length },
  });
  return true;
}

/**
 * Login keys asked about in one statement: well within what SQLite and PostgreSQL take as a statement's
 * parameters, however large the agency.
 */
const KEYS_PER_STATEMENT = 500;

/**
 * How many of the agency's accounts failed to sign in since `after`. Failures are counted under the login
 * name typed, account or not, so that the failing request does the same work for both (decision 007); a
 * name no account of the agency has is left out here, in the round: one address making up names had every
 * admin of an agency mailed each hour about accounts that do not exist (review r55d F4). Read from the
 * agency's accounts (the keys sign-in looks them up by), so however many names a spray makes up, the
 * work is the agency's size.
 */
async function failingAccountsOf(database: Db | Tx, agencyId: string, after: Date): Promise<number> {
  const accounts = await database.user.findMany({ where: { agencyId }, select: { loginKey: true } });
  let failing = 0;
  for (let from = 0; from < accounts.length; from += KEYS_PER_STATEMENT) {
    const keys = accounts.slice(from, from + KEYS_PER_STATEMENT).map(({ loginKey }) => accountRowKey({ agencyKey: agencyId, accountKey: loginKey }));
    failing += await database.signInFailingAccount.count({ where: { key: { in: keys }, lastFailedAt: { gt: after } } });
  }
  return failing;
}

/** `accounts`: the agency's accounts among the names tried; `attempts` and `addresses`, every failure's. */
export type SprayFigures = { since: Date; accounts: number; attempts: number; addresses: { ip: string; attempts: number }[] };

async function sprayFigures(tx: Tx, agencyKey: string, after: Date): Promise<SprayFigures> {
  const where = { agencyKey, lastFailedAt: { gt: after } };
  const [totals, accounts, byAddress] = await Promise.all([
    tx.signInAddressFailure.aggregate({ where, _sum: { attempts: true }, _min: { firstFailedAt: true } }),
    failingAccountsOf(tx, agencyKey, after),
    tx.signInAddressFailure.groupBy({
      by: ['ip'],
      where,
      _sum: { attempts: true },
      orderBy: { _sum: { attempts: 'desc' } },
      take: ALERT_ADDRESSES,
    }),
  ]);
  return {
    since: totals._min.firstFailedAt ?? after,
    accounts,
    attempts: totals._sum.attempts ?? 0,
    addresses: byAddress.map((row) => ({ ip: row.ip, attempts: row._sum.attempts ?? 0 })),
  };
}

export type RecentSprayAlert = { agencyId: string; agencyName: string; agencyCode: string } & SprayFigures & { sentAt: Date };

/** Sprays alerted within the last hour, for the vendor's operators (figures only, no account names). */
export async function listRecentSprayAlerts(now = new Date()): Promise<RecentSprayAlert[]> {
  const alerts = await db().signInSprayAlert.findMany({
    where: { sentAt: { gt: new Date(now.getTime() - ALERT_INTERVAL_MS) } },
    orderBy: { sentAt: 'desc' },
  });
  const agencies = await db().agency.findMany({
    where: { id: { in: alerts.map((a) => a.agencyId) } },
    select: { id: true, name: true, code: true },
  });
  const byId = new Map(agencies.map((a) => [a.id, a]));
  return alerts.flatMap((alert) => {
    const agency = byId.get(alert.agencyId);
    if (!agency) return [];
    return [
      {
        agencyId: alert.agencyId,
        agencyName: agency.name,
        agencyCode: agency.code,
        sentAt: alert.sentAt,
        since: alert.since,
        accounts: alert.accounts,
        attempts: alert.attempts,
        addresses: JSON.parse(alert.addresses) as { ip: string; attempts: number }[],
      },
    ];
  });
}

/** Velocity rows older than a day count for nothing: pruned by the housekeeping round, a batch at a time. */
export async function pruneSignInVelocity(database: Db, now = new Date()): Promise<{ removed: number; more: boolean }> {
  const before = new Date(now.getTime() - 24 * 60 * 60_000);
  const addressWhere = { lastFailedAt: { lt: before } };
  const accountWhere = { lastFailedAt: { lt: before } };
  const checkWhere = { lastCheckedAt: { lt: before } };
  const outcomes = [
    await deleteInBatches(
      async (take) => (await database.signInAddressFailure.findMany({ where: addressWhere, select: { key: true }, take })).map((row) => row.key),
      (keys) => database.signInAddressFailure.deleteMany({ where: { ...addressWhere, key: { in: keys } } }),
    ),
    await deleteInBatches(
      async (take) => (await database.signInFailingAccount.findMany({ where: accountWhere, select: { key: true }, take })).map((row) => row.key),
      (keys) => database.signInFailingAccount.deleteMany({ where: { ...accountWhere, key: { in: keys } } }),
    ),
    await deleteInBatches(
      async (take) => (await database.signInAddressCheck.findMany({ where: checkWhere, select: { key: true }, take })).map((row) => row.key),
      (keys) => database.signInAddressCheck.deleteMany({ where: { ...checkWhere, key: { in: keys } } }),
    ),
  ];
  return { removed: outcomes.reduce((sum, o) => sum + o.removed, 0), more: outcomes.some((o) => o.more) };
}
