import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { metricsText } from '@/lib/observability/metrics.mjs';
import { argon2Runs, ARGON2_PARAMS, hashPassword, needsRehash, verifyDummy, verifyPassword } from './hash';

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

describe('argon2id runs', () => {
  it('runs at most one per core at once, however many are asked for, and every one still answers', async () => {
    const cores = availableParallelism();
    const stored = await hashPassword('violet kettle harbour');
    const asked = 3 * cores + 1;
    let settled = 0;
    const all = Array.from({ length: asked }, (_, i) =>
      (i % 3 === 0 ? hashPassword('violet kettle harbour').then((h) => verifyPassword(h, 'violet kettle harbour')) : verifyPassword(stored, 'violet kettle harbour')).finally(() => (settled += 1)),
    );
    let mostRunning = 0;
    let mostWaiting = 0;
    // The metrics port shows the same figures.
    const scraped = (await metricsText()).text;
    expect(Number(/^portal_password_hashes_running (\d+)$/m.exec(scraped)?.[1])).toBe(cores);
    expect(Number(/^portal_password_hashes_waiting (\d+)$/m.exec(scraped)?.[1])).toBeGreaterThan(0);
    while (settled < asked) {
      const { running, waiting } = argon2Runs();
      mostRunning = Math.max(mostRunning, running);
      mostWaiting = Math.max(mostWaiting, waiting);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(all)).toEqual(Array(asked).fill(true));
    expect(mostRunning).toBe(cores);
    expect(mostWaiting).toBeGreaterThan(0);
    expect(argon2Runs()).toEqual({ running: 0, waiting: 0 });
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
