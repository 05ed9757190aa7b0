import { defineConfig } from '@playwright/test';
import { E2E_BASE_URL } from './e2e/support/env';

// Debian's Chromium (never a downloaded browser build: this machine is offline).
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: E2E_BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // Chromium may try ::1 first for localhost; the e2e server answers on 127.0.0.1 only.
        '--host-resolver-rules=MAP localhost 127.0.0.1',
      ],
    },
  },
  webServer: {
    command: 'node_modules/.bin/tsx e2e/support/serve.ts',
    url: `${E2E_BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
