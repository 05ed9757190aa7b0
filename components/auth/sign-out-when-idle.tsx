import { Suspense } from 'react';
import { getActor } from '@/lib/auth/guards';
import { BROWSER_IDLE_MS, isIdleLimited } from '@/lib/auth/session';
import { IdleSignOut } from './idle-sign-out';

/**
 * For the layouts of signed-in pages: the idle sign-out, for the sessions the server ends when idle.
 * The actor is the page's own (getActor is read once per request); a failure to read it is the
 * page's to answer, not the layout's.
 */
export async function SignOutWhenIdle() {
  const actor = await getActor().catch(() => null);
  if (!actor || !isIdleLimited(actor)) return null;
  return (
    <Suspense fallback={null}>
      <IdleSignOut idleMs={BROWSER_IDLE_MS} vendor={actor.kind === 'vendor'} />
    </Suspense>
  );
}
