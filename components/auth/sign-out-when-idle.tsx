import { Suspense } from 'react';
import { BROWSER_IDLE_MS, isIdleLimited, type Actor } from '@/lib/auth/session';
import { IdleSignOut } from './idle-sign-out';

/** For the signed-in layout: the idle sign-out, for the sessions the server ends when idle. */
export function SignOutWhenIdle({ actor }: { actor: Actor | null }) {
  if (!actor || !isIdleLimited(actor)) return null;
  return (
    <Suspense fallback={null}>
      <IdleSignOut idleMs={BROWSER_IDLE_MS} idleBeforePageMs={actor.idleForMs ?? 0} vendor={actor.kind === 'vendor'} />
    </Suspense>
  );
}
