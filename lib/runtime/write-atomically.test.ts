import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Each writer writes the file `times` times with its own whole content, and reports what it threw.
const WRITER = `
  const { parentPort, workerData } = require('node:worker_threads');
  import(workerData.module).then(({ writeAtomically }) => {
    const errors = [];
    for (let i = 0; i < workerData.times; i++) {
      try { writeAtomically(workerData.file, workerData.content); } catch (error) { errors.push(String(error)); }
    }
    parentPort.postMessage(errors);
  });
`;

function writer(file: string, content: string, times: number): Promise<string[]> {
  const modulePath = new URL('./write-atomically.mjs', import.meta.url).href;
  const worker = new Worker(WRITER, { eval: true, workerData: { module: modulePath, file, content, times } });
  return new Promise((resolve, reject) => {
    worker.once('message', (errors: string[]) => void worker.terminate().then(() => resolve(errors)));
    worker.once('error', reject);
  });
}

describe('writeAtomically', () => {
  it('two writers with one process id (instances in containers sharing the export folder) never fail, tear the file or leave a temporary one (review r49b F2)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'write-atomically-'));
    dirs.push(dir);
    const file = path.join(dir, 'index.html');
    const [a, b] = ['a'.repeat(200_000), 'b'.repeat(200_000)];
    // Threads of one process share its pid, as two containers' PID 1 do.
    const errors = await Promise.all([writer(file, a, 300), writer(file, b, 300)]);
    expect(errors.flat()).toEqual([]);
    expect([a, b]).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['index.html']);
  }, 60_000);
});
