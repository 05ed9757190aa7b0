// Demo data for the quick start. The passwords here and in the README are the only
// place demo secrets exist; never run this against a real database.
import { createDb } from '@/lib/db/client';
import { authSecret, config } from '@/lib/config';
import { addTotpFactor, createAgency, createUser, createVendorAccount } from './factories';
import { seedStatusComponents } from './seed-status';

export const DEMO_PASSWORD = 'maple river quiet lantern';
export const DEMO_TEMPORARY_PASSWORD = 'HXN47KQ2MZ9PRT3W';

// Fixed authenticator-app secrets for the demo admins and vendor staff, so that `npm run
// demo:codes` can print their current codes. Fine for a demo; a real account's secret is
// random and shown only to its owner.
export const DEMO_TOTP_SECRETS = {
  'ACME-NY:pat.admin': 'GVSXY2LSMVZXI2LJNZTWK4TNMFWGK3TB',
  'ACME-NY:sam.super': 'ONQW2LTTOVYGK4TEMVWW6ZDFNVXWC3DB',
  'SOLO-TX:olga.owner': 'N5WGOYJON53W4ZLSMRSW233ENFZWG33E',
  'vera.verifier@carenotes.example': 'OZSXEYJOOZSXE2LGNFSXEZDFNVXWC3DB',
  'victor.verifier@carenotes.example': 'OZUWG5DPOIXHMZLSNFTGSZLSMRSW233E',
  'otto.operator@carenotes.example': 'N52HI3ZON5YGK4TBORXXEZDFNVXWC3DB',
} as const;

export async function seedDemoData(databaseUrl: string): Promise<'seeded' | 'already-present'> {
  // The factors' secrets are sealed with NEXTAUTH_SECRET: without one, fail before writing anything,
  // not halfway (the next run would find the agency and call the demo data present).
  authSecret();
  const database = createDb(databaseUrl);
  try {
    if (await database.agency.findUnique({ where: { codeKey: 'acme-ny' } })) return 'already-present';

    const acme = await createAgency(database, {
      code: 'ACME-NY',
      name: 'Acme Home Care New York',
      phoneOnRecord: '+1 212 555 0142',
      timeZone: 'America/New_York',
    });
    await createUser(database, acme.id, DEMO_PASSWORD, {
      loginName: 'jsmith',
      displayName: 'Jordan Smith',
      email: 'jordan.smith@acme-homecare.example',
    });
    const pat = await createUser(database, acme.id, DEMO_PASSWORD, {
      loginName: 'pat.admin',
      displayName: 'Pat Lee',
      email: 'pat.lee@acme-homecare.example',
      phone: '+1 212 555 0150',
      role: 'PROVIDER_ADMIN',
    });
    const sam = await createUser(database, acme.id, DEMO_PASSWORD, {
      loginName: 'sam.super',
      displayName: 'Sam Rivera',
      email: 'sam.rivera@acme-homecare.example',
      phone: '+1 212 555 0151',
      role: 'SUPER_ADMIN',
    });
    await createUser(database, acme.id, DEMO_PASSWORD, {
      loginName: 'lockedlee',
      displayName: 'Lee Locked',
      email: 'lee@acme-homecare.example',
      failedSignInCount: 20,
      hardLockedAt: new Date(),
    });
    await createUser(
      database,
      acme.id,
      DEMO_TEMPORARY_PASSWORD,
      { loginName: 'temp.tran', displayName: 'Tam Tran', email: 'tam.tran@acme-homecare.example' },
      { expiresAt: new Date(Date.now() + 72 * 3600_000) },
    );

    const solo = await createAgency(database, {
      code: 'SOLO-TX',
      name: 'Solo Care Texas',
      phoneOnRecord: '+1 512 555 0177',
      timeZone: 'America/Chicago',
    });
    const olga = await createUser(database, solo.id, DEMO_PASSWORD, {
      loginName: 'olga.owner',
      displayName: 'Olga Owens',
      email: 'olga@solocare.example',
      phone: '+1 512 555 0178',
      role: 'SUPER_ADMIN',
    });
    await createUser(database, solo.id, DEMO_PASSWORD, { loginName: 'ben.staff', displayName: 'Ben Ortiz' });

    const vera = await createVendorAccount(database, 'VERIFIER', DEMO_PASSWORD, {
      email: 'vera.verifier@carenotes.example',
      displayName: 'Vera Verifier',
    });
    const victor = await createVendorAccount(database, 'VERIFIER', DEMO_PASSWORD, {
      email: 'victor.verifier@carenotes.example',
      displayName: 'Victor Verifier',
    });
    const otto = await createVendorAccount(database, 'OPERATOR', DEMO_PASSWORD, {
      email: 'otto.operator@carenotes.example',
      displayName: 'Otto Operator',
    });
    for (const [owner, key] of [
      [{ userId: pat.id }, 'ACME-NY:pat.admin'],
      [{ userId: sam.id }, 'ACME-NY:sam.super'],
      [{ userId: olga.id }, 'SOLO-TX:olga.owner'],
      [{ vendorAccountId: vera.id }, 'vera.verifier@carenotes.example'],
      [{ vendorAccountId: victor.id }, 'victor.verifier@carenotes.example'],
      [{ vendorAccountId: otto.id }, 'otto.operator@carenotes.example'],
    ] as const) {
      await addTotpFactor(database, owner, DEMO_TOTP_SECRETS[key], 'Demo authenticator');
    }
    await seedStatusComponents(database);
    return 'seeded';
  } finally {
    await database.$disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seedDemoData(config().DATABASE_URL).then(
    (outcome) => console.log(outcome === 'seeded' ? 'seed: demo data created' : 'seed: demo data already present'),
    (error: unknown) => {
      console.error('seed failed:', error);
      process.exit(1);
    },
  );
}
