'use client';

import { useEffect, useState } from 'react';
import { STATUS_VERSION_PATH, reloadBypassingCache, STALE_CHECK_SECONDS } from '@/lib/help/stale-page';

async function readVersion(): Promise<number | null> {
  try {
    const response = await fetch(STATUS_VERSION_PATH, { cache: 'no-store' });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    const version = (body as { version?: unknown } | null)?.version;
    return typeof version === 'number' ? version : null;
  } catch {
    return null;
  }
}

/**
 * Notices when the status changed after this page's live checks ran: the checks read the status
 * once, so from then on what they show is older than the status page. The first version read
 * (at the same moment as the checks) is the page's own; any later, different one makes it stale.
 * The live region is rendered empty from the start so the notice is announced when it appears.
 */
export function StalePageNotice() {
  const [stale, setStale] = useState(false);
  // How many versions were read and compared: what a test waits on before it says "no notice".
  const [versionsRead, setVersionsRead] = useState(0);
  useEffect(() => {
    let own: number | null = null;
    let done = false;
    const check = async () => {
      const version = await readVersion();
      if (done || version === null) return;
      setVersionsRead((count) => count + 1);
      if (own === null) own = version;
      else if (version !== own) {
        done = true;
        setStale(true);
      }
    };
    void check();
    const timer = setInterval(check, STALE_CHECK_SECONDS * 1000);
    // A tab brought back, or a page restored from the back-forward cache, checks at once.
    const onVisible = () => document.visibilityState === 'visible' && void check();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('pageshow', onVisible);
    return () => {
      done = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('pageshow', onVisible);
    };
  }, []);
  return (
    <div role="status" className="no-print" data-testid="stale-page-notice" data-versions-read={versionsRead}>
      {stale && (
        <div className="notice warning">
          <p>
            <strong>The status has changed since this page was opened.</strong> The checks on this page may be out of date.
          </p>
          <button type="button" className="button" onClick={() => void reloadBypassingCache()}>
            Reload this page
          </button>
        </div>
      )}
    </div>
  );
}
