import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadModulesWith, NEW_SECRET, OLD_SECRET, STRANGER_SECRET } from '@/test/support/secrets';

const OLD = OLD_SECRET;
const NEW = NEW_SECRET;
const STRANGER = STRANGER_SECRET;

/** The keyring and the sealing helpers as a process started with these secrets sees them. */
async function startedWith(current: string, previous?: string) {
  await loadModulesWith(current, previous);
  return {
    keyring: await import('@/lib/crypto/keyring'),
    mail: await import('@/lib/mail/seal'),
    mfa: await import('@/lib/mfa/secret-box'),
  };
}

/** The configuration as a process started with these secrets reads it (throws when it is invalid). */
async function configWith(current: string, previous?: string) {
  vi.resetModules();
  vi.stubEnv('NEXTAUTH_SECRET', current);
  vi.stubEnv('NEXTAUTH_SECRET_PREVIOUS', previous);
  return (await import('@/lib/config')).config();
}

const PURPOSE = { salt: 'probe-salt', info: 'probe info' };
const derived = (secret: string, purpose = PURPOSE) => Buffer.from(hkdfSync('sha256', secret, purpose.salt, purpose.info, 32));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('keyring', () => {
  it('verifies with the current key, then the previous one, and signs with the current key only', async () => {
    const { keyring } = await startedWith(NEW, OLD);
    expect(keyring.signingSecret()).toBe(NEW);
    expect(keyring.verifyingSecrets()).toEqual([NEW, OLD]);
    expect(keyring.signingKey(PURPOSE).equals(derived(NEW))).toBe(true);
    expect(keyring.verifyingKeys(PURPOSE).map((key) => key.toString('hex'))).toEqual([derived(NEW).toString('hex'), derived(OLD).toString('hex')]);
  });

  it('without a previous secret, the one key both signs and verifies', async () => {
    const { keyring } = await startedWith(NEW);
    expect(keyring.verifyingSecrets()).toEqual([NEW]);
    expect(keyring.verifyingKeys(PURPOSE)).toHaveLength(1);
    expect(keyring.signingKey(PURPOSE).equals(derived(NEW))).toBe(true);
  });

  it('derives a different key per purpose, so one purpose’s key never opens another’s values', async () => {
    const { keyring } = await startedWith(NEW);
    expect(keyring.signingKey(PURPOSE).equals(keyring.signingKey({ ...PURPOSE, info: 'other' }))).toBe(false);
    expect(keyring.signingKey(PURPOSE).equals(keyring.signingKey({ ...PURPOSE, salt: 'other' }))).toBe(false);
  });

  it('refuses a previous secret equal to the current one, or too short, naming the key', async () => {
    await expect(configWith(NEW, NEW)).rejects.toThrow(/NEXTAUTH_SECRET_PREVIOUS: must differ/);
    await expect(configWith(NEW, 'short')).rejects.toThrow(/NEXTAUTH_SECRET_PREVIOUS: must be at least 32/);
    expect((await configWith(NEW, OLD)).NEXTAUTH_SECRET_PREVIOUS).toBe(OLD);
  });
});

describe('signing across a rotation', () => {
  // The signed text is fixed: links and cookies handed out before this helper must still verify.
  const hmacBy = (secret: string, text: string) => createHmac('sha256', derived(secret)).update(text).digest('base64url');
  const PARTS = ['confirm', 'sub-1', '1700000000'];
  const TEXT = 'confirm\u0000sub-1\u00001700000000';

  it('signs the NUL-joined parts under the current key, and verifies under the current or the previous one', async () => {
    const { keyring } = await startedWith(NEW, OLD);
    expect(keyring.hmacSign(PURPOSE, PARTS)).toBe(hmacBy(NEW, TEXT));
    expect(keyring.hmacVerify(PURPOSE, PARTS, hmacBy(NEW, TEXT))).toBe(true);
    expect(keyring.hmacVerify(PURPOSE, PARTS, hmacBy(OLD, TEXT))).toBe(true);
  });

  it('refuses a third secret’s signature, other parts, another purpose, a cut or padded signature', async () => {
    const { keyring } = await startedWith(NEW, OLD);
    const good = hmacBy(NEW, TEXT);
    expect(keyring.hmacVerify(PURPOSE, PARTS, hmacBy(STRANGER, TEXT))).toBe(false);
    // The separator keeps parts apart: ["confirm", "sub-11700000000"] is not ["confirm", "sub-1", "1700000000"].
    expect(keyring.hmacVerify(PURPOSE, ['confirm', 'sub-11700000000'], good)).toBe(false);
    expect(keyring.hmacVerify({ ...PURPOSE, info: 'other' }, PARTS, good)).toBe(false);
    for (const forged of [good.slice(0, -1), `${good}A`, '', good.toUpperCase()]) {
      expect(keyring.hmacVerify(PURPOSE, PARTS, forged), forged).toBe(false);
    }
  });

  it('after the previous secret is dropped, what it signed verifies no more', async () => {
    const { keyring } = await startedWith(NEW);
    expect(keyring.hmacVerify(PURPOSE, PARTS, hmacBy(OLD, TEXT))).toBe(false);
  });
});

