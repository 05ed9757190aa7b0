// `npm run vendor:reset-mfa -- <email>`: clears a vendor account's second factors (lost phone);
// the account enrols again at its next sign-in. Audited; the account is mailed.
import { userInfo } from 'node:os';
import { readyDatabase } from './db/ready-database';
import { resetVendorSecondFactors } from '@/lib/mfa/reset-vendor-second-factors';

// One address, and nothing else: given two, it acted on the first alone and said nothing of the
// second; `--help` was taken for an address (review r34g F4).
const [email, ...extra] = process.argv.slice(2);
if (!email || extra.length > 0 || email.startsWith('-')) {
  console.error('usage: npm run vendor:reset-mfa -- <work e-mail address>   (one account at a time)');
  process.exit(2);
}
const database = await readyDatabase('vendor:reset-mfa');
try {
  const outcome = await resetVendorSecondFactors(database, email, userInfo().username);
  console.log(outcome === 'cleared' ? `second factors cleared for ${email}; they enrol again at their next sign-in` : `no vendor account ${email}`);
  process.exitCode = outcome === 'cleared' ? 0 : 1;
} finally {
  await database.$disconnect();
}
