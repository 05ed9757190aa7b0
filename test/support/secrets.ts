// Secrets for the rotation tests, and a way to load modules as a process started with some of them.
import { vi } from 'vitest';

export const OLD_SECRET = 'old-secret-that-is-long-enough-for-the-portal-0000001';
export const NEW_SECRET = 'new-secret-that-is-long-enough-for-the-portal-0000002';
/** A secret no process is configured with: what it made must open nowhere. */
export const STRANGER_SECRET = 'some-other-secret-long-enough-for-the-portal-0000003';

/**
 * From here on, modules imported (dynamically) are fresh and read this configuration, as an
 * instance started with these secrets would; modules imported before keep theirs. Undo with
 * vi.unstubAllEnvs() once the configuration has been read.
 */
export async function loadModulesWith(current: string, previous?: string): Promise<void> {
  vi.resetModules();
  vi.stubEnv('NEXTAUTH_SECRET', current);
  vi.stubEnv('NEXTAUTH_SECRET_PREVIOUS', previous);
  // The configuration is read once, on first use: read it now, while the environment says so.
  (await import('@/lib/config')).config();
}
