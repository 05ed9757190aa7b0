'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useRef, type RefObject } from 'react';
import { VendorPortalField } from './sign-out-button';

/** Shared by the portal's tabs in this browser: a page opened in one keeps the others signed in. */
const LAST_ACTIVITY = 'carenotes:last-activity';
const CHECK_EVERY_MS = 15_000;

function sharedLastActivity(): number {
  try {
    return Number(localStorage.getItem(LAST_ACTIVITY)) || 0;
  } catch {
    return 0; // storage refused (a locked-down browser): this tab's own activity still counts
  }
}

function shareLastActivity(at: number) {
  try {
    localStorage.setItem(LAST_ACTIVITY, String(at));
  } catch {
    // as above
  }
}

function recordActivity(lastActivity: RefObject<number>) {
  lastActivity.current = Date.now();
  shareLastActivity(lastActivity.current);
}

/**
 * Signs this browser out once its session has been idle as long as the server allows (admins and
 * vendor staff, 30 minutes). The server refuses the session by then, but the page it left on the
 * screen, and those Back brings out of the browser's memory, still show people's accounts to whoever
 * sits down next at a shared computer (review r31b). Activity is what reaches the server: a page
 * opened or a form sent, in any of the portal's tabs. Signing out is the sign-out button's own plain
 * POST, which leaves for the sign-in page as a new document and so drops the pages kept in memory.
 */
export function IdleSignOut({ idleMs, vendor }: { idleMs: number; vendor: boolean }) {
  const form = useRef<HTMLFormElement>(null);
  const lastActivity = useRef(0);
  const pathname = usePathname();
  const search = useSearchParams().toString();

  useEffect(() => recordActivity(lastActivity), [pathname, search]);

  useEffect(() => {
    const sent = () => recordActivity(lastActivity);
    const check = () => {
      if (Date.now() - Math.max(lastActivity.current, sharedLastActivity()) >= idleMs) form.current?.submit();
    };
    // Timers sleep with the laptop: look again as soon as the page is seen.
    const whenSeen = () => document.visibilityState === 'visible' && check();
    document.addEventListener('submit', sent, true);
    document.addEventListener('visibilitychange', whenSeen);
    window.addEventListener('pageshow', check);
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => {
      document.removeEventListener('submit', sent, true);
      document.removeEventListener('visibilitychange', whenSeen);
      window.removeEventListener('pageshow', check);
      clearInterval(timer);
    };
  }, [idleMs]);

  return (
    <form ref={form} method="post" action="/sign-out" hidden>
      <VendorPortalField vendor={vendor} />
    </form>
  );
}
