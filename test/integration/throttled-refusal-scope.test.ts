// A sign-in refused for its address's limit checks nothing; its audit record is sampled per minute and per scope
// (lib/audit/record-throttled.ts). The scope comes from what was typed: a real provider code or vendor e-mail writes
// a record exactly when a made-up one in its scope does (review r55e F1: a scope from the lookup let a real one's
// refusal pay for a record a made-up one's skipped, and answer later), and made-up codes share a bounded set of
// scopes, so the records a minute stay bounded (review r55h M1).
import { expect, it } from 'vitest';
import { refusalScopeOf, signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { normalizeKey } from '@/lib/validation/identifiers';
import { createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';

const WRONG = 'amber harbour quiet violins';
let n = 0;

/** A client address already over its limit of failed sign-ins. */
async function addressOverItsLimit(): Promise<string> {
  const address = `10.57.${Math.floor(++n / 250)}.${n % 250}`;
  await db().rateLimitBucket.create({ data: { key: `${RATE_LIMITS.signInFailuresPerAddress.name}:${address}`, windowStart: new Date(), count: 1000 } });
  return address;
}

/** `count` made-up provider codes sampled in the same scope as `code`. */
function madeUpCodesBeside(code: string, count: number): string[] {
  const scope = refusalScopeOf(normalizeKey(code));
  const codes: string[] = [];
  for (let i = 0; codes.length < count; i++) {
    const candidate = `MADE-${uniqueSuffix()}-${i}`;
    if (refusalScopeOf(normalizeKey(candidate)) === scope) codes.push(candidate);
  }
  return codes;
}

const throttledRecords = () => db().auditEvent.count({ where: { action: 'SIGN_IN_THROTTLED' } });

it('a real provider code or vendor e-mail, refused past the address’s limit, writes a record exactly when a made-up one of its scope does', async () => {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, 'amber harbour quiet violin');
  const vendor = await createVendorAccount(db(), 'VERIFIER', 'amber harbour quiet violin');
  // Made-up codes fill the real code's scope for the minute, and made-up e-mails the vendors' one.
  const fill = madeUpCodesBeside(agency.code, 100);
  // Ten addresses for each: an address's own refusals are sampled first, ten a minute.
  for (let i = 0; i < 10; i++) {
    const [codesFrom, emailsFrom] = [await addressOverItsLimit(), await addressOverItsLimit()];
    for (let j = 0; j < 10; j++) {
      expect(await signInAgencyUser({ providerCode: fill[i * 10 + j]!, loginName: 'someone', password: WRONG }, codesFrom)).toMatchObject({ ok: false, reason: 'THROTTLED' });
      await signInVendorAccount({ email: `made.up.${i}.${j}@carenotes.example`, password: WRONG }, emailsFrom);
    }
  }
  const [madeUp] = madeUpCodesBeside(agency.code, 1);
  const tries = {
    realCode: (from: string) => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: WRONG }, from),
    madeUpCode: (from: string) => signInAgencyUser({ providerCode: madeUp!, loginName: user.loginName, password: WRONG }, from),
    realVendor: (from: string) => signInVendorAccount({ email: vendor.email, password: WRONG }, from),
    madeUpVendor: (from: string) => signInVendorAccount({ email: `x${vendor.email}`, password: WRONG }, from),
  };
  const written: Record<string, number> = { realCode: 0, madeUpCode: 0, realVendor: 0, madeUpVendor: 0 };
  for (let a = 0; a < 6; a++) {
    const from = await addressOverItsLimit();
    for (const [kind, attempt] of Object.entries(tries)) {
      const before = await throttledRecords();
      expect(await attempt(from)).toMatchObject({ ok: false, reason: 'THROTTLED' });
      written[kind]! += (await throttledRecords()) - before;
    }
  }
  expect(written).toEqual({ realCode: 0, madeUpCode: 0, realVendor: 0, madeUpVendor: 0 });
});

it('made-up provider codes, each a new one, from many addresses: no more records a minute than their scope’s bound (review r55h M1)', async () => {
  const codes = madeUpCodesBeside(`SPRAY-${uniqueSuffix()}`, 150);
  const before = await throttledRecords();
  for (let i = 0; i < 15; i++) {
    const from = await addressOverItsLimit();
    for (let j = 0; j < 10; j++) await signInAgencyUser({ providerCode: codes[i * 10 + j]!, loginName: 'someone', password: WRONG }, from);
  }
  expect((await throttledRecords()) - before).toBe(100);
});