describe('sealing across a rotation', () => {
  it('a value sealed under the old secret opens after the rotation, and is sealed again under the new one', async () => {
    const before = await startedWith(OLD);
    const sealed = before.mail.seal('reset link https://x.test/reset/abc');
    const seed = before.mfa.sealFactorSecret('JBSWY3DPEHPK3PXP');

    const rotated = await startedWith(NEW, OLD);
    expect(rotated.mail.unseal(sealed)).toBe('reset link https://x.test/reset/abc');
    expect(rotated.mfa.unsealFactorSecret(seed)).toBe('JBSWY3DPEHPK3PXP');
    const resealed = rotated.mail.resealBody(sealed)!;
    const reseededSeed = rotated.mfa.resealFactorSecret(seed)!;
    expect(resealed).toMatch(/^sealed:v1:/);
    expect(reseededSeed).toMatch(/^mfa:v1:/);
    // Already under the current key: nothing to do (the command is idempotent).
    expect(rotated.mail.resealBody(resealed)).toBeNull();
    expect(rotated.mfa.resealFactorSecret(reseededSeed)).toBeNull();
    expect(rotated.mail.resealBody('plain body of a message without a secret')).toBeNull();

    const dropped = await startedWith(NEW);
    expect(dropped.mail.unseal(resealed)).toBe('reset link https://x.test/reset/abc');
    expect(dropped.mfa.unsealFactorSecret(reseededSeed)).toBe('JBSWY3DPEHPK3PXP');
    // What was not sealed again is gone with the previous secret.
    expect(() => dropped.mail.unseal(sealed)).toThrow(/neither NEXTAUTH_SECRET nor NEXTAUTH_SECRET_PREVIOUS/);
    expect(() => dropped.mfa.unsealFactorSecret(seed)).toThrow(/neither/);
  });

  it('the previous secret never seals: what a rotated process seals opens without it', async () => {
    const rotated = await startedWith(NEW, OLD);
    const values = Array.from({ length: 20 }, (_, i) => [rotated.mail.seal(`m${i}`), rotated.mfa.sealFactorSecret(`s${i}`)] as const);
    const onlyNew = await startedWith(NEW);
    for (const [i, [mail, seed]] of values.entries()) {
      expect(onlyNew.mail.unseal(mail)).toBe(`m${i}`);
      expect(onlyNew.mfa.unsealFactorSecret(seed)).toBe(`s${i}`);
    }
    const onlyOld = await startedWith(OLD);
    for (const [mail, seed] of values) {
      expect(() => onlyOld.mail.unseal(mail)).toThrow();
      expect(() => onlyOld.mfa.unsealFactorSecret(seed)).toThrow();
    }
  });

  it('a value sealed under a third, unknown secret opens with neither key', async () => {
    const stranger = (await startedWith(STRANGER)).mail.seal('forged');
    const rotated = await startedWith(NEW, OLD);
    expect(() => rotated.mail.unseal(stranger)).toThrow(/neither/);
    expect(() => rotated.mail.resealBody(stranger)).toThrow(/neither/);
  });

  it('a changed byte (iv, tag or body), a truncated value or another box’s prefix opens with no key', async () => {
    const sealed = (await startedWith(OLD)).mail.seal('reset link https://x.test/reset/abc');
    const rotated = await startedWith(NEW, OLD);
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    for (const at of [0, 11, 12, 27, 28, raw.length - 1]) {
      const changed = Buffer.from(raw);
      changed[at]! ^= 0x01;
      expect(() => rotated.mail.unseal('sealed:v1:' + changed.toString('base64')), `byte ${at}`).toThrow();
    }
    expect(() => rotated.mail.unseal('sealed:v1:' + raw.subarray(0, 20).toString('base64'))).toThrow(/truncated/);
    // The outbox key is not the factor-secret key, even with the same layout.
    expect(() => rotated.mfa.unsealFactorSecret('mfa:v1:' + raw.toString('base64'))).toThrow();
  });

  it('reads the stored formats written before the shared helper (sealed:v1:, mfa:v1:)', async () => {
    // Written the way lib/mail/seal.ts and lib/mfa/secret-box.ts sealed until now.
    const legacy = (prefix: string, salt: string, info: string, plain: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', derived(OLD, { salt, info }), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    };
    const rotated = await startedWith(NEW, OLD);
    expect(rotated.mail.unseal(legacy('sealed:v1:', 'portal-outbox', 'outbox body sealing v1', 'old mail'))).toBe('old mail');
    expect(rotated.mfa.unsealFactorSecret(legacy('mfa:v1:', 'portal-mfa', 'totp secret sealing v1', 'OLDSEED'))).toBe('OLDSEED');
  });
});
