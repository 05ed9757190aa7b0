// `npm run vendor:reset-mfa -- <email>`: clears a vendor account's second factors (lost phone);
// the account enrols again at its next sign-in. Audited; the account is mailed.
import { userInfo } from 'node:os';
import { argumentsOr, isValue } from './cli-arguments';
import { readyDatabase } from './db/ready-database';
import { resetVendorSecondFactors } from '@/lib/mfa/reset-vendor-second-factors';

const [email] = argumentsOr('npm run vendor:reset-mfa -- <work e-mail address>   (one account at a time)', (args) => args.length === 1 && isValue(args[0])) as [string];
const database = await readyDatabase('vendor:reset-mfa');
try {
  const outcome = await resetVendorSecondFactors(database, email, userInfo().username);
  console.log(outcome === 'cleared' ? `second factors cleared for ${email}; they enrol again at their next sign-in` : `no vendor account ${email}`);
  process.exitCode = outcome === 'cleared' ? 0 : 1;
} finally {
  await database.$disconnect();
}
