import { defineRoute } from '@/lib/auth/guards';

export const dynamic = 'force-dynamic';

/** Who the session belongs to: a small JSON view for the app's own scripts. */
export const GET = defineRoute('me', { principal: 'agency' }, async (actor) =>
  Response.json(
    { loginName: actor.loginName, displayName: actor.displayName, agencyCode: actor.agencyCode, role: actor.role },
    { headers: { 'Cache-Control': 'no-store' } },
  ),
);
