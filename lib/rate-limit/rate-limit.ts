import type { Db, Tx } from '@/lib/db/client';
import { countRateLimitRefusal } from '@/lib/observability/metrics.mjs';

/** A client or a transaction: a limit may be counted inside the change it guards. */
type Counter = Pick<Db | Tx, 'rateLimitBucket'>;

type RuleShape = { name: string; limit: number; windowMs: number };

/**
 * Limits shared by every app instance: counters live in the database, never in memory. Every rule is
 * here, and only a rule here can count (RateLimitRule): the housekeeping round prunes the windows of
 * these, and a rule declared elsewhere left a row per address for ever (review r34c F1).
 */
export const RATE_LIMITS = {
  signInFailuresPerAddress: { name: 'signin-fail-ip', limit: 100, windowMs: 15 * 60_000 },
  // Past the address's limit, a browser an account signed in from before (decision 062) tries on a budget of that
  // account's, as passkey challenges do: its own lane's lock counts its guesses for nothing, and a stolen token
  // checked a password and wrote a record on every try without end (review r54b F2).
  signInAttemptsPerKnownAccount: { name: 'signin-known-account', limit: 100, windowMs: 15 * 60_000 },
  // A right password whose account still owes its second factor gives its counts back, so someone who knows the
  // password but holds no factor opened code steps (a session and a record each) without end (review r54b F1).
  // One budget per account and lane of the lockout: strangers spending it leave the owner's usual browser its own.
  codeStepsPerAccount: { name: 'signin-code-step-account', limit: 30, windowMs: 15 * 60_000 },
  // A right password ends the lockout streak (lib/auth/sign-in.ts), so someone who knows the password
  // could sign in again between code guesses; this budget outlives that. One per account and lane of the
  // lockout (lib/mfa/wrong-codes.ts); whatever ends the lockout (a whole sign-in, an unlock, a reset) clears it.
  wrongCodesPerAccount: { name: 'second-factor-fail-account', limit: 10, windowMs: 60 * 60_000 },
  passwordChangePerUser: { name: 'password-change-user', limit: 10, windowMs: 15 * 60_000 },
  // The public super-admin form, per address. Per account named there is no count: one open request at
  // a time (decision 016) bounds both the queue and the notices an account's addresses get.
  superAdminRequestPerAddress: { name: 'sa-request-ip', limit: 10, windowMs: 60 * 60_000 },
  superAdminStatusPerAddress: { name: 'sa-status-ip', limit: 30, windowMs: 15 * 60_000 },
  // "Ask my administrator": enough for a person to retry, not enough to flood an agency's admins.
  helpRequestPerAddress: { name: 'help-request-ip', limit: 10, windowMs: 60 * 60_000 },
  helpRequestPerAccount: { name: 'help-request-account', limit: 3, windowMs: 60 * 60_000 },
  // Requests mailed to one agency's admins: naming many of its accounts (from many addresses) must not
  // flood their inboxes. Past it a request is still stored and shown in the console; it is not mailed.
  helpRequestMailsPerAgency: { name: 'help-request-mail-agency', limit: 20, windowMs: 60 * 60_000 },
  helpRequestMailsPerAgencyDay: { name: 'help-request-mail-agency-day', limit: 60, windowMs: 24 * 60 * 60_000 },
  // Super-admin requests noticed to an agency's other admins: each account has one open request at a
  // time, but requests naming each of its admins in turn mailed every admin once per admin. Past it
  // only the account holder is told (the canary always sings); verifiers see every request.
  superAdminNoticesToOthersPerAgency: { name: 'super-admin-notice-agency', limit: 10, windowMs: 60 * 60_000 },
  superAdminNoticesToOthersPerAgencyDay: { name: 'super-admin-notice-agency-day', limit: 20, windowMs: 24 * 60 * 60_000 },
  // Resets admins mail to one account (a reset link; a temporary password's or cleared factors' notice;
  // for an admin's account, a receipt to every super admin too): one who got no mail gets a few more
  // tries, a flood of clicks stops. Counted per account and per way (lib/admin/admin-target.ts), so a
  // temporary password still helps someone whose links never arrived.
  adminResetsPerAccount: { name: 'admin-reset-account', limit: 5, windowMs: 60 * 60_000 },
  // Status alerts: sign-ups per client; confirmation mails per (hashed) address.
  statusSubscribePerClient: { name: 'status-subscribe-ip', limit: 20, windowMs: 60 * 60_000 },
  statusSubscribePerEmail: { name: 'status-subscribe-email', limit: 3, windowMs: 60 * 60_000 },
  statusSubscribePerEmailWeek: { name: 'status-subscribe-email-week', limit: 6, windowMs: 7 * 24 * 60 * 60_000 },
  // Confirmation mails per recipient domain (hashed, as inboxDomain names it): at a domain with a catch-all, dash tags
  // or subdomain addressing, "ann-1@", "ann-2@"… reach one inbox under as many keys as anyone likes (review r55d F2).
  // The large providers' (LARGE_PROVIDER_DOMAINS) is larger: many real people share each, and there an inbox is
  // reached only by spellings inboxKey folds. The numbers, and why: decision 025, review r55d addendum.
  statusSubscribePerDomain: { name: 'status-subscribe-domain', limit: 50, windowMs: 60 * 60_000 },
  statusSubscribePerDomainDay: { name: 'status-subscribe-domain-day', limit: 200, windowMs: 24 * 60 * 60_000 },
  statusSubscribePerLargeProvider: { name: 'status-subscribe-provider', limit: 500, windowMs: 60 * 60_000 },
  statusSubscribePerLargeProviderDay: { name: 'status-subscribe-provider-day', limit: 2_500, windowMs: 24 * 60 * 60_000 },
  // Every confirmation mail, from every instance: whoever signs up addresses at many domains from many client
  // addresses had CareNotes' sender mail ~130,000 strangers an hour (review r55d F2), on the relay and the
  // domain reset links and lock notices go out from. One bucket ("all") for the whole deployment.
  statusSubscribeAll: { name: 'status-subscribe-all', limit: 2_000, windowMs: 60 * 60_000 },
  // Wrong links submitted to the reset and "this wasn't me" pages (lib/rate-limit/token-pages.ts): each is
  // audited up to this many per address; past it, it is answered as before and not audited. A right link
  // is never counted and never turned away.
  tokenPagePerAddress: { name: 'token-page-ip', limit: 30, windowMs: 15 * 60_000 },
  // New passwords a live reset link's holder sends that the history check refuses (argon2 work that leaves the link
  // unused): per link, so that only its holder spends it, never a session of the account (review r44g F1).
  resetLinkHistoryChecksPerLink: { name: 'reset-link-history', limit: 10, windowMs: 15 * 60_000 },
  // Each passwordless attempt stores a challenge row for anyone who asks: enough for an office
  // behind one address (and autofill asking on every visit), not enough to fill the table.
  passkeySignInChallengesPerAddress: { name: 'passkey-challenge-ip', limit: 1000, windowMs: 15 * 60_000 },
  // Past the address's, a browser an account signed in from before (decision 062) asks on a budget of that account's.
  passkeySignInChallengesPerKnownAccount: { name: 'passkey-challenge-known', limit: 100, windowMs: 15 * 60_000 },
} as const satisfies Record<string, RuleShape>;

