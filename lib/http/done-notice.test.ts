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

const VICTOR = { sessionId: 'session-of-victor' };
const VERA = { sessionId: 'session-of-vera' };
const at = (path: string) => new URL(path, 'http://portal.invalid');
const doneOf = (path: string) => at(path).searchParams.get('done') ?? undefined;

describe('the notice a page shows after an action', () => {
  it('is said to the one who did it, on the page the action sent them to, for ten minutes', () => {
    const when = new Date('2026-12-03T12:00:00Z');
    const path = donePath('/vendor/queue/abc', 'approve', VICTOR, when);
    expect(at(path).pathname).toBe('/vendor/queue/abc');
    expect(doneAt('/vendor/queue/abc', doneOf(path), VICTOR, when)).toBe('approve');
    expect(doneAt('/vendor/queue/abc', doneOf(path), VICTOR, new Date(when.getTime() + 9 * 60_000))).toBe('approve');
    expect(doneAt('/vendor/queue/abc', doneOf(path), VICTOR, new Date(when.getTime() + 11 * 60_000))).toBeUndefined();
  });

  it('[ANYONE with a link, or a colleague’s] says nothing for a bare name, another session, another page, another name, a changed time or signature', () => {
    const when = new Date();
    const done = doneOf(donePath('/vendor/queue/abc', 'claim', VICTOR, when))!;
    const [, seconds, signature] = done.split('.');
    for (const forged of [
      'claim',
      `approve.${seconds}.${signature}`,
      `claim.${Number(seconds) - 1}.${signature}`,
      `claim.${seconds}.${signature!.slice(0, -1)}`,
      `claim.${seconds}.${signature}.x`,
      `claim.${Number(seconds) + 3600}.${signature}`,
      '',
      '...',
    ]) {
      expect(doneAt('/vendor/queue/abc', forged, VICTOR, when), forged).toBeUndefined();
    }
    // Victor's own link, opened by Vera: "You are working this request" would be a lie to her.
    expect(doneAt('/vendor/queue/abc', done, VERA, when)).toBeUndefined();
    expect(doneAt('/vendor/queue/other', done, VICTOR, when)).toBeUndefined();
    // A notice for the agencies' sign-in page says nothing on the vendor's.
    const signedOut = doneOf(donePath('/login', 'signed-out', { sessionId: '' }, when));
    expect(doneAt('/login', signedOut, { sessionId: '' }, when)).toBe('signed-out');
    expect(doneAt('/vendor/login', signedOut, { sessionId: '' }, when)).toBeUndefined();
    expect(doneAt('/vendor/queue/abc', undefined, VICTOR, when)).toBeUndefined();
  });
});
