import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadModulesWith, NEW_SECRET } from '@/test/support/secrets';

let donePath: typeof import('@/lib/http/done-notice').donePath;
let doneAt: typeof import('@/lib/http/done-notice').doneAt;
beforeAll(async () => {
  await loadModulesWith(NEW_SECRET);
  ({ donePath, doneAt } = await import('@/lib/http/done-notice'));
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const at = (path: string) => new URL(path, 'http://portal.invalid');
const doneOf = (path: string) => at(path).searchParams.get('done') ?? undefined;

describe('the notice a page shows after an action', () => {
  it('is said on the page the action sent the browser to, for ten minutes', () => {
    const when = new Date('2026-12-03T12:00:00Z');
    const path = donePath('/vendor/queue/abc', 'approve', when);
    expect(at(path).pathname).toBe('/vendor/queue/abc');
    expect(doneAt('/vendor/queue/abc', doneOf(path), when)).toBe('approve');
    expect(doneAt('/vendor/queue/abc', doneOf(path), new Date(when.getTime() + 9 * 60_000))).toBe('approve');
    expect(doneAt('/vendor/queue/abc', doneOf(path), new Date(when.getTime() + 11 * 60_000))).toBeUndefined();
  });

  it('[ANYONE with a link] says nothing for a bare name, another page’s notice, another name, a changed time or signature', () => {
    const when = new Date();
    const done = doneOf(donePath('/vendor/queue/abc', 'approve', when))!;
    const [, seconds, signature] = done.split('.');
    for (const forged of [
      'approve',
      `reject.${seconds}.${signature}`,
      `approve.${Number(seconds) - 1}.${signature}`,
      `approve.${seconds}.${signature!.slice(0, -1)}`,
      `approve.${seconds}.${signature}.x`,
      `approve.${Number(seconds) + 3600}.${signature}`,
      '',
      '...',
    ]) {
      expect(doneAt('/vendor/queue/abc', forged, when), forged).toBeUndefined();
    }
    expect(doneAt('/vendor/queue/other', done, when)).toBeUndefined();
    expect(doneAt('/vendor/queue/abc', undefined, when)).toBeUndefined();
  });
});
