// A sign-in refused for its address's limit checks nothing; its audit record is sampled per minute and per scope
// (lib/audit/record-throttled.ts). The scope comes from what was typed: a real provider code or vendor e-mail writes
// a record exactly when a made-up one does, also once made-up ones have filled a scope (review r55e F1: a scope
// from the lookup let a real one's refusal pay for a record a made-up one's skipped, and answer later).
import { expect, it } from 'vitest';
import { signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';

const WRONG = 'amber harbour quiet violins';
let n = 0;

/** A client address already over its limit of failed sign-ins. */
async function addressOverItsLimit(): Promise<string> {
  const address = `10.57.${Math.floor(++n / 250)}.${n % 250}`;
  await db().rateLimitBucket.create({ data: { key: `${RATE_LIMITS.signInFailuresPerAddress.name}:${address}`, windowStart: new Date(), count: 1000 } });
  return address;
}

it('real and made-up provider codes and vendor e-mails: refused past the address’s limit, each writes a record or none alike, after made-up ones filled theirs', async () => {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, 'amber harbour quiet violin');
  const vendor = await createVendorAccount(db(), 'VERIFIER', 'amber harbour quiet violin');
  const fill = `FILL-${uniqueSuffix()}`;
  for (let i = 0; i < 10; i++) {
    const from = await addressOverItsLimit();
    for (let j = 0; j < 10; j++) {
      expect(await signInAgencyUser({ providerCode: fill, loginName: 'someone', password: WRONG }, from)).toMatchObject({ ok: false, reason: 'THROTTLED' });
      await signInVendorAccount({ email: `made.up.${i}.${j}@carenotes.example`, password: WRONG }, from);
    }
  }
  const tries = {
    realCode: (from: string) => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: WRONG }, from),
    madeUpCode: (from: string) => signInAgencyUser({ providerCode: `NOPE-${uniqueSuffix()}`, loginName: user.loginName, password: WRONG }, from),
    realVendor: (from: string) => signInVendorAccount({ email: vendor.email, password: WRONG }, from),
    madeUpVendor: (from: string) => signInVendorAccount({ email: `x${vendor.email}`, password: WRONG }, from),
  };
  const written: Record<string, number> = { realCode: 0, madeUpCode: 0, realVendor: 0, madeUpVendor: 0 };
  const records = () => db().auditEvent.count({ where: { action: 'SIGN_IN_THROTTLED' } });
  for (let a = 0; a < 6; a++) {
    const from = await addressOverItsLimit();
    for (const [kind, attempt] of Object.entries(tries)) {
      const before = await records();
      expect(await attempt(from)).toMatchObject({ ok: false, reason: 'THROTTLED' });
      written[kind]! += (await records()) - before;
    }
  }
  expect(written.realCode).toBe(written.madeUpCode);
  expect(written.realVendor).toBe(written.madeUpVendor);
  expect(written.realCode).toBe(6);
});
