import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadModulesWith, NEW_SECRET, OLD_SECRET, STRANGER_SECRET } from '@/test/support/secrets';

beforeAll(() => {
  process.env.NEXTAUTH_SECRET ??= 'unit-test-secret-that-is-long-enough-000000000001';
});

const DAY = 24 * 3_600_000;

describe('subscription links', () => {
  it('unsubscribe tokens accept their own subscriber only, and never a confirm token', async () => {
    const { unsubscribeToken, isValidUnsubscribeToken, confirmToken } = await import('@/lib/status/subscription-token');
    const token = unsubscribeToken('sub_1');
    expect(isValidUnsubscribeToken('sub_1', token)).toBe(true);
    expect(isValidUnsubscribeToken('sub_2', token)).toBe(false);
    expect(isValidUnsubscribeToken('sub_1', token.slice(0, -1))).toBe(false);
    expect(isValidUnsubscribeToken('sub_1', '')).toBe(false);
    expect(isValidUnsubscribeToken('sub_1', confirmToken('sub_1', 0))).toBe(false);
  });

  it('unsubscribe tokens are signed as they always were, so links in alerts already sent keep working', async () => {
    const { createHmac, hkdfSync } = await import('node:crypto');
    const { unsubscribeToken } = await import('@/lib/status/subscription-token');
    const key = Buffer.from(hkdfSync('sha256', process.env.NEXTAUTH_SECRET!, 'portal-status', 'status subscription links v1', 32));
    expect(unsubscribeToken('sub_1')).toBe(createHmac('sha256', key).update('unsubscribe\u0000sub_1').digest('base64url'));
  });

  it('a confirm link is valid for 7 days from its signed issue time, then expired; a changed time or id is invalid', async () => {
    const { checkConfirmLink, confirmToken, unsubscribeToken } = await import('@/lib/status/subscription-token');
    const issued = new Date('2026-11-01T10:00:00Z');
    const e = String(issued.getTime() / 1000);
    const link = { s: 'sub_1', e, t: confirmToken('sub_1', Number(e)) };
    expect(checkConfirmLink(link, issued)).toBe('valid');
    expect(checkConfirmLink(link, new Date(issued.getTime() + 7 * DAY - 1000))).toBe('valid');
    expect(checkConfirmLink(link, new Date(issued.getTime() + 7 * DAY))).toBe('expired');
    expect(checkConfirmLink(link, new Date(issued.getTime() + 300 * DAY))).toBe('expired');
    // Moving the issue time forward to revive an old link breaks the signature.
    const later = String(Number(e) + 30 * 86_400);
    expect(checkConfirmLink({ ...link, e: later }, new Date(issued.getTime() + 30 * DAY))).toBe('invalid');
    expect(checkConfirmLink({ ...link, s: 'sub_2' }, issued)).toBe('invalid');
    expect(checkConfirmLink({ ...link, t: unsubscribeToken('sub_1') }, issued)).toBe('invalid');
    for (const bad of ['', '-1', '1e9', ' 1', `${e}.0`, '9'.repeat(13)]) expect(checkConfirmLink({ ...link, e: bad }, issued)).toBe('invalid');
  });

  it('build links that carry the id, the issue time and the token, never an address', async () => {
    const { confirmPath, confirmToken, unsubscribePath, unsubscribeToken } = await import('@/lib/status/subscription-token');
    const issued = new Date('2026-11-01T10:00:00.750Z');
    const e = Math.floor(issued.getTime() / 1000);
    expect(confirmPath('sub_1', issued)).toBe(`/status/subscribe/confirm?s=sub_1&e=${e}&t=${confirmToken('sub_1', e)}`);
    expect(unsubscribePath('sub_1')).toBe(`/status/unsubscribe?s=sub_1&t=${unsubscribeToken('sub_1')}`);
    expect(unsubscribePath('sub_1')).toMatch(/^\/status\/unsubscribe\?s=sub_1&t=[\w-]{43}$/);
  });
});

describe('subscription links across a secret rotation', () => {
  const [OLD, NEW, STRANGER] = [OLD_SECRET, NEW_SECRET, STRANGER_SECRET];
  const ISSUED = 1_780_000_000;

  async function startedWith(current: string, previous?: string) {
    await loadModulesWith(current, previous);
    return import('@/lib/status/subscription-token');
  }
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('links signed under the old secret still work after the rotation, for their own subscriber only', async () => {
    const before = await startedWith(OLD);
    const unsubscribe = before.unsubscribeToken('sub_1');
    const confirm = before.confirmToken('sub_1', ISSUED);
    const rotated = await startedWith(NEW, OLD);
    expect(rotated.isValidUnsubscribeToken('sub_1', unsubscribe)).toBe(true);
    expect(rotated.isValidUnsubscribeToken('sub_2', unsubscribe)).toBe(false);
    expect(rotated.checkConfirmLink({ s: 'sub_1', e: String(ISSUED), t: confirm }, new Date(ISSUED * 1000))).toBe('valid');
    expect(rotated.checkConfirmLink({ s: 'sub_1', e: String(ISSUED + 1), t: confirm }, new Date(ISSUED * 1000))).toBe('invalid');
    // An old confirm link still expires on time: the rotation revives nothing.
    expect(rotated.checkConfirmLink({ s: 'sub_1', e: String(ISSUED), t: confirm }, new Date((ISSUED + 8 * 86_400) * 1000))).toBe('expired');
  });

  it('new links are signed with the new secret only, and a third unknown secret’s links are refused', async () => {
    const rotated = await startedWith(NEW, OLD);
    const fresh = rotated.unsubscribeToken('sub_1');
    const stranger = (await startedWith(STRANGER)).unsubscribeToken('sub_1');
    expect((await startedWith(NEW)).isValidUnsubscribeToken('sub_1', fresh)).toBe(true);
    expect((await startedWith(OLD)).isValidUnsubscribeToken('sub_1', fresh)).toBe(false);
    const again = await startedWith(NEW, OLD);
    expect(again.isValidUnsubscribeToken('sub_1', stranger)).toBe(false);
    expect(again.checkConfirmLink({ s: 'sub_1', e: String(ISSUED), t: stranger }, new Date(ISSUED * 1000))).toBe('invalid');
  });

  it('once the previous secret is dropped, its links stop working', async () => {
    const old = (await startedWith(OLD)).unsubscribeToken('sub_1');
    expect((await startedWith(NEW)).isValidUnsubscribeToken('sub_1', old)).toBe(false);
  });
});
