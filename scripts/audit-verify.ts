// `npm run audit:verify`: recomputes the audit hash chain of DATABASE_URL; exits 1 on a break.
import { verifyAuditChain, type LoggedHead } from '@/lib/audit/verify-chain';
import { argumentsOr, none } from './cli-arguments';
import { readyDatabase } from './db/ready-database';

const USAGE = 'npm run audit:verify [-- --expect <seq>:<hash>]   (DATABASE_URL names the database; the head from an audit.chain_head log line)';
const LOGGED_HEAD = /^([1-9]\d{0,11}):([0-9a-f]{64})$/;

/** `--expect <seq>:<hash>`: a head the log saw, which the chain must still hold. */
function expectedHead(args: string[]): LoggedHead | undefined {
  const match = args[0] === '--expect' ? LOGGED_HEAD.exec(args[1] ?? '') : null;
  return match ? { seq: Number(match[1]), hash: match[2]! } : undefined;
}

async function main() {
  const args = argumentsOr(USAGE, (given) => none(given) || (given.length === 2 && expectedHead(given) !== undefined));
  const expected = expectedHead(args);
  const database = await readyDatabase('audit:verify');
  try {
    const report = await verifyAuditChain(database, undefined, expected);
    if (report.ok) {
      console.log(`audit: chain intact (${report.count} records)`);
      return 0;
    }
    console.error(`audit: chain BROKEN at record ${report.brokenAtSeq} (${report.reason}); ${report.count} records before it are intact`);
    return 1;
  } finally {
    await database.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('audit: could not verify:', error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
