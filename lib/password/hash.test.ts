import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { ARGON2_PARAMS, hashPassword, needsRehash, verifyDummy, verifyPassword } from './hash';

describe('hashPassword and verifyPassword', () => {
  it('round-trips with argon2id at the configured parameters', async () => {
    const stored = await hashPassword('violet kettle harbour');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'violet kettle harbour')).toBe(true);
    expect(await verifyPassword(stored, 'violet kettle harbour ')).toBe(false);
    expect(await verifyPassword(stored, 'Violet kettle harbour')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('treats NFKC-equivalent passwords as the same', async () => {
    const stored = await hashPassword('password café');
    expect(await verifyPassword(stored, 'ｐａｓｓｗｏｒｄ café')).toBe(true); // fullwidth
    expect(await verifyPassword(stored, 'password cafe\u0301')).toBe(true); // decomposed accent
  });

  it('answers false, without throwing, for a malformed hash', async () => {
    for (const bad of ['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$broken', '$2b$10$abcdefghijklmnopqrstuv']) {
      expect(await verifyPassword(bad, 'anything')).toBe(false);
    }
  });
});

describe('needsRehash', () => {
  it('is false for a hash made now', async () => {
    expect(needsRehash(await hashPassword('x'))).toBe(false);
  });

  it('is true for weaker memory or time, another algorithm, or a malformed hash', async () => {
    const weakerMemory = await hash('x', { ...ARGON2_PARAMS, memoryCost: 8192 });
    const weakerTime = await hash('x', { ...ARGON2_PARAMS, timeCost: 1 });
    const argon2i = await hash('x', { ...ARGON2_PARAMS, algorithm: 1 });
    expect(needsRehash(weakerMemory)).toBe(true);
    expect(needsRehash(weakerTime)).toBe(true);
    expect(needsRehash(argon2i)).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
  });

  it('is false for stronger parameters', async () => {
    expect(needsRehash(await hash('x', { ...ARGON2_PARAMS, memoryCost: 47104, timeCost: 1 + 2 }))).toBe(false);
  });

  it('still verifies an older, weaker hash so that sign-in can upgrade it', async () => {
    const weaker = await hash('old password', { ...ARGON2_PARAMS, timeCost: 1 });
    expect(await verifyPassword(weaker, 'old password')).toBe(true);
  });
});

describe('verifyDummy', () => {
  it('is always false and costs about one real verify', async () => {
    const stored = await hashPassword('violet kettle harbour');
    await verifyDummy('warm up'); // the dummy hash is made on first use
    // CPU time, not wall time: a busy machine stretches the wait, not the work. argon2 runs on
    // libuv's threads, which process.cpuUsage counts. A missing argon2 run (~100x less) fails it.
    const cpuOf = async (run: () => Promise<unknown>) => {
      const before = process.cpuUsage();
      for (let i = 0; i < 5; i++) await run();
      const spent = process.cpuUsage(before);
      return spent.user + spent.system;
    };
    expect(await verifyDummy('violet kettle harbour')).toBe(false);
    const dummy = await cpuOf(() => verifyDummy('violet kettle harbour'));
    const real = await cpuOf(() => verifyPassword(stored, 'violet kettle harbour'));
    expect(dummy).toBeGreaterThan(real / 4);
  });
});
