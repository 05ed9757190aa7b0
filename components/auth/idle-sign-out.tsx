'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useRef, type RefObject } from 'react';
import { forgetShared, LAST_ACTIVITY, readShared, SIGNED_IN_AS, writeShared } from './between-tabs';
import { VendorPortalField } from './sign-out-button';

const CHECK_EVERY_MS = 15_000;

/**
 * The page Back or Forward brought back, out of the router's memory: it asked the server nothing, so
 * it is no activity. Kept outside the component, which Back to another group of pages mounts anew.
 */
let restoredByHistory: string | null = null;

function recordActivity(lastActivity: RefObject<number>) {
  lastActivity.current = Date.now();
  writeShared(LAST_ACTIVITY, String(lastActivity.current));
}

/**
 * Signs this browser out once its session has been idle nearly as long as the server allows (admins and
 * vendor staff, 30 minutes; the tab goes at 28, BROWSER_IDLE_MS). The server refuses the session soon after, but the page it left on the
 * screen, and those Back brings out of the browser's memory, still show people's accounts to whoever
 * sits down next at a shared computer (review r31b). Activity is what reaches the server: a page
 * opened or a form sent, in any of the portal's tabs. Signing out is the sign-out button's own plain
 * POST, which leaves for the sign-in page as a new document and so drops the pages kept in memory.
 * A sign-out in another tab is every signed-in page's (LeaveWhenSignedOutElsewhere).
 * `idleBeforePageMs`: how long the server had counted the session idle when it drew this page, which another
 * site sent the browser to and so is no activity (a link in a webmail, review r55b F2): the tab counts from
 * where the server does, not from the page, or a form sent after the server's limit would be refused and lost.
 */
export function IdleSignOut({ idleMs, idleBeforePageMs, vendor }: { idleMs: number; idleBeforePageMs: number; vendor: boolean }) {
  const form = useRef<HTMLFormElement>(null);
  const lastActivity = useRef(0);
  // The layout is drawn once for the pages it holds: what it said is about the page it was drawn with.
  const uncountedPage = useRef(idleBeforePageMs > 0 ? idleBeforePageMs : null);
  const pathname = usePathname();
  const search = useSearchParams().toString();

  useEffect(() => {
    const here = `${pathname}?${search}`;
    // Told once the event that moved the page is over: the router renders the page Back restores (and
    // runs this) inside its own `popstate` listener, which may be heard before this component's.
    const told = setTimeout(() => {
      const byHistory = restoredByHistory === here;
      restoredByHistory = null;
      const idleBefore = uncountedPage.current;
      uncountedPage.current = null;
      // Not shared: another tab's later activity stands.
      if (idleBefore !== null) lastActivity.current = Date.now() - idleBefore;
      else if (!byHistory) recordActivity(lastActivity);
      // Which page the tab has taken in, counted or not: a test moving the clock waits for it (its heading shows before this runs).
      form.current?.setAttribute('data-page-taken-in', here);
    });
    return () => clearTimeout(told);
  }, [pathname, search]);

  useEffect(() => {
    const sent = () => recordActivity(lastActivity);
    const check = () => {
      const shared = Number(readShared(LAST_ACTIVITY)) || 0;
      if (Date.now() - Math.max(lastActivity.current, shared) < idleMs) return;
      // The person who walked away leaves no mark of whose tabs these were for the next one (review r52f F8).
      forgetShared(SIGNED_IN_AS);
      form.current?.submit();
    };
    // Timers sleep with the laptop: look again as soon as the page is seen.
    const whenSeen = () => document.visibilityState === 'visible' && check();
    const historyMoved = () => {
      restoredByHistory = `${location.pathname}?${new URLSearchParams(location.search)}`;
    };
    document.addEventListener('submit', sent, true);
    document.addEventListener('visibilitychange', whenSeen);
    window.addEventListener('pageshow', check);
    window.addEventListener('popstate', historyMoved);
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => {
      document.removeEventListener('submit', sent, true);
      document.removeEventListener('visibilitychange', whenSeen);
      window.removeEventListener('pageshow', check);
      window.removeEventListener('popstate', historyMoved);
      clearInterval(timer);
    };
  }, [idleMs, vendor]);

  return (
    <form ref={form} method="post" action="/sign-out" hidden>
      <VendorPortalField vendor={vendor} />
    </form>
  );
}
