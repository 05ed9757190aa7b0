// `npm run vendor:unlock -- <email>`: ends a vendor account's lock (wrong passwords, hard after 20);
// the account signs in again with its password and second factor. Audited.
import { userInfo } from 'node:os';
import { argumentsOr, isValue } from './cli-arguments';
import { readyDatabase } from './db/ready-database';
import { unlockVendorAccount } from '@/lib/vendor/unlock-vendor-account';

const [email] = argumentsOr('npm run vendor:unlock -- <work e-mail address>   (one account at a time)', (args) => args.length === 1 && isValue(args[0])) as [string];
const database = await readyDatabase('vendor:unlock');
try {
  const outcome = await unlockVendorAccount(database, email, userInfo().username);
  const said = { unlocked: `${email} is unlocked`, 'not-locked': `${email} was not locked; its counts of failures and of sign-ins are cleared`, 'no-such-account': `no vendor account ${email}` };
  console.log(said[outcome]);
  process.exitCode = outcome === 'no-such-account' ? 1 : 0;
} finally {
  await database.$disconnect();
}
