import type { Db } from '@/lib/db/client';
import { currentChainHead } from '@/lib/audit/verify-chain';
import { logger } from '@/lib/observability/logger.mjs';

/** The head this process logged last: logged again only once it moved. */
let lastLogged: string | null = null;

/**
 * Writes the audit chain's head to the log (`audit.chain_head`, seq and hash) when it moved since this
 * process last did. The log lives outside the database: records cut from the end of the chain, with the
 * head row moved back, hold together in the database, and `npm run audit:verify -- --expect <seq>:<hash>`
 * with a head from the log finds them gone (review r51g F2).
 */
export async function logChainHead(database: Db): Promise<void> {
  const head = await currentChainHead(database);
  if (!head) return;
  const said = `${head.seq}:${head.hash}`;
  if (said === lastLogged) return;
  logger.info({ event: 'audit.chain_head', seq: head.seq, hash: head.hash });
  lastLogged = said;
}
