import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { listFeedEntries, renderAtomFeed } from '@/lib/status/atom-feed';

export const dynamic = 'force-dynamic';

/** Atom 1.0 feed of incidents and maintenance. Feed readers poll it: a minute of caching is fine. */
export const GET = defineRoute('status-feed', PUBLIC, async () =>
  new Response(renderAtomFeed(await listFeedEntries()), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'public, max-age=60' },
  }),
);
