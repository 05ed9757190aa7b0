import type { ComponentStatus } from '@/lib/generated/sqlite/enums';
import { db, type Db } from '@/lib/db/client';

export const SIGN_IN_COMPONENT_SLUG = 'sign-in';
/** A window that blocks sign-in is announced on the sign-in page from this long before it starts. */
export const ANNOUNCE_BEFORE_MS = 72 * 3_600_000;

export type SignInNotice = {
  incident: { title: string; impact: ComponentStatus; message: string | null } | null;
  maintenance: { title: string; startsAt: string; endsAt: string } | null;
};

/** What the sign-in page warns about: an open incident touching sign-in, and the next blocking window within 72 h. */
export async function getSignInNotice(database: Db = db(), now = new Date()): Promise<SignInNotice> {
  const [incident, window] = await Promise.all([
    database.incident.findFirst({
      where: { resolvedAt: null, components: { some: { component: { slug: SIGN_IN_COMPONENT_SLUG } } } },
      orderBy: { startedAt: 'desc' },
      select: { title: true, impact: true, updates: { orderBy: { createdAt: 'desc' }, take: 1, select: { message: true } } },
    }),
    database.maintenanceWindow.findFirst({
      where: {
        blocksSignIn: true,
        cancelledAt: null,
        endedAt: null,
        endsAt: { gt: now },
        startsAt: { lte: new Date(now.getTime() + ANNOUNCE_BEFORE_MS) },
      },
      orderBy: { startsAt: 'asc' },
      select: { title: true, startsAt: true, endsAt: true },
    }),
  ]);
  return {
    incident: incident && { title: incident.title, impact: incident.impact, message: incident.updates[0]?.message ?? null },
    maintenance: window && { title: window.title, startsAt: window.startsAt.toISOString(), endsAt: window.endsAt.toISOString() },
  };
}
