'use client';

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

type Result = { ok: boolean; message: string };
const Notify = createContext<(result: Result) => void>(() => {});

/**
 * One live region for a page of small action forms. It holds the last result for the whole page
 * (a form may vanish once its action succeeds: an unlocked account has no Unlock button, a changed
 * role no button for itself) and takes focus when a result arrives, so a keyboard or screen reader
 * user hears what happened and goes on from there instead of from the top of the page.
 */
export function ActionNotices({ children, className }: { children: ReactNode; className?: string }) {
  const [notice, setNotice] = useState<(Result & { at: number }) | null>(null);
  const region = useRef<HTMLDivElement>(null);
  const notify = useCallback((result: Result) => setNotice({ ...result, at: Date.now() }), []);
  useEffect(() => {
    if (notice) region.current?.focus();
  }, [notice]);
  return (
    <Notify.Provider value={notify}>
      <div className={['action-notices', className].filter(Boolean).join(' ')} role="status" tabIndex={-1} ref={region} data-testid="action-result">
        {notice && (
          <p className={notice.ok ? 'notice success' : 'notice warning'} key={notice.at}>
            {notice.message}
          </p>
        )}
      </div>
      {children}
    </Notify.Provider>
  );
}

/** Tells the page's `ActionNotices` how an action went. */
export function useNotify() {
  return useContext(Notify);
}
