'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { connectionOutcome, type HealthResult } from '@/lib/help/connection-check';
import { isSignInClosedForMaintenance } from '@/lib/help/status-messages';
import { CheckLines, CheckResult } from './check-result';
import { checkHealth, checkStatus, healthOnce, statusOnce } from './live-data';
import { useHydrated } from './use-hydrated';

function subscribeToOnline(onChange: () => void) {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Step 2: the browser's online state, and whether the portal's health endpoint answers. */
export function ConnectionCheck() {
  const hydrated = useHydrated();
  const online = useSyncExternalStore(subscribeToOnline, () => navigator.onLine, () => true);
  const [health, setHealth] = useState<HealthResult | 'pending'>('pending');
  const [signInClosed, setSignInClosed] = useState<boolean | null>(null);
  const [attempt, setAttempt] = useState(0);
  const asked = useRef(false);

  useEffect(() => {
    if (!online) return;
    let current = true;
    // The first readings are shared with steps 3, 4 and 6; "Check again" and coming back online ask anew.
    const again = asked.current;
    asked.current = true;
    (again ? checkHealth() : healthOnce()).then((result) => current && setHealth(result));
    // A window that closes sign-in is said here too, once the status is read (review r52d F3, r52e F7).
    (again ? checkStatus() : statusOnce()).then((summary) => current && setSignInClosed(isSignInClosedForMaintenance(summary)));
    return () => {
      current = false;
    };
  }, [online, attempt]);

  if (!hydrated) return <div role="status" className="no-print" />;
  const outcome = connectionOutcome(online, health, signInClosed);
  return (
    <div className="no-print">
      <div role="status" data-testid="connection-check">
        <CheckResult tone={outcome.tone} title={outcome.title}>
          <CheckLines lines={outcome.steps} />
        </CheckResult>
      </div>
      <button
        type="button"
        className="button secondary"
        onClick={() => {
          setHealth('pending');
          setSignInClosed(null);
          setAttempt((n) => n + 1);
        }}
      >
        Check again
      </button>
    </div>
  );
}
