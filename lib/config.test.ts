import { afterEach, describe, expect, it, vi } from 'vitest';

async function freshConfig(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  return import('@/lib/config');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('config', () => {
  it('names every bad key', async () => {
    const { config } = await freshConfig({ DATABASE_URL: 'mysql://x', SMTP_URL: 'http://mail', TRUSTED_PROXY_HOPS: 'two' });
    expect(() => config()).toThrow(/DATABASE_URL[\s\S]*SMTP_URL[\s\S]*TRUSTED_PROXY_HOPS/);
  });

  it('opens the local mailbox outside production, or in the demo that asks for it, never with SMTP', async () => {
    expect((await freshConfig({ NODE_ENV: 'development', SMTP_URL: undefined, DEV_MAILBOX: undefined })).devMailboxEnabled()).toBe(true);
    expect((await freshConfig({ NODE_ENV: 'production', SMTP_URL: undefined, DEV_MAILBOX: undefined })).devMailboxEnabled()).toBe(false);
    expect((await freshConfig({ NODE_ENV: 'production', SMTP_URL: undefined, DEV_MAILBOX: 'on' })).devMailboxEnabled()).toBe(true);
    expect((await freshConfig({ NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:2525', DEV_MAILBOX: undefined })).devMailboxEnabled()).toBe(false);
    const both = await freshConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525', DEV_MAILBOX: 'on' });
    expect(() => both.config()).toThrow(/DEV_MAILBOX/);
  });

  it('refuses to sign sessions without a secret', async () => {
    const { authSecret } = await freshConfig({ NEXTAUTH_SECRET: undefined, NEXT_PHASE: undefined });
    expect(() => authSecret()).toThrow(/NEXTAUTH_SECRET/);
  });
});
