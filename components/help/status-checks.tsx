'use client';

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
import { CheckResult } from './check-result';
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
          <strong>{m.title}</strong> ({m.state}, {m.postedAt}){m.message ? `: ${m.message}` : ''}
        </li>
      ))}
    </ul>
  );
}

function Unavailable() {
  return <CheckResult tone="warning" title={STATUS_UNAVAILABLE} />;
}

function LiveBox({ testId, children }: { testId: string; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <div role="status" className="no-print" data-testid={testId}>
      {hydrated ? children : null}
    </div>
  );
}

/** Step 3: whether the portal itself answers, and any outage message the vendor posted. */
export function VendorWebsiteCheck() {
  return (
    <LiveBox testId="vendor-website-check">
      <VendorWebsiteResult />
    </LiveBox>
  );
}

function VendorWebsiteResult() {
  const loaded = useOnce<[HealthResult, StatusSummary | null]>(loadVendorWebsite);
  if (loaded.state === 'loading') return <CheckResult tone="pending" title="Checking whether CareNotes is answering…" />;
  const [health, summary] = loaded.value;
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
    <LiveBox testId="status-check">
      <StatusResult />
    </LiveBox>
  );
}

function StatusResult() {
  const loaded = useOnce(statusOnce);
  if (loaded.state === 'loading') return <CheckResult tone="pending" title="Loading the current status…" />;
  if (!loaded.value) return <Unavailable />;
  const check = describeStatus(loaded.value, timeFormat());
  return (
    <CheckResult tone={check.tone} title={check.headline}>
      {check.affected.length > 0 && (
        <ul>
          {check.affected.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {check.incidents.length > 0 && <Messages messages={check.incidents} />}
      <p>{check.advice}</p>
    </CheckResult>
  );
}

/** Step 6: the maintenance window in progress, or the next one. */
export function DowntimeCheck() {
  return (
    <LiveBox testId="downtime-check">
      <DowntimeResult />
    </LiveBox>
  );
}

function DowntimeResult() {
  const loaded = useOnce(statusOnce);
  if (loaded.state === 'loading') return <CheckResult tone="pending" title="Loading planned downtime…" />;
  if (!loaded.value) return <Unavailable />;
  const notice = describeDowntime(loaded.value, new Date(), timeFormat());
  if (!notice) return <CheckResult tone="ok" title="No downtime is planned." />;
  return (
    <CheckResult
      tone="warning"
      title={`${notice.kind === 'active' ? 'Downtime now' : 'Next planned downtime'}: ${notice.title}`}
    >
      {notice.description && <p>{notice.description}</p>}
      {notice.lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </CheckResult>
  );
}
