import { encode } from 'next-auth/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadModulesWith, NEW_SECRET, OLD_SECRET, STRANGER_SECRET } from '@/test/support/secrets';

const [OLD, NEW, STRANGER] = [OLD_SECRET, NEW_SECRET, STRANGER_SECRET];

async function startedWith(current: string, previous?: string) {
  await loadModulesWith(current, previous);
  return import('@/lib/auth/options');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('session cookies across a secret rotation', () => {
  it('a cookie made under the old secret opens while it is the previous one, and not after it is dropped', async () => {
    const cookie = await encode({ token: { sid: 'session-1', kind: 'agency' }, secret: OLD, maxAge: 3600 });
    const rotated = await startedWith(NEW, OLD);
    const options = rotated.authOptions();
    // next-auth hands decode the options' (current) secret; the previous one must still be tried.
    expect(await rotated.decodeSessionToken({ token: cookie, secret: options.secret! })).toMatchObject({ sid: 'session-1' });
    expect(options.jwt?.decode).toBe(rotated.decodeSessionToken);
    const dropped = await startedWith(NEW);
    expect(await dropped.decodeSessionToken({ token: cookie, secret: NEW })).toBeNull();
  });

  it('cookies are made with the current secret only', async () => {
    const rotated = await startedWith(NEW, OLD);
    expect(rotated.authOptions().secret).toBe(NEW);
  });

  it('a cookie made under a third secret, an expired cookie or a changed one opens with no secret', async () => {
    const rotated = await startedWith(NEW, OLD);
    const stranger = await encode({ token: { sid: 'session-2' }, secret: STRANGER, maxAge: 3600 });
    const expired = await encode({ token: { sid: 'session-3' }, secret: OLD, maxAge: -60 });
    const good = await encode({ token: { sid: 'session-4' }, secret: OLD, maxAge: 3600 });
    const changed = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const token of [stranger, expired, changed, 'not-a-jwt', '']) {
      expect(await rotated.decodeSessionToken({ token, secret: NEW })).toBeNull();
    }
  });
});

describe('the session cookie', () => {
  it('over https is a __Host- cookie, which only this very host can set: Secure, Path=/, no Domain', async () => {
    vi.stubEnv('APP_URL', 'https://help.example.com');
    const options = (await startedWith(NEW)).authOptions();
    expect(options.cookies?.sessionToken).toEqual({
      name: '__Host-next-auth.session-token',
      options: { httpOnly: true, sameSite: 'lax', secure: true, path: '/' },
    });
  });

  it('over http (this machine, the demo) has no prefix, which a browser would refuse without Secure', async () => {
    vi.stubEnv('APP_URL', 'http://localhost:3000');
    expect((await startedWith(NEW)).authOptions().cookies?.sessionToken?.name).toBe('next-auth.session-token');
  });
});
