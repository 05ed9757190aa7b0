// `npm run vendor:reset-mfa -- <email>`: clears a vendor account's second factors (lost phone);
// the account enrols again at its next sign-in, and any lock on it ends. Audited; the account is mailed.
import { userInfo } from 'node:os';
import { argumentsOr, isValue } from './cli-arguments';
import { readyDatabase } from './db/ready-database';
import { resetVendorSecondFactors } from '@/lib/mfa/reset-vendor-second-factors';

const [email] = argumentsOr('npm run vendor:reset-mfa -- <work e-mail address>   (one account at a time)', (args) => args.length === 1 && isValue(args[0])) as [string];
const database = await readyDatabase('vendor:reset-mfa');
try {
  const outcome = await resetVendorSecondFactors(database, email, userInfo().username);
  const said = {
    cleared: `second factors cleared for ${email}; they enrol again at their next sign-in`,
    'cleared-and-unlocked': `second factors cleared for ${email}, and the account's lock ended; they enrol again at their next sign-in`,
    'no-such-account': `no vendor account ${email}`,
  };
  console.log(said[outcome]);
  process.exitCode = outcome === 'no-such-account' ? 1 : 0;
} finally {
  await database.$disconnect();
}
