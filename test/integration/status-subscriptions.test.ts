import { randomInt } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { createDb, db } from '@/lib/db/client';
import { countDeadMessages, requeueDeadMessages } from '@/lib/mail/dead-letters';
import { UNSUBSCRIBED } from '@/lib/mail/outbox';
import { unseal } from '@/lib/mail/seal';
import { deliverUntilEmpty } from '@/lib/mail/worker';
import {
  claimStatusAlertFanOut,
  FAN_OUT_BATCH_SIZE,
  FAN_OUT_LEASE_MS,
  queueNextBatch,
  queueStatusAlert,
  runStatusAlertFanOuts,
  type FanOutLease,
} from '@/lib/status/fan-out-alert';
import { confirmStatusSubscription, unsubscribeStatusSubscriber } from '@/lib/status/manage-subscription';
import { CONFIRMATION_RESENT_AFTER_MS, requestStatusSubscription, SUBSCRIBE_ANSWER_FLOOR_MS, subscribeSchema } from '@/lib/status/subscribe';
import { runStatusRound } from '@/lib/maintenance/maintenance-announcer';
import { logger } from '@/lib/observability/logger.mjs';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { titleSchema } from '@/lib/status/operator-input';
import { confirmToken, unsubscribeToken } from '@/lib/status/subscription-token';
import { uniqueSuffix } from '@/prisma/factories';
import { IP, clearStatusData, confirmedSubscribers } from './status-support';
import { whileOutboxRefuses } from '../support/refusing-trigger';
import { databaseKind } from '@/lib/db/kind';
import { statementsOf } from '../support/statements-of';
import { withSmtpSink } from '../support/with-smtp-sink';

const event = {
  kind: 'incident-opened' as const,
  title: 'Sign-in failing',
  impact: 'MAJOR_OUTAGE' as const,
  status: 'INVESTIGATING' as const,
  message: 'Nobody can sign in.',
  components: ['Sign-in'],
};

type BatchNext = Awaited<ReturnType<typeof queueNextBatch>>['next'];

/** What an operator's change does: queue the alert in its transaction, then send it on. */
async function fanOut(): Promise<number> {
  await db().$transaction((tx) => queueStatusAlert(tx, event));
  return runStatusAlertFanOuts(db());
}

/** The use case without its answer floor (tested on its own below), so that loops stay quick. */
const subscribe = (input: { email: string }, ip: string) => requestStatusSubscription(input, ip, { answerFloorMs: 0 });

/** As if the address's last confirmation had gone a while ago: a sign-up now sends another. */
const confirmationSentLongAgo = (email: string) =>
  db().statusSubscriber.updateMany({ where: { emailKey: email.toLowerCase() }, data: { confirmationSentAt: new Date(Date.now() - CONFIRMATION_RESENT_AFTER_MS - 1_000) } });

function address() {
  return `Person.${uniqueSuffix()}@Example.com`;
}

/** The confirmation mails queued for the address, as they will be sent (their link is sealed in the outbox). */
async function confirmationsTo(email: string) {
  const rows = await db().outboxMessage.findMany({ where: { toAddress: email, template: 'status-subscription-confirm' } });
  for (const row of rows) expect(row.textBody).not.toMatch(/confirm\?/);
  return rows.map((row) => ({ ...row, textBody: unseal(row.textBody) }));
}

function linkParams(text: string) {
  const url = new URL(/https?:\/\/\S+\/status\/subscribe\/confirm\?\S+/.exec(text)![0]);
  return { id: url.searchParams.get('s')!, link: { s: url.searchParams.get('s')!, e: url.searchParams.get('e')!, t: url.searchParams.get('t')! } };
}

// The tests share IP: each starts with its allowance whole, not after the sign-ups of the ones before (which passed
// only because one of them ran the housekeeping that empties the buckets).
// So do the budgets of example.com and of all confirmations, which every test's sign-ups spend.
beforeEach(async () => {
  await clearStatusData();
  const shared = [RATE_LIMITS.statusSubscribePerDomain, RATE_LIMITS.statusSubscribePerDomainDay, RATE_LIMITS.statusSubscribeAll];
  await db().rateLimitBucket.deleteMany({ where: { OR: [{ key: `${RATE_LIMITS.statusSubscribePerClient.name}:${IP}` }, ...shared.map((rule) => ({ key: { startsWith: `${rule.name}:` } }))] } });
});
afterAll(clearStatusData);

