import { z } from 'zod';
import { ADMISSION_DEFAULTS } from '@/lib/runtime/admission.mjs';

// The one place that reads process.env. Parsed once; every bad key is named at start-up.
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .default('file:./data/portal.db')
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), 'must start with file: (SQLite) or postgresql:// (PostgreSQL)'),
  APP_URL: z.url().default('http://localhost:3000'),
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  // The secret being rotated out: it still opens what it made and makes nothing (lib/crypto/keyring.ts).
  NEXTAUTH_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  // Explicit choice of the file transport: production refuses to guess it from a missing SMTP_URL.
  MAIL_TRANSPORT: z.enum(['smtp', 'file']).optional(),
  MAIL_DIR: z.string().default('./data/mail'),
  // The local mailbox page lists the file transport's messages. Production builds always run
  // with NODE_ENV=production, so the demo opts in explicitly; it can never be on with SMTP.
  DEV_MAILBOX: z.enum(['on', 'off']).optional(),
  // The in-process mail worker: how often it looks for due messages, or off (npm run mail:worker instead).
  MAIL_WORKER: z.enum(['on', 'off']).default('on'),
  MAIL_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  // How long a request waits for the database (lib/db/client.ts). Keep it short on SQLite, where the wait blocks the process.
  DATABASE_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  MAIL_FROM: z.string().default('CareNotes Password Help <no-reply@localhost>'),
  // How many reverse proxies in front of the app append to X-Forwarded-For.
  // 0: the TCP peer is the client and any X-Forwarded-For it sends is ignored.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  // Requests Next.js works on at once, and how many more may wait for a place (lib/runtime/admission.mjs).
  MAX_REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(ADMISSION_DEFAULTS.limit),
  MAX_REQUESTS_WAITING: z.coerce.number().int().min(0).max(100_000).default(ADMISSION_DEFAULTS.waitingLimit),
  // Where each instance writes the status page and its feed as static files on every change
  // (server.mjs, lib/runtime/pages-in-memory.mjs), for a static host on another origin.
  STATUS_EXPORT_DIR: z.string().min(1).optional(),
});

export type Config = z.infer<typeof envSchema>;

const checkedEnvSchema = envSchema
  .refine((env) => !(env.DEV_MAILBOX === 'on' && env.SMTP_URL), {
    path: ['DEV_MAILBOX'],
    message: 'cannot be on while SMTP_URL is set: the mailbox only shows the file transport',
  })
  .refine((env) => !(env.MAIL_TRANSPORT === 'file' && env.SMTP_URL), {
    path: ['MAIL_TRANSPORT'],
    message: 'is file while SMTP_URL is set: choose one',
  })
  .refine((env) => !(env.MAIL_TRANSPORT === 'smtp' && !env.SMTP_URL), {
    path: ['SMTP_URL'],
    message: 'required when MAIL_TRANSPORT=smtp',
  })
  .refine((env) => !env.NEXTAUTH_SECRET_PREVIOUS || env.NEXTAUTH_SECRET_PREVIOUS !== env.NEXTAUTH_SECRET, {
    path: ['NEXTAUTH_SECRET_PREVIOUS'],
    message: 'must differ from NEXTAUTH_SECRET (it is the secret being rotated out)',
  });

type Env = Record<string, string | undefined>;

/**
 * In production a default is a silent wrong answer (each instance its own SQLite file, reset links
 * to localhost, mail in local files, a 500 at the first sign-in), so these must be set explicitly.
 */
function productionProblems(env: Env): string[] {
  if (env.NODE_ENV !== 'production' || env.NEXT_PHASE === 'phase-production-build') return [];
  const problems: string[] = [];
  if (!env.DATABASE_URL) problems.push('DATABASE_URL: required in production (file:/path/to/portal.db or postgresql://…)');
  if (!env.APP_URL) problems.push('APP_URL: required in production (the public origin, e.g. https://help.example.com)');
  if (!env.NEXTAUTH_SECRET) problems.push('NEXTAUTH_SECRET: required in production (32+ characters, e.g. `openssl rand -base64 32`)');
  if (!env.SMTP_URL && env.MAIL_TRANSPORT !== 'file') {
    problems.push('SMTP_URL: required in production (smtp://…), or set MAIL_TRANSPORT=file to write mail to MAIL_DIR');
  }
  return problems;
}

/**
 * What a process of its own that opens queued mail (`mail:worker`, `secrets:reseal`) needs wherever it
 * runs, as a server does in production: the secret the mail is sealed with, and, to deliver, a transport
 * chosen on purpose. Without them the worker "delivered" into local files, marked sent, or spent an
 * attempt of every reset link, and reseal named every stored value unreadable (review r34g F2).
 */
export function mailProcessProblems({ delivers }: { delivers: boolean }, env: Env = process.env): string[] {
  return productionProblems({ ...env, NODE_ENV: 'production' }).filter(
    (line) => line.startsWith('NEXTAUTH_SECRET:') || (delivers && line.startsWith('SMTP_URL:')),
  );
}

/** Every problem with the environment, one line each naming its variable; empty when it can serve. */
export function configProblems(env: Env = process.env): string[] {
  const parsed = checkedEnvSchema.safeParse(env);
  const invalid = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const missing = productionProblems(env).filter((line) => !invalid.some((other) => other.split(':')[0] === line.split(':')[0]));
  return [...missing, ...invalid];
}

function loadConfig(): Config {
  const problems = configProblems(process.env);
  if (problems.length > 0) throw new Error(`Invalid environment:\n${problems.map((line) => `  ${line}`).join('\n')}`);
  const parsed = checkedEnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error('Invalid environment');
  // next-auth reads NEXTAUTH_URL by itself; keep it equal to APP_URL unless set apart.
  process.env.NEXTAUTH_URL ??= parsed.data.APP_URL;
  return parsed.data;
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** The key that signs session cookies: required wherever sessions are made or read. */
export function authSecret(): string {
  const secret = config().NEXTAUTH_SECRET;
  if (secret) return secret;
  // `next build` evaluates route modules without runtime secrets; nothing is signed then.
  if (process.env.NEXT_PHASE === 'phase-production-build') return 'build-time-placeholder-that-signs-nothing';
  throw new Error('Invalid environment:\n  NEXTAUTH_SECRET: required (npm run demo writes one to .env.local)');
}

/** The current secret, then the one being rotated out if set. Only lib/crypto/keyring.ts uses it. */
export function authSecrets(): [string] | [string, string] {
  const current = authSecret();
  const previous = config().NEXTAUTH_SECRET_PREVIOUS;
  return previous ? [current, previous] : [current];
}

/** Which transport delivers mail: SMTP when SMTP_URL is set, files otherwise. */
export function mailTransportKind(): 'smtp' | 'file' {
  return config().SMTP_URL ? 'smtp' : 'file';
}

/** Whether the local mailbox is switched on: only with the file transport, and only outside production unless the demo opts in (who may see it: localMailboxOpenTo). */
export function devMailboxEnabled(): boolean {
  const { DEV_MAILBOX, SMTP_URL, NODE_ENV } = config();
  if (SMTP_URL) return false;
  return DEV_MAILBOX ? DEV_MAILBOX === 'on' : NODE_ENV !== 'production';
}
