// `npm test`: the whole suite, as CI runs it. Type-check, lint, unit and integration
// tests on SQLite and PostgreSQL (embedded, throw-away), a production build, and the
// end-to-end journeys in Debian's Chromium. Ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const reports = mkdtempSync(path.join(os.tmpdir(), 'portal-test-'));

function run(label, command, args, extraEnv = {}) {
  console.log(`\n=== ${label}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  console.log(`=== ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return true;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium is missing: installing Debian’s chromium package');
    return (
      run('apt-get update', 'apt-get', ['update', '-qq']) &&
      run('apt-get install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' })
    );
  }
  console.error(
    `The browser tests (end to end, and two instances) need Chromium at ${chromium}. Install it (Debian/Ubuntu: sudo apt-get install chromium) ` +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary, then run npm test again.',
  );
  return false;
}

function counts(file, read) {
  try {
    return read(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

const vitestReport = path.join(reports, 'vitest.json');
const playwrightReport = path.join(reports, 'playwright.json');
const productionReport = path.join(reports, 'production.json');
let haveChromium = false;
const steps = [
  () => run('type-check', bin('tsc'), ['--noEmit']),
  () => run('lint', bin('eslint'), ['.']),
  () =>
    run('unit and integration tests (SQLite and PostgreSQL)', bin('vitest'), [
      'run',
      '--project=unit',
      '--project=sqlite',
      '--project=postgresql',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${vitestReport}`,
    ]),
  () => run('production build', bin('next'), ['build', '--webpack']),
  // Before the first tests that drive a browser: one production server test does too (two instances).
  () => (haveChromium = ensureChromium()),
  // server.mjs on the build as whole processes: start-up refusals, probes, shutdown, two instances.
  () =>
    run('production server tests', bin('vitest'), ['run', '--project=production', '--reporter=default', '--reporter=json', `--outputFile.json=${productionReport}`]),
  () => haveChromium && run('end-to-end tests (Chromium)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport }),
];

let allOk = true;
for (const step of steps) allOk = step() && allOk;

// A file that fails outside its tests (an import, a beforeAll) fails none of them: it counts as one failure.
const failedOutsideTests = (f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed');
const vitestCounts = [vitestReport, productionReport].map((file) =>
  counts(file, (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests + r.testResults.filter(failedOutsideTests).length })),
);
const unit = vitestCounts.every(Boolean) ? { passed: vitestCounts[0].passed + vitestCounts[1].passed, failed: vitestCounts[0].failed + vitestCounts[1].failed } : null;
const e2e = counts(playwrightReport, (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky }));
// The names of failed tests last: CI keeps only the end of the output.
const failedNames = [
  ...[vitestReport, productionReport].flatMap(
    (file) =>
      counts(file, (r) =>
        r.testResults.flatMap((f) => [
          ...(failedOutsideTests(f) ? [`vitest ${path.relative(root, f.name)} (outside its tests)\n    ${(f.message ?? '').split('\n')[0]}`] : []),
          ...f.assertionResults.filter((t) => t.status === 'failed').map((t) => `vitest ${path.relative(root, f.name)} › ${t.fullName}\n    ${(t.failureMessages[0] ?? '').split('\n')[0]}`),
        ]),
      ) ?? [],
  ),
  ...(counts(playwrightReport, (r) => {
    const walk = (suite) => [
      ...(suite.specs ?? []).filter((spec) => !spec.ok).map((spec) => `playwright ${spec.file}:${spec.line} › ${spec.title}`),
      ...(suite.suites ?? []).flatMap(walk),
    ];
    return r.suites.flatMap(walk);
  }) ?? []),
];
if (failedNames.length > 0) console.log(`\nfailed:\n${failedNames.map((name) => `  ${name}`).join('\n')}`);
const passed = (unit?.passed ?? 0) + (e2e?.passed ?? 0);
const failed = (unit?.failed ?? 0) + (e2e?.failed ?? 0);
console.log(`\nvitest: ${unit ? `${unit.passed} passed, ${unit.failed} failed` : 'no report'}; playwright: ${e2e ? `${e2e.passed} passed, ${e2e.failed} failed` : 'no report'}`);
if (!allOk && failed === 0) console.log('a step before or around the tests failed (see "FAILED" above)');
console.log(`tests: ${passed} passed, ${failed} failed`);
// The reports decide too: a runner's own exit status has been known to hide failures.
process.exit(allOk && unit && e2e && failed === 0 ? 0 : 1);
