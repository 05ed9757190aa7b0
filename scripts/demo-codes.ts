// Prints the current authenticator-app codes of the demo accounts (their secrets are fixed in
// prisma/seed.ts for the demo only). Each code is accepted once: run again for the next one.
import { DEMO_TOTP_SECRETS } from '@/prisma/seed';
import { TOTP_PERIOD_S, totpCodeFor, totpStep } from '@/lib/mfa/totp';

const now = new Date();
const step = totpStep(now);
const left = TOTP_PERIOD_S - (Math.floor(now.getTime() / 1000) % TOTP_PERIOD_S);
console.log(`Codes now (valid for ${left} s more, and the 30 s after), next:`);
for (const [account, secret] of Object.entries(DEMO_TOTP_SECRETS)) {
  console.log(`  ${account.padEnd(36)} ${await totpCodeFor(secret, step)}   next ${await totpCodeFor(secret, step + 1)}`);
}
