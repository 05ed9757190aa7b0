// `npm run vendor:reset-mfa -- <email>`: clears a vendor account's second factors (lost phone);
// its password is replaced by one printed once, any lock on it ends, and it enrols again at its next
// sign-in. Audited; the account is mailed.
import { userInfo } from 'node:os';
import { argumentsOr, isValue } from './cli-arguments';
import { readyDatabase } from './db/ready-database';
import { resetVendorSecondFactors } from '@/lib/mfa/reset-vendor-second-factors';

const [email] = argumentsOr('npm run vendor:reset-mfa -- <work e-mail address>   (one account at a time)', (args) => args.length === 1 && isValue(args[0])) as [string];
const database = await readyDatabase('vendor:reset-mfa');
try {
  const outcome = await resetVendorSecondFactors(database, email, userInfo().username);
  if (outcome === 'no-such-account') {
    console.log(`no vendor account ${email}`);
  } else if (outcome === 'disabled') {
    console.log(`vendor account ${email} is disabled: nothing was changed`);
  } else {
    console.log(`second factors cleared for ${email}, and its password replaced${outcome.endedLock ? "; the account's lock ended" : ''}.`);
    // As it is typed: no spaces (a password typed with them is another password, and a wrong one counts).
    console.log(`New password, shown once: ${outcome.newPassword}`);
    console.log('Give it to them in person or by phone, never by e-mail. They sign in with it and set up a second factor.');
  }
  process.exitCode = typeof outcome === 'string' ? 1 : 0;
} finally {
  await database.$disconnect();
}
