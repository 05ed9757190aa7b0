import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { COPY_UNTIL_HEADER } from '@/lib/runtime/copy-until.mjs';
import { feedChangesAt, listFeedEntries, renderAtomFeed } from '@/lib/status/atom-feed';

export const dynamic = 'force-dynamic';

/**
 * Atom 1.0 feed of incidents and maintenance. Feed readers poll it: a minute of caching is fine. A window's
 * state follows the clock, so server.mjs's copy is kept only until the next start or end (review r41h I1).
 */
export const GET = defineRoute('status-feed', PUBLIC, async () => {
  const entries = await listFeedEntries();
  const changesAt = feedChangesAt(entries);
  return new Response(renderAtomFeed(entries), {
    headers: {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=60',
      ...(changesAt && { [COPY_UNTIL_HEADER]: changesAt.toISOString() }),
    },
  });
});
