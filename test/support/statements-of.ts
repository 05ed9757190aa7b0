import { createDb, type Db, type SentQuery } from '@/lib/db/client';

/** Runs `run` with the app's client swapped for one that reports every statement it sends. */
export async function statementsOf(run: () => Promise<unknown>): Promise<{ probe: Db; sent: SentQuery[] }> {
  const sent: SentQuery[] = [];
  const probe = createDb(process.env.DATABASE_URL!, { onQuery: (query) => sent.push(query) });
  const app = globalThis as { portalDb?: Db };
  const previous = app.portalDb;
  app.portalDb = probe;
  try {
    await run();
  } finally {
    app.portalDb = previous;
  }
  return { probe, sent };
}