export type RateLimitRule = (typeof RATE_LIMITS)[keyof typeof RATE_LIMITS];

export type RateLimitState = { limited: boolean; retryAfterSeconds: number };

/**
 * A counted event's state. `firstRefusal`: this event is the first its window refused. Each event's count is the
 * one its own write left, so across instances exactly one event per window sees it: whoever tells of a refusal
 * tells it once per window, not once per event.
 */
export type CountedState = RateLimitState & { firstRefusal: boolean };

function bucketKey(rule: RateLimitRule, subject: string): string {
  return `${rule.name}:${subject}`;
}

function stateOf(rule: RateLimitRule, bucket: { windowStart: Date; count: number } | null, now: Date): RateLimitState {
  if (!bucket || bucket.windowStart.getTime() + rule.windowMs <= now.getTime()) {
    return { limited: false, retryAfterSeconds: 0 };
  }
  const retryAfterSeconds = Math.ceil((bucket.windowStart.getTime() + rule.windowMs - now.getTime()) / 1000);
  return { limited: bucket.count >= rule.limit, retryAfterSeconds };
}

/** Whether the subject is over the limit, without counting anything. */
export async function checkRateLimit(database: Counter, rule: RateLimitRule, subject: string): Promise<RateLimitState> {
  const bucket = await database.rateLimitBucket.findUnique({ where: { key: bucketKey(rule, subject) } });
  return stateOf(rule, bucket, new Date());
}

type Bucket = { windowStart: Date; count: number };

/**
 * Counts this event in the current window and returns the bucket as this very write left it, so
 * requests that arrive together each see their own count (one UPDATE … RETURNING), not the last.
 * Null when there is no current window.
 */
