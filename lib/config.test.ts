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
    const { config } = await freshConfig({ DATABASE_URL: 'mysql://x', SMTP_URL: 'http://mail', TRUSTED_PROXY_HOPS: 'two', DATABASE_WAIT_MS: '0' });
    expect(() => config()).toThrow(/DATABASE_URL[\s\S]*SMTP_URL[\s\S]*DATABASE_WAIT_MS[\s\S]*TRUSTED_PROXY_HOPS/);
  });

  it('refuses production without its explicit settings, one line naming each variable', async () => {
    const { configProblems } = await freshConfig({});
    const production = { NODE_ENV: 'production' };
    expect(configProblems(production).map((line) => line.split(':')[0])).toEqual(['DATABASE_URL', 'APP_URL', 'NEXTAUTH_SECRET', 'SMTP_URL']);
    const complete = { ...production, DATABASE_URL: 'file:./x.db', APP_URL: 'https://help.example.com', NEXTAUTH_SECRET: 'x'.repeat(32) };
    expect(configProblems({ ...complete, SMTP_URL: 'smtp://mail:25' })).toEqual([]);
    expect(configProblems({ ...complete, MAIL_TRANSPORT: 'file' })).toEqual([]);
    expect(configProblems({ ...complete, MAIL_TRANSPORT: 'smtp' }).map((line) => line.split(':')[0])).toEqual(['SMTP_URL']);
    expect(configProblems({ ...complete, MAIL_TRANSPORT: 'file', SMTP_URL: 'smtp://mail:25' }).map((line) => line.split(':')[0])).toEqual(['MAIL_TRANSPORT']);
    // A secret too short is named once, as invalid, not also as missing.
    expect(configProblems({ ...complete, MAIL_TRANSPORT: 'file', NEXTAUTH_SECRET: 'short' })).toHaveLength(1);
    // `next build` runs with NODE_ENV=production and no runtime secrets.
    expect(configProblems({ ...production, NEXT_PHASE: 'phase-production-build' })).toEqual([]);
  });

  it('asks a process that opens queued mail for the secret, and one that delivers it for a transport chosen on purpose, wherever it runs (review r34g F2)', async () => {
    const { mailProcessProblems } = await freshConfig({});
    const names = (problems: string[]) => problems.map((line) => line.split(':')[0]);
    expect(names(mailProcessProblems({ delivers: true }, { NODE_ENV: 'development' }))).toEqual(['NEXTAUTH_SECRET', 'SMTP_URL']);
    expect(names(mailProcessProblems({ delivers: false }, {}))).toEqual(['NEXTAUTH_SECRET']);
    const secret = { NEXTAUTH_SECRET: 'x'.repeat(32) };
    expect(mailProcessProblems({ delivers: true }, { ...secret, SMTP_URL: 'smtp://mail:25' })).toEqual([]);
    expect(mailProcessProblems({ delivers: true }, { ...secret, MAIL_TRANSPORT: 'file' })).toEqual([]);
    expect(mailProcessProblems({ delivers: false }, secret)).toEqual([]);
  });

  it('opens the local mailbox outside production, or in the demo that asks for it, never with SMTP', async () => {
    expect((await freshConfig({ NODE_ENV: 'development', SMTP_URL: undefined, DEV_MAILBOX: undefined })).devMailboxEnabled()).toBe(true);
    const production = { NODE_ENV: 'production', DATABASE_URL: 'file:./x.db', APP_URL: 'http://localhost:3000', NEXTAUTH_SECRET: 'x'.repeat(32), MAIL_TRANSPORT: 'file' };
    expect((await freshConfig({ ...production, SMTP_URL: undefined, DEV_MAILBOX: undefined })).devMailboxEnabled()).toBe(false);
    expect((await freshConfig({ ...production, SMTP_URL: undefined, DEV_MAILBOX: 'on' })).devMailboxEnabled()).toBe(true);
    expect((await freshConfig({ NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_TRANSPORT: undefined, DEV_MAILBOX: undefined })).devMailboxEnabled()).toBe(false);
    const both = await freshConfig({ ...production, MAIL_TRANSPORT: undefined, SMTP_URL: 'smtp://127.0.0.1:2525', DEV_MAILBOX: 'on' });
    expect(() => both.config()).toThrow(/DEV_MAILBOX/);
  });

  it('refuses to sign sessions without a secret', async () => {
    const { authSecret } = await freshConfig({ NEXTAUTH_SECRET: undefined, NEXT_PHASE: undefined });
    expect(() => authSecret()).toThrow(/NEXTAUTH_SECRET/);
  });
});
