// `npm run bench`: runs every scripts/bench/*.bench.ts in turn; each prints its own figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const only = process.argv.slice(2);
const all = readdirSync(import.meta.dirname).filter((file) => file.endsWith('.bench.ts'));
// A name picks its own bench when one has exactly that name (`sign-in`, not also `sign-in-timing`),
// otherwise every bench whose name contains it.
const picks = (name, file) => (all.includes(`${name}.bench.ts`) ? file === `${name}.bench.ts` : file.includes(name));
const benches = all.filter((file) => only.length === 0 || only.some((name) => picks(name, file))).sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file}`);
  const result = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join('scripts/bench', file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
