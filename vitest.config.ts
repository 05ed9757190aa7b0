import path from 'node:path';
import { defineConfig } from 'vitest/config';

const integration = (kind: 'sqlite' | 'postgresql') => ({
  extends: true as const,
  test: {
    name: kind,
    include: ['test/integration/**/*.test.ts'],
    env: { TEST_DATABASE_KIND: kind },
    globalSetup: ['test/support/global-database.ts'],
    setupFiles: ['test/support/use-test-database.ts'],
  },
});

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // Tests run server code outside React's server bundle, where `server-only` is its empty module.
      'server-only': path.resolve(import.meta.dirname, 'node_modules/server-only/empty.js'),
    },
  },
  test: {
    environment: 'node',
    // Integration files share one database per kind: run them one after another.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'test/support/**/*.test.ts'] } },
      integration('sqlite'),
      integration('postgresql'),
      // The production server as a whole process (server.mjs on the build): run after `next build`.
      { extends: true, test: { name: 'production', include: ['test/production/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 } },
    ],
  },
});
