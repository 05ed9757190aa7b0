// `npm run secrets:reseal`: after rotating NEXTAUTH_SECRET (the old one in NEXTAUTH_SECRET_PREVIOUS),
// seals every stored sealed value again under the new secret; then the previous one can go.
// Exits 1 when some value opens with neither secret (listed by id), so nothing is dropped blindly.
import { userInfo } from 'node:os';
import { config, mailProcessProblems } from '@/lib/config';
import { argumentsOr, exitIfProblems, none } from './cli-arguments';
import { readyDatabase } from './db/ready-database';
import { resealStoredSecrets } from '@/lib/secrets/reseal-stored-secrets';

argumentsOr('npm run secrets:reseal   (NEXTAUTH_SECRET and NEXTAUTH_SECRET_PREVIOUS name the secrets)', none);
exitIfProblems('secrets:reseal', mailProcessProblems({ delivers: false }));
const database = await readyDatabase('secrets:reseal');
try {
  const { outboxBodies, factorSecrets, recoveryCodes } = await resealStoredSecrets(database, userInfo().username);
  const lines = [
    ['queued mail bodies', outboxBodies],
    ['authenticator-app secrets', factorSecrets],
    ['unused recovery codes', recoveryCodes],
  ] as const;
  for (const [what, report] of lines) {
    console.log(`${what}: ${report.checked} checked, ${report.resealed} sealed again under the current secret, ${report.unreadable.length} unreadable`);
    for (const id of report.unreadable) console.log(`  unreadable: ${id}`);
  }
  const unreadable = lines.reduce((sum, [, report]) => sum + report.unreadable.length, 0);
  if (unreadable > 0) console.log('Some values open with neither NEXTAUTH_SECRET nor NEXTAUTH_SECRET_PREVIOUS: they were sealed under another secret, or changed.');
  else if (config().NEXTAUTH_SECRET_PREVIOUS) console.log('Everything stored is sealed under NEXTAUTH_SECRET; see the README ("Rotating the secret") for when to remove NEXTAUTH_SECRET_PREVIOUS.');
  process.exitCode = unreadable > 0 ? 1 : 0;
} finally {
  await database.$disconnect();
}
