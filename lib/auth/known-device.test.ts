import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadModulesWith, NEW_SECRET, OLD_SECRET, STRANGER_SECRET } from '@/test/support/secrets';

const ANNA = { kind: 'user', id: 'cm0anna00000000000000001', version: 0 } as const;
const BEN = { kind: 'user', id: 'cm0ben000000000000000002', version: 3 } as const;
const DAY = 86_400_000;

async function startedWith(current: string, previous?: string) {
  await loadModulesWith(current, previous);
  return import('./known-device');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('known devices', () => {
  it('knows the accounts signed in here, and no other, not the same id of another kind', async () => {
    const { knowsAccount, rememberAccount } = await startedWith(NEW_SECRET);
    const cookie = rememberAccount(undefined, ANNA);
    expect(knowsAccount(cookie, ANNA)).toBe(true);
    expect(knowsAccount(cookie, BEN)).toBe(false);
    expect(knowsAccount(cookie, { ...ANNA, kind: 'vendor' })).toBe(false);
    expect(knowsAccount(undefined, ANNA)).toBe(false);
  });

  it('[ATTACKER] knows nothing from a cookie it did not sign: another account named, a changed date, another secret, junk', async () => {
    const { knowsAccount, rememberAccount } = await startedWith(NEW_SECRET);
    const cookie = rememberAccount(undefined, ANNA);
    const [kind, id, version, issued, mac] = cookie.split('.') as [string, string, string, string, string];
    expect(knowsAccount([kind, BEN.id, version, issued, mac].join('.'), { ...BEN, version: 0 })).toBe(false);
    expect(knowsAccount([kind, id, '1', issued, mac].join('.'), { ...ANNA, version: 1 })).toBe(false);
    expect(knowsAccount([kind, id, version, String(Number(issued) + 1), mac].join('.'), ANNA)).toBe(false);
    expect(knowsAccount([kind, id, version, issued, `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`].join('.'), ANNA)).toBe(false);
    expect(knowsAccount(`vendor.${id}.${version}.${issued}.${mac}`, { ...ANNA, kind: 'vendor' })).toBe(false);
    for (const junk of ['', '~', 'user..0.1.x', `${cookie}x`, `user.${id}.${version}.${issued}`, 'a'.repeat(5000)]) {
      expect(knowsAccount(junk, ANNA)).toBe(false);
    }
    // Junk beside a good token spoils nothing, eight pieces of junk in front included.
    expect(knowsAccount(`junk~${cookie}`, ANNA)).toBe(true);
    expect(knowsAccount(`${Array.from({ length: 8 }, (_, i) => `junk${i}`).join('~')}~${cookie}`, ANNA)).toBe(true);
    const stranger = await startedWith(STRANGER_SECRET);
    expect(stranger.knowsAccount(cookie, ANNA)).toBe(false);
  });

  it('names the account a browser signed in as last, before any account is named; none from a cookie it did not sign (review r42b F1)', async () => {
    const { lastKnownAccount, rememberAccount } = await startedWith(NEW_SECRET);
    expect(lastKnownAccount(rememberAccount(rememberAccount(undefined, ANNA), BEN))).toEqual(BEN);
    expect(lastKnownAccount(`junk~${rememberAccount(undefined, ANNA)}`)).toEqual(ANNA);
    expect(lastKnownAccount(undefined)).toBeNull();
    const stranger = await startedWith(STRANGER_SECRET);
    expect(stranger.lastKnownAccount(rememberAccount(undefined, ANNA))).toBeNull();
  });

  it('forgets an account after 90 days, and takes no sign-in from the future', async () => {
    const { knowsAccount, rememberAccount, KNOWN_DEVICE_DAYS } = await startedWith(NEW_SECRET);
    const signedIn = new Date('2026-03-01T09:00:00Z');
    const cookie = rememberAccount(undefined, ANNA, signedIn);
    expect(knowsAccount(cookie, ANNA, new Date(signedIn.getTime() + (KNOWN_DEVICE_DAYS - 1) * DAY))).toBe(true);
    expect(knowsAccount(cookie, ANNA, new Date(signedIn.getTime() + (KNOWN_DEVICE_DAYS + 1) * DAY))).toBe(false);
    expect(knowsAccount(cookie, ANNA, new Date(signedIn.getTime() - 10 * 60_000))).toBe(false);
  });

  it('forgets an account once its sessions were revoked (a password changed or reset, the account disabled); a new sign-in replaces it', async () => {
    const { knowsAccount, rememberAccount } = await startedWith(NEW_SECRET);
    const cookie = rememberAccount(undefined, ANNA);
    const revoked = { ...ANNA, version: ANNA.version + 1 };
    expect(knowsAccount(cookie, revoked)).toBe(false);
    const again = rememberAccount(cookie, revoked);
    expect(again.split('~')).toHaveLength(1);
    expect(knowsAccount(again, revoked)).toBe(true);
    expect(knowsAccount(again, ANNA)).toBe(false);
  });

  it('keeps the last eight accounts of a shared computer, the latest first, each once', async () => {
    const { knowsAccount, rememberAccount, KNOWN_ACCOUNTS_PER_DEVICE } = await startedWith(NEW_SECRET);
    const staff = Array.from({ length: 10 }, (_, i) => ({ kind: 'user', id: `cm0staff${String(i).padStart(16, '0')}`, version: i }) as const);
    let cookie: string | undefined;
    for (const person of staff) cookie = rememberAccount(cookie, person);
    cookie = rememberAccount(cookie, staff[4]!);
    expect(cookie!.split('~')).toHaveLength(KNOWN_ACCOUNTS_PER_DEVICE);
    expect(cookie!.startsWith(`user.${staff[4]!.id}.`)).toBe(true);
    // The two signed in longest ago are forgotten; signing in again moved the fifth to the front.
    expect(staff.map((person) => knowsAccount(cookie, person))).toEqual([false, false, true, true, true, true, true, true, true, true]);
  });

  it('still knows the accounts signed in before a rotation of the secret, and signs with the new one', async () => {
    const before = await startedWith(OLD_SECRET);
    const cookie = before.rememberAccount(undefined, ANNA);
    const after = await startedWith(NEW_SECRET, OLD_SECRET);
    expect(after.knowsAccount(cookie, ANNA)).toBe(true);
    const remade = after.rememberAccount(cookie, BEN);
    const dropped = await startedWith(NEW_SECRET);
    expect(dropped.knowsAccount(remade, BEN)).toBe(true);
    expect(dropped.knowsAccount(remade, ANNA)).toBe(false);
  });
});
