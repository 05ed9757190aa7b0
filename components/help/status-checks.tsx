'use client';

import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import type { HealthResult } from '@/lib/help/connection-check';
import {
  describeDowntime,
  describeStatus,
  describeVendorWebsite,
  STATUS_UNAVAILABLE,
  timeFormat,
  type PostedMessage,
} from '@/lib/help/status-messages';
import type { StatusSummary } from '@/lib/status/status-summary';
import { CheckLines, CheckResult } from './check-result';
import { healthOnce, statusOnce } from './live-data';
import { useHydrated } from './use-hydrated';

type Loaded<T> = { state: 'loading' } | { state: 'done'; value: T };

function useOnce<T>(load: () => Promise<T>): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    load().then((value) => current && setLoaded({ state: 'done', value }));
    return () => {
      current = false;
    };
  }, [load]);
  return loaded;
}

const loadVendorWebsite = () => Promise.all([healthOnce(), statusOnce()]);

function Messages({ messages }: { messages: PostedMessage[] }) {
  return (
    <ul>
      {messages.map((m) => (
        <li key={`${m.title}${m.postedAt}`}>
          <strong>{m.title}</strong> ({m.state}, {m.postedAt}){m.message && <span className="typed-lines">: {m.message}</span>}
        </li>
      ))}
    </ul>
  );
}

function Unavailable() {
  return <CheckResult tone="warning" title={STATUS_UNAVAILABLE} />;
}

type LiveCheckProps<T> = { testId: string; load: () => Promise<T>; loadingTitle: string; render: (value: T) => ReactNode };

/** A live check of the guide: empty in the server's HTML (the guide reads without it), then loading, then its answer. */
function LiveCheck<T>({ testId, ...result }: LiveCheckProps<T>) {
  const hydrated = useHydrated();
  return (
    <div role="status" className="no-print" data-testid={testId}>
      {hydrated ? (
        <LiveResult {...result} />
      ) : (
        <noscript>
          <p>
            This check runs in the browser, and JavaScript is off. The <Link href="/status">CareNotes status page</Link> shows
            the same: messages about problems, what is working now, and planned maintenance.
          </p>
        </noscript>
      )}
    </div>
  );
}

function LiveResult<T>({ load, loadingTitle, render }: Omit<LiveCheckProps<T>, 'testId'>) {
  const loaded = useOnce(load);
  if (loaded.state === 'loading') return <CheckResult tone="pending" title={loadingTitle} />;
  return render(loaded.value);
}

/** Step 3: whether the portal itself answers, and any outage message the vendor posted. */
export function VendorWebsiteCheck() {
  return (
    <LiveCheck
      testId="vendor-website-check"
      load={loadVendorWebsite}
      loadingTitle="Checking whether CareNotes is answering…"
      render={([health, summary]) => <VendorWebsiteResult health={health} summary={summary} />}
    />
  );
}

function VendorWebsiteResult({ health, summary }: { health: HealthResult; summary: StatusSummary | null }) {
  const check = describeVendorWebsite(health, summary, timeFormat());
  return (
    <CheckResult tone={check.tone} title={check.answering}>
      {check.messages.length > 0 && (
        <>
          <p>Messages from CareNotes:</p>
          <Messages messages={check.messages} />
        </>
      )}
      {check.noMessages && <p>{check.noMessages}</p>}
    </CheckResult>
  );
}

/** Step 4: the overall state, what is affected, and the active incidents. */
export function StatusCheck() {
  return (
    <LiveCheck
      testId="status-check"
      load={statusOnce}
      loadingTitle="Loading the current status…"
      render={(summary) => (summary ? <StatusResult summary={summary} /> : <Unavailable />)}
    />
  );
}

function StatusResult({ summary }: { summary: StatusSummary }) {
  const check = describeStatus(summary, timeFormat());
  return (
    <CheckResult tone={check.tone} title={check.headline}>
      <CheckLines lines={check.affected} />
      {check.incidents.length > 0 && <Messages messages={check.incidents} />}
      <p>{check.advice}</p>
    </CheckResult>
  );
}

/** Step 6: the maintenance window in progress, or the next one. */
export function DowntimeCheck() {
  return (
    <LiveCheck
      testId="downtime-check"
      load={statusOnce}
      loadingTitle="Loading planned downtime…"
      render={(summary) => (summary ? <DowntimeResult summary={summary} /> : <Unavailable />)}
    />
  );
}

function DowntimeResult({ summary }: { summary: StatusSummary }) {
  const notice = describeDowntime(summary, new Date(), timeFormat());
  if (!notice) return <CheckResult tone="ok" title="No downtime is planned." />;
  return (
    <CheckResult
      tone="warning"
      title={`${notice.kind === 'active' ? 'Downtime now' : 'Next planned downtime'}: ${notice.title}`}
    >
      {notice.description && <p className="typed-lines">{notice.description}</p>}
      {notice.lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </CheckResult>
  );
}
