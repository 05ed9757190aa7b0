import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const LOGGER = path.resolve(import.meta.dirname, 'logger.mjs');

// The logger writes to the process's stdout (fd 1): each case runs in a process of its own and reads it back.
async function linesFrom(script: string, env: Record<string, string> = {}): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `import { logger, accessLogger, runInRequestScope, runInRoundScope, runOutsideRequests, errorFields } from ${JSON.stringify(LOGGER)};\n${script}`], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.split('\n').filter(Boolean);
}

describe('logger', () => {
  it('writes one JSON object per line, with its event, level and time', async () => {
    const [line] = await linesFrom(`logger.info({ event: 'test.event', count: 2 });`);
    const entry = JSON.parse(line!);
    expect(entry).toMatchObject({ event: 'test.event', count: 2, level: 30 });
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
  });

  it('names the request on every line written while serving it, however deep, and on none outside', async () => {
    const lines = await linesFrom(`
      runInRequestScope('req-1', async () => {
        logger.info({ event: 'inside' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.info({ event: 'after-await' });
        runOutsideRequests(() => setTimeout(() => logger.info({ event: 'timer-started-outside' }), 1));
      });
      logger.info({ event: 'outside' });`);
    const byEvent = Object.fromEntries(lines.map((line) => JSON.parse(line)).map((entry) => [entry.event, entry]));
    expect(byEvent.inside.requestId).toBe('req-1');
    expect(byEvent['after-await'].requestId).toBe('req-1');
    expect(byEvent.outside.requestId).toBeUndefined();
    expect(byEvent['timer-started-outside'].requestId).toBeUndefined();
  });

  it('names the round on every line a background round writes, however deep, with an id of its own each time', async () => {
    const lines = await linesFrom(`
      const round = () => runInRoundScope(async () => {
        logger.error({ event: 'round-failed' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.error({ event: 'round-after-await' });
      });
      await round();
      await round();`);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.event)).toEqual(['round-failed', 'round-after-await', 'round-failed', 'round-after-await']);
    for (const entry of entries) expect(entry).not.toHaveProperty('requestId');
    const [first, second, third] = entries.map((entry) => entry.roundId);
    expect(first).toEqual(expect.any(String));
    expect(second).toBe(first);
    expect(third).not.toBe(first);
  });

  it('never writes a secret passed under a secret field name, at the top or one level down', async () => {
    const [line] = await linesFrom(`logger.info({ event: 'oops', password: 'hunter2-pw', token: 'tok-123', code: '123456', mail: { body: 'link tok-456', text: 'tok-789' } });`);
    expect(line).not.toMatch(/hunter2|tok-|123456/);
    expect(JSON.parse(line!)).toMatchObject({ event: 'oops', password: '[redacted]', code: '[redacted]', mail: { body: '[redacted]' } });
  });

  it("logs an error's kind, code and message, not the properties a driver hangs on it", async () => {
    const [line] = await linesFrom(`
      const error = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED', query: { passwordHash: 'argon-secret' } });
      logger.error({ event: 'failed', ...errorFields(error) });`);
    const entry = JSON.parse(line!);
    expect(entry.error).toMatchObject({ type: 'Error', code: 'ECONNREFUSED', message: 'connection refused' });
    expect(line).not.toContain('argon-secret');
  });

  it('loses no line written just before the process exits, however many are still waiting to be written', async () => {
    const lines = await linesFrom(`
      for (let i = 0; i < 20000; i++) (i % 2 ? logger : accessLogger).info({ event: 'burst', i });
      process.exit(3 - 3);`);
    expect(lines).toHaveLength(20000);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event: 'burst', i: 19999 });
  });

  it('loses no line when the process exits while the thread pool is busy (argon2 verifies in a sign-in rush)', async () => {
    const lines = await linesFrom(`
      const { pbkdf2 } = await import('node:crypto');
      for (let i = 0; i < 8; i++) pbkdf2('busy', 'salt', 500_000, 32, 'sha512', () => {});
      for (let i = 0; i < 5; i++) logger.fatal({ event: 'server.cannot_start', i });
      setImmediate(() => { logger.fatal({ event: 'server.cannot_start', i: 5 }); process.exit(1); });`).catch((error: { stdout: string }) =>
      error.stdout.split('\n').filter(Boolean),
    );
    expect(lines.map((line) => JSON.parse(line).i)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('writes the access line with the same level, time and stream as every other line', async () => {
    const lines = await linesFrom(`accessLogger.info({ event: 'http.request', path: '/help' }); accessLogger.debug({ event: 'hidden' });`);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ event: 'http.request', path: '/help', level: 30 });
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
  });

  it('follows LOG_LEVEL', async () => {
    const lines = await linesFrom(`logger.info({ event: 'chatty' }); logger.warn({ event: 'worth-knowing' });`, { LOG_LEVEL: 'warn' });
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(['worth-knowing']);
  });

  it('writes readable lines in development only', async () => {
    const lines = await linesFrom(`logger.info({ event: 'dev.event', count: 2 });`, { NODE_ENV: 'development' });
    expect(lines).toHaveLength(1);
    expect(() => JSON.parse(lines[0]!)).toThrow();
    expect(lines[0]).toMatch(/INFO.*dev\.event.*"count":2/);
  });
});

describe('console routed to the log (server.mjs)', () => {
  it('turns what libraries print into JSON lines, at their level, without colour codes', async () => {
    const lines = await linesFrom(`
      const { routeConsoleToLog } = await import(${JSON.stringify(LOGGER)});
      routeConsoleToLog();
      console.log('\\u001b[32m✓\\u001b[39m Ready in %d ms', 12);
      console.error(new Error('boom'));
      runInRequestScope('req-9', () => console.warn('inside'));`);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries[0]).toMatchObject({ event: 'console', level: 30, message: '✓ Ready in 12 ms' });
    expect(entries[1]).toMatchObject({ event: 'console', level: 50 });
    expect(entries[1].message).toMatch(/^Error: boom/);
    expect(entries[2]).toMatchObject({ event: 'console', level: 40, message: 'inside', requestId: 'req-9' });
  });
});
