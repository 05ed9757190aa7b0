// How recovery codes are stored (review r55g F2). Their unkeyed SHA-256 let a database copy alone (a backup, a
// pg_dump) test each guess against every account's codes at once. Now each is a digest salted per code and bound
// to its owner, sealed under NEXTAUTH_SECRET: a copy alone tests nothing, one guess tests one code of one account.
// Codes issued before keep working once, as the plain digest they were stored as.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { proveSecondFactor } from '@/lib/mfa/consume-second-factor';
import type { MfaOwner } from '@/lib/mfa/policy';
import { replaceRecoveryCodes } from '@/lib/mfa/recovery-codes';
import { createAgency, createUser, createVendorAccount } from '@/prisma/factories';
import { loadModulesWith, STRANGER_SECRET } from '../support/secrets';

// While `on`, node:crypto's randomInt counts up from `next` in the app's modules: two accounts given codes in turn,
// `next` set back to 0 between them, get the same ten codes (each of the ten still differs from the others).
const forced = vi.hoisted(() => ({ on: false, next: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const randomInt = (...args: Parameters<typeof real.randomInt>) => (forced.on ? forced.next++ % (args[0] as number) : real.randomInt(...args));
  return { ...real, randomInt };
});

const PASSWORD = 'quiet meadow copper bicycle';

/** What a code was stored as before review r55g F2: its SHA-256 with a fixed prefix, no key, no salt. */
const unkeyedDigest = (code: string) => createHash('sha256').update(`recovery-code:${code.replace('-', '')}`).digest('hex');

async function adminOwner(): Promise<MfaOwner> {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
  return { kind: 'user', id: user.id };
}

const whereOwner = (owner: MfaOwner) => (owner.kind === 'user' ? { userId: owner.id } : { vendorAccountId: owner.id });
const storedOf = async (owner: MfaOwner) => (await db().recoveryCode.findMany({ where: whereOwner(owner), select: { codeHash: true } })).map((row) => row.codeHash);
const unusedOf = (owner: MfaOwner) => db().recoveryCode.count({ where: { ...whereOwner(owner), usedAt: null } });
const newCodes = (owner: MfaOwner) => db().$transaction((tx) => replaceRecoveryCodes(tx, owner));

const loaded: Array<{ db(): { $disconnect(): Promise<void> } }> = [];
afterAll(async () => {
  for (const client of loaded) await client.db().$disconnect();
});

describe('recovery codes at rest (review r55g F2)', () => {
  it('[PROVIDER_ADMIN] a code is stored neither in clear nor as its unkeyed digest, and without the secret its stored value tells no guess right', async () => {
    const owner = await adminOwner();
    const codes = await newCodes(owner);
    const stored = await storedOf(owner);
    expect(stored).toHaveLength(10);
    for (const code of codes) {
      expect(stored).not.toContain(unkeyedDigest(code));
      expect(stored.some((value) => value.includes(code.replace('-', '')) || value.includes(code))).toBe(false);
    }
    // Whoever holds a copy and some other secret: the portal's own check, run with it, can tell no code right.
    await loadModulesWith(STRANGER_SECRET);
    const withAnotherSecret = await import('@/lib/mfa/consume-second-factor');
    loaded.push(await import('@/lib/db/client'));
    vi.unstubAllEnvs();
    await expect(withAnotherSecret.proveSecondFactor(owner, { code: codes[0]! }, 'no session')).rejects.toThrow(/neither NEXTAUTH_SECRET/);
    expect(await unusedOf(owner)).toBe(10);
    // With the portal's secret it is right, once.
    expect(await proveSecondFactor(owner, { code: codes[0]! }, 'no session')).toMatchObject({ ok: true, kind: 'RECOVERY_CODE' });
    expect(await proveSecondFactor(owner, { code: codes[0]! }, 'no session')).toEqual({ ok: false });
  });

  it('[PROVIDER_ADMIN] [VENDOR] two accounts given the same codes store different values; one account’s stored code moved to the other opens nothing there', async () => {
    const admin = await adminOwner();
    const vendor: MfaOwner = { kind: 'vendor', id: (await createVendorAccount(db(), 'OPERATOR', PASSWORD)).id };
    forced.on = true;
    let adminCodes: string[], vendorCodes: string[];
    try {
      forced.next = 0;
      adminCodes = await newCodes(admin);
      forced.next = 0;
      vendorCodes = await newCodes(vendor);
    } finally {
      forced.on = false;
    }
    expect(vendorCodes).toEqual(adminCodes);
    expect(new Set(adminCodes).size).toBe(10);
    const stored = [...(await storedOf(admin)), ...(await storedOf(vendor))];
    expect(new Set(stored).size).toBe(20);

    // Each account's code is its own: used by one, the other's stays.
    expect(await proveSecondFactor(admin, { code: adminCodes[0]! }, 'no session')).toMatchObject({ ok: true });
    expect(await unusedOf(vendor)).toBe(10);
    expect(await proveSecondFactor(vendor, { code: vendorCodes[0]! }, 'no session')).toMatchObject({ ok: true });

    // The admin's stored codes moved onto the vendor (a row rewritten in the database): bound to the admin, they open nothing there.
    await db().recoveryCode.deleteMany({ where: { vendorAccountId: vendor.id } });
    expect(await db().recoveryCode.updateMany({ where: { userId: admin.id, usedAt: null }, data: { userId: null, vendorAccountId: vendor.id } })).toEqual({ count: 9 });
    expect(await proveSecondFactor(vendor, { code: vendorCodes[2]! }, 'no session')).toEqual({ ok: false });
    expect(await unusedOf(vendor)).toBe(9);
  });
});

describe('codes issued before review r55g F2 (stored as their unkeyed digest)', () => {
  it('[PROVIDER_ADMIN] still pass once each, typed in any case, with spaces or hyphens, until new codes replace them', async () => {
    const owner = await adminOwner();
    const legacy = ['KMN23-PQR45', 'ZYXWV-98765', 'GHA23-BC456'];
    await db().recoveryCode.createMany({ data: legacy.map((code) => ({ userId: owner.id, codeHash: unkeyedDigest(code) })) });
    expect(await proveSecondFactor(owner, { code: 'kmn23 pqr45' }, 'no session')).toMatchObject({ ok: true, kind: 'RECOVERY_CODE' });
    expect(await proveSecondFactor(owner, { code: 'KMN23-PQR45' }, 'no session')).toEqual({ ok: false });
    expect(await proveSecondFactor(owner, { code: 'ZYXW-V98765' }, 'no session')).toMatchObject({ ok: true });
    await newCodes(owner);
    expect(await proveSecondFactor(owner, { code: 'GHA23-BC456' }, 'no session')).toEqual({ ok: false });
    expect((await storedOf(owner)).every((value) => value.startsWith('rc:v1:'))).toBe(true);
  });
});

describe('a code sent several times at once is used once', () => {
  it('[PROVIDER_ADMIN] a code stored sealed, and one stored as its unkeyed digest: of five presses each, one passes', async () => {
    const owner = await adminOwner();
    const [code] = await newCodes(owner);
    await db().recoveryCode.create({ data: { userId: owner.id, codeHash: unkeyedDigest('QRSTU-VWXYZ') } });
    for (const typed of [code!, 'QRSTU-VWXYZ']) {
      const answers = await Promise.all(Array.from({ length: 5 }, () => proveSecondFactor(owner, { code: typed }, 'no session')));
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    }
    expect(await db().recoveryCode.count({ where: { userId: owner.id, usedAt: { not: null } } })).toBe(2);
  });
});
