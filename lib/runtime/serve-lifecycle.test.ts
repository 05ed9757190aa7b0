// Graceful shutdown in a process of its own (it ends with process.exit): SIGTERM to an HTTP server
// whose background work (a mail send waiting on a server that never answers) ends only when cut off.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts the server, sends SIGTERM once it listens, and returns its exit code and JSON log events. */
async function shutDown(stopBackground: string): Promise<{ code: number | null; events: Record<string, unknown>[] }> {
  const script = `
    import { createServer } from 'node:http';
    import { installGracefulShutdown } from './lib/runtime/serve-lifecycle.mjs';
    globalThis.portalRuntime = { problems: [], summary: null, stopBackground: ${stopBackground}, close: async () => {} };
    const server = createServer((request, response) => response.end('ok'));
    installGracefulShutdown(server, { drainMs: 300 });
    server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ event: 'test.listening' })));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let signalled = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    // One signal only: a second one exits at once.
    if (!signalled && output.includes('"test.listening"')) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const events = output
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, events };
}

describe('graceful shutdown', () => {
  it('cuts off background work still running when the drain time is up, then stops and exits 0', async () => {
    // As the mail loop does: its hung send ends (and its message goes back) only when told the drain is over.
    const { code, events } = await shutDown(`(drainOver) => new Promise((resolve) => drainOver?.addEventListener('abort', () => {
      console.log(JSON.stringify({ event: 'test.background_cut_off' }));
      resolve();
    }))`);
    expect(code).toBe(0);
    // (The server's lines are written apart from the test's own: only their order among themselves counts.)
    expect(events.map((e) => e.event).filter((e) => e !== 'test.background_cut_off')).toEqual(['test.listening', 'server.stopping', 'server.drain_cut_off', 'server.stopped']);
    expect(events.map((e) => e.event)).toContain('test.background_cut_off');
  });

  it('cuts nothing off when the background work ends within the drain time', async () => {
    const { code, events } = await shutDown(`async (drainOver) => {
      console.log(JSON.stringify({ event: 'test.background_stopped', cutOff: drainOver?.aborted ?? false }));
    }`);
    expect(code).toBe(0);
    expect(events.map((e) => e.event).filter((e) => e !== 'test.background_stopped')).toEqual(['test.listening', 'server.stopping', 'server.stopped']);
    expect(events.find((e) => e.event === 'test.background_stopped')).toMatchObject({ cutOff: false });
  });
});