describe('status alert subscriptions', () => {
  it('[ANONYMOUS] can subscribe: one confirmation mail, nothing else until confirmed', async () => {
    const email = address();
    expect(await subscribe({ email }, IP)).toEqual({ ok: true });
    const [mail] = await confirmationsTo(email);
    expect(mail).toBeDefined();
    expect(mail!.sensitive).toBe(true);
    // Anyone may cause one for any address: it waits behind the mail for one person, a reset link first (review r52b F2).
    expect(mail!.bulk).toBe(true);
    const subscriber = await db().statusSubscriber.findUniqueOrThrow({ where: { emailKey: email.toLowerCase() } });
    expect(subscriber.confirmedAt).toBeNull();
    expect(await fanOut()).toBe(0);
  });

  it('answers the same for a new, a waiting, a confirmed and an unsubscribed address; mails a link only where one is needed', async () => {
    const email = address();
    const answers = [await subscribe({ email }, IP)];
    await confirmationSentLongAgo(email);
    answers.push(await subscribe({ email: email.toUpperCase() }, IP));
    expect(await confirmationsTo(email)).toHaveLength(1);
    expect((await db().outboxMessage.findMany({ where: { toAddress: email.toUpperCase() } })).length).toBe(1);

    // The newest link confirms (the one sent again, to the address as typed then); an older one does
    // not once a second has passed between them, as under load it did (the test failed, not the rule).
    const { id, link } = linkParams((await confirmationsTo(email.toUpperCase()))[0]!.textBody);
    expect(await confirmStatusSubscription(link)).toBe('confirmed');
    answers.push(await subscribe({ email }, IP));
    expect(await db().outboxMessage.count({ where: { template: 'status-subscription-confirm' } })).toBe(2);

    expect(await unsubscribeStatusSubscriber(id, unsubscribeToken(id))).toBe(true);
    answers.push(await subscribe({ email }, IP));
    expect(await db().outboxMessage.count({ where: { template: 'status-subscription-confirm' } })).toBe(3);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    // Subscribing again after unsubscribing needs a fresh confirmation.
    expect(await db().statusSubscriber.findUniqueOrThrow({ where: { id } })).toMatchObject({ confirmedAt: null, unsubscribedAt: null });
  });

  it('takes the same floor of time for a confirmed address as for a new one', async () => {
    const confirmed = address();
    await subscribe({ email: confirmed }, IP);
    expect(await confirmStatusSubscription(linkParams((await confirmationsTo(confirmed))[0]!.textBody).link)).toBe('confirmed');
    for (const email of [confirmed, address()]) {
      const began = performance.now();
      expect(await requestStatusSubscription({ email }, IP)).toEqual({ ok: true });
      expect(performance.now() - began, email).toBeGreaterThanOrEqual(SUBSCRIBE_ANSWER_FLOOR_MS - 5);
    }
  });

  it('one new address signed up ten times at once gets one row, at most 3 confirmations, and ten same answers', async () => {
    const email = address();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => subscribe({ email }, `198.51.100.${100 + i}`)));
    expect(answers).toEqual(Array(10).fill({ ok: true }));
    expect(await db().statusSubscriber.count({ where: { emailKey: email.toLowerCase() } })).toBe(1);
    expect(await confirmationsTo(email)).toHaveLength(1);
  });

  it('the form sent twice, one after the other or at once, mails one link, which still confirms (review r34b F2)', async () => {
    const email = address();
    await subscribe({ email }, IP);
    await subscribe({ email }, IP);
    await Promise.all([subscribe({ email }, IP), subscribe({ email }, IP)]);
    const sent = await confirmationsTo(email);
    expect(sent).toHaveLength(1);
    expect(await confirmStatusSubscription(linkParams(sent[0]!.textBody).link)).toBe('confirmed');
  });

  it('sends at most 3 confirmations an hour to one address, still answering the same', async () => {
    const email = address();
    for (let i = 0; i < 5; i++) {
      expect(await subscribe({ email }, `198.51.100.${i}`)).toEqual({ ok: true });
      await confirmationSentLongAgo(email);
    }
    expect(await confirmationsTo(email)).toHaveLength(3);
    // Past its limit the address is answered as always, and no sooner: the floor hides that no mail went.
    const began = performance.now();
    expect(await requestStatusSubscription({ email }, '198.51.100.9', { answerFloorMs: 400 })).toEqual({ ok: true });
    expect(performance.now() - began).toBeGreaterThanOrEqual(400);
  });

  it('[ATTACKER signing up someone else’s inbox hour after hour] gets at most 6 confirmations a week to it, not 3 every hour for ever (review r44b F1)', async () => {
    const email = address();
    for (let hour = 0; hour < 4; hour++) {
      for (let i = 0; i < 3; i++) {
        expect(await subscribe({ email }, '198.51.100.20')).toEqual({ ok: true });
        await confirmationSentLongAgo(email);
      }
      // The hour's window over: only the longer budget stands.
      await db().rateLimitBucket.updateMany({ where: { key: { startsWith: 'status-subscribe-email:' } }, data: { windowStart: new Date(Date.now() - 2 * 3_600_000) } });
    }
    expect(await confirmationsTo(email)).toHaveLength(RATE_LIMITS.statusSubscribePerEmailWeek.limit);
    // And the mail no longer promises what a stranger's sign-ups could break: it promises no alerts.
    expect((await confirmationsTo(email))[0]!.textBody).toContain('no alert is sent to you unless this link is followed');
  });

  it('counts tagged forms of one address (“ann+1@…”, “ann+2@…”) as that address: at most 3 confirmations reach its inbox', async () => {
    const [local, domain] = address().split('@');
    for (let i = 0; i < 6; i++) expect(await subscribe({ email: `${local}+tag${i}@${domain}` }, `198.51.100.${10 + i}`)).toEqual({ ok: true });
    const sent = await db().outboxMessage.count({ where: { toAddress: { startsWith: `${local}+tag` } } });
    expect(sent).toBe(3);
  });

  it('counts every spelling of one Gmail inbox (dots anywhere, googlemail.com) as that inbox: at most 3 confirmations reach it', async () => {
    const local = `inbox${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const spellings = [`${local}@gmail.com`, `${local.slice(0, 3)}.${local.slice(3)}@gmail.com`, `${local}@googlemail.com`, `${local.slice(0, 2)}.${local.slice(2, 5)}.${local.slice(5)}@gmail.com`, `${local}+x@googlemail.com`];
    for (const [i, email] of spellings.entries()) expect(await subscribe({ email }, `198.51.100.${40 + i}`)).toEqual({ ok: true });
    const sent = await db().outboxMessage.count({ where: { toAddress: { in: spellings } } });
    expect(sent).toBe(3);
  });

  it('counts every spelling of one domain (a dot written 。 or ｡, an IDN or its punycode) as that domain: one subscription, at most 3 confirmations (review r41b F1)', async () => {
    const local = `idn${uniqueSuffix()}`.toLowerCase();
    const spellings = [`${local}@bücher.example`, `${local}@xn--bcher-kva.example`, `${local}@XN--BCHER-KVA.example`, `${local}@bücher。example`, `${local}@bücher｡example`];
    for (const [i, email] of spellings.entries()) {
      expect(await subscribe({ email }, `198.51.100.${60 + i}`)).toEqual({ ok: true });
      await db().statusSubscriber.updateMany({ where: { emailKey: `${local}@xn--bcher-kva.example` }, data: { confirmationSentAt: new Date(Date.now() - CONFIRMATION_RESENT_AFTER_MS - 1_000) } });
    }
    expect(await db().statusSubscriber.findMany({ where: { email: { startsWith: `${local}@` } }, select: { emailKey: true } })).toEqual([{ emailKey: `${local}@xn--bcher-kva.example` }]);
    expect(await db().outboxMessage.count({ where: { toAddress: { in: spellings } } })).toBe(3);
    // A dot in another script at an ASCII domain too.
    const [name, domain] = address().split('@');
    for (const [i, email] of [`${name}@${domain}`, `${name}@${domain!.replace('.', '。')}`, `${name}+2@${domain!.replace('.', '｡')}`, `${name}+3@${domain}`, `${name}+4@${domain!.replace('.', '。')}`].entries()) {
      expect(await subscribe({ email }, `198.51.100.${70 + i}`)).toEqual({ ok: true });
    }
    expect(await db().outboxMessage.count({ where: { toAddress: { startsWith: `${name}` } } })).toBe(3);
  });

  it('[ATTACKER with a look-alike mailbox] signing up “ｗａｔｃｈｅｒ@…” renews watcher@…’s unsubscribed row for watcher@…: the mail goes there, not to the look-alike (review r51d F1)', async () => {
    const local = `watcher${uniqueSuffix()}`.toLowerCase();
    const owner = `${local}@example.com`;
    await db().statusSubscriber.create({ data: { email: owner, emailKey: owner, confirmedAt: new Date(), unsubscribedAt: new Date() } });
    const lookAlike = `${[...local].map((c) => (/[a-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('')}@example.com`;
    expect(lookAlike).not.toBe(owner);
    expect(await subscribe(subscribeSchema.parse({ email: lookAlike }), IP)).toEqual({ ok: true });
    expect(await db().statusSubscriber.findMany({ where: { emailKey: owner }, select: { email: true, unsubscribedAt: true } })).toEqual([{ email: owner, unsubscribedAt: null }]);
    expect(await db().outboxMessage.findMany({ where: { template: 'status-subscription-confirm', toAddress: { in: [owner, lookAlike] } }, select: { toAddress: true } })).toEqual([{ toAddress: owner }]);
  });

  it('a subscription made before domains were keyed as mail servers read them is still the address’s own: signing up again mails nothing more (review r41e F1)', async () => {
    const local = `legacy${uniqueSuffix()}`.toLowerCase();
    const typed = `${local}@bücher.example`;
    // As subscribe keyed it before: the domain as typed.
    await db().statusSubscriber.create({ data: { email: typed, emailKey: typed, confirmedAt: new Date() } });
    for (const [i, email] of [typed, `${local}@xn--bcher-kva.example`].entries()) expect(await subscribe({ email }, `198.51.100.${80 + i}`)).toEqual({ ok: true });
    expect(await db().statusSubscriber.count({ where: { email: { startsWith: `${local}@` } } })).toBe(1);
    expect(await db().outboxMessage.count({ where: { toAddress: { startsWith: `${local}@` } } })).toBe(0);
  });

  it('[ATTACKER signing up “victim-0@”, “victim-1@”… at a catch-all domain] gets at most the domain’s 50 confirmations an hour mailed there, answered the same; another domain still gets its mail (review r55d F2)', async () => {
    const domain = `catchall-${uniqueSuffix()}.example`.toLowerCase();
    const rule = RATE_LIMITS.statusSubscribePerDomain;
    // From many client addresses, 10 each: the per-client limit (20 an hour) is not what holds them back.
    const net = randomInt(0, 250);
    const client = (i: number) => `198.18.${net}.${i}`;
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    try {
      const answers = [];
      for (let i = 0; i < rule.limit + 5; i++) answers.push(await subscribe({ email: `victim-${i}@${domain}` }, client(Math.floor(i / 10))));
      expect(answers).toEqual(Array(rule.limit + 5).fill({ ok: true }));
      expect(await db().outboxMessage.count({ where: { template: 'status-subscription-confirm', toAddress: { endsWith: `@${domain}` } } })).toBe(rule.limit);
      // Held back, it is answered as when it is mailed, and no sooner: the floor hides that no mail went.
      for (const email of [`victim-late@${domain}`, address()]) {
        const began = performance.now();
        expect(await requestStatusSubscription({ email }, client(99), { answerFloorMs: 400 }), email).toEqual({ ok: true });
        expect(performance.now() - began, email).toBeGreaterThanOrEqual(400 - 5);
      }
      expect(await db().outboxMessage.count({ where: { toAddress: `victim-late@${domain}` } })).toBe(0);
      // Another domain's people are still mailed.
      const other = address();
      expect(await subscribe({ email: other }, client(98))).toEqual({ ok: true });
      expect(await confirmationsTo(other)).toHaveLength(1);
      // Operators hear of it once in the window, by the domain (never an address), however many more are held back.
      const heldBack = warned.mock.calls.map(([line]) => line as Record<string, unknown>).filter((line) => line.event === 'status.confirmations_held_back');
      expect(heldBack).toEqual([{ event: 'status.confirmations_held_back', limit: rule.name, domain }]);
      // The domain is hashed in the limiter's key, as an address is.
      expect(await db().rateLimitBucket.count({ where: { key: { contains: domain } } })).toBe(0);
    } finally {
      warned.mockRestore();
    }
  });

  it('gives a large provider’s domain a larger budget: 60 Gmail inboxes signed up in an hour are each mailed', async () => {
    const run = uniqueSuffix().toLowerCase().replace(/[^a-z0-9]/g, '');
    await db().rateLimitBucket.deleteMany({ where: { key: { startsWith: `${RATE_LIMITS.statusSubscribePerLargeProvider.name}:` } } });
    const emails = Array.from({ length: RATE_LIMITS.statusSubscribePerDomain.limit + 10 }, (_, i) => `person${i}x${run}@gmail.com`);
    for (const [i, email] of emails.entries()) expect(await subscribe({ email }, `198.19.${randomInt(0, 250)}.${Math.floor(i / 10)}`)).toEqual({ ok: true });
    expect(await db().outboxMessage.count({ where: { template: 'status-subscription-confirm', toAddress: { in: emails } } })).toBe(emails.length);
  });

  it('[ATTACKER signing up addresses at many domains from many client addresses] meets the ceiling on all confirmations: none mailed past it, answered the same, operators told once (review r55d F2)', async () => {
    const ceiling = RATE_LIMITS.statusSubscribeAll;
    // The hour as if all but one of its confirmations had gone out already (from any instance: the count is a row).
    await db().rateLimitBucket.upsert({
      where: { key: `${ceiling.name}:all` },
      create: { key: `${ceiling.name}:all`, windowStart: new Date(), count: ceiling.limit - 1 },
      update: { windowStart: new Date(), count: ceiling.limit - 1 },
    });
    const atDomain = () => `someone@domain-${uniqueSuffix()}.example`.toLowerCase();
    const [last, past, later] = [atDomain(), atDomain(), atDomain()];
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    try {
      expect(await subscribe({ email: last }, '198.51.100.201')).toEqual({ ok: true });
      for (const email of [past, later]) {
        const began = performance.now();
        expect(await requestStatusSubscription({ email }, '198.51.100.202', { answerFloorMs: 400 })).toEqual({ ok: true });
        expect(performance.now() - began).toBeGreaterThanOrEqual(400 - 5);
      }
      expect(await db().outboxMessage.findMany({ where: { toAddress: { in: [last, past, later] } }, select: { toAddress: true } })).toEqual([{ toAddress: last }]);
      const heldBack = warned.mock.calls.map(([line]) => line as Record<string, unknown>).filter((line) => line.event === 'status.confirmations_held_back');
      expect(heldBack).toEqual([{ event: 'status.confirmations_held_back', limit: ceiling.name }]);
    } finally {
      warned.mockRestore();
    }
    // A new hour, a new allowance.
    await db().rateLimitBucket.update({ where: { key: `${ceiling.name}:all` }, data: { windowStart: new Date(Date.now() - ceiling.windowMs - 1_000) } });
    expect(await subscribe({ email: later }, '198.51.100.203')).toEqual({ ok: true });
    expect(await confirmationsTo(later)).toHaveLength(1);
  });

  it('refuses a client that signs up too many addresses', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const results = [];
    for (let i = 0; i < 21; i++) results.push(await subscribe({ email: address() }, ip));
    expect(results.slice(0, 20).every((r) => r.ok)).toBe(true);
    expect(results[20]).toEqual({ ok: false, limited: true });
    // Said at once, whatever the floor: it depends on no address typed.
    const began = performance.now();
    expect(await requestStatusSubscription({ email: address() }, ip, { answerFloorMs: 60_000 })).toEqual({ ok: false, limited: true });
    expect(performance.now() - began).toBeLessThan(30_000);
  });

  it('keeps the address out of the rate limiter’s keys', async () => {
    const email = address();
    await subscribe({ email }, IP);
    const keys = (await db().rateLimitBucket.findMany({ select: { key: true } })).map((b) => b.key).join(' ');
    expect(keys.toLowerCase()).not.toContain(email.toLowerCase());
    expect(keys.toLowerCase()).not.toContain('example.com');
  });

  it('refuses a confirm or unsubscribe link with a wrong token, or with the other purpose’s token', async () => {
    const email = address();
    await subscribe({ email }, IP);
    const { id, link } = linkParams((await confirmationsTo(email))[0]!.textBody);
    expect(await confirmStatusSubscription({ ...link, t: unsubscribeToken(id) })).toBe('invalid');
    // Another token for sure: one that ended in "AA" already was its own copy (a run in 4,096).
    expect(await confirmStatusSubscription({ ...link, t: `${link.t.slice(0, -2)}${link.t.endsWith('AA') ? 'BB' : 'AA'}` })).toBe('invalid');
    expect(await unsubscribeStatusSubscriber(id, link.t)).toBe(false);
    expect(await db().statusSubscriber.findUniqueOrThrow({ where: { id } })).toMatchObject({ confirmedAt: null, unsubscribedAt: null });
  });
});

const DAY = 24 * 3_600_000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);

async function latestLink(email: string) {
  const mails = await db().outboxMessage.findMany({ where: { toAddress: email, template: 'status-subscription-confirm' }, orderBy: { createdAt: 'asc' } });
  return linkParams(unseal(mails.at(-1)!.textBody));
}

describe('unconfirmed subscriptions expire after 7 days', () => {
  it('[ANONYMOUS] a confirm link older than 7 days says it expired, confirms nothing, and removes the row', async () => {
    const email = address();
    await subscribe({ email }, IP);
    const { id, link } = await latestLink(email);
    expect(await confirmStatusSubscription(link, daysFromNow(7.001))).toBe('expired');
    expect(await db().statusSubscriber.findUnique({ where: { id } })).toBeNull();
    expect(await fanOut()).toBe(0);
    // The link itself carries its age: with the row gone it still says "expired", never "confirmed".
    expect(await confirmStatusSubscription(link, daysFromNow(30))).toBe('expired');
    expect(await confirmStatusSubscription(link)).toBe('invalid');
  });

  it('[ANONYMOUS] a link of 6 days and 23 hours still confirms', async () => {
    const email = address();
    await subscribe({ email }, IP);
    const { id, link } = await latestLink(email);
    expect(await confirmStatusSubscription(link, daysFromNow(6.95))).toBe('confirmed');
    // Confirmed rows never expire, whatever the round's clock says.
    expect((await runStatusRound(db(), daysFromNow(400))).expiredSubscriptionsRemoved).toBe(0);
    expect(await db().statusSubscriber.findUniqueOrThrow({ where: { id } })).toMatchObject({ confirmedAt: expect.any(Date) });
  });

  it('asking again sends a fresh link; the old one still expires on its own date and does not remove the renewed row', async () => {
    const email = address();
    await subscribe({ email }, IP);
    const { id } = await latestLink(email);
    const eightDaysAgo = daysFromNow(-8);
    await db().statusSubscriber.update({ where: { id }, data: { confirmationSentAt: eightDaysAgo } });
    const e = String(Math.floor(eightDaysAgo.getTime() / 1000));
    const oldLink = { s: id, e, t: confirmToken(id, Number(e)) };

    await subscribe({ email }, IP);
    const fresh = await latestLink(email);
    expect(fresh.id).toBe(id);
    expect(await confirmStatusSubscription(oldLink)).toBe('expired');
    expect(await db().statusSubscriber.findUnique({ where: { id } })).not.toBeNull();
    expect(await confirmStatusSubscription(fresh.link)).toBe('confirmed');
  });

  it('a confirm link from before an unsubscribe does not confirm the next subscription; that one’s own link does', async () => {
    const email = address();
    await subscribe({ email }, IP);
    const { id } = await latestLink(email);
    // The first link went out a minute ago (links sign whole seconds), was used, and the address left.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await db().statusSubscriber.update({ where: { id }, data: { confirmationSentAt: aMinuteAgo } });
    const e = Math.floor(aMinuteAgo.getTime() / 1000);
    const first = { s: id, e: String(e), t: confirmToken(id, e) };
    expect(await confirmStatusSubscription(first)).toBe('confirmed');
    expect(await unsubscribeStatusSubscriber(id, unsubscribeToken(id))).toBe(true);
    // Now someone subscribes the address again: the old link, still within its 7 days, confirms nothing.
    await subscribe({ email }, IP);
    expect(await confirmStatusSubscription(first)).toBe('invalid');
    expect(await db().statusSubscriber.findUniqueOrThrow({ where: { id } })).toMatchObject({ confirmedAt: null });
    expect(await confirmStatusSubscription((await latestLink(email)).link)).toBe('confirmed');
  });

  it('the periodic round removes unconfirmed rows whose link went out 7 days ago, and nothing else', async () => {
    const row = (prefix: string, data: object) => {
      const email = `${prefix}.${uniqueSuffix()}@example.com`;
      return db().statusSubscriber.create({ data: { email, emailKey: email, ...data } });
    };
    const expired = await row('expired', { confirmationSentAt: daysFromNow(-7.01) });
    const waiting = await row('waiting', { confirmationSentAt: daysFromNow(-6.9) });
    const confirmed = await row('confirmed', { confirmationSentAt: daysFromNow(-90), confirmedAt: daysFromNow(-89) });
    const gone = await row('gone', { confirmationSentAt: daysFromNow(-90), confirmedAt: daysFromNow(-89), unsubscribedAt: daysFromNow(-1) });

    expect((await runStatusRound(db())).expiredSubscriptionsRemoved).toBe(1);
    const left = (await db().statusSubscriber.findMany({ select: { id: true } })).map((r) => r.id).sort();
    expect(left).toEqual([waiting.id, confirmed.id, gone.id].sort());
    expect(left).not.toContain(expired.id);
  });

  it('asking again while the round removes the expired row still leaves a link that works', async () => {
    for (let i = 0; i < 3; i++) {
      const email = address();
      await subscribe({ email }, IP);
      const { id } = await latestLink(email);
      await db().statusSubscriber.update({ where: { id }, data: { confirmationSentAt: daysFromNow(-8) } });

      await Promise.all([runStatusRound(db()), subscribe({ email }, `198.51.100.${i}`)]);

      const { link } = await latestLink(email);
      expect(await confirmStatusSubscription(link)).toBe('confirmed');
      expect(await db().statusSubscriber.count({ where: { emailKey: email.toLowerCase() } })).toBe(1);
    }
  });
});

describe('alert fan-out', () => {
  it('queues one message per confirmed, subscribed address, in batches, each with its own one-click unsubscribe', async () => {
    const count = FAN_OUT_BATCH_SIZE * 2 + 3;
    const addresses = await confirmedSubscribers(count);
    await db().statusSubscriber.create({ data: { email: 'waiting@example.com', emailKey: 'waiting@example.com' } });
    await db().statusSubscriber.create({
      data: { email: 'gone@example.com', emailKey: 'gone@example.com', confirmedAt: new Date(), unsubscribedAt: new Date() },
    });

    expect(await fanOut()).toBe(count);
    const rows = await db().outboxMessage.findMany({ where: { template: 'status-incident-opened' }, select: { toAddress: true, textBody: true, headers: true, bulk: true } });
    // One copy per subscriber: sent after mail for one person (review r50b F1).
    expect(rows.every((row) => row.bulk)).toBe(true);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((r) => r.toAddress))).toEqual(new Set(addresses));

    const subscribers = await db().statusSubscriber.findMany({ where: { email: { in: addresses.slice(0, 3) } } });
    for (const subscriber of subscribers) {
      const sealed = rows.find((r) => r.toAddress === subscriber.email)!;
      const link = `/status/unsubscribe?s=${subscriber.id}&t=${unsubscribeToken(subscriber.id)}`;
      // The unsubscribe link never expires: no copy of it is readable in the outbox, body or headers.
      expect(`${sealed.textBody}${sealed.headers}`).not.toContain(unsubscribeToken(subscriber.id));
      const row = { textBody: unseal(sealed.textBody), headers: unseal(sealed.headers!) };
      expect(row.textBody).toContain(link);
      expect(JSON.parse(row.headers)).toMatchObject({ 'List-Unsubscribe': expect.stringContaining(link), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
      // No other subscriber's address or link is in anyone's copy.
      expect(row.textBody).not.toContain(addresses.find((a) => a !== subscriber.email)!);
    }
  });

  it('stops at once for an address that unsubscribed', async () => {
    const [email] = await confirmedSubscribers(1);
    const subscriber = await db().statusSubscriber.findFirstOrThrow({ where: { email } });
    expect(await fanOut()).toBe(1);
    await unsubscribeStatusSubscriber(subscriber.id, unsubscribeToken(subscriber.id));
    expect(await unsubscribeStatusSubscriber(subscriber.id, unsubscribeToken(subscriber.id))).toBe(true);
    expect(await fanOut()).toBe(0);
  });

  it('an alert for the longest title an operator may give reaches every subscriber, its subject shortened', async () => {
    const addresses = await confirmedSubscribers(2);
    const title = titleSchema.parse('Sign-in slow for some users in the eastern region '.repeat(5).slice(0, 200));
    const maintenance = { title, description: null, startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000), blocksSignIn: true, components: [] };
    await db().$transaction((tx) => queueStatusAlert(tx, { ...event, title }));
    await db().$transaction((tx) => queueStatusAlert(tx, { kind: 'maintenance-cancelled', ...maintenance }));
    expect(await runStatusAlertFanOuts(db())).toBe(4);
    const rows = await db().outboxMessage.findMany({ where: { template: { in: ['status-incident-opened', 'status-maintenance-cancelled'] } } });
    expect(rows.map((row) => row.toAddress).sort()).toEqual([...addresses, ...addresses].sort());
    for (const row of rows) expect(row.subject).toMatch(/^\[CareNotes status\] (Incident|Maintenance cancelled): Sign-in slow .*…$/);
  });

  it('a fan-out that cannot be queued holds back neither the alerts after it nor the round\'s other work (review r33a F1)', async () => {
    const addresses = await confirmedSubscribers(3);
    await subscribe({ email: address() }, IP);
    // Two no runner can finish, before a good one: content that does not read, a subject no mail may carry.
    const earlier = (ms: number) => new Date(Date.now() - ms);
    await db().statusAlertFanOut.create({ data: { content: 'not json', createdAt: earlier(2000) } });
    const content = { template: 'status-incident-opened', subject: 'Broken\r\nBcc: x@example.com', paragraphs: ['Nobody can sign in.'] };
    await db().statusAlertFanOut.create({ data: { content: JSON.stringify(content), createdAt: earlier(1000) } });
    await db().$transaction((tx) => queueStatusAlert(tx, event));

    const round = await runStatusRound(db(), new Date(Date.now() + 8 * 86_400_000));
    expect(round).toMatchObject({ alertsQueued: 3, expiredSubscriptionsRemoved: 1 });
    const rows = await db().outboxMessage.findMany({ where: { template: 'status-incident-opened' }, select: { toAddress: true } });
    expect(rows.map((row) => row.toAddress).sort()).toEqual([...addresses].sort());
    // The two wait for their leases to run out, to be tried again.
    expect(await db().statusAlertFanOut.count({ where: { finishedAt: null, leaseExpiresAt: { gt: new Date() } } })).toBe(2);
  });

  it('a round against a database it cannot reach does each piece it can and throws nothing', async () => {
    const unreachable = createDb(`file:${path.join(os.tmpdir(), `no-such-folder-${process.pid}`, 'portal.db')}`, { waitMs: 200 });
    try {
      await expect(unreachable.statusAlertFanOut.count()).rejects.toThrow();
      expect(await runStatusRound(unreachable)).toEqual({ announced: 0, alertsQueued: 0, expiredSubscriptionsRemoved: 0, attemptsSettled: 0, sprayAlertsSent: 0, pruned: null });
    } finally {
      await unreachable.$disconnect();
    }
  });

  it('two instances working at once queue each copy exactly once', async () => {
    const count = FAN_OUT_BATCH_SIZE * 2 + 3;
    const addresses = await confirmedSubscribers(count);
    await db().$transaction((tx) => queueStatusAlert(tx, event));

    const queued = await Promise.all([runStatusAlertFanOuts(db()), runStatusAlertFanOuts(db())]);

    expect(queued[0] + queued[1]).toBe(count);
    const rows = await db().outboxMessage.findMany({ where: { template: 'status-incident-opened' }, select: { toAddress: true } });
    expect(rows.map((r) => r.toAddress).sort()).toEqual([...addresses].sort());
    expect(await db().statusAlertFanOut.findFirstOrThrow()).toMatchObject({ queuedCount: count, leaseToken: null, finishedAt: expect.any(Date) });
  });

  it('an instance that stops mid-way leaves the rest to another once its lease runs out: nothing lost, nothing twice', async () => {
    const addresses = await confirmedSubscribers(FAN_OUT_BATCH_SIZE + 5);
    // Sorts after every generated id, so the first batch goes through and the second fails: the
    // database refuses its copy (a trigger), as one that stops answering mid-way would.
    await db().statusSubscriber.create({ data: { id: 'zzzz-broken', email: 'broken@example.com', emailKey: 'broken@example.com', confirmedAt: new Date() } });
    await db().$transaction((tx) => queueStatusAlert(tx, event));

    // The run goes on past it (it logs the error): the first batch is queued, the lease kept.
    await whileOutboxRefuses('INSERT', `NEW."toAddress" = 'broken@example.com'`, async () => expect(await runStatusAlertFanOuts(db())).toBe(FAN_OUT_BATCH_SIZE));
    const queuedBeforeStop = await db().outboxMessage.count({ where: { template: 'status-incident-opened' } });
    expect(queuedBeforeStop).toBe(FAN_OUT_BATCH_SIZE);
    await db().statusSubscriber.delete({ where: { id: 'zzzz-broken' } });

    // The lease still holds: no one else starts on it yet.
    expect(await runStatusAlertFanOuts(db())).toBe(0);
    const later = () => new Date(Date.now() + FAN_OUT_LEASE_MS + 1000);
    expect(await runStatusAlertFanOuts(db(), later)).toBe(5);

    const rows = await db().outboxMessage.findMany({ where: { template: 'status-incident-opened' }, select: { toAddress: true } });
    expect(rows.map((r) => r.toAddress).sort()).toEqual([...addresses].sort());
    expect(await db().statusAlertFanOut.findFirstOrThrow()).toMatchObject({ queuedCount: FAN_OUT_BATCH_SIZE + 5, finishedAt: expect.any(Date) });
  });

  it('[SUBSCRIBER] an alert whose runner is gone mid-way (its lease still on) holds back the next: each address gets them in the order of the changes (review r51e F1)', async () => {
    const addresses = await confirmedSubscribers(FAN_OUT_BATCH_SIZE + 3);
    await db().$transaction((tx) => queueStatusAlert(tx, event));
    // The instance sending "Incident" is killed after its first batch: the lease stays on for its time.
    const gone = (await claimStatusAlertFanOut(db(), () => new Date()))!;
    expect((await queueNextBatch(db(), gone, () => new Date())).queued).toBe(FAN_OUT_BATCH_SIZE);
    await db().$transaction((tx) => queueStatusAlert(tx, { ...event, kind: 'incident-resolved', status: 'RESOLVED', message: 'Fixed.' }));

    // "Resolved" waits rather than reach everyone first.
    expect(await runStatusAlertFanOuts(db())).toBe(0);
    expect(await db().outboxMessage.count({ where: { template: 'status-incident-resolved' } })).toBe(0);
    const later = () => new Date(Date.now() + FAN_OUT_LEASE_MS + 1000);
    expect(await runStatusAlertFanOuts(db(), later)).toBe(3 + addresses.length);

    const rows = await db().outboxMessage.findMany({ where: { template: { in: ['status-incident-opened', 'status-incident-resolved'] } }, select: { toAddress: true, template: true, createdAt: true } });
    const opened = rows.filter((row) => row.template === 'status-incident-opened');
    const resolved = rows.filter((row) => row.template === 'status-incident-resolved');
    expect([opened.map((row) => row.toAddress).sort(), resolved.map((row) => row.toAddress).sort()]).toEqual([[...addresses].sort(), [...addresses].sort()]);
    const lastOpened = Math.max(...opened.map((row) => row.createdAt.getTime()));
    expect(resolved.every((row) => row.createdAt.getTime() >= lastOpened)).toBe(true);
  });

  it('a fan-out handed over at shutdown gets a fresh token, not none: a claim read before the runner’s own cannot take it from the older cursor (review r51i F3)', async () => {
    await confirmedSubscribers(FAN_OUT_BATCH_SIZE + 2);
    await db().$transaction((tx) => queueStatusAlert(tx, event));
    const readBefore = await db().statusAlertFanOut.findFirstOrThrow({ where: { finishedAt: null }, select: { id: true, leaseToken: true } });
    expect(readBefore.leaseToken).toBeNull();
    const holder = globalThis as { portalStopping?: boolean };
    let batches = 0;
    try {
      // Shutdown begins once the first batch is written: the runner hands the rest over.
      const queued = await runStatusAlertFanOuts(db(), () => {
        if (++batches > 1) holder.portalStopping = true;
        return new Date();
      });
      expect(queued).toBe(FAN_OUT_BATCH_SIZE);
    } finally {
      holder.portalStopping = false;
    }
    const handedOver = await db().statusAlertFanOut.findUniqueOrThrow({ where: { id: readBefore.id } });
    expect(handedOver).toMatchObject({ leaseToken: expect.any(String), leaseExpiresAt: null, finishedAt: null });
    // The stale claim, conditional on the token it read, takes nothing; the next runner's takes the rest.
    expect((await db().statusAlertFanOut.updateMany({ where: { id: readBefore.id, leaseToken: null }, data: { afterSubscriberId: null } })).count).toBe(0);
    expect(await runStatusAlertFanOuts(db())).toBe(2);
  });

  it('a fan-out that failed does not hold back the next once marked, and is tried again, and held back by nothing, when its lease runs out', async () => {
    const addresses = await confirmedSubscribers(2);
    await db().$transaction((tx) => queueStatusAlert(tx, event));
    await whileOutboxRefuses('INSERT', `NEW."template" = 'status-incident-opened'`, async () => expect(await runStatusAlertFanOuts(db())).toBe(0));
    expect(await db().statusAlertFanOut.findFirstOrThrow({ where: { finishedAt: null } })).toMatchObject({ failedAt: expect.any(Date), leaseExpiresAt: expect.any(Date) });
    await db().$transaction((tx) => queueStatusAlert(tx, { ...event, kind: 'incident-resolved', status: 'RESOLVED', message: 'Fixed.' }));
    expect(await runStatusAlertFanOuts(db())).toBe(addresses.length);
    const later = () => new Date(Date.now() + FAN_OUT_LEASE_MS + 1000);
    expect(await runStatusAlertFanOuts(db(), later)).toBe(addresses.length);
    expect(await db().statusAlertFanOut.count({ where: { finishedAt: null } })).toBe(0);
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')('a fan-out the database failed for a moment stays held and unmarked: the later alert waits for it, and both go out in order (review r51i F2)', async () => {
    const addresses = await confirmedSubscribers(2);
    await db().$transaction((tx) => queueStatusAlert(tx, event));
    await whileOutboxRefuses('INSERT', `NEW."template" = 'status-incident-opened'`, async () => expect(await runStatusAlertFanOuts(db())).toBe(0), 'busy');
    expect(await db().statusAlertFanOut.findFirstOrThrow({ where: { finishedAt: null } })).toMatchObject({ failedAt: null, leaseExpiresAt: expect.any(Date) });
    await db().$transaction((tx) => queueStatusAlert(tx, { ...event, kind: 'incident-resolved', status: 'RESOLVED', message: 'Fixed.' }));
    expect(await runStatusAlertFanOuts(db())).toBe(0);
    const later = () => new Date(Date.now() + FAN_OUT_LEASE_MS + 1000);
    expect(await runStatusAlertFanOuts(db(), later)).toBe(2 * addresses.length);
    const queuedAt = async (template: string) => (await db().outboxMessage.findMany({ where: { template }, select: { createdAt: true } })).map((message) => message.createdAt.getTime());
    const [opened, resolved] = [await queuedAt('status-incident-opened'), await queuedAt('status-incident-resolved')];
    expect([opened.length, resolved.length]).toEqual([addresses.length, addresses.length]);
    expect(Math.max(...opened)).toBeLessThanOrEqual(Math.min(...resolved));
  });

  it('a runner that stalls past its lease is taken over, and whatever it tries next is refused: nothing twice', async () => {
    const addresses = await confirmedSubscribers(FAN_OUT_BATCH_SIZE * 2 + 3);
    await db().$transaction((tx) => queueStatusAlert(tx, event));
    const now = () => new Date();
    const later = () => new Date(Date.now() + FAN_OUT_LEASE_MS + 1000);

    const stalled = (await claimStatusAlertFanOut(db(), now))!;
    const first = await queueNextBatch(db(), stalled, now);
    expect(first.queued).toBe(FAN_OUT_BATCH_SIZE);
    const afterFirst = first.next as FanOutLease;
    expect(await claimStatusAlertFanOut(db(), now)).toBeNull();

    const takeover = (await claimStatusAlertFanOut(db(), later))!;
    expect(takeover.afterSubscriberId).toBe(afterFirst.afterSubscriberId);
    expect(await queueNextBatch(db(), afterFirst, now)).toEqual({ queued: 0, next: 'lease-lost' });
    expect(await queueNextBatch(db(), stalled, now)).toEqual({ queued: 0, next: 'lease-lost' });

    let next: BatchNext = takeover;
    while (typeof next !== 'string') next = (await queueNextBatch(db(), next, later)).next;
    expect(next).toBe('finished');
    const rows = await db().outboxMessage.findMany({ where: { template: 'status-incident-opened' }, select: { toAddress: true } });
    expect(rows.map((r) => r.toAddress).sort()).toEqual([...addresses].sort());
  });
});

// PRODUCT.md promises a one-click unsubscribe: it holds for an alert already queued, which the outbox
// retries for hours when the mail server is down (review r38a F4).
describe('an alert waiting in the outbox when its subscriber unsubscribes', () => {
  const relay = withSmtpSink();
  // Only this test's messages are due: a worker round sends nothing else to the sink.
  beforeEach(() => db().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } }));
  const receivedBy = (email: string) => relay.sink.received.filter((mail) => mail.to.some((to) => to.toLowerCase().includes(email.toLowerCase())));
  // Sign-ups from an address of their own: the file's other tests use up IP's.
  const signUp = (email: string) => subscribe({ email }, `10.38.${randomInt(256)}.${randomInt(1, 255)}`);

  it('[ANONYMOUS] who unsubscribes after the alert was queued is not sent it: it is kept withdrawn, saying why, not as dead mail, and never requeued', async () => {
    const [leaving, staying] = await confirmedSubscribers(2, 'in-flight');
    const subscriber = await db().statusSubscriber.findFirstOrThrow({ where: { email: leaving } });
    expect(await fanOut()).toBe(2);
    expect(await unsubscribeStatusSubscriber(subscriber.id, unsubscribeToken(subscriber.id))).toBe(true);

    const deadBefore = await countDeadMessages(db());
    expect(await deliverUntilEmpty(db(), relay.smtp)).toMatchObject({ sent: 1, dead: 0, withdrawn: 1 });
    expect(receivedBy(leaving!)).toEqual([]);
    expect(receivedBy(staying!)).toHaveLength(1);
    const dropped = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: leaving } });
    // Its unsubscribe link is never to be sent: no copy of it is kept, sealed or not.
    expect(dropped).toMatchObject({ status: 'WITHDRAWN', lastError: UNSUBSCRIBED, sentAt: null, headers: null, textBody: '[removed: withdrawn, never sent]' });
    expect(await requeueDeadMessages(db(), { id: dropped.id })).toBe(0);
    // Nothing for an operator to see: it is no dead mail.
    expect(await countDeadMessages(db())).toBe(deadBefore);
  });

  it('one who unsubscribed and signed up again is not sent it while the new subscription waits for its confirmation', async () => {
    const [email] = await confirmedSubscribers(1, 'again');
    const subscriber = await db().statusSubscriber.findFirstOrThrow({ where: { email } });
    expect(await fanOut()).toBe(1);
    await unsubscribeStatusSubscriber(subscriber.id, unsubscribeToken(subscriber.id));
    expect(await signUp(email!)).toEqual({ ok: true });
    await deliverUntilEmpty(db(), relay.smtp);
    expect(receivedBy(email!).map((mail) => mail.subject)).toEqual([expect.stringMatching(/confirm/i)]);
    expect(await db().outboxMessage.findFirstOrThrow({ where: { toAddress: email, template: 'status-incident-opened' } })).toMatchObject({ status: 'WITHDRAWN', lastError: UNSUBSCRIBED });
  });

  it('a round that holds no alert reads no subscriber: other mail costs nothing more', async () => {
    const email = address();
    expect(await signUp(email)).toEqual({ ok: true });
    const { probe, sent } = await statementsOf(() => deliverUntilEmpty(db(), relay.smtp));
    await probe.$disconnect();
    expect(receivedBy(email)).toHaveLength(1);
    expect(sent.filter(({ sql }) => sql.includes('StatusSubscriber'))).toEqual([]);
  });
});
