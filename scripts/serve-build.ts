import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The production build served by server.mjs on 127.0.0.1 (as `npm start` serves it), with `env` over this
 * process's environment (an undefined value leaves that variable out) and `execArgv` as Node.js flags.
 */
export function serveBuild(port: number, env: Record<string, string | undefined>, stdio: StdioOptions = 'ignore', execArgv: string[] = []): ChildProcess {
  return spawn(process.execPath, [...execArgv, 'server.mjs'], {
    cwd: root,
    stdio,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      // Links in mail and the sign-in callback name the server's own origin unless `env` names another.
      APP_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
  });
}
