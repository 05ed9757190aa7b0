'use client';

import { useSyncExternalStore } from 'react';
import type { CacheInstructions as Instructions } from '@/lib/help/cache-instructions';
import { orderForBrowser } from '@/lib/help/cache-instructions';
import { detectBrowser, type BrowserId } from '@/lib/help/detect-browser';

const subscribeToNothing = () => () => {};

function Browser({ browser, headingLevel }: { browser: Instructions; headingLevel: 'h3' | 'h4' }) {
  const Heading = headingLevel;
  return (
    <div className="browser-steps" data-browser={browser.id}>
      <Heading>{browser.name}</Heading>
      <ol>
        {browser.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {browser.note && <p>{browser.note}</p>}
    </div>
  );
}

function AllBrowsers({ browsers }: { browsers: Instructions[] }) {
  return (
    <>
      {browsers.map((browser) => (
        <Browser key={browser.id} browser={browser} headingLevel="h3" />
      ))}
    </>
  );
}

/**
 * Step 5. The prerendered page lists every browser; once the browser is known, its steps come
 * first and the others fold away. Print always gets the full list.
 */
export function CacheInstructions({ browsers }: { browsers: Instructions[] }) {
  const detected = useSyncExternalStore<BrowserId | null>(
    subscribeToNothing,
    () => detectBrowser(navigator.userAgent, { maxTouchPoints: navigator.maxTouchPoints }),
    () => null,
  );
  const { first, others } = orderForBrowser(browsers, detected);
  if (!first) return <AllBrowsers browsers={browsers} />;
  return (
    <>
      <div className="screen-only">
        <p className="detected-browser">Your browser looks like this one:</p>
        <Browser browser={first} headingLevel="h3" />
        <details className="other-browsers">
          <summary>Instructions for other browsers</summary>
          {others.map((browser) => (
            <Browser key={browser.id} browser={browser} headingLevel="h4" />
          ))}
        </details>
      </div>
      <div className="print-only">
        <AllBrowsers browsers={browsers} />
      </div>
    </>
  );
}
