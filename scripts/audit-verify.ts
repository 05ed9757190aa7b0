// `npm run audit:verify`: recomputes the audit hash chain of DATABASE_URL; exits 1 on a break.
import { verifyAuditChain } from '@/lib/audit/verify-chain';
import { argumentsOr, none } from './cli-arguments';
import { readyDatabase } from './db/ready-database';

async function main() {
  argumentsOr('npm run audit:verify   (DATABASE_URL names the database)', none);
  const database = await readyDatabase('audit:verify');
  try {
    const report = await verifyAuditChain(database);
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