async function countInWindow(database: Counter, key: string, windowOpenedAfter: Date): Promise<Bucket | null> {
  try {
    return await database.rateLimitBucket.update({
      where: { key, windowStart: { gt: windowOpenedAfter } },
      data: { count: { increment: 1 } },
      select: { windowStart: true, count: true },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2025') return null;
    throw error;
  }
}

/**
 * Starts a new window holding this one event. Requests that arrive together at a window's start
 * must not each start it at 1 (a burst would then count as one): only an expired window is
 * restarted, by a conditional write, and of two creators the loser counts itself in the winner's
 * (a native upsert, INSERT … ON CONFLICT: no failed insert to abort a surrounding transaction).
 */
async function openWindow(database: Counter, key: string, now: Date, windowOpenedAfter: Date): Promise<Bucket> {
  const restarted = await database.rateLimitBucket.updateMany({
    where: { key, windowStart: { lte: windowOpenedAfter } },
    data: { windowStart: now, count: 1 },
  });
  if (restarted.count === 1) return { windowStart: now, count: 1 };
  return database.rateLimitBucket.upsert({
    where: { key },
    create: { key, windowStart: now, count: 1 },
    update: { count: { increment: 1 } },
    select: { windowStart: true, count: true },
  });
}

/** Counts one event against the subject and tells whether it is now over the limit. */
export async function consumeRateLimit(database: Counter, rule: RateLimitRule, subject: string): Promise<CountedState> {
  const key = bucketKey(rule, subject);
  const now = new Date();
  const windowOpenedAfter = new Date(now.getTime() - rule.windowMs);
  const bucket = (await countInWindow(database, key, windowOpenedAfter)) ?? (await openWindow(database, key, now, windowOpenedAfter));
  const limited = bucket.count > rule.limit;
  // Labelled by the rule's name, never the subject (an address, an account): a fixed set of values.
  if (limited) countRateLimitRefusal(rule.name);
  return { ...stateOf(rule, bucket, now), limited, firstRefusal: bucket.count === rule.limit + 1 };
}

/**
 * Mail that strangers cause to be sent (a confirmation to a typed address, a notice to an agency's admins) is
 * limited twice: per hour against a burst, and over a longer span against a steady drip, which the hour's
 * window alone let through for ever (review r44b F1). Each budget pairs its two rules here, so that a caller
 * names one budget and cannot count the hour alone (nor pair it with another budget's longer span).
 */
export const MAIL_BUDGETS = {
  helpRequestMailsPerAgency: { hour: RATE_LIMITS.helpRequestMailsPerAgency, longer: RATE_LIMITS.helpRequestMailsPerAgencyDay },
  superAdminNoticesToOthersPerAgency: { hour: RATE_LIMITS.superAdminNoticesToOthersPerAgency, longer: RATE_LIMITS.superAdminNoticesToOthersPerAgencyDay },
  statusSubscribePerEmail: { hour: RATE_LIMITS.statusSubscribePerEmail, longer: RATE_LIMITS.statusSubscribePerEmailWeek },
  statusSubscribePerDomain: { hour: RATE_LIMITS.statusSubscribePerDomain, longer: RATE_LIMITS.statusSubscribePerDomainDay },
  statusSubscribePerLargeProvider: { hour: RATE_LIMITS.statusSubscribePerLargeProvider, longer: RATE_LIMITS.statusSubscribePerLargeProviderDay },
} as const satisfies Record<string, { hour: RateLimitRule; longer: RateLimitRule }>;

export type MailBudget = (typeof MAIL_BUDGETS)[keyof typeof MAIL_BUDGETS];

/** Within the budget, or refused by one of its rules (`firstRefusal` as consumeRateLimit's). */
export type MailBudgetState = { limited: false } | { limited: true; rule: RateLimitRule; firstRefusal: boolean };

/**
 * Counts one mail against both windows of the budget, the hour's first; a limited rule stops the count, so a
 * burst past the hour's limit does not spend the longer budget.
 */
export async function consumeMailBudget(database: Counter, budget: MailBudget, subject: string): Promise<MailBudgetState> {
  for (const rule of [budget.hour, budget.longer]) {
    const state = await consumeRateLimit(database, rule, subject);
    if (state.limited) return { limited: true, rule, firstRefusal: state.firstRefusal };
  }
  return { limited: false };
}

/** Forgets every event counted for the subjects under the rules (an administrator's unlock), in one statement. */
export async function forgetRateLimit(database: Counter, rules: RateLimitRule | RateLimitRule[], ...subjects: string[]): Promise<void> {
  const keys = [rules].flat().flatMap((rule) => subjects.map((subject) => bucketKey(rule, subject)));
  await database.rateLimitBucket.deleteMany({ where: { key: { in: keys } } });
}

/** Gives back one event counted in advance (a sign-in counted before its password turned out right). */
export async function refundRateLimit(database: Counter, rule: RateLimitRule, subject: string): Promise<void> {
  await database.rateLimitBucket.updateMany({ where: { key: bucketKey(rule, subject), count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}
