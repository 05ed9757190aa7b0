// Generates one Prisma client per database kind from the single prisma/schema.prisma.
// PRISMA_SCHEMA_ENGINE_BINARY=/bin/false stops the CLI from trying to download an
// engine it does not need for `generate` (this machine, and many CI boxes, are offline).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const sqliteSchema = path.join(root, 'prisma', 'schema.prisma');
const postgresSchema = path.join(root, 'prisma', '.generated', 'schema.postgresql.prisma');

const text = readFileSync(sqliteSchema, 'utf8');
const pgText = text
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output   = "../lib/generated/sqlite"', 'output   = "../../lib/generated/postgresql"');
if (pgText === text || !pgText.includes('"postgresql"') || !pgText.includes('generated/postgresql')) {
  throw new Error('prisma/schema.prisma: provider or output line changed; update scripts/prisma-generate.mjs');
}
mkdirSync(path.dirname(postgresSchema), { recursive: true });
writeFileSync(postgresSchema, pgText);

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
}
console.log('prisma: generated clients for sqlite and postgresql');
